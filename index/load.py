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
from dataclasses import dataclass
from pathlib import Path

from index.errors import ReportError

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".docx")

_ZIP_MAX_UNCOMPRESSED = 200 * 1024 * 1024
_ZIP_MAX_RATIO = 200
_BLOCK_TAGS = (
    "p", "div", "br", "li", "tr", "section", "article", "header", "footer", "table",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul", "ol", "dd", "dt",
)


@dataclass(frozen=True)
class LoadedReport:
    path: Path
    text: str
    content_hash: str


def content_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def is_supported(path: Path) -> bool:
    return path.suffix.lower() in SUPPORTED_SUFFIXES


def load_report(path: Path, max_bytes: int = 50 * 1024 * 1024) -> LoadedReport:
    """Read ``path`` into text; raise :class:`ReportError` naming the file and the reason."""
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
    if suffix == ".pdf":
        text = _pdf_text(path, data)
    elif suffix == ".docx":
        text = _docx_text(path, data)
    else:
        raw = decode_text(path, data)
        text = _html_text(raw) if suffix in (".html", ".htm") else raw
    text = normalize_text(text)
    if not text.strip():
        raise ReportError(path, "文件中没有可读文字", "the file holds no readable text")
    return LoadedReport(path=path, text=text, content_hash=content_hash(data))


def normalize_text(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    text = text.replace("\u3000", " ").replace("\xa0", " ")
    return re.sub(r"[ \t]+\n", "\n", text)


def decode_text(path: Path, data: bytes) -> str:
    """Decode UTF-8 (with or without BOM), GBK/GB18030, or whatever charset-normalizer finds."""
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ReportError(path, "这是二进制文件,不是文本", "this is a binary file, not text")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            return text
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is not None and _looks_like_text(str(best)):
        return str(best)
    raise ReportError(path, "无法识别文字编码或内容不是文本", "unknown text encoding, or not text at all")


def _looks_like_text(text: str) -> bool:
    if not text:
        return False
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    unassigned = text.count("\ufffd")
    private_use = sum(1 for ch in text if "\ue000" <= ch <= "\uf8ff")  # what random bytes decode into
    return (controls + unassigned + private_use) / len(text) < 0.01


def _html_text(html: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "template"]):
        tag.decompose()
    for level in range(1, 7):
        for tag in soup.find_all(f"h{level}"):
            tag.insert(0, "#" * level + " ")
    for tag in soup.find_all(_BLOCK_TAGS):
        tag.insert_before("\n")
        tag.insert_after("\n")
    lines = (re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in soup.get_text().split("\n"))
    return "\n".join(line for line in lines if line)


def _pdf_text(path: Path, data: bytes) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            raise ReportError(path, "PDF 已加密", "the PDF is encrypted; save an unencrypted copy")
        pages = [page.extract_text() or "" for page in reader.pages]
    except ReportError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise ReportError(path, "PDF 文件损坏或无法解析", f"malformed PDF ({exc})") from exc
    text = "\n".join(pages)
    if not text.strip():
        raise ReportError(
            path, "PDF 中没有文字层(可能是扫描件)", "the PDF has no text layer (a scan?); OCR it first"
        )
    return text


def _docx_text(path: Path, data: bytes) -> str:
    from docx import Document

    _check_zip(path, data)
    try:
        document = Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds on damaged packages
        raise ReportError(path, "DOCX 文件损坏或无法解析", f"malformed DOCX ({exc})") from exc
    from docx.table import Table

    lines: list[str] = []
    for block in document.iter_inner_content():  # paragraphs and tables in document order
        if isinstance(block, Table):
            for row in block.rows:
                cells = [cell.text.strip() for cell in row.cells]
                if any(cells):
                    lines.append(" | ".join(cells))
            continue
        text = block.text.strip()
        if not text:
            continue
        style = (block.style.name if block.style is not None else "") or ""
        match = re.fullmatch(r"Heading (\d)", style)
        if match:
            text = "#" * int(match.group(1)) + " " + text
        lines.append(text)
    return "\n".join(lines)


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
