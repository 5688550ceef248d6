"""Answer quality and latency on two question sets, each over its own index.

    python benchmarks/bench_answers.py [--public PATH] [--json]

- public: ../shared/eval/public.jsonl over the sample report (reports/);
- own: tests/data/eval/questions.jsonl over the sample report plus the distractor
  reports of tests/data/eval/reports/ (other districts, another year, look-alike figures).

Prints hit@1/hit@3/MRR, answer accuracy, decline accuracy, unverified answers and
p50/p95 latency of warm extractive asks, per language. No timing assertions: figures only.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import shutil
import tempfile
from pathlib import Path

from assistant.evaluate import Report, evaluate, load_gold
from assistant.pipeline import Assistant
from index import Indexer, Settings

ROOT = Path(__file__).resolve().parents[1]
OWN = ROOT / "tests" / "data" / "eval"


def run(name: str, gold: Path, reports: list[Path], workdir: Path) -> Report:
    corpus = workdir / name / "reports"
    corpus.mkdir(parents=True)
    for report in reports:
        shutil.copy(report, corpus / report.name)
    settings = Settings(home=workdir / name / "home", reports_dir=corpus)
    Indexer(settings).run()
    bot = Assistant(settings)
    bot.warm_up()  # as the server does: model, jieba, BM25, dictionary
    return evaluate(load_gold(gold), lambda q: bot.ask(q, answerer="extractive"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", type=Path, default=ROOT.parent / "shared" / "eval" / "public.jsonl")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sample = sorted((ROOT / "reports").glob("*.txt"))
    sets = {"own": (OWN / "questions.jsonl", sample + sorted((OWN / "reports").glob("*.txt")))}
    if args.public.exists():
        sets["public"] = (args.public, sample)
    with tempfile.TemporaryDirectory() as tmp:
        results = {name: run(name, gold, reports, Path(tmp)) for name, (gold, reports) in sets.items()}
    if args.json:
        print(json.dumps({k: dataclasses.asdict(v) for k, v in results.items()}, ensure_ascii=False))
        return
    header = f"{'set':8} {'slice':6} {'n':>4} {'hit@1':>6} {'hit@3':>6} {'MRR':>5} {'acc':>5} {'decl':>5} {'unver':>5} {'p50ms':>6} {'p95ms':>6}"
    print(header)
    for name, report in results.items():
        for slice_name, s in [("all", report.overall), *report.by_language.items()]:
            print(
                f"{name:8} {slice_name:6} {s.n:4d} {s.hit1:6.2f} {s.hit3:6.2f} {s.mrr:5.2f} {s.accuracy:5.2f} "
                f"{s.declines:5.2f} {s.unverified:5d} {s.p50_ms:6.0f} {s.p95_ms:6.0f}"
            )


if __name__ == "__main__":
    main()
