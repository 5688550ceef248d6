"""The verifier: a figure is shown as fact only where the sentence it is cited from states it, as stated."""

import pytest

from assistant.glossary import Glossary
from assistant.types import Citation
from assistant.verify import unsupported_figures


def citation(n: int, text: str) -> Citation:
    return Citation(n=n, report_id="r", title="某区2025年法治政府建设年度报告", section="", text=text,
                    quote=text, start=0, end=len(text))


SOURCE = citation(1, "全年共受理法律援助案件249件,值班律师提供法律帮助199件。")
# As the sample report writes it: a list marker, look-alike figures in one sentence, a rate beside counts.
REPORT = citation(1, (
    "3.不断加强行政复议工作,全年共接收行政复议案件84件,已办结75件,纠错率11%,较去年同期下降21%;"
    "积极发挥行政调解作用,调解和解案件24件。4.持续开展法律援助工作,区公共法律服务中心全年共受理法律援助案件249件,"
    "值班律师提供法律帮助199件,提供法律咨询358件。"
))


@pytest.fixture(scope="module")
def glossary() -> Glossary:
    return Glossary.load()


def test_figures_held_by_the_citation_pass() -> None:
    assert unsupported_figures("共受理法律援助案件249件 [1]", [SOURCE]) == []


def test_an_invented_figure_is_caught() -> None:
    assert unsupported_figures("共受理法律援助案件294件 [1]", [SOURCE]) == [294.0]


def test_the_year_of_the_cited_report_is_held_by_its_title() -> None:
    assert unsupported_figures("In 2025, 249 cases [1]", [SOURCE]) == []


def test_only_the_citations_the_sentence_points_at_count() -> None:
    other = citation(2, "调解案件316件")
    assert unsupported_figures("316件 [1]", [SOURCE, other]) == [316.0]
    assert unsupported_figures("调解案件316件 [2]。法律援助案件249件 [1]", [SOURCE, other]) == []


def test_no_marker_no_support() -> None:
    assert unsupported_figures("共受理法律援助案件249件。", [SOURCE]) == [249.0]
    assert unsupported_figures("共受理法律援助案件249件。值班律师提供法律帮助199件[1]。", [SOURCE]) == [249.0]


def test_a_marker_right_after_the_sentence_end_cites_it() -> None:
    assert unsupported_figures("共受理法律援助案件249件。[1]", [SOURCE]) == []


def test_a_figure_is_held_only_as_what_its_clause_counts() -> None:
    assert unsupported_figures("全年共受理法律援助案件199件[1]。", [REPORT]) == [199.0]  # duty lawyers' figure
    assert unsupported_figures("全年共接收行政复议案件75件[1]。", [REPORT]) == [75.0]  # 75 were concluded
    assert unsupported_figures("提供法律咨询199件[1]。", [REPORT]) == [199.0]
    assert unsupported_figures("值班律师提供了199件法律帮助[1],已办结行政复议案件75件[1]。", [REPORT]) == []


def test_the_unit_must_agree_where_the_answer_gives_one() -> None:
    assert unsupported_figures("受理法律援助案件249万元[1]", [REPORT]) == [249.0]
    assert unsupported_figures("纠错率为84%[1]", [REPORT]) == [84.0]
    assert unsupported_figures("纠错率为11%[1]", [REPORT]) == []


def test_list_markers_and_years_hold_nothing() -> None:
    assert unsupported_figures("法律援助案件共249 + 4 = 253件[1]", [REPORT]) == [4.0, 253.0]
    assert unsupported_figures("法律援助案件4件[1]", [REPORT]) == [4.0]
    assert unsupported_figures("受理法律援助案件2025件[1]", [REPORT]) == [2025.0]


def test_english_answers_meet_the_source_through_the_glossary(glossary: Glossary) -> None:
    honest = [
        "The district accepted 249 legal aid cases [1].",
        "Duty lawyers provided legal help in 199 cases [1].",
        "Reconsideration: 84 cases came in over the year and 75 were closed [1].",
        "The correction rate was 11 percent [1].",
    ]
    for answer in honest:
        assert unsupported_figures(answer, [REPORT], glossary=glossary) == [], answer
    assert unsupported_figures("The district accepted 199 legal aid cases [1].", [REPORT], glossary=glossary) == [199.0]
    assert unsupported_figures("The correction rate was 84% [1].", [REPORT], glossary=glossary) == [84.0]


