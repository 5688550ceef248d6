"""From a question to a query plan: Chinese terms, year, places, what kind of figure is asked.

Everything downstream — lexical retrieval, rerank, clause matching in the
extractive answerer, the figures table's rank/total/trend answers — works on the
plan, so an English question and its Chinese twin lead to the same passages and the
same clause, and the kind of question is decided here alone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Literal

from assistant.glossary import Dictionary, Glossary, Term, english_words, singular_forms
from assistant.language import detect_language
from assistant.places import PlaceIndex
from assistant.types import Language
from index.figures import held_numbers, numbers_in
from index.lexical import tokenize

UNIT_KINDS = {
    "percent": ("%", "个百分点"),
    "money": ("元", "万元", "亿元"),
    "time": ("个工作日", "天", "小时"),
}
_ZH_KIND = {
    "percent": re.compile(r"率|比例|占比|百分|%|比重|比率"),
    "money": re.compile(r"多少钱|金额|资金|经费|预算|[万亿]?元|收入|支出|罚没款"),
    "time": re.compile(r"多少天|几天|工作日|时限|小时|多久"),
}
_ZH_RATE_OF_CHANGE = re.compile(r"增速|增幅|涨幅|降幅")
_ZH_COUNT = re.compile(r"多少|(?<!哪)几[件次个项人所条名家起场期]|数量|一共|共计|总数")
_EN_KIND = {
    "percent": re.compile(r"\b(percent(ages?)?|rates?|shares?|proportions?|ratios?)\b|%"),
    "money": re.compile(r"\b(money|yuan|rmb|funds?|funding|budget|spen[dt]|expenditure|revenue|amount|costs?|fines?)\b"),
    "time": re.compile(r"\b(days?|hours?|time limits?|how long)\b"),
    "count": re.compile(r"\b(how many|number of|count|how often)\b"),
}
_EN_CHANGE = re.compile(
    r"\bhow (much|many|far)\b.{0,60}\b(drop|fall|fell|rise|rose|increase|decrease|grow|grew|cut|reduce|decline|shorten|change)",
    re.I,
)
_ZH_CHANGE = re.compile(r"(下降|降低|减少|缩短|增长|提高|增加|上升|压缩|上涨|涨|提升|降)(了)?(多少|几)")
_ZH_UNIT_ASKED = re.compile(r"(?:多少|(?<![哪近])几)(人次|件|次|人|条|所|项|个|家|起|场|期|名|份|户|篇|年)")  # 哪几项 asks which
_EN_UNITS = {"times": "次", "people": "人", "persons": "人", "person": "人", "cases": "件",
             "participants": "人次", "visits": "人次", "sessions": "场"}
# "How many rounds of outbreaks": the word after the cue measures; what is counted follows "of".
_SHARE_WORDS = frozenset("percentage share proportion".split())
_EN_MEASURES = frozenset("rounds waves batches items kinds types categories copies pieces sets".split())
_LATIN_RUN = re.compile(r"[A-Za-z]{2,}")
# jieba's tags of words without content: not d (立法, 轻微) nor p (审议通过), nor 各类/本级 of the pronouns.
_FUNCTION_TAGS = frozenset("c r y e o".split())
_BARE_NUMBER = re.compile(r"[一二两三四五六七八九十百千万几\d]+[个件次项年号期]?")
_EN_YEARS_ASKED = re.compile(r"\bhow many (?:\w+ )?years\b", re.I)  # not "in recent years"
# "How many were not yet concluded": the rest of a total, both stated in one sentence.
_REMAINING = (
    r"还有多少|尚未|未办结|(没有|未)被?(受理|办结|审结|完成|采纳|通过)"
    r"|\b(not yet|remaining|still|outstanding|pending|unresolved"
    r"|not (?:yet |been )*(?:accepted|admitted|concluded|closed|handled|resolved|settled|completed|approved|adopted))\b"
)
_COMPARE = re.compile(
    r"哪个多|哪个少|哪一个|多多少|少多少|相比|比较|差多少|变化|增加了多少|减少了多少|谁更?[多少高低]|差几|多几|少几"
    r"|\b(more than|less than|compare|compared|difference|which (is|was) (more|higher|larger|bigger)|"
    r"how many more|how much more|versus|vs\.?|change)\b|" + _REMAINING,
    re.IGNORECASE,
)
_SIDE_SPLIT = re.compile(
    r"以及|和|与|跟|相比|比较|\b(?:and|or|versus|vs\.?|compared (?:to|with))\b", re.I
)
_HOW_MANY = re.compile(r"\bhow (?:many|much|often)\b|多少|几(?=[个件次项场期人条份名家所批篇位])", re.I)
# Two questions in one: "how often did A, and how often did B" / "A多少次,B多少次".
_MORE_OR_LESS = re.compile(r"\b(more|fewer|less|higher|lower|bigger|larger|smaller)\b|[多少高低]", re.I)
_TWO_PART = re.compile(
    r"\band (how|what)\b.*\?|\bhow (many|much)\b[^?]*\?\s*\S.*\bhow (many|much)\b|(多少|几).*[,，、?？](以及|和|还有)?.*(多少|几)",
    re.I,
)
_QUESTION_SPLIT = re.compile(r"[?？;；]")  # "A多少件?B多少件?": one question after another
_PUBLICATION = re.compile(
    r"(何时|什么时候|啥时候|哪天|哪一天|几号|谁|哪个部门|哪个单位).{0,8}(发布|印发|公布|发的|发出|公开的|签发)"
    r"|发布(时间|日期|机构|单位)|来源|文号|签发人"
    r"|\b(when|who|whom|which (office|department|agency|body)|what (day|date))\b.{0,80}"
    r"\b(published|issued|released|put out|posted|signed)\b"
    r"|\b(publish(ed|er)?|put out|posted|issued|released)\b.{0,60}\b(when|by whom|on what (day|date))\b"
    r"|\bdocument number\b",
    re.IGNORECASE,
)
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# "Which trainings…", "哪些文件": the answer names things, ideally several.
# "各多少", "the breakdown": every figure of the sentence that answers, not one. (分别 asks of the things
# it names, and a 分别 sentence gives theirs together.)
_EACH = re.compile(r"各(?:是|有|为)?(?:多少|几)|\b(each|breakdown|broken down)\b", re.I)
# Asks which government or office did something: the answer names the report's issuer.
_WHICH_ISSUER = re.compile(
    r"哪(?:个|一个|家|些)?(?:省|市|区|县|旗|州|地方|地区|部门|单位|局|委|政府)"
    r"|\b(?:which|what)\s+(?:province|city|district|county|banner|prefecture|place|department|bureau|ministry|"
    r"commission|government|office|agency|authority|administration)s?\b",
    re.I,
)
_LISTING = re.compile(r"^\s*(which|list|name)\b|\bwhat (kinds?|types?|sorts?) of\b|哪些|哪几|有什么|列举", re.I)
# Words that say what kind of figure is asked, not what it is about.
NOT_CONTENT = frozenset(
    "多少 多少个 几 数量 具体 哪些地方 地方 件数 人数 次数 场次 百分之多少 百分之 比例 占比 比重 多长时间 多久 个百分点 百分点 总数 共计 一共 合计 "
    "全年 本年 今年 年度 情况 工作 上年 去年 上一年 前年 同期 同比 上年度 年底 年末 年初 年内 当年".split()
)
_ZH_QUESTION_WORDS = frozenset(
    "多少 一共 总共 共计 哪些 哪个 哪 什么 是否 怎么 如何 吗 呢 请问 请 几 多 情况 方面 有关 相关 里 区里 县里 市里 "
    "了 的 是 有 被 共 全年 今年 去年 年度 没有 尚未 未 分别 过来 过去 出来 起来 下来 是从 从 里面 其中 "
    "到底 究竟 大概 差不多 实际上 目前".split()
)


AcrossKind = Literal["rank", "compare", "total", "trend", "list"]

# Questions over the figures of many reports (the figures table answers them), by their cues.
_ACROSS_ZH = {
    "trend": re.compile(r"变化|趋势|逐年|历年|走势|增减|这几年|近几年|(?:19|20)\d{2}年?(?:到|至|—|-|~)(?:19|20)\d{2}"),
    "rank": re.compile(r"最多|最少|最高|最低|排名|排行|排序|前[0-9一二三四五六七八九十]+|哪个(?:地区|区|县|市|政府|地方)"),
    "total": re.compile(r"合计|总计|总共|一共|加起来|总和|共计|总数"),
    "list": re.compile(r"列出|列举|导出|所有.{0,8}(?:数字|数据)|全部.{0,8}(?:数字|数据)|各(?:地区|区县|报告)"),
    "compare": re.compile(r"比较|相比|对比|哪个多|哪个少|谁多|谁少|差多少|多多少|少多少"),
}
_ACROSS_EN = {
    "trend": re.compile(r"\btrend|\bchanged?\b|\bover the (?:years|period)\b|\bfrom (?:19|20)\d{2} to\b|"
                        r"\bbetween (?:19|20)\d{2} and\b|\byear[- ](?:on|by)[- ]year\b|\beach year\b", re.I),
    "rank": re.compile(r"\b(?:most|least|highest|lowest|fewest|rank|ranking|top \d+)\b", re.I),
    "total": re.compile(r"\b(?:total|sum|altogether|combined|in all)\b", re.I),
    "list": re.compile(r"\blist\b|\bexport\b|\ball (?:the )?(?:[\w-]+ )?figures\b|\bevery (?:report|government)\b|"
                       r"\beach (?:report|government)\b", re.I),
    "compare": re.compile(r"\b(?:compare|compared|versus|vs\.?|more than|fewer than|less than|difference)\b", re.I),
}
_FEWEST = re.compile(r"最少|最低|\b(?:least|lowest|fewest)\b", re.I)
_RANGE = re.compile(r"((?:19|20)\d{2})年?\s*(?:到|至|—|-|~|to|and|through)\s*((?:19|20)\d{2})", re.I)

_ACROSS_ORDER: tuple[AcrossKind, ...] = ("trend", "rank", "compare", "total", "list")


@dataclass(frozen=True)
class TableQuestion:
    """A question over the figures of many reports: which ranks first, their total, their trend …"""

    kind: AcrossKind
    fewest_first: bool
    years: tuple[int, ...]  # years the question names (a range is filled in); empty: any


@dataclass
class QueryPlan:
    question: str
    language: Language
    terms: list[Term]  # Chinese terms with weights, for lexical retrieval and clause matching
    search_text: str  # what the dense retriever embeds (Chinese when the question is English)
    year: int | None = None
    years: tuple[int, ...] = ()  # every year named, when a compare weighs two ("A 2023年 … B 2025年")
    places: dict[str, set[str]] = field(default_factory=dict)  # place name → report ids
    kinds: set[str] = field(default_factory=set)  # count / percent / money / time, or any
    units: set[str] = field(default_factory=set)  # specific units asked, e.g. 件, 人次
    compare: bool = False
    sides: list[list[Term]] = field(default_factory=list)  # the two things a compare question weighs
    side_reports: list[set[str]] = field(default_factory=list)  # the reports of the place each side names, if any
    about_publication: bool = False  # who published the report, and when
    wider_places: list[str] = field(default_factory=list)  # named places only districts of it report on
    unindexed_places: list[str] = field(default_factory=list)  # named places no indexed report is of
    counts: str | None = None  # "people" / "institutions" when the question counts those; "any body": either
    change: bool = False  # asks by how much something rose or fell
    remaining: bool = False  # asks for the rest of a total ("not yet concluded", 尚未办结)
    figures_asked: int = 1  # "how many lectures, and how many people" / "从多少项减到多少项": two
    each: bool = False  # asks for each of several figures ("各多少", "the breakdown")
    ordinal: bool = False  # asks which one in a series (第几次会议, "which session")
    asks_why: bool = False  # asks for a reason or purpose ("why", 为什么, 原因)
    asks_issuer: bool = False  # asks which government or office ("哪个省", "which district")
    listing: bool = False  # asks which things ("which trainings", "哪些文件")
    listed: frozenset[str] = frozenset()  # Chinese words for the things listed (培训, 规范性文件)
    unmentioned: list[Term] = field(default_factory=list)  # qualifiers of what is counted no report uses
    across: TableQuestion | None = None  # a question over many reports' figures (rank, total, trend …)
    given: frozenset[float] = frozenset()  # figures the question itself states ("which district passed 12 million")

    @property
    def report_ids(self) -> set[str] | None:
        """Reports the question's places point to, or None when it names none."""
        if not self.places:
            return None
        return set.intersection(*self.places.values()) or set.union(*self.places.values())

    def term_weights(self) -> dict[str, float]:
        """Search terms and their weights, for the lexical index."""
        weights: dict[str, float] = {}
        for term in self.terms:
            if term.zh in NOT_CONTENT:
                continue
            weights[term.zh] = max(weights.get(term.zh, 0.0), term.weight)
        return weights

    def coverage(self, text: str, context: str = "") -> float:
        """Share of the question's concepts that ``text`` names (in ``context`` they count half).

        A concept is one English phrase with all its Chinese renderings, or one
        Chinese word of the question; it is found when any rendering is.
        Dictionary guesses only add: they never count against a passage.
        """
        found = total = 0.0
        for group in self.groups():
            strongest = max(t.weight for t in group)
            hit = max(
                (1.0 if t.zh in text else 0.5 if context and t.zh in context else 0.0) * t.weight / strongest
                for t in group
            )
            weight = max(_weight(t) for t in group)
            found += hit * weight
            total += 0.0 if group[0].source == "dictionary" else weight
        return min(1.0, found / total) if total else 0.0

    def holds_given(self, text: str) -> float:
        """Share of the figures the question states that ``text`` holds: a user quoting a figure points to
        the sentence that gives it."""
        return len(self.given & held_numbers(text)) / len(self.given) if self.given else 0.0

    def groups(self) -> list[list[Term]]:
        """The question's concepts, each with its Chinese renderings."""
        groups: dict[str, list[Term]] = {}
        for term in self.terms:
            if len(term.zh) < 2 or term.zh in NOT_CONTENT or term.source == "scope":
                continue
            groups.setdefault(f"{term.source}:{term.en or term.zh}", []).append(term)
        return list(groups.values())


