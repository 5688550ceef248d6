"""The ``reportchat`` command: translates between the shell and the domain, nothing more."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from index import IndexReader, Indexer, IndexSummary, ReportChatError, Settings

app = typer.Typer(
    help="reportchat — 报告问答 / chat with your reports.", no_args_is_help=True, add_completion=False
)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

HomeOption = Annotated[
    Optional[Path], typer.Option("--home", help="Data home (index + state); default $REPORTCHAT_HOME or ./.reportchat")
]


def _settings(home: Path | None) -> Settings:
    return Settings().with_home(home)


class _Bars:
    """Rich progress bars: one for reports, one for the chunks of the current report."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.reports = progress.add_task("报告 reports", total=None)
        self.chunks = progress.add_task("分块 chunks", total=None, visible=False)

    def begin(self, total_reports: int) -> None:
        self.progress.update(self.reports, total=total_reports)

    def report(self, path: Path, total_chunks: int) -> None:
        self.progress.update(self.chunks, total=total_chunks, completed=0, visible=True,
                             description=f"分块 chunks · {path.name[:40]}")

    def advance(self, chunks: int) -> None:
        self.progress.advance(self.chunks, chunks)

    def finish_report(self, path: Path, outcome: str) -> None:
        self.progress.advance(self.reports)


@app.command()
def index(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files or folders; default the reports folder")] = None,
    rebuild: Annotated[bool, typer.Option("--rebuild", help="Start the index over")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the summary as JSON")] = False,
    home: HomeOption = None,
) -> None:
    """索引报告(增量)/ Index reports, incrementally."""
    settings = _settings(home)
    try:
        indexer = Indexer(settings)
        with Progress(
            TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
            console=err_console, transient=True,
        ) as progress:
            summary = indexer.run(paths or None, rebuild=rebuild, progress=_Bars(progress))
    except ReportChatError as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(summary), ensure_ascii=False))
    else:
        _print_summary(summary)
    if not summary.ok:
        raise typer.Exit(1)


def _print_summary(summary: IndexSummary) -> None:
    if summary.rebuilt:
        console.print("重建索引 / index rebuilt from scratch")
    counts = (
        f"新增 added {len(summary.added)} · 更新 updated {len(summary.updated)} · "
        f"删除 removed {len(summary.removed)} · 未变 unchanged {len(summary.unchanged)} · "
        f"失败 failed {len(summary.failed)}"
    )
    if summary.repaired:
        counts += f" · 修复 repaired {len(summary.repaired)}"
    console.print(counts)
    console.print(
        f"{summary.chunks_indexed} chunks indexed, {summary.chunks_embedded} embedded, {summary.seconds:.1f} s"
    )
    for path, reason in summary.failed:
        console.print(f"[red]失败 failed[/red] {path}: {reason}")


@app.command()
def reports(home: HomeOption = None) -> None:
    """列出已索引的报告 / List the indexed reports."""
    try:
        records = IndexReader(_settings(home)).reports()
    except ReportChatError as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from exc
    table = Table(title=f"已索引报告 / indexed reports: {len(records)}")
    for column in ("id", "标题 title", "年份 year", "来源 source", "分块 chunks"):
        table.add_column(column)
    for r in records:
        table.add_row(r.report_id, r.title, str(r.year or "—"), r.publisher or "—", str(r.n_chunks))
    console.print(table)


if __name__ == "__main__":
    app()
