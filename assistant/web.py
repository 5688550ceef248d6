"""The web chat (Gradio): ask, read the cited passages, manage the reports.

A serving layer only: each handler turns UI values into ReportService / Assistant
calls and their results back into UI values; answering and indexing live in the
domain. Every piece of text that comes from a report or a question is
HTML-escaped before it becomes HTML, so a report holding `<script>` shows as text.
"""

from __future__ import annotations

import html
import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
from gradio import utils as gradio_utils

from assistant.markup import inert_html
from assistant.pipeline import MAX_QUESTION_CHARS, AnswererChoice, History, QuestionError, check_question
from assistant.retrieve import Filters
from assistant.service import Job, ReportService, UploadError
from assistant.types import Answer, Citation
from assistant.web_figures import chart_frames, figures_tab
from index.catalog import FailureRecord, ReportRecord
from index.errors import IndexNotFoundError, ReportChatError
from index.load import SUPPORTED_SUFFIXES

__all__ = ["CSS", "build_ui", "answer_markdown", "citations_html"]

EXAMPLES = [
    "云冈区去年办了几件法律援助?",
    "How many legal aid cases did Yungang take on in 2025?",
    "值班律师的法律帮助和法律援助案件,谁多?差几件?",
    "Did Yungang record any road deaths in 2025?",
]
ANSWERERS = [("自动 / Auto", "auto"), ("抽取式 / Extractive", "extractive"), ("大模型 / LLM", "llm")]
ALL_YEARS = "all"
HEADERS = ["编号 / ID", "标题 / Title", "年份 / Year", "来源 / Source", "文件 / File", "分块 / Chunks"]
NOT_INDEXED = "未能索引 / not indexed"
INDEXING = "正在建立索引,请稍后再问 / The reports are still being indexed: ask again in a moment."
_EMPTY_PANEL = '<p class="rc-empty">引用的原文会显示在这里 / The cited passages appear here.</p>'
_PENDING_PANEL = '<p class="rc-empty">检索与核实中… / Searching and verifying…</p>'
_MARKER = re.compile(r"\[(\d+)\]")
_MAX_MESSAGES = 200  # the chat keeps this many messages on screen; the answerer reads only the latest turns
_CACHE_CLEANUP_S = (600, 3600)  # every 10 min, Gradio deletes its copies of files older than an hour
_POLL_S = 0.3
_JOB_WAIT_S = 3600.0  # a handler stops following a job after this; the job itself runs on
# Scoped into the HTML panels (css_template) so the UI looks right however it is mounted;
# exported for mount_gradio_app(css=...) too.
CSS = """
.rc-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 10px 12px; margin: 0 0 10px; }
.rc-card:target { border-color: #e3a008; box-shadow: 0 0 0 2px #fde68a; }
.rc-head { font-weight: 600; } .rc-n { color: #1d4ed8; margin-right: 4px; }
.rc-section, .rc-meta, .rc-empty { color: #57606a; font-size: 0.85em; margin: 4px 0; }
.rc-passage { white-space: pre-wrap; line-height: 1.6; margin: 6px 0; }
.rc-passage mark { background: #fde68a; padding: 0 2px; }
.rc-warn { background: #fef3c7; border: 1px solid #f59e0b; border-radius: 6px; padding: 6px 10px; margin: 0 0 8px; }
.rc-notes { color: #57606a; font-size: 0.9em; margin-bottom: 8px; }
.rc-banner { background: #eff6ff; border: 1px solid #93c5fd; border-radius: 6px; padding: 8px 12px; }
.rc-banner progress { width: 100%; }
"""


# --- rendering: domain values → escaped HTML / markdown ------------------------------------------
def _escape(text: str) -> str:
    return html.escape(text, quote=False)


def answer_markdown(answer: Answer) -> str:
    """The answer as chat markdown: report HTML made inert, `[n]` linked to its card."""
    numbers = {c.n for c in answer.citations}
    text = _MARKER.sub(
        lambda m: f'<a href="#cite-{m[1]}">[{m[1]}]</a>' if int(m[1]) in numbers else m[0], inert_html(answer.answer)
    )
    if not answer.verified and "⚠" not in answer.answer:
        text = "**⚠ 未经核实 / Unverified**\n\n" + text
    extra = [n for n in answer.notes if n not in answer.answer]
    return text + "".join(f"\n\n<small>ℹ {_escape(n)}</small>" for n in extra)