def _weight(term: Term) -> float:
    """Longer Chinese terms say more (法律援助案件 outweighs 案件); what is counted, most."""
    return term.weight * min(len(term.zh), 6) / 2 * (2.0 if term.focus else 1.0)


class QueryPlanner:
    def __init__(
        self,
        glossary: Glossary,
        dictionary: Dictionary,
        vocabulary: Callable[[str], bool],
        rarity: Callable[[str], float] = lambda word: 1.0,
    ) -> None:
        """``vocabulary``: does a Chinese word occur in the reports at all; ``rarity``: how few passages hold it (0–1)."""
        self.glossary = glossary
        self.dictionary = dictionary
        self.vocabulary = vocabulary
        self.rarity = rarity

    def plan(self, question: str, places: PlaceIndex, translated: str | None = None) -> QueryPlan:
        """``translated``: a Chinese rendering of an English question (from an LLM), when there is one."""
        language = detect_language(question)
        years = tuple(dict.fromkeys(int(y) for y in _YEAR.findall(question)))
        year = years[0] if years else None
        if language == "zh":
            named = places.in_chinese(question)
            question_words = _question_words(question, named)
            terms = self._chinese_terms(question_words) + self._latin_terms(question)
            listed = _listed_zh(question_words)
            kinds, units = _kinds(question, _ZH_KIND), set(_ZH_UNIT_ASKED.findall(question))
            if _ZH_RATE_OF_CHANGE.search(question) and _ZH_COUNT.search(question):
                kinds.add("percent")  # 增速是多少: a percentage (哪些指标增速第一 asks which)
            if units:
                kinds.add("count")
            elif _ZH_CHANGE.search(question) and "percent" not in kinds:
                kinds = {"any"}  # 收入涨了多少: by a percentage more likely than by an amount
            elif not kinds and _ZH_COUNT.search(question):
                kinds.add("any")  # 是多少 / 下降了多少: a count or a percentage
            search_text = question
        else:
            words = english_words(question)
            named = places.in_english(words, known=self._knows)
            terms = self._english_terms(words)
            if not named:  # "the Ministry of Justice's report": an issuer the glossary renders as a report names it
                named = places.in_chinese(" ".join(t.zh for t in terms if t.source == "glossary" and len(t.zh) >= 3))
            listed = _listed_en(words, terms)
            if translated:
                terms += self._chinese_terms(_question_words(translated, named), weight=0.8)
            # Chinese the user wrote into an English question (the 粤省事 account, 述法) is the reports' own word.
            written = _CJK_RUN.findall(question)
            terms += [Term(run, 1.0, "question", run) for run in written]
            terms += [t for t in self._chinese_terms(_question_words(" ".join(written), named)) if t.zh not in written]
            kinds = _kinds(question.lower(), _EN_KIND)
            if _EN_CHANGE.search(question) and kinds <= {"count"}:
                kinds = {"any"}  # "how much did it drop": by a count or a percentage
            elif not kinds and re.search(r"\bhow much\b", question, re.I):
                kinds = {"any"}  # "how much compensation": a figure, whatever its unit
            units = {_EN_UNITS[w] for w in words if w in _EN_UNITS} | ({"年"} if _EN_YEARS_ASKED.search(question) else set())
            search_text = translated or _dense_text(terms)
            search_text = search_text or question
        unmentioned = self._unmentioned(terms)
        if year:
            terms.append(Term(f"{year}年", 0.5, "scope"))
        for name in named:
            terms.append(Term(name, 0.5, "scope"))
        if units and not kinds:
            kinds.add("count")
        if not kinds and _EACH.search(question):
            kinds.add("any")  # "the breakdown of the legality reviews": their figures
        if not kinds and _COMPARE.search(question) and _MORE_OR_LESS.search(question):
            kinds.add("any")  # "who published more interpretations": a figure on each side
        whole = {name for name in named if places.covers_whole(name)}
        wider = [name for name in named if name not in whole]
        if whole:
            named = {name: ids for name, ids in named.items() if name in whole}
        # Words every passage holds (建设, 工作) say little about which passage answers.
        terms = [replace(t, weight=t.weight * (0.7 + 0.3 * self.rarity(t.zh))) for t in terms]
        compare = bool(_COMPARE.search(question))
        two_part = bool(_TWO_PART.search(question))
        figures_asked = min(3, max(1, len(_HOW_MANY.findall(question))))
        counted = [t for t in terms if t.focus] if compare else []  # what both sides of a compare count
        return QueryPlan(
            question=question, language=language, terms=terms, search_text=search_text, year=year,
            years=years if compare else years[:1],
            places=named, kinds=kinds, units=units, compare=compare,
            sides=self._sides(question, language, named, counted) if compare or two_part else [],
            side_reports=self._side_reports(question, language, named, places) if compare or two_part else [],
            about_publication=bool(_PUBLICATION.search(question)),
            wider_places=wider if not whole else [],
            unindexed_places=[] if named else places.unindexed(question),
            # "How many items, across how many departments": the class is one figure's, not every one's.
            counts=_counted_class(question, language, units) if figures_asked == 1 else None,
            change=bool(_EN_CHANGE.search(question) or _ZH_CHANGE.search(question)),
            asks_issuer=bool(_WHICH_ISSUER.search(question)),
            listing=bool(_LISTING.search(question)), listed=listed, each=bool(_EACH.search(question)),
            ordinal=bool(re.search(r"第几|\bwhich (session|meeting|plenary|round|time)\b", question, re.I)),
            asks_why=bool(re.search(r"\bwhy\b|\bwhat for\b|\bpurpose\b|为什么|为何|原因|目的", question, re.I)),
            remaining=bool(re.search(_REMAINING, question, re.IGNORECASE)),
            unmentioned=unmentioned,
            figures_asked=figures_asked,
            across=_across(question, language),
            given=_given_figures(question),
        )

    def _unmentioned(self, terms: list[Term]) -> list[Term]:
        """Qualifiers of what is counted that no report uses: 简易程序 in "how many summary-procedure legal
        aid cases". The reports then give no figure for that kind, and the total must not stand in for it.
        The last phrase is the head noun: a word the reports lack there is a gap in translation, not in them."""
        by_position: dict[int, list[Term]] = {}
        for term in terms:
            if term.focus and term.position >= 0:
                by_position.setdefault(term.position, []).append(term)
        qualifiers = [by_position[p] for p in sorted(by_position)[:-1]]
        return [group[0] for group in qualifiers if not any(self.vocabulary(t.zh) for t in group)]

    def _sides(
        self, question: str, language: Language, named: dict[str, set[str]], counted: list[Term]
    ) -> list[list[Term]]:
        """The two subjects of "A和B哪个多" / "A or B, which is more", each with its own terms. A side that
        names only its place and year (某县2024年和另一县2022年的地区生产总值) weighs the other's indicator."""
        parts = _side_parts(question)
        if len(parts) < 2:
            return []
        sides = []
        for part in parts[:2]:
            part = _COMPARE.sub(" ", part)
            terms = (
                self._chinese_terms(_question_words(part, named)) + self._latin_terms(part) if language == "zh"
                else self._english_terms(english_words(part))
            )
            sides.append([t for t in terms if len(t.zh) > 1 and t.zh not in NOT_CONTENT])
        if not any(sides):
            return []
        # In a compare, a side that names none of what is counted counts it too: "A和B的推文数量" counts 推文 for A.
        return [
            (side if any(t.zh == c.zh for t in side for c in counted) else side + counted) if side else other
            for side, other in zip(sides, sides[::-1])
        ]

    def _side_reports(
        self, question: str, language: Language, named: dict[str, set[str]], places: PlaceIndex
    ) -> list[set[str]]:
        """For "汉滨区2024年的X和略阳县2022年的X" (or "Changsha County vs Xuchang"), the reports of the place each
        side names: each side's figure comes from its own."""
        found = []
        for part in _side_parts(question)[:2]:
            in_part = places.in_chinese(part) if language == "zh" else places.in_english(english_words(part), self._knows)
            found.append(set().union(*(ids for name, ids in in_part.items() if name in named)))
        return found if len(found) == 2 and all(found) and found[0] != found[1] else []

    def _latin_terms(self, text: str) -> list[Term]:
        """English the user wrote into a Chinese question (GDP, APP), read through the glossary."""
        return self._english_terms(english_words(" ".join(_LATIN_RUN.findall(text))))

    def _knows(self, word: str) -> bool:
        """An English word the glossary or the dictionary reads: not a misspelt place name."""
        return bool(self.glossary.translate([word])[0] or self.dictionary.lookup(word))

    def _english_terms(self, words: list[str]) -> list[Term]:
        words = [w for w in words if not _YEAR.fullmatch(w)]
        terms, leftover = self.glossary.translate(words)
        terms = _mark_focus_en(words, terms)
        for position, word in leftover:
            if word.isdigit() or len(word) < 3:
                continue
            # A dictionary sense the reports never use (吾人 for "uses", 空港 for "airport") is noise: the
            # first senses they do use (机场) stand for the word.
            used = [zh for zh in self.dictionary.lookup(word, limit=DICTIONARY_SENSES) if self.vocabulary(zh)]
            terms += [Term(zh, 0.4, "dictionary", word, position) for zh in used[:2]]
        return terms

    def _chinese_terms(self, words: list[str], weight: float = 1.0) -> list[Term]:
        """The content words of a Chinese question (cut by ``_question_words``): each one concept."""
        import jieba

        focus = _focus_zh(words)
        function_words = _function_words("".join(words))
        terms = []
        for i, word in enumerate(words):
            if (
                word in _ZH_QUESTION_WORDS or word in NOT_CONTENT or word in words[:i] or _asks_how_many(word)
                or not re.search(r"[\u4e00-\u9fff]", word) or word in function_words
            ):
                continue
            terms.append(Term(word, weight, "question", word, i, word in focus))
            # A compound is half found in its parts: 执法检查 in 开展各类检查.
            parts = [p for p in jieba.cut_for_search(word) if len(p) >= 2 and p != word] if len(word) >= 4 else []
            terms += [Term(p, weight * 0.6, "question", word, i, word in focus, p) for p in dict.fromkeys(parts)]
        return terms


