"""The ``reportchat`` command: translates between the shell and the domain, nothing more."""

from __future__ import annotations

import dataclasses
import json
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from index import IndexReader, Indexer, IndexSummary, ReportChatError, Settings
from index.errors import IndexCancelledError, SettingsError
from index.settings import load_settings

if TYPE_CHECKING:
    from assistant.pipeline import Assistant
    from assistant.types import Answer

app = typer.Typer(
    help="reportchat — 报告问答 / chat with your reports.", no_args_is_help=True, add_completion=False
)
console = Console(soft_wrap=True)
err_console = Console(stderr=True, soft_wrap=True)

HomeOption = Annotated[
    Optional[Path], typer.Option("--home", help="Data home (index + state); default $REPORTCHAT_HOME or ./.reportchat")
]


def _settings(home: Path | None) -> Settings:
    try:
        return load_settings().with_home(home)
    except SettingsError as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from None


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


INTERRUPTED = 130  # the shell's status for a run stopped by Ctrl-C


@contextmanager
def _cancel_on_interrupt() -> Iterator[threading.Event]:
    """The first Ctrl-C stops the run at its next safe point, between reports or embedding batches; a second
    one stops it at once (the catalog's transactions still leave every report whole)."""
    cancel = threading.Event()

    def interrupted(signum: int, frame: object) -> None:
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        err_console.print("正在取消… / Cancelling at the next safe point (Ctrl-C again to stop at once)")

    if threading.current_thread() is not threading.main_thread():
        yield cancel  # signals reach only the main thread
        return
    previous = signal.signal(signal.SIGINT, interrupted)
    try:
        yield cancel
    finally:
        signal.signal(signal.SIGINT, previous)


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
        ) as progress, _cancel_on_interrupt() as cancel:
            summary = indexer.run(paths or None, rebuild=rebuild, progress=_Bars(progress), cancel=cancel)
    except IndexCancelledError as exc:
        err_console.print(f"[yellow]已取消 / cancelled:[/yellow] {exc}")
        if isinstance(exc.summary, IndexSummary) and not as_json:
            _print_summary(exc.summary)
        raise typer.Exit(INTERRUPTED) from None
    except KeyboardInterrupt:
        err_console.print(
            "[yellow]已中止 / stopped:[/yellow] 正在写入的报告保持原来的索引 / the report being written keeps its "
            "previous index; run `reportchat index` again to finish."
        )
        raise typer.Exit(INTERRUPTED) from None
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
    if summary.set_aside:
        console.print(f"损坏的索引清单已移到 / the damaged catalog was moved aside to {summary.set_aside}")
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
    for path, warning in summary.warnings:
        console.print(f"[yellow]注意 note[/yellow] {path}: {warning}")


@app.command()
def reports(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per report")] = False,
    home: HomeOption = None,
) -> None:
    """列出已索引的报告 / List the indexed reports."""
    try:
        reader = IndexReader(_settings(home))
        records, failures = reader.reports(), reader.catalog.failures()
    except ReportChatError as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        for record in records:
            typer.echo(json.dumps(record.summary(), ensure_ascii=False))
        return
    table = Table(title=f"已索引报告 / indexed reports: {len(records)}")
    table.add_column("id", no_wrap=True, min_width=max((len(r.report_id) for r in records), default=2))  # for --report
    for column in ("标题 title", "年份 year", "来源 source", "分块 chunks"):
        table.add_column(column)
    for r in records:
        table.add_row(r.report_id, r.title, str(r.year or "—"), r.publisher or "—", str(r.n_chunks))
    console.print(table)
    for failure in failures:
        console.print(f"[red]未能索引 / not indexed[/red] {failure.file}: {failure.reason}")


def _assistant(home: Path | None) -> "Assistant":
    from assistant.pipeline import Assistant

    return Assistant.from_settings(_settings(home))


