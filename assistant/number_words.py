"""Figures written in words: "two hundred and forty-nine", 二百四十九, 一千二百余.

A model paraphrasing a report may spell a figure out; the verifier must read it
back as a number, or an invented figure in words would pass unchecked. Arabic
figures with a magnitude (2.4万, 24 thousand, 1.2亿) are read by ``index.figures``;
this module adds what it leaves out: English number words, and Chinese numerals
written without a unit after them (``index.figures`` needs one, so that 一是 is no figure).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from index.figures import chinese_to_number

__all__ = ["WordFigure", "chinese_numerals", "english_number_words"]

_ONES = {
    w: i for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
        "seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_SCALES = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
_WORD = "|".join(sorted([*_ONES, *_TENS, *_SCALES], key=len, reverse=True))
_ENGLISH = re.compile(rf"\b(?:{_WORD})(?:(?:[\s-]+|\s+and\s+)(?:{_WORD}))*\b", re.IGNORECASE)
_SMALLEST_WORDED = 10  # "one of", "two reports": small number words are prose, not figures
# A Chinese numeral run with a digit in it (千万 alone is "by all means"), starting with a digit or 十.
_CHINESE = re.compile(r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千万亿]+")


@dataclass(frozen=True)
class WordFigure:
    value: float
    start: int
    end: int


def english_number_words(text: str) -> list[WordFigure]:
    """English number words of ten or more: "two hundred and forty-nine" → 249, "twenty-four thousand" → 24000."""
    found = []
    for match in _ENGLISH.finditer(text):
        words = re.findall(_WORD, match.group().lower())
        if all(w in _SCALES for w in words):  # "million" alone, or after digits (1.2 million): not this module's
            continue
        value = _english_value(words)
        if value >= _SMALLEST_WORDED:
            found.append(WordFigure(value, match.start(), match.end()))
    return found


def chinese_numerals(text: str) -> list[WordFigure]:
    """Chinese numerals of two characters or more, with or without a unit: 二百四十九 → 249, 一千二百(余) → 1200."""
    return [
        WordFigure(chinese_to_number(m.group()), m.start(), m.end())
        for m in _CHINESE.finditer(text)
        if any(ch in "十百千万亿" for ch in m.group())
    ]


def _english_value(words: list[str]) -> float:
    total, current = 0, 0
    for word in words:
        if word in _ONES:
            current += _ONES[word]
        elif word in _TENS:
            current += _TENS[word]
        elif word == "hundred":
            current = (current or 1) * 100
        else:
            scale = _SCALES[word]
            total += (current or 1) * scale
            current = 0
    return float(total + current)
