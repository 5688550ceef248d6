"""One index for the assistant tests: the sample report plus look-alike distractors, built once."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from assistant import Assistant
from index import Indexer, IndexReader, Settings
from tests.conftest import SAMPLE_REPORT
from tests.reports import write_report


@pytest.fixture(scope="session")
def corpus_settings(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Settings:
    root = tmp_path_factory.mktemp("assistant-corpus")
    reports = root / "reports"
    reports.mkdir()
    shutil.copy(SAMPLE_REPORT, reports / SAMPLE_REPORT.name)
    # Another place, and the sample's place in another year, with look-alike figures.
    write_report(reports, "nanle-2025.txt", "濮阳市南乐县", 2025, 316, paragraphs=3)
    write_report(reports, "yungang-2023.txt", "大同市云冈区", 2023, 187, paragraphs=2)
    settings = Settings(home=root / "home", reports_dir=reports)
    summary = Indexer(settings, embeddings=embeddings).run()
    assert summary.ok and len(summary.added) == 3
    return settings


@pytest.fixture(scope="session")
def bot(corpus_settings: Settings, embeddings) -> Assistant:
    return Assistant(corpus_settings, reader=IndexReader(corpus_settings, embeddings=embeddings))


@pytest.fixture
def sample_text() -> str:
    return SAMPLE_REPORT.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def sample_id() -> str:
    return "datong-yungang-2025-fazhi-zhengfu"


def report_text(settings: Settings, report_id: str) -> str:
    record = IndexReader(settings).catalog.report(report_id)
    assert record is not None
    return record.text


__all__ = ["Path", "report_text"]
