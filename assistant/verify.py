"""The rule of honest answers: every figure shown must stand, as stated, in the sentence it is cited from.

A model that copies 199 from a passage where 199 counts duty lawyers' help and
calls it legal aid cases has not invented a number, but it states a falsehood.
So a figure in an answer is held only by a sentence of a citation its own
sentence points at (``[n]``; no marker, no support) where

- the value stands as a figure — years, dates, document numbers (〔2023〕5号)
  and list markers ("4.") are no figures and hold nothing;
- the unit agrees where the answer gives one (249万元 is not 249件; 84% is not 84件);
- what it counts agrees: the answer's words about the figure share a content
  term with the words of the figure's clause in the source (English through
  the glossary: "legal aid cases" meets 法律援助案件), and do not name instead
  what another figure of that sentence counts.

Numbers written in words (two hundred and forty-nine, 二百四十九, 2.4万 = 24
thousand) are read as figures. A figure computed from held ones is allowed only
where the answer shows the arithmetic over supported figures (``249 − 199 = 50``),
says what it computes (相差, total, "more … than"), and the arithmetic is right.
Years are dates: held when a cited passage, its title or the caller (``dates``)
names them. ``names`` (the places of the reports an answer names: 五台县) are
names, not figures.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

from assistant.cite import sentences
from assistant.number_words import chinese_numerals, english_number_words
from assistant.query import NOT_CONTENT
from assistant.types import Citation, Passage
from index.figures import Figure, find_figures, fold, held_numbers
from index.lexical import init_jieba

if TYPE_CHECKING:
    from assistant.glossary import Glossary

__all__ = ["passage_citations", "unsupported_figures"]

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_OP = r"[-−–+×x*÷/]"
_ARITHMETIC = re.compile(rf"{_NUM}((?:\s*{_OP}\s*{_NUM})+)\s*=\s*{_NUM}")
_STEP = re.compile(rf"\s*({_OP})\s*{_NUM}")
_OPS = {
    "-": lambda a, b: a - b, "−": lambda a, b: a - b, "–": lambda a, b: a - b, "+": lambda a, b: a + b,
    "×": lambda a, b: a * b, "x": lambda a, b: a * b, "*": lambda a, b: a * b,
    "÷": lambda a, b: a / b if b else None, "/": lambda a, b: a / b if b else None,
}
_MARKER = re.compile(r"\[(\d+)\]")
# An answer's sentences: ended by 。！？!? or a line break, or ". " in English; the markers right after the end
# (…249件。[1]) belong to it. A semicolon does not end one: "249 (249件); 199 (199件): [1]" cites both.
_ANSWER_SENTENCE = re.compile(r"(?:[^。！？!?\n.]|\.(?!\s|$))+(?:[。！？!?.]+|$)(?:[ \t]*\[\d+\])*|\n")
_QUOTE_LINE = re.compile(r"^\s*>\s?")
# Dates and document numbers: numbers that count nothing.
_DATES = re.compile(
    r"\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}日?|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{1,2}月份?"
    r"|(?<!\d)\d{1,2}(?::\d{2}(?!\d)|时\d{1,2}分?)|[〔\[(（【]\d{4}[〕\])）】]\s*\d+\s*号|第\s*\d+\s*号|\bNo\.\s*\d+"
)
_YEAR = re.compile(r"(?<![\d.,])(19\d{2}|20\d{2}|2100)(?![\d%])(?!\s*(?:万|亿|余|多|件|人|次|项|个|元))")
_LIST_MARKER = re.compile(r"^[\s>*#-]*(?:[(（]\d{1,2}[)）]|\d{1,2}[.．、)](?!\d))")
_ENGLISH_MAGNITUDE = re.compile(rf"{_NUM}\s*(thousand|million|billion)\b", re.IGNORECASE)
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "万": 1e4, "亿": 1e8}
_PERCENT = re.compile(r"^\s*(?:%|percent\b|per cent\b)", re.IGNORECASE)
_POINTS = re.compile(r"^\s*percentage points?\b", re.IGNORECASE)
# Units an English answer renders Chinese ones as; the Chinese units each may stand for.
_ENGLISH_UNITS: dict[str, frozenset[str]] = {
    word: frozenset(units.split())
    for words, units in [
        ("case cases", "件 起 宗 例 件次"),
        ("people persons person individuals participants attendees trainees residents officials cadres",
         "人 名 位 人次"),
        ("person-times", "人次"),
        ("times instances occasions sessions rounds", "次 场 期 堂 轮 人次 件"),
        ("items matters", "项 件 个 条"),
        ("yuan rmb", "元"),
        ("days", "天 日 个工作日"),
        ("hours", "小时 学时"),
        ("enterprises companies firms businesses", "家 个 户"),
    ]
    for word in words.split()
}
# Chinese units that count the same thing; the rest agree only with themselves.
_SAME_UNIT = {"起": "件", "宗": "件", "名": "人", "位": "人", "家": "个", "所": "个", "日": "天"}
_CLAUSE = re.compile(r"(?:[^,，;；:：、(（]|[,，](?=占))+")  # 不予公开的1件,占1.02%: the share stays with its thing
# Where the words of one figure end and the next one's begin, between two figures of an answer.
_BETWEEN = re.compile(r"[,，;；:：、]|\band\b|以及|和|及|并且|并")
_SAYS_WHAT = re.compile(
    r"相差|差|多|少|合计|共计|总计|一共|共|总|增|减|升|降|比|占|变|difference|total|sum|more|fewer|less|ratio|"
    r"share|increase|decrease|rise|rose|grew|grow|fell|fall|drop|change|combined|gap|times",
    re.IGNORECASE,
)
_GENERIC = NOT_CONTENT | frozenset(
    "全年 共计 累计 总计 一共 全区 我区 本区 全县 全市 本年度 年度 其中 分别 达到 报告 显示 数据 数字 根据 提到 指出 "
    "表示 方面 相关 有关 主要 以及 进行 开展 没有 各类 其他 一是 二是".split()
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")


@dataclass(frozen=True)
class _Figure:
    """A figure as stated: its readings (2.4万 is 2.4 and 24000), its unit (or the units an English word allows)."""

    value: float  # as written: 2.4 of 2.4万
    values: frozenset[float]
    units: frozenset[str]  # empty: the answer gives no unit
    start: int
    end: int


@dataclass(frozen=True)
class _Clause:
    text: str
    figures: tuple[_Figure, ...]


@dataclass(frozen=True)
class _Sentence:
    text: str
    clauses: tuple[_Clause, ...]

    @property
    def topic(self) -> str:
        """What the whole sentence is about: its clauses that state no figure, and its subject (read only
        for a sentence that holds a figure of an answer: the part-of-speech tagger costs most)."""
        first = next((c for c in self.clauses if c.figures), None)
        return " ".join([c.text for c in self.clauses if not c.figures] + ([_subject(first.text)] if first else []))


def unsupported_figures(
    answer: str, citations: Sequence[Citation], dates: Collection[int] = (), names: Collection[str] = (),
    glossary: Glossary | None = None,
) -> list[float]:
    """Figures in ``answer`` that no sentence of the citations their own sentence points at holds as stated
    (empty when the answer is honest). ``glossary`` carries English words over to the reports' Chinese."""
    for name in sorted(names, key=len, reverse=True):
        answer = answer.replace(name, " " * len(name))
    by_n = {c.n: c for c in citations}
    unsupported: list[float] = []
    known: set[float] = set()  # supported figures and shown results, usable as operands
    pending: list[tuple[str, list[Citation]]] = []
    for sentence in _answer_sentences(answer, by_n):
        cited = [by_n[n] for n in dict.fromkeys(int(n) for n in _MARKER.findall(sentence)) if n in by_n]
        text = fold(_MARKER.sub(lambda m: " " * len(m.group()), sentence))
        text, loose = _without_dates(text)
        held_loosely = _years_held(cited) | set(dates)
        unsupported += [v for v in loose if v not in held_loosely]
        arithmetic = list(_ARITHMETIC.finditer(text))
        if arithmetic:
            pending.append((text, cited))
            text = _blank(text, [m.span() for m in arithmetic])
        for figure, terms, shared in _stated_with_context(text, glossary):
            if cited and _held(figure, terms, shared, cited):
                known |= figure.values
            else:
                unsupported.append(figure.value)
    for text, cited in pending:  # after the figures stated: an operand may be one stated later in the answer
        unsupported += _unsupported_arithmetic(text, cited, known, glossary)
    return sorted(dict.fromkeys(unsupported))


