"""Compare, rank, total and trend questions, answered from the figures table instead of top-k passages.

"Which district had the most legal aid cases?", "how did reconsideration cases
change from 2023 to 2025?", "合计多少" span many reports: retrieval of five
passages cannot see them all, the table can. An answer cites every figure it
uses to its sentence, shows its arithmetic (``316 − 249 = 67``,
``249 + 316 = 565``) so the verifier can check it, and names the reports in
scope that lack the indicator. Questions about one report are left to the
passage answerers. A list question ("列出所有法律援助相关的数字") gets every
indicator on its topic, grouped; a rank or compare question that only one report
in scope can answer says so instead of ranking one figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from assistant.figure_table import FigureTable, dominant_unit, format_value, place_name, shown
from assistant.glossary import STOPWORDS, Term, english_words, singular_forms
from assistant.places import english_name
from assistant.query import QueryPlan, TableQuestion
from assistant.retrieve import Filters
from assistant.types import Citation, Draft, FigureRow, Language
from index.catalog import ReportRecord
from index.indicators import canonical_indicator

__all__ = ["TableAnswer", "TableAnswerer"]

# A total over many reports says so (所有, 各地区, across all); "一共受理了多少件" alone asks about one report.
_MANY = re.compile(r"所有|全部|各(?:地区|区县|区|县|市|报告|年)|这些|\b(?:all|every|each|across)\b", re.I)
# Words that say which table question is asked, or of whom — not which indicator: left out when matching one.
_FRAMING_EN = frozenset(
    "rank ranking ranked order government governments lowest highest most least fewest first last top total sum "
    "compare compared comparison versus difference trend change changed year years over across all each every "
    "report reports district county city region place area which list export figure figures number numbers "
    "related them".split()
)
_FRAMING_ZH = frozenset(
    "地区 地方 政府 人民政府 排名 排行 排序 最多 最少 最高 最低 合计 总计 总数 比较 对比 相比 变化 趋势 走势 历年 逐年 "
    "所有 全部 各 哪个 哪些 列出 列举 导出 数字 数据 相关 这些 那些 它们".split()
)
_MIN_SCORE = 0.5  # below this share of the question's words, no indicator is what was asked
_LIST_CAP = 12  # figures a list answer shows; the rest are in the Figures tab and the CLI
_PER_INDICATOR = 6  # so that a widely reported indicator leaves room for the topic's others
_NAMES_CAP = 8  # reports a list answer names as lacking the topic
# A numbered item that opens its sentence (4.持续开展法律援助工作,…): a heading written inline.
_INLINE_HEADING = re.compile(r"^\s*[0-9０-９]+[.．、]\s*([^,，:：。;；]{2,24})[,，:：]")


@dataclass
class TableAnswer:
    draft: Draft
    figures: list[FigureRow]
    years: set[int]  # years the answer names: dates, not figures
    places: set[str]  # places the answer names (五台县): names, not figures
    notes: list[str] = field(default_factory=list)  # about the answer, not from the reports: how many are shown


class TableAnswerer:
    def __init__(self, table: FigureTable) -> None:
        self.table = table

    def answer(self, plan: QueryPlan, filters: Filters | None = None) -> TableAnswer | None:
        """The answer from the table, or None when the question is not one for the table."""
        question = plan.across
        if question is None:
            return None
        scope = self._scope(plan, question, filters or Filters())
        places = {place_name(r) for r in scope}
        years = {r.year for r in scope}
        if len(scope) < 2 or (question.kind == "trend" and len(years) < 2):
            return None  # one report: the passage answerers take it
        named_many = len(plan.places) > 1 or len(question.years) > 1
        if question.kind == "list":
            return self._list(plan, scope)
        if question.kind == "compare" and not named_many:
            return None  # two things of one report (法律援助案件和法律帮助哪个多): the passage answerers' question
        if question.kind == "total" and not (named_many or _MANY.search(plan.question)):
            return None
        rows = self.table.rows(report_ids=[r.report_id for r in scope])
        chosen = _resolve(plan, rows)
        if chosen is None:
            return None
        unit = dominant_unit(chosen)
        first = _first_per_report([r for r in chosen if r.unit == unit])
        # Reports that give it only in another unit (1.2亿元 beside 万元) are shown, cited, not compared.
        other_units = [r for r in _first_per_report(chosen) if r.report_id not in {f.report_id for f in first}]
        held = {f.report_id for f in first + other_units}
        lacking = [r for r in scope if r.report_id not in held]
        if len(held) == 1 and question.kind in ("rank", "compare"):
            only = (first + other_units)[0]
            draft = _only_one(plan.language, only, lacking, len(places) > 1, len(years) > 1)
            return TableAnswer(draft, [only], {r.year for r in scope if r.year}, places)
        if len(first) < 2:
            return None
        figures = _ordered(question, first)
        draft = _compose(plan.language, question, figures, other_units, lacking, len(places) > 1)
        return TableAnswer(draft, figures, {r.year for r in scope if r.year}, places)

    def _list(self, plan: QueryPlan, scope: list[ReportRecord]) -> TableAnswer | None:
        """Every figure on the question's topic in the reports in scope, grouped by indicator."""
        topic = _topic(plan)
        if topic is None:
            return None
        rows = [r for r in self.table.rows(report_ids=[r.report_id for r in scope]) if _on_topic(r, topic.zh)]
        if not rows:
            return None
        places = {place_name(r) for r in scope}
        shown_rows = [row for group in _grouped(rows, topic.zh) for row in group[:_PER_INDICATOR]][:_LIST_CAP]
        lacking = sorted((r for r in scope if r.report_id not in {row.report_id for row in rows}),
                         key=lambda r: (place_name(r), r.year or 0))
        draft = _compose_list(plan.language, topic, shown_rows, len(rows) > len(shown_rows), lacking,
                              len(places) > 1, len({r.year for r in scope}) > 1)
        total, listed = len(rows), len(shown_rows)
        counted = [f"共 {total} 项数字,此处列出 {listed} 项 / {total} figures in all, {listed} shown here."]
        return TableAnswer(draft, shown_rows, {r.year for r in scope if r.year}, places,
                           counted if total > listed else [])

    def _scope(self, plan: QueryPlan, question: TableQuestion, filters: Filters) -> list[ReportRecord]:
        reports = self.table.reader.reports()
        if plan.places:
            # A place's own reports, not those of districts within it (大同市, not 大同市云冈区).
            own = [r for r in reports if place_name(r) in plan.places]
            named = set().union(*plan.places.values())
            reports = own or [r for r in reports if r.report_id in named]
        if question.years:
            reports = [r for r in reports if r.year in question.years]
        if filters.report_ids:
            reports = [r for r in reports if r.report_id in filters.report_ids]
        if filters.year:
            reports = [r for r in reports if r.year == filters.year]
        return reports


