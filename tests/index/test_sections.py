"""index.sections: a body is split along its heading hierarchy into sections that
tile it end to end, each knowing its path from the top."""

from __future__ import annotations

from index.chunk import chunk_report
from index.sections import PATH_SEPARATOR, Section, split_sections


def assert_tiles(sections: list[Section], text: str, body_start: int = 0) -> None:
    """Sections cover text[body_start:] end to end, in order, without gap or overlap."""
    assert sections, "a non-empty body has at least one section"
    assert sections[0].start == body_start
    assert sections[-1].end == len(text)
    for before, after in zip(sections, sections[1:]):
        assert before.end == after.start
    assert all(s.start < s.end for s in sections)


def paths(text: str, body_start: int = 0) -> list[str]:
    sections = split_sections(text, body_start)
    assert_tiles(sections, text, body_start)
    return [s.path for s in sections]


def parts(path: str) -> list[str]:
    return path.split(PATH_SEPARATOR) if path else []


def section_at(sections: list[Section], offset: int) -> Section:
    (found,) = [s for s in sections if s.start <= offset < s.end]
    return found


# --- the seed report -------------------------------------------------------------------

LEGAL_AID = [
    "一、本年度推进法治政府建设的主要举措和成效",
    "(六)积极有效化解社会矛盾纠纷,加强行政复议工作",
    "4.持续开展法律援助工作",
]


def test_sample_sections_tile_the_body(sample) -> None:
    assert_tiles(sample.sections, sample.text, sample.meta.body_start)


def test_sample_legal_aid_path(sample) -> None:
    section = section_at(sample.sections, sample.text.index("受理法律援助案件249件"))
    levels = parts(section.path)
    assert len(levels) == 3
    for level, prefix in zip(levels, LEGAL_AID):
        assert level.startswith(prefix), (level, prefix)


def test_sample_chunk_holding_legal_aid_cases_has_its_path(sample) -> None:
    chunks = chunk_report(sample.text, sample.sections, "sample", max_tokens=160)
    (chunk,) = [c for c in chunks if "受理法律援助案件249件" in c.text]
    levels = parts(chunk.section)
    assert len(levels) == 3
    for level, prefix in zip(levels, LEGAL_AID):
        assert level.startswith(prefix), (level, prefix)


def test_sample_inline_items_are_sub_sections(sample) -> None:
    # (六) runs its items 1.–4. together in one paragraph: each becomes a section
    under_six = [parts(s.path)[2] for s in sample.sections if s.path.startswith(PATH_SEPARATOR.join(LEGAL_AID[:2]))]
    assert [label.split(".", 1)[0] for label in under_six] == ["1", "2", "3", "4"]
    assert under_six[2].startswith("3.不断加强行政复议工作")
    three = section_at(sample.sections, sample.text.index("全年共接收行政复议案件84件"))
    assert sample.text[three.start :].startswith("3.不断加强行政复议工作")


def test_sample_top_level_headings(sample) -> None:
    tops = {parts(s.path)[0] for s in sample.sections if s.path}
    assert tops == {
        "一、本年度推进法治政府建设的主要举措和成效",
        "二、本年度推进法治政府建设存在的不足和原因",
        "三、本年度党政主要负责人履行推进法治建设第一责任人职责情况",
        "四、下一年度推进法治政府建设的主要安排",
        "五、对全市加强法治政府建设的建议和意见",
        "六、其他需要报告的重要事项",
    }


def test_sample_text_before_the_first_heading_has_an_empty_path(sample) -> None:
    first = sample.sections[0]
    assert first.path == "" and first.heading == ""
    assert sample.text[first.start : first.end].startswith("2025年,云冈区深入贯彻")
    assert sample.text[first.end :].startswith("一、本年度推进法治政府建设的主要举措和成效")


