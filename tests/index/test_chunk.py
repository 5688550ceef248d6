"""index.chunk: sections are cut into chunks that are exact spans of the report, under a
token budget, ending at sentence boundaries, with ids that stay put while the report does.

The invariants are checked over the seed report and over a synthetic one that holds
every shape the chunker meets (see ``synthetic_report`` in conftest.py).
"""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from index.chunk import Chunk, chunk_report, embedding_text
from index.load import load_report
from index.metadata import extract_metadata
from index.sections import PATH_SEPARATOR, split_sections
from index.tokens import count_tokens

BUDGETS = (64, 160, 400)
_SENTENCE_END = re.compile(r"[。！？；!?;]+[”’」』)）\"']*")
_CLAUSE_END = re.compile(r"[,，、:：]+")


def _report(request: pytest.FixtureRequest, name: str):
    return request.getfixturevalue(name)


def _boundaries(pattern: re.Pattern[str], text: str) -> set[int]:
    ends = {m.end() for m in pattern.finditer(text)}
    ends |= {m.start() for m in re.finditer(r"\n", text)} | {m.end() for m in re.finditer(r"\n", text)}
    return ends | {0, len(text)}


def _enclosing(boundaries: list[int], offset: int) -> tuple[int, int]:
    """The span between the boundaries on either side of ``offset``."""
    before = max(b for b in boundaries if b < offset)
    after = min(b for b in boundaries if b > offset)
    return before, after


def chunks_of(report, budget: int) -> list[Chunk]:
    return chunk_report(report.text, report.sections, f"{report.path.stem}:{report.content_hash}", budget)


# --- exact spans, coverage and order ---------------------------------------------------

REPORTS = ("sample", "synthetic")


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("which", REPORTS)
def test_chunk_text_is_its_span(request: pytest.FixtureRequest, which: str, budget: int) -> None:
    report = _report(request, which)
    for chunk in chunks_of(report, budget):
        assert chunk.text == report.text[chunk.start : chunk.end]
        assert chunk.text == chunk.text.strip() and chunk.text


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("which", REPORTS)
def test_every_character_of_the_body_is_in_exactly_one_chunk(
    request: pytest.FixtureRequest, which: str, budget: int
) -> None:
    report = _report(request, which)
    owners = [0] * len(report.text)
    for chunk in chunks_of(report, budget):
        for i in range(chunk.start, chunk.end):
            owners[i] += 1
    assert max(owners) == 1, "chunks overlap"
    body_start = report.meta.body_start
    missed = [i for i in range(body_start, len(report.text)) if not report.text[i].isspace() and owners[i] == 0]
    assert not missed, f"not in any chunk: {report.text[missed[0]:missed[0] + 20]!r}"
    assert not any(owners[:body_start]), "the header is not chunked"


@pytest.mark.parametrize("which", REPORTS)
def test_chunks_are_in_reading_order_within_their_sections(request: pytest.FixtureRequest, which: str) -> None:
    report = _report(request, which)
    chunks = chunks_of(report, 160)
    assert [c.seq for c in chunks] == list(range(len(chunks)))
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))
    for chunk in chunks:
        (section,) = [s for s in report.sections if s.start <= chunk.start < s.end]
        assert chunk.end <= section.end, "a chunk never crosses a heading"
        assert chunk.section == section.path


# --- the token budget ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("which", "budget"),
    [
        ("sample", 64),
        ("sample", 160),
        ("sample", 400),
        ("synthetic", 64),
        ("synthetic", 160),
        ("synthetic", 400),
    ],
)
def test_no_chunk_is_over_the_token_budget(request: pytest.FixtureRequest, which: str, budget: int) -> None:
    report = _report(request, which)
    over = [(count_tokens(c.text), c.text[:30]) for c in chunks_of(report, budget) if count_tokens(c.text) > budget]
    assert not over


def test_budget_counts_the_blank_lines_between_sentences() -> None:
    text = "(一)标题\n" + " \n \n".join(["甲乙丙。"] * 200) + "\n"
    sections = split_sections(text)
    assert max(count_tokens(c.text) for c in chunk_report(text, sections, "r", 64)) <= 64


def test_a_small_budget_makes_more_chunks(sample) -> None:
    counts = [len(chunks_of(sample, budget)) for budget in BUDGETS]
    assert counts[0] > counts[1] > counts[2] >= len(sample.sections)


def test_a_big_budget_keeps_each_section_whole(sample) -> None:
    chunks = chunks_of(sample, 100_000)
    assert len(chunks) == len(sample.sections)
    for chunk, section in zip(chunks, sample.sections):
        assert sample.text[section.start : section.end].strip() == chunk.text


# --- sentence boundaries ---------------------------------------------------------------


