"""Report text travels inside markdown answers; wherever that markdown is rendered, HTML in it stays text."""

from __future__ import annotations

__all__ = ["inert_html"]


def inert_html(markdown: str) -> str:
    """``&`` and ``<`` escaped, so no tag or entity survives while ``>`` quote markers still quote.

    Character by character, so streamed pieces come out exactly as the whole answer would.
    """
    return markdown.replace("&", "&amp;").replace("<", "&lt;")
