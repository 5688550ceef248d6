"""The catalog: which reports are indexed, their chunks and lexical tokens, in SQLite.

It is the index's source of truth. A report's rows change in one transaction
after its vectors are in Chroma, so a crash at any point leaves the previous
state whole; vectors Chroma holds beyond the catalog are invisible to readers
and swept by the next indexing run.

sqlite's errors for a damaged file or an unwritable home surface as
CatalogDamagedError and HomeNotWritableError, which say how to recover; the
reports hold everything the catalog does, so a rebuild sets a damaged file
aside and indexes them again.
"""

from __future__ import annotations

import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import closing, contextmanager
from dataclasses import astuple, dataclass, fields
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from index.errors import CatalogDamagedError, HomeNotWritableError
from index.indicators import EXTRACTOR_VERSION, FigureRecord, extract_figures

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS reports (
    report_id TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,
    title TEXT NOT NULL, publisher TEXT, published TEXT, year INTEGER, place TEXT,
    header TEXT NOT NULL, body_start INTEGER NOT NULL, text TEXT NOT NULL,
    n_chunks INTEGER NOT NULL, indexed_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    chunk_id TEXT PRIMARY KEY, report_id TEXT NOT NULL REFERENCES reports(report_id),
    seq INTEGER NOT NULL, section TEXT NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
    text TEXT NOT NULL, tokens TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_report ON chunks(report_id, seq);
CREATE TABLE IF NOT EXISTS figures (
    figure_id TEXT PRIMARY KEY, report_id TEXT NOT NULL REFERENCES reports(report_id), seq INTEGER NOT NULL,
    indicator TEXT NOT NULL, canonical TEXT NOT NULL, value REAL NOT NULL, number TEXT NOT NULL,
    qualifier TEXT NOT NULL, unit TEXT NOT NULL, section TEXT NOT NULL, quote TEXT NOT NULL,
    start INTEGER NOT NULL, "end" INTEGER NOT NULL, figure_start INTEGER NOT NULL, figure_end INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS figures_by_report ON figures(report_id, seq);
CREATE INDEX IF NOT EXISTS figures_by_canonical ON figures(canonical);
CREATE TABLE IF NOT EXISTS failures (path TEXT PRIMARY KEY, reason TEXT NOT NULL, failed_at TEXT NOT NULL);
"""


@dataclass(frozen=True)
class ReportRecord:
    report_id: str
    path: str
    content_hash: str
    title: str
    publisher: str | None
    published: str | None
    year: int | None
    place: str | None
    header: str
    body_start: int
    text: str
    n_chunks: int
    indexed_at: str

    def summary(self) -> dict[str, Any]:
        """What a listing shows of a report (the HTTP API, `reportchat reports --json`): not its text."""
        return {
            "report_id": self.report_id, "title": self.title, "year": self.year, "publisher": self.publisher,
            "published": self.published, "place": self.place, "chunks": self.n_chunks,
            "file": self.path.rsplit("/", 1)[-1],
        }


@dataclass(frozen=True)
class ChunkRecord:
    chunk_id: str
    report_id: str
    seq: int
    section: str
    start: int
    end: int
    text: str
    tokens: str  # jieba tokens joined by spaces, for BM25


@dataclass(frozen=True)
class FailureRecord:
    """A file of the reports folder the last run could not index, kept so that it can be listed and removed."""

    path: str
    reason: str
    failed_at: str

    @property
    def file(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def summary(self) -> dict[str, Any]:
        return {"file": self.file, "reason": self.reason, "failed_at": self.failed_at}


_REPORT_COLUMNS = ", ".join(f.name for f in fields(ReportRecord))
_CHUNK_COLUMNS = ", ".join(f'"{f.name}"' for f in fields(ChunkRecord))
_FIGURE_COLUMNS = ", ".join(f'"{f.name}"' for f in fields(FigureRecord))
_DAMAGED = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}
_NOT_WRITABLE = {sqlite3.SQLITE_READONLY, sqlite3.SQLITE_CANTOPEN}
_UNDECODABLE = "Could not decode to UTF-8"  # Python's sqlite3 meeting a damaged text value; it has no error code


class Catalog:
    def __init__(self, path: Path) -> None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise HomeNotWritableError(path.parent, exc) from exc
        self.path = path
        self._lock = threading.RLock()
        self._damage: str | None = None
        with _translated(path):
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None, timeout=30)
        try:
            with self._checked():
                self._db.execute("PRAGMA journal_mode=WAL")
                self._db.execute("PRAGMA synchronous=NORMAL")
                self._db.executescript(_SCHEMA)
            self._extract_missing_figures()
        except BaseException:
            self._db.close()
            raise

    def close(self) -> None:
        self._db.close()

    @property
    def damaged(self) -> bool:
        """A query found the file damaged (and closed it): open the catalog again to see whether it was rebuilt."""
        return self._damage is not None

    def check(self) -> None:
        """Read every page (sqlite's quick_check) and every row, so that damage anywhere is found now, not by a
        later query: a stray write inside a text value leaves the pages sound but the text undecodable."""
        with self._lock, self._checked():
            found = [row[0] for row in self._db.execute("PRAGMA quick_check")]
            if found != ["ok"]:
                raise CatalogDamagedError(self.path, "; ".join(found[:3]))
            for table in ("meta", "reports", "chunks", "figures", "failures"):
                for _ in self._db.execute(f"SELECT * FROM {table}"):
                    pass

    @contextmanager
    def _checked(self) -> Iterator[None]:
        """Translate sqlite's errors; a damaged file is closed at once, since a rebuild moves it aside and
        sqlite deletes a WAL file by its name when the last connection to a database closes."""
        if self._damage is not None:
            raise CatalogDamagedError(self.path, self._damage)
        try:
            with _translated(self.path):
                yield
        except CatalogDamagedError as exc:
            self._damage = str(exc.cause)
            self._db.close()
            raise

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock, self._checked():
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                if self._db.in_transaction:  # sqlite rolls back by itself after some errors (I/O, a full disk)
                    self._db.execute("ROLLBACK")
                raise
            self._db.execute(
                "INSERT INTO meta VALUES ('generation', '1') ON CONFLICT(key) "
                "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
            )
            self._db.execute("COMMIT")

    def _query(self, sql: str, params: Iterable[object] = ()) -> list[tuple]:
        with self._lock, self._checked():
            return self._db.execute(sql, tuple(params)).fetchall()

    # --- meta -------------------------------------------------------------
    def get_meta(self, key: str) -> str | None:
        rows = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return rows[0][0] if rows else None

    def home_id(self) -> str:
        """A short id unique to this data home, so homes can share one Chroma server."""
        value = self.get_meta("home_id")
        if value is None:
            with self._transaction() as db:
                db.execute("INSERT OR IGNORE INTO meta VALUES ('home_id', ?)", (uuid.uuid4().hex[:10],))
            value = self.get_meta("home_id")
        assert value is not None
        return value

    def generation(self) -> int:
        """Bumped by every commit: readers reload their lexical index when it moves."""
        return int(self.get_meta("generation") or 0)

    # --- reads --------------------------------------------------------------
    def reports(self) -> list[ReportRecord]:
        rows = self._query(f"SELECT {_REPORT_COLUMNS} FROM reports ORDER BY year DESC, title")
        return [ReportRecord(*row) for row in rows]

    def report(self, report_id: str) -> ReportRecord | None:
        rows = self._query(f"SELECT {_REPORT_COLUMNS} FROM reports WHERE report_id = ?", (report_id,))
        return ReportRecord(*rows[0]) if rows else None

    def chunk_ids(self) -> set[str]:
        return {row[0] for row in self._query("SELECT chunk_id FROM chunks")}

    def chunk_ids_of(self, report_id: str) -> list[str]:
        rows = self._query("SELECT chunk_id FROM chunks WHERE report_id = ? ORDER BY seq", (report_id,))
        return [row[0] for row in rows]

    def chunks(self, chunk_ids: Iterable[str]) -> list[ChunkRecord]:
        """Chunks by id, in the order asked; ids no longer indexed are left out."""
        wanted = list(dict.fromkeys(chunk_ids))
        found: dict[str, ChunkRecord] = {}
        for i in range(0, len(wanted), 500):
            batch = wanted[i : i + 500]
            marks = ",".join("?" * len(batch))
            for row in self._query(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE chunk_id IN ({marks})", batch):
                found[row[0]] = ChunkRecord(*row)
        return [found[c] for c in wanted if c in found]

    def chunks_of(self, report_id: str) -> list[ChunkRecord]:
        rows = self._query(f"SELECT {_CHUNK_COLUMNS} FROM chunks WHERE report_id = ? ORDER BY seq", (report_id,))
        return [ChunkRecord(*row) for row in rows]

    def figures(
        self, canonical: str | None = None, report_ids: Iterable[str] | None = None, year: int | None = None
    ) -> list[FigureRecord]:
        """Figures in report order, optionally of one canonical indicator, some reports, one year."""
        where, params = [], []
        if canonical is not None:
            where.append("f.canonical = ?")
            params.append(canonical)
        if report_ids is not None:
            ids = list(report_ids)
            where.append(f"f.report_id IN ({','.join('?' * len(ids))})")
            params += ids
        if year is not None:
            where.append("r.year = ?")
            params.append(year)
        columns = ", ".join(f"f.{c}" for c in _FIGURE_COLUMNS.split(", "))
        rows = self._query(
            f"SELECT {columns} FROM figures f JOIN reports r USING (report_id)"
            f"{' WHERE ' + ' AND '.join(where) if where else ''} ORDER BY r.year, r.title, f.seq",
            params,
        )
        return [FigureRecord(*row) for row in rows]

    def failures(self) -> list[FailureRecord]:
        """Files that failed when last tried and still exist."""
        rows = self._query("SELECT path, reason, failed_at FROM failures ORDER BY path")
        return [FailureRecord(*row) for row in rows if Path(row[0]).exists()]

    def lexical_rows(self) -> list[tuple[str, str]]:
        """(chunk_id, tokens) of every chunk, for building BM25."""
        return self._query("SELECT chunk_id, tokens FROM chunks ORDER BY report_id, seq")

    # --- writes ---------------------------------------------------------------
    def put_report(self, report: ReportRecord, chunks: list[ChunkRecord]) -> list[str]:
        """Insert or replace one report and its chunks atomically; return the chunk ids it dropped."""
        with self._transaction() as db:
            before = {r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE report_id = ?", (report.report_id,))}
            self._delete(db, report.report_id)
            self._insert(db, report, chunks)
        return sorted(before - {c.chunk_id for c in chunks})

    def remove_report(self, report_id: str) -> list[str]:
        """Delete one report; return its chunk ids."""
        with self._transaction() as db:
            ids = [r[0] for r in db.execute("SELECT chunk_id FROM chunks WHERE report_id = ?", (report_id,))]
            self._delete(db, report_id)
        return ids

    def replace_all(
        self, reports: list[tuple[ReportRecord, list[ChunkRecord]]], meta: dict[str, str]
    ) -> None:
        """Swap the whole catalog in one transaction (a rebuild)."""
        with self._transaction() as db:
            db.execute("DELETE FROM figures")
            db.execute("DELETE FROM chunks")
            db.execute("DELETE FROM reports")
            for report, chunks in reports:
                self._insert(db, report, chunks)
            self._set_meta(db, meta)

    def record_failures(self, failed: list[tuple[str, str]], tried: set[str]) -> None:
        """A run's failures replace what earlier runs said of the files it tried; files gone are forgotten."""
        known = dict(self._query("SELECT path, reason FROM failures"))
        stale = [path for path in known if (path in tried or not Path(path).exists())]
        fresh = [(path, reason) for path, reason in failed if path in tried]
        if sorted(stale) == sorted(path for path, _ in fresh) and all(known[p] == r for p, r in fresh):
            return  # nothing changed: no commit, so readers keep their caches
        now = datetime.now(UTC).isoformat(timespec="seconds")
        with self._transaction() as db:
            db.executemany("DELETE FROM failures WHERE path = ?", [(path,) for path in stale])
            db.executemany("INSERT INTO failures VALUES (?, ?, ?)", [(p, r, now) for p, r in fresh])

    def set_meta(self, meta: dict[str, str]) -> None:
        with self._transaction() as db:
            self._set_meta(db, meta)

    @staticmethod
    def _set_meta(db: sqlite3.Connection, meta: dict[str, str]) -> None:
        db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", list(meta.items()))

    @staticmethod
    def _delete(db: sqlite3.Connection, report_id: str) -> None:
        db.execute("DELETE FROM figures WHERE report_id = ?", (report_id,))
        db.execute("DELETE FROM chunks WHERE report_id = ?", (report_id,))
        db.execute("DELETE FROM reports WHERE report_id = ?", (report_id,))

    @staticmethod
    def _insert(db: sqlite3.Connection, report: ReportRecord, chunks: list[ChunkRecord]) -> None:
        db.execute(f"INSERT INTO reports ({_REPORT_COLUMNS}) VALUES ({','.join('?' * 13)})", astuple(report))
        db.executemany(
            f"INSERT INTO chunks ({_CHUNK_COLUMNS}) VALUES ({','.join('?' * 8)})",
            [astuple(c) for c in chunks],
        )
        Catalog._insert_figures(db, report.report_id, report.text, [(c.start, c.end, c.section) for c in chunks])

    @staticmethod
    def _insert_figures(db: sqlite3.Connection, report_id: str, text: str, spans: list[tuple[int, int, str]]) -> None:
        """A report's figures go in with its chunks, so they are replaced and removed with them."""
        db.executemany(
            f"INSERT INTO figures ({_FIGURE_COLUMNS}) VALUES ({','.join('?' * len(fields(FigureRecord)))})",
            [astuple(f) for f in extract_figures(report_id, text, spans)],
        )

    def _extract_missing_figures(self) -> None:
        """Catalogs built before figures were extracted (or by an older extractor) get them on open."""
        if self.get_meta("figures_version") == EXTRACTOR_VERSION:
            return
        with self._transaction() as db:
            if db.execute("SELECT value FROM meta WHERE key = 'figures_version'").fetchone() == (EXTRACTOR_VERSION,):
                return  # another process did it while this one waited
            db.execute("DELETE FROM figures")
            for report_id, text in db.execute("SELECT report_id, text FROM reports").fetchall():
                spans = db.execute(
                    'SELECT start, "end", section FROM chunks WHERE report_id = ? ORDER BY seq', (report_id,)
                ).fetchall()
                self._insert_figures(db, report_id, text, spans)
            self._set_meta(db, {"figures_version": EXTRACTOR_VERSION})


@contextmanager
def _translated(path: Path) -> Iterator[None]:
    """sqlite's errors for a damaged file or an unwritable home, as errors that say what to do; others as they are."""
    try:
        yield
    except sqlite3.DatabaseError as exc:
        code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF  # the primary code of an extended one
        if code in _DAMAGED or str(exc).startswith(_UNDECODABLE):
            raise CatalogDamagedError(path, exc) from exc
        if code in _NOT_WRITABLE:
            raise HomeNotWritableError(path.parent, exc) from exc
        raise


def set_aside(path: Path) -> Path:
    """Move a damaged catalog and its WAL files to ``<name>.damaged-<time>``: kept for inspection, never deleted."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    aside, n = path.with_name(f"{path.name}.damaged-{stamp}"), 1
    while aside.exists():
        n += 1
        aside = path.with_name(f"{path.name}.damaged-{stamp}-{n}")
    for suffix in ("-wal", "-shm", ""):  # the WAL first: it must never meet the new catalog
        part = Path(f"{path}{suffix}")
        if part.exists():
            part.rename(f"{aside}{suffix}")
    return aside


def salvage_meta(path: Path, keys: tuple[str, ...]) -> dict[str, str]:
    """Those of ``keys`` a damaged catalog still gives, read without writing to it."""
    try:
        with closing(sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)) as db:
            marks = ",".join("?" * len(keys))
            return dict(db.execute(f"SELECT key, value FROM meta WHERE key IN ({marks})", keys).fetchall())
    except sqlite3.DatabaseError:
        return {}
