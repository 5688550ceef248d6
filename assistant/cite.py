"""Citations: a passage, and the exact sentence in it that carries the answer."""

from __future__ import annotations

import re

from assistant.types import Citation, Passage

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` (ends kept), blank ones left out."""
    spans = []
    for match in _SENTENCE.finditer(text):
        start, end = match.start(), match.end()
        while start < end and text[start].isspace():
            start += 1
        if start < end:
            spans.append((start, end))
    return spans


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence of ``text`` that holds ``offset``."""
    for start, end in sentences(text):
        if start <= offset < end:
            return start, end
    return 0, len(text)


def cite(n: int, passage: Passage, quote_start: int, quote_end: int) -> Citation:
    """Citation ``n`` quoting ``passage.text[quote_start:quote_end]``; its span is in the report text."""
    return Citation(
        n=n, report_id=passage.report_id, title=passage.title, year=passage.year, section=passage.section,
        text=passage.text, quote=passage.text[quote_start:quote_end],
        start=passage.start + quote_start, end=passage.start + quote_end,
    )
