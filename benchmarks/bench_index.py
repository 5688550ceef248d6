"""Indexing benchmark: the index pipeline against its raw embedder, re-indexing, memory and disk.

For the sample corpus (reports/) and a generated corpus, each indexed into a fresh data
home, in this one process:

- index: ``Indexer(settings).run([folder])`` from scratch, in chunks embedded per second;
- raw: a fresh embedder of the same model on the very texts the index embedded (rebuilt
  from the catalog with ``embedding_text``), in batches of ``settings.embed_batch`` — the
  batches the indexer fills across reports, so both sides feed the embedder alike ("batch
  i/r" prints the mean texts per embedder call of each); index/raw is the share of the
  embedder's speed the pipeline keeps (goal ≥ 0.9);
- reindex: a second run over the unchanged corpus (a new ``Indexer``, as a new CLI call);
- cores: the process's CPU seconds per wall second in the index and raw phases. The two
  should match; a lower figure in one phase means other work took the CPU then, and the
  ratio is not to be trusted (run again on a quiet machine);
- peak RSS of the process so far (``ru_maxrss``) and the data home's size on disk, with the
  share of it that is jieba's dictionary cache (written only into the first home a process opens).

It prints figures and asserts nothing about timing. The sample is one report, so its
index/raw mostly shows the ~2 s an index run spends starting up (jieba's dictionary,
the Chroma client); the generated corpus shows the steady state. The default run takes
about 6 minutes on 2 idle cores.

    python benchmarks/bench_index.py [--reports 200] [--size small] [--home DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

# benchmarks/ is on sys.path when run as a script
from generate_reports import generate_corpus
from langchain_core.embeddings import Embeddings

from index import Catalog, Indexer, Settings, load_embeddings
from index.chunk import Chunk, embedding_text

SAMPLE_CORPUS = Path(__file__).resolve().parents[1] / "reports"


@dataclass
class Result:
    corpus: str
    reports: int
    chunks: int
    chars_per_chunk: float  # of the embedded text: title › section path, then the chunk
    index_s: float
    index_chunks_per_s: float
    raw_s: float
    raw_chunks_per_s: float
    index_over_raw: float
    index_batch: float  # mean texts per embedder call, in the index run …
    raw_batch: float  # … and in the raw one
    index_cores: float
    raw_cores: float
    reindex_s: float
    peak_rss_mb: float
    home_mb: float
    cache_mb: float  # of which jieba's dictionary cache: only the first data home a process opens gets one


def bench(name: str, folder: Path, settings: Settings) -> Result:
    """Index ``folder`` into the empty data home of ``settings``, then time the raw embedder and a re-index."""
    _say(f"{name}: indexing {folder} …")
    embeddings = CountingEmbeddings(load_embeddings(settings.embedding_model))
    started, cpu = time.perf_counter(), cpu_seconds()
    first = Indexer(settings, embeddings=embeddings).run([folder])
    index_s, index_cpu = time.perf_counter() - started, cpu_seconds() - cpu
    if first.failed:
        raise SystemExit(f"{name}: indexing failed: {first.failed[:3]}")

    texts = embedded_texts(settings.home)
    if len(texts) != first.chunks_embedded:
        raise SystemExit(f"{name}: the catalog lists {len(texts)} chunks, the run embedded {first.chunks_embedded}")
    _say(f"{name}: raw embedder on {len(texts)} texts …")
    cpu = cpu_seconds()
    raw_s = time_embedder(settings, texts)
    raw_cpu = cpu_seconds() - cpu

    _say(f"{name}: re-indexing the unchanged corpus …")
    started = time.perf_counter()
    second = Indexer(settings).run([folder])
    reindex_s = time.perf_counter() - started
    if second.chunks_embedded or len(second.unchanged) != len(first.added):
        raise SystemExit(f"{name}: re-indexing an unchanged corpus was not a no-op: {second}")

    return Result(
        corpus=name, reports=len(first.added), chunks=len(texts),
        chars_per_chunk=round(sum(map(len, texts)) / max(len(texts), 1), 1),
        index_s=round(index_s, 2), index_chunks_per_s=round(len(texts) / index_s, 2),
        raw_s=round(raw_s, 2), raw_chunks_per_s=round(len(texts) / raw_s, 2),
        index_over_raw=round(raw_s / index_s, 3), index_batch=round(embeddings.mean_batch, 1),
        raw_batch=round(len(texts) / -(-len(texts) // settings.embed_batch), 1), index_cores=round(index_cpu / index_s, 2),
        raw_cores=round(raw_cpu / raw_s, 2), reindex_s=round(reindex_s, 2),
        peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        home_mb=round(disk_bytes(settings.home) / 1e6, 2),
        cache_mb=round(disk_bytes(settings.home / "cache") / 1e6, 2),
    )


class CountingEmbeddings(Embeddings):
    """An embedder that counts the calls the indexer makes to it, to show the batches it fills."""

    def __init__(self, inner: Embeddings) -> None:
        self.inner = inner
        self.model_id: str = getattr(inner, "model_id", "unknown")
        self.calls = self.texts = 0

    @property
    def mean_batch(self) -> float:
        return self.texts / self.calls if self.calls else 0.0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        self.calls, self.texts = self.calls + 1, self.texts + len(texts)
        return self.inner.embed_documents(texts)

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)


def embedded_texts(home: Path) -> list[str]:
    """What the indexer gave the embedder, rebuilt from the catalog: every chunk under its title and section."""
    catalog = Catalog(home / "catalog.sqlite")
    try:
        return [
            embedding_text(Chunk(c.chunk_id, c.seq, c.section, c.start, c.end, c.text), report.title)
            for report in catalog.reports()
            for c in catalog.chunks_of(report.report_id)
        ]
    finally:
        catalog.close()


def time_embedder(settings: Settings, texts: list[str]) -> float:
    """Seconds a fresh embedder of the configured model takes over ``texts``, in the indexer's batch size."""
    embeddings = load_embeddings(settings.embedding_model)
    batch = settings.embed_batch
    started = time.perf_counter()
    for i in range(0, len(texts), batch):
        embeddings.embed_documents(texts[i : i + batch])
    return time.perf_counter() - started


