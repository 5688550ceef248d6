"""The errors a user can act on.

    ReportChatError
    ├── ReportError          one report could not be read (the others still index)
    ├── IndexBusyError       another indexer holds the data home
    ├── IndexCancelledError  a run was cancelled: what it committed stays, the rest is as before
    ├── IndexMismatchError   the index was built with another embedding model
    ├── IndexNotFoundError   nothing indexed yet
    ├── StoreUnavailableError the Chroma store cannot be reached
    ├── SettingsError        a REPORTCHAT_* setting is invalid
    ├── CatalogDamagedError  the catalog file is damaged: `reportchat index --rebuild` recovers
    └── HomeNotWritableError the data home cannot be written (permissions, a read-only mount)

Each message is bilingual (Chinese, then English) and says what to do.
"""

from __future__ import annotations

from pathlib import Path


ECHO_CHARS = 80


def echo(value: object, limit: int = ECHO_CHARS) -> str:
    """A caller's value as a message quotes it: repr, cut to ``limit`` characters, so no input comes back whole."""
    text = repr(value)
    return text if len(text) <= limit else f"{text[:limit]}…({len(text)} chars)"


class ReportChatError(Exception):
    """Base class: every error the tool reports to a user."""


class ReportError(ReportChatError):
    def __init__(self, path: Path | str, reason_zh: str, reason_en: str) -> None:
        self.path = str(path)
        self.reason = f"{reason_zh} / {reason_en}"
        super().__init__(f"{self.path}: {self.reason}")


class IndexBusyError(ReportChatError):
    def __init__(self, home: Path) -> None:
        super().__init__(
            f"另一个索引任务正在使用 {home},请稍后再试 / "
            f"Another indexing run holds {home}; wait for it to finish and try again."
        )


class IndexCancelledError(ReportChatError):
    """Each report commits whole, so a cancelled run leaves every report either as before or fully updated."""

    def __init__(self) -> None:
        self.summary: object | None = None  # the run's IndexSummary up to the cancel, set by the indexer
        super().__init__(
            "索引已取消:取消前完成的报告已更新,其余报告保持原来的索引 / Indexing was cancelled: reports finished "
            "before it are updated, the others keep their previous index."
        )


class IndexMismatchError(ReportChatError):
    def __init__(self, built_with: str, configured: str) -> None:
        self.built_with, self.configured = built_with, configured
        super().__init__(
            f"索引由嵌入模型 {built_with!r} 构建,当前配置为 {configured!r};请运行 "
            f"`reportchat index --rebuild` / The index was built with embedding model "
            f"{built_with!r} but {configured!r} is configured: run `reportchat index --rebuild`."
        )


class IndexNotFoundError(ReportChatError):
    def __init__(self, home: Path) -> None:
        super().__init__(
            f"{home} 中还没有索引,请先运行 `reportchat index` / "
            f"No index in {home} yet: run `reportchat index` first."
        )


class StoreUnavailableError(ReportChatError):
    def __init__(self, where: str, cause: Exception) -> None:
        super().__init__(
            f"无法连接向量库 {where}:{cause} / Cannot reach the vector store at {where}: {cause}. "
            "Check that the Chroma server is running (CHROMA_HOST / CHROMA_PORT)."
        )


class SettingsError(ReportChatError):
    """A REPORTCHAT_* setting is invalid: the message names it and says what to give."""


class CatalogDamagedError(ReportChatError):
    """The catalog is the index's source of truth, but the reports are the source of the catalog: rebuild it."""

    def __init__(self, path: Path, cause: Exception | str) -> None:
        self.path, self.cause = path, cause
        command = f"reportchat index --rebuild --home {path.parent}"
        super().__init__(
            f"索引清单 {path} 已损坏({cause});请运行 `{command}`:损坏的文件会移到一旁保留(不删除),"
            f"并从报告文件夹重新建立索引,报告文件本身不受影响 / The catalog {path} is damaged ({cause}): "
            f"run `{command}`. It moves the damaged file aside (kept, not deleted) and re-indexes the "
            "reports folder; the report files themselves are not touched."
        )


class HomeNotWritableError(ReportChatError):
    def __init__(self, path: Path, cause: Exception | str) -> None:
        self.path = path
        if isinstance(cause, OSError) and cause.strerror:
            cause = cause.strerror  # "Permission denied", not a probe file's name
        super().__init__(
            f"数据目录不可写 {path}:{cause};请授予写权限,或用 --home / REPORTCHAT_HOME 指定可写的目录 / "
            f"The data home {path} is not writable: {cause}. Make it writable, or point --home / "
            "REPORTCHAT_HOME at a writable folder."
        )
