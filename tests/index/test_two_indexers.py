"""Three `reportchat index` processes started at once on one data home.

Two are told not to wait (the default): whichever does not get the home is refused
with the bilingual IndexBusyError and exit status 2. The third may wait
(REPORTCHAT_LOCK_TIMEOUT_S) and then finds nothing left to do. The index ends whole:
every report once, and Chroma, the catalog and the lexical index agree.
"""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from index import Indexer, IndexReader, Settings
from tests.index.test_indexer import consistent
from tests.reports import write_report

pytestmark = pytest.mark.slow


def test_indexers_started_together_wait_or_are_refused_clearly_and_the_index_stays_whole(
    settings: Settings, embeddings
) -> None:
    for i in range(6):
        write_report(settings.reports_dir, f"r{i}.txt", f"县{i}", 2024, 100 + i, paragraphs=10)
    command = [sys.executable, "-m", "assistant.cli", "index", str(settings.reports_dir), "--home", str(settings.home)]
    env = os.environ | {"COLUMNS": "400"}
    waits = env | {"REPORTCHAT_LOCK_TIMEOUT_S": "900"}
    processes = [subprocess.Popen(command, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                 for e in (env, env, waits)]
    results = [(p.wait(timeout=1200), p.stdout.read() + p.stderr.read()) for p in processes]  # type: ignore[union-attr]

    refused = [output for status, output in results if status == 2]
    assert results[2][0] == 0, results[2][1]  # the one that may wait, waits
    assert 1 <= len(refused) <= 2 and all(status in (0, 2) for status, _ in results)
    assert all("另一个索引任务正在使用" in out and "Another indexing run holds" in out for out in refused)
    assert sum("新增 added 6" in output for _, output in results) == 1  # the work was done once
    assert len(IndexReader(settings, embeddings=embeddings).reports()) == 6
    assert consistent(Indexer(settings, embeddings=embeddings))
