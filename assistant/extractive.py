"""The extractive answerer: the clause that answers, its figure with unit, cited. No LLM.

A sentence in these reports often holds look-alike figures
(受理法律援助案件249件,值班律师提供法律帮助199件,…); each figure belongs to the
clause that names it, so clauses — not sentences — are matched against the
question's terms, and the figure of the kind asked is taken from the best one.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from assistant.cite import cite, sentences
from assistant.figure_table import format_value
from assistant.glossary import Glossary, Term
from assistant.number_words import english_number_words
from assistant.query import NOT_CONTENT, QueryPlan
from assistant.retrieve import GIVEN_WEIGHT, TITLE, figure_kind, names_several
from assistant.tables import column_headings, table_cells
from assistant.types import Citation, Draft, Passage
from index.figures import Figure, find_figures, fold

# A clause runs on over a comma before 占: "不予公开的1件,占1.02%" is one share of one thing; a bracket
# opens one of its own: 答复申请98件(含上年度转结申请8件,…).
_CLAUSE = re.compile(r"(?:[^,，;；:：(（]|[,，](?=占))+[,，;；:：]?|[(（][^,，;；:：(（]*[,，;；:：]?")
_PASSAGES_READ = 5
_COMMON_CHARACTERS = frozenset("上下在中的了是和与及有为对等年月日个人工作开展进行全大")
_CONTINUES = re.compile(r"^\s*(?:同比|比上年|较上年|较去年)?(?:增长|下降|提高|减少|上升|降低|增加|下滑|回落)")
HEADER_SUFFIX = "#header"  # chunk id suffix of a report's header block, as a passage
_PEOPLE_UNITS = ("人", "名", "人次", "位", "余人", "万人", "万人次")
_INSTITUTION_UNITS = ("所", "家", "个")
_PERSON_AFTER = re.compile(r"[^,，;；:：。、]{0,6}?(?:人|员|者|师|长|官|生)")
_HEADING_SENTENCE = re.compile(r"^[(（]?[一二三四五六七八九十\d]{1,3}[)）、.．][^。]{0,40}。?$")
_DATE_TEXT = re.compile(r"\d{4}\s*[-年./]\s*\d{1,2}\s*[-月./]\s*\d{1,2}日?|\d{1,2}月\d{1,2}日")
_DATE_FIELD = re.compile(r"(时间|日期)\s*[:：]?[\s|]*\d|^\W*(19|20)\d{2}\s*[-年./]\s*\d")
_SOURCE_FIELD = re.compile(r"(来源|发布机构|发文机关|签发人)\s*[:：]\s*[^\s:：]|〔\d{4}〕\d+号")
FIGURE_THRESHOLD = 0.45  # calibrated on our own questions (tests/data/eval)
FACT_THRESHOLD = 0.35  # fit on benchmarks/realeval dev (strict accuracy 0.33 at 0.55, 0.37 here; declines, own and public unchanged)
BESIDE_THRESHOLD = 0.3  # a second figure in the sentence of the first
OTHER_YEAR_WEIGHT = 0.7  # a clause set in a year the question does not ask of: c-dev zh +1; dev, own, public unchanged 0.5–0.7
BESIDE_BONUS = 0.15  # a side's figure in the sentence another side was answered from: own +1, dev unchanged 0.15–0.3
OWN_WEIGHT = 0.7  # the question named in the clause itself, against in its sentence so far, section and title
HINTED_WEIGHT = 0.75  # what is counted only hinted at (a character of it), not named: dev and own unchanged 0.6–0.9
# A year a clause is set in (2024年新受理…, 2023总共需办理…), not one it compares with (较2023年增长).
_FRAME_YEAR = re.compile(r"(?<![比较与同自从])((?:19|20)\d{2})(?=年|[^\d年-]|$)(?!年度?[比较])")
_REFUSAL = ("不予", "不公开", "驳回", "拒绝")
# A purpose opening its sentence (为加快…,), or words of cause and aim.
_GIVES_REASON = re.compile(r"^\W*为[^,，。]{2,30}[,，]|为了|以便|旨在|由于|因为|得益于|正是|之所以")
_MOST_FIGURES = 6  # figures one answer states, with those read beside the first
_JOINS_THINGS = re.compile(r"[和及与、或]|还是|\b(and|or|vs|versus)\b", re.IGNORECASE)  # asks of more than one thing
_COORDINATE_PART = re.compile(r"[^、和及]+[、和及]?")
_QUALIFIER_EN = {"余": "more than", "多": "more than", "以上": "over", "超过": "over", "超": "over",
                 "约": "about", "左右": "about", "近": "nearly"}


@dataclass
class _Clause:
    passage_rank: int
    passage: Passage
    sentence: tuple[int, int]  # span in passage.text
    lead: tuple[int, int]  # the sentence before this clause, span in passage.text
    span: tuple[int, int]  # span in passage.text
    figures: list[Figure]  # offsets relative to the clause
    score: float
    topic: tuple[int, int] = (0, 0)  # the sentence before, when it states no figure: what this one is about
    subject: tuple[int, int] = (0, 0)  # the clause before, which one opening on a change (增长7.9%) goes on with;
    # in a table row, the row's label
    column: tuple[int, int] = (0, 0)  # in a table row, the heading of the cell's column

    @property
    def text(self) -> str:
        return self.passage.text[self.span[0] : self.span[1]]


class ExtractiveAnswerer:
    name = "extractive"

    def __init__(self, glossary: Glossary) -> None:
        self.glossary = glossary

    def stream(self, plan: QueryPlan, passages: list[Passage]) -> Iterator[str | Draft]:
        draft = self.answer(plan, passages)
        yield draft.answer
        yield draft

    def answer(self, plan: QueryPlan, passages: list[Passage]) -> Draft:
        if plan.about_publication:
            headers = [p for p in passages if p.chunk_id.endswith(HEADER_SUFFIX)]
            published = self._publication_answer(plan, headers[0]) if headers else None
            if published is not None:  # a header without a date or source line answers nothing of it
                return published
        clauses = self._clauses(plan, passages[:_PASSAGES_READ])
        if plan.kinds:
            exact = None if plan.unmentioned else self._figure_answer(plan, clauses, _names_what_is_counted)
            if exact is None and plan.counts and not plan.unmentioned:  # 4家单位负责人: heads counted by unit
                exact = self._figure_answer(replace(plan, counts="any body"), clauses, _names_what_is_counted)
            return exact or self._nearest(plan, clauses) or not_found(plan)
        return self._sentence_answer(plan, clauses) or not_found(plan)

    # --- figures ------------------------------------------------------------------
    def _nearest(self, plan: QueryPlan, clauses: list[_Clause]) -> Draft | None:
        """No figure for exactly what was asked ("juvenile legal aid cases"): the nearest one the reports give
        (all legal aid cases), cited, and plainly not offered as the answer."""
        draft = self._figure_answer(plan, clauses, _names_some_of_what_is_counted)
        if draft is None:
            return None
        if plan.language == "zh":
            missing = "、".join(f"“{t.zh}”" for t in plan.unmentioned)
            lead = f"报告中没有提到{missing},因此没有这一类的数字。" if missing else "报告中没有与问题完全对应的数字。"
            lead += "最接近的数字是:"
        else:
            missing = ", ".join(f'"{t.en}" ({t.zh})' for t in plan.unmentioned)
            lead = (
                f"The reports never mention {missing}, so they give no figure for it." if missing
                else "The reports give no figure for exactly this."
            ) + " The nearest figure they give:"
        return Draft(answer=f"{lead}\n\n{draft.answer}", found=False, citations=draft.citations)

    def _figure_answer(
        self, plan: QueryPlan, clauses: list[_Clause], names: Callable[[QueryPlan, _Clause], bool]
    ) -> Draft | None:
        picks: list[tuple[_Clause, Figure]] = []
        fitting = {
            kind: [
                (c, f) for c in clauses for f in c.figures
                if _fits(f, kind, plan) and not (plan.change and _after_to(c, f))
                and not (plan.counts == "any body" and f.unit in _INSTITUTION_UNITS and not _heads_of(c, f))
            ]
            for kind in plan.kinds
        }
        by_kind = {kind: _in_units_asked(plan, [(c, f) for c, f in pairs if names(plan, c)]) for kind, pairs in fitting.items()}
        # The kind with the best-matching clause first: a second kind may then be read beside it.
        strongest = sorted(by_kind, key=lambda k: (k != "count", -max((c.score for c, _ in by_kind[k]), default=0.0), k))
        for kind in strongest:
            candidates = by_kind[kind]
            if plan.sides:
                for i, side in enumerate(plan.sides):  # each side named on its own: "how many lectures, and people"
                    side_plan = replace(plan, terms=side)
                    reports = plan.side_reports[i] if plan.side_reports else None  # and from its place's report
                    like = figure_kind(picks[0][1].unit) if plan.compare and picks else None  # weighed alike
                    taken = {key for c, _ in picks for key in _where(c)}  # the sentence of a side already read
                    ranked = sorted(
                        ((_score(side_plan, c) + BESIDE_BONUS * bool(_where(c) & taken), c, f)
                         for c, f in fitting[kind]
                         if names(side_plan, c) and all(f is not p[1] for p in picks)
                         and (reports is None or c.passage.report_id in reports)
                         and (like is None or figure_kind(f.unit) == like)),
                        key=lambda item: (item[0], _closeness(side_plan, item[1], item[2])), reverse=True,
                    )
                    if ranked and ranked[0][0] >= FIGURE_THRESHOLD:
                        picks.append(ranked[0][1:])
                missing = min(len(plan.sides), plan.figures_asked) - len(picks)
                if picks and missing > 0:  # a side that names nothing of its own ("and how many people"):
                    beside = _ranked(plan, candidates, picks, True)  # its figure stands beside the others
                    picks += [p for p in _distinct(picks + beside, len(picks) + missing) if p not in picks]
            else:
                # A second figure ("in working days and in percent", "113 received, 105 accepted: how many
                # not?") may be read, on weaker terms, beside the first: in the same sentence.
                ranked = _ranked(plan, candidates, picks)
                # Figures asked beyond one per kind ("how many lectures, and how many people") are read beside
                # the first, in its sentence.
                wanted = max(1, plan.figures_asked - len(plan.kinds) + 1)
                if plan.compare:
                    ranked = _distinct(_ranked(plan, candidates, picks + ranked[:1], plan.remaining), 2)
                elif wanted > 1:
                    ranked = _distinct(_ranked(plan, candidates, picks + ranked[:1], True), wanted)
                picks += ranked if plan.compare else ranked[:wanted]
        picks = list({(id(c), f.start): (c, f) for c, f in picks}.values())
        if not picks:
            return None
        picks += _coordinated(plan, clauses, picks)
        if plan.each:  # a breakdown reads in the report's order
            picks.sort(key=lambda pick: (pick[0].passage_rank, pick[0].span[0], pick[1].start))
        citations: list[Citation] = []
        for clause, _ in picks:
            if not any(_cites(c, clause) for c in citations):
                citations.append(cite(len(citations) + 1, clause.passage, *clause.sentence))
        by_clause: dict[int, tuple[_Clause, list[Figure]]] = {}
        for clause, figure in picks:
            by_clause.setdefault(id(clause), (clause, []))[1].append(figure)
        several = len(picks) > 1
        lines = [
            self._figure_line(plan, clause, figures, self._n(citations, clause), several)
            for clause, figures in by_clause.values()
        ]
        if plan.compare and len(picks) >= 2 and figure_kind(picks[0][1].unit) == figure_kind(picks[1][1].unit):
            lines.append(_difference(plan, picks[0][1], picks[1][1]))
        quotes = "\n".join(f"> {c.quote} [{c.n}]" for c in citations)
        return Draft(answer="\n".join(lines) + "\n\n" + quotes, found=True, citations=citations)

    def _figure_line(self, plan: QueryPlan, clause: _Clause, figures: list[Figure], n: int, several: bool) -> str:
        """The clause with its answering figures in bold (zh); each figure with what it counts (en): with
        several figures, each in its own words (审查行政合同78个), not the sentence they share."""
        passage = clause.passage.text
        if plan.language == "zh":
            text = clause.text.rstrip(",，;；:：。")
            for figure in sorted(figures, key=lambda f: f.start, reverse=True):
                text = text[: figure.start] + f"**{figure.text}**" + text[figure.end :]
            if clause.column != (0, 0):  # a table cell: its row and column say what it counts
                text = f"{passage[slice(*clause.subject)]}/{passage[slice(*clause.column)]}: {text}"
            return f"{text} [{n}]"
        context = f"{passage[slice(*clause.column)]} {passage[clause.lead[0] : clause.span[1]]}"
        return "\n".join(
            f"**{_english_figure(f)}** ({f.text}) — {self._gloss(plan, _own_words(clause, f) if several else context)} [{n}]"
            for f in figures
        )

    def _gloss(self, plan: QueryPlan, text: str) -> str:
        """The question's own English words for what the Chinese text names; else the glossary's. Never a
        number word ("ten thousand" for 万): it would read as a figure."""
        named = [
            t.en for t in plan.terms
            if t.source == "glossary" and t.en and len(t.zh) > 1 and t.zh in text and t.zh not in NOT_CONTENT
        ]
        words = [en for en in named or self.glossary.english_for(text) if not english_number_words(en)]
        return ", ".join(dict.fromkeys(words[: len(named) or 4])) or "as quoted"

    @staticmethod
    def _n(citations: list[Citation], clause: _Clause) -> int:
        return next(c.n for c in citations if _cites(c, clause))

    # --- publication facts (the report header) --------------------------------------------
    @staticmethod
    def _publication_answer(plan: QueryPlan, header: Passage) -> Draft | None:
        """Date and issuer from the header lines that state them, cited line by line."""
        lines = _lines(header.text)
        dated = [span for span in lines if _DATE_FIELD.search(header.text[slice(*span)])]
        # When it was published before when it was written (成文日期) or last updated.
        dated.sort(key=lambda span: not re.search(r"发布|公开|发文", header.text[slice(*span)]))
        sourced = [span for span in lines if _SOURCE_FIELD.search(header.text[slice(*span)])]
        chosen = [span for span in dated if span in sourced][:1] or dated[:1] + sourced[:1]
        if not chosen:
            return None
        citations = [cite(n, header, *span) for n, span in enumerate(chosen, 1)]
        quoted = " ".join(f"{c.quote} [{c.n}]" for c in citations)
        if plan.language == "zh":
            return Draft(answer=f"《{header.title}》{quoted}", found=True, citations=citations)
        return Draft(answer=f"Publication details of 《{header.title}》: {quoted}", found=True, citations=citations)

    # --- sentences (facts, lists) -----------------------------------------------------
    def _sentence_answer(self, plan: QueryPlan, clauses: list[_Clause]) -> Draft | None:
        best: dict[tuple[int, tuple[int, int]], float] = {}
        for clause in clauses:
            sentence = clause.passage.text[slice(*clause.sentence)]
            bonus = 0.0
            if plan.listing:  # "which trainings": a sentence naming several trainings, not one without any
                named = not plan.listed or any(zh in sentence for zh in plan.listed)
                bonus = 0.1 * names_several(plan, sentence) - (0.0 if named else 0.15)
            elif plan.asks_why and _GIVES_REASON.search(sentence):  # "why": a sentence that says what for
                bonus = 0.1
            key = (clause.passage_rank, clause.sentence)
            best[key] = max(best.get(key, 0.0), clause.score + bonus)
        if not best:
            return None
        (rank, sentence), score = max(best.items(), key=lambda item: item[1])
        if score < FACT_THRESHOLD:
            return None
        passage = next(c.passage for c in clauses if c.passage_rank == rank)
        if _HEADING_SENTENCE.match(passage.text[slice(*sentence)]):
            # A heading names the topic; the sentence under it says what was done.
            sentence = next((s for s in sentences(passage.text) if s[0] >= sentence[1]), None)
            if sentence is None or _HEADING_SENTENCE.match(passage.text[slice(*sentence)]):
                return None
        citation = cite(1, passage, *sentence)
        issuer = f"《{passage.title}》" if plan.asks_issuer else ""  # the sentence says what was done, the title by whom
        if plan.language == "zh":
            return Draft(answer=f"{issuer + ':' if issuer else ''}{citation.quote} [1]", found=True, citations=[citation])
        titles = list(dict.fromkeys(TITLE.findall(citation.quote))) if plan.listing else []
        # The figures the quoted sentence gives stand in the answer line, not only in the quote below it.
        figures = [f for f in find_figures(fold(citation.quote)) if f.unit and not _is_date(f)]  # not "4." markers
        stated = "; ".join(dict.fromkeys(
            [f"**{_english_figure(f)}** ({f.text})" for f in figures] + _DATE_TEXT.findall(citation.quote)
        ))
        lead = (
            "The report names: " + "; ".join(titles) if titles
            else f"{issuer or 'The report'} says ({self._gloss(plan, citation.quote)})" + (f" — {stated}:" if stated else ":")
        )
        return Draft(answer=f"{lead} [1]\n\n> {citation.quote}", found=True, citations=[citation])

    # --- clauses -------------------------------------------------------------------------
    @staticmethod
    def _clauses(plan: QueryPlan, passages: list[Passage]) -> list[_Clause]:
        found = []
        for rank, passage in enumerate(passages):
            text = passage.text
            topic = (0, 0)
            heading: list[tuple[int, int]] = []  # the cells of the table row naming the columns below it
            for s_start, s_end in sentences(text):
                cells = table_cells(text, s_start, s_end)
                if cells:
                    # A row of figures: each cell a clause, of its row (the label) and its column (the heading).
                    row = [
                        _Clause(rank, passage, (s_start, s_end), (s_start, cell[0]), cell,
                                _cell_figures(plan, text, cell, column), 0.0, (0, 0), cells[0], column)
                        for cell, column in zip(cells, column_headings(heading, cells))
                    ]
                    if not any(c.figures for c in row):
                        heading = cells
                        continue
                    for clause in row[1:]:
                        clause.score = _score(plan, clause)
                        found.append(clause)
                    topic = (0, 0)
                    continue
                heading = []  # prose between: the next table names its own columns
                lead_start = s_start
                stated = False
                previous = (s_start, s_start)
                for match in _CLAUSE.finditer(text, s_start, s_end):
                    figures = [
                        f for f in find_figures(fold(match.group()))
                        if not _is_date(f, plan) and not _in_name(text[s_start : match.start() + f.start])
                        and (plan.ordinal or not _ordinal(match.group(), f))
                    ]
                    # 总值完成77.41亿元,增长7.9%: a clause opening on a change goes on with the one before.
                    subject = previous if _CONTINUES.match(match.group()) else (0, 0)
                    clause = _Clause(
                        rank, passage, (s_start, s_end), (lead_start, match.start()), match.span(), figures, 0.0,
                        topic, subject,
                    )
                    clause.score = _score(plan, clause)
                    found.append(clause)
                    stated = stated or bool(figures)
                    previous = match.span()
                # A sentence without figures (二是统筹推进生态环境损害赔偿制度改革。) says what the next one counts.
                topic = (s_start, s_end) if not stated else (0, 0)
        return found


def _score(plan: QueryPlan, clause: _Clause) -> float:
    """How well a clause answers: the question's terms in it, in its sentence so far (or the figureless one
    before), in its section."""
    text = clause.passage.text
    # What the sentence said before the clause (its subject: “粤省事”微信公众号…,粉丝量超3800万) counts half.
    own = plan.coverage(
        text[slice(*clause.subject)] + text[slice(*clause.column)] + clause.text, text[clause.sentence[0] : clause.span[0]]
    )
    # The title names the issuing office and place, which a clause leaves unsaid.
    context = plan.coverage(_counted_in(clause), f"{clause.passage.section} {clause.passage.title}")
    score = OWN_WEIGHT * own + (1 - OWN_WEIGHT) * context + 0.05 / (1 + clause.passage_rank)
    score += GIVEN_WEIGHT * plan.holds_given(text[slice(*clause.sentence)])
    frames = {int(y) for y in _FRAME_YEAR.findall(text[slice(*clause.subject)] + clause.text)}
    if plan.year and frames and plan.year not in frames:  # 2024年新受理151件 does not answer for 2023
        score *= OTHER_YEAR_WEIGHT
    hinted = clause.figures and not _names_what_is_counted(plan, clause, heads_hinted=False)
    return score * HINTED_WEIGHT if hinted else score


def _lines(text: str) -> list[tuple[int, int]]:
    spans, offset = [], 0
    for line in text.splitlines(keepends=True):
        if line.strip():
            spans.append((offset, offset + len(line.rstrip())))
        offset += len(line)
    return spans


def not_found(plan: QueryPlan) -> Draft:
    message = (
        "报告中没有找到这个问题的答案。" if plan.language == "zh"
        else "The reports don't say — no indexed passage answers this question."
    )
    return Draft(answer=message, found=False)


def _heads_of(clause: _Clause, figure: Figure) -> bool:
    """4家单位负责人: people counted by the bodies they head, a person's word right after the figure (not
    10个部门举办…)."""
    return bool(_PERSON_AFTER.match(fold(clause.text)[figure.end :]))


def _fits(figure: Figure, kind: str, plan: QueryPlan) -> bool:
    bare = figure.unit in ("万", "亿")  # 30万新录用公务员: the magnitude alone, the noun after it counted
    if plan.counts == "people" and figure.unit not in _PEOPLE_UNITS and not bare:
        return False
    if plan.counts == "institutions" and figure.unit not in _INSTITUTION_UNITS and not bare:
        return False
    if plan.counts == "any body" and figure.unit not in _PEOPLE_UNITS + _INSTITUTION_UNITS and not bare:
        return False
    if _counts_years(plan, figure):
        return kind in ("count", "any")
    if kind == "any":
        return bool(figure_kind(figure.unit))
    return figure_kind(figure.unit) == kind


def _names_what_is_counted(plan: QueryPlan, clause: _Clause, heads_hinted: bool = True) -> bool:
    """A figure answers "how many X" only where all of X is named: in its clause, or before it (``_counted_in``).

    Any part of X may be said in other words (new civil servants: 新录用公务员; 转过来 for 转结), where its first
    character is — unless the rest of the sentence names it: then the question asks about another figure
    there. For the thing counted itself (not a qualifier of it) that is weaker evidence: ``_score`` weighs it
    down (``HINTED_WEIGHT``), and ``heads_hinted=False`` does not allow it."""
    text, sentence = _counted_in(clause), clause.passage.text[clause.span[1] : clause.sentence[1]]
    unmentioned = {t.en or t.zh for t in plan.unmentioned}  # no report says it: the nearest figure's concern
    return all(
        _named(group, text)
        or (not heads_hinted and (group[0].en or group[0].zh) in unmentioned)
        or (
            (heads_hinted or all(t.qualifier for t in group)) and _hinted(group, text)
            and not _named(group, sentence)
        )
        for group in _counted_groups(plan)
    )


def _hinted(group: list[Term], text: str) -> bool:
    """The first character of one of the group's renderings, unless one of the commonest, stands in ``text``:
    a Chinese compound is told apart by its first part (新增 and 新录用; 简易程序 is not 普通程序)."""
    return any(t.zh[0] in text for t in group if t.zh and not t.part and t.zh[0] not in _COMMON_CHARACTERS)


def _names_some_of_what_is_counted(plan: QueryPlan, clause: _Clause) -> bool:
    """The nearest figure to "how many juvenile legal aid cases": where legal aid cases are named."""
    unmentioned = {t.en or t.zh for t in plan.unmentioned}
    groups = [g for g in _counted_groups(plan) if (g[0].en or g[0].zh) not in unmentioned]
    return not groups or any(_named(group, _counted_in(clause)) for group in groups)


def _counted_in(clause: _Clause) -> str:
    """Where what a clause's figure counts may be named: before it in its sentence, or in a sentence just
    before that states no figure of its own."""
    text = clause.passage.text
    return f"{text[slice(*clause.topic)]} {text[slice(*clause.column)]} {text[clause.lead[0] : clause.span[1]]}"


def _cell_figures(plan: QueryPlan, text: str, cell: tuple[int, int], column: tuple[int, int]) -> list[Figure]:
    """The figure a table cell holds, in the unit its column heading gives (现行有效件数: 件; 单位:万元) when
    the cell has none."""
    figures = [f for f in find_figures(fold(text[slice(*cell)])) if not _is_date(f, plan)]
    if len(figures) != 1 or fold(text[slice(*cell)]) != figures[0].text:
        return []  # a cell of words, or words with a figure in them (第二十条第(一)项), is no figure cell
    unit = re.search(r"单位[:：]\s*([^)）\s]+)|([件人次项个条])数", fold(text[slice(*column)]))
    given = next((u for u in (unit.groups() if unit else ()) if u), "")
    return [replace(figures[0], unit=given)] if given and not figures[0].unit else figures


def _counted_groups(plan: QueryPlan) -> list[list[Term]]:
    """What is counted, concept by concept: an English phrase or a Chinese word, with its renderings.
    A refusal the question names (不予公开, "refused") is part of it: what was received is not what was refused."""
    groups: dict[str, list[Term]] = {}
    for term in plan.terms:
        if term.focus or (term.source in ("glossary", "question") and term.zh.startswith(_REFUSAL)):
            groups.setdefault(term.en or term.zh, []).append(term)
    return list(groups.values())


def _named(group: list[Term], text: str) -> bool:
    """One of a concept's renderings is in the text, or each of its words is: 程序 alone is not 简易程序."""
    if any(t.zh in text for t in group if not t.part):
        return True
    parts: dict[str, bool] = {}
    for term in group:
        if term.part:
            parts[term.part] = parts.get(term.part, False) or term.zh in text
    return bool(parts) and all(parts.values())


