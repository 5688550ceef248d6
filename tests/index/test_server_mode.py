"""With CHROMA_HOST set, the same indexing and reading run against a real `chroma run` server."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from index import Indexer, IndexReader, Settings, StoreUnavailableError
from tests.index.test_indexer import consistent
from tests.reports import write_report

pytestmark = [pytest.mark.slow, pytest.mark.server]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    binary = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    port = free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    process = subprocess.Popen(
        [binary, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.2)
    else:
        process.kill()
        pytest.fail("chroma run did not start within 60 s")
    yield "127.0.0.1", port
    process.terminate()
    process.wait(timeout=20)


def test_index_and_read_through_a_chroma_server(
    chroma_server: tuple[str, int], tmp_path: Path, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    host, port = chroma_server
    monkeypatch.setenv("CHROMA_HOST", host)
    monkeypatch.setenv("CHROMA_PORT", str(port))
    settings = Settings(home=tmp_path / "home", reports_dir=tmp_path / "reports")
    assert settings.chroma_host == host
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    write_report(settings.reports_dir, "b.txt", "乙区", 2024, 117)

    indexer = Indexer(settings, embeddings=embeddings)
    summary = indexer.run()

    assert len(summary.added) == 2 and not (tmp_path / "home" / "chroma").exists()
    assert consistent(indexer)
    reader = IndexReader(settings, embeddings=embeddings)
    (hit,) = reader.dense("乙区受理法律援助案件117件", 1)
    assert "117件" in reader.chunks([hit[0]])[0].text
    assert Indexer(settings, embeddings=embeddings).run().chunks_embedded == 0


def test_two_data_homes_share_one_server_without_touching_each_other(
    chroma_server: tuple[str, int], tmp_path: Path, embeddings
) -> None:
    host, port = chroma_server
    homes = []
    for name in ("one", "two"):
        settings = Settings(home=tmp_path / name, reports_dir=tmp_path / f"{name}-reports", chroma_host=host, chroma_port=port)
        write_report(settings.reports_dir, f"{name}.txt", "甲县", 2025, 249)
        indexer = Indexer(settings, embeddings=embeddings)
        indexer.run(rebuild=True)
        homes.append(indexer)
    assert all(consistent(indexer) for indexer in homes)


def test_an_unreachable_server_is_a_clear_error(tmp_path: Path, embeddings) -> None:
    settings = Settings(home=tmp_path / "home", reports_dir=tmp_path / "reports", chroma_host="127.0.0.1", chroma_port=free_port())
    write_report(settings.reports_dir, "a.txt", "甲县", 2025, 249)
    with pytest.raises(StoreUnavailableError, match="Chroma server"):
        Indexer(settings, embeddings=embeddings).run()
