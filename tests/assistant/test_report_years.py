"""A report speaks of its own year and of the year before it (a 政府工作报告 reviews it; a report compares
with it): a question about that earlier year, with no report of its own, is answered from the later one."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import Assistant
from index import Indexer, IndexReader, Settings

REPORT = """标题: 某某县2025年政府工作报告
来源: 某某县人民政府

一、2024年工作回顾
2024年,全县地区生产总值完成77.41亿元,增长7.9%。
二、2025年主要目标
2025年,地区生产总值预期增长6%左右。
"""

OTHER = """标题: 另一县2023年政府工作报告
来源: 另一县人民政府

一、2022年工作回顾
2022年,全县地区生产总值完成52.3亿元,增长4.1%。
"""


@pytest.fixture(scope="module")
def bot(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Assistant:
    root = tmp_path_factory.mktemp("years")
    (root / "reports").mkdir()
    (root / "reports" / "mouxian-2025.txt").write_text(REPORT, encoding="utf-8")
    (root / "reports" / "lingxian-2023.txt").write_text(OTHER, encoding="utf-8")
    settings = Settings(home=root / "home", reports_dir=root / "reports")
    Indexer(settings, embeddings=embeddings).run()
    return Assistant(settings, reader=IndexReader(settings, embeddings=embeddings))


def test_the_year_before_a_report_is_answered_from_it_and_said_so(bot: Assistant) -> None:
    answer = bot.ask("某某县2024年地区生产总值是多少亿元?")
    assert answer.found and "77.41" in answer.answer
    assert any("2024 as the 2025 report" in note for note in answer.notes)


def test_a_year_no_report_speaks_of_is_still_declined(bot: Assistant) -> None:
    answer = bot.ask("某某县2022年地区生产总值是多少亿元?")
    assert not answer.found and any("No 2022 report" in note for note in answer.notes)


def test_a_publication_question_over_a_header_without_date_or_source_gets_an_answer_not_a_crash(
    tmp_path: Path, embeddings,
) -> None:
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "titled.txt").write_text(
        "标题: 某某县2025年政府工作报告\n\n2025年,某某县地区生产总值增长6%。\n", encoding="utf-8")
    settings = Settings(home=tmp_path / "home", reports_dir=tmp_path / "reports")
    Indexer(settings, embeddings=embeddings).run()
    bot = Assistant(settings, reader=IndexReader(settings, embeddings=embeddings))
    answer = bot.ask("某某县这份报告是什么时候发布的?")
    assert answer.language == "zh" and "发布" not in "".join(c.quote for c in answer.citations)


def test_a_compare_of_two_places_in_two_years_reads_each_from_its_own_report(bot: Assistant) -> None:
    answer = bot.ask("某某县2024年和另一县2022年的地区生产总值差多少亿元?")
    assert answer.found and "77.41" in answer.answer and "52.3" in answer.answer
    assert "77.41 − 52.3 = 25.11" in answer.answer


def test_each_side_of_a_compare_takes_its_figure_from_the_report_of_the_place_it_names(bot: Assistant) -> None:
    answer = bot.ask("某某县2024年的GDP增速和另一县2022年的GDP增速差多少?")
    lead = answer.answer.split("\n\n")[0]
    assert answer.found and "**7.9%**" in lead and "**4.1%**" in lead
    assert "7.9 − 4.1 = 3.8" in lead


def test_english_a_user_writes_into_a_chinese_question_is_read_through_the_glossary(bot: Assistant) -> None:
    answer = bot.ask("某某县2024年GDP是多少亿元?")
    assert answer.found and "77.41" in answer.answer.split("\n\n")[0]



def test_an_english_compare_takes_each_side_from_the_place_it_names(bot: Assistant) -> None:
    answer = bot.ask("How much did GDP grow in Moumou County in 2024 vs Lingyi County in 2022?")
    lead = answer.answer.split("\n\n")[0]
    assert "**7.9%**" in lead and "**4.1%**" in lead and "52.3" not in lead