def passage_citations(passages: Sequence[Passage]) -> list[Citation]:
    """The passages as the citations an LLM's ``[n]`` markers point at (passage n is ``[n]``): to check an
    answer still being written, before its citations are drawn."""
    return [
        Citation(n=n, report_id=p.report_id, title=p.title, year=p.year, section=p.section, text=p.text,
                 quote=p.text, start=p.start, end=p.end)
        for n, p in enumerate(passages, 1)
    ]


# --- the answer ----------------------------------------------------------------------------------------


def _answer_sentences(answer: str, by_n: dict[int, Citation]) -> Iterable[str]:
    """The answer's sentences, without quoted source lines (``> …`` copied word for word from a citation)."""
    for line in answer.splitlines():
        if _QUOTE_LINE.match(line):
            quoted = _MARKER.sub("", _QUOTE_LINE.sub("", line)).strip()
            if quoted and any(quoted in c.text for c in by_n.values()):
                continue
        line = _LIST_MARKER.sub(lambda m: " " * len(m.group()), line, count=1)
        yield from (m.group() for m in _ANSWER_SENTENCE.finditer(line) if m.group().strip())


def _without_dates(text: str) -> tuple[str, list[float]]:
    """``text`` with its dates, years and document numbers blanked out, and the numbers they hold."""
    spans = [m.span() for m in _DATES.finditer(text)]
    spans += [m.span() for m in _YEAR.finditer(_blank(text, spans)) if not _english_unit(text[m.end() :])]
    numbers = [float(n) for a, b in spans for n in re.findall(r"\d+", text[a:b])]
    return _blank(text, spans), numbers


