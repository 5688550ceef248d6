"""Figures in Chinese report prose: the number, its unit, its qualifier, where it stands.

Reports write 249件, 3000余个工作日, 90%以上, 1.2亿元, 八百多次, 三期. The indexer (every
figure of a report becomes a row), the extractive answerer (which figure answers?) and
the verifier (is every figure in an answer held by a citation?) read figures the same way.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "亿": 100_000_000}
# Longest first: 个工作日 before 个, 万元 before 万, 人次 before 人.
UNITS = (
    "个工作日", "个百分点", "万人次", "万元", "亿元", "万人", "万户", "万件", "万次", "人次", "余人", "件次",
    "平方米", "公里", "学时", "%", "件", "次", "人", "所", "条", "项", "个", "家", "起", "场", "期", "份", "名",
    "户", "篇", "天", "小时", "元", "万", "亿", "倍", "部", "批", "册", "支", "座", "处", "台", "辆", "吨", "亩", "堂",
    "组", "套", "轮", "届", "门", "节", "宗", "张", "间", "栋", "款",
    "年", "月", "日",
)
_UNIT_RE = "|".join(re.escape(u) for u in UNITS)
CHINESE_NUMERALS = "零〇一二三四五六七八九十百千万亿两"
FIGURE_RE = re.compile(
    rf"(?P<pre>约|近|超过|超|达到|达)?"
    rf"(?:(?P<arabic>\d+(?:,\d{{3}})*(?:\.\d+)?)|(?P<chinese>[{CHINESE_NUMERALS}]{{1,12}}))"
    rf"(?P<magnitude>万|亿)?(?P<qual>余|多)?(?:[ \u00a0]?(?P<unit>{_UNIT_RE}))?(?P<post>以上|左右|余|多)?"
)
_MARKER_RE = re.compile(r"\[\d+\]")
_ENGLISH_MAGNITUDE = re.compile(r"(\d+(?:,\d{3})*(?:\.\d+)?)\s*(thousand|million|billion)\b", re.IGNORECASE)
_ENGLISH_SCALE = {"thousand": 10**3, "million": 10**6, "billion": 10**9}


@dataclass(frozen=True)
class Figure:
    value: float
    number: str  # the digits as written (Arabic), or the Chinese numeral
    unit: str
    qualifier: str  # 余/多/以上/约/… as written, "" when exact
    text: str  # the whole figure as written: 3000余个工作日
    start: int
    end: int

    @property
    def is_date_part(self) -> bool:
        return self.unit in ("年", "月", "日")

    @property
    def in_full(self) -> float:
        """The value with its magnitude: 2.8万 is 28000, 31.8亿 is 3180000000."""
        return round(self.value * _CN_UNITS[self.unit[:1]], 6) if self.unit[:1] in ("万", "亿") else self.value


def fold(text: str) -> str:
    """Full-width digits and signs to ASCII (NFKC), so ９０％ reads as 90%."""
    return unicodedata.normalize("NFKC", text)


def find_figures(text: str) -> list[Figure]:
    """Figures in ``text`` (already folded). A Chinese numeral counts only with a unit (八百多次, not 一是)."""
    figures = []
    for match in FIGURE_RE.finditer(text):
        arabic, chinese = match.group("arabic"), match.group("chinese")
        unit = (match.group("magnitude") or "") + (match.group("unit") or "")  # 2.8万余人次: 万人次, 余 qualifies
        if chinese and (not unit or not _is_numeral(chinese)):
            continue
        if arabic is None and chinese is None:
            continue
        if arabic and _inside_word(text, match.start("arabic"), match.end("arabic")):
            continue
        if unit == "部" and text[match.end() : match.end() + 1] == "分":  # 六部分: the word 部分, not 部 the unit
            continue
        value = float(arabic.replace(",", "")) if arabic else chinese_to_number(chinese)
        qualifier = "".join(q for q in (match.group("pre"), match.group("qual"), match.group("post")) if q)
        start = match.start("arabic") if arabic else match.start("chinese")
        figures.append(
            Figure(value, arabic or chinese, unit, qualifier, text[start : match.end()], start, match.end())
        )
    return figures


def numbers_in(text: str) -> set[float]:
    """Every numeric value mentioned, Arabic or Chinese, ignoring [n] citation markers ("1.2 million" is
    1,200,000)."""
    return _numbers(text, in_full=False)


def held_numbers(text: str) -> set[float]:
    """What a source text vouches for: its numbers as written, and a figure with a magnitude in full too
    (2.8万 holds 2.8 and 28,000, as an English answer writes it)."""
    return _numbers(text, in_full=True)


def _numbers(text: str, in_full: bool) -> set[float]:
    text = _MARKER_RE.sub(" ", fold(text))
    values: set[float] = set()
    for match in _ENGLISH_MAGNITUDE.finditer(text):
        values.add(round(float(match.group(1).replace(",", "")) * _ENGLISH_SCALE[match.group(2).lower()], 6))
    text = _ENGLISH_MAGNITUDE.sub(" ", text)
    for figure in find_figures(text):
        values.add(figure.value)
        if in_full:
            values.add(figure.in_full)
    values.update(float(n.replace(",", "")) for n in re.findall(r"\d+(?:,\d{3})*(?:\.\d+)?", text))
    return values


def chinese_to_number(numeral: str) -> float:
    """八百 → 800, 十四 → 14, 一万二千 → 12000, 三 → 3."""
    total, section, digit = 0, 0, 0
    for ch in numeral:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        elif ch in ("万", "亿"):
            section = (section + digit) * _CN_UNITS[ch]
            total, section, digit = total + section, 0, 0
        else:
            section += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return float(total + section + digit)


def _is_numeral(text: str) -> bool:
    return any(ch in _CN_DIGITS for ch in text) or text[0] in "十百千"


def _inside_word(text: str, start: int, end: int) -> bool:
    """Digits glued to Latin letters (12348热线 is fine, H5N1 is not) are codes, not figures."""
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    return (before.isascii() and before.isalpha()) or (after.isascii() and after.isalpha())