_EN_FOCUS_CUE = re.compile(r"^(how many|how much|number of|what (percentage|share|proportion|number) of)$")
_ZH_FOCUS_CUE = frozenset("多少 几 多少个".split())
_ZH_LIST_CUE = frozenset("哪些 哪几".split())
_ZH_PHRASE_END = frozenset("?？,，。;；!！")


def _dense_text(terms: list[Term]) -> str:
    """The first rendering of each glossary phrase: the synonyms after it cost embedding time, not recall."""
    first: dict[int, str] = {}
    for term in terms:
        if term.source == "glossary":
            first.setdefault(term.position, term.zh)
    return " ".join(dict.fromkeys(first.values()))


def _mark_focus_en(words: list[str], terms: list[Term]) -> list[Term]:
    """The noun phrase after "how many"/"number of" names what is counted: its glossary terms are the focus."""
    cue_end = next(
        (i + n for n in (2, 3, 4) for i in range(len(words)) if _EN_FOCUS_CUE.match(" ".join(words[i : i + n]))),
        None,
    )
    if cue_end is None:
        return terms
    if words[cue_end : cue_end + 2][-1:] == ["of"] and words[cue_end] in _EN_MEASURES:
        cue_end += 2  # "how many rounds of outbreaks" counts outbreaks, in rounds
    run_end = next((j for j in range(cue_end, len(words)) if _ends_noun_phrase(words[j])), len(words))
    verb = words[run_end : run_end + 2]
    if words[cue_end - 2] in _SHARE_WORDS and (verb[:1] in (["were"], ["was"], ["are"], ["is"]) or verb == ["ended", "up"]):
        # "what share of the replies were (ended up as) refusals": the share counts the refusals, of the replies
        cue_end = run_end + len(verb if verb == ["ended", "up"] else verb[:1])
        cue_end += words[cue_end : cue_end + 1] == ["as"]
        run_end = next((j for j in range(cue_end, len(words)) if _ends_noun_phrase(words[j])), len(words))
    content = [
        t for t in terms
        if t.source == "glossary" and t.zh not in NOT_CONTENT and len(t.zh) > 1
        and words[t.position] not in _COUNT_NOUNS
    ]
    in_run = {t.position for t in content if cue_end <= t.position < min(run_end, cue_end + 9)}
    if not in_run and words[cue_end : cue_end + 1] and words[cue_end] in _PREDICATE_VERBS:
        # "how many ended with the original decision upheld": no noun before the verb; what the clause goes on to
        # say of them is what is counted
        stop = next((j for j in range(cue_end, len(words)) if words[j] in ("and", "or", "but")), len(words))
        in_run = {t.position for t in content if cue_end <= t.position < min(stop, cue_end + PREDICATE_SPAN)}
    if not in_run:
        nearby = [t.position for t in content if cue_end <= t.position <= cue_end + 3]
        in_run = {min(nearby)} if nearby else set()
    # What is counted is the head of each noun phrase ("new civil servants and law-enforcement officers"): the
    # words before it qualify it.
    breaks = [j for j in range(cue_end, len(words)) if words[j] in ("and", "or", "than", "vs", "versus")] + [len(words)]
    heads, start = set(), cue_end
    for end in breaks:
        inside = [q for q in in_run if start <= q < end]
        heads |= {max(inside)} if inside else set()
        start = end + 1
    return [
        replace(t, focus=True, qualifier=t.position not in heads) if t.position in in_run and t in content else t
        for t in terms
    ]