def _highlighted(citation: Citation) -> str:
    """The passage with the quoted sentence in <mark>; the quote on its own if the passage does not hold it."""
    text, quote = citation.text, citation.quote
    at = text.find(quote) if quote else -1
    if at < 0:
        return _escape(text) + (f"<br><mark>{_escape(quote)}</mark>" if quote else "")
    return f"{_escape(text[:at])}<mark>{_escape(quote)}</mark>{_escape(text[at + len(quote):])}"


def citations_html(answer: Answer) -> str:
    """The citation cards of one answer (`id="cite-N"`), with the unverified mark and the notes."""
    parts = []
    if not answer.verified:
        parts.append('<div class="rc-warn">⚠ 未经核实 / Unverified: 答案中的数字不全在引用原文中 / '
                     "a figure in the answer is not in its cited passages.</div>")
    if answer.notes:
        notes = "<br>".join(f"ℹ {_escape(n)}" for n in answer.notes)
        parts.append(f'<div class="rc-notes">{notes}</div>')
    for c in answer.citations:
        year = f" · {c.year}" if c.year else ""
        parts.append(
            f'<article class="rc-card" id="cite-{c.n}">'
            f'<div class="rc-head"><span class="rc-n">[{c.n}]</span>{_escape(c.title)}{year}</div>'
            f'<div class="rc-section">{_escape(c.section)}</div>'
            f'<div class="rc-passage">{_highlighted(c)}</div>'
            f'<div class="rc-meta">{_escape(c.report_id)} · 字符 / chars {c.start}–{c.end}</div></article>'
        )
    if not answer.citations:
        parts.append('<p class="rc-empty">没有引用:报告中没有找到答案 / No citations: the reports do not say.</p>')
    timings = "".join(f" · {_escape(k)} {v:.0f} ms" for k, v in answer.timings_ms.items())
    parts.append(f'<p class="rc-meta">{_escape(answer.answerer)}{timings}</p>')
    return "\n".join(parts)


def _banner(job: Job | None, missing: bool) -> str:
    if job is not None and job.state == "failed":
        return f'<div class="rc-banner">⚠ 索引失败 / Indexing failed: {_escape(job.error or "")}</div>'
    if job is None or job.finished:
        return f'<div class="rc-banner">{INDEXING}</div>' if missing else ""
    current = f" · {_escape(job.current)}" if job.current else ""
    return (f'<div class="rc-banner">正在建立索引 / Indexing the reports: {job.fraction:.0%}{current}'
            f'<progress value="{job.fraction:.3f}" max="1"></progress></div>')


def _summary(job: Job) -> str:
    s = job.summary or {}
    counts = {k: len(s.get(k, [])) for k in ("added", "updated", "removed", "unchanged")}
    text = "✓ 索引完成 / Indexed: 新增 added {added} · 更新 updated {updated} · 删除 removed {removed} · " \
           "未变 unchanged {unchanged}".format(**counts)
    failed = "".join(f"\n- ⚠ {_escape(Path(p).name)}: {_escape(reason)}" for p, reason in s.get("failed", []))
    return text + (f"\n\n未能读取 / Could not read:{failed}" if failed else "")


def _msg(role: str, content: str) -> dict[str, str]:
    return {"role": role, "content": content}