@pytest.mark.parametrize("budget", BUDGETS)
@pytest.mark.parametrize("which", REPORTS)
def test_chunks_end_at_sentence_boundaries_unless_a_sentence_is_over_budget(
    request: pytest.FixtureRequest, which: str, budget: int
) -> None:
    report = _report(request, which)
    text = report.text
    sentence_ends = sorted(_boundaries(_SENTENCE_END, text))
    sentence_set = set(sentence_ends)
    clause_ends = sorted(_boundaries(_CLAUSE_END, text) | sentence_set)
    clause_set = set(clause_ends)
    chunks = chunks_of(report, budget)
    cut_inside = 0
    for chunk in chunks[:-1]:
        end = chunk.end
        if end in sentence_set:
            continue
        cut_inside += 1
        start, stop = _enclosing(sentence_ends, end)
        sentence = text[start:stop].strip()
        assert count_tokens(sentence) > budget, f"cut inside a sentence within budget: {chunk.text[-20:]!r}"
        if end in clause_set:
            continue
        start, stop = _enclosing(clause_ends, end)
        assert count_tokens(text[start:stop].strip()) > budget, f"cut inside a clause within budget: {chunk.text[-20:]!r}"
    longest = max(count_tokens(text[a:b].strip()) for a, b in zip(sentence_ends, sentence_ends[1:]))
    if longest <= budget:
        assert cut_inside == 0  # every sentence fits: every chunk ends at a sentence end
    if which == "synthetic":
        assert cut_inside > 0  # its 2,000-character and comma-separated sentences are over any budget here


def test_long_sentence_without_punctuation_is_split_by_length() -> None:
    sentence = ("法治政府建设年度报告行政执法监督复议调解援助" * 100)[:2000]
    assert len(sentence) == 2000 and count_tokens(sentence) > 400
    text = "一、举措\n" + sentence + "\n二、不足\n短句。\n"
    sections = split_sections(text)
    for budget in BUDGETS:
        chunks = chunk_report(text, sections, "r", budget)
        pieces = [c for c in chunks if sentence.find(c.text) >= 0 and c.text != "一、举措"]
        assert "".join(c.text for c in pieces) == sentence
        assert len(pieces) >= count_tokens(sentence) // budget
        assert all(count_tokens(c.text) <= budget for c in pieces)
        assert chunks[-1].text == "二、不足\n短句。"


def test_long_sentence_is_split_at_commas_first() -> None:
    clause = "全面推进严格规范公正文明执法持续深化行政复议体制改革"  # well under 64 tokens
    sentence = "，".join(f"{clause}{i}" for i in range(20)) + "。"
    assert count_tokens(sentence) > 400
    text = "一、举措\n" + sentence + "下一句。\n"
    for budget in BUDGETS:
        chunks = chunk_report(text, split_sections(text), "r", budget)
        assert "".join(c.text for c in chunks).replace("\n", "") == text.replace("\n", "")
        for chunk in chunks[:-1]:
            assert chunk.text.endswith("，"), chunk.text[-10:]
        assert chunks[-1].text.endswith("下一句。")


def test_closing_quotes_stay_with_their_sentence() -> None:
    text = "一、举措\n" + "推行“一网通办”。" * 3 + "他说:“办成了！”" + "全面推进依法行政。" * 30 + "\n"
    for chunk in chunk_report(text, split_sections(text), "r", 32):
        assert not chunk.text.startswith("”")
        assert chunk.text.count("“") == chunk.text.count("”")


# --- ids -------------------------------------------------------------------------------


def test_ids_are_unique_and_stable_across_calls(sample) -> None:
    first, second = chunks_of(sample, 160), chunks_of(sample, 160)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)
    assert all(re.fullmatch(r"[0-9a-f]+", c.id) for c in first)


