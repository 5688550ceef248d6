"""One bad input never stops the rest: hostile or careless requests get a 4xx that says why, never a 500, a
stream cut short or a report silently lost, and no valid request may cost the shared embedder more than a bound.

Requests go as a client sends them: raw JSON (a lone surrogate is a legal JSON escape that no encoder takes),
the official openai client, multipart uploads, and the web chat's upload handler through Gradio's own routes.
"""

from __future__ import annotations

import json
import logging
import shutil
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from assistant import Assistant
from assistant.filenames import MAX_NAME_BYTES, MAX_NAME_CHARS
from assistant.pipeline import MAX_QUESTION_CHARS
from index.reader import MAX_EMBEDDED_BYTES
from assistant.service import ReportService
from index import Settings
from tests.assistant.server_fixture import running_server, wait_for
from tests.assistant.test_web_handlers_api import call, file_data, upload_through_gradio
from tests.conftest import SAMPLE_REPORT

pytestmark = pytest.mark.slow
QUESTION = "云冈区2025年受理了多少件法律援助案件?"
LONG_QUESTION = ("法律援助案件的受理和办结、行政复议案件的纠错、人民调解的成功率" * 40)[: MAX_QUESTION_CHARS - 6] + "分别是多少?"
REPORT = "标题: 某县2025年法治政府建设年度报告\n\n一、基本情况\n\n全年受理案件12件。\n".encode()


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings, ReportService]]:
    root = tmp_path_factory.mktemp("api-hostile")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    settings = Settings(home=root / "home", reports_dir=root / "reports")
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("GRADIO_TEMP_DIR", str(root / "gradio-uploads"))
        with running_server(settings) as (url, service):
            yield url, settings, service


@pytest.fixture
def client(server: tuple[str, Settings, ReportService]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=120) as client:
        yield client


@pytest.fixture
def reports_dir(server: tuple[str, Settings, ReportService]) -> Path:
    return server[1].reports_dir


def post_json(client: httpx.Client, path: str, raw: str) -> httpx.Response:
    """Send JSON text as written: ``"\\ud800"`` stays the escape a client may send."""
    return client.post(path, content=raw.encode(), headers={"content-type": "application/json"})


def upload(client: httpx.Client, *names: str) -> httpx.Response:
    """Upload one small report per name in one request; wait for the re-indexing it starts."""
    reply = client.post("/api/reports", files=[("files", (name, REPORT, "text/plain")) for name in names])
    if reply.status_code == 202:
        job = reply.json()["job"]["id"]
        wait_for(lambda: client.get(f"/api/jobs/{job}").json()["state"] in ("done", "failed"), 300, "re-indexing")
    return reply


def stream_lines(client: httpx.Client, body: dict[str, Any]) -> tuple[int, list[str]]:
    with client.stream("POST", "/v1/chat/completions", json=body | {"stream": True}) as reply:
        return reply.status_code, [line for line in reply.iter_lines() if line]


# --- 500s where a 4xx belongs ----------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "raw"),
    [
        ("/api/ask", '{"question": "\\ud800"}'),
        ("/api/ask", '{"question": "法律援助", "history": [["\\ud800", "249件"]]}'),
        ("/api/ask", '{"question": "法律援助", "report_ids": ["\\ud800"]}'),
        ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "法律援助\\udfff"}]}'),
        ("/v1/chat/completions", '{"messages": [{"role": "user", "content": [{"type": "text", "text": "\\ud800"}]}]}'),
        ("/v1/chat/completions", '{"messages": [{"role": "user", "content": "\\ud800"}], "stream": true}'),
    ],
)
def test_a_lone_surrogate_anywhere_in_a_request_is_a_422_that_says_so(
    client: httpx.Client, path: str, raw: str
) -> None:
    reply = post_json(client, path, raw)
    assert reply.status_code == 422, reply.text
    message = reply.json()["error"]["message"]
    assert "代理项" in message and "lone surrogate" in message
    assert client.post("/api/ask", json={"question": QUESTION}).status_code == 200


def test_the_python_api_reads_a_history_holding_a_lone_surrogate_without_failing(bot: Assistant) -> None:
    answer = bot.ask("那复议呢?", [("\ud800法律援助案件多少件?", "249件")])
    assert answer.answer.strip()


@pytest.mark.parametrize("text", [123, None, ["法律援助"], {"text": "法律援助"}])
def test_a_text_part_must_hold_a_string(client: httpx.Client, text: object) -> None:
    reply = client.post("/v1/chat/completions", json={
        "messages": [{"role": "user", "content": [{"type": "text", "text": text}]}]})
    assert reply.status_code == 422
    assert "messages.0.content.0.text" in reply.json()["error"]["message"]


