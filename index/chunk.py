"""Cut sections into chunks at sentence boundaries, under a token budget.

Each chunk is an exact span of the report text (``text == report[start:end]``),
so a citation can highlight it where it stands. Its id hashes the report, its
content and the span: re-indexing an unchanged report yields the same ids.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass

from index.sections import PATH_SEPARATOR, Section
from index.tokens import count_tokens

_SENTENCE = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』)）\"']*|\n|$)")
_CLAUSE = re.compile(r"[^,，、:：]*(?:[,，、:：]+|$)")


@dataclass(frozen=True)
class Chunk:
    id: str
    seq: int
    section: str
    start: int
    end: int
    text: str


def chunk_report(text: str, sections: list[Section], id_seed: str, max_tokens: int) -> list[Chunk]:
    """All chunks of a report, in reading order, covering every non-blank character of its sections.

    ``id_seed`` names the report and its content (``report_id:content_hash``).
    """
    chunks: list[Chunk] = []
    for section in sections:
        for start, end in _pack(text, section.start, section.end, max_tokens):
            span_id = hashlib.sha256(f"{id_seed}:{start}:{end}".encode()).hexdigest()[:24]
            chunks.append(Chunk(span_id, len(chunks), section.path, start, end, text[start:end]))
    return chunks


def embedding_text(chunk: Chunk, title: str) -> str:
    """What the embedder sees: the chunk under its report title and section path.

    The heading words ("法律援助", the place in the title) then pull a question
    to the chunk even where its own sentences don't repeat them.
    """
    context = PATH_SEPARATOR.join(part for part in (title, chunk.section) if part)
    return f"{context}\n{chunk.text}" if context else chunk.text


def _pack(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    """Greedy packing of sentence spans into chunks of at most ``max_tokens``, counted as stored."""
    chunk_start = chunk_end = None
    for s_start, s_end in _pieces(text, start, end, max_tokens):
        if chunk_start is not None and count_tokens(text[chunk_start:s_end]) > max_tokens:
            yield _trim(text, chunk_start, chunk_end)
            chunk_start = None
        if chunk_start is None:
            chunk_start = s_start
        chunk_end = s_end
    if chunk_start is not None:
        yield _trim(text, chunk_start, chunk_end)


def _pieces(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    """Sentences, non-blank; a sentence over budget is split at commas, then by length."""
    for match in _SENTENCE.finditer(text, start, end):
        s_start, s_end = _trim(text, match.start(), match.end())
        if s_start >= s_end:
            continue
        if count_tokens(text[s_start:s_end]) <= max_tokens:
            yield s_start, s_end
            continue
        for clause in _CLAUSE.finditer(text, s_start, s_end):
            c_start, c_end = clause.start(), clause.end()
            if c_start >= c_end:
                continue
            if count_tokens(text[c_start:c_end]) <= max_tokens:
                yield c_start, c_end
            else:
                yield from _hard_split(text, c_start, c_end, max_tokens)


def _hard_split(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    while start < end:
        low, high = start + 1, end  # the longest prefix within budget, by bisection
        while low < high:
            mid = (low + high + 1) // 2
            if count_tokens(text[start:mid]) <= max_tokens:
                low = mid
            else:
                high = mid - 1
        yield start, low
        start = low


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