def _coordinated(
    plan: QueryPlan, clauses: list[_Clause], picks: list[tuple[_Clause, Figure]]
) -> list[tuple[_Clause, Figure]]:
    """Figures standing beside a picked one in its sentence that answer another part of a question asking
    of more than one thing.

    "How many documents and contracts were reviewed" over 审查53份重要文件、15份重要合同: each figure
    names its own part (its words up to the next 、), and a part of the question the picked figures'
    words leave unnamed is answered by the figure whose words name it. In a 分别 clause (分别增长4.8%、
    7.2%) the figures share their words and come together, as do all that fit when each is asked for, and
    a figure in a unit the question asks for that no picked figure has ("多少期,多少人次").
    """
    several = plan.figures_asked > 1 or plan.each or plan.compare or _JOINS_THINGS.search(plan.question)
    wanted = (2 if plan.compare else _MOST_FIGURES if several else 1) - len(picks)
    groups = [g for g in plan.groups() if not g[0].source == "dictionary"]
    named = {i for c, f in picks for i, g in enumerate(groups) if _named(g, _own_words(c, f))}
    sentences_picked = {(id(c.passage), c.sentence) for c, _ in picks}
    together = {id(c) for c, _ in picks if "分别" in c.text}
    added = [
        (c, share) for c, f in picks
        if (share := _share_of(c, f)) is not None and all(share is not g for _, g in picks)
    ]
    wanted += len(added)
    for clause in clauses:
        if wanted <= len(added) or (id(clause.passage), clause.sentence) not in sentences_picked:
            continue
        for figure in clause.figures:
            unit_asked = (  # 多少期,多少人次: the 期 figure beside the 人次 one
                not plan.compare and _unit_asked(plan, figure) and not any(_same_unit(figure, f) for _, f in picks + added)
            )
            if any(f is figure for _, f in picks + added) or not (unit_asked or any(_fits(figure, k, plan) for k in plan.kinds)):
                continue
            own = {i for i, g in enumerate(groups) if _named(g, _own_words(clause, figure))}
            if plan.each or id(clause) in together or own - named or unit_asked:
                added.append((clause, figure))
                named |= own
    return added[: max(0, wanted)]


