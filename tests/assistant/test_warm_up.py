"""A server warms up in the background, after its first index, so the user's first question is fast."""

from __future__ import annotations

import shutil
from pathlib import Path

from assistant.service import ReportService
from index import Settings
from tests.conftest import SAMPLE_REPORT


def test_warm_up_waits_for_the_first_index_and_leaves_the_parts_loaded(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", reports_dir=tmp_path / "reports")
    settings.reports_dir.mkdir()
    shutil.copy(SAMPLE_REPORT, settings.reports_dir / SAMPLE_REPORT.name)
    service = ReportService(settings)

    first = service.index_if_empty()
    service.warm_up().result(timeout=300)

    assert first is not None and first.state == "done"  # the warm-up ran after it, on the index it built
    assistant = service.assistant()
    assert assistant.reader._lexical is not None and assistant._places is not None
    assert "249" in assistant.ask("云冈区2025年受理了多少件法律援助案件?").answer


def test_warm_up_with_nothing_to_index_is_harmless(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path / "home", reports_dir=tmp_path / "reports")
    settings.reports_dir.mkdir()
    service = ReportService(settings)

    service.warm_up().result(timeout=60)  # no index yet: the first question will load the parts itself

    assert service.reports() == []