def _resolve(plan: QueryPlan, rows: list[FigureRow]) -> list[FigureRow] | None:
    """The rows of the indicator the question asks about: the one whose words cover most of the question."""
    by_key: dict[str, list[FigureRow]] = {}
    for row in rows:
        by_key.setdefault(row.canonical, []).append(row)
    asked = canonical_indicator(re.sub(r"[的“”\"']", "", plan.question))
    plan = replace(plan, terms=[t for t in plan.terms if not _framing(t)])
    percent = "percent" in plan.kinds

    def score(key: str) -> tuple[float, int, int]:
        group = by_key[key]
        words = " ".join({key, *(r.indicator for r in group)})
        covered = plan.coverage(words)
        if plan.language == "zh":
            # The longest run of the key the question holds: 化解矛盾纠纷 beats 矛盾纠纷 for 化解的矛盾纠纷;
            # what the key says beyond the question counts a little against it.
            shared = max(_common_run(asked, k) for k in {key, *(canonical_indicator(r.indicator) for r in group)})
            covered += shared / 4 - 0.05 * (len(key) - shared) if shared >= 2 else 0.0
        if plan.language == "en" and group[0].indicator_en:
            named = set(english_words(group[0].indicator_en))
            asked_en = {form for word in english_words(plan.question) for form in singular_forms(word)}
            covered += 0.5 * len(named & asked_en) / len(named)
        if percent != (dominant_unit(group) == "%"):
            covered -= 0.5
        return covered, len({r.report_id for r in group}), -len(key)

    if not by_key:
        return None
    best = max(by_key, key=score)
    return by_key[best] if score(best)[0] >= _MIN_SCORE else None