@pytest.mark.slow  # a subprocess that imports the index package
def test_ids_are_stable_across_processes(sample, sample_path: Path) -> None:
    script = (
        "import json, sys\n"
        "from pathlib import Path\n"
        "from index.load import load_report\n"
        "from index.metadata import extract_metadata\n"
        "from index.sections import split_sections\n"
        "from index.chunk import chunk_report\n"
        "path = Path(sys.argv[1])\n"
        "loaded = load_report(path)\n"
        "meta = extract_metadata(loaded.text, path)\n"
        "sections = split_sections(loaded.text, meta.body_start)\n"
        "seed = f'{path.stem}:{loaded.content_hash}'\n"
        "print(json.dumps([c.id for c in chunk_report(loaded.text, sections, seed, 160)]))\n"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run(
        [sys.executable, "-c", script, str(sample_path)], capture_output=True, text=True, env=env, check=True
    )
    assert json.loads(out.stdout) == [c.id for c in chunks_of(sample, 160)]


def test_ids_change_when_the_content_hash_changes(tmp_path: Path, sample_path: Path) -> None:
    path = tmp_path / sample_path.name
    original = sample_path.read_text(encoding="utf-8")

    def ids() -> list[str]:
        loaded = load_report(path)
        meta = extract_metadata(loaded.text, path)
        sections = split_sections(loaded.text, meta.body_start)
        return [c.id for c in chunk_report(loaded.text, sections, f"{path.stem}:{loaded.content_hash}", 160)]

    path.write_text(original, encoding="utf-8")
    before = ids()
    path.write_text(original, encoding="utf-8")  # rewritten unchanged: same ids
    assert ids() == before
    path.write_text(original.replace("249件", "250件"), encoding="utf-8")
    after = ids()
    assert len(after) == len(before)
    assert not set(after) & set(before)


def test_ids_depend_on_the_seed(sample) -> None:
    a = chunk_report(sample.text, sample.sections, "report-a:hash", 160)
    b = chunk_report(sample.text, sample.sections, "report-b:hash", 160)
    assert [c.text for c in a] == [c.text for c in b]
    assert not {c.id for c in a} & {c.id for c in b}


# --- what the embedder sees ------------------------------------------------------------


def test_embedding_text_prefixes_title_and_section_path(sample) -> None:
    (chunk,) = [c for c in chunks_of(sample, 160) if "受理法律援助案件249件" in c.text]
    embedded = embedding_text(chunk, sample.meta.title)
    head, body = embedded.split("\n", 1)
    assert body == chunk.text
    assert head == sample.meta.title + PATH_SEPARATOR + chunk.section
    assert head.startswith("大同市云冈区2025年法治政府建设年度报告 › 一、本年度推进法治政府建设的主要举措和成效 › (六)")


def test_embedding_text_without_section_or_title() -> None:
    chunk = Chunk(id="x", seq=0, section="", start=0, end=6, text="全年受理案件。")
    assert embedding_text(chunk, "年度报告") == "年度报告\n全年受理案件。"
    assert embedding_text(chunk, "") == "全年受理案件。"
    with_section = Chunk(id="x", seq=0, section="一、举措 › (一)执法", start=0, end=6, text="全年受理案件。")
    assert embedding_text(with_section, "") == "一、举措 › (一)执法\n全年受理案件。"


def test_the_chunk_text_itself_carries_no_prefix(sample) -> None:
    for chunk in chunks_of(sample, 160):
        assert not chunk.text.startswith(sample.meta.title)


# --- cost: linear in the text, whatever its shape ----------------------------------------

_HOSTILE_BODIES = {
    "a 1 MB line of Chinese without punctuation": lambda rng: "".join(rng.choices("法治政府建设年度报告", k=333_333)),
    "a line of Latin letters without spaces": lambda rng: "".join(rng.choices("abcdefghij", k=200_000)),
    "a run of commas": lambda rng: "，" * 100_000,
    "a hundred thousand one-character lines": lambda rng: "甲\n" * 100_000,
    "a hundred thousand two-character sentences": lambda rng: "甲。" * 100_000,
    "a gap of 200,000 spaces between two sentences": lambda rng: "甲。" + " " * 200_000 + "乙。",
}


@pytest.mark.parametrize("shape", _HOSTILE_BODIES)
def test_chunking_counts_tokens_over_bounded_spans_in_time_linear_in_the_text(
    monkeypatch: pytest.MonkeyPatch, shape: str
) -> None:
    """tiktoken never sees more than ``max_tokens`` × the longest token's characters at once (no
    longer span can fit), and all it sees adds up to a few times the text, not its square."""
    import index.chunk
    from index.tokens import encoding

    budget = 160
    window = budget * max(len(token) for token in encoding().token_byte_values())
    counted: list[int] = []

    def counting(span: str) -> int:
        assert len(span) <= window, f"tokens counted over {len(span):,} characters at once"
        counted.append(len(span))
        return count_tokens(span)

    text = "一、举措\n" + _HOSTILE_BODIES[shape](random.Random(0)) + "\n"
    monkeypatch.setattr(index.chunk, "count_tokens", counting)
    chunks = chunk_report(text, split_sections(text), "r", budget)
    monkeypatch.undo()

    assert sum(counted) <= 16 * len(text)
    assert all(c.text == text[c.start : c.end] and count_tokens(c.text) <= budget for c in chunks)
    assert all(a.end <= b.start for a, b in zip(chunks, chunks[1:]))
    bounds = [0] + [i for c in chunks for i in (c.start, c.end)] + [len(text)]
    outside = "".join(text[a:b] for a, b in zip(bounds[::2], bounds[1::2]))
    assert not outside.strip(), "a character in no chunk"
