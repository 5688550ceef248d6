"""Figures benchmark: extraction against planted figures, and compare/rank/total/trend questions in zh and en.

A panel of generated 法治政府建设年度报告 — 20 governments × 2023–2025 — is written
with the figures each report planted (benchmarks/generate_reports.py), indexed for
real, and then:

- extraction: how many planted figures became a row (value, unit, its sentence),
  and how many rows are planted figures;
- questions: for a set of indicators, every rank (per year), compare (pairs of
  governments in a year), total (per year) and trend (per government over the
  years) question the ground truth answers, asked in Chinese and in English
  through ``Assistant.ask``; an answer is correct when it comes from the table,
  is verified, lists exactly the true figures in the right order, and shows the
  true difference or sum;
- list ("列出南乐县所有法律援助相关的数字", per government over the years): correct
  when every true figure of the topic's indicator is among the cited rows, in year
  order, and the answer points to the export;
- only (a compare of two governments in a year where one lacks the indicator):
  correct when the one figure is given, cited, and said to be the only one.

``python benchmarks/bench_figures.py [--work DIR] [--governments 20]``
"""

from __future__ import annotations

import argparse
import itertools
import sys
import time
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from generate_reports import GeneratedReport, generate_panel  # noqa: E402

from assistant import Assistant  # noqa: E402
from assistant.places import english_name  # noqa: E402
from assistant.figure_table import format_value  # noqa: E402
from assistant.types import Answer  # noqa: E402
from index import Indexer, Settings  # noqa: E402
from index.figures import fold  # noqa: E402

YEARS = (2023, 2024, 2025)
# Planted indicator → (how a Chinese question names it, how an English one does).
INDICATORS = {
    "受理的法律援助案件": ("受理的法律援助案件", "legal aid cases accepted"),
    "化解的矛盾纠纷": ("化解的矛盾纠纷", "disputes resolved"),
    "开展的执法检查": ("开展的执法检查", "law enforcement inspections"),
    "收到的行政复议申请": ("收到的行政复议申请", "administrative reconsideration applications"),
    "行政诉讼案件": ("行政诉讼案件", "administrative litigation cases"),
    "开展的普法宣传活动": ("开展的普法宣传活动", "law popularisation activities"),
    "评查的行政执法案卷": ("评查的行政执法案卷", "administrative enforcement case files reviewed"),
    "开展的应急演练": ("开展的应急演练", "emergency drills"),
    "综合行政执法经费": ("综合行政执法经费", "comprehensive law enforcement funding"),
}
# Planted indicator → the topic a list question names (Chinese, English).
LIST_TOPICS = {"受理的法律援助案件": ("法律援助", "legal aid")}
KINDS = ("rank", "compare", "total", "trend", "list", "only")


@dataclass(frozen=True)
class Question:
    kind: str
    language: str
    text: str
    expected: list[tuple[str, float]]  # (report path, value) in the order the answer must list them
    shown: str  # the difference or sum the answer must show


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/reportchat-bench-figures"))
    parser.add_argument("--governments", type=int, default=20)
    parser.add_argument("--show-misses", type=int, default=5)
    args = parser.parse_args(argv)

    reports = generate_panel(args.work / "reports", args.governments, YEARS)
    settings = Settings(home=args.work / "home", reports_dir=args.work / "reports")
    started = time.perf_counter()
    summary = Indexer(settings).run()
    print(f"panel: {len(reports)} reports, {args.governments} governments × {len(YEARS)} years, "
          f"{sum(len(r.facts) for r in reports)} planted figures; indexed in {time.perf_counter() - started:.0f} s "
          f"({len(summary.added) + len(summary.updated)} new)")
    bot = Assistant.from_settings(settings)
    ids = {r.path: r.report_id for r in bot.reader.reports()}
    by_id = {ids[str(r.path.resolve())]: r for r in reports}
    extraction(bot, by_id)

    questions = build_questions(reports)
    results: dict[tuple[str, str], list[bool]] = defaultdict(list)
    misses: list[tuple[Question, Answer]] = []
    started = time.perf_counter()
    for question in questions:
        answer = bot.ask(question.text)
        ok = correct(question, answer, ids)
        results[(question.language, question.kind)].append(ok)
        if not ok:
            misses.append((question, answer))
    elapsed = time.perf_counter() - started
    print(f"\n{len(questions)} questions, {elapsed / len(questions) * 1000:.0f} ms each")
    print(f"{'':8}" + "".join(f"{k:>10}" for k in (*KINDS, "all")))
    for language in ("zh", "en"):
        cells = []
        for kind in KINDS:
            got = results[(language, kind)]
            cells.append(f"{sum(got) / len(got):>10.3f}" if got else f"{'—':>10}")
        every = [ok for (lang, _), oks in results.items() if lang == language for ok in oks]
        print(f"{language:8}" + "".join(cells) + f"{sum(every) / len(every):>10.3f}  (n={len(every)})")
    for question, answer in misses[: args.show_misses]:
        print(f"\nmiss ({question.language}/{question.kind}): {question.text}\n  expected "
              f"{[v for _, v in question.expected]} and {question.shown}\n  got ({answer.answerer}) "
              + answer.answer.replace("\n", " | ")[:400])


