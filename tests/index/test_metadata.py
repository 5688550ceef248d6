"""index.metadata: the portal header block becomes metadata and is kept out of the
body; a report without one still gets a title, and a year where one is evident."""

from __future__ import annotations

from pathlib import Path

import pytest

from index.load import load_report
from index.metadata import extract_metadata

SAMPLE_TITLE = "大同市云冈区2025年法治政府建设年度报告"
SAMPLE_BODY_START = "2025年,云冈区深入贯彻落实党中央、国务院及省委省政府"


# --- the seed's header block -----------------------------------------------------------


def test_sample_header_fields(sample) -> None:
    meta = sample.meta
    assert meta.title == SAMPLE_TITLE
    assert meta.publisher == "云冈区人民政府"
    assert meta.published == "2026-01-31"
    assert meta.year == 2025
    assert meta.place == "大同市云冈区"


def test_sample_body_starts_at_its_first_sentence(sample) -> None:
    assert sample.body.startswith(SAMPLE_BODY_START)
    assert sample.text[sample.meta.body_start - 1] == "\n"


def test_sample_header_is_kept_out_of_the_body(sample) -> None:
    for field in ("索 引 号", "信息分类", "发布机构", "发布日期", "标题:", "文号:", "时效:", "发布时间", "来源:", "| | |"):
        assert field in sample.meta.header
        assert field not in sample.body
    assert sample.body.count(SAMPLE_TITLE) == 0
    assert sample.text[: sample.meta.body_start].strip() == sample.meta.header


def test_header_survives_another_encoding_and_crlf(tmp_path: Path, sample, sample_path: Path) -> None:
    copy = tmp_path / sample_path.name
    copy.write_bytes(sample_path.read_text(encoding="utf-8").replace("\n", "\r\n").encode("gb18030"))
    loaded = load_report(copy)
    meta = extract_metadata(loaded.text, copy)
    assert meta == sample.meta
    assert loaded.text[meta.body_start :] == sample.body


def test_header_with_fullwidth_colons_and_chinese_dates() -> None:
    text = (
        "\n标题：关于南乐县2023年法治政府建设情况的报告\n"
        "发布机构：南乐县人民政府\n"
        "发布日期：2024年3月5日\n\n"
        "2023年,南乐县全面推进依法行政。\n"
    )
    meta = extract_metadata(text, Path("nanle.txt"))
    assert meta.title == "关于南乐县2023年法治政府建设情况的报告"
    assert meta.publisher == "南乐县人民政府"
    assert meta.published == "2024-03-05"
    assert meta.year == 2023
    assert meta.place == "南乐县"  # "关于" is not part of the place
    assert text[meta.body_start :] == "2023年,南乐县全面推进依法行政。\n"


def test_publisher_falls_back_to_source() -> None:
    text = "标题: 岳阳市2024年法治政府建设年度报告\n发布机构:\n来源: 岳阳市司法局\n\n正文第一句。\n"
    meta = extract_metadata(text, Path("yueyang.txt"))
    assert meta.publisher == "岳阳市司法局"
    assert meta.published is None
    assert text[meta.body_start :] == "正文第一句。\n"


@pytest.mark.parametrize("fields", [
    "  • 2025年03月19日 09时07分\n  • 来源: 某县司法局\n",  # a bulleted list, the date alone on its line
    "来源:某县司法局 作者: 发布时间 2025年03月19日 点击数:\n",  # one line, a date without its colon
    "日期:2025-03-19 17:34\n来源: 某县司法局\n",
])
def test_a_page_title_with_its_fields_below_it_is_the_header(fields: str) -> None:
    text = f"某县2024年度法治政府建设工作报告\n\n{fields}\n2024年,某县扎实推进法治政府建设。\n"
    meta = extract_metadata(text, Path("page.txt"))
    assert meta.title == "某县2024年度法治政府建设工作报告" and meta.place == "某县"
    assert meta.published == "2025-03-19" and meta.publisher == "某县司法局"
    assert text[meta.body_start :] == "2024年,某县扎实推进法治政府建设。\n"


# --- reports without a header ----------------------------------------------------------


