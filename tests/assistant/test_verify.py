"""The verifier: no figure is shown as fact unless a cited passage holds it."""

from assistant.types import Citation
from assistant.verify import unsupported_figures


def citation(n: int, text: str) -> Citation:
    return Citation(n=n, report_id="r", title="某区2025年法治政府建设年度报告", section="", text=text,
                    quote=text, start=0, end=len(text))


SOURCE = citation(1, "全年共受理法律援助案件249件,值班律师提供法律帮助199件。")


def test_figures_held_by_the_citation_pass() -> None:
    assert unsupported_figures("共受理法律援助案件249件 [1]", [SOURCE]) == []


def test_an_invented_figure_is_caught() -> None:
    assert unsupported_figures("共受理法律援助案件294件 [1]", [SOURCE]) == [294.0]


def test_the_year_of_the_cited_report_is_held_by_its_title() -> None:
    assert unsupported_figures("In 2025, 249 cases [1]", [SOURCE]) == []


def test_shown_arithmetic_on_cited_figures_passes_and_wrong_arithmetic_does_not() -> None:
    assert unsupported_figures("249 − 199 = 50 [1]", [SOURCE]) == []
    assert unsupported_figures("249 − 199 = 60 [1]", [SOURCE]) == [60.0]


def test_only_the_citations_the_answer_points_at_count() -> None:
    other = citation(2, "调解案件316件")
    assert unsupported_figures("316件 [1]", [SOURCE, other]) == [316.0]


def test_a_sum_over_many_cited_figures_passes_only_when_right() -> None:
    other = citation(2, "受理法律援助案件316件。")
    assert unsupported_figures("249 [1] + 316 [2]: 249 + 199 + 316 = 764 [1][2]", [SOURCE, other]) == []
    assert unsupported_figures("249 + 199 + 316 = 770 [1][2]", [SOURCE, other]) == [770.0]
    assert unsupported_figures("249 + 199 + 999 = 1447 [1][2]", [SOURCE, other]) == [999.0, 1447.0]


def test_a_result_shown_before_may_be_used_again() -> None:
    assert unsupported_figures("249 + 199 = 448; 448 ÷ 249 = 1.8 [1]", [SOURCE]) == []


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