def test_parts_other_than_text_are_refused_by_name_and_text_parts_are_read(
    server: tuple[str, Settings, ReportService]
) -> None:
    ai = openai.OpenAI(base_url=f"{server[0]}/v1", api_key="any", max_retries=0)
    image = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}
    with pytest.raises(openai.UnprocessableEntityError) as refused:
        ai.chat.completions.create(model="reportchat", messages=[{"role": "user", "content": [image]}])
    assert "messages.0.content.0.type" in refused.value.message and "'text'" in refused.value.message
    parts = [{"type": "text", "text": "云冈区2025年受理了"}, {"type": "text", "text": "多少件法律援助案件?"}]
    answer = ai.chat.completions.create(model="reportchat", messages=[{"role": "user", "content": parts}])
    assert "249" in answer.choices[0].message.content


@pytest.mark.parametrize("year", ["99999999999999999999", "-99999999999999999999", "9" * 5000, "1e400"])
def test_a_year_beyond_any_report_is_a_422(client: httpx.Client, year: str) -> None:
    reply = client.get("/api/figures", params={"year": year})
    assert reply.status_code == 422 and "year" in reply.json()["error"]["message"]


@pytest.mark.parametrize("question", ["", "   ", "问" * 10_000])
def test_a_streamed_question_that_cannot_be_asked_is_refused_before_the_stream_starts(
    server: tuple[str, Settings, ReportService], question: str
) -> None:
    ai = openai.OpenAI(base_url=f"{server[0]}/v1", api_key="any", max_retries=0)
    with pytest.raises(openai.UnprocessableEntityError) as refused:
        ai.chat.completions.create(model="reportchat", messages=[{"role": "user", "content": question}], stream=True)
    assert " / " in refused.value.message and ("empty" in refused.value.message or "too long" in refused.value.message)


