"""A damaged catalog and a data home that cannot be written: named errors that say how to recover.

The catalog is damaged four ways: overwritten with random bytes, overwritten with text, with pages in the
middle of a valid file overwritten (its header, schema and meta still read), and with stray bytes inside its
text values (every page sound, the text undecodable). `reportchat index
--rebuild` sets the damaged file aside, keeps it, and indexes the reports folder again without touching it.
"""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from index import Indexer, IndexReader, Settings
from index.catalog import Catalog
from index.errors import CatalogDamagedError, HomeNotWritableError
from tests.reports import write_report

DAMAGES = ("random", "text", "middle", "value")
runner = CliRunner()


def damage(path: Path, how: str) -> None:
    """Damage a catalog as a disk, a stray write or a bad copy would."""
    with closing(sqlite3.connect(path)) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the file alone holds the catalog; the WAL goes on close
    data = bytearray(path.read_bytes())
    noise = random.Random(7)
    if how == "random":
        data = bytearray(noise.randbytes(len(data)))
    elif how == "text":
        data = bytearray("这不是数据库 / not a database\n".encode() * 50)
    elif how == "value":  # the first byte of every 法律援助 in the reports, chunks and figures
        word = "法律援助".encode()
        data = bytearray(bytes(data).replace(word, b"\xff" + word[1:]))
    else:  # pages 4 to the next-to-last: the reports, chunks and figures, not the schema or meta
        page = int.from_bytes(data[16:18], "big")
        data[3 * page : len(data) - page] = noise.randbytes(len(data) - 4 * page)
    path.write_bytes(bytes(data))


def read_only(folder: Path) -> None:
    """`chmod -R a-w`; skip where that does not stop writes (root)."""
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode & ~0o222)
    try:
        (folder / "probe").touch()
    except PermissionError:
        return
    (folder / "probe").unlink()
    pytest.skip("chmod does not stop this user's writes (root): the file-in-place-of-the-home test stands in")


def writable_again(folder: Path) -> None:
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | 0o200)


@contextmanager
def made_read_only(settings: Settings) -> Iterator[Settings]:
    """The settings with their home read-only while the block runs, writable again after."""
    try:
        read_only(settings.home)
        yield settings
    finally:
        writable_again(settings.home)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def indexed(tmp_path_factory: pytest.TempPathFactory, embeddings) -> Settings:
    root = tmp_path_factory.mktemp("indexed")
    write_report(root / "reports", "a.txt", "甲县", 2025, 249, paragraphs=3)
    settings = Settings(home=root / "home", reports_dir=root / "reports")
    indexer = Indexer(settings, embeddings=embeddings)
    assert indexer.run().ok
    indexer.catalog.close()
    return settings


@pytest.fixture
def settings(indexed: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A copy of the indexed home, for this test to damage; the CLI finds the reports folder in the environment."""
    shutil.copytree(indexed.home, tmp_path / "home")
    monkeypatch.setenv("REPORTCHAT_REPORTS_DIR", str(indexed.reports_dir))
    return indexed.model_copy(update={"home": tmp_path / "home"})


@pytest.fixture
def read_only_home(settings: Settings) -> Iterator[Settings]:
    with made_read_only(settings) as home:
        yield home


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_catalog_raises_the_named_error_that_says_how_to_recover(settings: Settings, how: str) -> None:
    path = settings.home / "catalog.sqlite"
    damage(path, how)

    with pytest.raises(CatalogDamagedError) as caught:
        Catalog(path).reports()  # random bytes and text fail on open; damaged pages when read

    message = str(caught.value)
    assert "已损坏" in message and "is damaged" in message and str(path) in message
    assert f"reportchat index --rebuild --home {settings.home}" in message


def test_a_catalog_keeps_saying_it_is_damaged_and_check_finds_damage_no_query_met(settings: Settings) -> None:
    path = settings.home / "catalog.sqlite"
    damage(path, "middle")
    catalog = Catalog(path)
    assert catalog.get_meta("collection") is not None and not catalog.damaged  # the meta page reads

    with pytest.raises(CatalogDamagedError):
        catalog.check()
    assert catalog.damaged
    with pytest.raises(CatalogDamagedError):  # closed: the file is no longer read, nor held open
        catalog.get_meta("collection")


@pytest.mark.parametrize("how", DAMAGES)
def test_the_cli_prints_one_message_and_exits_2(settings: Settings, how: str) -> None:
    damage(settings.home / "catalog.sqlite", how)

    for command in (["reports"], ["index"], ["figures"]):
        result = runner.invoke(app, [*command, "--home", str(settings.home)])
        assert result.exit_code == 2, result.output
        assert isinstance(result.exception, SystemExit)  # no traceback
        assert "reportchat index --rebuild" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize("how", DAMAGES)
def test_index_rebuild_sets_the_damaged_catalog_aside_and_indexes_the_reports_folder_again(
    settings: Settings, how: str
) -> None:
    path = settings.home / "catalog.sqlite"
    damage(path, how)
    damaged = path.read_bytes()
    reports = snapshot(settings.reports_dir)

    result = runner.invoke(app, ["index", "--rebuild", "--home", str(settings.home)])

    assert result.exit_code == 0, result.output
    assert "moved aside" in result.output and "added 1" in result.output
    (aside,) = settings.home.glob("catalog.sqlite.damaged-*[0-9]")
    assert aside.read_bytes() == damaged  # kept as it was, for inspection
    assert snapshot(settings.reports_dir) == reports  # the reports are read, never touched
    reader = IndexReader(settings)
    reader.catalog.check()
    assert [r.report_id for r in reader.reports()] == ["a"]
    assert [f.value for f in reader.catalog.figures(canonical="法律援助案件")] == [249]


def test_a_rebuild_keeps_the_home_id_so_the_old_vectors_are_dropped_not_orphaned(
    settings: Settings, embeddings
) -> None:
    home_id = Indexer(settings, embeddings=embeddings).catalog.home_id()
    damage(settings.home / "catalog.sqlite", "middle")

    rebuilt = Indexer(settings, embeddings=embeddings)
    summary = rebuilt.run(rebuild=True)

    assert summary.ok and summary.set_aside and rebuilt.catalog.home_id() == home_id
    assert rebuilt.store.collection_names("rc-") == [rebuilt.catalog.get_meta("collection")]


def test_a_home_that_is_a_file_is_not_writable(tmp_path: Path, embeddings) -> None:
    home = tmp_path / "home"
    home.write_text("not a folder")
    settings = Settings(home=home, reports_dir=tmp_path / "reports")

    with pytest.raises(HomeNotWritableError) as opened:
        Catalog(home / "catalog.sqlite")
    with pytest.raises(HomeNotWritableError) as indexed:
        Indexer(settings, embeddings=embeddings).run()
    result = runner.invoke(app, ["index", "--home", str(home)])

    for message in (str(opened.value), str(indexed.value), result.output):
        assert "数据目录不可写" in message and "is not writable" in message and str(home) in message
    assert result.exit_code == 2 and isinstance(result.exception, SystemExit)


def test_a_read_only_home_is_named_by_readers_and_writers(read_only_home: Settings, embeddings) -> None:
    home = read_only_home.home

    with pytest.raises(HomeNotWritableError, match="数据目录不可写") as read:
        IndexReader(read_only_home, embeddings=embeddings)
    with pytest.raises(HomeNotWritableError, match="is not writable") as written:
        Indexer(read_only_home, embeddings=embeddings).run()

    assert str(home) in str(read.value) and str(home) in str(written.value)
    assert "readonly" not in str(written.value)  # found by the indexer's own check, before sqlite or Chroma
