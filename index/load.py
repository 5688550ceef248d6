"""Turn a report file into plain text, whatever its format or encoding.

The text returned is the report as the rest of the tool sees it: chunk spans,
citations and highlights are offsets into it, so it is normalised once here
(newlines, no NULs) and never again.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from index.errors import ReportError

if TYPE_CHECKING:
    from bs4 import BeautifulSoup
    from docx.document import Document as WordDocument

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")
DEFAULT_MAX_CHARS = 2_000_000

_ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_ZIP_MAX_RATIO = 200
_TEXT_ENCODINGS = (("utf-8-sig", "UTF-8"), ("gb18030", "GB18030"))  # (codec, name a user knows)
_UNDECODABLE = re.compile("[\udc80-\udcff]")  # what surrogateescape makes of each byte it cannot decode
_DROPPED_TAGS = ("script", "style", "noscript", "template")
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "section", "article", "header", "footer", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dd", "dt",
)


@dataclass(frozen=True)
class LoadedReport:
    path: Path
    text: str
    content_hash: str
    warnings: tuple[str, ...] = ()  # bilingual notes on what was read despite a flaw (replaced bytes)


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def load_report(
    path: Path, max_bytes: int = 50 * 1024 * 1024, max_chars: int = DEFAULT_MAX_CHARS
) -> LoadedReport:
    """Read ``path`` into text; raise :class:`ReportError` naming the file and the reason.

    ``max_chars`` caps the text, checked while it is extracted: a 1 MB DOCX can expand to
    tens of millions of characters, which no step after this one should have to hold.
    """
    path = Path(path)
    if not is_supported(path):
        raise ReportError(
            path,
            f"不支持的文件类型 {path.suffix or '(无扩展名)'}",
            f"unsupported file type {path.suffix or '(none)'}; use one of {', '.join(SUPPORTED_SUFFIXES)}",
        )
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise ReportError(
                path,
                f"文件过大({size / 1e6:.1f} MB,上限 {max_bytes / 1e6:.0f} MB)",
                f"file too large ({size / 1e6:.1f} MB, limit {max_bytes / 1e6:.0f} MB)",
            )
        data = path.read_bytes()
    except OSError as exc:
        raise ReportError(path, "无法读取文件", f"cannot read the file ({exc.strerror or exc})") from exc
    if not data.strip():
        raise ReportError(path, "文件为空", "the file is empty")

    suffix = path.suffix.lower()
    warnings: tuple[str, ...] = ()
    if suffix == ".pdf":
        text = _pdf_text(path, data, max_chars)
    elif suffix == ".docx":
        text = _docx_text(path, data, max_chars)
    elif suffix in (".html", ".htm"):
        html, warnings = decode_text(path, data)
        text = _html_text(path, html, max_chars)
    else:
        text, warnings = decode_text(path, data)
        _check_length(path, len(text), max_chars)
    text = normalize_text(text)
    if not text.strip():
        raise ReportError(path, "文件中没有可读文字", "the file holds no readable text")
    return LoadedReport(path=path, text=text, content_hash=content_hash(data), warnings=warnings)


def normalize_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    return re.sub(r"[ \t]+\n", "\n", text)


def decode_text(path: Path, data: bytes) -> tuple[str, tuple[str, ...]]:
    """Decode UTF-8 (with or without BOM), GBK/GB18030, or whatever charset-normalizer finds.

    Returns the text and its warnings. A text that is UTF-8 or GB18030 but for a few bytes is
    read with those bytes replaced, and a warning says how many: one bad byte should not cost
    a whole report.
    """
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError(path, "这是二进制文件,不是文本", "this is a binary file, not text")
    for codec, _ in _TEXT_ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text, ()
    text, replaced, name = min((_decode_replacing(data, *encoding) for encoding in _TEXT_ENCODINGS), key=_replaced)
    if _looks_like_text(text):  # which counts the replacements: they must be rare
        bytes_were = "byte was" if replaced == 1 else "bytes were"
        warning = (
            f"按 {name} 读取,替换了 {replaced} 个无法解码的字节;如有乱码,请检查文件编码 / read as {name}: "
            f"{replaced} undecodable {bytes_were} replaced; if some text looks garbled, check the file's encoding"
        )
        return text, (warning,)
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_like_text(str(best)):
        return str(best), ()
    raise ReportError(path, "无法识别文字编码或内容不是文本", "unknown text encoding, or not text at all")


def _decode_replacing(data: bytes, codec: str, name: str) -> tuple[str, int, str]:
    """``data`` decoded with each undecodable byte replaced by U+FFFD, and how many were."""
    text, replaced = _UNDECODABLE.subn("\ufffd", data.decode(codec, errors="surrogateescape"))
    return text, replaced, name


def _replaced(decoded: tuple[str, int, str]) -> int:
    return decoded[1]


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    unassigned = text.count("\ufffd")
    private_use = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff")  # what random bytes decode into
    return (controls + unassigned + private_use) / len(text) < 0.01


def _html_text(path: Path, html: str, max_chars: int) -> str:
    from bs4 import BeautifulSoup

    with _parsing(path, "HTML"):
        return _join_within(path, _html_lines(BeautifulSoup(html, "html.parser")), max_chars)


def _html_lines(soup: BeautifulSoup) -> Iterator[str]:
    """The page's text, a block tag's content on lines of its own and headings as ``#`` lines.

    Walked with a stack of its own, so a page nested 100,000 tags deep costs what it holds
    (inserting line breaks around each tag made bs4 walk down every tag's nesting).
    """
    from bs4 import NavigableString, Tag

    kept_strings = soup.interesting_string_types  # what get_text keeps: not comments, not doctypes
    parts: list[str] = []
    stack: list[Tag | NavigableString | None] = [soup]  # None marks the end of a block tag
    while stack:
        node = stack.pop()
        if isinstance(node, NavigableString):
            if type(node) in kept_strings:
                parts.append(node)
            continue
        if node is None or node.name in _BLOCK_TAGS:  # a block starts or ends: so does a line
            yield from _clean_lines("".join(parts))
            parts.clear()
        if node is None or node.name in _DROPPED_TAGS:
            continue
        if re.fullmatch(r"h[1-6]", node.name):
            parts.append("#" * int(node.name[1]) + " ")
        if node.name in _BLOCK_TAGS:
            stack.append(None)
        stack.extend(reversed(node.contents))
    yield from _clean_lines("".join(parts))


def _clean_lines(text: str) -> Iterator[str]:
    """The non-blank lines of ``text``, runs of spaces made one."""
    for line in text.split("\n"):
        line = re.sub(r"[ \t\r\f\v]+", " ", line).strip()
        if line:
            yield line


def _pdf_text(path: Path, data: bytes, max_chars: int) -> str:
    from pypdf import PdfReader

    with _parsing(path, "PDF"):
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReportError(path, "PDF 已加密", "the PDF is encrypted; save an unencrypted copy")
        text = _join_within(path, (page.extract_text() or "" for page in reader.pages), max_chars)
    if not text.strip():
        raise ReportError(
            path, "PDF 中没有文字层(可能是扫描件)", "the PDF has no text layer (a scan?); OCR it first"
        )
    return text


def _docx_text(path: Path, data: bytes, max_chars: int) -> str:
    from docx import Document

    _check_zip(path, data)
    with _parsing(path, "DOCX"):
        return _join_within(path, _docx_lines(Document(io.BytesIO(data))), max_chars)


def _docx_lines(document: WordDocument) -> Iterator[str]:
    """Paragraphs (headings as ``#`` lines) and table rows (``cell | cell``), in document order.

    A row is read from the ``<w:tc>`` cells its XML holds. python-docx's ``row.cells`` repeats
    a cell for each grid column its span claims, so a 1 KB file claiming a span of 10^8 columns
    fills gigabytes; read this way a span costs nothing and a merged cell's text comes once.
    """
    from docx.table import Table

    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block._tbl.tr_lst:
                cells = ["\n".join(p.text for p in cell.p_lst).strip() for cell in row.tc_lst]
                if any(cells):
                    yield " | ".join(cells)
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        match = re.fullmatch(r"Heading (\d)", style)
        yield "#" * int(match.group(1)) + " " + text if match else text


def _join_within(path: Path, lines: Iterable[str], max_chars: int) -> str:
    """``lines`` joined by newlines, refused as soon as they run past ``max_chars``."""
    kept: list[str] = []
    total = -1  # no newline before the first line
    for line in lines:
        total += 1 + len(line)
        _check_length(path, total, max_chars)
        kept.append(line)
    return "\n".join(kept)


def _check_length(path: Path, chars: int, max_chars: int) -> None:
    if chars > max_chars:
        raise ReportError(
            path,
            f"报告文字超过 {max_chars:,} 个字符的上限;请拆分报告,或调高 REPORTCHAT_MAX_REPORT_CHARS",
            f"the report's text runs past the limit of {max_chars:,} characters; "
            "split the report, or raise REPORTCHAT_MAX_REPORT_CHARS",
        )


@contextmanager
def _parsing(path: Path, kind: str) -> Iterator[None]:
    """Turn whatever a parser raises into a ReportError naming the problem.

    Parsers raise far more kinds than they document (pypdf: NotImplementedError for an unknown
    filter, DeprecationError, LimitReachedError; python-docx: ValueError on a malformed table).
    """
    try:
        yield
    except (ReportError, MemoryError):
        raise
    except Exception as exc:
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())  # on one line: some span several
        detail = detail if len(detail) <= 200 else detail[:200] + "…"
        raise ReportError(
            path, f"{kind} 文件损坏或无法解析;请用原程序重新导出",
            f"malformed {kind} ({detail}); export it again from the program that made it",
        ) from exc


def _check_zip(path: Path, data: bytes) -> None:
    """Refuse zip bombs before any library inflates them."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
    except zipfile.BadZipFile as exc:
        raise ReportError(path, "DOCX 文件损坏(不是有效的压缩包)", "malformed DOCX (not a zip package)") from exc
    total = sum(info.file_size for info in infos)
    packed = max(1, sum(info.compress_size for info in infos))
    if total > _ZIP_MAX_UNCOMPRESSED or total / packed > _ZIP_MAX_RATIO:
        raise ReportError(
            path, "DOCX 解压后过大(疑似压缩炸弹)", "DOCX expands too much (a zip bomb?); refused"
        )