def _share_of(clause: _Clause, figure: Figure) -> Figure | None:
    """予以公开的42件,占42.86%: a share is shown with the count it is a share of."""
    before = fold(clause.text)[: figure.start]
    if figure_kind(figure.unit) != "percent" or not re.search(r"占(比|比例)?(为|达)?$", before):
        return None
    return next((f for f in reversed(clause.figures) if f.end <= figure.start and figure_kind(f.unit) == "count"), None)


def _own_words(clause: _Clause, figure: Figure) -> str:
    """The words a figure stands in: its part of the clause between 、, 和 and 及."""
    text = fold(clause.text)
    parts = [m.span() for m in _COORDINATE_PART.finditer(text)]
    return next((text[a:b] for a, b in parts if a <= figure.start < b), text)


def _unit_asked(plan: QueryPlan, figure: Figure) -> bool:
    """The unit asked, with or without its magnitude (万人次 for 人次) — 人次 is not 次."""
    unit = figure.unit.lstrip("万亿")
    return any(unit == u or (len(u) > 1 and unit.startswith(u)) for u in plan.units)


def _same_unit(a: Figure, b: Figure) -> bool:
    return a.unit.lstrip("万亿") == b.unit.lstrip("万亿")


def _in_units_asked(plan: QueryPlan, pairs: list[tuple[_Clause, Figure]]) -> list[tuple[_Clause, Figure]]:
    """多少项重点工作: a figure in 项 answers it before one in 次, when the reports give one (a compare's unit
    may be one side's only). An English unit ("how many times") is a guess at the report's measure word: its
    figures come first only where one answers well enough."""
    asked = [] if plan.compare else [(c, f) for c, f in pairs if _unit_asked(plan, f)]
    if plan.language == "en" and not any(c.score >= FIGURE_THRESHOLD for c, _ in asked):
        return pairs
    return asked or pairs


