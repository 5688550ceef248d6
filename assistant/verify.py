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
  the glossary: "legal aid cases" meets 法律援助案件), and fit no other figure
  of that sentence better (its clause names more of them, or the same while
  adding qualifiers the answer leaves out: 刑事…普通程序案件147件 is not
  "受理法律援助案件147件" beside 受理法律援助案件249件).

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
from typing import TYPE_CHECKING, NamedTuple

from assistant.cite import sentences
from assistant.number_words import chinese_numerals, english_number_words
from assistant.query import NOT_CONTENT
from assistant.tables import column_headings, table_cells
from assistant.types import Citation, Passage
from index.figures import CHINESE_NUMERALS, UNITS, Figure, find_figures, fold, held_numbers
from index.lexical import init_jieba

if TYPE_CHECKING:
    from assistant.glossary import Dictionary, Glossary

__all__ = ["passage_citations", "unsupported_figures", "warm_up"]

_NUM = r"(\d+(?:,\d{3})*(?:\.\d+)?)"
_OP = r"[-−–—+×x*÷/]"
_OPS = {
    "-": lambda a, b: a - b, "−": lambda a, b: a - b, "–": lambda a, b: a - b, "—": lambda a, b: a - b,
    "+": lambda a, b: a + b,
    "×": lambda a, b: a * b, "x": lambda a, b: a * b, "*": lambda a, b: a * b,
    "÷": lambda a, b: a / b if b else None, "/": lambda a, b: a / b if b else None,
}
_MARKER = re.compile(r"\[(\d+)\]")
# An answer's sentences: ended by 。！？!? or a line break, or ". " in English; the markers right after the end
# (…249件。[1]) belong to it. A semicolon does not end one: "249 (249件); 199 (199件): [1]" cites both.
_ANSWER_SENTENCE = re.compile(r"(?:[^。！？!?\n.]|\.(?!\s|$))+(?:[。！？!?.]+|$)(?:[ \t]*\[\d+\])*|\n")
_QUOTE_LINE = re.compile(r"^\s*>\s?")
_CJK_TEXT = re.compile(r"[\u4e00-\u9fff]")
_COPIED_CHARACTERS = 6  # Chinese characters a copied sentence needs besides its figures: 受理案件 alone says little
# Dates and document numbers: numbers that count nothing.
_DATES = re.compile(
    r"\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}日?|\d{4}年\d{1,2}月|\d{1,2}月\d{1,2}日|\d{1,2}月份?"
    r"|(?<!\d)\d{1,2}(?::\d{2}(?!\d)|时\d{1,2}分?)|[〔\[(（【]\d{4}[〕\])）】]\s*\d+\s*号|第\s*\d+\s*号|\bNo\.\s*\d+"
)
_COUNT_UNIT = "|".join(re.escape(u) for u in UNITS if u not in ("年", "月", "日", "届"))
_YEAR = re.compile(rf"(?<![\d.,])(19\d{{2}}|20\d{{2}}|2100)(?![\d%])(?!\s*(?:余|多|{_COUNT_UNIT}))")  # 1991名 counts
# Arithmetic shown: 249 − 199 = 50, 249件-199件=50件, 75 ÷ 84 ≈ 89.3%, or the result first: 50件(249-199).
_UNIT_AFTER = r"(?:\s*[万亿]?(?:" + _COUNT_UNIT + "))?"
_ARITHMETIC = re.compile(
    rf"(?P<first>{_NUM}){_UNIT_AFTER}(?P<steps>(?:\s*{_OP}\s*{_NUM}{_UNIT_AFTER})+)\s*(?P<sign>=|≈|≒)\s*"
    rf"(?P<result>{_NUM})(?P<percent>\s*%)?"
    # the result first: 15件(其中3件+12件), 15 applications in total (3 + 12)
    rf"|(?P<result_>{_NUM})(?P<percent_>\s*%)?{_UNIT_AFTER}(?:\s+[A-Za-z][A-Za-z-]*){{0,4}}\s*[(（]"
    rf"\s*(?:[\u4e00-\u9fff]{{1,4}}\s*)?(?P<first_>{_NUM}){_UNIT_AFTER}"
    rf"(?P<steps_>(?:\s*{_OP}\s*{_NUM}{_UNIT_AFTER})+)\s*[)）]"
)
_STEP = re.compile(rf"\s*({_OP})\s*{_NUM}{_UNIT_AFTER}")
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
    r"share|increase|decrease|rise|rose|grew|grow|fell|fall|drop|change|combined|gap|times|exceed|outnumber|plus|minus",
    re.IGNORECASE,
)
_GENERIC = NOT_CONTENT | frozenset(
    "全年 共计 累计 总计 一共 全区 我区 本区 全县 全市 本年度 年度 其中 分别 达到 报告 显示 数据 数字 根据 提到 指出 "
    "表示 方面 相关 有关 主要 以及 进行 开展 没有 各类 其他 一是 二是".split()
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2}")


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
    glossary: Glossary | None = None, dictionary: Dictionary | None = None,
) -> list[float]:
    """Figures in ``answer`` that no sentence of the citations their own sentence points at holds as stated
    (empty when the answer is honest). ``glossary`` carries English words over to the reports' Chinese,
    ``dictionary`` (CC-CEDICT) those it lacks."""
    lexicon = _Lexicon(glossary, dictionary) if glossary is not None else None
    for name in sorted(names, key=len, reverse=True):
        answer = answer.replace(name, " " * len(name))
    by_n = {c.n: c for c in citations}
    unsupported: list[float] = []
    known: set[float] = set()  # supported figures and shown results, usable as operands
    pending: list[tuple[str, list[Citation], list[_Figure]]] = []
    for sentence in _answer_sentences(answer, by_n):
        cited = [by_n[n] for n in dict.fromkeys(int(n) for n in _MARKER.findall(sentence)) if n in by_n]
        text = fold(_MARKER.sub(lambda m: " " * len(m.group()), sentence))
        if _copied(sentence, cited):
            known |= {v for f in _figures_in_answer(text) for v in f.values}
            continue
        text, loose = _without_dates(text)
        held_loosely = _years_held(cited) | set(dates)
        unsupported += [v for v in loose if v not in held_loosely]
        arithmetic = list(_ARITHMETIC.finditer(text))
        stated = _stated_with_context(_blank(text, [m.span() for m in arithmetic]), lexicon)
        unheld = []
        for figure, terms, shared in stated:
            if cited and _held(figure, terms, shared, cited):
                known |= figure.values
            else:
                unheld.append(figure)
        if arithmetic:
            pending.append((text, cited, unheld))
        else:
            unsupported += [f.value for f in unheld]
    for text, cited, unheld in pending:  # after the figures stated: an operand may be one stated later
        before = set(known)
        unsupported += _unsupported_arithmetic(text, cited, known, lexicon)
        # A result worked out in a sentence may be stated again in it ("…by 50", "add up to 607 (…)").
        unsupported += [f.value for f in unheld if not f.values & (known - before)]
    return sorted(dict.fromkeys(unsupported))


