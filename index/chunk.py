"""Cut sections into chunks at sentence boundaries, under a token budget.

Each chunk is an exact span of the report text (``text == report[start:end]``),
so a citation can highlight it where it stands. Its id hashes the report, its
content and the span: re-indexing an unchanged report yields the same ids.

Chunking takes time linear in the text, whatever its shape: tokens are counted only
over bounded spans, and each cut is searched from the length of the one before.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, partial

from index.sections import PATH_SEPARATOR, Section
from index.tokens import count_tokens, encoding

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
    """Greedy packing of sentence spans into chunks of at most ``max_tokens``, counted as stored.

    Each chunk takes the longest run of spans that fits, searched from the number the chunk
    before took: a few counts over about its own length, however many short spans it holds.
    """
    pieces = _Ahead(_pieces(text, start, end, max_tokens))
    taken = 1
    while pieces.has(1):
        taken = _longest_fit(partial(_run_fits, text, pieces, max_tokens), taken)
        yield _trim(text, pieces[0][0], pieces[taken - 1][1])
        pieces.drop(taken)


def _run_fits(text: str, pieces: _Ahead, max_tokens: int, n: int) -> bool:
    """Whether the next ``n`` spans fit in one chunk, the text between them included."""
    return pieces.has(n) and _fits(text, pieces[0][0], pieces[n - 1][1], max_tokens)


def _pieces(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    """Sentences, non-blank; a sentence over budget is split at commas, then by length."""
    for match in _SENTENCE.finditer(text, start, end):
        s_start, s_end = _trim(text, match.start(), match.end())
        if s_start >= s_end:
            continue
        if _fits(text, s_start, s_end, max_tokens):
            yield s_start, s_end
            continue
        for clause in _CLAUSE.finditer(text, s_start, s_end):
            c_start, c_end = clause.start(), clause.end()
            if c_start >= c_end:
                continue
            if _fits(text, c_start, c_end, max_tokens):
                yield c_start, c_end
            else:
                yield from _hard_split(text, c_start, c_end, max_tokens)


def _hard_split(text: str, start: int, end: int, max_tokens: int) -> Iterator[tuple[int, int]]:
    """Cut a span without sentence or clause ends into the longest prefixes within budget.

    Each cut is searched from the length of the one before, so it costs a few counts over
    about its own length: linear in the span, where bisecting over all of it was quadratic.
    """
    length = max_tokens
    while start < end:
        length = _longest_fit(partial(_prefix_fits, text, start, end, max_tokens), length)
        yield start, start + length
        start += length


def _prefix_fits(text: str, start: int, end: int, max_tokens: int, n: int) -> bool:
    """Whether the first ``n`` characters of ``text[start:end]`` fit in one chunk."""
    return start + n <= end and _fits(text, start, start + n, max_tokens)


def _longest_fit(fits: Callable[[int], bool], guess: int) -> int:
    """The largest ``n`` with ``fits(n)``, given that 1 fits (a character, a sentence) and ``n`` past
    some point does not. Steps doubling away from ``guess`` bracket it and bisection closes in,
    so a good guess costs two or three calls.
    """
    if guess > 1 and not fits(guess):
        high, step = guess, 1
        while high - step > 1 and not fits(high - step):
            high, step = high - step, step * 2
        low = max(1, high - step)
    else:
        low, step = guess, 1
        while fits(low + step):
            low, step = low + step, step * 2
        high = low + step
    while high - low > 1:
        mid = (low + high) // 2
        low, high = (mid, high) if fits(mid) else (low, mid)
    return low


class _Ahead:
    """The spans an iterator yields, read only as far ahead as asked and forgotten once dropped."""

    def __init__(self, spans: Iterator[tuple[int, int]]) -> None:
        self._spans = spans
        self._read: list[tuple[int, int]] = []

    def has(self, n: int) -> bool:
        while len(self._read) < n:
            span = next(self._spans, None)
            if span is None:
                return False
            self._read.append(span)
        return True

    def __getitem__(self, i: int) -> tuple[int, int]:
        return self._read[i]

    def drop(self, n: int) -> None:
        del self._read[:n]


def _fits(text: str, start: int, end: int, max_tokens: int) -> bool:
    """Whether ``text[start:end]`` is within budget. A span too long to fit is not counted at all,
    so tiktoken never reads more than a bounded window, however long the run without a break."""
    return end - start <= max_tokens * _longest_token() and count_tokens(text[start:end]) <= max_tokens


@cache
def _longest_token() -> int:
    """Bytes in the encoding's longest token (128 in cl100k): a span of more characters than
    this many per token of budget cannot fit."""
    return max(len(value) for value in encoding().token_byte_values())


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