def _topic(plan: QueryPlan) -> Term | None:
    """What a list question is about (法律援助 in 列出所有法律援助相关的数字): its strongest non-framing term."""
    terms = [t for t in plan.terms if t.source != "scope" and len(t.zh) > 1 and not _framing(t)]  # not 把
    return max(terms, key=lambda t: (t.weight, len(t.zh)), default=None)


def _on_topic(row: FigureRow, topic: str) -> bool:
    """Whether a figure is on ``topic``: its indicator's own words name it (受理法律援助案件), or the heading
    it stands directly under does — the innermost section, or a numbered item opening its sentence
    (4.持续开展法律援助工作,…值班律师提供法律帮助199件).

    Outer sections are not enough: 积极有效化解社会矛盾纠纷 holds legal aid, mediation and petitions alike.
    Nor is sharing a sentence: one sentence often lists figures of several kinds.
    """
    if topic in row.indicator or topic in row.canonical:
        return True
    inline = _INLINE_HEADING.match(row.quote)
    return topic in row.section.rsplit("›", 1)[-1] or bool(inline and topic in inline.group(1))


def _grouped(rows: list[FigureRow], topic: str) -> list[list[FigureRow]]:
    """Rows by indicator: those named by the topic first, then the most widely reported, each by place and year."""
    groups: dict[str, dict[str, FigureRow]] = {}
    for row in rows:
        groups.setdefault(row.canonical, {}).setdefault(row.figure_id, row)
    ordered = sorted(groups.items(), key=lambda kv: (
        topic not in kv[0], -len({r.report_id for r in kv[1].values()}), kv[0]))
    return [sorted(g.values(), key=lambda r: (r.place, r.year or 0, r.start)) for _, g in ordered]


def _framing(term: Term) -> bool:
    """A term that only frames the question (排名, "over the years", "which government")."""
    words = term.en.split()
    return term.zh in _FRAMING_ZH or bool(words) and all(w in _FRAMING_EN or w in STOPWORDS for w in words)


def _common_run(a: str, b: str) -> int:
    """Length of the longest substring ``a`` and ``b`` share."""
    best = 0
    for i in range(len(b)):
        for j in range(i + best + 1, len(b) + 1):
            if b[i:j] not in a:
                break
            best = j - i
    return best


def _first_per_report(rows: list[FigureRow]) -> list[FigureRow]:
    seen: dict[str, FigureRow] = {}
    for row in rows:
        seen.setdefault(row.report_id, row)
    return list(seen.values())


def _ordered(question: TableQuestion, rows: list[FigureRow]) -> list[FigureRow]:
    if question.kind in ("rank", "compare"):
        return sorted(rows, key=lambda r: (r.value if question.fewest_first else -r.value, r.place))
    return sorted(rows, key=lambda r: (r.place, r.year or 0))


def _label(row: FigureRow, language: Language, with_place: bool, with_year: bool) -> str:
    return _named(row.place, row.year, row.title, language, with_place, with_year)


def _named(place: str, year: int | None, title: str, language: Language, with_place: bool, with_year: bool) -> str:
    """云冈区 2025年; in English Yungang District 2025."""
    when = (f"{year}年" if language == "zh" else str(year)) if with_year and year else ""
    where = (place if language == "zh" else english_name(place)) if with_place else ""
    return " ".join(p for p in (where, when) if p) or title


