"""Bad input at the HTTP API: each gets a clear answer or a 4xx that says why, and the server keeps serving.

Upload names with NUL bytes and `../`, 10,000-character questions through the OpenAI route,
questions in languages the reports are not in, and a report whose place name holds a digit.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import httpx
import openai
import pytest

from assistant.places import place_units
from index import Settings
from tests.assistant.server_fixture import running_server, wait_for
from tests.conftest import SAMPLE_REPORT
from tests.reports import write_report

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Settings]]:
    root = tmp_path_factory.mktemp("api-bad-input")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    write_report(root / "reports", "county-5.txt", "县5", 2024, 105)  # a place name with a digit in it
    settings = Settings(home=root / "home", reports_dir=root / "reports")
    with running_server(settings) as (url, _service):
        yield url, settings


@pytest.fixture
def client(server: tuple[str, Settings]) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=server[0], timeout=120) as client:
        yield client


def test_a_place_name_with_a_digit_or_latin_letter_has_readings_and_questions_still_work(client: httpx.Client) -> None:
    assert [p.stem for p in place_units("县5")] == ["县5"] and place_units("A区")
    answer = client.post("/api/ask", json={"question": "县5 2024年受理了多少件法律援助案件?"})
    assert answer.status_code == 200 and "105" in answer.json()["answer"]


@pytest.mark.parametrize("name", ["a\x00b.txt", "../\x00../evil.txt", "..\\..\\win.txt"])
def test_upload_names_with_nul_bytes_and_parent_steps_stay_plain_names_in_the_folder(
    client: httpx.Client, server: tuple[str, Settings], name: str
) -> None:
    reply = client.post("/api/reports", files={"files": (name, "标题: 某县2025年报告\n受理案件1件。".encode(), "text/plain")})
    if reply.status_code == 202:
        (saved,) = reply.json()["saved"]
        assert "\x00" not in saved and "/" not in saved and "\\" not in saved and ".." not in saved
        assert (server[1].reports_dir / saved).is_file()
        job = reply.json()["job"]["id"]
        wait_for(lambda: client.get(f"/api/jobs/{job}").json()["state"] in ("done", "failed"), 300, "re-indexing")
    else:
        assert reply.status_code == 400 and "文件名" in reply.json()["error"]["message"]
    assert {p.name for p in server[1].reports_dir.parent.iterdir()} == {"home", "reports"}  # nothing beside them


def test_a_ten_thousand_character_question_is_a_clear_4xx_on_every_route(server: tuple[str, Settings]) -> None:
    ai = openai.OpenAI(base_url=f"{server[0]}/v1", api_key="any", max_retries=0)
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        ai.chat.completions.create(model="reportchat", messages=[{"role": "user", "content": "问" * 10_000}])
    assert "too long" in caught.value.message and "过长" in caught.value.message
    reply = httpx.post(f"{server[0]}/api/ask", json={"question": "question " * 1_250}, timeout=60)
    assert reply.status_code == 422 and "1000" in reply.json()["error"]["message"]


@pytest.mark.parametrize(
    "question",
    ["Combien d'affaires d'aide juridique Yungang a-t-il acceptées en 2025 ?", "雲岡区は2025年に法律扶助事件を何件受理しましたか？",
     "¿Cuántos casos?", "🙂🙂🙂"],
)
def test_questions_in_other_languages_get_an_answer_or_an_honest_decline(client: httpx.Client, question: str) -> None:
    reply = client.post("/api/ask", json={"question": question})
    assert reply.status_code == 200
    answer = reply.json()
    assert answer["answer"].strip()
    assert answer["citations"] if answer["found"] else not answer["citations"]
    assert client.get("/healthz").json()["status"] == "ok"


def test_filters_naming_a_report_that_is_not_indexed_get_an_answer_not_a_500(client: httpx.Client) -> None:
    reply = client.post("/api/ask", json={"question": "云冈区2025年受理了多少件法律援助案件?",
                                          "report_ids": ["no-such-report"], "year": 2025})
    assert reply.status_code == 200 and not reply.json()["found"]
