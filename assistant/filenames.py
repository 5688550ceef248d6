"""What an uploaded report may be called in the reports folder.

A name comes from a browser or an HTTP client and becomes a file that the indexer reads and a
report id that the API names, so it is made plain here: one path component, in NFC, without control
or invisible characters, within the file system's length in bytes — its extension kept, since the
extension says how the report is read.
"""

from __future__ import annotations

import unicodedata
import uuid
from pathlib import Path

from index.errors import ReportChatError, echo
from index.indexer import SKIPPED_PREFIXES

__all__ = ["MAX_NAME_BYTES", "MAX_NAME_CHARS", "FileNameError", "partial_name", "safe_filename"]

MAX_NAME_CHARS = 200  # a report's id is made from its file's stem, and the API takes ids of up to 200 characters
_PARTIAL = ".{name}.{tag}.part"  # an upload is written under this name, then renamed into place
_TAG_CHARS = 8
# File systems (ext4, xfs, btrfs, APFS) take names of 255 bytes, and the partial name must fit too.
MAX_NAME_BYTES = 255 - len(_PARTIAL.format(name="", tag="x" * _TAG_CHARS))
_MAX_SUFFIX_CHARS = 10  # ".docx"; a longer "extension" is part of the name
_PATH_CHARACTERS = frozenset('/\\:*?"<>|')
# Characters that are not part of a name's text: controls, unpaired surrogates, line and paragraph separators.
_NOT_TEXT = frozenset(("Cc", "Cs", "Zl", "Zp"))


class FileNameError(ReportChatError):
    """An upload's name that cannot name a report in the reports folder; nothing was written."""


def safe_filename(filename: str) -> str:
    """The name an upload is stored under: never a way out of the folder, never two names for one text.

    Format characters (category Cf: bidi overrides and isolates, zero-width spaces, BOM) are removed
    rather than refused: they change how a name is shown ("report", U+202E, "txt.pdf" shows as
    "reportfdp.txt"), never what it says, and names copied from documents and web pages carry them
    unseen. A name the indexer would skip (".x.txt", "~$x.docx") is refused rather than saved unindexed.
    """
    name = unicodedata.normalize("NFC", Path((filename or "").replace("\\", "/")).name)
    name = "".join(_plain(char) for char in name).strip().rstrip(" .")
    if not name or name in (".", ".."):
        raise FileNameError(f"文件名无效 / Invalid file name {echo(filename)}: give the file a name.")
    if name.startswith(SKIPPED_PREFIXES):
        raise FileNameError(
            f"以“.”或“~$”开头的是隐藏文件或临时文件(如 Office 的锁文件),不会被索引;请上传报告本身或为其改名 / "
            f'{echo(name)} starts with "." or "~$", which marks a hidden or temporary file (such as an Office '
            "lock file) that is never indexed: upload the report itself, or rename it."
        )
    return _shortened(name)


def partial_name(name: str) -> str:
    """The name an upload is written under before it is renamed to ``name``: hidden, so never half indexed."""
    return _PARTIAL.format(name=name, tag=uuid.uuid4().hex[:_TAG_CHARS])


def _plain(char: str) -> str:
    category = unicodedata.category(char)
    if category == "Cf":
        return ""
    return "_" if category in _NOT_TEXT or char in _PATH_CHARACTERS else char


def _shortened(name: str) -> str:
    """The name within MAX_NAME_CHARS and MAX_NAME_BYTES, cut in its stem so that its extension stays."""
    suffix = Path(name).suffix
    if len(suffix) > _MAX_SUFFIX_CHARS:
        suffix = ""
    stem = name[: len(name) - len(suffix)][: MAX_NAME_CHARS - len(suffix)]
    stem = stem.encode()[: MAX_NAME_BYTES - len(suffix.encode())].decode("utf-8", "ignore")
    return stem.rstrip(" .") + suffix
