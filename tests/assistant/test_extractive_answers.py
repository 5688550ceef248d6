"""Offline answers: the exact figure, in the question's language, with the sentence it came from."""

from __future__ import annotations

import pytest

from assistant import Assistant, Filters, QuestionError
from assistant.types import Draft, Passage
from index import Settings
from tests.assistant.conftest import report_text


def test_chinese_question_gets_the_figure_and_the_cited_sentence(bot: Assistant, corpus_settings: Settings) -> None:
    answer = bot.ask("云冈区2025年受理了多少件法律援助案件?")

    assert answer.found and answer.verified and answer.language == "zh"
    assert "249件" in answer.answer and "[1]" in answer.answer
    (citation, *_) = answer.citations
    assert "受理法律援助案件249件" in citation.quote
    assert report_text(corpus_settings, citation.report_id)[citation.start : citation.end] == citation.quote


def test_english_question_is_answered_in_english_from_the_chinese_passage(bot: Assistant) -> None:
    answer = bot.ask("How many legal aid cases did Yungang accept in 2025?")

    assert answer.found and answer.language == "en"
    lead = answer.answer.split("\n")[0]
    assert "249" in lead and "199" not in lead and "147" not in lead
    assert "受理法律援助案件249件" in answer.citations[0].quote


def test_look_alike_figures_in_one_sentence_are_told_apart(bot: Assistant) -> None:
    duty = bot.ask("2025年云冈区值班律师提供了多少件法律帮助?")
    advice = bot.ask("How many legal consultations did Yungang's public legal service centre provide in 2025?")

    assert "199件" in duty.answer.split("\n")[0] and "249" not in duty.answer.split("\n")[0]
    assert "358" in advice.answer.split("\n")[0]


def test_percent_questions_get_the_percentage(bot: Assistant) -> None:
    answer = bot.ask("云冈区2025年行政复议的纠错率是多少?")
    assert "11%" in answer.answer.split("\n")[0]


def test_qualifiers_are_kept(bot: Assistant) -> None:
    answer = bot.ask("云冈区2025年全年开展各类执法检查多少次?")
    assert "八百多次" in answer.answer
    english = bot.ask("What share of Yungang's public services are available online?")
    assert "over 90%" in english.answer


def test_compare_questions_give_both_figures_and_the_difference(bot: Assistant) -> None:
    answer = bot.ask("云冈区2025年值班律师的法律帮助和法律援助案件,谁多?差几件?")
    assert "249" in answer.answer and "199" in answer.answer and "249 − 199 = 50" in answer.answer
    assert answer.verified


def test_two_kinds_asked_of_one_statement_are_both_answered(bot: Assistant) -> None:
    answer = bot.ask("By how many working days and by what percentage did Yungang shorten approval time limits in 2025?")
    lead = answer.answer.split("\n\n")[0]
    assert "3000" in lead and "67%" in lead and answer.verified


@pytest.mark.parametrize(
    "question",
    ["云冈区2025年接收的行政复议案件中,有多少件尚未办结?", "How many of Yungang's 2025 reconsideration cases were not concluded?"],
)
def test_the_rest_of_a_total_is_computed_from_the_sentence_stating_both(bot: Assistant, question: str) -> None:
    answer = bot.ask(question)
    assert "84 − 75 = 9" in answer.answer and answer.verified
    assert len({c.start for c in answer.citations}) == 1


def test_what_is_counted_is_the_head_noun_after_de(bot: Assistant) -> None:
    answer = bot.ask("2025年云冈区清理了多少件以政府和政府办名义印发的文件?")
    assert "122件" in answer.answer.split("\n")[0]


@pytest.mark.parametrize(
    "question",
    ["Which emergency trainings did Yungang hold in 2025?", "云冈区2025年组织了哪些应急方面的培训?"],
)
def test_which_questions_are_answered_by_the_sentence_naming_the_things(bot: Assistant, question: str) -> None:
    answer = bot.ask(question)
    assert answer.found and "森林草原防灭火业务培训" in answer.citations[0].quote


