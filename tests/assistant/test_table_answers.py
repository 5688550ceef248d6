"""Compare, rank, total and trend questions are answered from the figures table, cited and with their arithmetic.

The corpus (tests/assistant/conftest.py): the sample (云冈区 2025, 249 legal aid cases), 云冈区 2023 (187)
and 南乐县 2025 (316).
"""

from __future__ import annotations

import pytest

from assistant import Assistant
from assistant.types import Answer


def ask(bot: Assistant, question: str) -> Answer:
    answer = bot.ask(question)
    assert answer.answerer == "table", answer.answer
    assert answer.verified and answer.found
    return answer


def cited_values(answer: Answer) -> list[float]:
    """The figures in the answer's order; each one's citation quotes the sentence it stands in."""
    for n, row in enumerate(answer.figures, 1):
        citation = answer.citations[n - 1]
        assert f"[{n}]" in answer.answer
        assert citation.quote == row.quote and (citation.start, citation.end) == (row.start, row.end)
    return [row.value for row in answer.figures]


@pytest.mark.parametrize("question", ["2025年哪个地区受理的法律援助案件最多?",
                                      "Which government accepted the most legal aid cases in 2025?"])
def test_rank_lists_the_reports_most_first_and_shows_the_gap(bot: Assistant, question: str) -> None:
    answer = ask(bot, question)
    assert cited_values(answer) == [316, 249]
    assert [row.place for row in answer.figures] == ["南乐县", "云冈区"]
    assert "316 − 249 = 67" in answer.answer
    if answer.language == "en":  # places by their English names: 南乐 is Nanle, not pypinyin's Nanyue
        assert "Nanle County" in answer.answer and "Yungang District" in answer.answer


@pytest.mark.parametrize("question", ["云冈区2023年到2025年法律援助案件有什么变化?",
                                      "How did legal aid cases in Yungang change from 2023 to 2025?"])
def test_trend_follows_one_place_through_the_years(bot: Assistant, question: str) -> None:
    answer = ask(bot, question)
    assert cited_values(answer) == [187, 249]
    assert [row.year for row in answer.figures] == [2023, 2025]
    assert "249 − 187 = 62" in answer.answer and "249 ÷ 187 = 1.33" in answer.answer


def test_compare_of_two_places_in_one_year(bot: Assistant) -> None:
    answer = ask(bot, "比较云冈区和南乐县2025年受理的法律援助案件")
    assert cited_values(answer) == [316, 249]
    assert "南乐县比云冈区多 316 − 249 = 67件" in answer.answer


@pytest.mark.parametrize("question", ["所有报告的法律援助案件合计多少?",
                                      "What is the total of legal aid cases across all reports?"])
def test_total_sums_every_report_visibly(bot: Assistant, question: str) -> None:
    answer = ask(bot, question)
    assert sorted(cited_values(answer)) == [187, 249, 316]
    assert "187 + 249 + 316 = 752" in answer.answer


def test_reports_lacking_the_indicator_are_named(bot: Assistant) -> None:
    answer = ask(bot, "哪个地区开展的执法检查最多?")
    assert [row.place for row in answer.figures] == ["南乐县", "云冈区"]
    assert "没有这一数字的报告:云冈区 2025年" in answer.answer


@pytest.mark.parametrize("question", ["列出所有法律援助相关的数字", "List all the legal-aid figures"])
def test_a_list_gives_every_figure_on_the_topic_grouped_by_indicator(bot: Assistant, question: str) -> None:
    answer = ask(bot, question)
    cited_values(answer)
    by_indicator = {(row.canonical, row.place, row.year): row.value for row in answer.figures}
    # Named by its words: the legal aid cases everywhere, and the sample's criminal-trial legal aid cases.
    assert by_indicator[("法律援助案件", "南乐县", 2025)] == 316 and by_indicator[("法律援助案件", "云冈区", 2023)] == 187
    assert by_indicator[("刑事审判阶段法律援助受理普通程序案件", "云冈区", 2025)] == 147
    # Tied by the heading it stands under (1.持续开展法律援助工作); 执法检查 stands under none such.
    assert by_indicator[("值班律师提供法律帮助", "南乐县", 2025)] == 158
    assert not any("执法检查" in row.canonical for row in answer.figures)
    assert [row.canonical for row in answer.figures[:3]] == ["法律援助案件"] * 3  # grouped, the topic's own first
    lead = "值班律师提供法律帮助(duty lawyer legal help):" if question.startswith("列") else \
        "Duty lawyer legal help (值班律师提供法律帮助):"
    assert lead in answer.answer
    assert "reportchat figures --indicator 法律援助" in answer.answer


