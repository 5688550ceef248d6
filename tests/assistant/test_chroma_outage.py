"""The Chroma server (CHROMA_HOST) stops while the assistant serves and indexes, then comes back.

Against a real `chroma run` on loopback: while it is down, questions and /healthz get a
503 with the bilingual StoreUnavailableError, a re-indexing job fails with it and commits
nothing; once it is back on the same port, everything answers again without a restart
of ours, and the next run completes the work with the three id sets agreeing.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from index import Indexer, Settings
from tests.assistant.server_fixture import free_port, running_server, wait_for
from tests.conftest import SAMPLE_REPORT
from tests.index.test_indexer import consistent
from tests.reports import write_report

pytestmark = [pytest.mark.slow, pytest.mark.server]
QUESTION = "云冈区2025年受理了多少件法律援助案件?"


def start_chroma(data: Path, port: int) -> subprocess.Popen[bytes]:
    binary = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    process = subprocess.Popen(
        [binary, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    wait_for(lambda: _beating(port), 60, "chroma run start")
    return process


def _beating(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/api/v2/heartbeat", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


def job_state(client: httpx.Client, reply: httpx.Response) -> dict:
    job_id = reply.json()["job"]["id"]
    wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["state"] in ("done", "failed"), 300, "re-indexing")
    return client.get(f"/api/jobs/{job_id}").json()


def test_a_stopped_chroma_server_is_reported_and_everything_recovers_when_it_returns(tmp_path: Path) -> None:
    port, data = free_port(), tmp_path / "chroma-data"
    chroma = start_chroma(data, port)
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE_REPORT, reports / SAMPLE_REPORT.name)
    settings = Settings(home=tmp_path / "home", reports_dir=reports, chroma_host="127.0.0.1", chroma_port=port)
    try:
        with running_server(settings) as (url, service), httpx.Client(base_url=url, timeout=120) as client:
            assert client.get("/healthz").json()["status"] == "ok"

            chroma.terminate()
            chroma.wait(timeout=30)
            health = client.get("/healthz")
            assert health.status_code == 503 and health.json()["status"] == "error"
            assert "无法连接向量库" in health.json()["error"] and "Chroma server" in health.json()["error"]
            asked = client.post("/api/ask", json={"question": QUESTION})
            assert asked.status_code == 503 and asked.json()["error"]["type"] == "StoreUnavailableError"
            write_report(reports, "jia.txt", "甲县", 2025, 3011, paragraphs=3)
            failed = job_state(client, client.post("/api/reindex"))
            assert failed["state"] == "failed" and "CHROMA_HOST" in failed["error"]
            assert [r["report_id"] for r in client.get("/api/reports").json()] == [SAMPLE_REPORT.stem]

            chroma = start_chroma(data, port)
            assert client.get("/healthz").json()["status"] == "ok"
            assert "249" in client.post("/api/ask", json={"question": QUESTION}).json()["answer"]
            assert job_state(client, client.post("/api/reindex"))["state"] == "done"
            assert "3011" in client.post("/api/ask", json={"question": "甲县2025年受理了多少件法律援助案件?"}).json()["answer"]
            assert consistent(Indexer(settings, embeddings=service.embeddings))
    finally:
        chroma.terminate()
        chroma.wait(timeout=30)
