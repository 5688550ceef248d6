"""The web chat's Figures tab: every figure of the reports as a table, a chart of one indicator, exports.

A serving layer like assistant/web.py: handlers turn UI values into FigureTable
calls and their rows back into UI values. A row chosen in the table shows the
passage it comes from with its sentence highlighted; every piece of report text
is HTML-escaped before it becomes HTML.
"""

from __future__ import annotations

import html
import shutil
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import gradio as gr
import pandas as pd

from assistant.figure_table import FigureTable, format_value, to_csv, to_xlsx
from assistant.service import ReportService
from assistant.types import FigureRow
from index.errors import IndexNotFoundError

__all__ = ["FIGURE_CSS", "chart_frames", "figures_tab"]

COLUMNS = ["地区 / Place", "年份 / Year", "指标 / Indicator", "原文用词 / As written", "数值 / Value", "单位 / Unit",
           "限定 / Qualifier", "报告 / Report", "编号 / ID"]
_TYPES = ["str", "number", "str", "str", "number", "str", "str", "str", "str"]
ALL_YEARS = "all"
_MAX_INDICATOR_CHARS = 200
_EXPORT_AGE_S = 600  # Gradio copies an export when the handler returns; our own file is then spent
_PICK_ROW = '<p class="rc-empty">点击表格中的一行,查看原文 / Click a row to see the sentence it comes from.</p>'
FIGURE_CSS = """
.rc-fig-passage { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; }
.rc-fig-passage .rc-text { white-space: pre-wrap; line-height: 1.6; margin: 6px 0; }
.rc-fig-passage mark { background: #fde68a; padding: 0 2px; }
.rc-fig-passage .rc-section, .rc-fig-passage .rc-meta { color: #57606a; font-size: 0.85em; }
"""


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def _label(row: FigureRow, many_years: bool) -> str:
    place = row.place or row.title
    return f"{place} {row.year}" if many_years and row.year else place


def chart_frames(rows: list[FigureRow]) -> tuple[pd.DataFrame, pd.DataFrame | None]:
    """(bars: one per report, lines: one per place across years — None when there is one year only)."""
    years = {r.year for r in rows if r.year}
    many_years = len(years) > 1
    bars = pd.DataFrame(
        {"report": [_label(r, many_years) for r in rows], "value": [r.value for r in rows],
         "year": [str(r.year or "") for r in rows]}
    )
    if not many_years:
        return bars, None
    lines = pd.DataFrame(
        {"year": [str(r.year) for r in rows], "value": [r.value for r in rows], "place": [r.place or r.title for r in rows]}
    )
    return bars, lines