def passage_citations(passages: Sequence[Passage]) -> list[Citation]:
    """The passages as the citations an LLM's ``[n]`` markers point at (passage n is ``[n]``): to check an
    answer still being written, before its citations are drawn."""
    return [
        Citation(n=n, report_id=p.report_id, title=p.title, year=p.year, section=p.section, text=p.text,
                 quote=p.text, start=p.start, end=p.end)
        for n, p in enumerate(passages, 1)
    ]


def warm_up() -> None:
    """Load the part-of-speech tagger, which a first answer's figures would otherwise wait for (about 250 ms)."""
    _subject("中心受理案件249件")


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


def _copied(sentence: str, cited: list[Citation]) -> bool:
    """A sentence copied word for word from the passage it cites (其中**42件**予以公开 [1]) states each figure
    with the source's own words: held as stated. Long enough to carry those words."""
    words = _MARKER.sub("", sentence).replace("**", "").strip().rstrip("。;；,，:：").strip()
    characters = [ch for ch in _CJK_TEXT.findall(words) if ch not in CHINESE_NUMERALS]
    return len(characters) >= _COPIED_CHARACTERS and any(words in c.text for c in cited)


def _without_dates(text: str) -> tuple[str, list[float]]:
    """``text`` with its dates, years and document numbers blanked out, and the numbers they hold."""
    spans = [m.span() for m in _DATES.finditer(text)]
    spans += [m.span() for m in _YEAR.finditer(_blank(text, spans)) if not _english_unit(text[m.end() :])]
    numbers = [float(n) for a, b in spans for n in re.findall(r"\d+", text[a:b])]
    return _blank(text, spans), numbers