def extraction(bot: Assistant, reports: dict[str, GeneratedReport]) -> None:
    """Planted figures found as rows (same value and unit, in the planted sentence), and rows that are planted."""
    found = planted = rows_total = rows_planted = 0
    for report_id, report in reports.items():
        rows = bot.reader.catalog.figures(report_ids=[report_id])
        rows_total += len(rows)
        used: set[str] = set()
        for fact in report.facts:
            planted += 1
            hit = next((r for r in rows if r.figure_id not in used and r.value == fact.amount and r.unit == fact.unit
                        and fold(fact.sentence) in fold(r.quote)), None)
            if hit is not None:
                used.add(hit.figure_id)
                found += 1
        rows_planted += len(used)
    print(f"extraction on the panel: recall {found / planted:.3f} ({found}/{planted}), "
          f"precision {rows_planted / rows_total:.3f} ({rows_planted}/{rows_total})")


def build_questions(reports: list[GeneratedReport]) -> list[Question]:
    truth: dict[str, dict[tuple[str, int], tuple[str, float]]] = defaultdict(dict)
    short = {}
    for report in reports:
        short[report.place] = _short(report.place)
        for fact in report.facts:
            if fact.indicator in INDICATORS:
                truth[fact.indicator][(report.place, report.year)] = (str(report.path.resolve()), fact.amount)
    questions: list[Question] = []
    for indicator, cells in truth.items():
        zh, en = INDICATORS[indicator]
        for year in YEARS:
            in_year = sorted(((p, v) for (p, y), v in cells.items() if y == year), key=lambda t: (-t[1][1], short[t[0]]))
            if len(in_year) >= 3 and in_year[0][1][1] != in_year[1][1][1]:
                expected = [v for _, v in in_year]
                gap = _gap(expected[0][1], expected[1][1])
                fewest = sorted(expected, key=lambda t: (t[1], _place_of(reports, t[0])))
                low_gap = _gap(fewest[0][1], fewest[1][1])
                questions += [
                    Question("rank", "zh", f"{year}年哪个地区{zh}最多?", expected, gap),
                    Question("rank", "en", f"Which government had the most {en} in {year}?", expected, gap),
                ]
                if fewest[0][1] != fewest[1][1]:
                    questions += [
                        Question("rank", "zh", f"{year}年{zh}最少的是哪个地区?", fewest, low_gap),
                        Question("rank", "en", f"Rank the governments by {en} in {year}, lowest first.",
                                 fewest, low_gap),
                    ]
                total = f"= {format_value(sum(v for _, v in expected))}"
                in_order = sorted(expected, key=lambda t: (_place_of(reports, t[0]), t[0]))
                questions += [
                    Question("total", "zh", f"{year}年所有地区的{zh}合计多少?", in_order, total),
                    Question("total", "en", f"What is the total of {en} across all governments in {year}?",
                             in_order, total),
                ]
            questions += _only_questions(indicator, year, cells, short)
            for (a, va), (b, vb) in itertools.islice(itertools.combinations(in_year, 2), 2):
                if va[1] == vb[1]:
                    continue
                expected = sorted([va, vb], key=lambda t: -t[1])
                gap = _gap(expected[0][1], expected[1][1])
                questions += [
                    Question("compare", "zh", f"{year}年{short[a]}和{short[b]}的{zh}相比,哪个多?", expected, gap),
                    Question("compare", "zh", f"{short[b]}与{short[a]}{year}年{zh}对比", expected, gap),
                    Question("compare", "en", f"Compare the {en} of {_pinyin(a)} and {_pinyin(b)} in {year}.",
                             expected, gap),
                    Question("compare", "en", f"{_pinyin(b)} versus {_pinyin(a)}: {en} in {year}?", expected, gap),
                ]
        for place in sorted({p for p, _ in cells}):
            series = [cells[(place, y)] for y in YEARS if (place, y) in cells]
            if indicator in LIST_TOPICS and len(series) >= 2:
                topic_zh, topic_en = LIST_TOPICS[indicator]
                shown = f"reportchat figures --indicator {topic_zh}"
                questions += [
                    Question("list", "zh", f"列出{short[place]}所有{topic_zh}相关的数字", series, shown),
                    Question("list", "en", f"List all the {topic_en} figures of {_pinyin(place)}.", series, shown),
                ]
            if len(series) >= 2:
                gap = _gap(series[-1][1], series[0][1])
                questions += [
                    Question("trend", "zh", f"{short[place]}{YEARS[0]}年到{YEARS[-1]}年{zh}有什么变化?", series, gap),
                    Question("trend", "zh", f"{short[place]}历年{zh}的走势", series, gap),
                    Question("trend", "en", f"How did the {en} of {_pinyin(place)} change from {YEARS[0]} to {YEARS[-1]}?",
                             series, gap),
                    Question("trend", "en", f"What is the trend in {en} for {_pinyin(place)} over the years?",
                             series, gap),
                ]
    return questions