def test_no_header_title_from_first_line() -> None:
    text = "\n\n岳阳市2024年法治政府建设年度报告\n\n一、主要举措\n全年受理案件249件。\n"
    meta = extract_metadata(text, Path("report.txt"))
    assert meta.title == "岳阳市2024年法治政府建设年度报告"
    assert meta.year == 2024
    assert meta.place == "岳阳市"
    assert meta.publisher is None and meta.published is None
    assert meta.header == ""
    assert text[meta.body_start :].startswith("岳阳市2024年")  # nothing is dropped


def test_no_header_markdown_title_is_stripped() -> None:
    text = "# 南乐县2024年法治政府建设年度报告\n\n## 一、主要举措\n\n全年受理案件249件。\n"
    meta = extract_metadata(text, Path("nanle.md"))
    assert meta.title == "南乐县2024年法治政府建设年度报告"
    assert meta.year == 2024
    assert meta.place == "南乐县"


def test_no_header_first_line_too_long_title_from_file_name() -> None:
    text = "全区" + "深入推进依法行政" * 20 + "。\n一、主要举措\n"
    meta = extract_metadata(text, Path("/reports/南乐县2024年法治政府建设年度报告.txt"))
    assert meta.title == "南乐县2024年法治政府建设年度报告"
    assert meta.year == 2024


def test_year_from_file_name_with_nian() -> None:
    meta = extract_metadata("法治政府建设年度报告\n\n正文。\n", Path("南乐县2024年报告.txt"))
    assert meta.title == "法治政府建设年度报告"
    assert meta.year == 2024


def test_year_from_file_name_as_the_corpus_names_files() -> None:
    meta = extract_metadata("法治政府建设年度报告\n\n正文。\n", Path("yueyang-2024-fazhi-zhengfu.txt"))
    assert meta.year == 2024


def test_no_year_anywhere() -> None:
    meta = extract_metadata("法治政府建设年度报告\n\n全面推进依法行政。\n", Path("report.txt"))
    assert meta.year is None
    assert meta.place is None


def test_title_year_wins_over_file_name() -> None:
    meta = extract_metadata("岳阳市2024年法治政府建设年度报告\n正文。\n", Path("岳阳市2023年报告.txt"))
    assert meta.year == 2024


def test_portal_footer_is_not_body(tmp_path: Path) -> None:
    text = "标题: 某县2025年报告\n\n一、成效\n受理案件12件。\n\n扫一扫在手机上查看当前页面\n\n相关解读\n相关政策\n"
    meta = extract_metadata(text, tmp_path / "r.txt")
    assert text[meta.body_start : meta.body_end].rstrip().endswith("受理案件12件。")


def test_place_of_a_government_titled_report(tmp_path: Path) -> None:
    text = "标题: 绵阳市江油市人民政府关于2024年度法治政府建设工作情况的报告\n\n正文。"
    assert extract_metadata(text, tmp_path / "x.txt").place == "绵阳市江油市"
    no_year = "标题: 太原市政府工作报告\n来源: 太原市人民政府\n\n正文。"
    assert extract_metadata(no_year, tmp_path / "y.txt").place == "太原市"


def test_a_salutation_is_not_the_title() -> None:
    meta = extract_metadata("福州市人民政府:\n2025年,罗源县坚持依法行政。\n", Path("luoyuan-2025.txt"))
    assert meta.title == "luoyuan-2025" and meta.place != "福州市"


def test_a_sentence_is_not_the_title() -> None:
    meta = extract_metadata("根据《条例》规定,编制本报告。\n一、总体情况\n", Path("some-report.txt"))
    assert meta.title == "some-report"


def test_a_portal_metadata_table_gives_the_fields() -> None:
    text = ("文件名称 | 某县2025年政府工作报告 | ||\n文号 | 成文日期: | 2025年04月15日 | |\n"
            "有效性 | 有效 | 公开日期: | 2025-04-16 14:43 |\n各位代表:\n现在,我代表县人民政府报告工作。\n")
    meta = extract_metadata(text, Path("r.txt"))
    assert (meta.title, meta.published) == ("某县2025年政府工作报告", "2025-04-16")
    assert text[meta.body_start :].startswith("各位代表")


def test_a_time_field_beside_an_update_time_dates_the_report() -> None:
    text = "某区2025年政府信息公开工作年度报告\n\n更新时间:2026-01-28 14:53 发布时间:2026-01-27 14:50 来源:某区政府办\n\n正文。\n"
    meta = extract_metadata(text, Path("r.txt"))
    assert (meta.published, meta.publisher) == ("2026-01-27", "某区政府办")