def test_sample_heading_running_into_its_sentence(sample) -> None:
    # "(一)行政执法规范化水平有待提升,执法队伍专业能力有待加强。部分基层执法人员…"
    section = section_at(sample.sections, sample.text.index("部分基层执法人员对法律缺乏系统研究"))
    assert parts(section.path) == [
        "二、本年度推进法治政府建设存在的不足和原因",
        "(一)行政执法规范化水平有待提升,执法队伍专业能力有待加强",
    ]


def test_sample_labels_are_short(sample) -> None:
    for section in sample.sections:
        for label in parts(section.path):
            assert 0 < len(label) <= 50, label


# --- heading kinds ---------------------------------------------------------------------


def test_fullwidth_parentheses_and_enumeration_comma() -> None:
    text = (
        "一、总体情况\n"
        "（一）坚持党的领导\n"
        "1、加强组织。全年开展培训4期。\n"
        "2、健全制度。制定制度6项。\n"
        "（二）依法行政\n全面推进。\n"
        "二、存在不足\n队伍薄弱。\n"
    )
    assert paths(text) == [
        "一、总体情况 › （一）坚持党的领导 › 1、加强组织",
        "一、总体情况 › （一）坚持党的领导 › 2、健全制度",
        "一、总体情况 › （二）依法行政",
        "二、存在不足",
    ]


def test_heading_running_into_its_first_sentence_is_cut_at_the_full_stop() -> None:
    text = "一、主要举措\n(一)坚持党的领导,扛牢主体责任。一是加强组织领导。二是健全制度。\n(二)深化改革。全年办结案件75件。\n"
    sections = split_sections(text)
    assert_tiles(sections, text)
    assert [s.path for s in sections] == [
        "一、主要举措 › (一)坚持党的领导,扛牢主体责任",
        "一、主要举措 › (二)深化改革",
    ]
    assert sections[0].heading == "(一)坚持党的领导,扛牢主体责任"
    assert "一是加强组织领导" in text[sections[0].start : sections[0].end]  # the sentence stays in the body


def test_arabic_items_straight_under_chinese_numerals_and_parenthesised_items() -> None:
    text = "一、甲项\n1.乙项\n(1)丙项内容。\n(2)丁项内容。\n2.戊项\n内容。\n二、己项\n内容。\n"
    assert paths(text) == [
        "一、甲项 › 1.乙项 › (1)丙项内容",
        "一、甲项 › 1.乙项 › (2)丁项内容",
        "一、甲项 › 2.戊项",
        "二、己项",
    ]


def test_chapters_and_articles() -> None:
    text = (
        "第一章 总则\n"
        "第一条 为了规范行政行为,制定本办法。\n"
        "第二条 本办法适用于全区。\n"
        "第二章 附则\n"
        "第三条 本办法自公布之日起施行。\n"
    )
    levels = [parts(p) for p in paths(text)]
    assert [len(level) for level in levels] == [2, 2, 2]
    assert [level[0][:3] for level in levels] == ["第一章", "第一章", "第二章"]
    assert [level[1][:3] for level in levels] == ["第一条", "第二条", "第三条"]


def test_articles_past_one_thousand() -> None:
    text = "第九百九十九条 前条。\n第一千条 本条。\n第一千零一条 后条。\n"
    assert [p[:5] for p in paths(text)] == ["第九百九十", "第一千条本", "第一千零一"]


def test_markdown_headings_nest_and_pop_back() -> None:
    text = "# 报告\n引言。\n## 甲\n内容甲。\n### 甲一\n内容甲一。\n## 乙\n内容乙。\n# 附录\n附录内容。\n"
    assert paths(text) == ["报告", "报告 › 甲", "报告 › 甲 › 甲一", "报告 › 乙", "附录"]


def test_markdown_skipped_level() -> None:
    text = "# 报告\n前言。\n### 细则\n内容。\n## 一、举措\n内容。\n"
    assert paths(text) == ["报告", "报告 › 细则", "报告 › 一、举措"]


def test_markdown_heading_pops_back_past_chinese_headings_under_it() -> None:
    text = "# 报告\n前言。\n## 一、举措\n（一）依法行政\n内容。\n## 二、不足\n内容。\n# 附录\n内容。\n"
    assert paths(text) == [
        "报告",
        "报告 › 一、举措 › （一）依法行政",
        "报告 › 二、不足",
        "附录",
    ]


