"""Load benchmark: many concurrent API clients against one server on 127.0.0.1.

Starts `reportchat serve` as its own process on a fresh data home holding the sample
report and generated ones (it indexes them on first start), then runs ``--clients``
client threads for ``--seconds``, each asking in turn Chinese and English questions
with answers in the corpus, through the official openai client (chat completions,
plain and streamed) and httpx (``/api/ask``). Prints the requests, the errors (any
exception or non-2xx), latency p50/p95, throughput and the server's RSS (now and
peak). The default — 50 clients for 60 s — is the figure issue 5 asks for; the
test suite runs a bounded version (tests/assistant/test_load.py).

    python benchmarks/bench_load.py [--clients 50] [--seconds 60] [--reports 20] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

import httpx
import openai

# benchmarks/ is on sys.path when run as a script
from bench_scale import questions, rss_mb
from generate_reports import generate_corpus

SAMPLE = Path(__file__).resolve().parents[1] / "reports" / "datong-yungang-2025-fazhi-zhengfu.txt"
SAMPLE_QUESTIONS = [
    "云冈区去年办了几件法律援助?",
    "How many legal aid cases did Yungang take on in 2025?",
    "云冈区去年接了几件复议?",
    "Yungang 2025: reconsideration cases received, and how many closed?",
]


def start_server(root: Path, reports: Path) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log = (root / "server.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "assistant.cli", "serve", "--home", str(root / "home"), "--port", str(port)],
        env=os.environ | {"REPORTCHAT_REPORTS_DIR": str(reports), "GRADIO_ANALYTICS_ENABLED": "False"},
        stdout=log, stderr=log,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 1800
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/healthz", timeout=5).status_code == 200:
                return process, url
        except httpx.TransportError:
            pass
        time.sleep(1)
    process.kill()
    raise SystemExit(f"the server did not come up; see {root / 'server.log'}")


def ask(url: str, question: str, way: int) -> None:
    """One request; raises on any failure (a non-2xx status included)."""
    if way == 0:
        httpx.post(f"{url}/api/ask", json={"question": question}, timeout=600).raise_for_status()
        return
    ai = openai.OpenAI(base_url=f"{url}/v1", api_key="any", max_retries=0, timeout=600)
    messages = [{"role": "user", "content": question}]
    if way == 1:
        ai.chat.completions.create(model="reportchat", messages=messages)
    else:
        list(ai.chat.completions.create(model="reportchat", messages=messages, stream=True))


def load(url: str, asked: list[str], clients: int, seconds: float, server: subprocess.Popen[bytes]) -> dict:
    latencies: list[float] = []
    errors: Counter[str] = Counter()
    peak_rss = [rss_mb(server.pid)]
    stop = time.monotonic() + seconds

    def client(n: int) -> None:
        i = n
        while time.monotonic() < stop:
            started = time.monotonic()
            try:
                ask(url, asked[i % len(asked)], i % 3)
                latencies.append(time.monotonic() - started)
            except Exception as exc:  # noqa: BLE001 -- every failure is counted, by kind
                errors[type(exc).__name__] += 1
            i += clients

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    while any(t.is_alive() for t in threads):
        peak_rss.append(rss_mb(server.pid))
        time.sleep(0.5)
    wall = time.monotonic() - started
    peak_rss.append(rss_mb(server.pid))
    cuts = statistics.quantiles(latencies, n=100, method="inclusive") if len(latencies) > 1 else latencies * 99
    return {
        "clients": clients, "seconds": seconds, "wall_s": round(wall, 1), "requests": len(latencies) + sum(errors.values()),
        "ok": len(latencies), "errors": sum(errors.values()), "error_kinds": dict(errors),
        "p50_s": round(cuts[49], 2), "p95_s": round(cuts[94], 2),
        "throughput_rps": round(len(latencies) / wall, 2),
        "server_rss_mb": round(peak_rss[-1], 1), "server_peak_rss_mb": round(max(peak_rss), 1),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--reports", type=int, default=20, help="generated reports beside the sample (default 20)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-load-") as scratch:
        root = Path(scratch)
        reports = root / "reports"
        corpus = generate_corpus(reports, args.reports, size="small")
        shutil.copy(SAMPLE, reports / SAMPLE.name)
        print(f"indexing {args.reports + 1} reports on the server's first start …", file=sys.stderr, flush=True)
        server, url = start_server(root, reports)
        try:
            result = load(url, SAMPLE_QUESTIONS + questions(corpus[:10], per_report=2), args.clients, args.seconds, server)
        finally:
            server.terminate()
            server.wait(timeout=60)
    result["reports"] = args.reports + 1
    result["cpus"], result["load_avg_1m"] = os.cpu_count(), round(os.getloadavg()[0], 1)
    if args.json:
        print(json.dumps(result, indent=2))
    else:
        print(f"reportchat load benchmark — {result['clients']} clients × {result['seconds']:g} s against one server "
              f"({result['reports']} reports; {result['cpus']} cpus, load {result['load_avg_1m']})")
        print(f"requests {result['requests']}  ok {result['ok']}  errors {result['errors']} {result['error_kinds'] or ''}")
        print(f"latency p50 {result['p50_s']} s  p95 {result['p95_s']} s  throughput {result['throughput_rps']} req/s")
        print(f"server RSS {result['server_rss_mb']:.0f} MB (peak {result['server_peak_rss_mb']:.0f} MB)")


if __name__ == "__main__":
    main()
