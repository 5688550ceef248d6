"""In the web chat's reports tab, a file that cannot be indexed stays in view with its reason and is offered
for removal, and indexing can be cancelled."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator

import httpx
import pytest

from index import Settings
from tests.assistant.server_fixture import running_server, wait_for
from tests.assistant.test_web_handlers_api import call, file_data, upload_through_gradio
from tests.conftest import SAMPLE_REPORT

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("web-failed")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    settings = Settings(home=root / "home", reports_dir=root / "reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADIO_TEMP_DIR", str(root / "gradio-uploads"))
        with running_server(settings) as (url, _service):
            yield url, settings


def test_a_file_that_cannot_be_read_is_listed_with_its_reason_and_can_be_removed(server: tuple[str, Settings]) -> None:
    url, settings = server
    cached = upload_through_gradio(url, "scan.pdf", b"%PDF-1.7\n not really a pdf")

    kind, (status, *_lists) = call(url, "upload", [[file_data(cached)]], timeout=300)

    assert kind == "complete" and "scan.pdf" in status and "malformed PDF" in status
    _kind, (rows, _filter, _years, removable) = call(url, "refresh", [])
    (failed,) = [row for row in rows["data"] if row[4] == "scan.pdf"]
    assert "未能索引 / not indexed" in failed[1] and "malformed PDF" in failed[1]
    assert "scan.pdf" in [value for _label, value in removable["choices"]]

    removed = httpx.delete(f"{url}/api/reports/scan.pdf", timeout=30).json()["job"]  # what the remove button calls
    wait_for(lambda: httpx.get(f"{url}/api/jobs/{removed['id']}", timeout=30).json()["state"] == "done", 120, "removal")

    _kind, (rows, *_rest) = call(url, "refresh", [])
    assert [row[4] for row in rows["data"]] == [SAMPLE_REPORT.name]
    assert not (settings.reports_dir / "scan.pdf").exists()


def test_cancel_with_nothing_indexing_says_so(server: tuple[str, Settings]) -> None:
    kind, payload = call(url=server[0], handler="cancel", data=[])
    assert kind == "complete" and "No indexing is running" in json.dumps(payload, ensure_ascii=False)
