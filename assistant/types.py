"""The answer contract (DESIGN.md, "Answer JSON"): what the CLI, the HTTP API and the UI return."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Language = Literal["zh", "en"]


class Passage(BaseModel):
    """A retrieved chunk, ranked."""

    chunk_id: str
    report_id: str
    title: str
    year: int | None = None
    section: str
    text: str
    start: int  # span of the chunk in its report's text
    end: int
    score: float


class Citation(BaseModel):
    """A numbered source: the passage, and the exact sentence quoted from it, with its span."""

    n: int
    report_id: str
    title: str
    year: int | None = None
    section: str
    text: str
    quote: str
    start: int  # span of the quote in the report text
    end: int


class FigureRow(BaseModel):
    """One figure of the figures table (index/indicators.py), with its report: what the table views show."""

    figure_id: str
    report_id: str
    title: str
    place: str = ""  # the government, as its report names it: 云冈区
    year: int | None = None
    indicator: str  # in the report's words: 受理法律援助案件
    canonical: str  # the indicator it is grouped under: 法律援助案件
    indicator_en: str = ""  # its English name, from the glossary ("" when the glossary lacks it)
    value: float
    number: str  # as written: 249, 八百
    qualifier: str = ""  # 余/多/以上/约 …
    unit: str
    section: str
    quote: str  # the sentence it stands in
    start: int  # span of the sentence in the report text
    end: int


class Answer(BaseModel):
    question: str
    answer: str = Field(description="Markdown with [n] markers pointing at citations")
    found: bool = Field(description="False when the reports don't say")
    verified: bool = Field(
        default=True, description="False when a figure in the answer is not held by its citations"
    )
    language: Language
    answerer: str = "extractive"
    citations: list[Citation] = []
    passages: list[Passage] = []
    notes: list[str] = Field(default=[], description="What the user should know: filters applied, fallbacks")
    figures: list[FigureRow] = Field(
        default=[], description="Compare, rank, total and trend answers: the figures they are computed from"
    )
    draft: str = Field(
        default="",
        description="An answer withheld because a figure in it failed verification (an LLM's draft: its [n] "
        "markers number `passages`), for the caller who wants it; empty otherwise",
    )
    timings_ms: dict[str, float] = {}


class Draft(BaseModel):
    """What an answerer proposes; the assistant verifies it before anyone sees it as fact."""

    answer: str
    found: bool
    citations: list[Citation] = []
