"""`reportchat eval`: retrieval and answer quality on gold questions, per language and type.

Gold format (../shared/eval/README.md): ``numbers`` a correct answer must
contain as written, ``evidence`` strings a passage or citation must hold,
``type == "unanswerable"`` for questions the reports don't answer.
"""

from __future__ import annotations

import json
import re
import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from assistant.types import Answer
from index.figures import CHINESE_NUMERALS, chinese_to_number, fold


@dataclass
class Outcome:
    id: str
    lang: str
    type: str
    rank: int | None  # 1-based rank of the first passage holding the evidence
    correct: bool  # answerable: figures present and cited evidence; unanswerable: declined
    verified: bool
    latency_ms: float
    answer: str = ""


@dataclass
class Scores:
    n: int = 0
    answerable: int = 0
    hit1: float = 0.0
    hit3: float = 0.0
    mrr: float = 0.0
    accuracy: float = 0.0
    unanswerable: int = 0
    declines: float = 0.0
    unverified: int = 0
    p50_ms: float = 0.0
    p95_ms: float = 0.0


@dataclass
class Report:
    overall: Scores
    by_language: dict[str, Scores]
    by_type: dict[str, Scores]
    outcomes: list[Outcome] = field(default_factory=list)


def load_gold(path: Path) -> list[dict]:
    items = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc.msg})") from exc
    return items


def judge(item: dict, answer: Answer) -> Outcome:
    """Strict: an answer is right when it is found and verified, states every asked figure in its own
    answer lines (a quoted source line or a reference line holding it does not count) and cites a
    passage that holds the evidence. A decline is right only for an unanswerable question."""
    evidence = [_norm(e) for e in item.get("evidence") or []]
    holds = lambda text: any(e in _norm(text) for e in evidence)  # noqa: E731
    rank = next((i for i, p in enumerate(answer.passages, 1) if holds(p.text)), None) if evidence else None
    if item["type"] == "unanswerable":
        correct = not answer.found
    else:
        stated = fold(answer_lines(answer.answer)).replace(",", "")  # spaces kept: 2024-03-28 09:18 is no 2809
        figures_stated = all(states(stated, _norm(n)) for n in item.get("numbers") or [])
        cited = any(holds(c.text) or holds(c.quote) for c in answer.citations) if evidence else bool(answer.citations)
        correct = answer.found and answer.verified and figures_stated and cited
    latency = sum(answer.timings_ms.values())
    return Outcome(item["id"], item["lang"], item["type"], rank, correct, answer.verified, latency, answer.answer)


_DIGIT_NUMERALS = CHINESE_NUMERALS.replace("万", "").replace("亿", "")
_QUOTE_OR_REFERENCE = re.compile(r"^\s*(?:>|\[\d+\]\s)")


def answer_lines(markdown: str) -> str:
    """The answer's own lines: without quoted source lines (``> …``) and reference lines (``[1] title …``)."""
    return "\n".join(line for line in markdown.splitlines() if not _QUOTE_OR_REFERENCE.match(line))


def states(text: str, figure: str) -> bool:
    """Whether ``text`` states ``figure`` as a whole number: 24 is not stated by 249 or 1.24, and a
    figure written in Chinese numerals (八百) is also stated by its value in digits (800). Gold figures
    are written as the report writes them, so 96.6 is stated by 96.6万 (its magnitude follows)."""
    spellings = {figure}
    if figure and all(ch in CHINESE_NUMERALS for ch in figure.rstrip("%")):
        value = chinese_to_number(figure.rstrip("%"))
        spellings.add(f"{value:g}" + ("%" if figure.endswith("%") else ""))
    return any(
        re.search(rf"(?<![\d.{CHINESE_NUMERALS}]){re.escape(s)}(?![\d{_DIGIT_NUMERALS}]|\.\d)", text)
        for s in spellings
    )


def evaluate(items: Iterable[dict], ask: Callable[[str], Answer]) -> Report:
    outcomes = [judge(item, ask(item["question"])) for item in items]
    by_language: dict[str, list[Outcome]] = defaultdict(list)
    by_type: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_language[outcome.lang].append(outcome)
        by_type[outcome.type].append(outcome)
    return Report(
        overall=_scores(outcomes),
        by_language={k: _scores(v) for k, v in sorted(by_language.items())},
        by_type={k: _scores(v) for k, v in sorted(by_type.items())},
        outcomes=outcomes,
    )


def _scores(outcomes: list[Outcome]) -> Scores:
    answerable = [o for o in outcomes if o.type != "unanswerable"]
    declined = [o for o in outcomes if o.type == "unanswerable"]
    ranked = [o for o in answerable]
    latencies = sorted(o.latency_ms for o in outcomes)
    mean = lambda values: round(statistics.fmean(values), 3) if values else 0.0  # noqa: E731
    return Scores(
        n=len(outcomes),
        answerable=len(answerable),
        hit1=mean([o.rank == 1 for o in ranked]),
        hit3=mean([o.rank is not None and o.rank <= 3 for o in ranked]),
        mrr=mean([1 / o.rank if o.rank else 0.0 for o in ranked]),
        accuracy=mean([o.correct for o in answerable]),
        unanswerable=len(declined),
        declines=mean([o.correct for o in declined]),
        unverified=sum(not o.verified for o in outcomes),
        p50_ms=round(_percentile(latencies, 50), 1),
        p95_ms=round(_percentile(latencies, 95), 1),
    )


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    index = (len(values) - 1) * q / 100
    low = int(index)
    high = min(low + 1, len(values) - 1)
    return values[low] + (values[high] - values[low]) * (index - low)


def _norm(text: str) -> str:
    return fold(text).replace(",", "").replace(" ", "")
