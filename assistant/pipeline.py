"""The Assistant: question → plan → retrieve → answer → verify → cited Answer.

One object per process holds the loaded parts (embedder, jieba, glossary, the
lexical index); the CLI, the HTTP API and the web chat all go through it.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable, Collection, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING, Literal

from assistant.extractive import HEADER_SUFFIX, ExtractiveAnswerer, not_found
from assistant.figure_table import FigureTable, format_value
from assistant.glossary import Dictionary, Glossary
from assistant.injection import without_instructions
from assistant.places import PlaceIndex
from assistant.query import QueryPlan, QueryPlanner
from assistant.retrieve import Filters, HybridRetriever
from assistant.table_answers import TableAnswer, TableAnswerer
from assistant.types import Answer, Citation, Draft, Passage
from assistant.verify import passage_citations, unsupported_figures
from assistant.verify import warm_up as warm_up_verifier
from index.catalog import ReportRecord
from index.errors import ReportChatError
from index.lexical import tokenize
from index.reader import IndexReader
from index.settings import Settings

if TYPE_CHECKING:
    from assistant.langchain_retriever import ReportRetriever

AnswererChoice = Literal["auto", "extractive", "llm"]
History = list[tuple[str, str]]  # (question, answer) pairs, oldest first

MAX_QUESTION_CHARS = 1000
MAX_HISTORY_TURNS = 8  # a follow-up is read against the latest turns; older ones would only cost time
MAX_ANSWER_CHARS = 4 * MAX_QUESTION_CHARS
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # JSON can carry one ("\\ud800"); no encoder takes it
_WARM_UP_QUESTIONS = ("法律援助办了几件?", "Legal aid caseload?")
_FOLLOW_UP = re.compile(r"^\s*(那|那么|还有|另外|以及|and\b|what about|how about|also\b)", re.I)


class QuestionError(ReportChatError):
    """The question itself cannot be asked (empty, too long, not text)."""


class Assistant:
    def __init__(self, settings: Settings, reader: IndexReader | None = None, llm: object | None = None) -> None:
        self.settings = settings
        self.reader = reader or IndexReader(settings)
        self.glossary = Glossary.load(settings.glossary)
        self.planner = QueryPlanner(
            self.glossary, Dictionary(settings.home / "cache"), self._in_reports, self._rarity
        )
        self.retriever = HybridRetriever(self.reader)
        self.extractive = ExtractiveAnswerer(self.glossary)
        self.figures = FigureTable(self.reader, self.glossary)
        self.table_answerer = TableAnswerer(self.figures)
        self.llm = llm
        self._places: tuple[int, PlaceIndex] | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> "Assistant":
        return cls.from_settings_with_reader(settings, IndexReader(settings))

    @classmethod
    def from_settings_with_reader(cls, settings: Settings, reader: IndexReader) -> "Assistant":
        """The assistant the settings describe (with the LLM when one is configured)."""
        llm = None
        if settings.llm_model:
            from assistant.llm import LLMAnswerer

            llm = LLMAnswerer.from_settings(settings)
        return cls(settings, reader=reader, llm=llm)

    # --- public API ---------------------------------------------------------------------
    def warm_up(self) -> None:
        """Load what a first question would wait seconds for: the embedder, jieba, the lexical index, the dictionary,
        the verifier's part-of-speech tagger."""
        for question in _WARM_UP_QUESTIONS:
            self.ask(question, answerer="extractive")
        warm_up_verifier()
        self.planner.dictionary.lookup("panda")  # read only for an English word the glossary lacks
        self.places().unindexed("北京")  # CC-CEDICT's places: read for the first question that names none indexed

    def retrieve(self, question: str, k: int = 5, filters: Filters | None = None) -> list[Passage]:
        plan = self.plan(question)
        return self.retriever.retrieve(plan, k, filters).passages

    def as_retriever(self, k: int = 5, filters: Filters | None = None) -> "ReportRetriever":
        """A LangChain retriever over the same hybrid search."""
        from assistant.langchain_retriever import ReportRetriever

        return ReportRetriever(assistant=self, k=k, filters=filters)

    def ask(
        self, question: str, history: History | None = None, filters: Filters | None = None,
        answerer: AnswererChoice = "auto",
    ) -> Answer:
        final = None
        for event in self.stream(question, history, filters, answerer):
            if isinstance(event, Answer):
                final = event
        assert final is not None
        return final

    def stream(
        self, question: str, history: History | None = None, filters: Filters | None = None,
        answerer: AnswererChoice = "auto",
    ) -> Iterator[str | Answer]:
        """Text as it is produced (provisional), then the verified Answer (final)."""
        question = check_question(question)
        started = time.perf_counter()
        notes: list[str] = []
        use_llm = self.llm is not None and answerer in ("auto", "llm")
        if answerer == "llm" and self.llm is None:
            notes.append("未配置大模型,使用抽取式回答 / No LLM is configured: answered extractively.")
        plan = self._plan_in_context(question, _recent(history or []), use_llm, notes)
        # "How many summary-procedure cases" where no report mentions one: no total of all cases stands in for
        # it; nor do the indexed reports answer for a place none of them is of.
        unanswerable = plan.unmentioned or plan.unindexed_places
        table = None if unanswerable else self.table_answerer.answer(plan, filters)
        if table is not None:  # compare / rank / total / trend over many reports: from the figures table
            yield self._table_answer(question, plan, table, started)
            return
        retrieval = self.retriever.retrieve(plan, 5, filters)
        notes += retrieval.notes + retrieval.remarks
        if plan.wider_places:
            wider = "、".join(plan.wider_places)
            notes.append(
                f"没有{wider}整体的报告,只有其下辖地区的报告 / No report covers {wider} as a whole, only "
                "districts within it: ask about one of them."
            )
        passages = without_instructions(self._with_headers(plan, retrieval.passages, retrieval.scope))
        retrieved = time.perf_counter()

        draft: Draft | None = None
        used = "extractive"
        if passages and not (retrieval.notes or plan.wider_places):
            if use_llm and not plan.unmentioned:
                try:
                    # The standalone question: a follow-up ("and in 2024?") was rewritten into it.
                    llm_events = self.llm.stream(plan.question, plan.language, passages)  # type: ignore[union-attr]
                    for event in _sentences_held(llm_events, passages, self._unsupported_in):
                        if isinstance(event, Draft):
                            draft = event
                        else:
                            yield event
                    used = "llm"
                except ReportChatError as exc:
                    notes.append(f"大模型不可用,改用抽取式回答 / The LLM failed ({exc}); answered extractively.")
                    draft = None
            if draft is None:
                for event in self.extractive.stream(plan, passages):
                    if isinstance(event, Draft):
                        draft = event
                    else:
                        yield event
        draft = draft or not_found(plan)
        draft, verified, used, withheld = self._verified(draft, plan, passages, used, notes)
        if draft.found:
            notes += _whose_figure(draft.citations, retrieval.scope, self.reader.reports())
        answer_text = draft.answer
        if not draft.found and notes:
            answer_text += "\n\n" + "\n".join(notes)
        yield Answer(
            question=question, answer=answer_text, found=draft.found, verified=verified, language=plan.language,
            answerer=used, citations=draft.citations, passages=passages, notes=notes, draft=withheld,
            timings_ms={
                "retrieve": round((retrieved - started) * 1000, 1),
                "answer": round((time.perf_counter() - retrieved) * 1000, 1),
            },
        )

    def plan(self, question: str, translated: str | None = None) -> QueryPlan:
        return self.planner.plan(question, self.places(), translated)

    def _in_reports(self, word: str) -> bool:
        lexical = self.reader.lexical_index()
        return all(token in lexical for token in tokenize(word)) if word else False

    def _rarity(self, word: str) -> float:
        lexical = self.reader.lexical_index()
        return max((lexical.rarity(token) for token in tokenize(word)), default=1.0)

    def places(self) -> PlaceIndex:
        generation = self.reader.catalog.generation()
        if self._places is None or self._places[0] != generation:
            self._places = (generation, PlaceIndex(self.reader.reports()))
        return self._places[1]

    # --- steps ------------------------------------------------------------------------------
    def _plan_in_context(self, question: str, history: History, use_llm: bool, notes: list[str]) -> QueryPlan:
        if history and use_llm:
            try:
                question = self.llm.rewrite(question, history)  # type: ignore[union-attr]
            except ReportChatError as exc:
                notes.append(f"追问改写失败 / Follow-up rewrite failed: {exc}")
        translated = None
        if use_llm and self.planner.plan(question, self.places()).language == "en":
            try:
                translated = self.llm.translate(question)  # type: ignore[union-attr]
            except ReportChatError as exc:
                notes.append(f"翻译失败,使用词表 / LLM translation failed, used the glossary: {exc}")
        plan = self.plan(question, translated)
        if history and not use_llm:
            previous = self.plan(history[-1][0])
            if _is_follow_up(question, plan):
                plan = _carry_over(previous, plan)
        return plan

    def _with_headers(self, plan: QueryPlan, passages: list[Passage], scope: set[str] | None) -> list[Passage]:
        """A question about who published a report and when is answered from its header block."""
        if not plan.about_publication:
            return passages
        ids = list(dict.fromkeys([p.report_id for p in passages] + sorted(scope or [])))[:3]
        headers = [_header_passage(r) for r in map(self.reader.catalog.report, ids) if r is not None and r.header]
        return headers + passages

    def _table_answer(self, question: str, plan: QueryPlan, table: TableAnswer, started: float) -> Answer:
        """The table's answer, held to the same rule: a figure it cannot back is never shown as fact."""
        unsupported = self._unsupported_in(table.draft.answer, table.draft.citations, table.years, table.places)
        notes = list(table.notes)
        draft = _declined(plan, unsupported, notes) if unsupported else table.draft
        answer = draft.answer + ("\n\n" + "\n".join(notes) if unsupported else "")
        return Answer(
            question=question, answer=answer, found=draft.found, verified=not unsupported, language=plan.language,
            answerer="table", citations=draft.citations, figures=table.figures if draft.found else [], notes=notes,
            draft=table.draft.answer if unsupported else "",
            timings_ms={"retrieve": 0.0, "answer": round((time.perf_counter() - started) * 1000, 1)},
        )

    def _verified(
        self, draft: Draft, plan: QueryPlan, passages: list[Passage], used: str, notes: list[str]
    ) -> tuple[Draft, bool, str, str]:
        """Every figure must stand as stated in the sentence it is cited from. An LLM answer that fails gives way
        to the extractive one when that one holds; otherwise the reply declines, naming the figures, and the
        withheld text (the last item) is kept for a caller who wants it — never shown as a found answer."""
        unsupported = self._unsupported(draft)
        if not unsupported:
            return draft, True, used, ""
        if used == "llm":
            fallback = self.extractive.answer(plan, passages)
            if fallback.found and not self._unsupported(fallback):
                shown = _shown(unsupported)
                notes.append(
                    f"大模型的回答中有数字({shown})与所引原文不符,已改用抽取式回答 / The LLM answer stated figures "
                    f"({shown}) its cited sentences do not hold as stated; showing the extractive answer instead."
                )
                return fallback, True, "extractive", draft.answer
        return _declined(plan, unsupported, notes), False, used, draft.answer

    def _unsupported(self, draft: Draft) -> list[float]:
        if not (draft.found or draft.citations):
            return []
        return self._unsupported_in(draft.answer, draft.citations)

    def _unsupported_in(
        self, answer: str, citations: list[Citation], dates: Collection[int] = (), names: Collection[str] = ()
    ) -> list[float]:
        return unsupported_figures(answer, citations, dates, names, self.glossary, self.planner.dictionary)


