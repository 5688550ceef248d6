"""A real uvicorn serving the whole app on 127.0.0.1, in a thread, for the API and browser tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn

from assistant.server import create_app
from assistant.service import ReportService
from index import Settings


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, timeout: float, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"{what} did not happen within {timeout:.0f} s")
        time.sleep(0.1)


@contextmanager
def running_server(settings: Settings) -> Iterator[tuple[str, ReportService]]:
    """Start the app (indexing the reports folder first) and yield its base URL and service."""
    service = ReportService(settings)
    job = service.index_if_empty()
    if job is not None:
        wait_for(lambda: job.state in ("done", "failed"), 300, "the first index")
        assert job.state == "done", job.error
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(create_app(settings, service), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_for(lambda: server.started, 60, "uvicorn start")
    try:
        yield f"http://127.0.0.1:{port}", service
    finally:
        server.should_exit = True
        thread.join(timeout=20)