def _asks_how_many(word: str) -> bool:
    """几件, 几次, 多少人: the question's cue and measure word, not a thing asked about."""
    return bool(re.fullmatch(r"(?:几|多少)[\u4e00-\u9fff]?", word))


def _question_words(question: str, named: dict[str, set[str]]) -> list[str]:
    """A Chinese question cut into words (jieba, precise mode), without its year and places."""
    import jieba

    text = _YEAR.sub(" ", question)
    for name in named:
        text = text.replace(name, " ").replace(name[:-1], " ")
    tokenize("")  # loads jieba's dictionary once
    return [w.strip() for w in jieba.cut(text) if w.strip()]


def _function_words(text: str) -> set[str]:
    """Words of a question that carry no content, by their part of speech: conjunctions, pronouns, particles
    and bare numbers (是因为, 之类, 这, 两个): said by users, not by reports."""
    import jieba.posseg

    return {
        pair.word for pair in jieba.posseg.lcut(text)
        if (pair.flag in _FUNCTION_TAGS and not pair.word.startswith(("各", "本"))) or pair.flag.startswith("u")
        or (pair.flag == "m" and _BARE_NUMBER.fullmatch(pair.word))
    }


def _side_parts(question: str) -> list[str]:
    """The parts of a question that weigh two things: one question after another ("A多少件?B多少件?"), else
    the two sides of 和 / and. A part that only asks the comparison ("差多少?") weighs nothing of its own."""
    parts = [p for p in _QUESTION_SPLIT.split(question) if _HOW_MANY.sub("", _COMPARE.sub("", p)).strip(" ,，、。!！")]
    if len(parts) < 2 or not all(_HOW_MANY.search(p) for p in parts):  # "哪个多?多多少?" weighs two things
        parts = [p for p in _SIDE_SPLIT.split(question) if p and p.strip()]
    return parts


