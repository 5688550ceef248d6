"""Strict scoring: the figure in the answer line itself, verified, with a citation that holds the evidence."""

from __future__ import annotations

import pytest

from assistant.evaluate import judge
from assistant.types import Answer, Citation

EVIDENCE = "全年共受理法律援助案件249件"
ITEM = {"id": "q", "lang": "zh", "type": "number", "question": "受理了多少件法律援助案件?",
        "numbers": ["249"], "evidence": [EVIDENCE]}
CITED = Citation(n=1, report_id="r", title="某区报告", section="1.", text=f"{EVIDENCE},值班律师199件。",
                 quote=f"{EVIDENCE},", start=0, end=16)


def answer(text: str, found: bool = True, verified: bool = True, cited: bool = True) -> Answer:
    return Answer(question=ITEM["question"], answer=text, found=found, verified=verified, language="zh",
                  citations=[CITED] if cited else [])


def test_a_figure_stated_in_the_answer_line_with_its_evidence_cited_is_right() -> None:
    assert judge(ITEM, answer("249件 [1]\n\n> 4.全年共受理法律援助案件249件 [1]")).correct


@pytest.mark.parametrize(("wrong", "why"), [
    (answer("199件 [1]\n\n> 全年共受理法律援助案件249件 [1]"), "the right figure only in the quote"),
    (answer("199件 [1]\n[1] 某区报告 › 249件"), "the right figure only in the reference line"),
    (answer("2490件 [1]"), "a longer number holding the figure"),
    (answer("24.249件 [1]"), "a decimal holding the figure"),
    (answer("249件 [1]", verified=False), "unverified"),
    (answer("249件", cited=False), "no citation holds the evidence"),
    (answer("报告中没有找到 249", found=False), "declined"),
])
def test_an_answer_is_wrong_when(wrong: Answer, why: str) -> None:
    assert not judge(ITEM, wrong).correct, why


def test_a_chinese_numeral_is_stated_by_its_value_in_digits() -> None:
    item = ITEM | {"numbers": ["八百"], "evidence": [EVIDENCE]}
    assert judge(item, answer("About 800 times [1]")).correct
    assert judge(item, answer("八百多次 [1]")).correct
    assert not judge(item, answer("1800 times [1]")).correct


def test_a_figure_is_stated_with_the_magnitude_the_report_writes_after_it() -> None:
    item = ITEM | {"numbers": ["96.6"]}
    assert judge(item, answer("总阅读量96.6万 [1]")).correct
    assert not judge(item, answer("总阅读量96.6十 [1]")).correct


def test_a_date_is_stated_with_the_time_after_it() -> None:
    item = ITEM | {"numbers": ["2024-03-28"]}
    assert judge(item, answer("发布时间:2024-03-28 09:18 [1]")).correct


def test_only_a_decline_is_right_for_an_unanswerable_question() -> None:
    item = ITEM | {"type": "unanswerable", "numbers": [], "evidence": []}
    assert judge(item, answer("报告中没有找到这个问题的答案。", found=False, cited=False)).correct
    assert not judge(item, answer("249件 [1]")).correct
