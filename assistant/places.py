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
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass

from assistant.glossary import cedict_entries
from index.catalog import ReportRecord
from index.metadata import SALUTATION
from index.lexical import init_jieba

# Not a bare 州: it ends the names of cities (忻州市, 兰州市) and districts (潞州区), not a level of its own.
_UNIT = re.compile(r"(.+?(?:自治区|自治州|自治县|特别行政区|省|市|地区|盟|区|县|旗|镇|乡|街道))")
_BEFORE_PLACE = re.compile(r"^.*(?:\d{4}\s*年度?|关于|中共|\s)")
_SPELLED_PLACE = re.compile(r"([\u4e00-\u9fff]{2,4}?)(?:管理区|开发区|新区|自治县|街道|区|县|市|镇|乡|旗|盟)")
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
    units: list[Place] = []
    for name in _UNIT.findall(place) or [place]:
        name = _BEFORE_PLACE.sub("", name)  # 2024年上海市, 中共浚县, 人民政府关于桐庐县: the place is after them
        if len(name) < 2 or any(u.name == name for u in units):
            continue
        stem = next((name[: -len(s)] for s in _SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), name)
        # Its level read too (balinyouqi, wushenqi), as the name is often spelt whole.
        units.append(Place(name, stem, frozenset(_readings(stem) | _readings(name))))
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
    known = _cedict_places().get(place.stem) or _cedict_places().get(place.name)
    syllables = known.reading.split()[: len(place.stem)] if known else []
    if len(syllables) != len(place.stem):
        from pypinyin import Style, pinyin

        syllables = [p[0] for p in pinyin(place.stem, style=Style.NORMAL)]
    romanized = "".join(
        ("'" if i and s[:1] in "aoe" else "") + s.lower() for i, s in enumerate(syllables)
    ).capitalize()
    return f"{romanized} {_LEVELS_EN[level]}" if level in _LEVELS_EN else romanized


@dataclass(frozen=True)
class _CedictPlace:
    reading: str  # toneless pinyin: "Nan le"
    major: bool  # a province, municipality or prefecture-level city: named without its level (河南, 北京)


@functools.cache
def _cedict_places() -> dict[str, _CedictPlace]:
    """CC-CEDICT's entries that name a place first of all (a proper noun: "Henan province", not 地区
    "local; district" or 全省 "the whole province"), by simplified name."""
    place = re.compile(
        r"\b(county|district|city|prefecture|province|banner|town|township|region|municipality|capital of)\b",
        re.IGNORECASE,
    )
    major = re.compile(r"\b(province|municipality|capital of|prefecture-level city|autonomous region)\b", re.I)
    places: dict[str, _CedictPlace] = {}
    for simplified, reading, senses in cedict_entries():
        definition = "/".join(senses)
        if senses[0][:1].isupper() and place.search(definition) and simplified not in places:
            places[simplified] = _CedictPlace(re.sub(r"\d", "", reading), bool(major.search(definition)))
    return places


@dataclass(frozen=True)
class _PlaceNames:
    chinese: frozenset[str]  # 朝阳区, 河南, 北京: names a question can be taken to mean as places
    with_level: frozenset[str]  # those ending in their level (朝阳区): a place wherever they stand
    pinyin: dict[str, str]  # "chaoyang district" → 朝阳区, "henan" → 河南


@functools.cache
def _place_names() -> _PlaceNames:
    """CC-CEDICT's places, as a question would name them: with their level, or major ones alone."""
    with_level: set[str] = set()
    major: set[str] = set()
    pinyin: dict[str, str] = {}
    for name, place in _cedict_places().items():
        level = next((s for s in _SUFFIXES if name.endswith(s) and len(name) > len(s) + 1), "")
        stem = "".join(place.reading.split()[: len(name) - len(level)]).lower()
        if level:
            with_level.add(name)
            if len(name) - len(level) >= 2 and level in _LEVELS_EN:
                pinyin.setdefault(f"{stem} {_LEVELS_EN[level].lower()}", name)
        elif len(name) >= 2 and place.major:
            major.add(name)
            pinyin.setdefault(stem, name)
    return _PlaceNames(frozenset(with_level | major), frozenset(with_level), pinyin)