def _declined(plan: QueryPlan, unsupported: list[float], notes: list[str]) -> Draft:
    """No answer, and why: the figures that could not be verified."""
    shown = _shown(unsupported)
    notes.append(
        f"未经核实的数字:{shown}(所引原文的句子中没有这样表述),因此不作回答 / Unverified figures: {shown} (not "
        "stated so in the sentences cited), so no answer is given."
    )
    message = (
        "无法用报告原文核实答案中的数字,因此不作回答。" if plan.language == "zh"
        else "The figures of the answer could not be verified against the reports, so no answer is given."
    )
    return Draft(answer=message, found=False)


def _shown(values: list[float]) -> str:
    """1234567 as 1234567, not 1.23457e+06: a figure named in a note is read back by people and the verifier."""
    return ", ".join(format_value(v) for v in values)


def _whose_figure(citations: list[Citation], scope: set[str] | None, reports: list[ReportRecord]) -> list[str]:
    """Several reports searched ("2025年受理了多少件…" over three districts, or one place over two years):
    say which report the answer is from, and that the others may give their own figures."""
    searched = [r for r in reports if scope is None or r.report_id in scope]
    cited = list(dict.fromkeys(c.title for c in citations))
    if len(searched) < 2 or not cited:
        return []
    titles = "、".join(f"《{title}》" for title in cited)
    return [
        f"问题没有限定到一份报告,答案出自{titles};其他报告可能有各自的数字 / The question does not narrow the "
        f"search to one report: this answer is from {titles}; the other reports may give figures of their own."
    ]