def _after_to(clause: _Clause, figure: Figure) -> bool:
    """缩短至42天 states the new level, not the change a "缩短了多少" question asks for."""
    return bool(re.search(r"[至到为]$", fold(clause.text)[: figure.start]))


def _closeness(plan: QueryPlan, clause: _Clause, figure: Figure) -> float:
    """Among figures of one clause: the unit asked, then the one whose own words (from the figure before it to
    the next: 53份重要文件、15份重要合同) name most of what is counted, then the nearest to it."""
    text = fold(clause.text)
    unit_asked = any(figure.unit.startswith(u) or (figure.unit and u.startswith(figure.unit)) for u in plan.units)
    focus = [t.zh for t in plan.terms if t.focus] or [t.zh for t in plan.terms if t.source != "scope"]
    starts = sorted(f.start for f in clause.figures)
    ends = sorted(f.end for f in clause.figures)
    own = text[max((e for e in ends if e <= figure.start), default=0) : min((b for b in starts if b > figure.start), default=len(text))]
    positions = [m.start() for zh in focus for m in re.finditer(re.escape(zh), text)]
    distance = min((abs(p - figure.start) for p in positions), default=len(text))
    return (1.0 if unit_asked else 0.0) + 0.5 * sum(zh in own for zh in focus) / max(len(focus), 1) + 0.5 / (1 + distance)


