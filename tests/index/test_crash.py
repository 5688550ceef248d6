"""A kill in the middle of indexing leaves the previous index usable; the next run finishes."""

from __future__ import annotations

import os
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
        env=os.environ | {"REPORTCHAT_INDEX_BATCH_CHUNKS": "20"},  # batches of two reports: commits come in steps
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


_KILLED_ON_THIRD_COMMIT = """
import os, signal, sys
from pathlib import Path
from index import Indexer, Settings
from index.catalog import Catalog

put_report, commits = Catalog.put_report, []

def put_report_or_die(self, report, chunks):
    commits.append(report.report_id)
    if len(commits) == 3:
        os.kill(os.getpid(), signal.SIGKILL)
    return put_report(self, report, chunks)

Catalog.put_report = put_report_or_die
Indexer(Settings(home=Path(sys.argv[1]), reports_dir=Path(sys.argv[2]))).run()
"""


def test_sigkill_between_the_commits_of_one_batch_leaves_a_usable_index_and_its_vectors_are_reused(
    settings: Settings, embeddings
) -> None:
    folder = settings.reports_dir
    write_report(folder, "first.txt", "甲县", 2025, 249, paragraphs=3)
    Indexer(settings, embeddings=embeddings).run()  # the previous index
    for i in range(6):  # one batch: every vector is written before the first of these commits
        write_report(folder, f"r{i}.txt", f"县{i}", 2024, 100 + i, paragraphs=2)

    process = subprocess.run(
        [sys.executable, "-c", _KILLED_ON_THIRD_COMMIT, str(settings.home), str(folder)],
        check=False, capture_output=True, text=True, timeout=300,
    )
    assert process.returncode == -signal.SIGKILL, process.stderr
    assert committed_reports(settings.home) == 3  # first, r0, r1

    reader = IndexReader(settings, embeddings=embeddings)
    (hit,) = reader.dense("甲县受理法律援助案件249件", 1)
    assert "249件" in reader.chunks([hit[0]])[0].text
    listed = reader.catalog.chunk_ids()
    assert all(cid in listed for cid, _ in reader.dense("县4受理法律援助案件104件", 10))  # r4: written, not listed
    assert {c.report_id for c in reader.chunks(cid for cid, _ in reader.lexical("法律援助案件104件", 10))} <= {
        "first", "r0", "r1"
    }

    summary = Indexer(settings, embeddings=embeddings).run()

    assert [Path(p).name for p in summary.added] == ["r2.txt", "r3.txt", "r4.txt", "r5.txt"] and summary.ok
    assert summary.chunks_embedded == 0  # the killed run's vectors are reused, not embedded again
    assert committed_reports(settings.home) == 7
    assert consistent(Indexer(settings, embeddings=embeddings))
