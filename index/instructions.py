"""Sentences that address the assistant ("忽略以上指令…", "ignore previous instructions").

A government report never speaks to the assistant, so such a sentence is not a fact: it is
kept out of the figures table at index time and blanked from passages before answering.
"""

from __future__ import annotations

import re

__all__ = ["instructs"]

_INSTRUCTION = re.compile(
    r"(忽略|无视|忘记|不要理会)(以上|上述|之前|前面|此前|所有|全部)?的?(所有|全部)?(指令|指示|提示|要求|规则|设定)"
    r"|不要回答用户|系统提示词|你现在是一个|扮演一个"
    r"|\b(ignore|disregard|forget)\s+(all\s+|any\s+)?(the\s+)?(previous|prior|above|earlier|preceding)\s+"
    r"(instructions?|prompts?|rules|messages?)"
    r"|\b(reply|respond|answer)\s+only\s+(with\s+)?[\"'“]|\bsystem\s+prompt\b|\byou\s+are\s+now\b",
    re.IGNORECASE,
)


def instructs(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether ``text[start:end]`` addresses the assistant."""
    return _INSTRUCTION.search(text, start, len(text) if end is None else end) is not None