def _compose(
    language: Language, question: TableQuestion, rows: list[FigureRow], other_units: list[FigureRow],
    lacking: list[ReportRecord], many_places: bool,
) -> Draft:
    """The answer text: the indicator, one cited line per figure, the arithmetic, then figures in other units
    and the reports lacking the indicator."""
    many_years = len({r.year for r in rows + other_units} | {r.year for r in lacking}) > 1
    with_place = many_places or question.kind != "trend"
    with_year = many_years or question.kind == "trend"
    zh = language == "zh"
    name = _indicator_name(rows[0], language)
    lines = [_heading(language, question, name, rows, with_place)]
    for n, row in enumerate(rows, 1):
        lines.append(f"- {_label(row, language, with_place, with_year)}{':' if zh else ': '}{shown(row)} [{n}]")
    lines += _arithmetic(language, question, rows, with_place, many_years)
    if other_units:
        listed = "、".join(
            f"{_label(row, language, with_place, with_year)} {shown(row)} [{n}]"
            for n, row in enumerate(other_units, len(rows) + 1)
        )
        lines.append(f"\n单位不同,未计入:{listed}。" if zh else f"\nIn other units, left out of the comparison: {listed}.")
    if lacking:
        names = "、".join(_label_report(r, with_place, with_year, language) for r in lacking)
        lines.append(f"\n没有这一数字的报告:{names}。" if zh else f"\nNo such figure in the reports of: {names}.")
    if any(r.qualifier for r in rows):
        lines.append("(含约数,按报告所写的数字计算)" if zh else "(Some figures are approximate; computed as written.)")
    citations = [_citation(n, row) for n, row in enumerate(rows + other_units, 1)]
    return Draft(answer="\n".join(lines), found=True, citations=citations)


def _compose_list(
    language: Language, topic: Term, rows: list[FigureRow], more: bool, lacking: list[ReportRecord],
    many_places: bool, many_years: bool,
) -> Draft:
    """One lead per indicator (in English from the glossary name, the Chinese key beside it), a cited line per
    figure, then where to find the rest (``more``: some are not shown) and the reports with none on the topic.

    Past the cap the rest are pointed to; how many there are is a note beside the answer, since the verifier
    holds every number in an answer to a cited sentence, and a count of unshown rows stands in none.
    """
    zh = language == "zh"
    subject = topic.zh if zh or not topic.en else f"{topic.en} ({topic.zh})"
    lines = [f"{subject}相关的数字,按指标列出:" if zh else f"Figures on {subject}, by indicator:"]
    for n, row in enumerate(rows, 1):
        if n == 1 or row.canonical != rows[n - 2].canonical:
            lines.append(_indicator_name(row, language) + ":")
        label = _label(row, language, many_places, many_years)
        lines.append(f"- {label}{':' if zh else ': '}{shown(row)} [{n}]")
    command = f"`reportchat figures --indicator {topic.zh} --xlsx figures.xlsx`"
    if zh:
        lines.append(f"\n{'此处未全部列出。' if more else ''}按指标筛选见「数字」页,或导出:{command}")
    else:
        lines.append(f"\n{'Not all are shown here. ' if more else ''}Filter by indicator in the Figures tab, "
                     f"or export them: {command}")
    if lacking:
        names = "、".join(_label_report(r, many_places, many_years, language) for r in lacking[:_NAMES_CAP])
        others = ("等" if zh else " and others") if len(lacking) > _NAMES_CAP else ""
        lines.append(f"没有相关数字的报告:{names}{others}。" if zh else f"No figures on it in the reports of: {names}{others}.")
    return Draft(answer="\n".join(lines), found=True, citations=[_citation(n, r) for n, r in enumerate(rows, 1)])


def _only_one(
    language: Language, row: FigureRow, lacking: list[ReportRecord], many_places: bool, many_years: bool
) -> Draft:
    """A rank or compare with one figure to weigh: which report has it, the figure, and which reports don't."""
    zh = language == "zh"
    who = _label(row, language, True, many_years)
    names = "、".join(_label_report(r, True, many_years, language) for r in lacking)
    if zh:
        lines = [f"只有{who}的报告有这项数字,无从比较:", f"{_indicator_name(row, language)}:{shown(row)} [1]",
                 f"\n没有这一数字的报告:{names}。"]
    else:
        lines = [f"Only {who}'s report gives this figure, so there is nothing to compare it with:",
                 f"{_indicator_name(row, language)}: {shown(row)} [1]", f"\nNo such figure in the reports of: {names}."]
    return Draft(answer="\n".join(lines), found=True, citations=[_citation(1, row)])


