"""Places named in a question, matched to the reports that cover them.

Chinese questions name places as written (云冈区, 云冈); English ones in pinyin
("Yungang", "Nanle"), so each place in an indexed report's title is also known
by every pinyin reading of its name — heteronyms included (南乐 is Nanle, and
a reader might write Nanyue).
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass

from assistant.glossary import cedict_entries
from index.catalog import ReportRecord

# Not a bare 州: it ends the names of cities (忻州市, 兰州市) and districts (潞州区), not a level of its own.
_UNIT = re.compile(r"(.+?(?:自治区|自治州|自治县|特别行政区|省|市|地区|盟|区|县|旗|镇|乡|街道))")
_SUFFIXES = ("自治区", "自治州", "自治县", "特别行政区", "街道", "地区", "省", "市", "盟", "区", "县", "旗", "镇", "乡")


_LEVELS_EN = {
    "自治区": "Autonomous Region", "自治州": "Autonomous Prefecture", "自治县": "Autonomous County",
    "特别行政区": "SAR", "街道": "Subdistrict", "地区": "Prefecture", "省": "Province", "市": "City",
    "盟": "League", "区": "District", "县": "County", "旗": "Banner", "镇": "Town", "乡": "Township",
}


@dataclass(frozen=True)
class Place:
    name: str  # as written: 云冈区
    stem: str  # without its level: 云冈
    readings: frozenset[str]  # pinyin, no tones, no spaces: {"yungang"}


def place_units(place: str) -> list[Place]:
    """大同市云冈区 → [大同市, 云冈区], each with its pinyin readings."""
    units = []
    for name in _UNIT.findall(place) or [place]:
        stem = next((name[: -len(s)] for s in _SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), name)
        units.append(Place(name, stem, frozenset(_readings(stem))))
    return units


def _readings(stem: str) -> set[str]:
    from pypinyin import Style, pinyin

    in_context = "".join(p[0] for p in pinyin(stem, style=Style.NORMAL, errors="ignore"))
    # A character without a reading (a digit, a Latin letter: 县5, A区) adds nothing rather than failing.
    per_character = [r[0] for r in (pinyin(ch, style=Style.NORMAL, heteronym=True, errors="ignore") for ch in stem) if r]
    combos = itertools.islice(itertools.product(*per_character), 64)
    return {in_context.lower()} | {"".join(parts).lower() for parts in combos if parts}


def english_name(name: str) -> str:
    """南乐县 → Nanle County, 六安市 → Lu'an City; a name with no Chinese reading stays as written.

    The reading is CC-CEDICT's where it lists the place (南乐 is Nanle; pypinyin reads Nanyue), else pypinyin's.
    """
    units = place_units(name)
    if not units or not re.fullmatch(r"[\u4e00-\u9fff]+", units[-1].name):
        return name
    place = units[-1]
    level = place.name[len(place.stem):]
    known = _cedict_places()
    syllables = (known.get(place.stem) or known.get(place.name) or "").split()[: len(place.stem)]
    if len(syllables) != len(place.stem):
        from pypinyin import Style, pinyin

        syllables = [p[0] for p in pinyin(place.stem, style=Style.NORMAL)]
    romanized = "".join(
        ("'" if i and s[:1] in "aoe" else "") + s.lower() for i, s in enumerate(syllables)
    ).capitalize()
    return f"{romanized} {_LEVELS_EN[level]}" if level in _LEVELS_EN else romanized


@functools.cache
def _cedict_places() -> dict[str, str]:
    """Simplified name → toneless pinyin, for CC-CEDICT entries that name a place."""
    place = re.compile(r"\b(county|district|city|prefecture|province|banner|town|township|region)\b", re.IGNORECASE)
    readings: dict[str, str] = {}
    for simplified, reading, senses in cedict_entries():
        if place.search("/".join(senses)):
            readings.setdefault(simplified, re.sub(r"\d", "", reading))
    return readings


class PlaceIndex:
    """The places of the indexed reports, looked up by Chinese name or pinyin."""

    def __init__(self, reports: list[ReportRecord]) -> None:
        self.by_report: dict[str, list[Place]] = {}
        for report in reports:
            source = report.place or report.title
            self.by_report[report.report_id] = place_units(source) if source else []

    def in_chinese(self, question: str) -> dict[str, set[str]]:
        """{place name: report ids} for places a Chinese question names (云冈区 or just 云冈)."""
        return self._match(lambda place: len(place.stem) >= 2 and place.stem in question)

    def in_english(self, words: list[str]) -> dict[str, set[str]]:
        """{place name: report ids} for pinyin names in an English question ("Yungang", "yun gang")."""
        candidates = set(words) | {a + b for a, b in zip(words, words[1:])}
        return self._match(lambda place: bool(place.readings & candidates))

    def covers_whole(self, name: str) -> bool:
        """Whether some report is *of* this place, not only of a district inside it."""
        return any(places and places[-1].name == name for places in self.by_report.values())

    def _match(self, named: Callable[[Place], bool]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for report_id, places in self.by_report.items():
            for place in places:
                if named(place):
                    found.setdefault(place.name, set()).add(report_id)
        return found
