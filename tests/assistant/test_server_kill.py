"""SIGKILL of the server during an upload and during a re-indexing job.

`reportchat serve` runs as a real process; after each kill it is started again on the
same data home: the previous index answers at once, nothing half-uploaded is left in
the reports folder, and the restart itself completes the work the kill cut short.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from index import Indexer, Settings
from tests.assistant.server_fixture import free_port, wait_for
from tests.conftest import SAMPLE_REPORT
from tests.index.test_indexer import consistent
from tests.reports import write_report

pytestmark = pytest.mark.slow
QUESTION = "云冈区2025年受理了多少件法律援助案件?"


@pytest.fixture
def started() -> Iterator[list[subprocess.Popen[bytes]]]:
    """The servers a test starts; any still running when it ends (a failed assertion) is killed."""
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            kill(process)


def serve(settings: Settings, port: int, started: list[subprocess.Popen[bytes]]) -> subprocess.Popen[bytes]:
    """`reportchat serve` on the data home, once /healthz says the index answers; its log beside the home.

    Each report is embedded in a batch of its own, so a job's commits are seconds apart and
    the kill lands between them rather than racing one group commit.
    """
    with (settings.home.parent / "server.log").open("ab") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "assistant.cli", "serve", "--home", str(settings.home), "--port", str(port)],
            env=os.environ | {"REPORTCHAT_REPORTS_DIR": str(settings.reports_dir), "REPORTCHAT_INDEX_BATCH_CHUNKS": "1"},
            stdout=log, stderr=log,
        )
    started.append(process)
    wait_for(lambda: _healthy(port) or process.poll() is not None, 300, "the server answering")
    assert process.poll() is None, "the server exited"
    return process


def _healthy(port: int) -> bool:
    try:
        return httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=5).status_code == 200
    except httpx.TransportError:
        return False


def kill(process: subprocess.Popen[bytes]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)


def committed(home: Path) -> set[str]:
    with sqlite3.connect(home / "catalog.sqlite", timeout=5) as db:
        return {row[0] for row in db.execute("SELECT report_id FROM reports")}


def answers(port: int, question: str = QUESTION) -> str:
    reply = httpx.post(f"http://127.0.0.1:{port}/api/ask", json={"question": question}, timeout=120)
    assert reply.status_code == 200, reply.text
    return reply.json()["answer"]


def test_a_server_killed_during_an_upload_and_during_a_job_restarts_on_its_index_and_completes_it(
    tmp_path: Path, embeddings, started: list[subprocess.Popen[bytes]]
) -> None:
    settings = Settings(home=tmp_path / "home", reports_dir=tmp_path / "reports")
    settings.reports_dir.mkdir()
    shutil.copy(SAMPLE_REPORT, settings.reports_dir / SAMPLE_REPORT.name)
    port = free_port()
    server = serve(settings, port, started)  # the first start indexes the folder: the previous index

    # Killed while an upload's body is still arriving.
    with socket.create_connection(("127.0.0.1", port)) as upload:
        body = b"--b\r\nContent-Disposition: form-data; name=\"files\"; filename=\"late.txt\"\r\n\r\n"
        upload.sendall(b"POST /api/reports HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\n"
                       b"Content-Length: 100000\r\n\r\n" + body + "标题: 某县".encode() * 100)
        kill(server)
    assert sorted(p.name for p in settings.reports_dir.iterdir()) == [SAMPLE_REPORT.name]
    server = serve(settings, port, started)
    assert "249" in answers(port)

    # Killed while the re-indexing job of an upload commits report after report.
    files = [write_report(tmp_path / "new", f"r{i}.txt", f"县{i}", 2024, 100 + i, paragraphs=10) for i in range(6)]
    reply = httpx.post(f"http://127.0.0.1:{port}/api/reports", timeout=120,
                       files=[("files", (p.name, p.read_bytes(), "text/plain")) for p in files])
    assert reply.status_code == 202
    wait_for(lambda: len(committed(settings.home)) >= 2 or reply_done(port, reply), 300, "a first commit")
    kill(server)
    assert SAMPLE_REPORT.stem in committed(settings.home)

    server = serve(settings, port, started)
    assert "249" in answers(port)
    everything = {SAMPLE_REPORT.stem} | {f"r{i}" for i in range(6)}
    wait_for(lambda: committed(settings.home) == everything, 300, "the restart completing the cut-short job")
    assert "105" in answers(port, "县5 2024年受理了多少件法律援助案件?")
    server.terminate()
    server.wait(timeout=30)
    assert committed(settings.home) == everything
    assert consistent(Indexer(settings, embeddings=embeddings))


def reply_done(port: int, reply: httpx.Response) -> bool:
    """The job finished before it could be killed: the test then proves nothing, so it fails loudly."""
    state = httpx.get(f"http://127.0.0.1:{port}/api/jobs/{reply.json()['job']['id']}").json()["state"]
    assert state not in ("done", "failed"), f"the job was {state} before it could be killed"
    return False