def _stated_with_context(text: str, lexicon: _Lexicon | None) -> list[tuple[_Figure, dict[str, str], bool]]:
    """Each figure with the content terms of its words, and whether those words are shared with figures of
    other values (a list after one lead: "legal aid — 249; 199"), so that they cannot say which is which."""
    figures = _figures_in_answer(text)
    if not figures:
        return []
    gaps = [text[a.end : b.start] for a, b in pairwise(figures)]
    groups: list[list[_Figure]] = [[figures[0]]]
    for gap, figure in zip(gaps, figures[1:]):
        if _terms(gap, lexicon):
            groups.append([figure])
        else:  # nothing said between them: one list under the same words
            groups[-1].append(figure)
    everything = _terms(_blank(text, [(f.start, f.end) for f in figures]), lexicon)
    stated = []
    for i, group in enumerate(groups):
        before = text[: group[0].start] if i == 0 else _second_part(text[groups[i - 1][-1].end : group[0].start])
        after = (
            text[group[-1].end :] if i == len(groups) - 1
            else _first_part(text[group[-1].end : groups[i + 1][0].start])
        )
        terms = _terms(f"{before} {after}", lexicon)
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
    heading: list[tuple[int, int]] = []
    for start, end in sentences(text):
        sentence = text[start:end]
        cells = table_cells(text, start, end)
        row = _table_row(text, cells, heading)
        if row is not None:
            read.append(row)
            continue
        heading = cells  # a row of words heads the columns below it; prose ends a table
        marker = _LIST_MARKER.match(sentence)
        blanked, _ = _without_dates(_blank(sentence, [marker.span()] if marker else []))
        clauses = []
        for match in _CLAUSE.finditer(blanked):
            clause = _LIST_MARKER.sub(lambda m: " " * len(m.group()), match.group(), count=1)  # 有:1.云冈…
            figures = tuple(
                _Figure(f.value, _readings(f.value, f.unit), frozenset({_unit(f.unit)} - {""}), f.start, f.end)
                for f in find_figures(clause) if not _is_date(f)
            )
            words = sentence[match.start() : match.end()]
            bare = not _CJK_WORD.search(_blank(clause, [(f.start, f.end) for f in figures]))
            if bare and clauses and blanked[match.start() - 1] == "、":  # 分别增长4.8%、7.2%: the list's words
                words = f"{clauses[-1].text}、{words}"
            clauses.append(_Clause(words, figures))
        read.append(_Sentence(sentence, tuple(clauses)))
    return tuple(read)


def _table_row(text: str, cells: list[tuple[int, int]], heading: list[tuple[int, int]]) -> _Sentence | None:
    """A table row of figures read cell by cell: each figure's words are its row's label and its column's
    heading (数量 举报投诉处理 75件); None for prose or a row of words."""
    clauses = []
    for cell, column in list(zip(cells, column_headings(heading, cells)))[1:]:
        words = f"{text[slice(*cells[0])]} {text[slice(*column)]} "
        figures = tuple(
            _Figure(f.value, _readings(f.value, f.unit), frozenset({_unit(f.unit)} - {""}), len(words) + f.start, len(words) + f.end)
            for f in find_figures(text[slice(*cell)]) if not _is_date(f)
        )
        if figures:
            clauses.append(_Clause(words + text[slice(*cell)], figures))
    if not clauses:
        return None
    row = text[cells[0][0] : cells[-1][1]]
    return _Sentence(" ".join([row, *(text[slice(*h)] for h in heading)]), tuple(clauses))


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
            # Other figures of its kind: a rate is no rival of a count.
            rivals = [c for c in sentence.clauses if c not in holding and any(_same_unit(figure, f) for f in c.figures)]
            said_whole = named == set(terms)  # every word of the answer's is in the sentence
            fits, before = {}, ""
            for clause in sentence.clauses:  # 已办结75件 is said of the 行政复议案件 of the figure before it
                fits[id(clause)] = _Fit.of(clause, terms, named, f"{topic} {before}")
                before = clause.text if clause.figures else before
            for clause in holding:
                fit = fits[id(clause)]
                if fit.context and not any(fits[id(r)].beats(fit, said_whole) for r in rivals):
                    return True
    return False


@dataclass(frozen=True)
class _Fit:
    """How well the answer's words describe one figure's clause: the concepts its own words name, those with
    its context, and the qualifiers it adds that neither the answer nor its context says."""

    own: frozenset[str]
    context: frozenset[str]
    unsaid: int

    @classmethod
    def of(cls, clause: _Clause, terms: Mapping[str, str], named: Collection[str], context: str) -> _Fit:
        """``context``: what the sentence is about, and the clause of the figure before this one."""
        own = frozenset(_concepts(terms, named, clause.text))
        unsaid = sum(
            1 for word in _terms(clause.text, None)
            if word not in context and not any(t in word or word in t for t in terms)
        )
        return cls(own, own | _concepts(terms, named, context), unsaid)

    def beats(self, other: _Fit, said_whole: bool) -> bool:
        """The answer's words fit this clause at least as well, and better: its clause names more of them (84
        received is not what "84 concluded" says beside 已办结75件), or, when the sentence holds all of them,
        names them while adding nothing they leave unsaid ("受理法律援助案件147件" says 受理法律援助案件249件,
        not 刑事…普通程序案件147件)."""
        if not self.context >= other.context:
            return False
        return self.context > other.context or (
            self.own >= other.own and (self.own > other.own or said_whole and self.unsaid == 0 < other.unsaid)
        )


