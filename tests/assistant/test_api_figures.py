"""`GET /api/figures` and table answers through `/api/ask` and `/v1/chat/completions`, on a real server."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterator

import httpx
import openai
import pytest
from openpyxl import load_workbook

from index import Settings
from tests.assistant.server_fixture import running_server
from tests.conftest import SAMPLE_REPORT
from tests.reports import write_report

pytestmark = pytest.mark.slow
RANK = "2025年哪个地区受理的法律援助案件最多?"


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[httpx.Client]:
    root = tmp_path_factory.mktemp("api-figures")
    (root / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, root / "reports" / SAMPLE_REPORT.name)
    write_report(root / "reports", "nanle-2025.txt", "濮阳市南乐县", 2025, 316)
    with running_server(Settings(home=root / "home", reports_dir=root / "reports")) as (url, _service):
        with httpx.Client(base_url=url, timeout=60) as http:
            yield http


def test_figures_as_json_filtered_by_indicator(client: httpx.Client) -> None:
    body = client.get("/api/figures", params={"indicator": "法律援助案件"}).json()
    assert body["count"] == 2
    assert {(f["place"], f["value"]) for f in body["figures"]} == {("云冈区", 249), ("南乐县", 316)}
    assert all(f["quote"] and f["end"] > f["start"] for f in body["figures"])


def test_figures_filtered_by_report_and_year(client: httpx.Client) -> None:
    body = client.get("/api/figures", params={"report_id": "nanle-2025", "year": 2025}).json()
    assert body["count"] > 0 and {f["report_id"] for f in body["figures"]} == {"nanle-2025"}
    assert client.get("/api/figures", params={"year": 1999}).json()["count"] == 0


def test_figures_as_csv_and_excel(client: httpx.Client) -> None:
    response = client.get("/api/figures", params={"indicator": "法律援助案件", "format": "csv"})
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert sorted(float(r["value"]) for r in rows) == [249, 316]
    workbook = client.get("/api/figures", params={"indicator": "法律援助案件", "format": "xlsx"})
    assert len(list(load_workbook(io.BytesIO(workbook.content)).active.values)) == 3


def test_ask_answers_a_rank_question_from_the_table(client: httpx.Client) -> None:
    answer = client.post("/api/ask", json={"question": RANK}).json()
    assert answer["answerer"] == "table" and answer["verified"]
    assert [f["value"] for f in answer["figures"]] == [316, 249]
    assert "316 − 249 = 67" in answer["answer"] and len(answer["citations"]) == 2


def test_openai_client_gets_the_table_answer_and_its_figures(client: httpx.Client) -> None:
    ai = openai.OpenAI(base_url=f"{str(client.base_url).rstrip('/')}/v1", api_key="any")
    response = ai.chat.completions.create(model="reportchat", messages=[
        {"role": "user", "content": "Which government accepted the most legal aid cases in 2025?"}])
    assert "316 − 249 = 67" in response.choices[0].message.content
    extra = response.model_extra["reportchat"]
    assert extra["answerer"] == "table" and [f["value"] for f in extra["figures"]] == [316, 249]
