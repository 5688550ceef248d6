"""The rule of honest answers: every figure shown must stand in a cited passage.

A figure is held when its value occurs in the text of a citation the answer
points at (or that citation's report title: the year). A figure computed
from held ones is allowed only where the answer shows the arithmetic
(``249 − 199 = 50``, ``249 + 316 + 187 = 752``) and the arithmetic is right.
Years the caller vouches for (``dates``: the years of the reports an answer
names) are dates, not figures, and ``names`` (the places of those reports:
五台县) are names, not figures.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from assistant.types import Citation, Passage
from index.figures import fold, held_numbers, numbers_in

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_OP = r"[-−–+×x*÷/]"
_ARITHMETIC = re.compile(rf"{_NUM}((?:\s*{_OP}\s*{_NUM})+)\s*=\s*{_NUM}")
_STEP = re.compile(rf"\s*({_OP})\s*{_NUM}")
_OPS = {
    "-": lambda a, b: a - b, "−": lambda a, b: a - b, "–": lambda a, b: a - b, "+": lambda a, b: a + b,
    "×": lambda a, b: a * b, "x": lambda a, b: a * b, "*": lambda a, b: a * b,
    "÷": lambda a, b: a / b if b else None, "/": lambda a, b: a / b if b else None,
}
_CITED = re.compile(r"\[(\d+)\]")


def unsupported_figures(
    answer: str, citations: list[Citation], dates: Collection[int] = (), names: Collection[str] = ()
) -> list[float]:
    """Figures in ``answer`` that no cited passage holds (empty when the answer is honest)."""
    for name in sorted(names, key=len, reverse=True):
        answer = answer.replace(name, " ")
    cited = {int(n) for n in _CITED.findall(answer)} or {c.n for c in citations}
    support: set[float] = set()
    for citation in citations:
        if citation.n in cited:
            support |= held_numbers(citation.text) | held_numbers(citation.quote) | held_numbers(citation.title)
    computed = _shown_arithmetic(fold(answer), support)
    return sorted(v for v in numbers_in(answer) if v not in support and v not in computed and v not in dates)


def passage_figures(passages: Sequence[Passage]) -> set[float]:
    """Every figure the passages (and their titles: the year) hold."""
    held: set[float] = set()
    for passage in passages:
        held |= held_numbers(passage.text) | held_numbers(passage.title)
    return held


def unheld_figures(text: str, held: set[float]) -> list[float]:
    """Figures in ``text`` outside ``held`` (``passage_figures``), ``[n]`` markers aside: a looser test than
    ``unsupported_figures`` (any passage, not the cited one), for an answer still being written."""
    return sorted(v for v in numbers_in(_CITED.sub(" ", text)) if v not in held)


def _shown_arithmetic(answer: str, support: set[float]) -> set[float]:
    """Results of arithmetic written out left to right over held figures (or over results shown before)."""
    known, results = set(support), set()
    for match in _ARITHMETIC.finditer(answer):
        first, steps, result = match.group(1), match.group(2), match.group(4)
        operands = [float(first.replace(",", ""))]
        value: float | None = operands[0]
        for op, number in _STEP.findall(steps):
            operand = float(number.replace(",", ""))
            operands.append(operand)
            value = _OPS[op](value, operand) if value is not None else None
        z = float(result.replace(",", ""))
        divides = any(op in "÷/" for op, _ in _STEP.findall(steps))
        tolerance = 0.01 * max(1.0, abs(z)) if divides else 0.006  # a quotient is rounded; a sum is exact
        if all(x in known for x in operands) and value is not None and abs(value - z) < tolerance:
            results.add(z)
            known.add(z)
    return results