class _FiguresView:
    def __init__(self, service: ReportService) -> None:
        self.service = service
        self.exports = Path(tempfile.mkdtemp(prefix="reportchat-figures-"))

    def _export(self, rows: list[FigureRow]) -> tuple[str, str]:
        """CSV and Excel files of the rows, in one folder per tab whose stale files are swept each time."""
        for old in self.exports.iterdir():
            if time.time() - old.stat().st_mtime > _EXPORT_AGE_S:
                shutil.rmtree(old, ignore_errors=True)
        folder = self.exports / uuid.uuid4().hex[:12]
        folder.mkdir()
        (folder / "figures.csv").write_text(to_csv(rows), encoding="utf-8")
        to_xlsx(rows, folder / "figures.xlsx")
        return str(folder / "figures.csv"), str(folder / "figures.xlsx")

    def table(self) -> FigureTable | None:
        try:
            return self.service.assistant().figures
        except IndexNotFoundError:
            return None

    def choices(self) -> tuple[Any, Any, Any]:
        """Indicator, report and year choices as the index holds them now."""
        table = self.table()
        if table is None:
            return gr.skip(), gr.skip(), gr.skip()
        rows = table.rows()
        indicators = [(f"{key} · {en} ({n})" if en else f"{key} ({n})", key) for key, en, n in table.indicators(rows)]
        reports = {r.report_id: r for r in table.reader.reports()}
        years = sorted({r.year for r in reports.values() if r.year}, reverse=True)
        return (
            gr.Dropdown(choices=indicators),
            gr.Dropdown(choices=[(f"{r.title} · {r.report_id}", r.report_id) for r in reports.values()]),
            gr.Dropdown(choices=[("全部 / All", ALL_YEARS)] + [(str(y), str(y)) for y in years]),
        )

    def show(self, indicator: str | None, report_ids: list[str] | None, year: str | None) -> tuple[Any, ...]:
        """The rows that pass the filters, the chart of the chosen indicator, and the export files."""
        table = self.table()
        if table is None:
            gr.Warning("正在建立索引,请稍后再试 / The reports are still being indexed: try again in a moment.")
            return (gr.skip(),) * 7
        if indicator and len(indicator) > _MAX_INDICATOR_CHARS:
            gr.Warning(f"指标名过长 / The indicator is too long: at most {_MAX_INDICATOR_CHARS} characters.")
            return (gr.skip(),) * 7
        rows = table.rows(indicator or None, report_ids or None, int(year) if year and year != ALL_YEARS else None)
        frame = pd.DataFrame(
            [[r.place, r.year, r.canonical, r.indicator, r.value, r.unit, r.qualifier, r.title, r.figure_id]
             for r in rows],
            columns=COLUMNS,
        )
        charted = bool(indicator) and len({r.unit for r in rows}) == 1 and bool(rows)
        bars, lines = chart_frames(rows) if charted else (None, None)
        unit = rows[0].unit if rows else ""
        csv_file, xlsx_file = self._export(rows)
        total = sum(r.value for r in rows) if charted else None
        summary = f"{len(rows)} 行 / rows" + (
            f" · 合计 / total {format_value(total)}{unit}" if total is not None else
            " · 选择一个指标以画图 / choose one indicator to chart it" if not indicator else ""
        )
        return (
            frame,
            gr.BarPlot(value=bars, visible=charted, y_title=f"数值 / value ({unit})"),
            gr.LinePlot(value=lines, visible=lines is not None, y_title=f"数值 / value ({unit})"),
            csv_file,
            xlsx_file,
            summary,
            _PICK_ROW,
        )

    def passage(self, frame: pd.DataFrame, event: gr.SelectData) -> str:
        """The passage a chosen row comes from, its sentence highlighted."""
        table = self.table()
        if table is None or event is None or event.index is None:  # None: called without a click (its API)
            return _PICK_ROW
        row_at = event.index[0] if isinstance(event.index, (list, tuple)) else event.index
        try:  # the event and the table come from the client: a row that is not there picks nothing
            figure_id = str(event.row_value[-1]) if event.row_value else str(frame.iloc[row_at][COLUMNS[-1]])
        except (IndexError, KeyError, TypeError):
            return _PICK_ROW
        report_id = figure_id.rsplit(":", 1)[0]
        row = next((r for r in table.rows(report_ids=[report_id]) if r.figure_id == figure_id), None)
        if row is None:
            return _PICK_ROW
        chunk = next((c for c in table.reader.catalog.chunks_of(report_id) if c.start <= row.start < c.end), None)
        text, offset = (chunk.text, chunk.start) if chunk else (row.quote, row.start)
        at, end = row.start - offset, min(row.end - offset, len(text))
        body = f"{_escape(text[:at])}<mark>{_escape(text[at:end])}</mark>{_escape(text[end:])}"
        year = f" · {row.year}" if row.year else ""
        return (
            f'<article class="rc-fig-passage" id="rc-fig-passage"><div><b>{_escape(row.title)}</b>{year}</div>'
            f'<div class="rc-section">{_escape(row.section)}</div><div class="rc-text">{body}</div>'
            f'<div class="rc-meta">{_escape(row.report_id)} · 字符 / chars {row.start}–{row.end}</div></article>'
        )


def figures_tab(service: ReportService) -> gr.Tab:
    """The Figures tab, built inside the caller's Blocks; its lists refresh whenever it is opened."""
    view = _FiguresView(service)
    with gr.Tab("数字 / Figures", id="figures") as tab:
        gr.Markdown("每份报告中的每个数字,附原文出处 / Every figure of every report, with the sentence it comes from.")
        with gr.Row():
            indicator = gr.Dropdown(label="指标 / Indicator", value=None, allow_custom_value=True, filterable=True,
                                    scale=3, elem_id="rc-fig-indicator")
            reports = gr.Dropdown(label="报告 / Reports", multiselect=True, value=[], scale=3)
            year = gr.Dropdown(choices=[("全部 / All", ALL_YEARS)], value=ALL_YEARS, label="年份 / Year", scale=1)
        summary = gr.Markdown(elem_id="rc-fig-summary")
        with gr.Row():
            bars = gr.BarPlot(x="report", y="value", color="year", x_title="报告 / report", color_title="年份 / year",
                              sort="-y", visible=False, label="按报告 / by report", elem_id="rc-fig-bar")
            lines = gr.LinePlot(x="year", y="value", color="place", x_title="年份 / year", color_title="地区 / place",
                                visible=False, label="逐年 / year by year", elem_id="rc-fig-line")
        with gr.Row():
            csv = gr.DownloadButton("下载 CSV / Download CSV", size="sm", elem_id="rc-fig-csv")
            xlsx = gr.DownloadButton("下载 Excel / Download Excel", size="sm", elem_id="rc-fig-xlsx")
        frame = gr.Dataframe(headers=COLUMNS, datatype=_TYPES, interactive=False, wrap=True, elem_id="rc-fig-table")
        passage = gr.HTML(_PICK_ROW, css_template=FIGURE_CSS, js_on_load=None, elem_id="rc-fig-passage-panel")

    filters = [indicator, reports, year]
    outputs = [frame, bars, lines, csv, xlsx, summary, passage]
    tab.select(view.choices, outputs=filters).then(view.show, inputs=filters, outputs=outputs)
    gr.on([indicator.change, reports.change, year.change], view.show, inputs=filters, outputs=outputs)
    frame.select(view.passage, inputs=frame, outputs=passage)
    return tab