_NAME_GOES_ON = 2  # characters after a place word that show it inside a longer name
_CJK = re.compile(r"[\u4e00-\u9fff]+")
_PLACE_NAME = re.compile(r"[\u4e00-\u9fff0-9A-Za-z]{2,12}")  # not a sentence a title parse let through
_OPENING_CHARS = 200


def _opening_places(report: ReportRecord) -> list[Place]:
    """The first place the opening of a report's body names (CC-CEDICT's, longest form), with the places
    that follow it without a break (重庆市渝中区): its government."""
    opening = report.text[report.body_start : report.body_start + _OPENING_CHARS]
    first_line, _, rest = opening.partition("\n")
    if SALUTATION.fullmatch(first_line.strip()):  # 福州市人民政府: is whom 罗源县's report is addressed to
        opening = rest
    at = dict(_mentions(opening))
    if not at:
        # An opening that names no place (在市委的正确领导下,市政府…): the place the report names most
        # often (《许昌市2024年度…工作要点》) is its own.
        counts = Counter(name for _, name in _mentions(report.text))
        return place_units(counts.most_common(1)[0][0]) if counts else []
    start = min(at)
    chain = at[start]
    while (follows := at.get(start + len(chain))) is not None:
        chain += follows
    return place_units(chain)


def _file_name_places(report: ReportRecord) -> list[Place]:
    """A report whose text names no place of its own (各位代表:现在,我代表市人民政府…): the place its file name
    gives, in Chinese (玉林市政府工作报告.txt) or in pinyin (yulin-2025.txt: every place CC-CEDICT reads so)."""
    stem = re.split(r"[\\/]", report.path)[-1].rsplit(".", 1)[0]
    if re.search(r"[\u4e00-\u9fff]", stem):
        return [p for p in place_units(stem) if _PLACE_NAME.fullmatch(p.name) and p.name.endswith(_SUFFIXES)]
    words = {w for w in re.split(r"[^a-z]+", stem.lower()) if len(w) >= 4}
    known = [
        unit for name, place in _cedict_places().items()
        if "".join(place.reading.split()).lower() in words for unit in place_units(name)
    ]
    # A place no dictionary lists (熊口管理区): one the text names with a level, whose name the file spells.
    return known or list({
        m.group(): Place(m.group(), m.group(1), frozenset(readings))
        for m in _SPELLED_PLACE.finditer(report.text) if (readings := _readings(m.group(1))) & words
    }.values())


def _mentions(text: str) -> list[tuple[int, str]]:
    """Where ``text`` names a place with its level, from the start of a word: 开县 is not in 召开县委, nor
    中国 (no level) in 中国特色; 云南省 is in 云南省委. The longest name at each position."""
    import jieba

    init_jieba()
    starts, offset = set(), 0
    for word in jieba.cut(text):
        starts.add(offset)
        offset += len(word)
    at: dict[int, str] = {}
    for name in _place_names().chinese:
        if not name.endswith(_SUFFIXES):
            continue
        position = text.find(name)
        while position >= 0:
            if position in starts and len(name) > len(at.get(position, "")):
                at[position] = name
            position = text.find(name, position + 1)
    return sorted(at.items())


