"""The server over a damaged catalog or a data home it cannot write: 503s with the bilingual message, never a 500.

It keeps serving: at start it says what is wrong in one line, /healthz says it where monitoring looks, every
route answers 503 in the API's error shape, and after `reportchat index --rebuild` it answers again without
a restart.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path

import pytest
import uvicorn
from fastapi.testclient import TestClient

from assistant import server
from assistant.server import create_app
from index import Indexer, Settings
from tests.assistant.server_fixture import wait_for
from tests.index.test_catalog_damage import DAMAGES, damage, made_read_only

QUESTION = "云冈区2025年受理了多少件法律援助案件?"


@pytest.fixture
def home(corpus_settings: Settings, tmp_path: Path) -> Settings:
    """A copy of the assistant tests' indexed home, for this test to damage."""
    shutil.copytree(corpus_settings.home, tmp_path / "home")
    return corpus_settings.model_copy(update={"home": tmp_path / "home"})


def client(settings: Settings) -> TestClient:
    return TestClient(create_app(settings), raise_server_exceptions=False)


def assert_refused(api: TestClient, error_type: str, words: tuple[str, ...]) -> None:
    health = api.get("/healthz")
    assert health.status_code == 503 and health.json()["status"] == "error"
    assert all(word in health.json()["error"] for word in words)
    for reply in (
        api.get("/api/reports"), api.get("/api/figures"), api.get("/api/figures", params={"format": "csv"}),
        api.post("/api/ask", json={"question": QUESTION}),
        api.post("/v1/chat/completions", json={"messages": [{"role": "user", "content": QUESTION}]}),
    ):
        assert reply.status_code == 503, (reply.request.url, reply.text)
        error = reply.json()["error"]
        assert error["type"] == error_type and all(word in error["message"] for word in words)


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_catalog_gets_503s_that_say_how_to_recover(home: Settings, how: str) -> None:
    damage(home.home / "catalog.sqlite", how)
    with client(home) as api:
        assert_refused(api, "CatalogDamagedError", ("已损坏", "is damaged", "reportchat index --rebuild"))


def test_after_index_rebuild_the_running_server_answers_again(home: Settings, embeddings) -> None:
    damage(home.home / "catalog.sqlite", "middle")  # the server opens it, and meets the damage in queries
    with client(home) as api:
        assert_refused(api, "CatalogDamagedError", ("reportchat index --rebuild",))

        assert Indexer(home, embeddings=embeddings).run(rebuild=True).set_aside

        assert api.get("/healthz").json()["status"] == "ok"
        assert len(api.get("/api/reports").json()) == 3
        assert "249" in api.post("/api/ask", json={"question": QUESTION}).json()["answer"]


def test_at_start_the_server_says_what_is_wrong_once_and_serves_on(
    home: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    damage(home.home / "catalog.sqlite", "middle")  # open and meta read: only reading it whole finds it
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))

    server.serve(home)

    err = capsys.readouterr().err
    (line,) = [line for line in err.splitlines() if "reportchat index --rebuild" in line]
    assert "已损坏" in line and "is damaged" in line and "Traceback" not in err
    assert len(served) == 1


@pytest.fixture
def read_only_home(home: Settings) -> Iterator[Settings]:
    with made_read_only(home) as settings:
        yield settings


def test_a_read_only_home_gets_503s_and_failed_jobs_that_name_it(read_only_home: Settings) -> None:
    with client(read_only_home) as api:
        assert_refused(api, "HomeNotWritableError", ("数据目录不可写", "is not writable", str(read_only_home.home)))
        assert_job_fails_naming(api, read_only_home.home)


def test_a_file_in_place_of_the_home_fails_jobs_with_that_message(tmp_path: Path, corpus_settings: Settings) -> None:
    """Writes fail here even as root, where chmod does not stop them."""
    settings = corpus_settings.model_copy(update={"home": tmp_path / "home"})
    settings.home.write_text("not a folder")
    with client(settings) as api:
        assert_job_fails_naming(api, settings.home)


def assert_job_fails_naming(api: TestClient, home: Path) -> None:
    job = api.post("/api/reindex").json()["job"]
    wait_for(lambda: api.get(f"/api/jobs/{job['id']}").json()["state"] in ("done", "failed"), 60, "the job")
    failed = api.get(f"/api/jobs/{job['id']}").json()
    assert failed["state"] == "failed"
    assert "数据目录不可写" in failed["error"] and "is not writable" in failed["error"] and str(home) in failed["error"]
    assert "readonly" not in failed["error"]


def test_server_start_names_an_unwritable_home(
    tmp_path: Path, corpus_settings: Settings, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = corpus_settings.model_copy(update={"home": tmp_path / "home"})
    settings.home.write_text("not a folder")
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: None)

    server.serve(settings)

    err = capsys.readouterr().err
    assert "数据目录不可写" in err and f"The data home {settings.home} is not writable" in err


def test_damage_the_start_found_is_said_by_healthz_even_where_no_request_meets_it(
    home: Settings, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    with closing(sqlite3.connect(home.home / "catalog.sqlite")) as db, db:  # one figure's quote, stray bytes
        db.execute("UPDATE figures SET quote = CAST(x'e6b3ff' AS TEXT) WHERE rowid = (SELECT min(rowid) FROM figures)")
    served = []
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: served.append(app))

    server.serve(home)

    with TestClient(served[0], raise_server_exceptions=False) as api:
        health = api.get("/healthz")
        assert health.status_code == 503 and "reportchat index --rebuild" in health.json()["error"]
        assert Indexer(home, embeddings=embeddings).run(rebuild=True).set_aside
        assert api.get("/healthz").json()["status"] == "ok"