def _listed_en(words: list[str], terms: list[Term]) -> frozenset[str]:
    """What "which emergency-response trainings …" lists: the head of each noun phrase after "which"."""
    if "which" not in words:
        return frozenset()
    start = words.index("which") + 1
    end = next((j for j in range(start, len(words)) if _ends_noun_phrase(words[j])), len(words))
    content = [t for t in terms if t.source == "glossary" and t.zh not in NOT_CONTENT and start <= t.position < end]
    conjunctions = [i for i in range(start, end) if words[i] in ("and", "or")] + [end]
    heads = {max((t.position for t in content if t.position < stop), default=-1) for stop in conjunctions}
    return frozenset(t.zh for t in content if t.position in heads)


def _focus_zh(words: list[str]) -> set[str]:
    """The words right after 多少件/几次 — or, at the end of a question (纠错率是多少), right before."""
    for i, word in enumerate(words):
        if (word in _ZH_FOCUS_CUE or _asks_how_many(word)) and words[i - 1 : i] != ["哪"]:  # 哪几类 asks which
            # 多少件尚未办结: a negated verb says what the rest lacks, not what is counted.
            negated = any(w in ("尚未", "没有", "未") for w in words[i + 1 : i + 3])  # 多少(件)尚未…
            after = [] if negated else _phrase_head(words, i)
            # The words just before (not past a 。or ?), past the time words and verbs between a thing and its
            # 几次: 会前学法去年搞了几次 counts 学法.
            window = words[max(0, i - 5) : i]
            window = window[max((j + 1 for j, w in enumerate(window) if w in _ZH_PHRASE_END), default=0) :]
            before = [
                w for w in window if len(w.rstrip("了")) > 1 and w not in _ZH_QUESTION_WORDS and w not in NOT_CONTENT
                and w not in _ZH_VERBS_BEFORE_CUE and w[0] not in _ADVERB_HEADS and not _ZH_TIME_WORD.search(w)
            ]
            # 衔接案件办了多少件: 案件 says no more than 件 does (a report may write 衔接34件); the word before does.
            unit = word[-1] if word[-1] not in "少几" else "".join(words[i + 1 : i + 2])[:1]
            before = [w for w in before if not (unit and w.endswith(unit))] or before
            return set(after or before[-1:])
    return set()