# A sentence's end, with the markers after it (…249件。[1]), once something follows them.
_SENTENCE_END = re.compile(r"(?:[。！？!?；;\n]|\.(?=\s))(?:[ \t]*\[\d+\])*(?=\s*[^\s\[])")


def _sentences_held(
    events: Iterator[str | Draft], passages: list[Passage], unsupported: Callable[[str, list[Citation]], list[float]]
) -> Iterator[str | Draft]:
    """An LLM's text, passed on a sentence at a time while each sentence's figures stand, as stated, in the
    passages its markers point at (the model's ``[n]`` is passage n).

    From the first sentence that fails, nothing more streams: the verified answer that ends the stream
    replaces the text, and an unverified figure is never on screen, not even for the seconds before
    it would be withdrawn.
    """
    cited, pending, flowing = passage_citations(passages), "", True
    for event in events:
        if isinstance(event, Draft):
            yield event
            continue
        pending += event
        while flowing and (end := _SENTENCE_END.search(pending)):
            sentence, pending = pending[: end.end()], pending[end.end():]
            flowing = not unsupported(sentence, cited)
            if flowing:
                yield sentence
    if flowing and pending and not unsupported(pending, cited):
        yield pending


def check_question(question: str) -> str:
    """The question as it is asked (NUL bytes out, trimmed), or QuestionError saying why it cannot be.

    Public so that a caller who answers later — a stream, once its response has begun — can refuse first.
    """
    question = (question or "").replace("\x00", "").strip()
    if not question:
        raise QuestionError("问题为空,请输入问题 / The question is empty: type a question.")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(
            f"问题过长({len(question)} 字,上限 {MAX_QUESTION_CHARS}) / The question is too long "
            f"({len(question)} characters, limit {MAX_QUESTION_CHARS}): ask about one thing at a time."
        )
    if _LONE_SURROGATE.search(question):
        raise QuestionError(
            "问题含有无效字符(孤立的代理项) / The question holds an invalid character (a lone surrogate such as "
            "\\ud800): send it as UTF-8 text."
        )
    return question


