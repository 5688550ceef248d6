"""Through the API, a file that cannot be indexed is listed with its reason and can be removed; a job can be
cancelled; and neither stops the next upload."""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from index import Settings
from tests.assistant.server_fixture import running_server, wait_for
from tests.conftest import SAMPLE_REPORT
from tests.reports import write_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("failed-reports")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    settings = Settings(home=root / "home", reports_dir=root / "reports")
    with running_server(settings) as (url, _service):
        yield url, settings


@pytest.fixture
def client(server: tuple[str, Settings]) -> httpx.Client:
    return httpx.Client(base_url=server[0], timeout=60)


def finished(client: httpx.Client, job: dict[str, Any]) -> dict[str, Any]:
    wait_for(lambda: client.get(f"/api/jobs/{job['id']}").json()["state"] not in ("queued", "running"), 120, "the job")
    return client.get(f"/api/jobs/{job['id']}").json()


def upload(client: httpx.Client, name: str, data: bytes) -> dict[str, Any]:
    reply = client.post("/api/reports", files={"files": (name, data)})
    assert reply.status_code == 202, reply.text
    return finished(client, reply.json()["job"])


def test_a_file_that_cannot_be_read_is_listed_with_its_reason_and_removed_by_name(
    client: httpx.Client, server: tuple[str, Settings], tmp_path: Path
) -> None:
    binary = b"\x00\x01garbage" + random.Random(3).randbytes(2000)
    job = upload(client, "broken.txt", binary)
    assert job["state"] == "done" and [Path(p).name for p, _ in job["summary"]["failed"]] == ["broken.txt"]

    (failed,) = client.get("/api/reports/failed").json()
    assert failed["file"] == "broken.txt" and "binary" in failed["reason"] and "二进制" in failed["reason"]

    good = write_report(tmp_path, "later.txt", "丁县", 2025, 88)
    after = upload(client, "later.txt", good.read_bytes())  # the broken file does not hold up the next upload
    assert [Path(p).name for p in after["summary"]["added"]] == ["later.txt"]

    removed = client.delete("/api/reports/broken.txt")
    assert removed.status_code == 202
    assert finished(client, removed.json()["job"])["state"] == "done"
    assert client.get("/api/reports/failed").json() == []
    assert not (server[1].reports_dir / "broken.txt").exists()
    assert "later" in {r["report_id"] for r in client.get("/api/reports").json()}


def test_a_queued_job_is_cancelled_before_it_runs_and_the_index_stays_as_it_was(client: httpx.Client) -> None:
    before = client.get("/api/reports").json()
    running = client.post("/api/reindex").json()["job"]
    queued = client.post("/api/reindex").json()["job"]

    cancelled = client.post(f"/api/jobs/{queued['id']}/cancel")

    assert cancelled.status_code == 202
    assert finished(client, queued)["state"] == "cancelled"
    assert finished(client, running)["state"] in ("done", "cancelled")
    assert client.get("/api/reports").json() == before


def test_cancelling_a_finished_job_leaves_it_as_it_ended(client: httpx.Client) -> None:
    job = finished(client, client.post("/api/reindex").json()["job"])

    again = client.post(f"/api/jobs/{job['id']}/cancel").json()["job"]

    assert again["state"] == "done" and again["summary"] == job["summary"]


def test_cancelling_an_unknown_job_is_a_404(client: httpx.Client) -> None:
    assert client.post("/api/jobs/nope/cancel").status_code == 404