def _stated_with_context(text: str, glossary: Glossary | None) -> list[tuple[_Figure, dict[str, str], bool]]:
    """Each figure with the content terms of its words, and whether those words are shared with figures of
    other values (a list after one lead: "legal aid — 249; 199"), so that they cannot say which is which."""
    figures = _figures_in_answer(text)
    if not figures:
        return []
    gaps = [text[a.end : b.start] for a, b in pairwise(figures)]
    groups: list[list[_Figure]] = [[figures[0]]]
    for gap, figure in zip(gaps, figures[1:]):
        if _terms(gap, glossary):
            groups.append([figure])
        else:  # nothing said between them: one list under the same words
            groups[-1].append(figure)
    everything = _terms(_blank(text, [(f.start, f.end) for f in figures]), glossary)
    stated = []
    for i, group in enumerate(groups):
        before = text[: group[0].start] if i == 0 else _second_part(text[groups[i - 1][-1].end : group[0].start])
        after = (
            text[group[-1].end :] if i == len(groups) - 1
            else _first_part(text[group[-1].end : groups[i + 1][0].start])
        )
        terms = _terms(f"{before} {after}", glossary)
        shared = any(not f.values & group[0].values for f in group) or not terms
        for figure in group:
            stated.append((figure, terms or everything, shared))
    return stated


def _first_part(gap: str) -> str:
    split = _BETWEEN.search(gap)
    return gap[: split.start()] if split else gap


def _second_part(gap: str) -> str:
    splits = list(_BETWEEN.finditer(gap))
    return gap[splits[-1].end() :] if splits else gap


def _figures_in_answer(text: str) -> list[_Figure]:
    """Figures as an answer states them: digits (with 万/亿 or thousand/million), words, Chinese numerals."""
    found: list[_Figure] = []
    for match in _ENGLISH_MAGNITUDE.finditer(text):
        value = _number(match.group(1)) * _SCALE[match.group(2).lower()]
        found.append(_Figure(value, frozenset({value}), _english_unit(text[match.end() :]), *match.span()))
    text = _blank(text, [(f.start, f.end) for f in found])
    for word in english_number_words(text):
        found.append(_Figure(word.value, frozenset({word.value}), _english_unit(text[word.end :]), word.start, word.end))
    text = _blank(text, [(f.start, f.end) for f in found])
    for figure in find_figures(text):
        if _is_date(figure):
            continue
        if figure.unit:
            units = frozenset({_unit(figure.unit)} - {""})
        else:
            units = _english_unit(text[figure.end :])
        found.append(_Figure(figure.value, _readings(figure.value, figure.unit), units, figure.start, figure.end))
    text = _blank(text, [(f.start, f.end) for f in found])
    for word in chinese_numerals(text):
        found.append(_Figure(word.value, frozenset({word.value}), frozenset(), word.start, word.end))
    return sorted(found, key=lambda f: f.start)


