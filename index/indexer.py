"""Incremental, crash-safe indexing: files → chunks → vectors (Chroma) + catalog (SQLite).

Order of writes, per report: vectors go into Chroma first (invisible, since
readers only see chunks the catalog lists), then the catalog swaps the
report's rows in one transaction, then vectors it dropped are deleted. A kill
at any point leaves the previous index whole; the next run sweeps leftovers
and re-embeds anything the catalog lists but Chroma lacks.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Protocol

from filelock import FileLock, Timeout
from langchain_core.embeddings import Embeddings

from index.catalog import Catalog, ChunkRecord, ReportRecord
from index.chunk import Chunk, chunk_report, embedding_text
from index.embed import load_embeddings
from index.errors import IndexBusyError, ReportError
from index.lexical import init_jieba, tokenize
from index.load import content_hash, is_supported, load_report
from index.metadata import extract_metadata
from index.sections import split_sections
from index.settings import Settings
from index.store import VectorStore, collection_name


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
    chunks_embedded: int = 0
    chunks_indexed: int = 0
    seconds: float = 0.0
    rebuilt: bool = False

    @property
    def ok(self) -> bool:
        return not self.failed


@dataclass
class _Prepared:
    record: ReportRecord
    chunks: list[ChunkRecord]
    embed_texts: list[str]


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
        self.catalog = catalog or Catalog(settings.home / "catalog.sqlite")

    def run(
        self, paths: list[Path] | None = None, rebuild: bool = False, progress: IndexProgress | None = None
    ) -> IndexSummary:
        """Index ``paths`` (files or folders; default the reports folder). Raises IndexBusyError."""
        self.settings.home.mkdir(parents=True, exist_ok=True)
        lock = FileLock(str(self.settings.home / "index.lock"), timeout=self.settings.lock_timeout_s)
        try:
            lock.acquire()
        except Timeout as exc:
            raise IndexBusyError(self.settings.home) from exc
        try:
            return self._run(paths or [self.settings.reports_dir], rebuild, progress or _Silent())
        finally:
            lock.release()

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

        staged: list[tuple[ReportRecord, list[ChunkRecord]]] = []
        seen: set[str] = set()
        taken_ids = {r.report_id for r in known.values()}
        for path in files:
            key = str(path)
            seen.add(key)
            previous = known.get(key)
            try:
                if not is_supported(path):
                    load_report(path)  # raises the unsupported-type error
                data_hash = content_hash(path.read_bytes())
                if (
                    not rebuild and previous is not None and previous.content_hash == data_hash
                    and previous.report_id not in needs_repair
                ):
                    summary.unchanged.append(key)
                    summary.chunks_indexed += previous.n_chunks
                    progress.finish_report(path, "unchanged")
                    continue
                report_id = previous.report_id if previous else _new_report_id(path, taken_ids)
                taken_ids.add(report_id)
                prepared = self._prepare(path, report_id)
            except ReportError as exc:
                summary.failed.append((key, exc.reason))
                progress.finish_report(path, "failed")
                continue
            except OSError as exc:
                summary.failed.append((key, f"无法读取 / cannot read: {exc}"))
                progress.finish_report(path, "failed")
                continue

            progress.report(path, len(prepared.chunks))
            summary.chunks_embedded += self._store_vectors(target, prepared, progress)
            summary.chunks_indexed += len(prepared.chunks)
            if rebuild:
                staged.append((prepared.record, prepared.chunks))
            else:
                self.store.delete(target, self.catalog.put_report(prepared.record, prepared.chunks))
            outcome = (
                "repaired" if previous and previous.report_id in needs_repair and previous.content_hash == prepared.record.content_hash
                else "updated" if previous else "added"
            )
            getattr(summary, outcome).append(key)
            progress.finish_report(path, outcome)

        if rebuild:
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
        summary.seconds = time.perf_counter() - started
        return summary

    def _meta(self, target: str, generation: int) -> dict[str, str]:
        return {"collection": target, "collection_generation": str(generation), "embedding_model": self.model_id}

    def _prepare(self, path: Path, report_id: str) -> _Prepared:
        loaded = load_report(path, max_bytes=int(self.settings.max_file_mb * 1024 * 1024))
        meta = extract_metadata(loaded.text, path)
        sections = split_sections(loaded.text, meta.body_start, meta.body_end)
        chunks: list[Chunk] = chunk_report(
            loaded.text, sections, f"{report_id}:{loaded.content_hash}", self.settings.chunk_tokens
        )
        if not chunks:
            raise ReportError(path, "报告正文为空", "the report has no body text after its header")
        record = ReportRecord(
            report_id=report_id, path=str(path), content_hash=loaded.content_hash, title=meta.title,
            publisher=meta.publisher, published=meta.published, year=meta.year, place=meta.place,
            header=meta.header, body_start=meta.body_start, text=loaded.text, n_chunks=len(chunks),
            indexed_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        )
        texts = [embedding_text(c, meta.title) for c in chunks]
        init_jieba(self.settings.home / "cache")
        rows = [
            ChunkRecord(c.id, report_id, c.seq, c.section, c.start, c.end, c.text, " ".join(tokenize(t)))
            for c, t in zip(chunks, texts)
        ]
        return _Prepared(record, rows, texts)

    def _store_vectors(self, target: str, prepared: _Prepared, progress: IndexProgress) -> int:
        """Embed the chunks Chroma lacks and write them; refresh metadata of those it has."""
        record = prepared.record
        metadatas = [_chunk_metadata(record, c) for c in prepared.chunks]
        ids = [c.chunk_id for c in prepared.chunks]
        present = self.store.existing(target, ids)
        if present:
            kept = [i for i, cid in enumerate(ids) if cid in present]
            self.store.update_metadata(target, [ids[i] for i in kept], [metadatas[i] for i in kept])
            progress.advance(len(kept))
        todo = [i for i, cid in enumerate(ids) if cid not in present]
        batch = self.settings.embed_batch
        for i in range(0, len(todo), batch):
            part = todo[i : i + batch]
            vectors = self.embeddings.embed_documents([prepared.embed_texts[j] for j in part])
            self.store.upsert(
                target, [ids[j] for j in part], vectors,
                [prepared.chunks[j].text for j in part], [metadatas[j] for j in part],
            )
            progress.advance(len(part))
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
                if p.is_file() and not any(part.startswith((".", "~$")) for part in p.relative_to(path).parts)
            )
        elif path.is_file():
            files.add(path)
        else:
            missing.append(path)
    return sorted(files), folders, missing


def _under(path: Path, folders: list[Path]) -> bool:
    return any(path.is_relative_to(folder) for folder in folders)


def _new_report_id(path: Path, taken: set[str]) -> str:
    base = re.sub(r"[^\w\-]+", "-", path.stem.lower()).strip("-_") or "report"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate

