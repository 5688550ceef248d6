"""Incremental indexing: what a run adds, updates, removes and leaves alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from index import IndexBusyError, Indexer, IndexMismatchError, IndexReader, Settings
from index.catalog import Catalog
from tests.reports import write_report


def consistent(indexer: Indexer) -> bool:
    """Chroma, the catalog, its lexical rows and a reader's BM25 index list exactly the same chunks, each
    once, and every report's chunk count is the number of its chunks."""
    collection = indexer.catalog.get_meta("collection")
    catalog_ids = indexer.catalog.chunk_ids()
    lexical = [cid for cid, _ in indexer.catalog.lexical_rows()]
    bm25 = IndexReader(indexer.settings, embeddings=indexer.embeddings).lexical_index().ids
    counted = sum(report.n_chunks for report in indexer.catalog.reports())
    same = indexer.store.ids(collection) == catalog_ids == set(lexical) == set(bm25)
    return same and len(lexical) == len(bm25) == len(catalog_ids) == counted


@pytest.fixture
def indexer(settings: Settings, embeddings) -> Indexer:
    return Indexer(settings, embeddings=embeddings)


def test_first_run_adds_every_report_and_the_index_answers(indexer: Indexer, settings: Settings, embeddings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    write_report(settings.reports_dir, "b.md", "乙区", 2024, 117)

    summary = indexer.run()

    assert len(summary.added) == 2 and summary.ok
    assert consistent(indexer)
    reader = IndexReader(settings, embeddings=embeddings)
    top_id, _ = reader.lexical("法律援助案件249件", 1)[0]
    assert "249件" in reader.chunks([top_id])[0].text
    assert {r.title for r in reader.reports()} == {"甲县2025年法治政府建设年度报告", "乙区2024年法治政府建设年度报告"}


def test_unchanged_corpus_embeds_nothing(indexer: Indexer, settings: Settings, embeddings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()

    again = Indexer(settings, embeddings=embeddings).run()

    assert again.unchanged and not (again.added or again.updated or again.removed)
    assert again.chunks_embedded == 0


def test_changed_report_has_its_old_chunks_replaced(indexer: Indexer, settings: Settings, embeddings) -> None:
    path = write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 316)

    summary = indexer.run()

    assert summary.updated == [str(path.resolve())]
    texts = " ".join(c.text for c in IndexReader(settings, embeddings=embeddings).catalog.chunks_of("a"))
    assert "316件" in texts and "249件" not in texts
    assert consistent(indexer)


def test_removed_report_has_its_chunks_deleted(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    gone = write_report(settings.reports_dir, "b.txt", "乙区", 2024, 117)
    indexer.run()
    gone.unlink()

    summary = indexer.run()

    assert summary.removed == [str(gone.resolve())]
    assert [r.report_id for r in indexer.catalog.reports()] == ["a"]
    assert consistent(indexer)


def test_bad_files_fail_with_reasons_and_never_stop_the_others(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "good.txt", "甲县", 2025, 249)
    (settings.reports_dir / "empty.txt").write_bytes(b"")
    (settings.reports_dir / "binary.txt").write_bytes(bytes(range(256)) * 4)
    (settings.reports_dir / "sheet.xlsx").write_bytes(b"PK\x03\x04")

    summary = indexer.run()

    assert len(summary.added) == 1
    reasons = {Path(p).name: reason for p, reason in summary.failed}
    assert set(reasons) == {"empty.txt", "binary.txt", "sheet.xlsx"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["binary.txt"]
    assert "unsupported" in reasons["sheet.xlsx"]


def test_a_report_that_turns_unreadable_keeps_its_previous_index(indexer: Indexer, settings: Settings) -> None:
    path = write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    path.write_bytes(b"\x00\x01\x02 garbage")

    summary = indexer.run()

    assert summary.failed and not summary.removed
    assert indexer.catalog.report("a") is not None


def test_missing_path_is_reported(indexer: Indexer, tmp_path: Path) -> None:
    summary = indexer.run([tmp_path / "nowhere"])
    assert summary.failed and "not found" in summary.failed[0][1]


def test_rebuild_starts_over_in_a_fresh_collection(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    before = indexer.catalog.get_meta("collection")

    summary = indexer.run(rebuild=True)

    after = indexer.catalog.get_meta("collection")
    assert summary.rebuilt and summary.updated and summary.chunks_embedded and after != before
    assert indexer.store.collection_names("rc-") == [after]
    assert consistent(indexer)


def test_index_built_with_another_model_asks_to_reindex(indexer: Indexer, settings: Settings, embeddings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    indexer.catalog.set_meta({"embedding_model": "st/some-other-model"})

    with pytest.raises(IndexMismatchError, match="--rebuild"):
        IndexReader(settings, embeddings=embeddings).dense("法律援助", 3)


def test_a_second_indexer_on_the_same_home_is_refused(indexer: Indexer, settings: Settings) -> None:
    from filelock import FileLock

    settings.home.mkdir(parents=True, exist_ok=True)
    with FileLock(str(settings.home / "index.lock")), pytest.raises(IndexBusyError, match="Another indexing run"):
        indexer.run()


def test_vectors_lost_from_chroma_are_re_embedded(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    collection = indexer.catalog.get_meta("collection")
    indexer.store.delete(collection, sorted(indexer.catalog.chunk_ids())[:1])

    summary = indexer.run()

    assert summary.repaired and summary.chunks_embedded == 1
    assert consistent(indexer)


def test_stray_vectors_of_an_interrupted_run_are_invisible_then_swept(
    indexer: Indexer, settings: Settings, embeddings
) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    collection = indexer.catalog.get_meta("collection")
    stray = embeddings.embed_documents(["受理法律援助案件999件"])
    indexer.store.upsert(collection, ["stray"], stray, ["受理法律援助案件999件"], [{"report_id": "x"}])

    hits = IndexReader(settings, embeddings=embeddings).dense("受理法律援助案件999件", 5)
    assert "stray" not in [cid for cid, _ in hits]
    indexer.run()
    assert "stray" not in indexer.store.ids(collection)


def test_catalog_lists_reports_with_their_metadata(indexer: Indexer, settings: Settings, sample_report: Path) -> None:
    indexer.run([sample_report])
    (record,) = Catalog(settings.home / "catalog.sqlite").reports()
    assert (record.title, record.year, record.publisher) == (
        "大同市云冈区2025年法治政府建设年度报告", 2025, "云冈区人民政府"
    )
    assert record.text[record.body_start :].startswith("2025年,云冈区")


class _Recorder:
    """Every progress event, in order."""

    def __init__(self) -> None:
        self.events: list[tuple] = []

    def begin(self, total_reports: int) -> None:
        self.events.append(("begin", total_reports))

    def report(self, path: Path, total_chunks: int) -> None:
        self.events.append(("report", path.name, total_chunks))

    def advance(self, chunks: int) -> None:
        self.events.append(("advance", chunks))

    def finish_report(self, path: Path, outcome: str) -> None:
        self.events.append(("finish", path.name, outcome))


def test_reports_batched_together_are_each_committed_queryable_and_reported(
    settings: Settings, embeddings
) -> None:
    settings = settings.model_copy(update={"index_batch_chunks": 5, "embed_batch": 3})  # batches straddle reports
    cases = {"r0.txt": 301, "r1.txt": 302, "r2.txt": 303, "r3.txt": 304, "r4.txt": 305}
    for (name, n), place, paragraphs in zip(cases.items(), "甲乙丙丁戊", (1, 3, 1, 2, 1)):
        write_report(settings.reports_dir, name, f"{place}县", 2024, n, paragraphs=paragraphs)
    (settings.reports_dir / "r2-bad.txt").write_bytes(bytes(range(256)) * 4)  # sorts among the good ones
    indexer = Indexer(settings, embeddings=embeddings)
    progress = _Recorder()

    summary = indexer.run(progress=progress)

    assert [Path(p).name for p in summary.added] == list(cases)
    assert [Path(p).name for p, _ in summary.failed] == ["r2-bad.txt"]
    assert consistent(indexer)
    reader = IndexReader(settings, embeddings=embeddings)
    for name, n in cases.items():
        (top,) = reader.chunks([reader.lexical(f"法律援助案件{n}件", 1)[0][0]])
        assert top.report_id == Path(name).stem and f"{n}件" in top.text
    n_chunks = {f"{r.report_id}.txt": r.n_chunks for r in indexer.catalog.reports()}
    announced, advanced, current = [], dict.fromkeys(n_chunks, 0), None
    for event in progress.events:
        if event[0] == "report":
            announced.append(event[1:])
            current = event[1]
        elif event[0] == "advance":
            advanced[current] += event[1]
        elif event[0] == "finish" and event[2] == "added":
            assert advanced[event[1]] == n_chunks[event[1]]  # finished only once all its chunks are in
    assert announced == sorted(n_chunks.items()) and advanced == n_chunks
    finished = {e[1]: e[2] for e in progress.events if e[0] == "finish"}
    assert finished == dict.fromkeys(cases, "added") | {"r2-bad.txt": "failed"}