@app.command()
def ask(
    question: Annotated[Optional[str], typer.Argument(help="The question, in Chinese or English")] = None,
    questions: Annotated[
        Optional[Path], typer.Option("--questions", help="JSONL file, one {\"question\": …} per line")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the answer JSON (one line per answer)")] = False,
    report: Annotated[Optional[list[str]], typer.Option("--report", help="Only these report ids")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Only reports of this year")] = None,
    answerer: Annotated[str, typer.Option("--answerer", help="auto | extractive | llm")] = "auto",
    home: HomeOption = None,
) -> None:
    """提问 / Ask the reports a question."""
    from assistant.retrieve import Filters

    if (question is None) == (questions is None):
        err_console.print("请给出一个问题或 --questions 文件 / Give one QUESTION or --questions FILE.")
        raise typer.Exit(2)
    from assistant.pipeline import QuestionError

    filters = Filters(frozenset(report) if report else None, year)
    failed = 0
    try:
        bot = _assistant(home)
        items = _question_lines(questions) if questions else [question]
        for item in items:
            try:
                answer = bot.ask(item, filters=filters, answerer=answerer)  # type: ignore[arg-type]
            except QuestionError as exc:
                if questions is None:
                    raise
                # One bad line in a batch: its own error line, in its place, and the batch goes on.
                failed += 1
                error = {"message": str(exc), "type": type(exc).__name__}
                typer.echo(json.dumps({"question": item, "error": error}, ensure_ascii=False))
                err_console.print(f"[red]错误 / error:[/red] {exc}")
                continue
            if as_json:
                typer.echo(answer.model_dump_json())
            else:
                _print_answer(answer)
    except ReportChatError as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if failed:
        raise typer.Exit(1)


def _question_lines(path: Path) -> list[str]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            questions.append(json.loads(line)["question"])
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise ReportChatError(
                f"{path}:{number}: 每行应为含 question 字段的 JSON / each line must be JSON with a "
                f"'question' field"
            ) from exc
    return questions


def _print_answer(answer: "Answer") -> None:
    from rich.markdown import Markdown

    console.print(Markdown(answer.answer))
    for citation in answer.citations:
        console.print(f"[dim][{citation.n}] {citation.title} › {citation.section}[/dim]")
    console.print(f"[dim]{answer.answerer} · {sum(answer.timings_ms.values()):.0f} ms[/dim]")


@app.command("eval")
def eval_(
    gold: Annotated[Path, typer.Argument(help="Gold questions, JSONL (see ../shared/eval/README.md)")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the scores as JSON")] = False,
    answerer: Annotated[str, typer.Option("--answerer", help="auto | extractive | llm")] = "auto",
    home: HomeOption = None,
) -> None:
    """评测 / Score retrieval and answers on gold questions."""
    from assistant.evaluate import evaluate, load_gold

    try:
        bot = _assistant(home)
        report = evaluate(load_gold(gold), lambda q: bot.ask(q, answerer=answerer))  # type: ignore[arg-type]
    except (ReportChatError, ValueError, OSError) as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if as_json:
        typer.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False))
        return
    table = Table(title=f"{gold.name}: {report.overall.n} questions")
    for column in ("slice", "n", "hit@1", "hit@3", "MRR", "accuracy", "declines", "unverified", "p50 ms", "p95 ms"):
        table.add_column(column)
    rows = [("all", report.overall)] + list(report.by_language.items()) + list(report.by_type.items())
    for name, s in rows:
        table.add_row(
            name, str(s.n), f"{s.hit1:.2f}", f"{s.hit3:.2f}", f"{s.mrr:.2f}",
            f"{s.accuracy:.2f} ({s.answerable})", f"{s.declines:.2f} ({s.unanswerable})", str(s.unverified),
            f"{s.p50_ms:.0f}", f"{s.p95_ms:.0f}",
        )
    console.print(table)
    misses = [o for o in report.outcomes if not o.correct]
    for o in misses:
        console.print(f"[yellow]miss[/yellow] {o.id} ({o.lang}/{o.type}) rank={o.rank}")


@app.command()
def figures(
    indicator: Annotated[Optional[str], typer.Option("--indicator", help="An indicator, or part of one (zh or en)")] = None,
    report: Annotated[Optional[list[str]], typer.Option("--report", help="Only these report ids")] = None,
    year: Annotated[Optional[int], typer.Option("--year", help="Only reports of this year")] = None,
    csv_file: Annotated[Optional[Path], typer.Option("--csv", help="Write the rows to this CSV file")] = None,
    xlsx_file: Annotated[Optional[Path], typer.Option("--xlsx", help="Write the rows to this Excel file")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object per row")] = False,
    home: HomeOption = None,
) -> None:
    """数字表 / Every figure of the indexed reports, with the sentence it stands in."""
    from assistant.figure_table import FigureTable, shown, to_csv, to_xlsx
    from assistant.glossary import Glossary

    try:
        settings = _settings(home)
        rows = FigureTable(IndexReader(settings), Glossary.load(settings.glossary)).rows(indicator, report, year)
    except ReportChatError as exc:
        err_console.print(f"[red]错误 / error:[/red] {exc}")
        raise typer.Exit(2) from exc
    if csv_file:
        csv_file.write_text(to_csv(rows), encoding="utf-8")
    if xlsx_file:
        to_xlsx(rows, xlsx_file)
    if as_json:
        for row in rows:
            typer.echo(row.model_dump_json())
        return
    if csv_file or xlsx_file:
        console.print(f"{len(rows)} 行 rows → {', '.join(str(f) for f in (csv_file, xlsx_file) if f)}")
        return
    table = Table(title=f"数字 / figures: {len(rows)}")
    for column in ("报告 report", "年份 year", "指标 indicator", "数字 figure", "原文 quote"):
        table.add_column(column)
    for row in rows:
        name = f"{row.canonical}\n[dim]{row.indicator_en}[/dim]" if row.indicator_en else row.canonical
        table.add_row(row.place or row.title, str(row.year or "—"), name, shown(row), row.quote)
    console.print(table)


@app.command()
def serve(
    host: Annotated[Optional[str], typer.Option("--host", help="Default $REPORTCHAT_HOST or 127.0.0.1")] = None,
    port: Annotated[Optional[int], typer.Option("--port", help="Default $REPORTCHAT_PORT or 7860")] = None,
    home: HomeOption = None,
) -> None:
    """网页聊天和 HTTP API / Serve the web chat and the HTTP API (≡ python app.py)."""
    from assistant.server import serve as run_server

    settings = _settings(home)
    updates = {k: v for k, v in (("host", host), ("port", port)) if v is not None}
    run_server(settings.model_copy(update=updates))


if __name__ == "__main__":
    app()
