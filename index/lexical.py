"""Lexical retrieval: jieba tokens scored with BM25 (Okapi).

Dense retrieval misses exact terms and figures ("249", "行政复议"), and it
cannot carry an English question to a Chinese passage; BM25 over jieba
tokens can, once the question's terms are put into Chinese.
"""

from __future__ import annotations

import logging
import math
import re
import threading
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

_jieba_lock = threading.Lock()
_jieba_ready = False
_KEEP = re.compile(r"[\w\u4e00-\u9fff%]")
_STOPWORDS = frozenset(
    "的 了 和 与 及 或 等 在 对 为 是 把 被 将 并 其 中 上 下 年 全 共 各 个 有 以 于 从 向 "
    "a an the of and or to in on for by with is are was were be as at it this that".split()
)


def init_jieba(cache_dir: Path | None = None) -> None:
    """Load jieba's dictionary once per process, caching it under the data home."""
    global _jieba_ready
    with _jieba_lock:
        if _jieba_ready:
            return
        import jieba

        jieba.setLogLevel(logging.WARNING)
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            jieba.dt.tmp_dir = str(cache_dir)
        jieba.initialize()
        _jieba_ready = True


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens, lower-cased, without punctuation and stopwords."""
    init_jieba()
    import jieba

    return [
        token
        for token in (t.strip().lower() for t in jieba.cut_for_search(text))
        if token and _KEEP.search(token) and token not in _STOPWORDS
    ]


class BM25Index:
    """An inverted index scored with BM25; a query costs only its terms' postings."""

    def __init__(self, ids: list[str], token_lists: list[list[str]], k1: float = 1.2, b: float = 0.75) -> None:
        self.ids = ids
        self.k1, self.b = k1, b
        lengths = np.array([len(tokens) for tokens in token_lists], dtype=np.float32)
        self._avg_length = float(lengths.mean()) if len(lengths) else 0.0
        self._norm = k1 * (1 - b + b * lengths / self._avg_length) if len(lengths) else lengths
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        for doc, tokens in enumerate(token_lists):
            for token in tokens:
                postings[token][doc] = postings[token].get(doc, 0) + 1
        n = len(ids)
        self._postings = {
            token: (np.fromiter(docs.keys(), np.int32), np.fromiter(docs.values(), np.float32),
                    math.log(1 + (n - len(docs) + 0.5) / (len(docs) + 0.5)))
            for token, docs in postings.items()
        }

    def __len__(self) -> int:
        return len(self.ids)

    def rarity(self, token: str) -> float:
        """0 for a token in every document, 1 for one in a single document (or none)."""
        posting = self._postings.get(token)
        if posting is None or len(self.ids) < 2:
            return 1.0
        return posting[2] / math.log(1 + (len(self.ids) - 0.5) / 1.5)

    def __contains__(self, token: object) -> bool:
        """Whether any document holds ``token``."""
        return token in self._postings

    def scores(self, query_tokens: Iterable[str] | Mapping[str, float]) -> np.ndarray:
        """BM25 of every document; a mapping weighs each query token."""
        weights = query_tokens if isinstance(query_tokens, Mapping) else dict.fromkeys(query_tokens, 1.0)
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for token, weight in weights.items():
            posting = self._postings.get(token)
            if posting is None:
                continue
            docs, tf, idf = posting
            scores[docs] += weight * idf * tf * (self.k1 + 1) / (tf + self._norm[docs])
        return scores

    def search(self, query_tokens: Iterable[str] | Mapping[str, float], k: int) -> list[tuple[str, float]]:
        """The ``k`` best (id, score) pairs with a positive score, best first."""
        if not self.ids or k <= 0:
            return []
        scores = self.scores(query_tokens)
        k = min(k, len(scores))
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top], kind="stable")]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
