"""Incremental, crash-safe indexing: files → chunks → vectors (Chroma) + catalog (SQLite).

Reports are prepared one by one and gathered until ``index_batch_chunks`` of
their chunks are pending; then, for the whole batch, vectors go into Chroma
first (invisible, since readers only see chunks the catalog lists), embedded
in full batches and written together; then, report by report in file order,
the catalog swaps the report's rows in one transaction and the vectors it
dropped are deleted. A kill at any point leaves the previous index whole; the
next run sweeps leftovers, reuses vectors already written and re-embeds
anything the catalog lists but Chroma lacks.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import time
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings

from index.catalog import Catalog, ChunkRecord, ReportRecord, salvage_meta, set_aside
from index.chunk import Chunk, chunk_report, embedding_text
from index.embed import load_embeddings
from index.errors import (
    CatalogDamagedError,
    HomeNotWritableError,
    IndexBusyError,
    IndexCancelledError,
    ReportChatError,
    ReportError,
)
from index.lexical import init_jieba, tokenize
from index.load import content_hash, is_supported, load_report
from index.metadata import extract_metadata
from index.sections import split_sections
from index.settings import Settings
from index.store import VectorStore, collection_name

log = logging.getLogger(__name__)

class IndexProgress(Protocol):
    """What a progress display hears about (the CLI's bars, the web UI's job)."""

    def begin(self, total_reports: int) -> None: ...
    def report(self, path: Path, total_chunks: int) -> None: ...
    def advance(self, chunks: int) -> None: ...
    def finish_report(self, path: Path, outcome: str) -> None: ...


class _Silent:
    def begin(self, total_reports: int) -> None: ...
    def report(self, path: Path, total_chunks: int) -> None: ...
    def advance(self, chunks: int) -> None: ...
    def finish_report(self, path: Path, outcome: str) -> None: ...


@dataclass
class IndexSummary:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    repaired: list[str] = field(default_factory=list)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[tuple[str, str]] = field(default_factory=list)  # (path, what was repaired on reading it)
    chunks_embedded: int = 0
    chunks_indexed: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    set_aside: str | None = None  # where a rebuild moved a damaged catalog

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class _Prepared:
    path: Path
    outcome: str  # added, updated or repaired, once committed
    record: ReportRecord
    chunks: list[ChunkRecord]
    embed_texts: list[str]
    warnings: tuple[str, ...]  # what reading the file repaired (replaced bytes …)


SKIPPED_PREFIXES = (".", "~$")  # hidden files and Office's lock files are never reports
_UPSERT_MAX = 1024  # vectors held before writing them, bounding memory for one huge report


class Indexer:
    """Brings the index in line with a set of report files."""

    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings | None = None,
        store: VectorStore | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        self.settings = settings
        self.embeddings = embeddings or load_embeddings(settings.embedding_model)
        self.model_id: str = getattr(self.embeddings, "model_id", settings.embedding_model)
        self.store = store or VectorStore(settings, self.embeddings)
        self._catalog = catalog
        self._cancel = threading.Event()

    @property
    def catalog(self) -> Catalog:
        """Opened at first use, so that a rebuild can first set a damaged one aside."""
        if self._catalog is None:
            self._catalog = Catalog(self.settings.home / "catalog.sqlite")
        return self._catalog

    def run(
        self, paths: list[Path] | None = None, rebuild: bool = False, progress: IndexProgress | None = None,
        cancel: threading.Event | None = None,
    ) -> IndexSummary:
        """Index ``paths`` (files or folders; default the reports folder). Raises IndexBusyError,
        HomeNotWritableError, CatalogDamagedError unless rebuilding, and IndexCancelledError once ``cancel``
        is set (checked between reports and between embedding batches)."""
        _check_writable(self.settings.home)
        lock = FileLock(str(self.settings.home / "index.lock"), timeout=self.settings.lock_timeout_s)
        try:
            lock.acquire()
        except Timeout as exc:
            raise IndexBusyError(self.settings.home) from exc
        try:
            aside = self._set_aside_if_damaged() if rebuild else None
            self._cancel = cancel or threading.Event()
            summary = self._run(paths or [self.settings.reports_dir], rebuild, progress or _Silent())
            summary.set_aside = str(aside) if aside else None
            return summary
        finally:
            lock.release()

    def _set_aside_if_damaged(self) -> Path | None:
        """A rebuild needs nothing from the catalog: a damaged one is moved aside (kept) and a new one begun.
        Its home id and generation carry over when they still read, so the rebuild drops the old vectors."""
        try:
            self.catalog.check()
        except CatalogDamagedError as exc:
            aside = set_aside(exc.path)
            self._catalog = Catalog(exc.path)
            self._catalog.set_meta(salvage_meta(aside, ("home_id", "collection_generation")))
            return aside
        return None

    # --- the run ----------------------------------------------------------------
    def _run(self, paths: list[Path], rebuild: bool, progress: IndexProgress) -> IndexSummary:
        started = time.perf_counter()
        summary = IndexSummary()
        built_with = self.catalog.get_meta("embedding_model")
        rebuild = rebuild or (built_with is not None and built_with != self.model_id)
        summary.rebuilt = rebuild
        home_id = self.catalog.home_id()
        generation = int(self.catalog.get_meta("collection_generation") or 0)
        current = self.catalog.get_meta("collection")
        if rebuild or current is None:
            generation += 1
            target = collection_name(home_id, self.model_id, generation)
        else:
            target = current

        files, scanned_dirs, missing = _discover(paths)
        summary.failed.extend((str(p), "路径不存在 / path not found") for p in missing)
        known = {r.path: r for r in self.catalog.reports()}
        needs_repair = set() if rebuild or current is None else self._reports_missing_vectors(target)
        if not rebuild:
            self.catalog.set_meta(self._meta(target, generation))
        progress.begin(len(files))

        staged: list[tuple[ReportRecord, list[ChunkRecord]]] | None = [] if rebuild else None
        pending: list[_Prepared] = []
        seen: set[str] = set()
        taken_ids = {r.report_id for r in known.values()}
        try:
            for path in files:
                self._check_cancel()
                key = str(path)
                seen.add(key)
                previous = known.get(key)
                try:
                    if not is_supported(path):
                        load_report(path)  # raises the unsupported-type error
                    data_hash = content_hash(path.read_bytes())
                    repair = previous is not None and previous.report_id in needs_repair
                    if not rebuild and previous is not None and previous.content_hash == data_hash and not repair:
                        summary.unchanged.append(key)
                        summary.chunks_indexed += previous.n_chunks
                        progress.finish_report(path, "unchanged")
                        continue
                    report_id = previous.report_id if previous else _new_report_id(path, taken_ids)
                    outcome = (
                        "added" if previous is None
                        else "repaired" if repair and previous.content_hash == data_hash else "updated"
                    )
                    pending.append(self._prepare(path, report_id, outcome))
                    taken_ids.add(report_id)
                except ReportChatError as exc:
                    if not isinstance(exc, ReportError):
                        raise  # the index's own trouble (a damaged catalog, a cancel), not this file's
                    summary.failed.append((key, exc.reason))
                    progress.finish_report(path, "failed")
                    continue
                except Exception as exc:  # a parser's own failure on this file must not stop the others
                    summary.failed.append((key, _unreadable(path, exc)))
                    progress.finish_report(path, "failed")
                    continue
                summary.warnings.extend((key, warning) for warning in pending[-1].warnings)
                if sum(len(p.chunks) for p in pending) >= self.settings.index_batch_chunks:
                    self._commit(target, pending, staged, summary, progress)
                    pending = []
            self._commit(target, pending, staged, summary, progress)
            self._check_cancel()
        except IndexCancelledError as exc:
            summary.seconds = time.perf_counter() - started
            exc.summary = summary
            raise

        if staged is not None:
            self.catalog.replace_all(staged, self._meta(target, generation))
            summary.removed = sorted(set(known) - seen)
            for name in self.store.collection_names(f"rc-{home_id}-"):
                if name != target:
                    self.store.drop(name)
        else:
            for key, record in known.items():
                if key not in seen and (not Path(key).exists() or _under(Path(key), scanned_dirs)):
                    self.store.delete(target, self.catalog.remove_report(record.report_id))
                    summary.removed.append(key)
            self._sweep(home_id, target)
        self.catalog.record_failures(summary.failed, seen)
        summary.seconds = time.perf_counter() - started
        return summary

    def _meta(self, target: str, generation: int) -> dict[str, str]:
        return {"collection": target, "collection_generation": str(generation), "embedding_model": self.model_id}

    def _check_cancel(self) -> None:
        if self._cancel.is_set():
            raise IndexCancelledError()

    def _prepare(self, path: Path, report_id: str, outcome: str) -> _Prepared:
        loaded = load_report(
            path, max_bytes=int(self.settings.max_file_mb * 1024 * 1024), max_chars=self.settings.max_report_chars
        )
        meta = extract_metadata(loaded.text, path)
        sections = split_sections(loaded.text, meta.body_start, meta.body_end)
        chunks: list[Chunk] = chunk_report(
            loaded.text, sections, f"{report_id}:{loaded.content_hash}", self.settings.chunk_tokens
        )
        if not chunks:
            raise ReportError(path, "报告正文为空", "the report has no body text after its header")
        if len(chunks) > self.settings.max_report_chunks:
            limit = self.settings.max_report_chunks
            raise ReportError(
                path, f"报告过长:切分为 {len(chunks)} 段,上限 {limit}(REPORTCHAT_MAX_REPORT_CHUNKS)",
                f"the report is too long: {len(chunks)} chunks, limit {limit} (REPORTCHAT_MAX_REPORT_CHUNKS); "
                "split it into several files or raise the limit",
            )
        record = ReportRecord(
            report_id=report_id, path=str(path), content_hash=loaded.content_hash, title=meta.title,
            publisher=meta.publisher, published=meta.published, year=meta.year, place=meta.place,
            header=meta.header, body_start=meta.body_start, text=loaded.text, n_chunks=len(chunks),
            indexed_at=datetime.now(UTC).isoformat(timespec="seconds"),
        )
        texts = [embedding_text(c, meta.title) for c in chunks]
        init_jieba(self.settings.home / "cache")
        rows = [
            ChunkRecord(c.id, report_id, c.seq, c.section, c.start, c.end, c.text, " ".join(tokenize(t)))
            for c, t in zip(chunks, texts)
        ]
        return _Prepared(path, outcome, record, rows, texts, loaded.warnings)

    def _commit(
        self, target: str, batch: list[_Prepared], staged: list[tuple[ReportRecord, list[ChunkRecord]]] | None,
        summary: IndexSummary, progress: IndexProgress,
    ) -> None:
        """Store the batch's vectors, then commit its reports one by one in file order (or stage them, in a rebuild)."""
        summary.chunks_embedded += self._store_vectors(target, batch, progress)
        for prepared in batch:
            if staged is not None:
                staged.append((prepared.record, prepared.chunks))
            else:
                self.store.delete(target, self.catalog.put_report(prepared.record, prepared.chunks))
            summary.chunks_indexed += len(prepared.chunks)
            getattr(summary, prepared.outcome).append(str(prepared.path))
            progress.finish_report(prepared.path, prepared.outcome)

    def _store_vectors(self, target: str, batch: list[_Prepared], progress: IndexProgress) -> int:
        """Embed the batch's chunks that Chroma lacks, in full batches, and write them; refresh the others' metadata."""
        chunks = [c for p in batch for c in p.chunks]
        if not chunks:
            return 0
        texts = [t for p in batch for t in p.embed_texts]
        metadatas = [_chunk_metadata(p.record, c) for p in batch for c in p.chunks]
        ids = [c.chunk_id for c in chunks]
        present = self.store.existing(target, ids)
        if present:
            kept = [i for i, cid in enumerate(ids) if cid in present]
            self.store.update_metadata(target, [ids[i] for i in kept], [metadatas[i] for i in kept])
        todo = [i for i, cid in enumerate(ids) if cid not in present]
        walk = _Walk(progress, batch)
        walk.reach(0)
        ready: list[int] = []
        vectors: list[list[float]] = []
        size = self.settings.embed_batch
        for start in range(0, len(todo), size):
            self._check_cancel()
            part = todo[start : start + size]
            vectors += self.embeddings.embed_documents([texts[j] for j in part])
            ready += part
            walk.reach(part[-1] + 1)
            if len(ready) >= _UPSERT_MAX or start + size >= len(todo):
                self.store.upsert(
                    target, [ids[j] for j in ready], vectors, [chunks[j].text for j in ready],
                    [metadatas[j] for j in ready],
                )
                ready, vectors = [], []
        walk.reach(len(ids))
        return len(todo)

    def _reports_missing_vectors(self, target: str) -> set[str]:
        """Reports the catalog lists whose vectors Chroma has lost: re-embed them."""
        missing = self.catalog.chunk_ids() - self.store.ids(target)
        return {c.report_id for c in self.catalog.chunks(missing)} if missing else set()

    def _sweep(self, home_id: str, target: str) -> None:
        """Delete what a crashed run left behind: stray vectors and abandoned rebuilds."""
        stray = sorted(self.store.ids(target) - self.catalog.chunk_ids())
        self.store.delete(target, stray)
        for name in self.store.collection_names(f"rc-{home_id}-"):
            if name != target:
                self.store.drop(name)


