"""What a few costly-but-valid requests do to everyone else's latency.

Starts `reportchat serve` on a fresh data home holding the sample report, then measures
one client asking ordinary questions (``/api/ask``) for ``--seconds`` in each phase: alone;
beside ``--clients`` clients asking ordinary questions too (the fair share of the CPUs); beside
as many sending 1,000-character questions (the limit); and beside as many sending a 20 KB chat
history with a follow-up. Prints the ordinary questions' p50/p95 in each phase and how many
requests the other clients got served. Timings only: nothing is asserted (the machine's load
moves them).

    python benchmarks/bench_hostile_requests.py [--clients 4] [--seconds 15] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import httpx

# benchmarks/ is on sys.path when run as a script
from bench_load import SAMPLE, SAMPLE_QUESTIONS, start_server

from assistant.pipeline import MAX_QUESTION_CHARS

HISTORY_BYTES = 20_000


def other_requests(report: str) -> dict[str, dict[str, Any]]:
    """What the other clients send: an ordinary question, then costly ones made of the report's own words.

    The long question names every topic of the report and no place or year that would narrow the search
    to nothing (and so skip it): it is as costly as a question within the limit can be.
    """
    import jieba

    words = dict.fromkeys(
        w for w in jieba.cut(report) if re.fullmatch(r"[\u4e00-\u9fff]{2,}", w) and not re.search("[省市区县]", w)
    )
    listed = ""
    for word in words:
        if len(listed) + len(word) > MAX_QUESTION_CHARS - 10:
            break
        listed += word + "、"
    body = report[report.index("一、"):]
    turn = body[: HISTORY_BYTES // 3 // 2]  # 3 bytes a character in UTF-8; a question and an answer
    return {
        "ordinary questions": {"question": SAMPLE_QUESTIONS[0]},
        "long questions": {"question": listed.rstrip("、") + "分别是多少?"},
        "20 KB histories": {"question": "那复议呢?", "history": [[turn, turn]]},
    }


def run(url: str, other: dict[str, Any] | None, clients: int, seconds: float) -> dict[str, Any]:
    """One ordinary client for ``seconds``, beside ``clients`` sending ``other`` (none when it is None)."""
    stop = time.monotonic() + seconds
    ordinary: list[float] = []
    served = [0] * clients

    def ask_ordinary() -> None:
        with httpx.Client(base_url=url, timeout=600) as http:
            i = 0
            while time.monotonic() < stop:
                started = time.monotonic()
                http.post("/api/ask", json={"question": SAMPLE_QUESTIONS[i % len(SAMPLE_QUESTIONS)]}).raise_for_status()
                ordinary.append(time.monotonic() - started)
                i += 1

    def ask_other(n: int) -> None:
        with httpx.Client(base_url=url, timeout=600) as http:
            while time.monotonic() < stop:
                http.post("/api/ask", json=other).raise_for_status()
                served[n] += 1

    threads = [threading.Thread(target=ask_ordinary)]
    threads += [threading.Thread(target=ask_other, args=(n,)) for n in range(clients if other else 0)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    cuts = statistics.quantiles(ordinary, n=100, method="inclusive") if len(ordinary) > 1 else ordinary * 99
    return {"ordinary": len(ordinary), "p50_s": round(cuts[49], 3), "p95_s": round(cuts[94], 3),
            "others_served": sum(served)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=4, help="other clients beside the ordinary one (default 4)")
    parser.add_argument("--seconds", type=float, default=15, help="length of each phase (default 15)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as scratch:
        root = Path(scratch)
        (root / "reports").mkdir()
        shutil.copy(SAMPLE, root / "reports" / SAMPLE.name)
        print("indexing the sample report on the server's first start …", file=sys.stderr, flush=True)
        server, url = start_server(root, root / "reports")
        try:
            httpx.post(f"{url}/api/ask", json={"question": SAMPLE_QUESTIONS[0]}, timeout=600).raise_for_status()
            phases = {"alone": run(url, None, 0, args.seconds)}
            for name, other in other_requests(SAMPLE.read_text(encoding="utf-8")).items():
                phases[f"beside {args.clients} clients sending {name}"] = run(url, other, args.clients, args.seconds)
        finally:
            server.terminate()
            server.wait(timeout=60)
    result = {"clients": args.clients, "seconds": args.seconds, "cpus": os.cpu_count(),
              "load_avg_1m": round(os.getloadavg()[0], 1), "phases": phases}
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return
    print(f"ordinary questions, {args.seconds:g} s a phase ({result['cpus']} cpus, load {result['load_avg_1m']})")
    for name, phase in phases.items():
        print(f"  {name:45s} p50 {phase['p50_s']:6.2f} s  p95 {phase['p95_s']:6.2f} s  "
              f"({phase['ordinary']} asked; the others got {phase['others_served']} served)")


if __name__ == "__main__":
    main()