def _indicator_name(row: FigureRow, language: Language) -> str:
    """法律援助案件(legal aid case); in English, Legal aid case (法律援助案件)."""
    if language == "zh":
        return row.canonical + (f"({row.indicator_en})" if row.indicator_en else "")
    return f"{row.indicator_en.capitalize()} ({row.canonical})" if row.indicator_en else row.canonical


def _heading(language: Language, question: TableQuestion, name: str, rows: list[FigureRow], with_place: bool) -> str:
    place = "" if with_place else _named(rows[0].place, None, "", language, True, False)
    if language == "zh":
        return {
            "rank": f"{name},从{'少到多' if question.fewest_first else '多到少'}:",
            "compare": f"{name}比较:",
            "total": f"{name}合计:",
            "trend": f"{place}{name}逐年变化:",
            "list": f"{name},各报告的数字:",
        }[question.kind]
    return {
        "rank": f"{name}, {'fewest' if question.fewest_first else 'most'} first:",
        "compare": f"{name}, compared:",
        "total": f"{name}, in total:",
        "trend": f"{name}{' in ' + place if place else ''}, year by year:",
        "list": f"{name}, report by report:",
    }[question.kind]


def _arithmetic(
    language: Language, question: TableQuestion, rows: list[FigureRow], with_place: bool, many_years: bool
) -> list[str]:
    """Sums for totals and lists; for the rest the gap between the two figures that matter, and their ratio."""
    zh, unit = language == "zh", rows[0].unit
    if question.kind in ("total", "list"):
        if len(rows) < 2:
            return []
        sum_ = f"{' + '.join(format_value(r.value) for r in rows)} = {format_value(sum(r.value for r in rows))}"
        return [f"\n合计:{sum_}{unit}" if zh else f"\nTotal: {sum_} {unit}"]
    trend = question.kind == "trend"
    percent = unit == "%"  # rates differ by percentage points; their ratio means nothing
    if percent:
        unit = "个百分点" if zh else "percentage points"
    first, second = (rows[0], rows[-1]) if trend else (rows[0], rows[1])
    a, b = (_label(r, language, with_place and not trend, many_years or trend) for r in (first, second))
    high, low = sorted((first, second), key=lambda r: r.value, reverse=True)
    gap = f"{format_value(high.value)} − {format_value(low.value)} = {format_value(high.value - low.value)}"
    ratio = (f"{format_value(second.value)} ÷ {format_value(first.value)} = "
             f"{format_value(round(second.value / first.value, 2))}") if first.value and not percent else ""
    if trend:
        rose = second.value >= first.value
        if zh:
            return [f"\n{a}到{b}{'增加' if rose else '减少'} {gap}{' ' if percent else ''}{unit}"
                    + (f",是{a}的 {ratio} 倍。" if ratio else "。")]
        times = f" ({ratio} times)" if ratio else ""
        return [f"\nFrom {a} to {b} it {'rose' if rose else 'fell'} by {gap} {unit}{times}."]
    fewer = question.fewest_first
    times = (f"{format_value(high.value)} ÷ {format_value(low.value)} = "
             f"{format_value(round(high.value / low.value, 2))}") if low.value and not percent else ""
    if zh:
        return [f"\n{a}比{b}{'少' if fewer else '多'} {gap}{' ' if percent else ''}{unit}" + (f",{'后者' if fewer else '前者'}是"
                f"{'前者' if fewer else '后者'}的 {times} 倍。" if times else "。")]
    return [f"\n{a}: {gap} {unit} {'fewer' if fewer else 'more'} than {b}" + (f" ({times} times)." if times else ".")]


def _label_report(report: ReportRecord, with_place: bool, with_year: bool, language: Language) -> str:
    return _named(place_name(report), report.year, report.title, language, with_place, with_year)


def _citation(n: int, row: FigureRow) -> Citation:
    return Citation(
        n=n, report_id=row.report_id, title=row.title, year=row.year, section=row.section, text=row.quote,
        quote=row.quote, start=row.start, end=row.end,
    )
