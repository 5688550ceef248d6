"""The HTTP API, through a real server on loopback and the official openai client."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest

from index import Settings
from tests.assistant.server_fixture import running_server, wait_for
from tests.conftest import SAMPLE_REPORT
from tests.reports import write_report

pytestmark = pytest.mark.slow
KEY = "test-key-123"
QUESTION = "云冈区2025年受理了多少件法律援助案件?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("api")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    settings = Settings(home=root / "home", reports_dir=root / "reports", api_keys=KEY, max_upload_mb=1)
    with running_server(settings) as (url, _service):
        yield url, settings


@pytest.fixture
def client(server: tuple[str, Settings]) -> httpx.Client:
    return httpx.Client(base_url=server[0], headers={"Authorization": f"Bearer {KEY}"}, timeout=60)


def test_openai_client_gets_the_figure_and_its_citation(server: tuple[str, Settings]) -> None:
    ai = openai.OpenAI(base_url=f"{server[0]}/v1", api_key=KEY)
    response = ai.chat.completions.create(model="reportchat", messages=[{"role": "user", "content": QUESTION}])
    assert "249" in response.choices[0].message.content
    citations = response.model_extra["reportchat"]["citations"]
    assert "受理法律援助案件249件" in citations[0]["quote"]


def test_openai_client_streams_and_the_final_chunk_carries_the_citations(server: tuple[str, Settings]) -> None:
    ai = openai.OpenAI(base_url=f"{server[0]}/v1", api_key=KEY)
    chunks = list(ai.chat.completions.create(
        model="reportchat", messages=[{"role": "user", "content": "How many legal aid cases did Yungang accept in 2025?"}],
        stream=True,
    ))
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    assert "249" in text and chunks[-1].choices[0].finish_reason == "stop"
    assert chunks[-1].model_extra["reportchat"]["citations"][0]["quote"]


def test_chat_history_makes_follow_ups_work(server: tuple[str, Settings]) -> None:
    ai = openai.OpenAI(base_url=f"{server[0]}/v1", api_key=KEY)
    response = ai.chat.completions.create(model="reportchat", messages=[
        {"role": "user", "content": QUESTION}, {"role": "assistant", "content": "249件 [1]"},
        {"role": "user", "content": "那行政复议案件呢?"},
    ])
    assert "84" in response.choices[0].message.content


def test_ask_returns_the_answer_json(client: httpx.Client) -> None:
    answer = client.post("/api/ask", json={"question": QUESTION}).json()
    assert answer["found"] and answer["citations"] and answer["language"] == "zh"


def test_upload_reindex_and_ask_about_the_new_report(client: httpx.Client, tmp_path: Path) -> None:
    path = write_report(tmp_path, "nanle-2025.txt", "濮阳市南乐县", 2025, 777)
    reply = client.post("/api/reports", files={"files": (path.name, path.read_bytes(), "text/plain")})
    assert reply.status_code == 202
    job_id = reply.json()["job"]["id"]
    wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["state"] in ("done", "failed"), 120, "re-indexing")
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "done"
    assert "nanle-2025" in [r["report_id"] for r in client.get("/api/reports").json()]
    answer = client.post("/api/ask", json={"question": "南乐县2025年受理了多少件法律援助案件?"}).json()
    assert "777" in answer["answer"]

    removed = client.delete("/api/reports/nanle-2025").json()["job"]["id"]
    wait_for(lambda: client.get(f"/api/jobs/{removed}").json()["state"] == "done", 120, "removal")
    assert "nanle-2025" not in [r["report_id"] for r in client.get("/api/reports").json()]


def test_api_keys_are_required_and_checked(server: tuple[str, Settings]) -> None:
    assert httpx.get(f"{server[0]}/api/reports").status_code == 401
    assert httpx.get(f"{server[0]}/api/reports", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert httpx.get(f"{server[0]}/healthz").json()["status"] == "ok"


def test_with_api_keys_the_web_chat_asks_for_one_as_its_password(server: tuple[str, Settings]) -> None:
    with httpx.Client(base_url=server[0], timeout=30) as browser:
        assert browser.get("/config").status_code == 401
        assert browser.post("/login", data={"username": "anyone", "password": "wrong"}).status_code >= 400
        assert browser.post("/login", data={"username": "anyone", "password": KEY}).status_code == 200
        assert browser.get("/config").status_code == 200  # logged in: the UI's config is served


@pytest.mark.parametrize(
    ("name", "data", "status"),
    [("report.exe", b"MZ binary", 400), ("../../escape.txt", b"", 400), ("big.txt", b"x" * (1024 * 1024 + 10), 400)],
)
def test_bad_uploads_are_refused_with_nothing_written(
    client: httpx.Client, server: tuple[str, Settings], name: str, data: bytes, status: int
) -> None:
    before = sorted(p.name for p in server[1].reports_dir.iterdir())
    reply = client.post("/api/reports", files={"files": (name, data, "application/octet-stream")})
    assert reply.status_code == status and "error" in reply.json()
    assert sorted(p.name for p in server[1].reports_dir.iterdir()) == before
    assert not list(server[1].reports_dir.parent.glob("escape.txt"))


def test_a_name_with_dots_and_slashes_stays_in_the_reports_folder(client: httpx.Client, server: tuple[str, Settings]) -> None:
    reply = client.post("/api/reports", files={"files": ("../../../etc/x.txt", "标题: 某县2025年报告\n受理案件1件。".encode(), "text/plain")})
    assert reply.status_code == 202 and reply.json()["saved"] == ["x.txt"]
    assert (server[1].reports_dir / "x.txt").exists()
    job_id = reply.json()["job"]["id"]
    wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["state"] in ("done", "failed"), 120, "re-indexing")


def test_too_long_questions_and_oversized_requests_are_refused(client: httpx.Client) -> None:
    assert client.post("/api/ask", json={"question": "问" * 10_000}).status_code == 422
    huge = client.post("/api/ask", content=b"{" + b" " * (26 * 1024 * 1024) + b"}",
                       headers={"content-type": "application/json"})
    assert huge.status_code == 413

    def chunked() -> Iterator[bytes]:  # no Content-Length: counted as it streams in
        yield b"{"
        for _ in range(26):
            yield b" " * 1024 * 1024
        yield b"}"

    streamed = client.post("/api/ask", content=chunked(), headers={"content-type": "application/json"})
    assert streamed.status_code == 413


def test_openapi_docs_are_served(server: tuple[str, Settings]) -> None:
    assert httpx.get(f"{server[0]}/docs").status_code == 200
    assert "/v1/chat/completions" in httpx.get(f"{server[0]}/openapi.json").json()["paths"]