def _listed_zh(words: list[str]) -> frozenset[str]:
    """What 出台了哪些规范性文件 lists: the words after 哪些."""
    return frozenset(next((_phrase_head(words, i) for i, w in enumerate(words) if w in _ZH_LIST_CUE), []))


def _phrase_head(words: list[str], cue: int) -> list[str]:
    """What is counted after a cue: the first content word and the last, its head (多少件政府信息公开申请:
    政府 … 申请); in 多少件以政府名义发出的文件 the head after the last 的."""
    phrase = list(words[cue + 1 :])
    phrase = phrase[: next((j for j, w in enumerate(phrase) if w in _ZH_PHRASE_END), len(phrase))]
    if "的" in phrase[:-1]:
        phrase = phrase[len(phrase) - phrase[::-1].index("的") :]
    content = [w for w in phrase if len(w) > 1 and w not in NOT_CONTENT and w not in _ZH_QUESTION_WORDS]
    return list(dict.fromkeys(content[:1] + content[-1:]))


# Verbs and adverbs that stand between a thing and its 多少 (可办率达到多少, 批示大约多少次); a verb of one
# character (发了多少条, 搞了几次) says nothing of what is counted either.
_ZH_TIME_WORD = re.compile(r"[年月]$|^[今去全本当上下前]年")  # 一年, 上半年: when, not what is counted
_ADVERB_HEADS = "共还已又再都也总各"  # 还有几件, 共设了几个, 各发了几条: an adverb and its verb, not what is counted
_ZH_VERBS_BEFORE_CUE = frozenset(
    "达到 大约 缩短 下降 增长 提高 减少 增加 降低 上升 一共 累计 超过 上涨 提升 "
    "进行 举办 举行 组织 召开".split()
)
_PEOPLE_EN = frozenset(
    "person people official cadre lawyer principal resident staff mediator officer member worker participant "
    "student teacher judge villager leader head expert volunteer citizen trainee employee".split()
)
_INSTITUTIONS_EN = frozenset(
    "school unit institution enterprise company organization organisation committee station centre center "
    "village community township department agency bureau firm".split()
)
_OTHER_NOUNS_EN = frozenset(
    "time session activity meeting inspection training lecture drill campaign case dispute item application "
    "document complaint matter petition consultation visit hearing decision review".split()
)
_COUNTED_NOUNS = (("people", _PEOPLE_EN), ("institutions", _INSTITUTIONS_EN), ("other", _OTHER_NOUNS_EN))
# Nouns that only say "how many" again ("how many items", "broken-promise cases"): the figure's unit (项, 件)
# counts them; the report need not name them.
PREDICATE_SPAN = 7
DICTIONARY_SENSES = 8  # senses looked at for the first two the reports use: dev en +3 (2 → 8), own unchanged
_PREDICATE_VERBS = frozenset("were was are is got get ended end".split())
_COUNT_NOUNS = frozenset("case cases item items time times thing things matter matters piece pieces instance instances".split())
_NOUN_PHRASE_END = frozenset(
    "did do does were was are is have has had on in at by for to from with that which who got received".split()
)
_PEOPLE_UNITS = ("人", "名", "人次", "位")
_INSTITUTION_UNITS = ("所", "家")


