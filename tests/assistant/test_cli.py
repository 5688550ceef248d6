"""The `reportchat` command line: its contracts are what other tools script against."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from tests.reports import write_report

runner = CliRunner()


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "corpus"
    write_report(folder, "a.txt", "甲县", 2025, 249)
    return folder


def test_index_prints_the_counts_and_reports_lists_them(corpus: Path, tmp_path: Path) -> None:
    home = str(tmp_path / "home")

    first = runner.invoke(app, ["index", str(corpus), "--home", home])
    second = runner.invoke(app, ["index", str(corpus), "--home", home])
    listing = runner.invoke(app, ["reports", "--home", home])

    assert first.exit_code == 0, first.output
    assert "added 1" in first.output and "unchanged 0" in first.output
    assert "added 0" in second.output and "unchanged 1" in second.output
    assert "甲县2025年法治政府建设年度报告" in listing.output and "2025" in listing.output


def test_reports_lists_whole_ids_and_as_json(tmp_path: Path) -> None:
    folder, home = tmp_path / "corpus", str(tmp_path / "home")
    write_report(folder, "datong-yungang-2025-fazhi-zhengfu-annual-report.txt", "甲县", 2025, 249)
    runner.invoke(app, ["index", str(folder), "--home", home])

    table = runner.invoke(app, ["reports", "--home", home], terminal_width=80)
    as_json = runner.invoke(app, ["reports", "--json", "--home", home])

    assert "datong-yungang-2025-fazhi-zhengfu-annual-report" in table.output  # whole, for --report
    (listed,) = [json.loads(line) for line in as_json.output.splitlines()]
    assert listed["report_id"] == "datong-yungang-2025-fazhi-zhengfu-annual-report" and listed["year"] == 2025


def test_home_comes_from_the_environment(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REPORTCHAT_HOME", str(tmp_path / "env-home"))
    assert runner.invoke(app, ["index", str(corpus)]).exit_code == 0
    assert (tmp_path / "env-home" / "catalog.sqlite").exists()


def test_index_defaults_to_the_reports_folder(tmp_path: Path) -> None:
    write_report(tmp_path / "reports", "a.txt", "甲县", 2025, 249)
    result = runner.invoke(app, ["index"])
    assert result.exit_code == 0 and "added 1" in result.output
    assert (tmp_path / ".reportchat" / "catalog.sqlite").exists()


def test_failures_are_listed_and_set_the_exit_status(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    result = runner.invoke(app, ["index", str(corpus), "--home", str(tmp_path / "home")])
    assert result.exit_code == 1
    assert "added 1" in result.output and "failed 1" in result.output and "broken.pdf" in result.output


def test_reports_before_any_index_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["reports", "--home", str(tmp_path / "nothing")])
    assert result.exit_code == 2 and "reportchat index" in result.output


def test_index_json_summary_is_machine_readable(corpus: Path, tmp_path: Path) -> None:
    import json

    result = runner.invoke(app, ["index", str(corpus), "--home", str(tmp_path / "home"), "--json"])
    summary = json.loads(result.output)
    assert len(summary["added"]) == 1 and summary["failed"] == [] and summary["chunks_indexed"] >= 1


def test_reports_lists_the_files_that_could_not_be_indexed_with_their_reason(corpus: Path, tmp_path: Path) -> None:
    (corpus / "broken.pdf").write_bytes(b"%PDF-1.7\n garbage")
    home = str(tmp_path / "home")
    runner.invoke(app, ["index", str(corpus), "--home", home])

    listing = runner.invoke(app, ["reports", "--home", home])

    assert listing.exit_code == 0
    (line,) = [line for line in listing.output.splitlines() if "broken.pdf" in line]
    assert "未能索引 / not indexed" in line and "malformed PDF" in line


def test_ctrl_c_cancels_indexing_at_a_safe_point_and_the_next_run_finishes(tmp_path: Path) -> None:
    import signal
    import sqlite3
    import subprocess
    import sys
    import time

    folder, home = tmp_path / "corpus", tmp_path / "home"
    for n in range(8):
        write_report(folder, f"{n}.txt", f"{'甲乙丙丁戊己庚辛'[n]}县", 2025, 100 + n, paragraphs=12)
    env = {"REPORTCHAT_INDEX_BATCH_CHUNKS": "1", "PATH": "", "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
    command = [sys.executable, "-m", "assistant.cli", "index", str(folder), "--home", str(home)]
    run = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                           cwd=Path(__file__).resolve().parents[2])

    def committed() -> int:
        try:
            with sqlite3.connect(f"file:{home / 'catalog.sqlite'}?mode=ro", uri=True) as db:
                return db.execute("SELECT count(*) FROM reports").fetchone()[0]
        except sqlite3.Error:
            return 0

    deadline = time.monotonic() + 120
    while committed() == 0 and run.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    run.send_signal(signal.SIGINT)
    out, err = run.communicate(timeout=120)

    assert run.returncode == 130, (out, err)
    assert "已取消 / cancelled" in err and "Traceback" not in err
    kept = committed()
    assert 1 <= kept < 8
    finished = runner.invoke(app, ["index", str(folder), "--home", str(home)])
    assert f"added {8 - kept}" in finished.output and f"unchanged {kept}" in finished.output
