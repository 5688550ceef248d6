"""The web chat in a real browser: Debian's chromium, driven by Playwright, against a live server.

What only a browser shows: the streamed answer lands in the chat, its citation
card highlights the quoted sentence, an uploaded report is indexed and answered
from, and report text holding `<script>` stays text.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI

from assistant.service import ReportService
from index import Settings
from tests.assistant.browser import open_page, require_chromium
from tests.assistant.server_fixture import free_port, wait_for
from tests.conftest import SAMPLE_REPORT

pytestmark = [
    pytest.mark.slow, pytest.mark.browser,
    pytest.mark.filterwarnings(r"ignore:::gradio\.queueing"),  # Gradio's own pandas 3 deprecations
]

ANSWER_TIMEOUT_MS = 60_000  # the first question also loads the lexical index and the dictionaries
INDEX_TIMEOUT_MS = 120_000
# Read at import: the fixtures below clear REPORTCHAT_* variables before any test runs.
SCREENSHOT = os.environ.get("REPORTCHAT_SCREENSHOT")
NEW_REPORT = """标题: 某县2025年法治政府建设年度报告
发布日期: 2026-02-01
来源: 某县人民政府

2025年,某县扎实推进法治政府建设。
一、主要举措和成效
(一)积极有效化解社会矛盾纠纷
1.持续开展法律援助工作,全年共受理法律援助案件777件。<script>alert(1)</script>值班律师提供法律帮助388件。
"""


@pytest.fixture(scope="module")
def screenshot_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return Path(SCREENSHOT) if SCREENSHOT else tmp_path_factory.mktemp("screenshot") / "chat.png"


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample report indexed, build_ui mounted at / of a FastAPI app, uvicorn on loopback in a thread."""
    require_chromium()
    with pytest.MonkeyPatch.context() as env:
        for name in list(os.environ):
            if name.startswith(("REPORTCHAT_", "CHROMA_")):
                env.delenv(name)
        env.setenv("GRADIO_ANALYTICS_ENABLED", "False")
        import gradio as gr

        from assistant.web import CSS, build_ui

        root = tmp_path_factory.mktemp("web")
        (root / "reports").mkdir()
        shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
        service = ReportService(Settings(home=root / "home", reports_dir=root / "reports"))
        job = service.index_if_empty()
        assert job is not None
        wait_for(lambda: job.state in ("done", "failed"), 300, "the first index")
        assert job.state == "done", job.error

        app = gr.mount_gradio_app(FastAPI(), build_ui(service), path="/", css=CSS)
        port = free_port()
        server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        wait_for(lambda: server.started, 60, "uvicorn start")
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.should_exit = True
            thread.join(timeout=20)


@pytest.fixture(scope="module")
def page(base_url: str) -> Iterator[Any]:
    with open_page(base_url) as page:
        yield page


def ask(page: Any, question: str) -> None:
    page.locator("#rc-question textarea").fill(question)
    page.locator("#rc-ask").click()


def test_chat_cites_answers_from_uploads_and_keeps_report_html_as_text(
    page: Any, tmp_path: Path, screenshot_path: Path
) -> None:
    from playwright.sync_api import expect

    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # A question about the sample: the figure in the answer, the quoted sentence highlighted in its card.
    ask(page, "云冈区去年办了几件法律援助?")
    expect(page.locator("#cite-1 mark")).to_contain_text("249件", timeout=ANSWER_TIMEOUT_MS)
    answer = page.locator('#rc-chat [data-testid="bot"]').last
    expect(answer).to_contain_text("249")
    expect(answer.locator('a[href="#cite-1"]').first).to_be_visible()
    expect(page.locator("#cite-1")).to_contain_text("大同市云冈区2025年法治政府建设年度报告")
    screenshot_path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(screenshot_path))

    # Upload a new report: it is stored, re-indexed with progress, and listed.
    new_report = tmp_path / "mouxian-2025-fazhi-zhengfu.txt"
    new_report.write_text(NEW_REPORT, encoding="utf-8")
    page.get_by_role("tab", name="报告 / Reports").click()
    with page.expect_file_chooser(timeout=10_000) as chooser:
        page.locator("#rc-upload").click()
    chooser.value.set_files(str(new_report))
    expect(page.locator("#rc-status")).to_contain_text("索引完成 / Indexed", timeout=INDEX_TIMEOUT_MS)
    expect(page.locator("#rc-reports")).to_contain_text("某县2025年法治政府建设年度报告")

    # Ask about it: the new figure, cited; its <script> shows as text and never runs.
    page.get_by_role("tab", name="对话 / Chat").click()
    ask(page, "某县2025年受理了多少件法律援助案件?")
    expect(page.locator("#cite-1 mark")).to_contain_text("777件", timeout=ANSWER_TIMEOUT_MS)
    expect(page.locator('#rc-chat [data-testid="bot"]').last).to_contain_text("777")
    expect(page.locator("#cite-1")).to_contain_text("<script>alert(1)</script>")
    assert page.locator("#rc-citations script").count() == 0
    assert dialogs == []
