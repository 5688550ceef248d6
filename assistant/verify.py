"""The rule of honest answers: every figure shown must stand in a cited passage.

A figure is held when its value occurs in the text of a citation the answer
points at (or that citation's report title: the year). A figure computed
from held ones is allowed only where the answer shows the arithmetic
(``249 − 199 = 50``) and the arithmetic is right.
"""

from __future__ import annotations

import re

from assistant.figures import fold, numbers_in
from assistant.types import Citation

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_ARITHMETIC = re.compile(rf"{_NUM}\s*([-−–+×x*÷/])\s*{_NUM}\s*=\s*{_NUM}")
_OPS = {
    "-": lambda a, b: a - b, "−": lambda a, b: a - b, "–": lambda a, b: a - b, "+": lambda a, b: a + b,
    "×": lambda a, b: a * b, "x": lambda a, b: a * b, "*": lambda a, b: a * b,
    "÷": lambda a, b: a / b if b else None, "/": lambda a, b: a / b if b else None,
}
_CITED = re.compile(r"\[(\d+)\]")


def unsupported_figures(answer: str, citations: list[Citation]) -> list[float]:
    """Figures in ``answer`` that no cited passage holds (empty when the answer is honest)."""
    cited = {int(n) for n in _CITED.findall(answer)} or {c.n for c in citations}
    support: set[float] = set()
    for citation in citations:
        if citation.n in cited:
            support |= numbers_in(citation.text) | numbers_in(citation.quote) | numbers_in(citation.title)
    computed = _shown_arithmetic(fold(answer), support)
    return sorted(v for v in numbers_in(answer) if v not in support and v not in computed)


def _shown_arithmetic(answer: str, support: set[float]) -> set[float]:
    results = set()
    for a, op, b, result in _ARITHMETIC.findall(answer):
        x, y, z = (float(v.replace(",", "")) for v in (a, b, result))
        value = _OPS[op](x, y)
        if x in support and y in support and value is not None and abs(value - z) < 0.01 * max(1.0, abs(z)):
            results.add(z)
    return results
