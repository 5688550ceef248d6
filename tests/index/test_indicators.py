"""Every figure of a report as a row: checked against the figures of the sample read by hand."""

from __future__ import annotations

import pytest

from index.indicators import canonical_indicator, extract_figures
from tests.index.conftest import Parsed

# (what is counted — words the row's indicator must hold, value, unit), read from the sample report.
SAMPLE_FIGURES = [
    ("划转事项", 244, "个"), ("压缩审批时限", 3000, "个工作日"), ("压缩时限", 67, "%"), ("减少", 9, "个"),
    ("取消证明材料", 69, "项"), ("审批事项", 24979, "件"), ("企业", 30, "家"), ("窗口部门", 13, "个"),
    ("部门", 23, "个"), ("行政审批事项", 244, "项"), ("网上可办率", 90, "%"), ("省", 3, "个"), ("地区", 14, "个"),
    ("评价", 1991, "条"), ("政府规范性文件", 6, "个"), ("合法性审查率", 100, "%"), ("清理", 122, "件"),
    ("报备率", 100, "%"), ("重大行政决策目录", 2, "个"), ("参与行政决策及审查重要合同", 106, "次"),
    ("代理行政诉讼案件", 25, "件"), ("检查", 800, "次"), ("公示率", 100, "%"), ("行政执法案卷", 558, "份"),
    ("线下执法培训", 3, "期"), ("大讲堂培训", 12, "期"), ("专题培训", 60, "学时"), ("执法经费", 288, "万元"),
    ("行刑反向衔接", 34, "件"), ("检察意见", 4, "件"), ("办复率", 100, "%"), ("出庭应诉率", 100, "%"),
    ("出庭", 14, "次"), ("政务公开事项清单", 1108, "项"), ("化解矛盾纠纷", 805, "起"), ("化解率", 98, "%"),
    ("宣传活动", 554, "次"), ("法律明白人", 1285, "人"), ("送法进校园活动", 16, "次"), ("行政复议案件", 84, "件"),
    ("办结", 75, "件"), ("纠错率", 11, "%"), ("下降", 21, "%"), ("调解和解案件", 24, "件"),
    ("受理法律援助案件", 249, "件"), ("值班律师提供法律帮助", 199, "件"), ("普通程序案件", 147, "件"),
    ("法律咨询", 358, "件"), ("采纳案件", 133, "件"), ("专题培训", 4, "期"), ("科级以上干部", 131, "人次"),
    ("习近平法治思想课程", 3, "堂"), ("受训人数", 792, "人"), ("学习率", 97, "%"), ("领导干部", 150, "名"),
    ("研究法治建设工作", 6, "次"), ("批示法治建设有关工作", 8, "次"), ("信息简报", 1080, "条"), ("单位", 89, "家"),
    ("景区纠纷", 230, "件"), ("中小学", 38, "所"), ("占比", 75, "%"), ("指示、批示", 234, "次"),
    ("乡镇(街道)", 27, "个"), ("部门", 43, "个"), ("党政主要负责人", 90, "人"),
]


@pytest.fixture(scope="module")
def rows(sample: Parsed) -> list:
    return extract_figures("sample", sample.text, [(s.start, s.end, s.path) for s in sample.sections])


def _matches(rows: list) -> int:
    """Gold figures found: same value and unit, the indicator holding the words; each row used once."""
    free = list(rows)
    found = 0
    for words, value, unit in SAMPLE_FIGURES:
        hit = next((r for r in free if r.value == value and r.unit == unit and words in r.indicator), None)
        if hit is not None:
            free.remove(hit)
            found += 1
    return found


def test_precision_and_recall_on_the_sample_are_at_least_095(rows: list) -> None:
    found = _matches(rows)
    precision, recall = found / len(rows), found / len(SAMPLE_FIGURES)
    print(f"sample figures: {len(rows)} extracted, {len(SAMPLE_FIGURES)} by hand, "
          f"precision {precision:.3f}, recall {recall:.3f}")
    assert precision >= 0.95 and recall >= 0.95


def test_a_row_keeps_its_sentence_span_section_and_qualifier(sample: Parsed, rows: list) -> None:
    legal_aid = next(r for r in rows if r.value == 249)
    assert sample.text[legal_aid.start : legal_aid.end] == legal_aid.quote
    assert legal_aid.quote.startswith("4.持续开展法律援助工作") and legal_aid.quote.endswith("。")
    assert sample.text[legal_aid.figure_start : legal_aid.figure_end] == "249件"
    assert "(六)积极有效化解社会矛盾纠纷" in legal_aid.section
    checks = next(r for r in rows if r.value == 800)
    assert (checks.number, checks.qualifier, checks.unit) == ("八百", "多", "次")
    assert next(r for r in rows if r.value == 3000).qualifier == "余"
    assert next(r for r in rows if r.value == 90 and r.unit == "%").qualifier == "以上"


def test_slogans_set_phrases_dates_and_list_numbers_are_not_figures(rows: list) -> None:
    assert not [r for r in rows if r.unit in ("年", "月", "日")]
    assert not [r for r in rows if r.number in ("一", "两", "三") and r.unit in ("次", "人", "项")]  # 最多跑一次, 两人执法, 三项制度


def test_a_verb_alone_borrows_what_the_sentence_counts(rows: list) -> None:
    assert next(r for r in rows if r.value == 75).indicator == "办结行政复议案件"


@pytest.mark.parametrize(
    "written", ["受理法律援助案件", "办理法律援助案件", "法律援助案件", "受理的法律援助案件", "共受理法律援助案件"]
)
def test_intake_verbs_and_particles_group_under_one_indicator(written: str) -> None:
    assert canonical_indicator(written) == "法律援助案件"


def test_other_acts_stay_apart() -> None:
    assert canonical_indicator("办结的行政复议案件") != canonical_indicator("受理的行政复议案件")
    assert canonical_indicator("“法律明白人”") == "法律明白人"
