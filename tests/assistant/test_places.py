"""Places of reports: a government's name split into its levels, the most specific last."""

import pytest

from assistant.places import PlaceIndex, english_name, place_units
from index.catalog import ReportRecord


@pytest.mark.parametrize(("place", "units"), [
    ("大同市云冈区", ["大同市", "云冈区"]),
    ("忻州市五台县", ["忻州市", "五台县"]),  # 州 ends a city's name; it is not a level
    ("长治市潞州区", ["长治市", "潞州区"]),
    ("阿坝藏族羌族自治州汶川县", ["阿坝藏族羌族自治州", "汶川县"]),
    ("山西省", ["山西省"]),
])
def test_a_place_splits_into_its_levels(place: str, units: list[str]) -> None:
    assert [u.name for u in place_units(place)] == units


@pytest.mark.parametrize(
    ("name", "english"),
    [("南乐县", "Nanle County"), ("云冈区", "Yungang District"), ("六安市", "Lu'an City"),
     ("乐亭县", "Laoting County"), ("县5", "县5")],
)
def test_a_place_has_an_english_name_read_as_the_place_is_read(name: str, english: str) -> None:
    assert english_name(name) == english


@pytest.fixture(scope="module")
def indexed() -> PlaceIndex:
    def report(report_id: str, place: str) -> ReportRecord:
        return ReportRecord(report_id=report_id, path="", content_hash="", title=f"{place}2025年法治政府建设年度报告",
                            publisher=None, published=None, year=2025, place=place, header="", body_start=0, text="",
                            n_chunks=0, indexed_at="")

    return PlaceIndex([report("yungang", "大同市云冈区"), report("nanle", "濮阳市南乐县")])


@pytest.mark.parametrize(("question", "unindexed"), [
    ("北京市2025年受理了多少件法律援助案件?", ["北京市"]),
    ("河南受理了多少件?", ["河南"]),
    ("朝阳区有多少件?", ["朝阳区"]),
    ("How many legal aid cases did Shanghai accept in 2025?", ["Shanghai"]),
    ("How many cases in Chaoyang District?", ["Chaoyang District"]),
    ("云冈区2025年受理了多少件法律援助案件?", []),
    ("How many legal aid cases in Datong?", []),  # the city a district report lies in
    ("如何维护社会长治久安?", []),  # 长治 is a city, but not inside 长治久安
    ("What share of cadres studied Xi Jinping's thinking on law?", []),  # Jinping: a person, not the county
])
def test_places_a_question_names_that_no_report_is_of_are_found(
    indexed: PlaceIndex, question: str, unindexed: list[str]
) -> None:
    assert indexed.unindexed(question) == unindexed


def test_a_report_whose_title_names_no_place_is_of_the_place_its_opening_names() -> None:
    opening = "2024年,在市委、市政府的正确领导下,中原区坚持依法行政,郑州市各项工作取得新成效。"
    untitled = ReportRecord(report_id="untitled", path="", content_hash="", title="2024年,在市委、市政府的正确领导下",
                            publisher=None, published=None, year=2024, place=None, header="", body_start=0,
                            text=opening, n_chunks=0, indexed_at="")
    places = PlaceIndex([untitled])
    assert [p.name for p in places.by_report["untitled"]] == ["中原区"]  # the first it names, not 郑州市 after it
    assert places.in_chinese("中原区去年办了多少件?") == {"中原区": {"untitled"}}
    assert places.in_english(["zhongyuan", "district"]) == {"中原区": {"untitled"}}
    assert places.unindexed("中原区去年办了多少件?") == [] and places.covers_whole("中原区")


@pytest.mark.parametrize(("title", "opening", "places"), [
    ("根据《条例》编制本报告。", "一、总体情况 2025年,重庆市渝中区人民政府办公室坚持依法公开。", ["重庆市", "渝中区"]),
    ("政府工作报告", "2023年2月9日在略阳县第十八届人民代表大会第二次会议上", ["略阳县"]),
    ("luoyuan-2025", "福州市人民政府:\n2025年,罗源县坚持依法行政。", ["罗源县"]),
])
def test_a_title_that_names_no_place_with_its_level_leaves_the_place_to_the_opening(
    title: str, opening: str, places: list[str],
) -> None:
    record = ReportRecord(report_id="r", path="", content_hash="", title=title, publisher=None, published=None,
                          year=2025, place=None, header="", body_start=0, text=opening, n_chunks=0, indexed_at="")
    assert [p.name for p in PlaceIndex([record]).by_report["r"]] == places


def test_an_opening_that_names_no_place_leaves_it_to_the_place_the_report_names_most() -> None:
    text = ("2024年,在市委的正确领导下,市政府坚持以中国特色社会主义思想为指导。现将有关工作报告如下。" * 3
            + "制定《许昌市2024年度工作要点》,许昌市各部门落实到位,配合郑州市开展联合执法。")
    record = ReportRecord(report_id="r", path="", content_hash="", title="r", publisher=None, published=None,
                          year=2024, place=None, header="", body_start=0, text=text, n_chunks=0, indexed_at="")
    assert [p.name for p in PlaceIndex([record]).by_report["r"]] == ["许昌市"]  # not 中国 of 中国特色


