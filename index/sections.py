"""Split a report body along its heading hierarchy.

Chinese reports number their headings ``一、`` › ``(一)``/``（一）`` › ``1.``/``1、``
› ``(1)``; statutes use ``第X章`` › ``第X节`` › ``第X条``; markdown uses ``#``.
Nesting follows the order in which the kinds of heading appear, so a report
that puts ``1.`` straight under ``一、`` nests correctly too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PATH_SEPARATOR = " › "
_MAX_HEADING_CHARS = 40
_CN_NUM = "一二三四五六七八九十百千零〇两"

# (kind, pattern). The pattern matches the heading marker at the start of a line.
_MARKERS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("md", re.compile(r"#{1,6}(?=\s)")),
    ("chapter", re.compile(rf"第[{_CN_NUM}\d]+[编章](?=\s|$|[^\d])")),
    ("part", re.compile(rf"第[{_CN_NUM}\d]+节")),
    ("article", re.compile(rf"第[{_CN_NUM}\d]+条")),
    ("cn", re.compile(rf"[{_CN_NUM}]+[、．.](?![{_CN_NUM}])")),
    ("cn_paren", re.compile(rf"[(（][{_CN_NUM}]+[)）]")),
    ("num", re.compile(r"\d{1,2}(?:[、．]|\.(?!\d))")),
    ("num_paren", re.compile(r"[(（]\d{1,2}[)）]")),
)
_INLINE_ITEM = re.compile(r"(?<=[。；;])\s*(\d{1,2})[.、．](?!\d)")
_SENTENCE_END = re.compile(r"[。！？!?；;：:]")


@dataclass(frozen=True)
class Section:
    start: int  # offsets into the report text; the section runs to the next heading
    end: int
    path: str  # headings from the top, joined by PATH_SEPARATOR ("" before the first heading)
    heading: str


def split_sections(text: str, body_start: int = 0, body_end: int | None = None) -> list[Section]:
    """Sections covering ``text[body_start:body_end]`` end to end, in order."""
    body_end = len(text) if body_end is None else body_end
    headings: list[tuple[int, str, int, str]] = []  # (offset, kind, md level, label)
    offset = body_start
    for line in text[body_start:body_end].splitlines(keepends=True):
        found = _heading(line)
        if found:
            kind, level, label = found
            headings.append((offset + len(line) - len(line.lstrip()), kind, level, label))
        headings.extend(_inline_items(line, offset, headings[-1] if headings else None))
        offset += len(line)

    sections: list[Section] = []
    first = headings[0][0] if headings else body_end
    if text[body_start:first].strip():
        sections.append(Section(body_start, first, "", ""))
    elif headings:
        first = body_start  # leading blank lines belong to the first section
    stack: list[tuple[str, int, str]] = []
    for i, (start, kind, level, label) in enumerate(headings):
        stack = _nest(stack, kind, level)
        stack.append((kind, level, label))
        end = headings[i + 1][0] if i + 1 < len(headings) else body_end
        sections.append(
            Section(first if i == 0 else start, end, PATH_SEPARATOR.join(s[2] for s in stack), label)
        )
    return _fold_bare_headings(text, sections)


def _fold_bare_headings(text: str, sections: list[Section]) -> list[Section]:
    """A heading with no text of its own joins its first child, so it is never a chunk alone."""
    folded: list[Section] = []
    carry: int | None = None
    for i, section in enumerate(sections):
        start = section.start if carry is None else carry
        following = sections[i + 1] if i + 1 < len(sections) else None
        bare = section.heading and "\n" not in text[section.start : section.end].strip()
        is_parent = following is not None and following.path.startswith(section.path + PATH_SEPARATOR)
        if bare and is_parent and len(text[section.start : section.end].strip()) <= 80:
            carry = start
            continue
        carry = None
        folded.append(Section(start, section.end, section.path, section.heading))
    return folded


def _inline_items(
    line: str, offset: int, previous: tuple[int, str, int, str] | None
) -> list[tuple[int, str, int, str]]:
    """Numbered items that continue a list inside a paragraph (``…。2.严格落实…``).

    Only the next number of a ``1.`` list counts, so figures such as ``。3.5万``
    or a stray ``。8.`` are left alone.
    """
    items: list[tuple[int, str, int, str]] = []
    for match in _INLINE_ITEM.finditer(line):
        if previous is None or previous[1] != "num":
            break
        expected = int(re.match(r"\d+", previous[3]).group()) + 1
        if int(match.group(1)) != expected:
            continue
        rest = line[match.end(1) + 1 :]
        previous = (offset + match.start(1), "num", 0, _label(line[match.start(1) : match.end(1) + 1], rest))
        items.append(previous)
    return items


def _nest(stack: list[tuple[str, int, str]], kind: str, level: int) -> list[tuple[str, int, str]]:
    """The ancestors a heading of ``kind`` keeps: pop back to its own kind, else nest deeper."""
    if kind == "md":
        parents = [i for i, entry in enumerate(stack) if entry[0] == "md" and entry[1] < level]
        return stack[: parents[-1] + 1] if parents else []
    kinds = [entry[0] for entry in stack]
    return stack[: kinds.index(kind)] if kind in kinds else stack


def _heading(line: str) -> tuple[str, int, str] | None:
    stripped = line.strip()
    if not stripped or len(stripped) < 2:
        return None
    for kind, pattern in _MARKERS:
        match = pattern.match(stripped)
        if not match:
            continue
        rest = stripped[match.end():].strip()
        if kind == "md":
            return kind, len(match.group()), _shorten(rest)
        return kind, 0, _label(match.group(), rest)
    return None


def _label(marker: str, rest: str) -> str:
    """The heading as shown in a path: marker plus title, up to its first sentence end.

    A heading may run into its first sentence on the same line
    (``(一)坚持党的领导,扛牢…。一是…``); the title is what comes before ``。``.
    """
    end = _SENTENCE_END.search(rest)
    title = rest[: end.start()] if end else rest
    if end is None and len(rest) > _MAX_HEADING_CHARS * 2:
        title = ""  # a long unpunctuated paragraph after a marker: show the marker alone
    return marker + _shorten(title)


def _shorten(title: str) -> str:
    title = title.strip()
    return title if len(title) <= _MAX_HEADING_CHARS else title[: _MAX_HEADING_CHARS - 1] + "…"
