"""The verifier on model replies written outside the team: lies caught, faithful replies verified, cost.

Each reply of ``benchmarks/lies/suite.jsonl`` answers its question through a LangChain fake chat model,
over the sample report and the real reports of ``benchmarks/realeval``, as the assistant meets an LLM's
answer: its ``[n]`` is the passage, among those the model is shown, that holds the item's anchor. A lie is
caught when the reply is not shown as a verified answer of the model; a faithful reply must be.

Only aggregate scores are printed: the suite is held out (see its README), so no one tunes on its items.

    python benchmarks/bench_lies.py
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from langchain_core.language_models.fake_chat_models import FakeListChatModel

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_answers import REAL, ROOT, assistant_over  # noqa: E402

from assistant.llm import LLMAnswerer  # noqa: E402
from assistant import verify  # noqa: E402

SUITE = Path(__file__).resolve().parent / "lies" / "suite.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", type=Path, default=SUITE)
    args = parser.parse_args()
    items = [json.loads(line) for line in args.suite.read_text(encoding="utf-8").splitlines() if line.strip()]
    reports = sorted((ROOT / "reports").glob("*.txt")) + sorted((REAL / "reports").glob("*.txt"))
    with tempfile.TemporaryDirectory() as tmp:
        bot = assistant_over(reports, Path(tmp))
        outcomes: Counter[tuple[str, str, str]] = Counter()  # (label, language, outcome)
        by_kind: Counter[tuple[str, str, bool]] = Counter()
        costs: list[float] = []
        for item in items:
            language = "zh" if any("\u4e00" <= ch <= "\u9fff" for ch in item["question"]) else "en"
            passages = bot.ask(item["question"], answerer="extractive").passages
            shown = next((n for n, p in enumerate(passages, 1) if item["anchor"] in p.text), None)
            if shown is None:  # the anchor's passage is not among those the model would see
                outcomes[(item["label"], language, "unreachable")] += 1
                continue
            reply = item["reply"].replace("[n]", f"[{shown}]")
            bot.llm = LLMAnswerer(FakeListChatModel(responses=[reply]))
            answer = bot.ask(item["question"], answerer="llm")
            verified = answer.answerer == "llm" and answer.found and answer.verified
            right = verified == (item["label"] == "faithful")
            outcomes[(item["label"], language, "right" if right else "wrong")] += 1
            by_kind[(item["kind"], item["label"], right)] += 1
            verify._source_sentences.cache_clear()  # cold: as an answer over passages not read before
            verify._subject.cache_clear()
            started = time.perf_counter()
            bot._unsupported_in(reply, verify.passage_citations(passages))
            costs.append((time.perf_counter() - started) * 1000)
    print(f"{'label':9} {'lang':4} {'n':>4} {'right':>6} {'rate':>6} {'unreachable':>11}")
    for label in ("lie", "faithful"):
        for language in ("en", "zh", "all"):
            langs = ("en", "zh") if language == "all" else (language,)
            right = sum(outcomes[(label, lang, "right")] for lang in langs)
            wrong = sum(outcomes[(label, lang, "wrong")] for lang in langs)
            unreachable = sum(outcomes[(label, lang, "unreachable")] for lang in langs)
            rate = right / (right + wrong) if right + wrong else 0.0
            print(f"{label:9} {language:4} {right + wrong:4d} {right:6d} {rate:6.2f} {unreachable:11d}")
    print("\nright by kind (lie | faithful):")
    for kind in sorted({k for k, _, _ in by_kind}):
        cells = [f"{by_kind[(kind, label, True)]}/{by_kind[(kind, label, True)] + by_kind[(kind, label, False)]}"
                 for label in ("lie", "faithful")]
        print(f"  {kind:16} {cells[0]:>7} | {cells[1]:>7}")
    costs.sort()
    print(f"\nverification per answer: p50 {statistics.median(costs):.2f} ms, "
          f"p95 {costs[int(0.95 * (len(costs) - 1))]:.2f} ms, max {costs[-1]:.2f} ms (n={len(costs)})")


if __name__ == "__main__":
    main()
