"""Answer quality and latency on four question sets, strictly scored (assistant/evaluate.py).

    python benchmarks/bench_answers.py [--public PATH] [--sets public,own,dev,blind] [--json]

- public: ../shared/eval/public.jsonl over the sample report (reports/);
- own: tests/data/eval/questions.jsonl over the sample report plus the distractor
  reports of tests/data/eval/reports/ (other districts, another year, look-alike figures);
- dev and blind: benchmarks/realeval/ — questions in users' own words, written by people who
  saw neither the answering code nor its tuning, over real published reports (one index of
  the sample report and all of them). Tune on dev; of blind, read only these aggregates
  (its per-question outcomes are never printed).

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
REAL = ROOT / "benchmarks" / "realeval"
SETS = ("public", "own", "dev", "blind")


def assistant_over(reports: list[Path], workdir: Path) -> Assistant:
    corpus = workdir / "reports"
    corpus.mkdir(parents=True)
    for report in reports:
        shutil.copy(report, corpus / report.name)
    settings = Settings(home=workdir / "home", reports_dir=corpus)
    Indexer(settings).run()
    bot = Assistant(settings)
    bot.warm_up()  # as the server does: model, jieba, BM25, dictionary
    return bot


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--public", type=Path, default=ROOT.parent / "shared" / "eval" / "public.jsonl")
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: " + ", ".join(SETS))
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sample = sorted((ROOT / "reports").glob("*.txt"))
    real = sample + sorted((REAL / "reports").glob("*.txt"))
    corpora = {
        "public": ([args.public], sample),
        "own": ([OWN / "questions.jsonl"], sample + sorted((OWN / "reports").glob("*.txt"))),
        "dev": (sorted(REAL.glob("*-dev.jsonl")), real),
        "blind": (sorted(REAL.glob("*-blind.jsonl")), real),
    }
    wanted = [name for name in args.sets.split(",") if name in corpora and all(p.exists() for p in corpora[name][0])]
    results: dict[str, Report] = {}
    with tempfile.TemporaryDirectory() as tmp:
        bots: dict[tuple[Path, ...], Assistant] = {}
        for name in wanted:
            golds, reports = corpora[name]
            key = tuple(reports)
            if key not in bots:
                bots[key] = assistant_over(reports, Path(tmp) / str(len(bots)))
            bot = bots[key]
            items = [item for gold in golds for item in load_gold(gold)]
            results[name] = evaluate(items, lambda q, bot=bot: bot.ask(q, answerer="extractive"))
    if "blind" in results:
        results["blind"].outcomes = []  # aggregates only
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
