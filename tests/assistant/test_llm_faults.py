"""A configured LLM endpoint that is down, slow, trickling or talking nonsense.

The endpoint is a tiny real HTTP server on 127.0.0.1 (a fault injector, speaking just
enough of the OpenAI protocol); the assistant reaches it through LangChain's ChatOpenAI
as in production. Every time the answer falls back to the extractive one, says so, and
comes back within the configured timeout — though the slow endpoints would hold on for
ten minutes.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from assistant import Assistant
from assistant.llm import LLMAnswerer
from index import IndexReader, Settings
from tests.assistant.server_fixture import free_port

pytestmark = pytest.mark.slow
TIMEOUT_S = 2.0
NO_HANG_S = TIMEOUT_S + 30  # the endpoints below hold on for 600 s; the extractive answer needs a few
QUESTION = "云冈区2025年受理了多少件法律援助案件?"


class FaultyEndpoint(ThreadingHTTPServer):
    """Answers every chat completion with one fault: slow, trickle, garbage or invented."""

    daemon_threads = True

    def __init__(self, fault: str) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fault, self.requests, self.released = fault, 0, threading.Event()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: FaultyEndpoint

    def log_message(self, *args: object) -> None: ...

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.server.requests += 1
        fault = self.server.fault
        if fault == "slow":  # nothing at all until long after any timeout
            self.server.released.wait(600)
            return
        if fault == "garbage":
            self._send(200, "application/json", b"<html>502 upstream exploded</html>")
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        if fault == "invented":  # a well-formed reply with a figure no report holds
            self._event("云冈区受理法律援助案件987654件[1]。")
            self.wfile.write(b"data: [DONE]\n\n")
            return
        deadline = time.monotonic() + 600  # trickle: a character every 0.2 s, for ten minutes
        while time.monotonic() < deadline and not self.server.released.is_set():
            try:
                self._event("受")
            except OSError:
                return
            time.sleep(0.2)

    def _event(self, text: str) -> None:
        chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                 "choices": [{"index": 0, "delta": {"content": text}, "finish_reason": None}]}
        self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        self.wfile.flush()

    def _send(self, status: int, kind: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def endpoint(request: pytest.FixtureRequest) -> Iterator[FaultyEndpoint]:
    server = FaultyEndpoint(request.param)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.released.set()
    server.shutdown()
    server.server_close()


def assistant_at(url: str, corpus_settings: Settings, embeddings, **settings_update) -> Assistant:  # type: ignore[no-untyped-def]
    update = {"llm_model": "m", "llm_base_url": url, "llm_timeout_s": TIMEOUT_S} | settings_update
    settings = corpus_settings.model_copy(update=update)
    reader = IndexReader(settings, embeddings=embeddings)
    return Assistant(settings, reader=reader, llm=LLMAnswerer.from_settings(settings))


@pytest.mark.parametrize("endpoint", ["slow", "trickle", "garbage"], indirect=True)
def test_a_slow_or_garbled_endpoint_falls_back_to_the_extractive_answer_in_time(
    endpoint: FaultyEndpoint, corpus_settings: Settings, embeddings
) -> None:
    bot = assistant_at(endpoint.url, corpus_settings, embeddings)

    started = time.monotonic()
    answer = bot.ask(QUESTION)

    assert time.monotonic() - started < NO_HANG_S
    assert answer.found and "249" in answer.answer and answer.answerer == "extractive"
    assert any("大模型不可用" in note and "The LLM failed" in note for note in answer.notes)


@pytest.mark.parametrize("endpoint", ["slow"], indirect=True)
def test_after_a_failure_the_endpoint_is_left_alone_for_a_while(
    endpoint: FaultyEndpoint, corpus_settings: Settings, embeddings
) -> None:
    bot = assistant_at(endpoint.url, corpus_settings, embeddings)
    bot.ask(QUESTION)
    asked = endpoint.requests

    started = time.monotonic()
    answer = bot.ask("How many legal aid cases did Yungang accept in 2025?")  # translation and answer: no call

    assert endpoint.requests == asked and time.monotonic() - started < NO_HANG_S
    assert "249" in answer.answer and answer.answerer == "extractive"


@pytest.mark.parametrize("endpoint", ["garbage"], indirect=True)
def test_how_long_a_failed_endpoint_is_left_alone_is_a_setting(
    endpoint: FaultyEndpoint, corpus_settings: Settings, embeddings
) -> None:
    bot = assistant_at(endpoint.url, corpus_settings, embeddings, llm_backoff_s=0)
    bot.ask(QUESTION)
    asked = endpoint.requests

    bot.ask(QUESTION)

    assert endpoint.requests > asked  # asked again at once


def test_an_endpoint_that_is_down_falls_back_at_once(corpus_settings: Settings, embeddings) -> None:
    bot = assistant_at(f"http://127.0.0.1:{free_port()}/v1", corpus_settings, embeddings)
    answer = bot.ask("How many legal aid cases did Yungang accept in 2025?")
    assert "249" in answer.answer and answer.answerer == "extractive"
    assert any("LLM translation failed" in note for note in answer.notes)


@pytest.mark.parametrize("endpoint", ["invented"], indirect=True)
def test_a_well_formed_reply_with_an_invented_figure_is_replaced_and_the_reason_given(
    endpoint: FaultyEndpoint, corpus_settings: Settings, embeddings
) -> None:
    answer = assistant_at(endpoint.url, corpus_settings, embeddings).ask(QUESTION)
    assert "987654" not in answer.answer and "249" in answer.answer and answer.answerer == "extractive"
    assert any("987654" in note for note in answer.notes)