def _in_name(before: str) -> bool:
    """Inside quotes or a title the words are a name: 一件 of “高效办成一件事” counts nothing."""
    return before.count("“") > before.count("”") or before.count("《") > before.count("》")


def _ordinal(clause_text: str, figure: Figure) -> bool:
    """第二次会议, 第十八届: which one, not how many — unless the question asks which (第几次)."""
    return fold(clause_text)[figure.start - 1 : figure.start] == "第"


def _is_date(figure: Figure, plan: QueryPlan | None = None) -> bool:
    """2025年, 3月 and a bare 2024 are dates; 连续5年 counts years, where the question asks how many years."""
    if plan is not None and _counts_years(plan, figure):
        return False
    return figure.is_date_part or (figure.unit == "" and 1900 <= figure.value <= 2100 and figure.number.isdigit())


def _counts_years(plan: QueryPlan, figure: Figure) -> bool:
    return "年" in plan.units and figure.unit == "年" and figure.value < 1000  # a year is written with four digits


def _ranked(
    plan: QueryPlan, candidates: list[tuple[_Clause, Figure]], beside: list[tuple[_Clause, Figure]],
    beside_first: bool = False,
) -> list[tuple[_Clause, Figure]]:
    """Candidates that answer well enough, or fairly well in a sentence already answering; best first."""
    taken = {key for c, _ in beside for key in _where(c)}
    return sorted(
        (
            (c, f) for c, f in candidates
            if c.score >= FIGURE_THRESHOLD or (c.score >= BESIDE_THRESHOLD and bool(_where(c) & taken))
        ),
        key=lambda pair: (
            beside_first and bool(_where(pair[0]) & taken),
            plan.each and _figures_in_sentence(pair[0]),  # "the breakdown": the sentence that gives the most
            pair[0].score, _closeness(plan, pair[0], pair[1]),
        ),
        reverse=True,
    )


