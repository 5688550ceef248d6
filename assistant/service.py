"""What the web chat and the HTTP API do, in one place: ask, list, upload, remove, re-index.

Both serving layers only translate between their medium and this object; the
index is written by one background job at a time, and readers keep answering
from the last committed state while it runs.
"""

from __future__ import annotations

import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from assistant.filenames import partial_name, safe_filename
from assistant.pipeline import Assistant
from index.catalog import Catalog, FailureRecord, ReportRecord
from index.embed import load_embeddings
from index.errors import CatalogDamagedError, IndexCancelledError, IndexNotFoundError, ReportChatError, echo
from index.indexer import Indexer
from index.load import SUPPORTED_SUFFIXES
from index.reader import IndexReader
from index.settings import Settings


KEPT_JOBS = 100


class UploadError(ReportChatError):
    """An upload refused before anything was written."""


class NotFoundError(ReportChatError):
    """No such report or job."""


@dataclass
class Job:
    """A re-indexing run, as progress a UI can poll."""

    id: str
    state: str = "queued"  # queued → running → done | failed | cancelled
    total_reports: int = 0
    done_reports: int = 0
    total_chunks: int = 0
    done_chunks: int = 0
    current: str = ""
    summary: dict[str, Any] | None = None
    error: str | None = None
    started: float = field(default_factory=time.time)
    cancel: threading.Event = field(default_factory=threading.Event, repr=False)

    @property
    def finished(self) -> bool:
        return self.state in ("done", "failed", "cancelled")

    @property
    def fraction(self) -> float:
        if self.state == "done":
            return 1.0
        if not self.total_reports:
            return 0.0
        within = self.done_chunks / self.total_chunks if self.total_chunks else 0.0
        return min(0.99, (self.done_reports + within) / self.total_reports)

    def as_dict(self) -> dict[str, Any]:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "cancel"}
        return data | {"fraction": round(self.fraction, 3)}


class _JobProgress:
    def __init__(self, job: Job) -> None:
        self.job = job

    def begin(self, total_reports: int) -> None:
        self.job.total_reports = total_reports

    def report(self, path: Path, total_chunks: int) -> None:
        self.job.current, self.job.total_chunks, self.job.done_chunks = path.name, total_chunks, 0

    def advance(self, chunks: int) -> None:
        self.job.done_chunks += chunks

    def finish_report(self, path: Path, outcome: str) -> None:
        self.job.done_reports += 1


class ReportService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.max_upload_bytes = int(settings.max_upload_mb * 1024 * 1024)
        self.embeddings = load_embeddings(settings.embedding_model)
        self._assistant: Assistant | None = None
        self._jobs: dict[str, Job] = {}
        self._first_job: Job | None = None
        self._damaged = False  # the start found the catalog damaged: every route says so until it reads whole
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="reindex")
        self._lock = threading.Lock()
        self._jobs_lock = threading.Lock()  # apart from _lock, which index_if_empty holds while it calls reindex

    # --- reading -------------------------------------------------------------------------
    def assistant(self) -> Assistant:
        """The assistant over the current index (IndexNotFoundError before the first index)."""
        with self._lock:
            if self._damaged:  # damage that requests may never meet; monitoring must still see it
                self._check_catalog()
                self._damaged, self._assistant = False, None
            if self._assistant is not None and self._assistant.reader.catalog.damaged:
                self._assistant = None  # open the catalog anew: `reportchat index --rebuild` may have replaced it
            if self._assistant is None:
                reader = IndexReader(self.settings, embeddings=self.embeddings)
                if reader.catalog.get_meta("collection") is None:
                    raise IndexNotFoundError(self.settings.home)
                self._assistant = Assistant.from_settings_with_reader(self.settings, reader)
            first = self._first_job
        if first is not None and first.state in ("queued", "running") and not self._assistant.reader.reports():
            raise IndexNotFoundError(self.settings.home)  # the first run is under way: nothing to answer from yet
        return self._assistant

    def reports(self) -> list[ReportRecord]:
        try:
            return self.assistant().reader.reports()
        except IndexNotFoundError:
            return []

    def report(self, report_id: str) -> ReportRecord:
        record = next((r for r in self.reports() if r.report_id == report_id), None)
        if record is None:
            raise NotFoundError(f"没有报告 {echo(report_id)} / No report {echo(report_id)} is indexed.")
        return record

    def failures(self) -> list[FailureRecord]:
        """Files of the last runs that could not be indexed, with the reason, until they are fixed or removed."""
        try:
            return self.assistant().reader.catalog.failures()
        except IndexNotFoundError:
            return []

    # --- writing ---------------------------------------------------------------------------
    def check_upload(self, filename: str, data: bytes) -> Path:
        """Where an upload would go; raises FileNameError for a bad name, UploadError for a bad type, size or
        empty file."""
        name = safe_filename(filename)
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise UploadError(
                f"不支持的文件类型 / Unsupported file type {Path(name).suffix or '(none)'}: "
                f"upload one of {', '.join(SUPPORTED_SUFFIXES)}."
            )
        if len(data) > self.max_upload_bytes:
            raise UploadError(
                f"文件过大 / File too large: {len(data) / 1e6:.1f} MB, limit {self.max_upload_bytes / 1e6:.0f} MB."
            )
        if not data.strip():
            raise UploadError("文件为空 / The file is empty.")
        folder = self.settings.reports_dir.resolve()
        target = (folder / name).resolve()
        if target.parent != folder:
            raise UploadError(f"文件名无效 / Invalid file name {echo(filename)}.")
        return target

    def save_upload(self, files: list[tuple[str, bytes]]) -> dict[str, bool]:
        """Store uploaded reports (name, bytes) in the reports folder: each saved name → whether it replaced
        the report of that name. All are checked before any is written, so a refused upload changes nothing."""
        targets = [self.check_upload(name, data) for name, data in files]
        names = [target.name for target in targets]
        if twice := next((name for name in names if names.count(name) > 1), None):
            raise UploadError(
                f"这次上传中有两个文件都名为 {echo(twice)},请为其中一个改名 / Two files of this upload are both "
                f"named {echo(twice)}: rename one and upload again."
            )
        replaced = {target.name: target.exists() for target in targets}
        for target, (_, data) in zip(targets, files):
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_name(partial_name(target.name))
            partial.write_bytes(data)
            partial.replace(target)  # never a half-written report in the folder
        return replaced

    def remove(self, report_id: str) -> Job:
        """Delete a report's file from the reports folder and re-index (its chunks go with it). A file that
        failed to index has no report id: it is named by its file name instead."""
        failed = next((f for f in self.failures() if f.file == report_id), None)
        path = Path(failed.path if failed else self.report(report_id).path)
        if not path.resolve().is_relative_to(self.settings.reports_dir.resolve()):
            raise UploadError(
                f"{report_id} 不在报告文件夹中,不能从这里删除 / {report_id} lies outside the reports folder "
                "and is not removed from here."
            )
        path.unlink(missing_ok=True)
        return self.reindex()

    def reindex(self) -> Job:
        """Start (or queue) a background indexing run of the reports folder."""
        job = Job(id=uuid.uuid4().hex[:12])
        with self._jobs_lock:
            self._forget_old_jobs()
            self._jobs[job.id] = job
        self._writer.submit(self._run, job)
        return job

    def _forget_old_jobs(self) -> None:
        """Keep the latest KEPT_JOBS finished jobs for clients to poll; older ones would pile up forever."""
        finished = [j for j in self._jobs.values() if j.finished]
        for job in finished[: max(0, len(finished) - KEPT_JOBS)]:
            del self._jobs[job.id]

    def job(self, job_id: str) -> Job:
        if job_id not in self._jobs:
            raise NotFoundError(f"没有任务 {echo(job_id)} / No job {echo(job_id)}.")
        return self._jobs[job_id]

    def cancel(self, job_id: str) -> Job:
        """Stop a job between two reports or embedding batches; a finished job is left as it ended."""
        job = self.job(job_id)
        job.cancel.set()
        return job

    def cancel_all(self) -> list[Job]:
        """Stop every queued or running job (the web chat's one button); returns them."""
        with self._jobs_lock:
            active = [job for job in self._jobs.values() if not job.finished]
        for job in active:
            job.cancel.set()
        return active

    def index_at_start(self) -> Job:
        """The server's first job: everything on a first start; on a restart, what changed while it was down
        (reports dropped in, a job a kill cut short). An unchanged report costs a hash, not an embedding.
        First the catalog is read whole, so that a damaged one (CatalogDamagedError) or an unwritable data home
        (HomeNotWritableError) is said at start rather than by the first request."""
        try:
            self._check_catalog()
        except CatalogDamagedError:
            self._damaged = True
            raise
        return self.index_if_empty() or self.reindex()

    def _check_catalog(self) -> None:
        """Read the catalog whole (CatalogDamagedError, HomeNotWritableError)."""
        catalog = Catalog(self.settings.home / "catalog.sqlite")
        try:
            catalog.check()
        finally:
            catalog.close()

    def index_if_empty(self) -> Job | None:
        """On first start with nothing indexed, index the reports folder; the same job while it runs."""
        with self._lock:
            if self._first_job is not None:
                return self._first_job if self._first_job.state in ("queued", "running") else None
            catalog = self.settings.home / "catalog.sqlite"
            if catalog.exists() and Catalog(catalog).get_meta("collection") is not None:
                return None
            self._first_job = self.reindex()
            return self._first_job

    def warm_up(self) -> Future[None]:
        """Answer two questions in the background, after any first indexing, so the user's first is fast."""
        return self._writer.submit(self._warm_up)

    def _warm_up(self) -> None:
        try:
            self.assistant().warm_up()
        except ReportChatError:
            pass  # nothing indexed yet (an empty folder): the first question loads the parts itself

    def _run(self, job: Job) -> None:
        if job.cancel.is_set():
            job.state = "cancelled"  # cancelled while it waited its turn
            return
        job.state = "running"
        try:
            summary = Indexer(self.settings, embeddings=self.embeddings).run(
                [self.settings.reports_dir], progress=_JobProgress(job), cancel=job.cancel
            )
            job.summary = asdict(summary)
            job.state = "done"
        except IndexCancelledError as exc:
            job.summary = asdict(exc.summary) if exc.summary else None
            job.error, job.state = str(exc), "cancelled"
        except Exception as exc:  # reported through the job, never lost in a thread
            job.error, job.state = str(exc), "failed"

