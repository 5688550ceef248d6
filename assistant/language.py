"""Which language a question is in: the answer is always given in the same one."""

from __future__ import annotations

import re

from assistant.types import Language

_CJK = re.compile(r"[\u3400-\u9fff]")
_LATIN_WORD = re.compile(r"[A-Za-z]+")


def detect_language(text: str) -> Language:
    """Chinese when Chinese characters outweigh Latin words (three characters to a word)."""
    cjk = len(_CJK.findall(text))
    words = len(_LATIN_WORD.findall(text))
    return "zh" if cjk and cjk >= 3 * words else "en"
