"""Growth benchmark: index time, disk, query latency and memory at 10, 100 and 1,000 reports.

The generated corpus (benchmarks/generate_reports.py) is indexed in growing steps into
one data home — the first 10 reports, then up to 100, then up to 1,000, each step an
incremental run as a user would make — and after each step the same questions are asked
through the whole answering path (plan → hybrid retrieval → extractive answer → verify):

- index s / chunks/s: the step's indexing run and its throughput (the step adds 10, 90, 900);
- disk MB: the data home, plus the Chroma server's folder in server mode;
- query p50/p95 ms: ``Assistant.ask`` over questions about the first 10 reports (Chinese and
  English, so that every step asks the same answerable questions), after one warm-up round;
  retrieve p50 is the retrieval share of it; CPU p50 is the CPU time a question costs (this
  process, plus the ``chroma run`` process in server mode) — on a shared machine wall-clock
  latency mostly measures the neighbours, CPU time what the corpus size does;
- RSS MB: this process now and at its peak; in server mode also the ``chroma run`` process.

Each store mode runs in a child process of its own, one after the other, so their memory
figures stay apart: ``embedded`` (PersistentClient under the data home) and ``server`` (a
``chroma run`` on 127.0.0.1, through ``CHROMA_HOST``). Embedding dominates indexing and is
the same in both modes, so the first mode keeps the passage vectors it computed and the
later ones reuse them: their index time is everything but the embedder (pipeline, catalog,
Chroma writes). Queries are embedded live in every mode. Goal: query p50 at 1,000 reports
≤ 2× that at 10; RSS ≤ 1.5 GB. Figures only, no assertions; 1,000 small reports take
~15 min to embed on 2 idle cores.

    python benchmarks/bench_scale.py [--steps 10,100,1000] [--modes embedded,server] [--json]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import pickle
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path

from generate_reports import (  # benchmarks/ is on sys.path when run as a script
    GeneratedReport,
    generate_corpus,
)
from langchain_core.embeddings import Embeddings

_TOPICS_EN = {  # indicator in the generator → how an English user asks about it
    "受理的法律援助案件": "Legal aid cases {place} took on in {year}: how many?",
    "收到的行政复议申请": "{place}, {year}: reconsideration applications received?",
    "开展的执法检查": "How many law enforcement inspections did {place} carry out in {year}?",
    "化解的矛盾纠纷": "{place}, {year}: disputes settled — how many?",
    "开展的普法宣传活动": "How many legal publicity activities did {place} hold in {year}?",
    "行政诉讼案件": "How many administrative lawsuits did {place} have in {year}?",
    "主动公开的政府信息": "How many government information items did {place} publish in {year}?",
    "一般公共预算收入": "What was the general public budget revenue of {place} in {year}?",
}


class ReusedVectors(Embeddings):
    """Passage vectors from a file of earlier runs where the text was seen, computed (and kept) otherwise."""

    def __init__(self, inner: Embeddings, path: Path) -> None:
        self.inner, self.path = inner, path
        self.model_id = getattr(inner, "model_id", "unknown")
        self.vectors: dict[str, list[float]] = pickle.loads(path.read_bytes()) if path.exists() else {}
        self.computed = 0

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if _key(t) not in self.vectors]
        if missing:
            self.vectors.update(zip(map(_key, missing), self.inner.embed_documents(missing)))
            self.computed += len(missing)
        return [self.vectors[_key(t)] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(text)

    def save(self) -> None:
        self.path.write_bytes(pickle.dumps(self.vectors))


def _key(text: str) -> str:
    return hashlib.sha1(text.encode()).hexdigest()


@dataclass
class Step:
    mode: str
    reports: int
    chunks: int
    index_s: float
    chunks_per_s: float
    embedded_here: int  # passage vectors computed in this step (0 when reused from an earlier mode)
    disk_mb: float
    query_p50_ms: float
    query_p95_ms: float
    retrieve_p50_ms: float
    cpu_p50_ms: float
    found: float  # share of the questions answered (not declined)
    rss_mb: float
    peak_rss_mb: float
    server_rss_mb: float | None


def questions(reports: list[GeneratedReport], per_report: int = 4, seed: int = 0) -> list[str]:
    """Questions about ``reports`` whose answers they plant: half Chinese, half English where a phrasing exists."""
    from pypinyin import lazy_pinyin

    rng, asked = random.Random(seed), []
    for report in reports:
        facts = rng.sample(report.facts, min(per_report, len(report.facts)))
        for i, fact in enumerate(facts):
            english = _TOPICS_EN.get(fact.indicator)
            if english and i % 2:
                place = "".join(lazy_pinyin(report.place.removesuffix("市").removesuffix("区").removesuffix("县")))
                asked.append(english.format(place=place.capitalize(), year=report.year))
            else:
                asked.append(f"{report.place}{report.year}年{fact.indicator}是多少?")
    return asked


def run_mode(mode: str, steps: list[int], size: str, root: Path, vectors: Path) -> list[Step]:
    """Grow one data home through ``steps`` and measure after each; passage vectors are kept in ``vectors``."""
    from index import Indexer, Settings
    from index.embed import load_embeddings

    corpus = generate_corpus(root / "corpus", steps[-1], size=size)
    asked = questions(corpus[: steps[0]])
    with _store(mode, root) as (extra, server):
        settings = Settings(home=root / "home", reports_dir=root / "reports", **extra)
        embeddings = ReusedVectors(load_embeddings(settings.embedding_model), vectors)
        settings.reports_dir.mkdir(parents=True)
        results, done = [], 0
        for n in steps:
            for report in corpus[done:n]:
                shutil.copy(report.path, settings.reports_dir / report.path.name)
            _say(f"{mode}: indexing reports {done + 1}–{n} …")
            started = time.perf_counter()
            computed = embeddings.computed
            summary = Indexer(settings, embeddings=embeddings).run()
            index_s = time.perf_counter() - started
            embeddings.save()
            if summary.failed or len(summary.added) != n - done:
                raise SystemExit(f"{mode}: indexing went wrong: {summary.failed[:3]}")
            done = n
            _say(f"{mode}: asking {len(asked)} questions at {n} reports …")
            total, retrieve, cpu, found = _ask_all(settings, embeddings, asked, server.pid if server else None)
            disk = _disk_bytes(settings.home) + (_disk_bytes(root / "chroma-server") if server else 0)
            results.append(Step(
                mode=mode, reports=n, chunks=summary.chunks_indexed, index_s=round(index_s, 1),
                chunks_per_s=round(summary.chunks_embedded / index_s, 1),
                embedded_here=embeddings.computed - computed, disk_mb=round(disk / 1e6, 1),
                query_p50_ms=round(_percentile(total, 50), 1), query_p95_ms=round(_percentile(total, 95), 1),
                retrieve_p50_ms=round(_percentile(retrieve, 50), 1), cpu_p50_ms=round(_percentile(cpu, 50), 1), found=round(found, 2),
                rss_mb=round(rss_mb(os.getpid()), 1),
                peak_rss_mb=round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
                server_rss_mb=round(rss_mb(server.pid), 1) if server else None,
            ))
            _say(json.dumps(asdict(results[-1]), ensure_ascii=False))
    return results


def _ask_all(  # type: ignore[no-untyped-def]
    settings, embeddings, asked: list[str], server_pid: int | None
) -> tuple[list[float], list[float], list[float], float]:
    """Milliseconds per question (whole answer, retrieval share, CPU) and the share answered, after a warm-up round."""
    from assistant import Assistant
    from index import IndexReader

    bot = Assistant(settings, reader=IndexReader(settings, embeddings=embeddings))  # a fresh reader, as a new server
    for question in asked:
        bot.ask(question)
    total, retrieve, cpu, found = [], [], [], 0
    for question in asked:
        started, cpu_started = time.perf_counter(), cpu_seconds(server_pid)
        answer = bot.ask(question)
        total.append((time.perf_counter() - started) * 1000)
        cpu.append((cpu_seconds(server_pid) - cpu_started) * 1000)
        retrieve.append(answer.timings_ms.get("retrieve", 0.0))
        found += answer.found
    return total, retrieve, cpu, found / len(asked)


def cpu_seconds(other_pid: int | None = None) -> float:
    """CPU time of this process (all threads), plus another process's when given."""
    times = os.times()
    own = times.user + times.system
    if other_pid is None:
        return own
    fields = Path(f"/proc/{other_pid}/stat").read_text().rsplit(")", 1)[1].split()
    return own + (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@contextmanager
def _store(mode: str, root: Path) -> Iterator[tuple[dict[str, object], subprocess.Popen[bytes] | None]]:
    """Settings for the store mode, and the ``chroma run`` process in server mode."""
    if mode == "embedded":
        yield {}, None
        return
    server = start_chroma(root / "chroma-server")
    try:
        yield {"chroma_host": "127.0.0.1", "chroma_port": server.port}, server  # type: ignore[attr-defined]
    finally:
        server.terminate()
        server.wait(timeout=30)


def start_chroma(data: Path) -> subprocess.Popen[bytes]:
    """A real ``chroma run`` on a free loopback port (its port as ``.port``), once it accepts connections."""
    binary = shutil.which("chroma") or str(Path(sys.executable).parent / "chroma")
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    data.mkdir(parents=True, exist_ok=True)
    process = subprocess.Popen(
        [binary, "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    process.port = port  # type: ignore[attr-defined]
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("chroma run did not start within 60 s")


def rss_mb(pid: int) -> float:
    """Resident memory of a process now, from /proc."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _percentile(values: list[float], q: int) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else values[0]


def _disk_bytes(folder: Path) -> int:
    return sum(p.stat().st_blocks * 512 for p in folder.rglob("*") if p.is_file()) if folder.exists() else 0


def _say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


_COLUMNS = (  # (title, Step field, width, format)
    ("mode", "mode", 8, ""), ("reports", "reports", 7, "d"), ("chunks", "chunks", 6, "d"),
    ("index s", "index_s", 7, ".1f"), ("chunks/s", "chunks_per_s", 8, ".1f"), ("embedded", "embedded_here", 8, "d"),
    ("disk MB", "disk_mb", 7, ".1f"),
    ("q p50 ms", "query_p50_ms", 8, ".0f"), ("q p95 ms", "query_p95_ms", 8, ".0f"),
    ("retr p50", "retrieve_p50_ms", 8, ".0f"), ("cpu p50", "cpu_p50_ms", 7, ".0f"), ("found", "found", 5, ".2f"),
    ("RSS MB", "rss_mb", 6, ".0f"), ("peak MB", "peak_rss_mb", 7, ".0f"), ("server MB", "server_rss_mb", 9, ""),
)


def print_table(steps: list[Step]) -> None:
    print(f"reportchat scale benchmark — cpus {os.cpu_count()}, load {os.getloadavg()[0]:.1f}")
    print("  ".join(f"{title:>{width}}" for title, _, width, _ in _COLUMNS))
    for step in sorted(steps, key=lambda s: (s.reports, s.mode)):
        row = asdict(step) | {"server_rss_mb": "—" if step.server_rss_mb is None else f"{step.server_rss_mb:.0f}"}
        print("  ".join(f"{row[key]:>{width}{fmt}}" for _, key, width, fmt in _COLUMNS))
    for mode in dict.fromkeys(s.mode for s in steps):
        ordered = [s for s in steps if s.mode == mode]
        ratio = ordered[-1].query_p50_ms / ordered[0].query_p50_ms
        cpu_ratio = ordered[-1].cpu_p50_ms / ordered[0].cpu_p50_ms
        print(f"{mode}: query p50 at {ordered[-1].reports} / at {ordered[0].reports} reports = {ratio:.2f} "
              f"(goal ≤ 2), CPU p50 {cpu_ratio:.2f}; peak RSS {max(s.peak_rss_mb for s in ordered):.0f} MB (goal ≤ 1536)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="10,100,1000", help="corpus sizes to measure at (default 10,100,1000)")
    parser.add_argument("--modes", default="embedded,server", help="embedded, server or both (default both)")
    parser.add_argument("--size", choices=("small", "medium", "large"), default="medium", help="generated report size")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of a table")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)  # MODE VECTORS: one mode here, JSON out
    args = parser.parse_args(argv)
    steps = [int(n) for n in args.steps.split(",")]

    if args.child:
        mode, vectors = args.child
        with tempfile.TemporaryDirectory(prefix=f"bench-scale-{mode}-") as scratch:
            results = run_mode(mode, steps, args.size, Path(scratch), Path(vectors))
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False))
        return
    results = []
    with tempfile.TemporaryDirectory(prefix="bench-scale-vectors-") as shared:
        for mode in args.modes.split(","):
            child = subprocess.run(
                [sys.executable, __file__, "--child", mode, str(Path(shared) / "vectors.pickle"),
                 "--steps", args.steps, "--size", args.size],
                stdout=subprocess.PIPE, text=True, check=True,
            )
            results += [Step(**row) for row in json.loads(child.stdout.strip().splitlines()[-1])]
    if args.json:
        print(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=2))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
