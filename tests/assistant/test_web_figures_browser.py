"""The Figures tab in a real browser: filter to legal aid, see the chart, open a row's passage, download the CSV."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from index import Settings
from tests.assistant.browser import open_page, require_chromium
from tests.assistant.server_fixture import running_server
from tests.conftest import SAMPLE_REPORT
from tests.reports import write_report

pytestmark = [
    pytest.mark.slow, pytest.mark.browser,
    pytest.mark.filterwarnings(r"ignore:::gradio\.queueing"),
]


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    require_chromium()
    root = tmp_path_factory.mktemp("web-figures")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    write_report(root / "reports", "nanle-2025.txt", "濮阳市南乐县", 2025, 316)
    write_report(root / "reports", "yungang-2024.txt", "大同市云冈区", 2024, 203)
    with running_server(Settings(home=root / "home", reports_dir=root / "reports")) as (url, _service):
        yield url + "/"


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[Any]:
    with open_page(base_url, height=1400, accept_downloads=True) as page:
        yield page


def test_figures_tab_filters_charts_links_and_exports(page: Any, tmp_path: Path) -> None:
    from playwright.sync_api import expect

    page.get_by_role("tab", name="数字 / Figures").click()
    expect(page.locator("#rc-fig-summary")).to_contain_text("行 / rows", timeout=60_000)

    # Filter to legal aid: the table holds its three reports, the summary their total, the chart appears.
    page.locator("#rc-fig-indicator input").fill("法律援助案件")
    page.get_by_role("option", name="法律援助案件 · legal aid case (3)").click()
    expect(page.locator("#rc-fig-summary")).to_contain_text("3 行 / rows · 合计 / total 768件")
    table = page.locator("#rc-fig-table")
    expect(table).to_contain_text("受理法律援助案件")
    expect(table).to_contain_text("南乐县")
    expect(page.locator("#rc-fig-bar")).to_be_visible()
    expect(page.locator("#rc-fig-bar canvas, #rc-fig-bar svg").first).to_be_visible()
    expect(page.locator("#rc-fig-line")).to_be_visible()  # 云冈区 has 2024 and 2025

    # A row leads to its passage, with the sentence highlighted.
    table.get_by_role("gridcell", name="受理法律援助案件").first.click()
    expect(page.locator("#rc-fig-passage mark")).to_contain_text("法律援助案件")

    # The CSV download holds the same rows.
    with page.expect_download(timeout=30_000) as download:
        page.locator("#rc-fig-csv").click()
    saved = tmp_path / "figures.csv"
    download.value.save_as(saved)
    text = saved.read_text(encoding="utf-8-sig")
    assert text.startswith("report_id,title,place,year,indicator")
    assert "受理法律援助案件249件" in text and "316.0" in text and "203.0" in text


def test_a_rank_answer_shows_its_chart_in_the_chat(page: Any) -> None:
    from playwright.sync_api import expect

    page.get_by_role("tab", name="对话 / Chat").click()
    page.locator("#rc-question textarea").fill("2025年哪个地区受理的法律援助案件最多?")
    page.locator("#rc-ask").click()
    expect(page.locator('#rc-chat [data-testid="bot"]').last).to_contain_text("316 − 249 = 67", timeout=60_000)
    expect(page.locator("#rc-answer-bars")).to_be_visible()