def _ends_noun_phrase(word: str) -> bool:
    """Where "how many <noun phrase>" ends: an auxiliary, a preposition, or a past-tense verb."""
    return word in _NOUN_PHRASE_END or (len(word) > 4 and word.endswith("ed"))


def _counted_class(question: str, language: Language, units: set[str]) -> str | None:
    """What a "how many X" counts, when X is people or institutions (so 12次 cannot answer it)."""
    if language == "zh":
        if units & set(_PEOPLE_UNITS):
            return "people"
        return "institutions" if units & set(_INSTITUTION_UNITS) else None
    words = english_words(question)
    for i in range(len(words) - 1):
        if words[i : i + 2] in (["how", "many"], ["number", "of"]):
            counted = None
            for word in words[i + 2 : i + 8]:
                if _ends_noun_phrase(word):
                    break
                forms = set(singular_forms(word))
                counted = next((kind for kind, nouns in _COUNTED_NOUNS if forms & nouns), counted)
            return counted if counted in ("people", "institutions") else None
    return None


def _kinds(text: str, patterns: dict[str, re.Pattern[str]]) -> set[str]:
    return {kind for kind, pattern in patterns.items() if pattern.search(text)}


def _given_figures(question: str) -> frozenset[float]:
    """The figures a question states in digits, years aside (下一年 and 一件 are words, not figures)."""
    digits = re.sub(r"[零〇一二两三四五六七八九十百千]", " ", question)
    return frozenset(v for v in numbers_in(digits) if not (1900 <= v <= 2100 and v.is_integer()))


def _across(question: str, language: Language) -> TableQuestion | None:
    """The kind of table question, if the question is one (cues only; the scope decides later)."""
    cues = _ACROSS_ZH if language == "zh" else _ACROSS_EN
    kind = next((k for k in _ACROSS_ORDER if cues[k].search(question)), None)
    if kind is None:
        return None
    years = sorted({int(y) for y in _YEAR.findall(question)})
    span = _RANGE.search(question)
    if span:
        low, high = sorted(int(y) for y in span.groups())
        years = sorted(set(years) | set(range(low, high + 1)))
    return TableQuestion(kind, bool(_FEWEST.search(question)), tuple(years))