def _where(clause: _Clause) -> set[tuple[int, tuple[int, int]]]:
    """Where a clause stands, for the figures read beside another: its sentence, and in a table its column too
    (数量 75件 and, below it, 占新受理数比例 49.66%)."""
    return {(id(clause.passage), span) for span in (clause.sentence, clause.column) if span != (0, 0)}


def _figures_in_sentence(clause: _Clause) -> int:
    return len(find_figures(fold(clause.passage.text[slice(*clause.sentence)])))


def _distinct(ranked: list[tuple[_Clause, Figure]], n: int) -> list[tuple[_Clause, Figure]]:
    picks: list[tuple[_Clause, Figure]] = []
    for clause, figure in ranked:
        if all(figure.value != f.value for _, f in picks):
            picks.append((clause, figure))
        if len(picks) == n:
            break
    return picks


def _english_figure(figure: Figure) -> str:
    """2.8万余人次 → more than 28,000; 31.8亿元 → 3.18 billion: the value an English reader expects."""
    if figure.in_full != figure.value:
        number = _english_value(figure.in_full)
    else:
        number = figure.number if figure.number[0].isdigit() else f"{figure.value:g}"
    number += "%" if figure.unit == "%" else ""
    qualifier = next((en for zh, en in _QUALIFIER_EN.items() if zh in figure.qualifier), "")
    return f"{qualifier} {number}".strip()