def _concepts(terms: Mapping[str, str], among: Collection[str], text: str) -> set[str]:
    """The answer's concepts ``text`` names (法律援助案件 and 援助案件 are one: legal aid cases)."""
    return {terms[t] for t in among if t in text}


def _same_figure(stated: _Figure, source: _Figure) -> bool:
    values = any(math.isclose(a, b, rel_tol=1e-9) for a in stated.values for b in source.values)
    return values and _same_unit(stated, source)


def _same_unit(stated: _Figure, source: _Figure) -> bool:
    return not stated.units or not source.units or bool(stated.units & source.units)


# --- arithmetic ----------------------------------------------------------------------------------------


def _unsupported_arithmetic(
    text: str, cited: list[Citation], known: set[float], lexicon: _Lexicon | None
) -> list[float]:
    """Operands and results of the arithmetic in ``text``: an operand must be a supported figure of the
    answer (or stand as a figure in a cited sentence), the result must be right, and the words around
    must say what is computed."""
    words = _blank(text, [m.span() for m in _ARITHMETIC.finditer(text)])
    terms = _terms(words, lexicon)
    says_what = bool(_SAYS_WHAT.search(re.sub(_NUM, " ", text)) or terms)  # "11 leads in total (7 + 4)"

    def supported(x: float) -> bool:  # stated and held, or shown before, or held where the words point
        return any(math.isclose(x, k, rel_tol=1e-9) for k in known) or bool(cited) and _held(
            _Figure(x, frozenset({x}), frozenset(), 0, 0), terms, True, cited
        )

    unsupported: list[float] = []
    for match in _ARITHMETIC.finditer(text):
        parts = {k.rstrip("_"): v for k, v in match.groupdict().items() if v is not None}
        first, steps_text, result_text = parts["first"], parts["steps"], parts["result"]
        sign, percent = parts.get("sign", "="), "percent" in parts
        steps = _STEP.findall(steps_text)
        operands = [_number(first)] + [_number(n) for _, n in steps]
        value: float | None = operands[0]
        for (op, _), operand in zip(steps, operands[1:]):
            value = _OPS[op](value, operand) if value is not None else None
        result = _number(result_text)
        missing = [x for x in operands if not supported(x)]
        unsupported += missing
        right = value is not None and _equals(value, result_text, sign, steps_text, percent)
        if missing or not right or not says_what:
            unsupported.append(result)
        else:
            known.add(result)
    return unsupported


def _equals(value: float, result_text: str, sign: str, steps: str, percent: bool) -> bool:
    """The arithmetic is right: exactly for a sum or difference, to the digits shown for a quotient or an
    approximation (≈); a quotient shown as a percentage (75 ÷ 84 ≈ 89.3%) may be one."""
    result = _number(result_text)
    divides = any(op in steps for op in "÷/")
    if sign == "=" and not divides:
        return abs(value - result) < 0.006
    decimals = len(result_text.split(".")[1]) if "." in result_text else 0
    tolerance = max(0.5 * 10**-decimals, 0.005 * abs(result)) + 1e-9
    readings = (value, value * 100) if percent and divides else (value,)
    return any(abs(v - result) <= tolerance for v in readings)


# --- words ---------------------------------------------------------------------------------------------


class _Lexicon(NamedTuple):
    glossary: Glossary
    dictionary: Dictionary | None


def _terms(text: str, lexicon: _Lexicon | None) -> dict[str, str]:
    """Content terms of ``text`` in the reports' Chinese, each with the concept it renders: jieba words of its
    Chinese (each its own), and the glossary's renderings of its English, with those of its words ("legal aid
    cases" → 法律援助案件, 援助案件, and 案件 for "cases": one concept); CC-CEDICT's for words it lacks."""
    terms: dict[str, str] = {}
    runs = _CJK_RUN.findall(text)
    if runs:
        init_jieba()
        import jieba

        terms.update((w, w) for run in runs for w in jieba.lcut(run))
    if lexicon is not None and re.search(r"[A-Za-z]{2}", text):
        from assistant.glossary import english_words

        found, leftover = lexicon.glossary.translate(english_words(text))
        for term in found:
            terms.setdefault(term.zh, term.en)
        for _, word in leftover if lexicon.dictionary is not None else ():
            for zh in lexicon.dictionary.lookup(word) if len(word) > 2 and not word.isdigit() else ():
                terms.setdefault(zh, word)
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
