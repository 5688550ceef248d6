"""Figures as reports write them: number, unit, qualifier."""

import pytest

from index.figures import chinese_to_number, find_figures, fold, numbers_in


@pytest.mark.parametrize(
    ("text", "value", "unit", "qualifier"),
    [
        ("受理法律援助案件249件", 249, "件", ""),
        ("压缩审批时限3000余个工作日", 3000, "个工作日", "余"),
        ("网上可办率已达90%以上", 90, "%", "达以上"),
        ("全年开展各类检查八百多次", 800, "次", "多"),
        ("资金1.2亿元", 1.2, "亿元", ""),
        ("累计评价1,991条", 1991, "条", ""),
        ("举办培训三期", 3, "期", ""),
        ("培训人员2.8万余人次", 2.8, "万人次", "余"),
        ("承接业务套餐41组", 41, "组", ""),
    ],
)
def test_a_figure_keeps_its_unit_and_qualifier(text: str, value: float, unit: str, qualifier: str) -> None:
    (figure,) = [f for f in find_figures(fold(text)) if f.value == value]
    assert (figure.unit, figure.qualifier) == (unit, qualifier)


def test_chinese_words_that_merely_contain_numerals_are_not_figures() -> None:
    assert find_figures("一是加强领导,推进一体建设") == []


def test_a_part_of_a_whole_is_no_count_of_volumes() -> None:
    assert [f.text for f in find_figures("本报告由总体情况等六部分组成,印发文件2部。")] == ["2部"]


def test_full_width_digits_are_folded() -> None:
    assert numbers_in("９０％") == {90.0}


@pytest.mark.parametrize(("numeral", "value"), [("八百", 800), ("十四", 14), ("一万二千", 12000), ("三", 3), ("二十一", 21)])
def test_chinese_numerals(numeral: str, value: int) -> None:
    assert chinese_to_number(numeral) == value


def test_citation_markers_are_not_figures() -> None:
    assert numbers_in("249 cases [1] [2]") == {249.0}


def test_a_space_between_a_figure_and_its_unit_keeps_them_together() -> None:
    (figure,) = find_figures("信息公开目录发布 4282 条,")
    assert (figure.value, figure.unit) == (4282, "条")
