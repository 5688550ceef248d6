"""The errors a user can act on.

    ReportChatError
    ├── ReportError          one report could not be read (the others still index)
    ├── IndexBusyError       another indexer holds the data home
    ├── IndexMismatchError   the index was built with another embedding model
    ├── IndexNotFoundError   nothing indexed yet
    └── StoreUnavailableError the Chroma store cannot be reached

Each message is bilingual (Chinese, then English) and says what to do.
"""

from __future__ import annotations

from pathlib import Path


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
