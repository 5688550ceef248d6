"""Hostile-files benchmark: what files built to be expensive cost the loader and the chunker.

- chunker: ``chunk_report`` over one line of Chinese without sentence or clause ends
  (no 。！？；!?; and no newline) of 0.1, 1 and 10 MB, at the configured chunk budget. Linear
  means the seconds per MB stay about the same as the text grows (the old bisection took
  142 s for 1 MB, about 16 h for 20 MB).
- loader: ``load_report`` on DOCX tables whose spans claim 10^8 columns or are malformed,
  a 1 MB DOCX within the zip-bomb limits that expands to tens of millions of characters, and
  a PDF naming an unknown stream filter, after an ordinary DOCX as the baseline. Each file
  loads in a fresh process, which reports its wall time, its peak RSS (VmHWM: the
  interpreter and the parsers included, as the baseline shows) and the outcome: the
  text's length, or the ReportError.

Figures only, no assertions; the default run takes about half a minute on 2 cores.

    python benchmarks/bench_hostile_files.py [--sizes 0.1,1,10] [--budget 160] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the shared generators live in tests/

from index.chunk import chunk_report
from index.sections import split_sections
from index.settings import Settings
from tests.hostile_files import docx_with_table, pdf_with_unknown_filter

_WORDS = "法治政府建设年度报告行政执法监督复议调解援助"


def unpunctuated(megabytes: float, seed: int = 0) -> str:
    """A section heading, then one line of Chinese without punctuation, ``megabytes`` of UTF-8."""
    rng = random.Random(seed)
    return "一、举措\n" + "".join(rng.choices(_WORDS, k=int(megabytes * 1e6) // 3)) + "\n"


def bench_chunker(megabytes: float, budget: int) -> dict[str, object]:
    text = unpunctuated(megabytes)
    started = time.perf_counter()
    chunks = chunk_report(text, split_sections(text), "bench", budget)
    seconds = time.perf_counter() - started
    return {"mb": megabytes, "chars": len(text), "chunks": len(chunks), "s": seconds, "s_per_mb": seconds / megabytes}


# --- hostile files -------------------------------------------------------------------------


def docx_table(cell_props: str) -> bytes:
    return docx_with_table([["项目", "数量"], ["法律援助案件", "249件"]], first_cell_props=cell_props)


def expanding_docx(xml_mb: int = 150, seed: int = 0) -> bytes:
    """A DOCX of about 1 MB whose document.xml inflates to ``xml_mb`` MB of paragraphs (about 50 M
    characters), varied just enough to stay under the loader's zip-bomb ratio of 200."""
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    genuine = zipfile.ZipFile(buffer)
    head, tail = genuine.read("word/document.xml").decode().split("<w:body>")
    rng = random.Random(seed)
    sentence = "全年共受理法律援助案件"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for info in genuine.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, genuine.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            entry.write((head + "<w:body>").encode())
            written = 0
            while written < xml_mb * 1_000_000:
                text = "".join(sentence + str(rng.randrange(10)) * (rng.randrange(20) == 0) for _ in range(500))
                paragraph = f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>".encode()
                entry.write(paragraph)
                written += len(paragraph)
            entry.write(tail.encode())
    return out.getvalue()


HOSTILE_FILES = {  # name → (file name, how to make it)
    "ordinary DOCX": ("ordinary.docx", lambda: docx_table("")),  # the baseline
    "gridSpan 10^8 DOCX": ("span.docx", lambda: docx_table('<w:gridSpan w:val="100000000"/>')),
    "gridSpan 'abc' DOCX": ("span-abc.docx", lambda: docx_table('<w:gridSpan w:val="abc"/>')),
    "first-row vMerge DOCX": ("vmerge.docx", lambda: docx_table("<w:vMerge/>")),
    "expanding 1 MB DOCX": ("expanding.docx", expanding_docx),
    "unknown-filter PDF": ("filter.pdf", pdf_with_unknown_filter),
}

_CHILD = """
import json, re, sys, time
from pathlib import Path
from index.errors import ReportError
from index.load import load_report
started = time.perf_counter()
try:
    outcome = f"text of {len(load_report(Path(sys.argv[1])).text):,} chars"
except ReportError as exc:
    outcome = "ReportError: " + exc.reason.split(" / ", 1)[1]
seconds = time.perf_counter() - started
peak_kb = int(re.search(r"VmHWM:\\s+(\\d+)", Path("/proc/self/status").read_text()).group(1))
print(json.dumps({"s": seconds, "peak_rss_mb": peak_kb / 1024, "outcome": outcome}))
"""


def bench_load(name: str, path: Path, timeout: float) -> dict[str, object]:
    """Load ``path`` in a fresh process: its time, peak RSS and outcome (or a timeout)."""
    result: dict[str, object] = {"file": name, "kb": path.stat().st_size / 1024}
    try:
        run = subprocess.run(
            [sys.executable, "-c", _CHILD, str(path)], capture_output=True, text=True, timeout=timeout, check=True
        )
    except subprocess.TimeoutExpired:
        return result | {"s": timeout, "peak_rss_mb": float("nan"), "outcome": f"timed out after {timeout:g} s"}
    except subprocess.CalledProcessError as exc:
        return result | {"s": float("nan"), "peak_rss_mb": float("nan"), "outcome": exc.stderr.strip().splitlines()[-1]}
    return result | json.loads(run.stdout)


def print_tables(env: dict[str, object], chunker: list[dict[str, object]], loads: list[dict[str, object]]) -> None:
    print("reportchat hostile-files benchmark — " + ", ".join(f"{k} {v}" for k, v in env.items()))
    print(f"chunker on one line of Chinese without punctuation, {env['budget']} tokens a chunk")
    print(f"{'MB':>6}  {'chars':>10}  {'chunks':>7}  {'seconds':>7}  {'s/MB':>5}")
    for row in chunker:
        print(f"{row['mb']:>6g}  {row['chars']:>10,}  {row['chunks']:>7,}  {row['s']:>7.2f}  {row['s_per_mb']:>5.2f}")
    print("load_report, each file in a fresh process (peak RSS includes the interpreter and parsers: see the baseline)")
    print(f"{'file':<22}  {'KB':>7}  {'seconds':>7}  {'peak RSS MB':>11}  outcome")
    for row in loads:
        print(f"{row['file']:<22}  {row['kb']:>7.1f}  {row['s']:>7.2f}  {row['peak_rss_mb']:>11.0f}  {row['outcome']}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,1,10", help="MB of text for the chunker (default 0.1,1,10)")
    parser.add_argument(
        "--budget", type=int, default=Settings().chunk_tokens, help="chunk budget (default: REPORTCHAT_CHUNK_TOKENS)"
    )
    parser.add_argument("--timeout", type=float, default=300, help="seconds a file may take to load (default 300)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON instead of tables")
    args = parser.parse_args(argv)

    bench_chunker(0.001, args.budget)  # warm-up: tiktoken reads its ranks on first use
    chunker = [bench_chunker(float(size), args.budget) for size in args.sizes.split(",")]
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as scratch:
        loads = []
        for name, (file_name, make) in HOSTILE_FILES.items():
            path = Path(scratch) / file_name
            path.write_bytes(make())
            loads.append(bench_load(name, path, args.timeout))
    env = {"budget": args.budget, "cpus": os.cpu_count(), "python": platform.python_version()}
    if args.json:
        print(json.dumps({"environment": env, "chunker": chunker, "load": loads}, ensure_ascii=False, indent=2))
    else:
        print_tables(env, chunker, loads)


if __name__ == "__main__":
    main()
