"""The figures table as readers see it: rows with their report, indicator names in both languages, exports.

The index keeps one row per figure (index/indicators.py). Here rows get their
report's title, place and year, indicators that the glossary lists as one term
(行政复议案件 | 复议案件) are grouped under its first wording, and each indicator
gets the English of the glossary terms it is made of. The CLI, the HTTP API and
the web chat's Figures tab all read the table through this module.
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from pathlib import Path
from typing import BinaryIO

from assistant.glossary import Glossary
from assistant.places import place_units
from assistant.types import FigureRow
from index.catalog import ReportRecord
from index.indicators import FigureRecord
from index.reader import IndexReader

__all__ = ["CSV_COLUMNS", "FigureTable", "dominant_unit", "format_value", "place_name", "shown", "to_csv", "to_xlsx"]

CSV_COLUMNS = (
    "report_id", "title", "place", "year", "indicator", "canonical", "indicator_en", "value", "qualifier", "unit",
    "section", "quote", "start", "end",
)


class FigureTable:
    """Rows of the figures table over one index, read fresh on each call (the index may change meanwhile)."""

    def __init__(self, reader: IndexReader, glossary: Glossary) -> None:
        self.reader = reader
        self.glossary = glossary

    def rows(
        self, indicator: str | None = None, report_ids: list[str] | None = None, year: int | None = None
    ) -> list[FigureRow]:
        """Rows in report order; ``indicator`` is a grouped key, or any part of an indicator in Chinese or English."""
        reports = {r.report_id: r for r in self.reader.reports()}
        rows = [self.row(f, reports[f.report_id]) for f in self.reader.catalog.figures(report_ids=report_ids, year=year)
                if f.report_id in reports]
        if not indicator:
            return rows
        wanted = indicator.strip().lower()
        exact = [r for r in rows if r.canonical == indicator.strip()]
        return exact or [
            r for r in rows if wanted in r.canonical or wanted in r.indicator or wanted in r.indicator_en.lower()
        ]

    def indicators(self, rows: list[FigureRow] | None = None) -> list[tuple[str, str, int]]:
        """(grouped key, English name, reports holding it), the most widely reported first."""
        rows = self.rows() if rows is None else rows
        reports: dict[str, set[str]] = {}
        english: dict[str, str] = {}
        for row in rows:
            reports.setdefault(row.canonical, set()).add(row.report_id)
            english[row.canonical] = row.indicator_en
        return sorted(((k, english[k], len(v)) for k, v in reports.items()), key=lambda t: (-t[2], t[0]))

    def row(self, figure: FigureRecord, report: ReportRecord) -> FigureRow:
        key = self.group(figure.canonical)
        return FigureRow(
            figure_id=figure.figure_id, report_id=figure.report_id, title=report.title, place=place_name(report),
            year=report.year, indicator=figure.indicator, canonical=key, indicator_en=self.english(key),
            value=figure.value, number=figure.number, qualifier=figure.qualifier, unit=figure.unit,
            section=figure.section, quote=figure.quote, start=figure.start, end=figure.end,
        )

    def group(self, canonical: str) -> str:
        """The glossary's first wording of the term ``canonical`` is, else ``canonical`` itself."""
        en = self.glossary.zh_to_en.get(canonical)
        return self.glossary.entries[en][0] if en else canonical

    def english(self, canonical: str) -> str:
        """The English of the glossary terms ``canonical`` holds, in their Chinese order (值班律师 › 法律帮助)."""
        names = self.glossary.english_for(canonical)
        at = {en: min((canonical.find(zh) for zh in self.glossary.entries[en] if zh in canonical), default=0)
              for en in names}
        return " ".join(sorted(names, key=at.__getitem__))


def place_name(report: ReportRecord) -> str:
    """The government a report is of, at its own level: 大同市云冈区 → 云冈区."""
    units = place_units(report.place) if report.place else []
    return units[-1].name if units else (report.place or report.title)


def format_value(value: float) -> str:
    """249.0 → 249, 1.35 → 1.35, no thousands separators (so the verifier reads the number back)."""
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.2f}".rstrip("0").rstrip(".")


def shown(row: FigureRow) -> str:
    """The figure as its report writes it, but in digits: 3000余个工作日, 约234次, 90%以上."""
    value = format_value(row.value)
    if row.qualifier in ("约", "近", "超过", "超"):
        return f"{row.qualifier}{value}{row.unit}"
    if row.qualifier in ("以上", "左右"):
        return f"{value}{row.unit}{row.qualifier}"
    return f"{value}{row.qualifier}{row.unit}"


def to_csv(rows: list[FigureRow]) -> str:
    """UTF-8 CSV with a BOM, so that Excel opens the Chinese text right."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        data = row.model_dump()
        writer.writerow([_inert_cell(data[c]) if data[c] is not None else "" for c in CSV_COLUMNS])
    return "\ufeff" + out.getvalue()


def to_xlsx(rows: list[FigureRow], path: Path | BinaryIO) -> None:
    """An Excel workbook of the rows (to a path or a binary file): one sheet, a header row, numbers as numbers."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "figures"
    sheet.append(list(CSV_COLUMNS))
    for row in rows:
        data = row.model_dump()
        sheet.append([data[c] for c in CSV_COLUMNS])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # report text is text: "=…" stays a string, never a live formula
    sheet.freeze_panes = "A2"
    book.save(path)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert_cell(value: object) -> object:
    """A text cell a spreadsheet would read as a formula gets a leading apostrophe (OWASP's CSV advice)."""
    return f"'{value}" if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def dominant_unit(rows: list[FigureRow]) -> str:
    """The unit most rows of one indicator share (件 over 起), so that only like is compared with like."""
    return Counter(r.unit for r in rows).most_common(1)[0][0]