def test_a_list_of_figures_under_one_lead_is_checked_against_the_sentence(glossary: Glossary) -> None:
    lead = "The report says (legal aid, duty lawyer) — **249** (249件); **199** (199件): [1]"
    assert unsupported_figures(lead, [REPORT], glossary=glossary) == []


def test_number_words_are_read_as_figures(glossary: Glossary) -> None:
    assert unsupported_figures("全年共受理法律援助案件二百四十九件[1]", [REPORT]) == []
    assert unsupported_figures("Two hundred and forty-nine legal aid cases [1]", [REPORT], glossary=glossary) == []
    assert unsupported_figures("全年共受理法律援助案件二百九十件[1]", [REPORT]) == [290.0]
    assert unsupported_figures("About two hundred and ninety legal aid cases [1]", [REPORT], glossary=glossary) == [290.0]
    assert unsupported_figures("法律援助案件二百九十[1]", [REPORT]) == [290.0]  # a numeral without its unit


def test_shown_arithmetic_counts_over_supported_figures_when_it_says_what_it_computes() -> None:
    assert unsupported_figures("法律援助案件比值班律师法律帮助多249 − 199 = 50件[1]", [REPORT]) == []
    assert unsupported_figures("There were 249 − 199 = 50 more legal aid cases than duty-lawyer help [1]", [REPORT]) == []
    assert unsupported_figures("249 − 199 = 50 [1]", [REPORT]) == [50.0]  # says nothing of what it computes
    assert unsupported_figures("相差:249 − 199 = 60 [1]", [REPORT]) == [60.0]


def test_a_sum_over_many_cited_figures_passes_only_when_right() -> None:
    other = citation(2, "受理法律援助案件316件。")
    assert unsupported_figures("249件 [1], 316件 [2]: 合计 249 + 316 = 565件 [1][2]", [SOURCE, other]) == []
    assert unsupported_figures("合计 249 + 316 = 570件 [1][2]", [SOURCE, other]) == [570.0]
    assert unsupported_figures("合计 249 + 199 + 999 = 1447件 [1][2]", [SOURCE, other]) == [999.0, 1447.0]


def test_a_result_shown_before_may_be_used_again() -> None:
    assert unsupported_figures("合计 249 + 199 = 448; 比值 448 ÷ 249 = 1.8 [1]", [SOURCE]) == []


def test_years_the_caller_vouches_for_are_dates_not_figures() -> None:
    assert unsupported_figures("2023年到2025年:249件 [1]", [SOURCE]) == [2023.0]
    assert unsupported_figures("2023年到2025年:249件 [1]", [SOURCE], dates={2023, 2025}) == []


def test_place_names_the_caller_vouches_for_are_names_not_figures() -> None:
    assert unsupported_figures("忻州市五台县:249件 [1]", [SOURCE]) == [5.0]
    assert unsupported_figures("忻州市五台县:249件 [1]", [SOURCE], names={"五台县"}) == []


def test_a_figure_with_a_magnitude_is_held_in_full_as_english_writes_it() -> None:
    source = citation(1, "培训人员2.8万余人次,争取资金31.8亿元。")
    assert unsupported_figures("more than 28,000 people (2.8万余人次); 3.18 billion yuan [1]", [source]) == []
    assert unsupported_figures("2.8 million people [1]", [source]) == [2_800_000]
    assert unsupported_figures("28 thousand trainees; 3,180 million yuan [1]", [source]) == []
    assert unsupported_figures("资金31.8亿人 [1]", [source]) == [31.8]


def test_a_figure_is_held_only_where_the_answers_words_fit_no_other_figure_of_its_sentence_better(
    glossary: Glossary,
) -> None:
    source = citation(1, (
        "区公共法律服务中心全年共受理法律援助案件249件,值班律师提供法律帮助199件,"
        "刑事审判阶段法律援助受理普通程序案件147件。"
    ))
    # the right words, a figure whose clause adds what they leave out
    assert unsupported_figures("受理法律援助案件147件[1]", [source]) == [147.0]
    assert unsupported_figures("刑事审判阶段法律援助受理普通程序案件147件[1]", [source]) == []
    assert unsupported_figures("Criminal legal aid cases: 147 [1]", [source], glossary=glossary) == []
    # named by another figure's clause, where this one's is about something else
    assert unsupported_figures("法律援助199件[1]", [source]) == [199.0]
    assert unsupported_figures("值班律师提供法律帮助199件[1]", [source]) == []


