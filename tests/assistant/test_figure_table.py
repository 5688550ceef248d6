"""The figures table as readers see it: grouped indicators with English names, figures as written, exports."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.figure_table import CSV_COLUMNS, FigureTable, format_value, shown, to_csv, to_xlsx
from assistant.glossary import Glossary
from assistant.types import FigureRow


@pytest.fixture(scope="module")
def table() -> FigureTable:
    return FigureTable(reader=None, glossary=Glossary.load())  # type: ignore[arg-type]  # naming needs no index


def row(value: float, unit: str = "件", qualifier: str = "", **fields: object) -> FigureRow:
    base = dict(figure_id="r:1", report_id="r", title="某区2025年法治政府建设年度报告", place="某区", year=2025,
                indicator="受理法律援助案件", canonical="法律援助案件", indicator_en="legal aid case", number=str(value),
                section="", quote="全年共受理法律援助案件249件。", start=0, end=15)
    return FigureRow(**(base | fields), value=value, unit=unit, qualifier=qualifier)


def test_wordings_the_glossary_lists_as_one_term_are_grouped(table: FigureTable) -> None:
    assert table.group("复议案件") == table.group("行政复议案件") == "行政复议案件"
    assert table.group("值班律师提供法律帮助") == "值班律师提供法律帮助"  # not a glossary term: kept as it is


def test_english_names_follow_the_chinese_order(table: FigureTable) -> None:
    assert table.english("法律援助案件") == "legal aid case"
    assert table.english("值班律师提供法律帮助") == "duty lawyer legal help"


@pytest.mark.parametrize(("figure", "written"), [
    (row(249), "249件"), (row(3000, "个工作日", "余"), "3000余个工作日"), (row(800, "次", "多"), "800多次"),
    (row(90, "%", "以上"), "90%以上"), (row(234, "次", "约"), "约234次"), (row(1.35, "亿元"), "1.35亿元"),
])
def test_a_figure_is_shown_as_its_report_writes_it(figure: FigureRow, written: str) -> None:
    assert shown(figure) == written


def test_values_print_without_noise() -> None:
    assert [format_value(v) for v in (249.0, 1.35, 0.2000001, 12345678.0)] == ["249", "1.35", "0.2", "12345678"]


def test_csv_opens_in_excel_and_xlsx_keeps_numbers(tmp_path: Path) -> None:
    rows = [row(249), row(316, place="南乐县")]
    text = to_csv(rows)
    assert text.startswith("\ufeffreport_id,title,place,year,indicator,canonical,indicator_en,value")
    to_xlsx(rows, tmp_path / "f.xlsx")
    header, *values = load_workbook(tmp_path / "f.xlsx").active.values
    assert [v[header.index("value")] for v in values] == [249, 316]


@pytest.mark.parametrize("planted", ["=HYPERLINK(\"http://x\",\"y\")", "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_a_cell_that_would_be_a_formula_stays_text_in_both_exports(planted: str, tmp_path: Path) -> None:
    figure = row(249, title=planted, indicator=planted)
    header, cells = list(csv.reader(io.StringIO(to_csv([figure]).lstrip("\ufeff"))))
    assert cells[header.index("title")] == cells[header.index("indicator")] == f"'{planted}"
    to_xlsx([figure], tmp_path / "f.xlsx")
    sheet = load_workbook(tmp_path / "f.xlsx").active
    cells = [c for c in sheet[2] if c.value == planted]
    assert len(cells) == 2 and all(c.data_type == "s" for c in cells)  # the text as written, never a formula
    assert [c.value for c in sheet[2]][CSV_COLUMNS.index("value")] == 249  # numbers stay numbers