# --- handlers: UI values ↔ service calls ----------------------------------------------------------
class _WebChat:
    def __init__(self, service: ReportService) -> None:
        self.service = service
        self.startup: Job | None = None  # the first index, when this UI had to start it
        self._lock = threading.Lock()

    def respond(
        self, question: str, messages: list[Any], history: History, report_ids: list[str] | None,
        year: str | None, answerer: AnswererChoice,
    ) -> Iterator[tuple[Any, ...]]:
        """Stream the provisional text, then replace it with the verified answer, its citations and its chart."""
        try:
            question = check_question(question)
        except QuestionError as exc:
            gr.Warning(_escape(str(exc)))  # toasts render HTML
            yield (gr.skip(),) * 6
            return
        messages = [*messages[-_MAX_MESSAGES:], _msg("user", _escape(question)), _msg("assistant", "…")]
        try:
            assistant = None if self._first_index_running() else self.service.assistant()
        except IndexNotFoundError:
            self.ensure_indexing()
            assistant = None
        except ReportChatError as exc:
            messages[-1] = _msg("assistant", f"⚠ {_escape(str(exc))}")
            yield question, messages, history, _EMPTY_PANEL, *_no_chart()
            return
        if assistant is None:  # asked now, it would answer "not found" for reports not yet indexed
            messages[-1] = _msg("assistant", INDEXING)
            yield question, messages, history, _EMPTY_PANEL, *_no_chart()
            return
        filters = Filters(
            frozenset(report_ids) if report_ids else None, int(year) if year and year != ALL_YEARS else None
        )
        yield "", messages, history, _PENDING_PANEL, *_no_chart()
        text, final = "", None
        try:
            for event in assistant.stream(question, history, filters, answerer):
                if isinstance(event, Answer):
                    final = event
                else:
                    text += event
                    messages[-1] = _msg("assistant", _escape(text) + " ▍")
                    yield "", messages, history, _PENDING_PANEL, gr.skip(), gr.skip()
        except ReportChatError as exc:
            gr.Warning(_escape(str(exc)))  # toasts render HTML
            messages[-1] = _msg("assistant", f"⚠ {_escape(str(exc))}")
            yield question, messages, history, _EMPTY_PANEL, *_no_chart()
            return
        assert final is not None
        messages[-1] = _msg("assistant", answer_markdown(final))
        yield "", messages, [*history, (question, final.answer)], citations_html(final), *_answer_charts(final)

    def ensure_indexing(self) -> None:
        """With no index yet, make sure the first indexing run is under way (once per UI)."""
        with self._lock:
            if self.startup is None:
                self.startup = self.service.index_if_empty()

    def _first_index_running(self) -> bool:
        job = self.startup
        return job is not None and job.state in ("queued", "running") and not self.service.reports()

    def status(self) -> tuple[Any, ...]:
        """The indexing banner; the timer polls only while indexing runs, and the lists refresh after."""
        try:
            self.service.assistant()
            missing = False
        except IndexNotFoundError:
            self.ensure_indexing()
            missing = True
        except ReportChatError as exc:  # a damaged catalog, an unwritable home: say so, and how to recover
            return (f'<div class="rc-banner">⚠ {_escape(str(exc))}</div>', gr.Timer(active=False), *(gr.skip(),) * 4)
        busy = missing or (self.startup is not None and self.startup.state in ("queued", "running"))
        lists = (gr.skip(),) * 4 if busy else self.refresh()
        return (_banner(self.startup, missing), gr.Timer(active=busy), *lists)

    def refresh(self) -> tuple[Any, Any, Any, Any]:
        """The reports table and every report / year choice, as they are now."""
        records, failures = self.service.reports(), self.service.failures()
        choices = [(f"{r.title} · {r.report_id}", r.report_id) for r in records]
        years = sorted({r.year for r in records if r.year}, reverse=True)
        removable = choices + [(f"⚠ {f.file} · {NOT_INDEXED}", f.file) for f in failures]
        return (
            [_row(r) for r in records] + [_failed_row(f) for f in failures],
            gr.Dropdown(choices=choices),
            gr.Dropdown(choices=[("全部 / All", ALL_YEARS)] + [(str(y), str(y)) for y in years]),
            gr.Dropdown(choices=removable, value=None),
        )

    def upload(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        """Check every file, store them all, re-index, and follow the job to its end."""
        if not files:
            return _problem("没有选择文件 / No file was chosen.")
        try:
            saved = self.service.save_upload([self._received(f) for f in files])  # all checked before any is written
            job = self.service.reindex()
        except ReportChatError as exc:
            return _problem(str(exc))
        done = self._follow(job, progress)
        replaced = [name for name, was_there in saved.items() if was_there]
        note = f"\n\n已替换同名的报告 / Replaced the reports of the same name: {_escape(', '.join(replaced))}"
        return (f"已上传 / Uploaded: {_escape(', '.join(saved))}{note if replaced else ''}\n\n{done}", *self.refresh())

    def _received(self, file: str) -> tuple[str, bytes]:
        """An upload's name and bytes, read only from Gradio's upload folder and within the upload limit.

        A handler's input comes from whoever calls it, not only from our page: a path elsewhere (the
        server's own files, a link out of the folder, a device) is refused before it is opened.
        """
        folder = Path(gradio_utils.get_upload_folder()).resolve()
        path = Path(file).resolve()
        if not path.is_relative_to(folder) or not path.is_file():
            raise UploadError("只能索引通过本页上传的文件 / Only files uploaded through this page can be indexed.")
        limit = self.service.max_upload_bytes
        with path.open("rb") as handle:
            data = handle.read(limit + 1)
        if len(data) > limit:
            raise UploadError(f"文件过大 / File too large: limit {limit / 1e6:.0f} MB.")
        path.unlink(missing_ok=True)  # copied into the reports folder next, or refused: Gradio's copy is spent
        return Path(file).name, data

    def remove(self, report_id: str | None, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        if not report_id:
            return _problem("请先选择要删除的报告 / Choose a report to remove first.")
        try:
            job = self.service.remove(report_id)
        except ReportChatError as exc:
            return _problem(str(exc))
        return (f"已删除 / Removed: {_escape(report_id)}\n\n{self._follow(job, progress)}", *self.refresh())

    def reindex(self, progress: gr.Progress = gr.Progress()) -> tuple[Any, ...]:
        return (self._follow(self.service.reindex(), progress), *self.refresh())

    def cancel(self) -> str:
        """Stop whatever indexing runs; the handler following it then says what was kept."""
        if not self.service.cancel_all():
            return "没有正在进行的索引 / No indexing is running."
        return "正在取消索引… / Cancelling the indexing at its next safe point…"

    def _follow(self, job: Job, progress: gr.Progress) -> str:
        deadline = time.monotonic() + _JOB_WAIT_S
        while job.state in ("queued", "running") and time.monotonic() < deadline:
            progress(job.fraction, desc=f"索引中 / Indexing {job.current}".strip())
            time.sleep(_POLL_S)
        if job.state == "failed":
            message = f"索引失败 / Indexing failed: {job.error}"
            gr.Warning(_escape(message))
            return f"⚠ {_escape(message)}"
        if job.state == "cancelled":
            return f"⏹ {_escape(job.error or '')}\n\n{_summary(job)}" if job.summary else f"⏹ {_escape(job.error or '')}"
        if job.state != "done":
            return "索引仍在进行,请稍后刷新 / Indexing is still running: refresh later."
        return _summary(job)


def _no_chart() -> tuple[Any, Any]:
    return gr.BarPlot(visible=False), gr.LinePlot(visible=False)


def _answer_charts(answer: Answer) -> tuple[Any, Any]:
    """A compare/rank/total answer's figures as bars, a trend's as lines; hidden for other answers."""
    if len(answer.figures) < 2:
        return _no_chart()
    bars, lines = chart_frames(answer.figures)
    trend = lines is not None and len({r.place for r in answer.figures}) == 1
    return (gr.BarPlot(value=bars, visible=not trend), gr.LinePlot(value=lines, visible=True) if trend
            else gr.LinePlot(visible=False))


def _problem(message: str) -> tuple[Any, ...]:
    """A problem the user can act on: a toast and the status line; the table and choices stay as they were.

    (gr.Error would do the same, but also stamp every output, the reports table included, with "Error".)
    """
    gr.Warning(_escape(message))  # toasts render HTML
    return (f"⚠ {_escape(message)}", *(gr.skip(),) * 4)


def _row(record: ReportRecord) -> list[Any]:
    return [record.report_id, record.title, record.year or "", record.publisher or "",
            Path(record.path).name, record.n_chunks]


def _failed_row(failure: FailureRecord) -> list[Any]:
    """A file that could not be indexed stays in view, with its reason, until it is fixed or removed."""
    return ["⚠", f"{NOT_INDEXED}: {failure.reason}", "", "", failure.file, 0]


# --- layout -----------------------------------------------------------------------------------------
def build_ui(service: ReportService) -> gr.Blocks:
    """The web chat over ``service``: a chat tab with citations beside it, and a reports tab."""
    web = _WebChat(service)
    with gr.Blocks(title="报告问答 · reportchat", analytics_enabled=False, delete_cache=_CACHE_CLEANUP_S) as ui:
        gr.Markdown("## 报告问答 · reportchat\n从政府年度报告中查数字,并引用原文 / "
                    "Exact figures from government annual reports, with the sentence they come from.")
        banner = gr.HTML("", css_template=CSS, js_on_load=None, elem_id="rc-banner")
        timer = gr.Timer(1.0, active=False)
        history = gr.State([])
        with gr.Tabs():
            with gr.Tab("对话 / Chat", id="chat"):
                with gr.Row():
                    with gr.Column(scale=3):
                        chatbot = gr.Chatbot(label="对话 / Chat", height=480, elem_id="rc-chat")
                        answer_bars = gr.BarPlot(x="report", y="value", color="year", sort="-y", visible=False,
                                                 label="图表 / Chart", elem_id="rc-answer-bars")
                        answer_lines = gr.LinePlot(x="year", y="value", color="place", visible=False,
                                                   label="图表 / Chart", elem_id="rc-answer-lines")
                        with gr.Row():
                            box = gr.Textbox(placeholder="提问 / Ask — 中文或英文 / Chinese or English",
                                             show_label=False, scale=5, elem_id="rc-question",
                                             max_length=MAX_QUESTION_CHARS)
                            ask = gr.Button("提问 / Ask", variant="primary", scale=1, elem_id="rc-ask")
                        gr.Examples(EXAMPLES, inputs=box, label="示例问题 / Example questions")
                        clear = gr.Button("清空对话 / Clear chat", size="sm")
                    with gr.Column(scale=2):
                        with gr.Accordion("筛选与回答方式 / Filters and answerer", open=False):
                            report_filter = gr.Dropdown(multiselect=True, value=[], label="报告 / Reports")
                            year_filter = gr.Dropdown(choices=[("全部 / All", ALL_YEARS)], value=ALL_YEARS,
                                                      label="年份 / Year")
                            answerer = gr.Radio(ANSWERERS, value="auto", label="回答方式 / Answerer",
                                                info="大模型需先配置 / LLM only when one is configured")
                        gr.Markdown("#### 引用 / Citations")
                        citations = gr.HTML(_EMPTY_PANEL, css_template=CSS, js_on_load=None,
                                            elem_id="rc-citations")
            with gr.Tab("报告 / Reports", id="reports"):
                table = gr.Dataframe(headers=HEADERS, interactive=False, wrap=True, elem_id="rc-reports")
                with gr.Row():
                    upload = gr.UploadButton("上传报告 / Upload reports", file_count="multiple", variant="primary",
                                             file_types=list(SUPPORTED_SUFFIXES), elem_id="rc-upload")
                    reindex = gr.Button("重新索引 / Re-index")
                    refresh = gr.Button("刷新 / Refresh")
                with gr.Row():
                    remove_choice = gr.Dropdown(label="删除报告 / Remove a report", scale=3)
                    remove = gr.Button("删除 / Remove", variant="stop", scale=1)
                    cancel = gr.Button("取消索引 / Cancel indexing", scale=1, elem_id="rc-cancel")
                status = gr.Markdown(elem_id="rc-status")
            figures_tab(service)

        lists = [table, report_filter, year_filter, remove_choice]
        gr.on([box.submit, ask.click], web.respond,
              inputs=[box, chatbot, history, report_filter, year_filter, answerer],
              outputs=[box, chatbot, history, citations, answer_bars, answer_lines],
              concurrency_limit=service.settings.web_concurrency, concurrency_id="chat")
        clear.click(lambda: ([], [], _EMPTY_PANEL, *_no_chart()),
                    outputs=[chatbot, history, citations, answer_bars, answer_lines])
        ui.load(web.status, outputs=[banner, timer, *lists], show_progress="hidden")
        timer.tick(web.status, outputs=[banner, timer, *lists], show_progress="hidden")
        upload.upload(web.upload, inputs=upload, outputs=[status, *lists])
        remove.click(web.remove, inputs=remove_choice, outputs=[status, *lists])
        reindex.click(web.reindex, outputs=[status, *lists])
        refresh.click(web.refresh, outputs=lists)
        cancel.click(web.cancel, outputs=status)
    return ui