def test_hash_without_space_is_not_a_heading() -> None:
    assert paths("#法治政府# 话题讨论。\n全年受理案件。\n") == [""]


def test_inline_continuation_items_become_sub_sections_but_figures_do_not() -> None:
    text = "(一)化解纠纷\n1.多元化解矛盾纠纷805起。2.严格落实普法责任制,全年投入3.5万元。3.5万元用于宣传。3.加强行政复议工作。\n"
    sections = split_sections(text)
    assert_tiles(sections, text)
    assert [s.heading for s in sections] == [
        "1.多元化解矛盾纠纷805起",
        "2.严格落实普法责任制,全年投入3.5万元",
        "3.加强行政复议工作",
    ]
    assert text[sections[1].start :].startswith("2.严格落实")
    assert "。3.5万元用于宣传。" in text[sections[1].start : sections[1].end]
    assert text[sections[2].start :].startswith("3.加强行政复议工作")


def test_inline_numbers_that_do_not_continue_the_list_are_left_alone() -> None:
    text = "1.加强组织。全年开展培训4期。8.完成率达到95%。\n"  # 。8. is not the next item after 1.
    assert paths(text) == ["1.加强组织"]


def test_inline_items_need_a_list_to_continue() -> None:
    text = "(一)依法行政\n全年办理案件。2.严格执法。\n"  # no 1. before it
    assert paths(text) == ["(一)依法行政"]


def test_numbers_and_dates_at_line_start_are_not_headings() -> None:
    text = "一、总体情况\n2025年全年受理案件249件。\n3.5万元用于普法宣传。\n12.5%的案件当场办结。\n一、二季度完成率达90%。\n"
    assert paths(text) == ["一、总体情况"]


# --- shapes of body --------------------------------------------------------------------


def test_no_headings_is_one_section_with_empty_path() -> None:
    text = "全年受理案件249件。\n没有标题的报告。\n"
    sections = split_sections(text)
    assert sections == [Section(0, len(text), "", "")]


def test_body_start_is_respected() -> None:
    header = "标题: 年度报告\n发布日期: 2025-01-01\n\n"
    text = header + "引言。\n一、举措\n内容。\n"
    sections = split_sections(text, len(header))
    assert_tiles(sections, text, len(header))
    assert [s.path for s in sections] == ["", "一、举措"]
    assert all("发布日期" not in text[s.start : s.end] for s in sections)


def test_leading_blank_lines_belong_to_the_first_section() -> None:
    text = "\n\n一、举措\n内容。\n"
    assert paths(text) == ["一、举措"]


def test_bare_parent_heading_joins_its_first_child() -> None:
    text = "一、举措\n\n(一)依法行政\n\n全面推进。\n"
    sections = split_sections(text)
    assert_tiles(sections, text)
    assert [s.path for s in sections] == ["一、举措 › (一)依法行政"]


def test_ten_thousand_headings() -> None:
    lines = []
    for part in range(100):
        lines += [f"# 部分{part}", f"部分{part}的说明。"]
        for item in range(99):
            lines += [f"## 条目{part}-{item}", f"条目{part}-{item}的内容。"]
    text = "\n".join(lines) + "\n"
    sections = split_sections(text)
    assert_tiles(sections, text)
    assert len(sections) == 10_000
    assert sum(1 for s in sections if PATH_SEPARATOR not in s.path) == 100
    assert sections[-1].path == "部分99 › 条目99-98"
    assert sections[100].path == "部分1"
    assert sections[199].path == "部分1 › 条目1-98"


def test_ten_thousand_articles() -> None:
    text = "".join(f"第{n}条 本条规定第{n}项事项。\n" for n in range(1, 10_001))
    sections = split_sections(text)
    assert_tiles(sections, text)
    assert len(sections) == 10_000
    assert sections[9_999].path == "第10000条本条规定第10000项事项"