class PlaceIndex:
    """The places of the indexed reports, looked up by Chinese name or pinyin."""

    def __init__(self, reports: list[ReportRecord]) -> None:
        self.by_report: dict[str, list[Place]] = {}  # the report's government, its wider places first
        self._whole: set[str] = set()  # places some report is of, not only of a district inside them
        for report in reports:
            # The place the metadata read from the title; else what in the title reads as one; else (a page
            # saved without its title, 本年度报告根据…) the government the opening sentence names
            # ("2024年,中原区坚持…").
            named = [p for p in place_units(report.place) if _PLACE_NAME.fullmatch(p.name)] if report.place else [
                p for p in place_units(report.title) if _PLACE_NAME.fullmatch(p.name) and p.name.endswith(_SUFFIXES)
            ]  # a title the metadata found no place in names one only with its level (not 政府工作报告)
            self.by_report[report.report_id] = named or _opening_places(report)
            if not self.by_report[report.report_id]:  # its file name's places are each a guess at its own
                self.by_report[report.report_id] = guesses = _file_name_places(report)
                self._whole |= {p.name for p in guesses}
        self._whole |= {places[-1].name for places in self.by_report.values() if places}
        self._texts = [report.text for report in reports]
        # Names and stems of the indexed places (云冈区, 云冈): a place inside or around one is not "unindexed".
        self._indexed = {name for places in self.by_report.values() for p in places for name in (p.name, p.stem)}

    def in_chinese(self, question: str) -> dict[str, set[str]]:
        """{place name: report ids} for places a Chinese question names (云冈区 or just 云冈)."""
        return self._match(lambda place: len(place.stem) >= 2 and place.stem in question)

    def in_english(self, words: list[str], known: Callable[[str], bool] = lambda word: True) -> dict[str, set[str]]:
        """{place name: report ids} for pinyin names in an English question ("Yungang", "yun gang").

        With none, a word ``known`` does not recognise that is one letter off an indexed place's
        reading of five letters or more is taken to mean it ("hanbim" for Hanbin)."""
        words = [w.replace("'", "").replace("’", "") for w in words]  # hui'an
        candidates = set(words) | {a + b for a, b in zip(words, words[1:])}
        exact = self._match(lambda place: bool(place.readings & candidates))
        if exact:
            return exact
        names = _place_names().pinyin  # Xuzhou is a place of its own, not Fuzhou misspelt
        unknown = [w for w in candidates if len(w) >= 5 and w.isalpha() and w not in names and not known(w)]
        return self._match(lambda place: any(_one_letter_off(w, r) for w in unknown for r in place.readings if len(r) >= 5))

    def unindexed(self, question: str) -> list[str]:
        """Places a question names that no indexed report is of (北京市, "Shanghai"): CC-CEDICT's place names
        with their level (朝阳区), or a province's or major city's alone (河南, 北京); in English, by pinyin."""
        import jieba

        indexed = self._indexed
        init_jieba()
        names = _place_names()
        words = set(jieba.cut(question))  # 长治 alone is a city; in 长治久安 it is not
        found = [
            zh for zh in names.chinese
            if (zh in words or (zh in question and zh in names.with_level)) and not any(zh in n for n in indexed)
            and not self._inside_a_name(question, zh)
        ]
        # In English a major place by name (Henan, Shanghai), any other with its level (Chaoyang District):
        # Jinping alone is as likely a person (Xi Jinping) as a county.
        for match in re.finditer(r"\b([A-Z][a-z]+)(?:\s+([A-Za-z]+))?", question):
            with_level = f"{match.group(1)} {match.group(2) or ''}".strip()
            word = next((w for w in (with_level, match.group(1)) if w.lower() in names.pinyin), None)
            zh = names.pinyin.get(word.lower()) if word else None
            if word and zh and not any(zh in name or name in zh for name in indexed):
                found.append(word)
        return [name for name in found if not any(name != other and name in other for other in found)]

    def _inside_a_name(self, question: str, place: str) -> bool:
        """龙潭临港产业园: a place word the reports write inside a longer name (of a park, a title) names that,
        not a government the reports leave out."""
        at = question.find(place)
        after = question[at + len(place) : at + len(place) + _NAME_GOES_ON]
        return len(after) == _NAME_GOES_ON and bool(_CJK.fullmatch(after)) and any(place + after in t for t in self._texts)

    def covers_whole(self, name: str) -> bool:
        """Whether some report is *of* this place, not only of a district inside it."""
        return name in self._whole

    def _match(self, named: Callable[[Place], bool]) -> dict[str, set[str]]:
        found: dict[str, set[str]] = {}
        for report_id, places in self.by_report.items():
            for place in places:
                if named(place):
                    found.setdefault(place.name, set()).add(report_id)
        return found


def _one_letter_off(word: str, reading: str) -> bool:
    """One letter replaced, added or dropped, or two side by side swapped (a slip of the fingers): changhun,
    hanbim, xuchnag; hamsim is not (two)."""
    if abs(len(word) - len(reading)) > 1 or word == reading:
        return False
    if len(word) == len(reading):
        wrong = [i for i, (a, b) in enumerate(zip(word, reading)) if a != b]
        swapped = len(wrong) == 2 and wrong[1] == wrong[0] + 1 and word[wrong[0]] == reading[wrong[1]] and word[wrong[1]] == reading[wrong[0]]
        return len(wrong) == 1 or swapped
    short, long = sorted((word, reading), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
