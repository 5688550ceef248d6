"""`reportchat figures`: the figures table on the command line, as JSON, CSV and Excel."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from assistant.cli import app
from index import Settings

runner = CliRunner()


def figures(settings: Settings, *args: str) -> str:
    result = runner.invoke(app, ["figures", *args, "--home", str(settings.home)])
    assert result.exit_code == 0, result.output
    return result.output


def test_json_gives_one_row_per_figure_with_its_sentence(corpus_settings: Settings) -> None:
    rows = [json.loads(line) for line in figures(corpus_settings, "--indicator", "法律援助案件", "--json").splitlines()]
    assert sorted(r["value"] for r in rows) == [187, 249, 316]
    sample = next(r for r in rows if r["value"] == 249)
    assert sample["indicator"] == "受理法律援助案件" and sample["indicator_en"] == "legal aid case"
    assert "受理法律援助案件249件" in sample["quote"] and sample["year"] == 2025 and sample["place"] == "云冈区"


def test_filters_by_english_name_report_and_year(corpus_settings: Settings, sample_id: str) -> None:
    rows = [json.loads(line) for line in figures(
        corpus_settings, "--indicator", "legal aid case", "--report", sample_id, "--year", "2025", "--json"
    ).splitlines()]
    assert [r["value"] for r in rows] == [249]


def test_csv_and_excel_exports_hold_the_same_rows(corpus_settings: Settings, tmp_path: Path) -> None:
    out_csv, out_xlsx = tmp_path / "figures.csv", tmp_path / "figures.xlsx"
    output = figures(corpus_settings, "--indicator", "法律援助案件", "--csv", str(out_csv), "--xlsx", str(out_xlsx))
    assert "3 行 rows" in output
    with out_csv.open(encoding="utf-8-sig") as file:
        from_csv = list(csv.DictReader(file))
    sheet = load_workbook(out_xlsx).active
    header, *from_xlsx = list(sheet.values)
    assert [r["value"] for r in from_csv] == ["187.0", "249.0", "316.0"]
    assert [row[header.index("value")] for row in from_xlsx] == [187, 249, 316]
    assert [r["quote"] for r in from_csv] == [row[header.index("quote")] for row in from_xlsx]


def test_the_table_for_people_names_each_figure_as_written(corpus_settings: Settings) -> None:
    output = figures(corpus_settings, "--indicator", "检查")
    assert "800多次" in output and "云冈区" in output
