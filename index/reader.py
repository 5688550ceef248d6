"""Read access to a built index: the catalog, dense search, lexical search.

Readers see exactly the chunks the catalog lists: Chroma may briefly hold
vectors of a report being indexed, and those are filtered out here.
"""

from __future__ import annotations

import threading

from langchain_core.embeddings import Embeddings

from index.catalog import Catalog, ChunkRecord, ReportRecord
from index.embed import load_embeddings
from index.errors import IndexMismatchError, IndexNotFoundError
from index.lexical import BM25Index, init_jieba, tokenize
from index.settings import Settings
from index.store import VectorStore


# What one query may embed. The embedder is shared by every question, and its cost grows faster than the text:
# a 1,000-character question would hold it for seconds. Bytes bound tokens in any script (a token covers at
# least one byte); the longest query the eval questions embed is 244 bytes.
MAX_EMBEDDED_BYTES = 300


class IndexReader:
    def __init__(
        self,
        settings: Settings,
        embeddings: Embeddings | None = None,
        store: VectorStore | None = None,
        catalog: Catalog | None = None,
    ) -> None:
        catalog_path = settings.home / "catalog.sqlite"
        if catalog is None and not catalog_path.exists():
            raise IndexNotFoundError(settings.home)
        self.settings = settings
        self.catalog = catalog or Catalog(catalog_path)
        self.embeddings = embeddings or load_embeddings(settings.embedding_model)
        self.store = store or VectorStore(settings, self.embeddings)
        self._lexical: tuple[int, BM25Index] | None = None
        self._reports: tuple[int, list[ReportRecord]] | None = None
        self._lock = threading.Lock()

    def check_model(self) -> str:
        """The collection to read; raises IndexMismatchError when built with another model."""
        built_with = self.catalog.get_meta("embedding_model")
        collection = self.catalog.get_meta("collection")
        if built_with is None or collection is None:
            raise IndexNotFoundError(self.settings.home)
        configured = getattr(self.embeddings, "model_id", self.settings.embedding_model)
        if built_with != configured:
            raise IndexMismatchError(built_with, configured)
        return collection

    def reports(self) -> list[ReportRecord]:
        """The indexed reports, read once per catalog generation."""
        generation = self.catalog.generation()
        with self._lock:
            if self._reports is None or self._reports[0] != generation:
                self._reports = (generation, self.catalog.reports())
            return self._reports[1]

    def chunks(self, chunk_ids: list[str]) -> list[ChunkRecord]:
        return self.catalog.chunks(chunk_ids)

    def dense(self, query: str, k: int, where: dict | None = None) -> list[tuple[str, float]]:
        """Nearest chunks to ``query`` (its first MAX_EMBEDDED_BYTES) by embedding, restricted to indexed ones."""
        collection = self.check_model()
        hits = self.store.query(collection, self.embeddings.embed_query(_utf8_prefix(query)), k * 2, where)
        live = {c.chunk_id for c in self.catalog.chunks(cid for cid, _ in hits)}
        return [(cid, score) for cid, score in hits if cid in live][:k]

    def lexical(self, query: str | list[str] | dict[str, float], k: int) -> list[tuple[str, float]]:
        """BM25 over jieba tokens; ``query`` is text, tokens, or tokens with weights."""
        tokens = tokenize(query) if isinstance(query, str) else query
        return self.lexical_index().search(tokens, k)

    def lexical_index(self) -> BM25Index:
        """Built from the catalog once, rebuilt when an indexing run has committed since."""
        generation = self.catalog.generation()
        with self._lock:
            if self._lexical is None or self._lexical[0] != generation:
                init_jieba(self.settings.home / "cache")
                rows = self.catalog.lexical_rows()
                self._lexical = (generation, BM25Index([r[0] for r in rows], [r[1].split() for r in rows]))
            return self._lexical[1]


def _utf8_prefix(text: str, limit: int = MAX_EMBEDDED_BYTES) -> str:
    """The longest start of ``text`` within ``limit`` UTF-8 bytes, never half a character."""
    return text.encode("utf-8", "surrogatepass")[:limit].decode("utf-8", "ignore")