def test_any_failure_inside_a_stream_ends_it_with_an_error_event_and_done_and_is_logged(
    client: httpx.Client, server: tuple[str, Settings, ReportService], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(*args: object, **kwargs: object) -> None:  # a bug we do not know of yet, stood in for
        raise RuntimeError("internal detail: /srv/secret/path")

    monkeypatch.setattr(server[2].assistant().retriever, "retrieve", broken)
    with caplog.at_level(logging.ERROR, logger="assistant.api"):
        status, lines = stream_lines(client, {"messages": [{"role": "user", "content": QUESTION}]})
    assert status == 200 and lines[-1] == "data: [DONE]"
    error = json.loads(lines[-2].removeprefix("data: "))["error"]
    assert error["type"] == "server_error" and " / " in error["message"] and "secret" not in error["message"]
    assert any("internal detail" in record.exc_text for record in caplog.records if record.exc_text)


# --- names and encodings of uploads ----------------------------------------------------------------------
def test_a_name_longer_than_the_file_system_takes_is_cut_by_bytes_keeping_its_extension(
    client: httpx.Client, reports_dir: Path
) -> None:
    reply = upload(client, "云" * 90 + ".txt")  # 274 bytes in UTF-8: no file system takes it
    assert reply.status_code == 202, reply.text
    (saved,) = reply.json()["saved"]
    assert saved.endswith(".txt") and saved.startswith("云") and len(saved.encode()) <= MAX_NAME_BYTES
    assert len(f".{saved}.0123abcd.part".encode()) <= 255  # the name it is written under first fits too
    assert (reports_dir / saved).is_file()
    assert any(r["report_id"].startswith("云云") for r in client.get("/api/reports").json())


def test_a_name_of_250_characters_is_cut_in_its_stem_and_keeps_its_extension(client: httpx.Client) -> None:
    (saved,) = upload(client, "a" * 250 + ".md").json()["saved"]
    assert saved == "a" * (MAX_NAME_CHARS - 3) + ".md"


@pytest.mark.parametrize("name", ["~$lock.txt", ".hidden.txt", "\u202e~$x.docx", " .profile.md"])
def test_names_the_indexer_would_skip_are_refused_with_nothing_written(
    client: httpx.Client, reports_dir: Path, name: str
) -> None:
    before = sorted(p.name for p in reports_dir.iterdir())
    reply = upload(client, name)
    assert reply.status_code == 400
    message = reply.json()["error"]["message"]
    assert "~$" in message and "隐藏" in message and "never indexed" in message
    assert sorted(p.name for p in reports_dir.iterdir()) == before


def test_invisible_format_characters_are_removed_from_names(client: httpx.Client, reports_dir: Path) -> None:
    (saved,) = upload(client, "summary\u202e\u200b-2025\u2066\ufeff.txt").json()["saved"]
    assert saved == "summary-2025.txt" and (reports_dir / saved).is_file()


def test_a_composed_and_a_decomposed_name_are_one_report(client: httpx.Client, reports_dir: Path) -> None:
    composed, decomposed = "café.txt", unicodedata.normalize("NFD", "café.txt")
    assert composed != decomposed
    first, second = upload(client, composed).json(), upload(client, decomposed).json()
    assert first["saved"] == second["saved"] == [composed]
    assert first["replaced"] == [] and second["replaced"] == [composed]
    assert [p.name for p in reports_dir.iterdir() if p.name.startswith("caf")] == [composed]


def test_uploading_a_name_again_says_which_report_it_replaced(client: httpx.Client) -> None:
    assert upload(client, "again.txt", "fresh.txt").json()["replaced"] == []
    reply = upload(client, "again.txt", "new.txt").json()
    assert reply["saved"] == ["again.txt", "new.txt"] and reply["replaced"] == ["again.txt"]


def test_two_files_of_one_upload_that_share_a_name_are_refused_with_nothing_written(
    client: httpx.Client, reports_dir: Path
) -> None:
    before = sorted(p.name for p in reports_dir.iterdir())
    reply = upload(client, "twin.txt", "sub/twin.txt")
    assert reply.status_code == 400 and "twin.txt" in reply.json()["error"]["message"]
    assert sorted(p.name for p in reports_dir.iterdir()) == before


def test_the_web_upload_says_which_reports_it_replaced_and_refuses_hidden_files(
    server: tuple[str, Settings, ReportService]
) -> None:
    url = server[0]
    messages = []
    for _ in range(2):
        cached = upload_through_gradio(url, "web-twice.txt", REPORT)
        kind, payload = call(url, "upload", [[file_data(cached)]], timeout=300)
        assert kind == "complete", payload
        messages.append(payload[0])
    assert "Replaced" not in messages[0]
    assert "已替换" in messages[1] and "Replaced" in messages[1] and "web-twice.txt" in messages[1]
    cached = upload_through_gradio(url, ".hidden.txt", REPORT)  # (Gradio's upload route itself drops "$")
    kind, payload = call(url, "upload", [[file_data(cached)]])
    assert kind == "complete" and "隐藏" in payload[0] and "never indexed" in payload[0], payload


# --- small inputs, bounded costs --------------------------------------------------------------------------
@pytest.mark.parametrize(
    "body",
    [{"question": "那复议呢?", "history": [["问" * 20_000, "249件"]]},
     {"question": "那复议呢?", "history": [["法律援助?", "249件"]] * 101}],
)
def test_an_absurd_history_is_a_422(client: httpx.Client, body: dict[str, Any]) -> None:
    reply = client.post("/api/ask", json=body)
    assert reply.status_code == 422 and "history" in reply.json()["error"]["message"]


def test_an_absurd_chat_message_is_a_422(client: httpx.Client) -> None:
    messages = [{"role": "user", "content": "问" * 20_000}, {"role": "assistant", "content": "249件"},
                {"role": "user", "content": "那复议呢?"}]
    reply = client.post("/v1/chat/completions", json={"messages": messages})
    assert reply.status_code == 422 and "messages.0.content" in reply.json()["error"]["message"]


@pytest.fixture
def embedded(server: tuple[str, Settings, ReportService], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every text the server's embedder is asked to embed for a query, while the test runs."""
    embeddings, texts = server[2].embeddings, []
    real = embeddings.embed_query

    def recording(text: str) -> list[float]:
        texts.append(text)
        return real(text)

    monkeypatch.setattr(embeddings, "embed_query", recording)
    return texts


@pytest.mark.parametrize(
    "body",
    [{"question": LONG_QUESTION},
     {"question": ("How many legal aid cases, mediations and reviews were there, and how many "
                   "lawyers and notaries served? ") * 9},
     {"question": "那复议呢?", "history": [[LONG_QUESTION, "249件。" * 600]] * 3}],
    ids=["a 1,000-character question", "a long English question", "a follow-up to a 20 KB history"],
)
def test_what_one_request_may_embed_is_bounded(client: httpx.Client, embedded: list[str], body: dict[str, Any]) -> None:
    reply = client.post("/api/ask", json=body)
    assert reply.status_code == 200, reply.text
    assert embedded and max(len(text.encode()) for text in embedded) <= MAX_EMBEDDED_BYTES


def test_an_ordinary_question_is_embedded_whole(client: httpx.Client, embedded: list[str]) -> None:
    assert client.post("/api/ask", json={"question": QUESTION}).json()["found"]
    assert embedded == [QUESTION]
