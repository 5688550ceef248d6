"""Instructions planted in a report ("忽略以上指令…", "ignore previous instructions") are blanked
before any answerer reads the passage.

A sentence that addresses the assistant (index.instructions) is not a fact to quote: the
extractive answerer would otherwise pick it when it names the asked-for figure, and an LLM
would be shown it. The sentence is replaced by spaces of its own length, so every span
into the passage — and from it into the report — stays exact; a heading in the section path
that instructs is cut to its number.
"""

from __future__ import annotations

import re

from assistant.cite import sentences
from assistant.types import Passage
from index.instructions import instructs

__all__ = ["without_instructions"]

_NUMBER = re.compile(r"\s*[(（]?[一二三四五六七八九十百\d]+[、.．)）]?")


def without_instructions(passages: list[Passage]) -> list[Passage]:
    """The passages with every sentence that instructs the assistant blanked (same length)."""
    return [_blanked(p) for p in passages]


def _blanked(passage: Passage) -> Passage:
    text = passage.text
    for start, end in sentences(text):
        if instructs(text, start, end):
            text = text[:start] + " " * (end - start) + text[end:]
    section = " › ".join(
        (_NUMBER.match(part).group().strip() or "…") if instructs(part) else part  # type: ignore[union-attr]
        for part in passage.section.split(" › ")
    )
    if (text, section) == (passage.text, passage.section):
        return passage
    return passage.model_copy(update={"text": text, "section": section})