def test_a_place_misspelt_by_one_letter_in_english_is_still_found() -> None:
    record = ReportRecord(report_id="r", path="", content_hash="", title="汉滨区2025年政府工作报告", publisher=None,
                          published=None, year=2025, place="汉滨区", header="", body_start=0, text="", n_chunks=0,
                          indexed_at="")
    places = PlaceIndex([record])
    assert places.in_english(["hanbim", "projects"], known=lambda word: word == "projects") == {"汉滨区": {"r"}}
    assert places.in_english(["hanbim"], known=lambda word: True) == {}  # a word it knows is no typo
    assert places.in_english(["han'bin"]) == {"汉滨区": {"r"}}  # hui'an, xi'an: the apostrophe parts syllables
    assert places.in_english(["hamsim"], known=lambda word: False) == {}  # two letters off
    assert places.in_english(["hanbni"], known=lambda word: False) == {"汉滨区": {"r"}}  # two letters swapped
    fuzhou = ReportRecord(report_id="f", path="", content_hash="", title="福州市2024年报告", publisher=None,
                          published=None, year=2024, place="福州市", header="", body_start=0, text="", n_chunks=0,
                          indexed_at="")
    assert PlaceIndex([fuzhou]).in_english(["xuzhou"], known=lambda word: False) == {}  # a place of its own


@pytest.mark.parametrize(("title", "places"), [
    ("2024年上海市司法局法治政府建设情况报告", ["上海市"]),
    ("中共浚县县委 浚县人民政府关于2024年法治政府建设情况的报告", ["浚县"]),
    ("桐庐县人民政府关于桐庐县2023年法治政府建设年度报告", ["桐庐县"]),
])
def test_the_words_before_a_place_in_a_title_are_not_part_of_it(title: str, places: list[str]) -> None:
    record = ReportRecord(report_id="r", path="", content_hash="", title=title, publisher=None, published=None,
                          year=2024, place=None, header="", body_start=0, text="", n_chunks=0, indexed_at="")
    assert [p.name for p in PlaceIndex([record]).by_report["r"]] == places


def _record(text: str, path: str = "") -> ReportRecord:
    return ReportRecord(report_id="r", path=path, content_hash="", title="r", publisher=None, published=None,
                        year=2025, place=None, header="", body_start=0, text=text, n_chunks=0, indexed_at="")


@pytest.mark.parametrize(("path", "places"), [
    ("/reports/玉林市2025年政府工作报告.txt", ["玉林市"]),
    ("/reports/yulin-2025-gzbg.txt", ["榆林", "玉林"]),  # pinyin names every place read so
    ("/reports/report-2025.txt", []),
])
def test_a_report_whose_text_names_no_place_is_of_the_place_its_file_name_gives(path: str, places: list[str]) -> None:
    record = _record("各位代表:现在,我代表市人民政府,向大会报告政府工作,请予审议。", path)
    assert sorted(p.name for p in PlaceIndex([record]).by_report["r"]) == sorted(places)


def test_a_place_word_inside_a_longer_name_the_reports_hold_is_not_an_unindexed_place() -> None:
    index = PlaceIndex([_record("龙潭临港产业园产值首次突破300亿元。", "/reports/yulin-2025.txt")])
    assert index.unindexed("龙潭临港产业园产值多少了?") == []
    assert index.unindexed("龙潭区2025年产值多少?") == ["龙潭区"]


def test_a_place_guessed_from_a_pinyin_file_name_is_one_the_report_is_wholly_of() -> None:
    index = PlaceIndex([_record("各位代表:现在,我代表市人民政府,向大会报告政府工作。", "/reports/yulin-2025-gzbg.txt")])
    assert index.covers_whole("玉林") and index.covers_whole("榆林")  # not only the last guess


def test_a_place_no_dictionary_lists_is_found_in_the_text_where_the_file_name_spells_it() -> None:
    record = _record("2025年,熊口管理区在市委、市政府的正确领导下,推进政务公开。", "/reports/xiongkou-2025-xxgk.txt")
    index = PlaceIndex([record])
    assert [p.name for p in index.by_report["r"]] == ["熊口管理区"]
    assert index.in_chinese("熊口管理区2024年公开了多少条信息?") == {"熊口管理区": {"r"}}


def test_a_place_spelt_whole_with_its_level_in_pinyin_is_found() -> None:
    record = ReportRecord(report_id="r", path="", content_hash="", title="巴林右旗2025年政府工作报告", publisher=None,
                          published=None, year=2025, place="巴林右旗", header="", body_start=0, text="", n_chunks=0,
                          indexed_at="")
    assert PlaceIndex([record]).in_english(["balin", "youqi", "gdp"]) == {"巴林右旗": {"r"}}