def test_what_a_later_clause_adds_belongs_to_its_own_figure(glossary: Glossary) -> None:
    assert unsupported_figures("已办结行政复议案件84件[1]", [REPORT]) == [84.0]
    assert unsupported_figures("84 reconsideration cases were closed [1]", [REPORT], glossary=glossary) == [84.0]
    assert unsupported_figures("全年共接收行政复议案件84件,已办结75件[1]", [REPORT]) == []


def test_a_rate_is_no_rival_of_a_count() -> None:
    source = citation(1, "全年化解矛盾纠纷692起,化解率达96%。")
    assert unsupported_figures("矛盾纠纷化解率96%[1]", [source]) == []
    assert unsupported_figures("化解矛盾纠纷692起[1]", [source]) == []


def test_figures_listed_after_one_lead_share_its_words() -> None:
    source = citation(1, "社会消费品零售总额增长7.9%,城乡居民人均可支配收入分别增长4.8%、7.2%。")
    assert unsupported_figures("农村居民人均可支配收入增长7.2%[1]", [source]) == []
    assert unsupported_figures("社会消费品零售总额增长7.2%[1]", [source]) == [7.2]


def test_long_chinese_numerals_are_read_whole() -> None:
    source = citation(1, "全年受理各类审批事项24979件。")
    assert unsupported_figures("全年受理审批事项两万四千九百七十九件[1]", [source]) == []
    assert unsupported_figures("全年受理审批事项两万四千九百七十八件[1]", [source]) == [24978.0]


def test_arithmetic_as_models_write_it() -> None:
    assert unsupported_figures("结案比例为75÷84≈89.3%[1]", [REPORT]) == []  # a quotient as a percentage
    assert unsupported_figures("结案比例为75÷84≈90%[1]", [REPORT]) == [90.0]  # not to the digits shown
    assert unsupported_figures("法律援助案件多50件(249-199)[1]", [REPORT]) == []  # the result first
    assert unsupported_figures("法律援助案件多51件(249-199)[1]", [REPORT]) == [51.0]
    assert unsupported_figures("法律援助案件比值班律师法律帮助多249件—199件=50件[1]", [REPORT]) == []


def test_a_result_worked_out_may_be_stated_again_in_its_own_sentence_only() -> None:
    assert unsupported_figures("249 − 199 = 50: legal aid cases exceeded duty-lawyer help by 50 [1]", [REPORT]) == []
    assert unsupported_figures("全年共受理法律援助案件50件[1]。两者相差249 − 199 = 50件[1]。", [REPORT]) == [50.0]


def test_a_result_stated_first_may_carry_its_words_before_the_working() -> None:
    source = citation(1, "筛查案件线索11条,其中主动上报7条,上级下发4条。")
    assert unsupported_figures("The bureau screened 11 leads in total (7 + 4) [1]", [source]) == []
    assert unsupported_figures("The bureau screened 12 leads in total (7 + 4) [1]", [source]) == [12.0]
    assert unsupported_figures("筛查案件线索共11条(其中7条+4条)[1]", [source]) == []


def test_a_sentence_copied_from_its_citation_holds_its_figures_and_serves_as_operands() -> None:
    source = citation(1, "深入贯彻党的二十大精神,抓实党风廉政、意识形态、巡视整改等关键任务。")
    assert unsupported_figures("深入贯彻党的二十大精神,抓实党风廉政、意识形态、巡视整改等关键任务 [1]", [source]) == []
    copied = "全年共接收行政复议案件**84件** [1]\n已办结**75件** [1]\n相差:84 − 75 = 9"
    assert unsupported_figures(copied, [REPORT]) == []
    assert unsupported_figures(copied.replace("= 9", "= 19"), [REPORT]) == [19.0]


def test_a_figure_from_a_table_is_held_by_its_column_not_by_another() -> None:
    table = citation(1, "申请事项 | 举报投诉处理 | 政府信息公开 |\n数量 | 75件 | 16件 |\n")
    assert unsupported_figures("数量/举报投诉处理: 75件 [1]", [table]) == []
    assert unsupported_figures("政府信息公开类申请75件 [1]", [table]) == [75.0]
