"""The query plan: language, the Chinese terms an English question is carried over to, places, kinds."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.glossary import Dictionary, Glossary, GlossaryError, english_words
from assistant.language import detect_language
from assistant.places import PlaceIndex, place_units
from assistant.query import QueryPlanner
from index.catalog import ReportRecord


def report(report_id: str, place: str, year: int) -> ReportRecord:
    return ReportRecord(report_id, f"/{report_id}.txt", "h", f"{place}{year}年法治政府建设年度报告", None, None,
                        year, place, "", 0, "", 1, "")


PLACES = PlaceIndex([report("yungang", "大同市云冈区", 2025), report("nanle", "濮阳市南乐县", 2025)])


@pytest.fixture(scope="module")
def planner(tmp_path_factory: pytest.TempPathFactory) -> QueryPlanner:
    return QueryPlanner(Glossary.load(), Dictionary(tmp_path_factory.mktemp("cache")), vocabulary=lambda word: True)


@pytest.mark.parametrize(
    ("text", "language"),
    [("2025年受理了多少件法律援助案件?", "zh"), ("How many legal aid cases in 2025?", "en"),
     ("How many 法律援助案件 in 2025?", "en"), ("法律援助 cases", "zh")],
)
def test_language_of_a_question(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_english_is_carried_over_to_the_chinese_of_the_reports(planner: QueryPlanner) -> None:
    plan = planner.plan("During 2025, how many legal aid cases got accepted?", PLACES)
    zh = {t.zh for t in plan.terms}
    assert {"法律援助案件", "受理"} <= zh and plan.year == 2025 and plan.kinds == {"count"}
    assert any(t.focus and t.zh == "法律援助案件" for t in plan.terms)


def test_pinyin_place_names_find_their_reports_heteronyms_included(planner: QueryPlanner) -> None:
    assert planner.plan("legal aid cases in Yungang", PLACES).report_ids == {"yungang"}
    assert planner.plan("legal aid cases in Nanle", PLACES).report_ids == {"nanle"}
    assert "nanle" in place_units("濮阳市南乐县")[1].readings and "nanyue" in place_units("濮阳市南乐县")[1].readings


def test_chinese_place_names_find_their_reports(planner: QueryPlanner) -> None:
    assert planner.plan("云冈区受理了多少件法律援助案件?", PLACES).report_ids == {"yungang"}


def test_a_city_whose_districts_alone_report_is_flagged(planner: QueryPlanner) -> None:
    plan = planner.plan("大同市全市受理了多少件法律援助案件?", PLACES)
    assert plan.wider_places == ["大同市"]


@pytest.mark.parametrize(
    ("question", "kinds"),
    [("纠错率是多少?", {"percent"}), ("受理了多少件?", {"count"}), ("罚没款一共多少钱?", {"money"}),
     ("What share of services are online?", {"percent"}), ("How much did the rate drop?", {"percent"}),
     ("纠错率下降了多少?", {"percent"}), ("下降了多少?", {"any"})],
)
def test_the_kind_of_figure_asked(planner: QueryPlanner, question: str, kinds: set[str]) -> None:
    assert planner.plan(question, PLACES).kinds == kinds


def test_people_counts_are_recognised(planner: QueryPlanner) -> None:
    assert planner.plan("How many officials attended court hearings?", PLACES).counts == "people"
    assert planner.plan("How many times did duty lawyers help?", PLACES).counts is None


def test_compare_questions_have_two_sides(planner: QueryPlanner) -> None:
    plan = planner.plan("值班律师的法律帮助和法律援助案件,谁多?", PLACES)
    assert plan.compare and len(plan.sides) == 2


def test_english_words_split_hyphens_and_drop_possessives() -> None:
    assert english_words("Yungang's rule-of-law report") == ["yungang", "rule", "of", "law", "report"]


def test_glossary_matches_the_longest_phrase_and_plurals(planner: QueryPlanner) -> None:
    terms, leftover = planner.glossary.translate(english_words("legal aid cases"))
    assert terms[0].zh == "法律援助案件" and leftover == []


def test_a_users_own_glossary_adds_phrases_and_its_renderings_lead(tmp_path: Path) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text("# our district's words\nsmart court|e-court\t智慧法院\nlegal aid case\t法援案件\n", "utf-8")

    glossary = Glossary.load(mine)

    assert glossary.entries["smart court"] == glossary.entries["e court"] == ["智慧法院"]
    assert glossary.entries["legal aid case"][:2] == ["法援案件", "法律援助案件"]  # the shipped ones follow


def test_a_malformed_glossary_file_is_a_clear_error(tmp_path: Path) -> None:
    mine = tmp_path / "mine.tsv"
    mine.write_text("smart court 智慧法院\n", "utf-8")
    with pytest.raises(GlossaryError, match="mine.tsv:1"):
        Glossary.load(mine)
    with pytest.raises(GlossaryError, match="Cannot read"):
        Glossary.load(tmp_path / "missing.tsv")


def test_dictionary_fills_in_words_the_glossary_lacks(tmp_path) -> None:
    dictionary = Dictionary(tmp_path)
    assert "熊猫" in dictionary.lookup("panda")
    assert (tmp_path / "cedict-reverse-v3.pickle").exists()  # cached for the next process


def test_concurrent_first_lookups_build_the_dictionary_cache_once(tmp_path: Path) -> None:
    import threading

    dictionary = Dictionary(tmp_path)
    found: list[list[str]] = []
    threads = [threading.Thread(target=lambda: found.append(dictionary.lookup("court"))) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(found) == 4 and all(words == found[0] and words for words in found)
    assert [p.name for p in tmp_path.iterdir()] == ["cedict-reverse-v3.pickle"]


def test_the_year_a_change_is_measured_against_is_not_what_is_counted(planner: QueryPlanner) -> None:
    plan = planner.plan("云冈区行政复议纠错率比上年涨了多少?", PLACES)
    assert plan.change and not {t.zh for t in plan.terms if t.focus} & {"上年", "去年", "上一年"}


@pytest.mark.parametrize(("question", "counted"), [
    ("一共收到多少件政府信息公开申请?", {"政府", "申请"}),  # the head comes last
    ("年底还有几件没有办结?", set()),  # 还有 is no thing counted, 年底 is a time
    ("共设了几个工作室?", {"工作室"}),
])
def test_what_a_chinese_question_counts(planner: QueryPlanner, question: str, counted: set[str]) -> None:
    assert {t.zh for t in planner.plan(question, PLACES).terms if t.focus and not t.part} == counted


@pytest.mark.parametrize(("question", "kind"), [
    ("哪个地区法律援助案件最多?", "rank"), ("各地区合计受理多少件?", "total"), ("How did it change from 2023 to 2025?", "trend"),
    ("受理了多少件?", None),
])
def test_a_question_over_many_reports_is_told_by_the_planner(planner: QueryPlanner, question: str, kind: str | None) -> None:
    across = planner.plan(question, PLACES).across
    assert (across.kind if across else None) == kind


def test_a_chinese_question_of_growth_asks_for_a_figure_of_any_kind(planner: QueryPlanner) -> None:
    plan = planner.plan("居民人均可支配收入分别涨了多少?", PLACES)
    assert plan.kinds == {"any"} and plan.change and not {t.zh for t in plan.terms if t.focus} & {"分别", "涨"}


def test_an_issuer_the_glossary_renders_as_a_reports_place_names_it(planner: QueryPlanner) -> None:
    ministry = PlaceIndex([report("moj", "司法部", 2024)])
    assert planner.plan("What did the Ministry of Justice report in 2024?", ministry).places == {"司法部": {"moj"}}


def test_which_ones_is_a_list_not_a_count(planner: QueryPlanner) -> None:
    plan = planner.plan("健全了哪几项学法制度?", PLACES)
    assert plan.listing and not plan.kinds and not plan.units


def test_words_a_user_adds_without_content_are_no_terms(planner: QueryPlanner) -> None:
    plan = planner.plan("请问这些来信里到底有多大比例是因为材料不全之类原因被退回的呢?", PLACES)
    zh = {t.zh for t in plan.terms}
    assert {"来信", "材料", "原因", "退回"} <= zh
    assert not zh & {"是因为", "之类", "这些"}


def test_english_written_into_a_chinese_question_is_read_through_the_glossary(planner: QueryPlanner) -> None:
    assert "地区生产总值" in {t.zh for t in planner.plan("云冈区2025年GDP是多少?", PLACES).terms}


def test_what_an_english_question_counts_is_the_head_of_its_noun_phrase(planner: QueryPlanner) -> None:
    plan = planner.plan("How many new civil servants got the briefing?", PLACES)
    assert any(t.focus and not t.qualifier and t.zh == "公务员" for t in plan.terms)
    assert all(t.qualifier for t in plan.terms if t.focus and t.en == "new")


def test_a_share_of_things_that_were_something_counts_that_something(planner: QueryPlanner) -> None:
    plan = planner.plan("What share of the office's replies ended up as not disclosed?", PLACES)
    assert plan.kinds == {"percent"}
    assert "不予公开" in {t.zh for t in plan.terms if t.focus} and not any(t.focus for t in plan.terms if t.zh == "答复")


def test_things_that_only_a_verb_follows_are_counted_by_what_is_said_of_them(planner: QueryPlanner) -> None:
    plan = planner.plan("Of the reconsideration cases decided, how many ended with the original decision upheld?", PLACES)
    assert "维持" in {t.zh for t in plan.terms if t.focus and not t.qualifier}


def test_more_x_than_y_counts_both_heads(planner: QueryPlanner) -> None:
    plan = planner.plan("How many more law-enforcement officers than new civil servants got the briefing?", PLACES)
    heads = {t.zh for t in plan.terms if t.focus and not t.qualifier}
    assert {"行政执法人员", "公务员"} <= heads


def test_how_many_rounds_of_a_thing_counts_the_thing(planner: QueryPlanner) -> None:
    plan = planner.plan("How many rounds of inspections were held?", PLACES)
    focus = {t.en for t in plan.terms if t.focus}
    assert focus and "rounds" not in focus and "round" not in focus


def test_a_word_holding_a_character_that_means_with_does_not_split_a_compare(planner: QueryPlanner) -> None:
    plan = planner.plan("云冈区审查的行政合同和南乐县审查的重要合同哪个多?", PLACES)
    assert len(plan.sides) == 2 and all(any(t.zh == "合同" for t in side) for side in plan.sides)
    assert plan.side_reports == [{"yungang"}, {"nanle"}]


def test_each_side_of_a_compare_counts_what_the_question_counts(planner: QueryPlanner) -> None:
    plan = planner.plan("云冈区公共法律服务中心和南乐县的中心2025年受理的法律援助案件差多少?", PLACES)
    assert len(plan.sides) == 2 and all(any(t.zh == "案件" for t in side) for side in plan.sides)


def test_figures_the_question_states_are_read_years_aside(planner: QueryPlanner) -> None:
    assert planner.plan("哪个县2024年的网上办件量超过了3.6万件?", PLACES).given == {3.6}
    assert planner.plan("Which county's online filings passed 36 thousand in 2024?", PLACES).given == {36000}
    assert not planner.plan("How many legal aid cases in 2025?", PLACES).given


@pytest.mark.parametrize(
    ("question", "asks"),
    [("哪个区把审批时限压缩了一半?", True), ("Which bureau ran the pilot?", True), ("哪些文件被废止了?", False),
     ("Which regulations were revised?", False)],
)
def test_a_question_asking_which_government_or_office_is_told(planner: QueryPlanner, question: str, asks: bool) -> None:
    assert planner.plan(question, PLACES).asks_issuer is asks


def test_a_noun_that_only_says_how_many_again_is_not_what_is_counted(planner: QueryPlanner) -> None:
    plan = planner.plan("How many broken-promise cases did the government settle?", PLACES)
    assert "案件" not in {t.zh for t in plan.terms if t.focus}


def test_a_compare_asking_who_did_more_asks_for_figures(planner: QueryPlanner) -> None:
    assert planner.plan("Nanle vs Yungang: who published more policy interpretations?", PLACES).kinds == {"any"}


def test_a_light_verb_before_the_cue_is_not_what_a_chinese_question_counts(planner: QueryPlanner) -> None:
    plan = planner.plan("公益事业建设类信息发了多少条?", PLACES)
    assert {t.zh for t in plan.terms if t.focus} == {"信息"}


def test_a_filler_adverb_of_speech_is_not_what_is_counted(planner: QueryPlanner) -> None:
    plan = planner.plan("撤销的到底有几件?", PLACES)
    assert {t.zh for t in plan.terms if t.focus} == {"撤销"}


def test_an_english_word_the_glossary_lacks_takes_the_dictionary_senses_the_reports_use(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    planner = QueryPlanner(Glossary.load(), Dictionary(tmp_path_factory.mktemp("cache")), vocabulary={"机场"}.__contains__)
    plan = planner.plan("When did the new airport open?", PLACES)
    assert [t.zh for t in plan.terms if t.source == "dictionary"] == ["机场"]  # not 空港, an earlier sense
