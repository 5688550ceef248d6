"""What a long-running server leaves behind stays bounded: finished jobs and figure exports are swept."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from assistant import service as service_module
from assistant.service import ReportService
from assistant.web_figures import _FiguresView
from index import Settings
from tests.assistant.server_fixture import wait_for


def test_only_the_latest_finished_jobs_are_kept(
    settings: Settings, embeddings, monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(service_module, "load_embeddings", lambda _name: embeddings)
    monkeypatch.setattr(service_module, "KEPT_JOBS", 3)
    settings.reports_dir.mkdir(parents=True)
    service = ReportService(settings)
    jobs = []
    for _ in range(6):
        jobs.append(service.reindex())
        wait_for(lambda: jobs[-1].state in ("done", "failed"), 60, "a re-index")
    latest = service.reindex()
    kept = [job.id for job in jobs if job.id in service._jobs]
    assert kept == [job.id for job in jobs[-3:]] and service.job(latest.id) is latest


def test_figure_exports_older_than_their_use_are_swept(tmp_path: Path) -> None:
    view = _FiguresView(service=None)  # type: ignore[arg-type]  # exporting needs no index
    first_csv, _ = view._export([])
    old = time.time() - 3600
    os.utime(Path(first_csv).parent, (old, old))
    second_csv, second_xlsx = view._export([])
    assert not Path(first_csv).exists()
    assert Path(second_csv).read_text(encoding="utf-8").startswith("\ufeffreport_id") and Path(second_xlsx).exists()
    assert len(list(view.exports.iterdir())) == 1
