"""The figures table lives with the catalog: added, replaced and removed with its report, in one transaction."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from index import Indexer, Settings
from index.catalog import Catalog
from tests.reports import write_report


@pytest.fixture
def indexer(settings: Settings, embeddings) -> Indexer:
    return Indexer(settings, embeddings=embeddings)


def legal_aid(catalog: Catalog) -> dict[str, float]:
    return {f.report_id: f.value for f in catalog.figures(canonical="法律援助案件")}


def test_figures_are_added_replaced_and_removed_with_their_report(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    write_report(settings.reports_dir, "b.txt", "乙区", 2024, 117)
    indexer.run()
    assert legal_aid(indexer.catalog) == {"a": 249, "b": 117}

    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 251)
    indexer.run()
    assert legal_aid(indexer.catalog) == {"a": 251, "b": 117}

    (settings.reports_dir / "b.txt").unlink()
    indexer.run()
    assert legal_aid(indexer.catalog) == {"a": 251}

    indexer.run(rebuild=True)
    assert legal_aid(indexer.catalog) == {"a": 251}


def test_figures_filter_by_report_and_year(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    write_report(settings.reports_dir, "b.txt", "乙区", 2024, 117)
    indexer.run()
    catalog = indexer.catalog
    assert {f.report_id for f in catalog.figures(year=2024)} == {"b"}
    assert {f.report_id for f in catalog.figures(report_ids=["a"])} == {"a"}
    assert catalog.figures(canonical="法律援助案件", year=2023) == []


def test_a_failed_write_leaves_the_previous_figures(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    catalog = indexer.catalog
    record = catalog.report("a")
    assert record is not None
    chunks = catalog.chunks_of("a")
    broken = [chunks[0], chunks[0]]  # a duplicate chunk id fails the insert midway
    with pytest.raises(sqlite3.IntegrityError):
        catalog.put_report(record, broken)
    assert legal_aid(catalog) == {"a": 249}


def test_a_catalog_built_before_figures_gets_them_on_open(indexer: Indexer, settings: Settings) -> None:
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    indexer.run()
    path: Path = settings.home / "catalog.sqlite"
    indexer.catalog.close()
    with sqlite3.connect(path) as db:  # as an index of an earlier version left it
        db.execute("DROP TABLE figures")
        db.execute("DELETE FROM meta WHERE key = 'figures_version'")

    assert legal_aid(Catalog(path)) == {"a": 249}