def _english_unit(after: str) -> frozenset[str]:
    """The unit an English figure is given in: % or percent, percentage points, or its noun (249 legal aid
    *cases*: the first unit word among the next few, before any punctuation)."""
    if _PERCENT.match(after):
        return frozenset({"%"})
    if _POINTS.match(after):
        return frozenset({"个百分点"})
    words = re.split(r"[,，.;；:：()（）\[\]\n]", after, maxsplit=1)[0].lower().split()[:4]
    for word in words:
        if word.strip("*") in _ENGLISH_UNITS:
            return _ENGLISH_UNITS[word.strip("*")]
    return frozenset()


# --- the sources ---------------------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _source_sentences(text: str) -> tuple[_Sentence, ...]:
    """A passage read once: its sentences, their clauses and the figures each clause states."""
    read = []
    text = fold(text)
    for start, end in sentences(text):
        sentence = text[start:end]
        marker = _LIST_MARKER.match(sentence)
        blanked, _ = _without_dates(_blank(sentence, [marker.span()] if marker else []))
        clauses = []
        for match in _CLAUSE.finditer(blanked):
            clause = _LIST_MARKER.sub(lambda m: " " * len(m.group()), match.group(), count=1)  # 有:1.云冈…
            figures = tuple(
                _Figure(f.value, _readings(f.value, f.unit), frozenset({_unit(f.unit)} - {""}), f.start, f.end)
                for f in find_figures(clause) if not _is_date(f)
            )
            clauses.append(_Clause(sentence[match.start() : match.end()], figures))
        read.append(_Sentence(sentence, tuple(clauses)))
    return tuple(read)


@lru_cache(maxsize=4096)
def _subject(clause: str) -> str:
    """The nouns opening a sentence's first figure clause: its subject, which the clauses after it leave unsaid
    (区公共法律服务中心全年共受理…249件,…提供法律咨询358件: the centre gave the consultations)."""
    init_jieba()
    import jieba.posseg

    words = []
    for pair in jieba.posseg.lcut(clause):
        if not pair.flag.startswith(("n", "b", "r")):
            break
        words.append(pair.word)
    return "".join(words)


def _held(figure: _Figure, terms: Mapping[str, str], shared: bool, cited: list[Citation]) -> bool:
    """Whether a cited sentence states ``figure`` in its unit, counting what the answer's words say it counts."""
    relevant = {t for t in terms if any(t in c.text for c in cited)}  # words foreign to the sources say nothing
    for citation in cited:
        for sentence in _source_sentences(citation.text):
            holding = [c for c in sentence.clauses if any(_same_figure(figure, f) for f in c.figures)]
            if not holding:
                continue
            named = {t for t in relevant if t in sentence.text}
            if not relevant or (named and shared):
                return True
            topic = sentence.topic
            specific = {t for t in named if t not in topic}
            if named == relevant and not specific:  # it names only what the whole sentence is about
                return True
            rivals = [c for c in sentence.clauses if c.figures and c not in holding]
            for clause in holding:
                own = _concepts(terms, named, clause.text)
                # Its own clause names the thing, and no other figure's clause names more of it that this
                # one leaves out (what the sentence as a whole is about is no one figure's).
                if own and all(
                    len(_concepts(terms, specific, r.text) - own) <= len(own - _concepts(terms, named, r.text))
                    for r in rivals
                ):
                    return True
    return False


def _concepts(terms: Mapping[str, str], among: Collection[str], text: str) -> set[str]:
    """The answer's concepts ``text`` names (法律援助案件 and 援助案件 are one: legal aid cases)."""
    return {terms[t] for t in among if t in text}