def _recent(history: History) -> History:
    """The latest turns, each cut to a bound and made encodable: whatever a client sends, a question pays only
    for these, and an unpaired surrogate in an old turn (which no encoder takes) cannot fail the new one."""
    return [
        (_LONE_SURROGATE.sub("\ufffd", q[:MAX_QUESTION_CHARS]), _LONE_SURROGATE.sub("\ufffd", a[:MAX_ANSWER_CHARS]))
        for q, a in history[-MAX_HISTORY_TURNS:]
    ]


def _is_follow_up(question: str, plan: QueryPlan) -> bool:
    return bool(_FOLLOW_UP.search(question)) or (len(question) <= 15 and not plan.kinds)


def _carry_over(previous: QueryPlan, current: QueryPlan) -> QueryPlan:
    """Offline follow-up: the new subject weighs most; kind, year and places carry over from before."""
    from assistant.glossary import Term

    terms = [Term(t.zh, t.weight * 2, t.source, t.en) for t in current.terms]
    terms += [Term(t.zh, t.weight * 0.3, t.source, t.en) for t in previous.terms]
    return replace(
        current, terms=terms, kinds=current.kinds or previous.kinds, units=current.units or previous.units,
        year=current.year or previous.year, years=current.years or previous.years,
        places=current.places or previous.places,
        search_text=f"{current.search_text} {previous.search_text}",
    )


def _header_passage(report: ReportRecord) -> Passage:
    header = report.text[: report.body_start].rstrip()
    return Passage(
        chunk_id=report.report_id + HEADER_SUFFIX, report_id=report.report_id, title=report.title, year=report.year,
        section="", text=header, start=0, end=len(header), score=1.0,
    )
