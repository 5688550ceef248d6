"""Report metadata: the portal header block of the seed, or what the text itself shows.

Government portals prefix reports with a block of ``key: value`` fields
(``标题:``, ``发布日期:``, ``来源:`` …). It becomes metadata and the body starts
after it, so the fields are never indexed as if they were report prose.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

_FIELDS = {
    "标题": "title", "题名": "title", "名称": "title",
    "发布机构": "publisher", "发文机关": "publisher", "发布单位": "publisher",
    "来源": "source", "信息来源": "source",
    "发布日期": "published", "发布时间": "published", "公开日期": "published", "发文日期": "published",
    "成文日期": "written", "日期": "published", "时间": "published", "更新时间": "updated",
    "文件名称": "title", "公开责任部门": "publisher", "签发人": "signer",
    "索引号": "index_no", "信息分类": "category", "主题分类": "category", "公开目录": "category", "文号": "doc_no",
    "时效": "validity", "有效性": "validity", "公开形式": "form",
}
# Keys may be spaced out ("索 引 号") and several fields may share a line.
_FIELD_RE = re.compile(
    rf"(?P<key>{'|'.join(r'[ ]?'.join(map(re.escape, k)) for k in sorted(_FIELDS, key=len, reverse=True))})"
    r"\s*[:：]\s*(?P<value>.*?)(?=\s+\S{1,6}\s*[:：]|$)"
)
_FOOTER_LINE = re.compile(
    r"^(扫一扫.*|相关(解读|政策|稿件|链接|文件)|打印本页|关闭窗口|【?(打印|关闭|返回顶部)】?|分享到.*|[\s|｜\-—_=*·]*)$"
)
_JUNK_LINE = re.compile(r"^[\s|｜\-—_=*·]*$")
SALUTATION = re.compile(r"[^,，。;；]{2,30}[:：]")  # 福州市人民政府: / 各位代表: — whom the report is addressed to
_BULLET = re.compile(r"^[•·▪●◆\-*]\s*")
# A date (and time) alone on a header line: "2025年03月19日 09时07分", "2023-01-29 16:07".
_STAMP = re.compile(r"(19|20)\d{2}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}日?(\s*\d{1,2}\s*[:：时]\s*\d{1,2}分?(:\d{2})?)?")
_FIELD_LINE_CHARS = 40
_TITLE_CHARS = 60
_DATE_RE = re.compile(r"(20\d{2}|19\d{2})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
_YEAR_IN_TITLE = re.compile(r"(20\d{2}|19\d{2})\s*年")
_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2}|19\d{2})(?!\d)")
# "绵阳市江油市人民政府关于2024年度…": the place is 绵阳市江油市.
_GOVERNMENT_SUFFIX = re.compile(r"(人民政府|政府|司法局|办公室)?(关于)?$")
_PLACE_RE = re.compile(r"^(?:关于)?(.+?)(?:20\d{2}|19\d{2})\s*年")


@dataclass(frozen=True)
class ReportMetadata:
    title: str
    publisher: str | None
    published: str | None  # ISO date, YYYY-MM-DD
    year: int | None  # the year the report covers
    place: str | None  # the government the title names, e.g. 大同市云冈区
    body_start: int  # offset in the report text where the body begins
    body_end: int  # where it ends: the portal footer (扫一扫…, 相关解读) is not body
    header: str  # the header block as written (empty when there is none)


def extract_metadata(text: str, path: Path) -> ReportMetadata:
    fields, body_start = _parse_header(text)
    title = fields.get("title") or _first_title_line(text[body_start:]) or path.stem
    title = re.sub(r"^#+\s*", "", title).strip()
    published = _iso_date(fields.get("published") or fields.get("written") or "")
    year_match = _YEAR_IN_TITLE.search(title) or _YEAR_IN_NAME.search(path.stem)
    if year_match:
        year: int | None = int(year_match.group(1))
    elif re.fullmatch(r"(19|20)\d{2}", fields.get("category", "")):
        year = int(fields["category"])
    else:
        body_year = _YEAR_IN_TITLE.search(text[body_start : body_start + 400])
        year = int(body_year.group(1)) if body_year else None
    publisher = fields.get("publisher") or fields.get("source")
    place_match = _PLACE_RE.match(title) or _PLACE_RE.match(f"{publisher or ''}2000年")
    return ReportMetadata(
        title=title,
        publisher=publisher or None,
        published=published,
        year=year,
        place=_GOVERNMENT_SUFFIX.sub("", place_match.group(1).strip(" ,，")) or None if place_match else None,
        body_start=body_start,
        body_end=_body_end(text, body_start),
        header=text[:body_start].strip(),
    )


def _parse_header(text: str) -> tuple[dict[str, str], int]:
    """Fields of the leading header block, and where the body begins.

    The block is the run of leading lines that are fields, blank, table
    debris (``| | |``) or the title repeated; the body starts at the first
    line that is none of these. Without any field there is no header.
    """
    fields: dict[str, str] = {}
    offset = 0
    body_start = 0
    lines = text.splitlines(keepends=True)
    title = _title_above_fields(lines)
    if title is not None:  # 叶城县2024年度…报告 / 来源:叶城县司法局 发布时间 2025年04月02日: the page's title, then its fields
        fields["title"] = title.strip()
    for line in lines:
        stripped = _table_fields(_BULLET.sub("", line.strip()))
        matches = list(_FIELD_RE.finditer(stripped)) if stripped else []
        if len(stripped) <= _FIELD_LINE_CHARS and _STAMP.fullmatch(stripped):  # • 2025年03月19日 09时07分
            fields.setdefault("published", stripped)
            body_start = offset + len(line)
        elif matches and matches[0].start() == 0:
            keys = set()
            for match in matches:
                key = _FIELDS[re.sub(r"\s", "", match.group("key"))]
                keys.add(key)
                value = match.group("value").strip()
                if value and key not in fields:
                    fields[key] = value
            dated_otherwise = keys & {"written", "updated"}  # 成文日期 is when it was written, not published
            if (date := _DATE_RE.search(stripped)) and "published" not in fields and not dated_otherwise:  # "发布时间 2025年04月02日"
                fields["published"] = date.group()
            body_start = offset + len(line)
        elif not stripped or _JUNK_LINE.match(stripped) or (fields and stripped == fields.get("title")):
            if fields:
                body_start = offset + len(line)
        else:
            break
        offset += len(line)
    if not fields:
        return {}, _skip_blank(text, 0)
    return fields, _skip_blank(text, body_start)


def _table_fields(line: str) -> str:
    """A portal's metadata table row (文件名称 | 汉滨区2025年政府工作报告 | 公开日期: | 2025-04-15 |) as
    fields ("文件名称:汉滨区2025年政府工作报告 公开日期:2025-04-15"); any other line as it is."""
    if "|" not in line:
        return line
    cells = [c.strip() for c in line.strip("|").split("|")]
    key = lambda cell: re.sub(r"[\s:：]", "", cell)  # noqa: E731
    if not cells or key(cells[0]) not in _FIELDS:
        return line
    pairs, i = [], 0
    while i < len(cells):
        if key(cells[i]) in _FIELDS:
            value = cells[i + 1] if i + 1 < len(cells) and key(cells[i + 1]) not in _FIELDS else ""
            if value:  # 文号 | 成文日期: | …: a key left empty says nothing
                pairs.append(f"{key(cells[i])}:{value}")
            i += 2 if value else 1
        else:
            i += 1
    return " ".join(pairs)


def _title_above_fields(lines: list[str]) -> str | None:
    """A short first line that fields follow (within two lines) is the page's title."""
    filled = [(i, line.strip()) for i, line in enumerate(lines[:6]) if line.strip()]
    if len(filled) < 2 or _FIELD_RE.match(_BULLET.sub("", filled[0][1])) or len(filled[0][1]) > _TITLE_CHARS:
        return None
    after = [_BULLET.sub("", line) for _, line in filled[1:3]]
    return filled[0][1] if any(_FIELD_RE.match(line) or _STAMP.fullmatch(line) for line in after) else None


def _body_end(text: str, body_start: int) -> int:
    """Offset after the last body line, leaving out trailing portal furniture."""
    end = len(text)
    for line in reversed(text[body_start:].splitlines(keepends=True)):
        stripped = line.strip()
        if stripped and not _FOOTER_LINE.match(stripped):
            break
        end -= len(line)
    return max(end, body_start)


def _skip_blank(text: str, offset: int) -> int:
    while offset < len(text) and text[offset] in " \n\t":
        offset += 1
    return offset


def _first_title_line(body: str) -> str | None:
    """The first line, when it reads as a title: short, and not a sentence (根据…编制本报告。 opens a body)."""
    for line in body.splitlines():
        line = line.strip()
        if line and not SALUTATION.fullmatch(line):
            return line if len(line) <= 120 and not line.endswith(("。", "!", "！", "?", "？")) else None
    return None


def _iso_date(value: str) -> str | None:
    match = _DATE_RE.search(value)
    if not match:
        return None
    year, month, day = (int(g) for g in match.groups())
    return f"{year:04d}-{month:02d}-{day:02d}"