def cpu_seconds() -> float:
    """CPU time of this process so far, all threads, user and system."""
    times = os.times()
    return times.user + times.system


def disk_bytes(folder: Path) -> int:
    """Space the files under ``folder`` take on disk (allocated blocks, as ``du``)."""
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def environment(settings: Settings) -> dict[str, object]:
    return {
        "embedding_model": settings.embedding_model, "embed_batch": settings.embed_batch,
        "index_batch_chunks": settings.index_batch_chunks,
        "chunk_tokens": settings.chunk_tokens, "cpus": os.cpu_count(),
        "load_avg_1m": round(os.getloadavg()[0], 2), "python": platform.python_version(),  # load at the end
    }


_COLUMNS = (  # (title, Result field, width, format); "cores" and "batch" join their index_ and raw_ fields
    ("corpus", "corpus", 15, ""), ("reports", "reports", 7, "d"), ("chunks", "chunks", 6, "d"),
    ("chars/ch", "chars_per_chunk", 8, ".0f"), ("index s", "index_s", 7, ".1f"),
    ("index ch/s", "index_chunks_per_s", 10, ".2f"), ("raw s", "raw_s", 7, ".1f"),
    ("raw ch/s", "raw_chunks_per_s", 8, ".2f"), ("index/raw", "index_over_raw", 9, ".2f"),
    ("batch i/r", "batch", 9, ""),
    ("cores i/r", "cores", 9, ""), ("reindex s", "reindex_s", 9, ".2f"), ("peak RSS MB", "peak_rss_mb", 11, ".0f"),
    ("home MB", "home_mb", 7, ".1f"), ("cache MB", "cache_mb", 8, ".1f"),
)


def print_table(env: dict[str, object], results: list[Result]) -> None:
    print("reportchat index benchmark — " + ", ".join(f"{k} {v}" for k, v in env.items()))
    print("  ".join(f"{title:{'<' if key == 'corpus' else '>'}{width}}" for title, key, width, _ in _COLUMNS))
    for result in results:
        row = asdict(result) | {
            "cores": f"{result.index_cores:.1f}/{result.raw_cores:.1f}",
            "batch": f"{result.index_batch:.1f}/{result.raw_batch:.1f}",
        }
        print("  ".join(f"{row[key]:{'<' if key == 'corpus' else '>'}{width}{fmt}}" for _, key, width, fmt in _COLUMNS))
    print(
        f"raw: a fresh embedder on the texts the index embedded, in batches of {env['embed_batch']} as the indexer "
        "fills them across reports (batch i/r: mean texts per embedder call); index/raw goal ≥ 0.9"
    )


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=200, help="size of the generated corpus (default 200)")
    parser.add_argument("--size", choices=("small", "medium", "large"), default="small", help="generated report size")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--home", type=Path, help="keep the corpus and data homes here (default: a temporary folder)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    args = parser.parse_args(argv)

    settings = Settings()  # REPORTCHAT_* still choose the model, batch and chunk size
    with tempfile.TemporaryDirectory(prefix="bench-index-") as scratch:
        root = args.home or Path(scratch)
        if args.home and args.home.exists() and any(args.home.iterdir()):
            raise SystemExit(f"--home {args.home} is not empty: the benchmark needs fresh data homes")
        corpus = root / "corpus"
        generate_corpus(corpus, args.reports, seed=args.seed, size=args.size)
        results = [
            bench("sample", SAMPLE_CORPUS, settings.with_home(root / "home-sample")),
            bench(f"generated-{args.size}", corpus, settings.with_home(root / "home-generated")),
        ]
        env = environment(settings)
    if args.json:
        print(json.dumps({"environment": env, "results": [asdict(r) for r in results]}, ensure_ascii=False, indent=2))
    else:
        print_table(env, results)


if __name__ == "__main__":
    main()