def test_which_documents_lists_their_titles(bot: Assistant) -> None:
    answer = bot.ask("Which government normative documents did Yungang issue in 2025?")
    assert "《云冈区节约用水管理办法》;" in answer.answer.split("\n")[0] and answer.verified


def test_a_heading_that_matches_is_answered_by_the_sentence_under_it(bot: Assistant) -> None:
    answer = bot.ask("What role does Yungang play in the integrated construction of rule-of-law Shanxi?")
    assert answer.found and "唯一试点地区" in answer.citations[0].quote


def test_the_place_named_picks_its_report(bot: Assistant) -> None:
    answer = bot.ask("How many legal aid cases did Nanle accept in 2025?")
    assert "316" in answer.answer.split("\n")[0]
    assert {c.report_id for c in answer.citations} == {"nanle-2025"}


def test_the_year_named_picks_its_report(bot: Assistant) -> None:
    answer = bot.ask("云冈区2023年受理了多少件法律援助案件?")
    assert "187件" in answer.answer and answer.citations[0].report_id == "yungang-2023"


def test_a_year_no_report_covers_is_declined_and_said(bot: Assistant) -> None:
    answer = bot.ask("云冈区2019年的法律援助办了几件?")
    assert not answer.found and "2019" in answer.answer and not answer.citations


@pytest.mark.parametrize(
    ("question", "language"),
    [("Did Yungang record any road deaths in 2025?", "en"), ("云冈区2025年有多少所养老院?", "zh")],
)
def test_what_the_reports_do_not_say_is_declined_in_the_question_language(
    bot: Assistant, question: str, language: str
) -> None:
    answer = bot.ask(question)
    assert not answer.found and answer.language == language and not answer.citations
    assert ("don't say" in answer.answer) if language == "en" else ("没有找到" in answer.answer)


@pytest.mark.parametrize(("question", "place"), [("北京市2025年受理了多少件法律援助案件?", "北京市"),
                                               ("How many legal aid cases did Shanghai accept in 2025?", "Shanghai")])
def test_a_place_no_report_is_of_is_declined_and_said_not_answered_from_another(
    bot: Assistant, question: str, place: str
) -> None:
    answer = bot.ask(question)

    assert not answer.found and not answer.citations
    assert f"No indexed report is of {place}" in answer.answer


@pytest.mark.parametrize(
    ("question", "missing", "nearest"),
    [
        ("How many summary-procedure legal aid cases did Yungang accept in 2025?", '"summary procedure" (简易程序)', "249"),
        ("云冈区2025年受理了多少件未成年人法律援助案件?", "“未成年人”", "249件"),
    ],
)
def test_a_kind_of_thing_no_report_mentions_is_declined_and_the_nearest_figure_is_offered_as_such(
    bot: Assistant, question: str, missing: str, nearest: str
) -> None:
    answer = bot.ask(question)

    assert not answer.found and answer.verified
    assert missing in answer.answer  # says what the reports never mention
    assert nearest in answer.answer and "受理法律援助案件249件" in answer.citations[0].quote  # the nearest, cited


@pytest.mark.parametrize(
    "question",
    ["How many online legal consultations did Yungang provide in 2025?", "云冈区2025年受理了多少件简易程序法律援助案件?"],
)
def test_a_figure_for_part_of_what_is_counted_is_not_the_answer(bot: Assistant, question: str) -> None:
    """网上 appears elsewhere in the report, 程序 in 普通程序案件: neither makes 358 or 147 the answer."""
    answer = bot.ask(question)

    assert not answer.found
    assert answer.answer.startswith(("The reports give no figure for exactly this", "报告中没有与问题完全对应的数字"))
    assert answer.citations  # the nearest figure, cited, for the reader to judge


def test_an_answer_from_one_of_several_reports_searched_says_which(bot: Assistant) -> None:
    broad = bot.ask("2025年受理了多少件法律援助案件?")  # two places have a 2025 report
    narrow = bot.ask("云冈区2025年受理了多少件法律援助案件?")

    (note,) = broad.notes
    assert f"《{broad.citations[0].title}》" in note and "other reports may give figures of their own" in note
    assert narrow.notes == []


