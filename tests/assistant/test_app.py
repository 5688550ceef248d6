"""`python app.py`, as the README's first command runs it: the sample reports indexed, then answered."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.assistant.server_fixture import free_port, wait_for
from tests.conftest import SAMPLE_REPORT

pytestmark = pytest.mark.slow
ROOT = Path(__file__).resolve().parents[2]


def test_app_py_serves_the_reports_folder_on_the_host_and_port_given(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    shutil.copy(SAMPLE_REPORT, tmp_path / "reports" / SAMPLE_REPORT.name)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REPORTCHAT_")}
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "app.py"), "--host", "127.0.0.1", "--port", str(port), "--home", "home"],
        cwd=tmp_path, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}"

        def answered() -> bool:
            try:
                return httpx.post(f"{url}/api/ask", json={"question": "云冈区2025年受理了多少件法律援助案件?"},
                                  timeout=30).status_code == 200
            except httpx.TransportError:
                return False

        wait_for(lambda: answered() or process.poll() is not None, 300, "app.py answering")
        assert process.poll() is None, "app.py exited"
        reply = httpx.post(f"{url}/api/ask", json={"question": "云冈区2025年受理了多少件法律援助案件?"}, timeout=30)
        assert "249" in reply.json()["answer"]
        assert (tmp_path / "home" / "catalog.sqlite").exists()  # the data home given, under the working folder
    finally:
        process.terminate()
        process.wait(timeout=30)