def _only_questions(
    indicator: str, year: int, cells: dict[tuple[str, int], tuple[str, float]], short: dict[str, str]
) -> list[Question]:
    """A compare of the first government that has the indicator in ``year`` with the first that lacks it."""
    having = sorted(p for (p, y) in cells if y == year)
    lacking = sorted(p for p in short if (p, year) not in cells)
    if not having or not lacking:
        return []
    (a, b), (zh, en) = (having[0], lacking[0]), INDICATORS[indicator]
    expected = [cells[(a, year)]]
    return [
        Question("only", "zh", f"比较{short[a]}和{short[b]}{year}年{zh}", expected, f"只有{short[a]}的报告有这项数字"),
        Question("only", "en", f"Compare the {en} of {_pinyin(a)} and {_pinyin(b)} in {year}.", expected,
                 f"Only {english_name(short[a])}'s report gives this figure"),
    ]


def correct(question: Question, answer: Answer, ids: dict[str, str]) -> bool:
    got = [(row.report_id, row.value) for row in answer.figures]
    want = [(ids[path], value) for path, value in question.expected]
    if question.kind == "list":  # the topic's other indicators may be listed too; the true figures must be
        got = [g for g in got if g in want]
    return answer.answerer == "table" and answer.verified and got == want and question.shown in answer.answer


def _gap(a: float, b: float) -> str:
    high, low = max(a, b), min(a, b)
    return f"{format_value(high)} − {format_value(low)} = {format_value(high - low)}"


def _short(place: str) -> str:
    """大同市云冈区 → 云冈区: how a Chinese question names a government."""
    from assistant.places import place_units

    return place_units(place)[-1].name


def _pinyin(place: str) -> str:
    """大同市云冈区 → Yungang, as an English question names it."""
    from pypinyin import lazy_pinyin

    from assistant.places import place_units

    return "".join(lazy_pinyin(place_units(place)[-1].stem)).capitalize()


def _place_of(reports: list[GeneratedReport], path: str) -> str:
    return next(_short(r.place) for r in reports if str(r.path.resolve()) == path)


if __name__ == "__main__":
    main()