def _english_value(value: float) -> str:
    for size, word in ((10**9, "billion"), (10**6, "million")):
        if value >= size:
            return f"{round(value / size, 4):g} {word}"
    return f"{round(value):,}" if abs(value - round(value)) < 1e-6 else f"{value:,.2f}"


def _cites(citation: Citation, clause: _Clause) -> bool:
    """The citation of a clause's sentence: its report and its offset (two reports' sentences may share one)."""
    return citation.report_id == clause.passage.report_id and citation.start == clause.passage.start + clause.sentence[0]


def _difference(plan: QueryPlan, first: Figure, second: Figure) -> str:
    """As written where both share a magnitude (77.41亿 − 52.3亿), else in full (52万 is 520,000 in English)."""
    if plan.language == "zh" and first.unit[:1] == second.unit[:1]:
        high, low = sorted((first.value, second.value), reverse=True)
        written = format_value
    else:
        high, low = sorted((first.in_full, second.in_full), reverse=True)
        written = format_value if plan.language == "zh" else _with_commas
    expression = f"{written(high)} − {written(low)} = {written(round(high - low, 6))}"
    return f"相差:{expression}" if plan.language == "zh" else f"Difference: {expression}"


def _with_commas(value: float) -> str:
    return f"{round(value):,}" if abs(value - round(value)) < 1e-6 else f"{value:,.2f}".rstrip("0").rstrip(".")