def test_filters_narrow_the_reports_searched(bot: Assistant, sample_id: str) -> None:
    answer = bot.ask("受理了多少件法律援助案件?", filters=Filters(report_ids=frozenset({"nanle-2025"})))
    assert "316" in answer.answer
    passages = bot.retrieve("法律援助案件", filters=Filters(year=2025))
    assert {p.report_id for p in passages} <= {sample_id, "nanle-2025"}


def test_publication_facts_come_from_the_report_header(bot: Assistant) -> None:
    answer = bot.ask("When was the Yungang 2025 rule-of-law government report published, and by whom?")
    assert answer.found and "2026-01-31" in answer.answer and "云冈区人民政府" in answer.answer


def test_follow_up_carries_the_previous_subject_offline(bot: Assistant) -> None:
    first = "云冈区2025年受理了多少件法律援助案件?"
    answer = bot.ask("那行政复议案件呢?", history=[(first, bot.ask(first).answer)])
    assert "84件" in answer.answer.split("\n")[0]


def test_answer_json_holds_the_contract_fields(bot: Assistant) -> None:
    data = bot.ask("云冈区2025年受理了多少件法律援助案件?").model_dump()
    assert {"question", "answer", "found", "language", "citations", "passages", "timings_ms"} <= set(data)
    assert {"n", "report_id", "title", "section", "text", "quote", "start", "end"} <= set(data["citations"][0])
    assert {"report_id", "section", "text", "score"} <= set(data["passages"][0])
    assert set(data["timings_ms"]) == {"retrieve", "answer"}


@pytest.mark.parametrize("question", ["", "   ", "问" * 10_000])
def test_empty_and_huge_questions_get_a_clear_error(bot: Assistant, question: str) -> None:
    with pytest.raises(QuestionError):
        bot.ask(question)


def test_streaming_ends_with_the_verified_answer(bot: Assistant) -> None:
    from assistant.types import Answer

    events = list(bot.stream("云冈区2025年受理了多少件法律援助案件?"))
    assert isinstance(events[-1], Answer) and all(isinstance(e, str) for e in events[:-1])


def test_langchain_retriever_returns_documents(bot: Assistant) -> None:
    documents = bot.as_retriever(k=3).invoke("法律援助案件")
    assert len(documents) == 3 and documents[0].metadata["report_id"]


def test_a_question_asking_for_two_figures_gets_both_in_its_answer_lines(bot: Assistant) -> None:
    answer = bot.ask("云冈区2025年全年受理法律援助案件多少件?值班律师又提供了多少件法律帮助?")

    lines = [line for line in answer.answer.splitlines() if not line.lstrip().startswith(">")]
    assert answer.found and answer.verified
    assert "249件" in "\n".join(lines) and "199件" in "\n".join(lines)


def test_an_english_sentence_answer_states_the_figures_of_its_sentence_in_its_own_line(bot: Assistant) -> None:
    answer = bot.ask("What did Yungang do about legal aid in 2025?")

    lead = answer.answer.split("\n")[0]
    assert answer.found and answer.language == "en" and "法律援助案件249件" in answer.citations[0].quote
    assert "**249** (249件)" in lead and "**199** (199件)" in lead
    assert "(4)" not in lead  # the item's list marker is no figure


def _passage(text: str) -> Passage:
    return Passage(chunk_id="r#0", report_id="r", title="某县2024年法治政府建设年度报告", year=2024, section="一、",
                   text=text, start=0, end=len(text), score=1.0)


def _extract(bot: Assistant, question: str, text: str) -> Draft:
    """The extractive answer to ``question`` over one hand-made passage of ``text``."""
    return bot.extractive.answer(bot.plan(question), [_passage(text)])


def _lines(draft_answer: str) -> str:
    return "\n".join(line for line in draft_answer.splitlines() if not line.startswith(">"))


def test_figures_beside_the_first_that_answer_another_part_of_the_question_are_stated_too(bot: Assistant) -> None:
    text = "法律顾问对全县53份重要文件、15份重要合同进行了合法性审查,提出意见120条。"
    draft = _extract(bot, "法律顾问审查了多少份重要文件和重要合同?", text)
    assert "53份" in _lines(draft.answer) and "15份" in _lines(draft.answer) and "120" not in _lines(draft.answer)


