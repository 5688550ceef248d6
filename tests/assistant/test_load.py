"""Many API clients at once while reports are added, changed and removed.

A real uvicorn on loopback, driven by the official openai client and httpx from
threads; a bounded version of benchmarks/bench_load.py (which runs 50 clients
for 60 s). No request may fail, no answer may cite a removed report once its
removal is committed nor a chunk the catalog never listed (a half-written
report), and afterwards Chroma, the catalog and the lexical index hold exactly
the same chunks.
"""

from __future__ import annotations

import shutil
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import openai
import pytest

from index import Indexer, Settings
from index.catalog import Catalog
from tests.assistant.server_fixture import running_server, wait_for
from tests.conftest import SAMPLE_REPORT
from tests.index.test_indexer import consistent
from tests.reports import write_report

pytestmark = pytest.mark.slow
CLIENTS, SECONDS = 20, 15
QUESTIONS = [
    "云冈区2025年受理了多少件法律援助案件?",
    "How many legal aid cases did Yungang accept in 2025?",
    "甲县2025年受理了多少件法律援助案件?",
    "乙区2024年受理了多少件法律援助案件?",
    "Yungang 2025: reconsideration cases handled, what count?",
    "丙县2023年开展执法检查多少次?",
    "丁县2025年受理了多少件法律援助案件?",
    "2025年行政复议案件有多少件?",
]


@dataclass
class Outcome:
    started: float
    ended: float
    error: str | None = None
    cited: set[str] = field(default_factory=set)  # report ids of the citations
    chunk_ids: set[str] = field(default_factory=set)  # of the passages the answer was drawn from
    quotes: str = ""


def ask(i: int, url: str) -> Outcome:
    """One request, in turn through each entry point: chat completions (plain and streamed) and /api/ask."""
    question, started = QUESTIONS[i % len(QUESTIONS)], time.monotonic()
    outcome = Outcome(started, started)
    try:
        if i % 3 == 0:
            body = httpx.post(f"{url}/api/ask", json={"question": question}, timeout=120)
            body.raise_for_status()
            answer = body.json()
            outcome.chunk_ids = {p["chunk_id"] for p in answer["passages"]}
            citations = answer["citations"]
        else:
            ai = openai.OpenAI(base_url=f"{url}/v1", api_key="any", max_retries=0, timeout=120)
            messages = [{"role": "user", "content": question}]
            if i % 3 == 1:
                extra = ai.chat.completions.create(model="reportchat", messages=messages).model_extra["reportchat"]
            else:
                chunks = list(ai.chat.completions.create(model="reportchat", messages=messages, stream=True))
                extra = chunks[-1].model_extra["reportchat"]
            citations = extra["citations"]
        outcome.cited = {c["report_id"] for c in citations}
        outcome.quotes = " ".join(c["quote"] for c in citations)
    except Exception as exc:  # noqa: BLE001 -- every failure is a finding
        outcome.error = f"{type(exc).__name__}: {exc}"
    outcome.ended = time.monotonic()
    return outcome


def finished(client: httpx.Client, reply: httpx.Response) -> float:
    """Wait for the job a write request started; the moment it was seen done."""
    assert reply.status_code == 202, reply.text
    job_id = reply.json()["job"]["id"]
    wait_for(lambda: client.get(f"/api/jobs/{job_id}").json()["state"] in ("done", "failed"), 300, "re-indexing")
    assert client.get(f"/api/jobs/{job_id}").json()["state"] == "done"
    return time.monotonic()


def test_clients_asking_while_reports_change_never_fail_nor_see_removed_or_unlisted_chunks(
    tmp_path: Path,
) -> None:
    reports = tmp_path / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE_REPORT, reports / SAMPLE_REPORT.name)
    write_report(reports, "jia.txt", "甲县", 2025, 3011, paragraphs=3)
    write_report(reports, "yi.txt", "乙区", 2024, 4021, paragraphs=3)
    write_report(reports, "bing.txt", "丙县", 2023, 5031, paragraphs=3)
    settings = Settings(home=tmp_path / "home", reports_dir=reports)

    with running_server(settings) as (url, service):
        listed = Catalog(settings.home / "catalog.sqlite").chunk_ids()  # every chunk committed before the load
        outcomes: list[Outcome] = []
        stop = [time.monotonic() + SECONDS]  # pushed back until the writes are done and seen by a few requests

        def client_loop(n: int) -> None:
            i = n
            while time.monotonic() < stop[0]:
                outcomes.append(ask(i, url))
                i += CLIENTS

        threads = [threading.Thread(target=client_loop, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        with httpx.Client(base_url=url, timeout=120) as writer:
            time.sleep(1)
            added = write_report(tmp_path / "upload", "ding.txt", "丁县", 2025, 6041, paragraphs=3)
            changed = write_report(tmp_path / "upload", "yi.txt", "乙区", 2024, 4121, paragraphs=3)
            files = [("files", (p.name, p.read_bytes(), "text/plain")) for p in (added, changed)]
            changed_at = finished(writer, writer.post("/api/reports", files=files))
            removed_at = finished(writer, writer.delete("/api/reports/bing"))
            stop[0] = max(stop[0], removed_at + 3)
        for thread in threads:
            thread.join()
        listed |= Catalog(settings.home / "catalog.sqlite").chunk_ids()

        assert len(outcomes) >= CLIENTS
        assert [o.error for o in outcomes if o.error] == []
        assert all(o.chunk_ids <= listed for o in outcomes)  # never a chunk the catalog did not list
        after_removal = [o for o in outcomes if o.started > removed_at]
        assert after_removal and not any("bing" in o.cited for o in after_removal)
        assert not any("4021件" in o.quotes for o in outcomes if o.started > changed_at)
        assert {r["report_id"] for r in httpx.get(f"{url}/api/reports").json()} == {
            SAMPLE_REPORT.stem, "jia", "yi", "ding"
        }
        assert consistent(Indexer(settings, embeddings=service.embeddings))
        latencies = sorted(o.ended - o.started for o in outcomes)
        print(f"{len(outcomes)} requests from {CLIENTS} clients in {SECONDS} s, 0 errors, "
              f"p50 {latencies[len(latencies) // 2]:.2f} s")