class _Walk:
    """Progress through a batch's chunks in file order: each report is announced as its first chunk comes up."""

    def __init__(self, progress: IndexProgress, batch: list[_Prepared]) -> None:
        self._progress, self._batch = progress, batch
        self._ends = list(accumulate(len(p.chunks) for p in batch))  # chunk position where each report ends
        self._done, self._current = 0, -1

    def reach(self, position: int) -> None:
        """Count every chunk before ``position`` as done; announce the report whose chunk comes next."""
        while True:
            k = bisect_right(self._ends, self._done)
            if k < len(self._batch) and k != self._current:
                self._current = k
                self._progress.report(self._batch[k].path, len(self._batch[k].chunks))
            if self._done >= position:
                return
            step = min(position, self._ends[k]) - self._done
            self._progress.advance(step)
            self._done += step


def _chunk_metadata(record: ReportRecord, chunk: ChunkRecord) -> dict[str, str | int]:
    """Chroma keeps only scalars: the section path travels as one joined string."""
    meta: dict[str, str | int] = {
        "report_id": record.report_id, "title": record.title, "section": chunk.section,
        "seq": chunk.seq, "start": chunk.start, "end": chunk.end,
    }
    if record.year is not None:
        meta["year"] = record.year
    if record.place:
        meta["place"] = record.place
    return meta