def test_a_share_stays_with_the_thing_it_is_a_share_of(bot: Assistant) -> None:
    text = "答复申请98件,其中予以公开的42件,占42.86%;不予公开的1件,占1.02%。"
    draft = _extract(bot, "不予公开的占比是多少?", text)
    assert "1.02%" in _lines(draft.answer) and "42.86%" not in _lines(draft.answer)


def test_a_number_inside_a_quoted_name_is_no_figure(bot: Assistant) -> None:
    text = "“高效办成一件事”改革落地见效,承接业务套餐41组。"
    draft = _extract(bot, "高效办成一件事办了多少件?", text)
    assert "一件**" not in draft.answer and not draft.found


def test_a_question_for_each_figure_gets_every_one_of_the_sentence_once_per_clause(bot: Assistant) -> None:
    text = "争取上级转移支付31.8亿元、专项资金25.8亿元,新增一般债券2.3亿元。"
    draft = _extract(bot, "争取的资金和债券各多少?", text)
    lines = _lines(draft.answer)
    assert "转移支付**31.8亿元**、专项资金**25.8亿元** [1]" in lines and "**2.3亿元**" in lines


def test_a_bracket_opens_a_clause_of_its_own(bot: Assistant) -> None:
    text = "答复申请98件(含上年度转结申请8件,另有5件申请转结下年度继续办理)。"
    draft = _extract(bot, "有几件是上年度转结的申请?", text)
    assert "**8件**" in _lines(draft.answer) and "**98件**" not in _lines(draft.answer)


def test_what_was_received_does_not_answer_what_was_refused(bot: Assistant) -> None:
    text = "新收到依申请公开政府信息78件,结转上年度办理3件。"
    refused = _extract(bot, "How many information disclosure requests were refused to disclose?", text)
    received = _extract(bot, "How many information disclosure requests were newly received?", text)
    assert not refused.found  # at most offered as the nearest figure, plainly not the answer
    assert "**78**" in _lines(received.answer)


def test_a_figure_in_a_unit_asked_answers_before_one_in_another(bot: Assistant) -> None:
    text = "主持召开4次常务会议研究法治政府建设重点工作,明确10大类37项重点工作。"
    draft = _extract(bot, "法治政府建设一共多少项重点工作?", text)
    assert "**37项**" in _lines(draft.answer) and "**4次**" not in _lines(draft.answer)


def test_each_unit_asked_gets_its_figure_from_the_sentence(bot: Assistant) -> None:
    text = "组织各级党员教育培训1.2万期,培训党员148.8万人次。"
    draft = _extract(bot, "党员教育培训办了多少期,培训了多少人次?", text)
    assert "**1.2万期**" in _lines(draft.answer) and "**148.8万人次**" in _lines(draft.answer)


def test_an_ordinal_answers_which_one_not_how_many(bot: Assistant) -> None:
    text = "提请召开委员会第二次会议,审议通过文件3件。"
    how_many = _extract(bot, "委员会会议审议通过了多少件文件?", text)
    which = _extract(bot, "提请召开的是委员会第几次会议?", text)
    assert "**二次**" not in _lines(how_many.answer) and "**二次**" in _lines(which.answer)


def test_chinese_written_into_an_english_question_is_searched_as_written(bot: Assistant) -> None:
    plan = bot.plan("How many followers does the 粤省事 account have?")
    assert "粤省事" in {t.zh for t in plan.terms}


def test_a_breakdown_gives_every_figure_of_the_sentence_that_has_most_in_the_reports_order(bot: Assistant) -> None:
    text = "合法性审查办件量增加了39%。共审查行政规范性文件51件,审查行政合同78个,提出合法性审核意见470余条。"
    draft = _extract(bot, "Give me the breakdown of the legality reviews.", text)
    lines = _lines(draft.answer)
    assert "39%" not in lines and lines.index("**51**") < lines.index("**78**") < lines.index("**more than 470**")


def test_a_why_question_is_answered_by_the_sentence_that_gives_the_purpose(bot: Assistant) -> None:
    text = "清洁生产审核试点项目通过评估。为加快园区改革,强化清洁生产的作用,申报了清洁生产审核试点。"
    draft = _extract(bot, "为什么申报清洁生产审核试点?", text)
    assert draft.citations and draft.citations[0].quote.startswith("为加快园区改革")


def test_a_share_is_shown_with_the_count_it_is_a_share_of(bot: Assistant) -> None:
    text = "答复申请98件,其中予以公开的42件,占42.86%;不予公开的1件,占1.02%。"
    lines = _lines(_extract(bot, "不予公开的比例是多少?", text).answer)
    assert "1.02%" in lines and "1件" in lines and "42" not in lines


@pytest.mark.parametrize("question", ["网格化工作考评连续几年全市第一?", "For how many years in a row did the grid work review come first?"])
def test_how_many_years_is_answered_by_a_count_of_years_not_a_date(bot: Assistant, question: str) -> None:
    text = "2024年,网格化工作考评连续5年全市第一,“双打”考核连续4年全市第一。"
    lines = _lines(_extract(bot, question, text).answer)
    assert "5" in lines and "2024" not in lines and "4年" not in lines


def test_two_counts_asked_of_people_or_bodies_and_of_items_are_both_answered(bot: Assistant) -> None:
    text = "按照权责清单调整情形,共涉及26个部门行政职权事项2817项,在政府门户网站公示。"
    lines = _lines(_extract(bot, "How many items are on the power list, and across how many departments?", text).answer)
    assert "2817" in lines and "26" in lines


def test_what_is_counted_is_read_past_the_time_words_and_light_verbs_before_the_cue(bot: Assistant) -> None:
    text = "县政府常务会议专题研究重点工作6次,及时解决重大问题。落实县政府常务会议会前学法制度,开展会前学法11次。"
    lines = _lines(_extract(bot, "县政府常务会议会前学法一年搞了几次?", text).answer)
    assert "11次" in lines and "6次" not in lines


def test_a_counted_noun_the_unit_already_says_need_not_be_written_in_the_report(bot: Assistant) -> None:
    text = "全年办理公益诉讼诉前磋商21件,提出检察建议9件。"
    lines = _lines(_extract(bot, "公益诉讼诉前磋商案件一年办了多少件?", text).answer)
    assert "21件" in lines and "9件" not in lines


def test_what_a_figure_counts_may_be_named_by_the_sentence_before_it_that_states_no_figure(bot: Assistant) -> None:
    text = "三是推进水土保持补偿费征收改革。全年开展2轮核查,征收金额5630元。"
    draft = _extract(bot, "水土保持补偿费征收了多少元?", text)
    assert draft.found and "**5630元**" in _lines(draft.answer)


def test_a_sentence_with_figures_of_its_own_names_nothing_for_the_next(bot: Assistant) -> None:
    text = "水土保持补偿费征收项目12个。全年开展2轮核查,征收金额5630元。"
    draft = _extract(bot, "水土保持补偿费征收了多少元?", text)
    assert not draft.found


def test_figures_of_different_kinds_are_compared_side_by_side_but_never_subtracted(bot: Assistant) -> None:
    draft = _extract(bot, "地区生产总值是多少亿元?增长率是多少?比较一下", "全县地区生产总值完成77.41亿元,增长7.9%。")
    lines = _lines(draft.answer)
    assert "**77.41亿元**" in lines and "**7.9%**" in lines and "相差" not in lines


def test_a_clause_opening_on_a_change_goes_on_with_the_thing_before_it(bot: Assistant) -> None:
    text = "全县地区生产总值完成77.41亿元,增长7.9%;固定资产投资增长31.1%。"
    draft = _extract(bot, "地区生产总值增长了多少?", text)
    assert "**7.9%**" in _lines(draft.answer) and "31.1%" not in _lines(draft.answer)


