"""One bad report never stops the rest: it fails alone, is remembered with its reason, and a run can be cancelled.

A parser may raise anything on a hostile file (pypdf's NotImplementedError on an unknown filter, python-docx's
ValueError on a malformed table); here a parser step is made to raise on one file, so that the test does not
depend on which library bug is still open.
"""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from index import Indexer, IndexReader, Settings
from index.errors import IndexCancelledError
from index.store import VectorStore
from tests.index.test_indexer import consistent
from tests.reports import write_report


@pytest.fixture
def indexer(settings: Settings, embeddings) -> Indexer:
    return Indexer(settings, embeddings=embeddings)


@pytest.fixture
def a_parser_that_breaks_on_bad_files(monkeypatch: pytest.MonkeyPatch) -> None:
    import index.indexer

    real = index.indexer.split_sections

    def split(text: str, *args: object, **kwargs: object) -> object:
        if "坏县" in text:
            raise NotImplementedError("unsupported filter /FooDecode")
        return real(text, *args, **kwargs)

    monkeypatch.setattr(index.indexer, "split_sections", split)


@pytest.mark.usefixtures("a_parser_that_breaks_on_bad_files")
def test_a_file_whose_parser_raises_fails_alone_and_the_rest_index(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    bad = write_report(settings.reports_dir, "bad.txt", "坏县", 2025, 1)
    write_report(settings.reports_dir, "c.txt", "丙县", 2025, 316)

    summary = indexer.run()

    assert [Path(p).name for p in summary.added] == ["a.txt", "c.txt"]
    ((path, reason),) = summary.failed
    assert path == str(bad) and "无法解析" in reason and "cannot read" in reason and "NotImplementedError" in reason
    assert consistent(indexer)


@pytest.mark.usefixtures("a_parser_that_breaks_on_bad_files")
def test_a_failed_file_is_remembered_with_its_reason_until_it_is_fixed_or_gone(
    indexer: Indexer, settings: Settings, embeddings
) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    bad = write_report(settings.reports_dir, "bad.txt", "坏县", 2025, 1)
    indexer.run()

    (failure,) = IndexReader(settings, embeddings=embeddings).catalog.failures()
    assert failure.file == "bad.txt" and "NotImplementedError" in failure.reason

    later = write_report(settings.reports_dir, "later.txt", "丁县", 2025, 88)
    again = indexer.run()
    assert again.added == [str(later)] and [p for p, _ in again.failed] == [str(bad)]

    write_report(settings.reports_dir, "bad.txt", "戊县", 2025, 7)  # fixed in place
    fixed = indexer.run()
    assert fixed.added == [str(bad)] and fixed.ok
    assert indexer.catalog.failures() == []


@pytest.mark.usefixtures("a_parser_that_breaks_on_bad_files")
def test_a_failed_file_that_is_deleted_is_forgotten(indexer: Indexer, settings: Settings) -> None:
    bad = write_report(settings.reports_dir, "bad.txt", "坏县", 2025, 1)
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    assert indexer.catalog.failures()

    bad.unlink()

    assert indexer.catalog.failures() == []
    assert indexer.run().ok


def test_a_report_cut_into_more_chunks_than_the_limit_is_refused_by_name(settings: Settings, embeddings) -> None:
    capped = settings.model_copy(update={"max_report_chunks": 2})
    write_report(capped.reports_dir, "long.txt", "甲县", 2025, 249, paragraphs=12)
    write_report(capped.reports_dir, "short.txt", "乙县", 2025, 117)

    summary = Indexer(capped, embeddings=embeddings).run()

    ((path, reason),) = summary.failed
    assert Path(path).name == "long.txt" and "REPORTCHAT_MAX_REPORT_CHUNKS" in reason and "too long" in reason
    assert summary.chunks_embedded <= 2  # refused before anything of it was embedded


def test_the_store_answers_which_of_more_ids_than_sqlite_binds_it_holds(settings: Settings, embeddings) -> None:
    """A report of over 32,766 chunks once asked Chroma about every id in one call: 'too many SQL variables'."""
    store = VectorStore(settings, embeddings)
    vector = embeddings.embed_query("法律援助")
    store.upsert("probe", ["held-1", "held-2"], [vector, vector], ["甲", "乙"], [{"n": 1}, {"n": 2}])
    asked = [f"absent-{i}" for i in range(40_000)] + ["held-2", "held-1"]

    assert store.existing("probe", asked) == {"held-1", "held-2"}


def cancel_after_first_report(cancel: threading.Event) -> object:
    class Progress:
        def begin(self, total_reports: int) -> None: ...
        def report(self, path: Path, total_chunks: int) -> None: ...
        def advance(self, chunks: int) -> None: ...

        def finish_report(self, path: Path, outcome: str) -> None:
            cancel.set()

    return Progress()


def test_a_cancelled_run_keeps_what_it_committed_and_the_next_run_finishes(
    settings: Settings, embeddings
) -> None:
    for n, place in enumerate(("甲县", "乙县", "丙县")):
        write_report(settings.reports_dir, f"{n}.txt", place, 2025, 100 + n)
    small_batches = settings.model_copy(update={"index_batch_chunks": 1})
    cancel = threading.Event()

    with pytest.raises(IndexCancelledError, match="cancelled") as cancelled:
        Indexer(small_batches, embeddings=embeddings).run(progress=cancel_after_first_report(cancel), cancel=cancel)

    assert [Path(p).name for p in cancelled.value.summary.added] == ["0.txt"]
    indexer = Indexer(small_batches, embeddings=embeddings)
    assert [r.path for r in indexer.catalog.reports()] == cancelled.value.summary.added
    assert consistent(indexer)
    finished = indexer.run()
    assert len(finished.added) == 2 and finished.unchanged and consistent(indexer)


def test_a_cancelled_rebuild_leaves_the_previous_index_whole(indexer: Indexer, settings: Settings, embeddings) -> None:
    for n, place in enumerate(("甲县", "乙县", "丙县")):
        write_report(settings.reports_dir, f"{n}.txt", place, 2025, 100 + n)
    indexer.run()
    before = [(r.report_id, r.content_hash) for r in indexer.catalog.reports()]
    cancel = threading.Event()

    with pytest.raises(IndexCancelledError):
        Indexer(settings.model_copy(update={"index_batch_chunks": 1}), embeddings=embeddings).run(
            rebuild=True, progress=cancel_after_first_report(cancel), cancel=cancel
        )

    fresh = Indexer(settings, embeddings=embeddings)
    assert [(r.report_id, r.content_hash) for r in fresh.catalog.reports()] == before
    assert fresh.run().unchanged and consistent(fresh)


def test_a_report_with_one_undecodable_byte_is_indexed_and_the_run_says_what_was_replaced(
    indexer: Indexer, settings: Settings
) -> None:
    path = write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    path.write_bytes(path.read_bytes().replace("扎实".encode(), b"\xff" + "实".encode()))

    summary = indexer.run()

    assert summary.added == [str(path)] and summary.ok
    ((warned, warning),) = summary.warnings
    assert warned == str(path) and "1 undecodable byte was replaced" in warning and "替换" in warning