def _discover(paths: list[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """(files to index, folders scanned, paths that do not exist), all resolved and sorted."""
    files: set[Path] = set()
    folders: list[Path] = []
    missing: list[Path] = []
    for raw in paths:
        path = Path(raw).expanduser().resolve()
        if path.is_dir():
            folders.append(path)
            files.update(
                p for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(SKIPPED_PREFIXES) for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.add(path)
        else:
            missing.append(path)
    return sorted(files), folders, missing


def _unreadable(path: Path, exc: Exception) -> str:
    """A parser's unexpected failure, as a file's reason; the traceback goes to the log for a bug report."""
    log.warning("reading %s failed", path, exc_info=exc)
    detail = str(exc).splitlines()[0][:200] if str(exc) else ""
    return f"无法解析此文件 / cannot read this file ({type(exc).__name__}{': ' + detail if detail else ''})"


def _check_writable(home: Path) -> None:
    """Say so by name when the data home cannot be written, before sqlite or Chroma fails in its own words."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        tempfile.TemporaryFile(dir=home).close()
    except OSError as exc:
        raise HomeNotWritableError(home, exc) from exc


def _under(path: Path, folders: list[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def _new_report_id(path: Path, taken: set[str]) -> str:
    base = re.sub(r"[^\w\-]+", "-", path.stem.lower()).strip("-_") or "report"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate

