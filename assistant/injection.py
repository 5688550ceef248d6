"""Instructions planted in a report ("忽略以上指令…", "ignore previous instructions") are blanked
before any answerer reads the passage.

A government report never addresses the assistant, so a sentence that does is not a fact to
quote: the extractive answerer would otherwise pick it when it names the asked-for figure, and
an LLM would be shown it. The sentence is replaced by spaces of its own length, so every span
into the passage — and from it into the report — stays exact; a heading in the section path
that instructs is cut to its number.
"""

from __future__ import annotations

import re

from assistant.cite import sentences
from assistant.types import Passage

__all__ = ["without_instructions"]

_INSTRUCTION = re.compile(
    r"(忽略|无视|忘记|不要理会)(以上|上述|之前|前面|此前|所有|全部)?的?(所有|全部)?(指令|指示|提示|要求|规则|设定)"
    r"|不要回答用户|系统提示词|你现在是一个|扮演一个"
    r"|\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|preceding)\s+"
    r"(instructions?|prompts?|rules|messages?)"
    r"|\b(reply|respond|answer)\s+only\s+(with\s+)?[\"'“]|\bsystem\s+prompt\b|\byou\s+are\s+now\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"\s*[(（]?[一二三四五六七八九十百\d]+[、.．)）]?")


def without_instructions(passages: list[Passage]) -> list[Passage]:
    """The passages with every sentence that instructs the assistant blanked (same length)."""
    return [_blanked(p) for p in passages]


def _blanked(passage: Passage) -> Passage:
    text = passage.text
    for start, end in sentences(text):
        if _INSTRUCTION.search(text, start, end):
            text = text[:start] + " " * (end - start) + text[end:]
    section = " › ".join(
        (_NUMBER.match(part).group().strip() or "…") if _INSTRUCTION.search(part) else part  # type: ignore[union-attr]
        for part in passage.section.split(" › ")
    )
    if (text, section) == (passage.text, passage.section):
        return passage
    return passage.model_copy(update={"text": text, "section": section})
