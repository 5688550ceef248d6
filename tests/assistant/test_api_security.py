"""Hostile callers of the HTTP API: guessed keys back off, nothing a caller sends comes back whole, and
HTML planted in a report stays inert in the markdown answer every client renders."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from pydantic import ValidationError

from index.errors import SettingsError
from index.settings import Settings, load_settings
from tests.assistant.server_fixture import running_server

pytestmark = pytest.mark.slow
KEY = "s3cret-key"
PLANTED = "1.持续开展法律援助工作,全年共受理法律援助案件777件<svg onload=alert(1)>,值班律师提供法律帮助388件。"
QUESTION = "全年受理了多少件法律援助案件?"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    root = tmp_path_factory.mktemp("api-security")
    (root / "reports").mkdir()
    (root / "reports" / "planted.txt").write_text(
        "标题: 某县2025年法治政府建设年度报告\n来源: 某县人民政府\n\n一、主要举措\n(一)化解矛盾纠纷\n" + PLANTED + "\n",
        encoding="utf-8",
    )
    settings = Settings(home=root / "home", reports_dir=root / "reports", api_keys=KEY)
    with running_server(settings) as (url, _service):
        yield url


def keyed(url: str) -> httpx.Client:
    return httpx.Client(base_url=url, headers={"Authorization": f"Bearer {KEY}"}, timeout=60)


def test_report_html_reaches_api_clients_inert_in_every_answer_shape(server: str) -> None:
    answer = keyed(server).post("/api/ask", json={"question": QUESTION}).json()
    assert "777" in answer["answer"]
    assert "<svg" not in answer["answer"] and "&lt;svg" in answer["answer"]
    ai = openai.OpenAI(base_url=f"{server}/v1", api_key=KEY)
    whole = ai.chat.completions.create(model="reportchat", messages=[{"role": "user", "content": QUESTION}])
    streamed = "".join(
        chunk.choices[0].delta.content or ""
        for chunk in ai.chat.completions.create(
            model="reportchat", messages=[{"role": "user", "content": QUESTION}], stream=True)
    )
    for content in (whole.choices[0].message.content, streamed):
        assert "777" in content and "<svg" not in content


def test_what_a_caller_sends_is_echoed_only_in_part(server: str) -> None:
    client = keyed(server)
    long_id = "报" * 2_000
    for response in (client.delete(f"/api/reports/{long_id}"), client.get(f"/api/jobs/{long_id}")):
        assert response.status_code == 404 and len(response.text) < 1_000, response.text[:200]
    huge = "x" * 100_000
    for response in (
        client.post("/api/ask", json={"question": QUESTION, "report_ids": [huge]}),
        client.post("/api/ask", json={"question": QUESTION, "answerer": huge}),
        client.post("/api/ask", json={"question": QUESTION, "year": huge}),
        client.get("/api/figures", params={"year": "9" * 30}),
    ):
        assert response.status_code == 422 and len(response.text) < 2_000, response.text[:200]
        assert response.json()["error"]["message"].startswith("请求无效 / Invalid request")


def test_wrong_keys_and_passwords_back_off_per_client_and_health_stays_open(server: str) -> None:
    wrong = httpx.Client(base_url=server, headers={"Authorization": "Bearer guess"}, timeout=30)
    statuses = [wrong.get("/api/reports").status_code for _ in range(4)]
    statuses += [httpx.post(f"{server}/login", data={"username": "x", "password": "guess"}).status_code]
    assert statuses == [401] * 4 + [400]  # five failures are free; the web chat's password form counts too
    refused = wrong.get("/api/reports")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) >= 1
    assert "Too many wrong keys" in refused.json()["error"]["message"]
    assert httpx.post(f"{server}/login", data={"username": "x", "password": KEY}).status_code == 429
    assert httpx.get(f"{server}/healthz").status_code == 200


def test_keys_that_are_all_blank_refuse_to_start(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(ValidationError):
        Settings(api_keys=" , ")
    monkeypatch.setenv("REPORTCHAT_API_KEYS", " , ")
    with pytest.raises(SettingsError, match="REPORTCHAT_API_KEYS"):
        load_settings()
    app = Path(__file__).resolve().parents[2] / "app.py"
    started = subprocess.run([sys.executable, str(app), "--port", "1"], capture_output=True, text=True, timeout=120)
    assert started.returncode != 0 and "REPORTCHAT_API_KEYS holds no key" in started.stderr
    assert "Traceback" not in started.stderr