def test_a_qualifier_said_in_other_words_still_names_what_is_counted(bot: Assistant) -> None:
    draft = _extract(bot, "How many new civil servants got the briefing?", "面向全县3000名新录用公务员集中宣讲。")
    assert draft.found and "**3000**" in _lines(draft.answer)


def test_a_qualifier_the_rest_of_the_sentence_names_belongs_to_the_figure_there(bot: Assistant) -> None:
    text = "全年共受理法律援助案件249件,其中刑事案件法律援助受理普通程序案件147件。"
    draft = _extract(bot, "How many criminal legal aid cases were accepted?", text)
    assert "**249**" not in _lines(draft.answer)



def test_a_difference_of_figures_written_with_a_magnitude_is_given_in_full_in_english(bot: Assistant) -> None:
    text = "面向全县3万新录用公务员、5万行政执法人员集中宣讲。"
    draft = _extract(bot, "How many more law-enforcement officers than new civil servants got the briefing?", text)
    assert "50,000 − 30,000 = 20,000" in _lines(draft.answer)


def test_of_figures_in_one_clause_the_one_whose_own_words_name_what_is_counted_answers(bot: Assistant) -> None:
    text = "法律顾问对全区53份重要文件、15份重要合同进行了合法性审查。"
    draft = _extract(bot, "审查了多少份重要合同?", text)
    assert "**15份**" in _lines(draft.answer) and "**53份**" not in _lines(draft.answer)


def test_a_compound_is_not_hinted_by_its_last_part(bot: Assistant) -> None:
    text = "受理法律援助案件249件,其中普通程序案件147件。"
    assert not _extract(bot, "受理了多少件简易程序法律援助案件?", text).found


def test_a_figure_the_question_states_points_to_the_sentence_that_gives_it(bot: Assistant) -> None:
    text = "深化审批制度改革,企业开办审批事项全部纳入清单管理。企业开办审批时限由20个工作日压缩至5个工作日。"
    draft = _extract(bot, "哪个县把企业开办审批从20天压到了5天?", text)
    assert draft.found and "20个工作日压缩至5个工作日" in draft.answer
    assert draft.answer.startswith("《某县2024年法治政府建设年度报告》")



def test_the_second_part_of_a_two_part_question_is_read_first_beside_the_first_answer(bot: Assistant) -> None:
    text = "开通涉企服务专线,全年受理企业诉求412件,办结率99%。组织惠企政策宣讲30场,企业满意率96%。"
    draft = _extract(bot, "How many requests did the enterprise service line handle, and what share was resolved?", text)
    assert "**412**" in _lines(draft.answer) and "**99%**" in _lines(draft.answer) and "96%" not in _lines(draft.answer)


def test_a_clause_set_in_another_year_than_the_question_asks_of_yields_to_the_one_set_in_it(bot: Assistant) -> None:
    text = "2023年全区共办理行政复议案件120件。2024年全区新受理行政复议案件151件,较2023年增长26%。"
    draft = _extract(bot, "2023年新受理行政复议案件多少件?", text)
    assert "**120件**" in _lines(draft.answer) and "151" not in _lines(draft.answer)


TABLE = (
    "(一)主动公开政府信息情况\n"
    "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n"
    "规章 | 0 | 0 | 0 |\n"
    "行政规范性文件 | 3 | 1 | 12 |\n"
)


def test_a_figure_in_a_table_is_read_by_its_row_and_its_column(bot: Assistant) -> None:
    draft = _extract(bot, "现行有效的行政规范性文件有多少件?", TABLE)
    assert draft.found and "行政规范性文件/现行有效件数: **12** [1]" in draft.answer
    assert not _extract(bot, "现行有效的行政许可决定有多少件?", TABLE).found


def test_people_are_counted_by_the_bodies_they_head_only_where_the_report_says_so(bot: Assistant) -> None:
    heads = "全年约谈4家单位主要负责人。"
    assert "**4家**" in _lines(_extract(bot, "约谈了多少名负责人?", heads).answer)
    bodies = "组织10个部门举办政策宣讲直播活动,参加观看人数众多。"
    assert not _extract(bot, "How many people watched the policy livestreams?", bodies).found
