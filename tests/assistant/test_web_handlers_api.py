"""The web chat's handlers are an API too: called directly through Gradio's own routes, they index only
what a user uploaded through the page, within the upload limits, and nothing else on the server's disk."""

from __future__ import annotations

import json
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from index import Settings
from tests.assistant.server_fixture import running_server
from tests.conftest import SAMPLE_REPORT
from tests.reports import write_report

pytestmark = pytest.mark.slow
SECRET = "数据库密码 db_password=hunter2-7731"
REFUSED = "只能索引通过本页上传的文件"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings, Path]]:
    root = tmp_path_factory.mktemp("web-handlers")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    secret = root / "private" / "config.txt"  # a file of the server's, beside (not in) the reports folder
    secret.parent.mkdir()
    secret.write_text(f"服务器配置。{SECRET}。\n", encoding="utf-8")
    uploads = root / "gradio-uploads"
    settings = Settings(home=root / "home", reports_dir=root / "reports", max_upload_mb=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADIO_TEMP_DIR", str(uploads))
        with running_server(settings) as (url, _service):
            yield url, settings, secret


def call(url: str, handler: str, data: list[Any], timeout: float = 60) -> tuple[str, Any]:
    """Call a Gradio event handler as any HTTP client can: POST the inputs, read the event stream's end."""
    with httpx.Client(base_url=url, timeout=timeout) as http:
        started = http.post(f"/gradio_api/call/{handler}", json={"data": data})
        started.raise_for_status()
        event_id = started.json()["event_id"]
        kind, payload = "", None
        with http.stream("GET", f"/gradio_api/call/{handler}/{event_id}") as stream:
            for line in stream.iter_lines():
                if line.startswith("event:"):
                    kind = line.split(":", 1)[1].strip()
                elif line.startswith("data:") and kind in ("complete", "error"):
                    payload = json.loads(line.split(":", 1)[1])
                    return kind, payload
    return kind, payload


def file_data(path: str | Path) -> dict[str, Any]:
    return {"path": str(path), "meta": {"_type": "gradio.FileData"}}


def upload_through_gradio(url: str, name: str, content: bytes) -> str:
    """What the page does: POST the file to Gradio's upload route; the server answers with its cached path."""
    response = httpx.post(f"{url}/gradio_api/upload", files=[("files", (name, content))], timeout=60)
    response.raise_for_status()
    return response.json()[0]


def indexed(url: str) -> set[str]:
    return {r["report_id"] for r in httpx.get(f"{url}/api/reports", timeout=30).json()}


def secret_reachable(url: str) -> bool:
    answer = httpx.post(f"{url}/api/ask", json={"question": "数据库密码是什么?db_password"}, timeout=60).json()
    return "hunter2" in json.dumps(answer, ensure_ascii=False)


def assert_refused_and_nothing_changed(url: str, settings: Settings, outcome: tuple[str, Any]) -> None:
    before = sorted(p.name for p in settings.reports_dir.iterdir())
    kind, payload = outcome
    assert kind in ("complete", "error"), outcome
    assert kind == "error" or REFUSED in json.dumps(payload, ensure_ascii=False) or "⚠" in str(payload), payload
    assert sorted(p.name for p in settings.reports_dir.iterdir()) == before == [SAMPLE_REPORT.name]
    assert indexed(url) == {SAMPLE_REPORT.stem}
    assert not secret_reachable(url)


def test_a_path_on_the_server_is_not_an_upload(server: tuple[str, Settings, Path]) -> None:
    url, settings, secret = server
    assert_refused_and_nothing_changed(url, settings, call(url, "upload", [[file_data(secret)]]))


def test_a_path_that_climbs_out_of_the_upload_folder_is_refused(server: tuple[str, Settings, Path]) -> None:
    url, settings, secret = server
    uploads = Path(os.environ["GRADIO_TEMP_DIR"])  # set by the fixture while its server runs
    climbing = f"{uploads}/x/../../{secret.parent.name}/{secret.name}"
    assert_refused_and_nothing_changed(url, settings, call(url, "upload", [[file_data(climbing)]]))


def test_a_link_in_the_upload_folder_that_points_out_of_it_is_refused(server: tuple[str, Settings, Path]) -> None:
    url, settings, secret = server
    cached = Path(upload_through_gradio(url, "harmless.txt", "一份正常的报告。".encode()))
    link = cached.parent / "config.txt"
    link.symlink_to(secret)
    assert_refused_and_nothing_changed(url, settings, call(url, "upload", [[file_data(link)]]))


def test_a_device_is_refused_at_once_and_the_server_keeps_answering(server: tuple[str, Settings, Path]) -> None:
    url, settings, _secret = server
    started = time.monotonic()
    outcome = call(url, "upload", [[file_data("/dev/zero")]], timeout=30)
    assert time.monotonic() - started < 30
    assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
    assert_refused_and_nothing_changed(url, settings, outcome)


def test_a_file_over_the_upload_limit_is_refused_by_gradio_and_by_the_handler(
    server: tuple[str, Settings, Path],
) -> None:
    url, settings, _secret = server
    big = ("法律援助案件。" * 200_000).encode()  # about 4 MB, over max_upload_mb=1
    assert httpx.post(f"{url}/gradio_api/upload", files=[("files", ("big.txt", big))], timeout=60).status_code >= 400
    cached = Path(upload_through_gradio(url, "small.txt", "小文件。".encode()))
    cached.write_bytes(big)  # as though Gradio had taken it anyway
    assert_refused_and_nothing_changed(url, settings, call(url, "upload", [[file_data(cached)]]))


def test_a_report_uploaded_through_the_page_is_indexed_and_its_upload_copy_removed(
    server: tuple[str, Settings, Path], tmp_path: Path,
) -> None:
    url, settings, _secret = server
    source = write_report(tmp_path, "huairou-2025.txt", "北京市怀柔区", 2025, 321, paragraphs=2)
    cached = Path(upload_through_gradio(url, source.name, source.read_bytes()))
    kind, payload = call(url, "upload", [[file_data(cached)]], timeout=300)
    assert kind == "complete" and "huairou-2025.txt" in payload[0], payload
    assert "huairou-2025" in indexed(url)
    assert not cached.exists()
    job = httpx.delete(f"{url}/api/reports/huairou-2025", timeout=30).json()["job"]
    deadline = time.monotonic() + 300
    while job["state"] not in ("done", "failed") and time.monotonic() < deadline:
        time.sleep(0.3)
        job = httpx.get(f"{url}/api/jobs/{job['id']}", timeout=30).json()
    assert indexed(url) == {SAMPLE_REPORT.stem}