@pytest.mark.parametrize(("first", "then"), [("列出所有法律援助相关的数字", "把它们导出"),
                                            ("List all the legal-aid figures", "Export them")])
def test_export_them_after_a_list_lists_the_same_topic(bot: Assistant, first: str, then: str) -> None:
    listed = ask(bot, first)

    exported = bot.ask(then, history=[(first, listed.answer)])

    assert exported.answerer == "table" and cited_values(exported) == cited_values(listed)


def test_a_long_list_is_capped_and_points_to_the_rest(bot: Assistant, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("assistant.table_answers._LIST_CAP", 4)
    for question, more in (("列出所有法律援助相关的数字", "此处未全部列出。"),
                           ("Export all the legal-aid figures", "Not all are shown here.")):
        answer = ask(bot, question)
        assert len(answer.figures) == len(answer.citations) == 4 and more in answer.answer
        (note,) = answer.notes  # how many there are in all, beside the answer rather than in it
        assert "此处列出 4 项" in note and "4 shown here" in note


@pytest.mark.parametrize("question", ["2025年哪个地区开展的执法检查最多?", "比较云冈区和南乐县2025年开展的执法检查",
                                      "Which government carried out the most law enforcement inspections in 2025?"])
def test_a_rank_or_compare_only_one_report_can_answer_says_so(bot: Assistant, question: str) -> None:
    answer = ask(bot, question)
    assert [(row.place, row.value) for row in answer.figures] == [("南乐县", 318)]
    cited_values(answer)
    if not question.isascii():
        assert answer.answer.startswith("只有南乐县的报告有这项数字") and "没有这一数字的报告:云冈区。" in answer.answer
    else:
        assert answer.answer.startswith("Only Nanle County's report gives this figure")
        assert "No such figure in the reports of: Yungang District." in answer.answer


@pytest.mark.parametrize("question", [
    "云冈区去年办了几件法律援助?",  # one report
    "值班律师的法律帮助和法律援助案件,谁多?差几件?",  # two figures of one report
    "How many legal aid cases did Yungang take on in 2025?",
])
def test_questions_about_one_report_are_left_to_the_passage_answerers(bot: Assistant, question: str) -> None:
    assert bot.ask(question).answerer != "table"


def test_the_answer_json_carries_the_figures(bot: Assistant) -> None:
    data = ask(bot, "2025年哪个地区受理的法律援助案件最多?").model_dump(mode="json")
    assert [f["value"] for f in data["figures"]] == [316, 249]
    assert data["figures"][0]["canonical"] == "法律援助案件" and data["figures"][0]["indicator_en"] == "legal aid case"


@pytest.fixture(scope="module")
def funding_bot(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Assistant:
    """Four counties of 2025: two give their enforcement funding in 万元 (and a rate), one in 亿元, one not at all."""
    from index import Indexer, IndexReader, Settings

    root = tmp_path_factory.mktemp("funding")
    figures = {"甲县": "全年投入综合行政执法经费288万元,法制审核率98%。", "乙县": "全年投入综合行政执法经费350万元,法制审核率96.5%。",
               "丙县": "全年投入综合行政执法经费1.2亿元。", "丁县": "全年开展执法检查30次。"}
    for i, (place, sentence) in enumerate(figures.items()):
        (root / "reports").mkdir(exist_ok=True)
        (root / "reports" / f"county-{i}.txt").write_text(
            f"标题: {place}2025年法治政府建设年度报告\n发布日期: 2026-02-01\n来源: {place}人民政府\n\n"
            f"一、主要举措和成效\n(一)行政执法严格规范公正文明\n1.加强执法保障。{sentence}\n", encoding="utf-8")
    settings = Settings(home=root / "home", reports_dir=root / "reports")
    assert Indexer(settings, embeddings=embeddings).run().ok
    return Assistant(settings, reader=IndexReader(settings, embeddings=embeddings))


def test_figures_in_another_unit_are_cited_apart_and_missing_ones_named(funding_bot: Assistant) -> None:
    answer = ask(funding_bot, "2025年哪个地区投入的综合行政执法经费最多?")
    assert cited_values(answer) == [350, 288]
    assert "350 − 288 = 62万元" in answer.answer
    assert "单位不同,未计入:丙县 1.2亿元 [3]" in answer.answer and answer.citations[2].quote.endswith("1.2亿元。")
    assert "没有这一数字的报告:丁县" in answer.answer


def test_rates_differ_by_percentage_points_not_by_ratio(funding_bot: Assistant) -> None:
    answer = ask(funding_bot, "2025年哪个地区法制审核率最高?")
    assert cited_values(answer) == [98, 96.5]
    assert "甲县比乙县多 98 − 96.5 = 1.5 个百分点。" in answer.answer and "÷" not in answer.answer
