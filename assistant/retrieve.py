"""Hybrid retrieval: dense + BM25, fused by reciprocal rank, then reranked by the question's terms.

Dense retrieval finds Chinese passages for Chinese questions well and English
ones poorly; BM25 over the Chinese terms the planner carried over finds them
by their words. The rerank prefers passages that hold more of the question's
terms (section path included) and a figure of the kind asked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from assistant.query import UNIT_KINDS, QueryPlan
from assistant.types import Passage
from index.catalog import ChunkRecord, ReportRecord
from index.figures import find_figures, fold
from index.lexical import tokenize
from index.reader import IndexReader

TITLE = re.compile(r"《[^《》]{2,80}》")  # a named document, plan or campaign
_RRF_K = 60
_CANDIDATES = 30
GIVEN_WEIGHT = 0.2  # a passage holding the figures the question states


@dataclass(frozen=True)
class Filters:
    """What the user narrowed the search to (UI / API), on top of what the question names."""

    report_ids: frozenset[str] | None = None
    year: int | None = None


@dataclass
class Retrieval:
    passages: list[Passage]
    scope: set[str] | None  # the reports searched, None for all
    notes: list[str]  # why nothing may answer (no report of the place or year asked)
    remarks: list[str] = field(default_factory=list)  # what the reader should know of the answer's source


def figure_kind(unit: str) -> str:
    for kind, units in UNIT_KINDS.items():
        if unit in units:
            return kind
    return "count" if unit and unit not in ("年", "月", "日") else ""


class HybridRetriever:
    def __init__(self, reader: IndexReader) -> None:
        self.reader = reader

    def retrieve(self, plan: QueryPlan, k: int = 5, filters: Filters | None = None) -> Retrieval:
        reports = {r.report_id: r for r in self.reader.reports()}
        scope, notes, remarks = _scope(plan, reports, filters or Filters())
        if scope is not None and not scope:
            return Retrieval([], scope, notes, remarks)
        where = {"report_id": {"$in": sorted(scope)}} if scope is not None else None

        rankings = [self.reader.dense(plan.search_text, _CANDIDATES, where)]
        if plan.language == "en" and plan.search_text != plan.question:
            rankings.append(self.reader.dense(plan.question, _CANDIDATES, where))
        rankings.append(self._lexical(plan, scope))
        fused: dict[str, float] = {}
        for ranking in rankings:
            for rank, (chunk_id, _) in enumerate(ranking):
                fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (_RRF_K + rank)
        candidates = sorted(fused, key=fused.__getitem__, reverse=True)[:_CANDIDATES]
        chunks = [c for c in self.reader.chunks(candidates) if c.report_id in reports]  # committed since: next time
        top = max(fused.values(), default=1.0)
        scored = [(self._score(plan, chunk, fused[chunk.chunk_id] / top), chunk) for chunk in chunks]
        scored.sort(key=lambda pair: pair[0], reverse=True)
        passages = [_passage(chunk, reports[chunk.report_id], score) for score, chunk in scored[:k]]
        return Retrieval(passages, scope, notes, remarks)

    def _lexical(self, plan: QueryPlan, scope: set[str] | None) -> list[tuple[str, float]]:
        weights: dict[str, float] = {}
        for term, weight in plan.term_weights().items():
            for token in tokenize(term):
                weights[token] = max(weights.get(token, 0.0), weight)
        hits = self.reader.lexical(weights, _CANDIDATES * (4 if scope is not None else 1))
        if scope is None:
            return hits[:_CANDIDATES]
        allowed = {c.chunk_id for c in self.reader.chunks([cid for cid, _ in hits]) if c.report_id in scope}
        return [hit for hit in hits if hit[0] in allowed][:_CANDIDATES]

    @staticmethod
    def _score(plan: QueryPlan, chunk: ChunkRecord, fused: float) -> float:
        fit = kind_match(plan, chunk.text) if plan.kinds else names_several(plan, chunk.text) if plan.listing else 0.0
        return 0.35 * fused + 0.5 * plan.coverage(chunk.text, chunk.section) + 0.15 * fit + GIVEN_WEIGHT * plan.holds_given(chunk.text)


def kind_match(plan: QueryPlan, text: str) -> float:
    """1 when the text holds a figure of the kind (and unit) asked, else 0."""
    if not plan.kinds:
        return 0.0
    figures = find_figures(fold(text))
    if plan.units and any(f.unit in plan.units for f in figures):
        return 1.0
    return 1.0 if any(figure_kind(f.unit) in plan.kinds for f in figures) else 0.0


def names_several(plan: QueryPlan, text: str) -> float:
    """1 when the text names things one by one: 《titles》, or what is asked for in a row (A培训和B培训)."""
    if TITLE.search(text):
        return 1.0
    return 1.0 if any(
        re.search(f"{re.escape(zh)}(和|与|及|以及|、)[^,，。;；]{{1,40}}?{re.escape(zh)}", text) for zh in plan.listed
    ) else 0.0


def _scope(
    plan: QueryPlan, reports: dict[str, ReportRecord], filters: Filters,
) -> tuple[set[str] | None, list[str], list[str]]:
    """The reports to search: the user's filters, then the places and year the question names; with the
    notes that say why none may answer, and remarks on the reports that do."""
    notes: list[str] = []
    remarks: list[str] = []
    if plan.unindexed_places:  # 北京市 asked of, Yungang indexed: no other report answers for it
        names = "、".join(plan.unindexed_places)
        return set(), [f"没有关于{names}的报告 / No indexed report is of {names}."], []
    scope = set(filters.report_ids) if filters.report_ids else None
    if filters.year is not None:
        scope = {r for r in (scope or reports) if r in reports and reports[r].year == filters.year}
    named = plan.report_ids
    if named is not None:
        scope = named if scope is None else scope & named
    if plan.year is not None:
        pool = scope if scope is not None else set(reports)
        where = "、".join(plan.places) or ("the selected reports" if scope is not None else "any report")
        found: set[str] = set()
        for year in plan.years or (plan.year,):
            # Ids named a moment ago may be gone now (a report removed in between), or were never indexed.
            same_year = {r for r in pool if r in reports and reports[r].year == year}
            # A report also speaks of the year before its own: a 2023 政府工作报告 reviews 2022, a 2025 report
            # compares with 2024. With no report of the year asked, the next year's that mentions it answers.
            looking_back = set() if same_year else {
                r for r in pool if r in reports and reports[r].year == year + 1
                and f"{year}年" in reports[r].text[reports[r].body_start:]
            }
            if not same_year and looking_back:
                remarks.append(f"{year} 年的情况引自 {year + 1} 年的报告({where})/ "
                               f"{year} as the {year + 1} report of {where} tells it.")
            elif not same_year:
                notes.append(f"没有 {year} 年的报告({where})/ No {year} report is indexed for {where}.")
            found |= same_year or looking_back
        scope = found
    return scope, notes, remarks


def _passage(chunk: ChunkRecord, report: ReportRecord, score: float) -> Passage:
    return Passage(
        chunk_id=chunk.chunk_id, report_id=chunk.report_id, title=report.title, year=report.year,
        section=chunk.section, text=chunk.text, start=chunk.start, end=chunk.end, score=round(score, 4),
    )