def _same_figure(stated: _Figure, source: _Figure) -> bool:
    values = any(math.isclose(a, b, rel_tol=1e-9) for a in stated.values for b in source.values)
    units = not stated.units or not source.units or bool(stated.units & source.units)
    return values and units


# --- arithmetic ----------------------------------------------------------------------------------------


def _unsupported_arithmetic(
    text: str, cited: list[Citation], known: set[float], glossary: Glossary | None
) -> list[float]:
    """Operands and results of the arithmetic in ``text``: an operand must be a supported figure of the
    answer (or stand as a figure in a cited sentence), the result must be right, and the words around
    must say what is computed."""
    words = _blank(text, [m.span() for m in _ARITHMETIC.finditer(text)])
    terms = _terms(words, glossary)
    says_what = bool(_SAYS_WHAT.search(words) or terms)

    def supported(x: float) -> bool:  # stated and held, or shown before, or held where the words point
        return any(math.isclose(x, k, rel_tol=1e-9) for k in known) or bool(cited) and _held(
            _Figure(x, frozenset({x}), frozenset(), 0, 0), terms, True, cited
        )

    unsupported: list[float] = []
    for match in _ARITHMETIC.finditer(text):
        steps = _STEP.findall(match.group(2))
        operands = [_number(match.group(1))] + [_number(n) for _, n in steps]
        value: float | None = operands[0]
        for (op, _), operand in zip(steps, operands[1:]):
            value = _OPS[op](value, operand) if value is not None else None
        result = _number(match.group(4))
        divides = any(op in "÷/" for op, _ in steps)
        tolerance = 0.01 * max(1.0, abs(result)) if divides else 0.006  # a quotient is rounded; a sum is exact
        missing = [x for x in operands if not supported(x)]
        unsupported += missing
        if missing or value is None or abs(value - result) >= tolerance or not says_what:
            unsupported.append(result)
        else:
            known.add(result)
    return unsupported


# --- words ---------------------------------------------------------------------------------------------


def _terms(text: str, glossary: Glossary | None) -> dict[str, str]:
    """Content terms of ``text`` in the reports' Chinese, each with the concept it renders: jieba words of its
    Chinese (each its own), and the glossary's renderings of its English, with those of its words ("legal aid
    cases" → 法律援助案件, 援助案件, and 案件 for "cases": one concept)."""
    terms: dict[str, str] = {}
    runs = _CJK_RUN.findall(text)
    if runs:
        init_jieba()
        import jieba

        terms.update((w, w) for run in runs for w in jieba.lcut(run))
    if glossary is not None and re.search(r"[A-Za-z]{2}", text):
        from assistant.glossary import english_words

        found, _ = glossary.translate(english_words(text))
        for term in found:
            terms.setdefault(term.zh, term.en)
    return {t: k for t, k in terms.items() if len(t) > 1 and _CJK_RUN.fullmatch(t) and t not in _GENERIC}


def _years_held(cited: list[Citation]) -> set[float]:
    held: set[float] = set()
    for citation in cited:
        held |= held_numbers(citation.text) | held_numbers(citation.title)
        if citation.year is not None:
            held.add(float(citation.year))
    return held


def _is_date(figure: Figure) -> bool:
    """2025年, 3月, 19日 are dates; 连续5年 counts years."""
    return figure.unit in ("月", "日") or (figure.unit == "年" and figure.value >= 1000)


def _readings(value: float, unit: str) -> frozenset[float]:
    """2.4万 reads as 2.4 and as 24000 (as English writes it); 249件 only as 249."""
    scale = _SCALE.get(unit[:1], 1.0)
    return frozenset({value, round(value * scale, 6)})


def _unit(unit: str) -> str:
    """The unit without its magnitude or 余 (万元 → 元, 余人 → 人), and its synonyms as one (起 → 件)."""
    bare = unit.lstrip("万亿").lstrip("余") or unit
    bare = "" if bare in ("万", "亿") else bare
    return _SAME_UNIT.get(bare, bare)


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _blank(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with ``spans`` overwritten by spaces: positions stay where they were."""
    chars = list(text)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)
