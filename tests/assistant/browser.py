"""Debian's chromium driven by Playwright, as the browser tests open it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path("/usr/bin/chromium")
# Without the background-networking flags chromium keeps dialling out, and this closed network refuses it.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def require_chromium() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"needs Debian's chromium at {CHROMIUM}: apt-get install chromium fonts-wqy-microhei")


@contextmanager
def open_page(url: str, height: int = 960, **options: Any) -> Iterator[Any]:
    """A fresh headless chromium (its own temporary profile) with one page at ``url``."""
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS, timeout=60_000
        )
        try:
            page = browser.new_page(viewport={"width": 1360, "height": height}, locale="zh-CN", **options)
            page.set_default_timeout(30_000)
            # Gradio keeps a stream open, so "networkidle" never comes.
            page.goto(url, wait_until="load", timeout=60_000)
            yield page
        finally:
            browser.close()
