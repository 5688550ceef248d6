"""A kill in the middle of indexing leaves the previous index usable; the next run finishes."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from index import Indexer, IndexReader, Settings
from tests.index.test_indexer import consistent
from tests.reports import write_report

pytestmark = pytest.mark.slow


def committed_reports(home: Path) -> int:
    try:
        with sqlite3.connect(home / "catalog.sqlite", timeout=1) as db:
            return db.execute("SELECT count(*) FROM reports").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def test_sigkill_mid_index_leaves_a_queryable_index_and_the_next_run_completes(
    settings: Settings, embeddings
) -> None:
    folder = settings.reports_dir
    write_report(folder, "first.txt", "甲县", 2025, 249, paragraphs=3)
    Indexer(settings, embeddings=embeddings).run()  # the previous index
    for i in range(8):
        write_report(folder, f"r{i}.txt", f"县{i}", 2024, 100 + i, paragraphs=10)

    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "index", str(folder), "--home", str(settings.home)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while committed_reports(settings.home) < 3 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert process.poll() is None, "indexing finished before it could be killed"
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)
    partial = committed_reports(settings.home)
    assert 1 <= partial < 9

    reader = IndexReader(settings, embeddings=embeddings)
    (hit,) = reader.dense("甲县受理法律援助案件249件", 1)
    assert "249件" in reader.chunks([hit[0]])[0].text
    assert reader.lexical("法律援助案件249件", 1)

    summary = Indexer(settings, embeddings=embeddings).run()

    assert len(summary.added) == 9 - partial and summary.ok
    assert committed_reports(settings.home) == 9
    assert consistent(Indexer(settings, embeddings=embeddings))
