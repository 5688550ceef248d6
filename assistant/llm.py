"""The LLM answerer: a LangChain chat model answers from numbered passages, streaming, with [n] markers.

    answerer = LLMAnswerer.from_settings(settings)          # or LLMAnswerer(any BaseChatModel)
    for item in answerer.stream(question, "zh", passages):  # passages ranked best first
        if isinstance(item, str): show(item)                # text deltas, as the model writes them
        else: draft = item                                  # last: the Draft, authoritative
    unsupported_figures(draft.answer, draft.citations)      # the caller verifies (assistant.verify)

The deltas are the model's raw text; the final ``Draft`` is what to keep: its
``[n]`` markers all point at a passage the model was shown (markers to any other
number are removed), the model's refusal line is replaced by a plain message in
the question's language, and each cited passage carries the sentence that holds
the answer's figures, with its span in the report. The refusal line itself is
held back from the deltas, so a user never sees the bare token.

Every failure of the model (unreachable server, timeout, empty reply) raises
``LLMUnavailableError``, so the caller can fall back to the extractive answerer.
``timeout_s`` bounds each call as a whole — retries and a reply trickling in
included — and after a failure the model is not asked again for ``backoff_s``,
so a dead or slow endpoint costs one timeout, not one per question or per step.
"""

from __future__ import annotations

import importlib.util
import re
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage, HumanMessage, SystemMessage
from pydantic import SecretStr

from assistant.cite import cite, sentences
from assistant.prompts import PromptError, PromptTemplate, load_prompt
from assistant.types import Citation, Draft, Language, Passage
from index.errors import ReportChatError
from index.figures import fold, numbers_in
from index.tokens import count_tokens

if TYPE_CHECKING:
    from index.settings import Settings

__all__ = [
    "NOT_FOUND_MESSAGES",
    "NOT_FOUND_TOKEN",
    "LLMAnswerer",
    "LLMNotConfiguredError",
    "LLMUnavailableError",
]

NOT_FOUND_TOKEN = "NOT_FOUND"
NOT_FOUND_MESSAGES: dict[str, str] = {
    "zh": "所提供的报告中没有找到这个问题的答案。",
    "en": "The reports do not contain the answer to this question.",
}
_LANGUAGE_NAMES = {"zh": "中文 (Chinese)", "en": "English"}
# The variables each template must take (see assistant/prompts.py).
_TEMPLATES = {
    "system": {"not_found"},
    "answer": {"question", "passages", "language", "not_found"},
    "followup": {"history", "question"},
    "translate": {"question"},
}
_PROVIDERS = ("openai", "ollama")
_MAX_RETRIES = 1
_HISTORY_TURNS = 4  # follow-up rewriting sees the last few turns …
_HISTORY_ANSWER_CHARS = 300  # … with long answers cut

_REFUSAL = re.compile(r"(?<![A-Za-z])NOT[_ ]FOUND(?![A-Za-z])")  # the token, or a model's "NOT FOUND"; never prose "not found"
_MARKER = re.compile(r"\[(\d+)\]")
_MARKER_GROUP = re.compile(r"(?:\[\d+\]\s*)+")
_MARKER_VARIANTS = re.compile(r"[\[【]\s*(\d+(?:\s*[,，、]\s*\d+)*)\s*[\]】]")
_ENDS = "。！？；!?;."


class LLMUnavailableError(ReportChatError):
    """The chat model could not answer (unreachable, timed out, failed, or replied with nothing)."""

    def __init__(self, where: str, cause: object) -> None:
        self.where, self.cause = where, cause
        super().__init__(
            f"大模型不可用({where}):{cause};请检查模型服务是否在运行,以及 REPORTCHAT_LLM_MODEL / "
            f"REPORTCHAT_LLM_BASE_URL 是否正确,或取消 REPORTCHAT_LLM_MODEL 以使用摘录式回答 / "
            f"The language model is unavailable ({where}): {cause}. Check that the model server is running "
            "and that REPORTCHAT_LLM_MODEL / REPORTCHAT_LLM_BASE_URL are right, or unset REPORTCHAT_LLM_MODEL "
            "to answer extractively."
        )


class LLMNotConfiguredError(LLMUnavailableError):
    """No usable chat model in the settings (no model name, unknown provider, missing integration)."""

    def __init__(self, reason_zh: str, reason_en: str) -> None:
        self.where, self.cause = "settings", reason_en
        ReportChatError.__init__(self, f"{reason_zh} / {reason_en}")


class LLMAnswerer:
    """Answers from ranked passages with a chat model; see the module docstring."""

    name = "llm"

    def __init__(
        self, chat_model: BaseChatModel, context_tokens: int = 1500, prompts_dir: Path | None = None,
        timeout_s: float | None = None, backoff_s: float = 30.0,
    ) -> None:
        if context_tokens < 1:
            raise ValueError(f"context_tokens must be positive, got {context_tokens}")
        self.chat_model = chat_model
        self.context_tokens = context_tokens
        self.timeout_s = timeout_s
        self.backoff_s = backoff_s  # after a failure, answer without the model for this long
        self._failed_at: float | None = None
        self._templates = {name: _load_checked(name, prompts_dir) for name in _TEMPLATES}
        self._where = f"{type(chat_model).__name__}"

    @classmethod
    def from_settings(cls, settings: Settings, prompts_dir: Path | None = None) -> LLMAnswerer:
        """The chat model the settings name (``llm_provider``, ``llm_model``, ``llm_base_url`` …)."""
        answerer = cls(
            _chat_model(settings), context_tokens=settings.context_tokens, prompts_dir=prompts_dir,
            timeout_s=settings.llm_timeout_s, backoff_s=settings.llm_backoff_s,
        )
        answerer._where = f"{settings.llm_provider} {settings.llm_model!r}" + (
            f" at {settings.llm_base_url}" if settings.llm_base_url else ""
        )
        return answerer

    # -- answering ---------------------------------------------------------------------------

    def pack(self, passages: list[Passage]) -> list[Passage]:
        """The best-ranked passages that fit ``context_tokens`` (the first one cut to fit when alone too long)."""
        packed: list[Passage] = []
        used = 0
        for passage in passages:
            cost = count_tokens(_format_passage(len(packed) + 1, passage)) + 1
            if used + cost > self.context_tokens:
                if not packed:
                    packed.append(self._cut_to_fit(passage))
                break
            packed.append(passage)
            used += cost
        return packed

    def messages(self, question: str, language: Language, packed: list[Passage]) -> list[BaseMessage]:
        """The chat messages for ``question`` over already packed passages, numbered from 1."""
        block = "\n\n".join(_format_passage(n, p) for n, p in enumerate(packed, 1))
        return [
            SystemMessage(self._templates["system"].render(not_found=NOT_FOUND_TOKEN)),
            HumanMessage(
                self._templates["answer"].render(
                    question=question.strip(), passages=block, language=_LANGUAGE_NAMES[language],
                    not_found=NOT_FOUND_TOKEN,
                )
            ),
        ]

    def stream(self, question: str, language: Language, passages: list[Passage]) -> Iterator[str | Draft]:
        """Text deltas as the model writes them, then one ``Draft`` (raises ``LLMUnavailableError``)."""
        packed = self.pack(passages)
        if not packed:
            yield NOT_FOUND_MESSAGES[language]
            yield Draft(answer=NOT_FOUND_MESSAGES[language], found=False)
            return
        parts: list[str] = []
        held = ""  # the start of the reply, held back while it may still be the refusal line
        holding = True
        for delta in self._deltas(self.messages(question, language, packed)):
            parts.append(delta)
            if not holding:
                yield delta
                continue
            held += delta
            head = held.lstrip()
            if head.startswith(NOT_FOUND_TOKEN) or NOT_FOUND_TOKEN.startswith(head):
                continue
            holding = False
            yield held
        text = "".join(parts).strip()
        if not text:
            raise self._failed("the model replied with nothing")
        draft = self._draft(text, language, packed)
        if holding:  # the reply never got past what looked like the refusal line
            yield draft.answer if not draft.found else held
        yield draft

    def answer(self, question: str, language: Language, passages: list[Passage]) -> Draft:
        """The final ``Draft`` of ``stream``, without the deltas."""
        for item in self.stream(question, language, passages):
            if isinstance(item, Draft):
                return item
        raise AssertionError("stream() ends with a Draft")  # pragma: no cover

    # -- query helpers -----------------------------------------------------------------------

    def translate(self, question: str) -> str:
        """An English question as a Chinese search query in the reports' vocabulary."""
        return self._one_line(self._templates["translate"].render(question=question.strip()))

    def rewrite(self, question: str, history: list[tuple[str, str]]) -> str:
        """A follow-up as a standalone question, in its own language.

        ``history`` holds the earlier turns as (user question, assistant answer) pairs, oldest first;
        with no history the question is returned as it is, without asking the model.
        """
        if not history:
            return question.strip()
        lines = []
        for asked, answered in history[-_HISTORY_TURNS:]:
            answered = _MARKER.sub("", answered).strip()
            if len(answered) > _HISTORY_ANSWER_CHARS:
                answered = answered[:_HISTORY_ANSWER_CHARS] + "…"
            lines += [f"User: {asked.strip()}", f"Assistant: {answered}"]
        return self._one_line(
            self._templates["followup"].render(history="\n".join(lines), question=question.strip())
        )

    # -- internals ---------------------------------------------------------------------------

    def _deltas(self, messages: list[BaseMessage]) -> Iterator[str]:
        self._check_backoff()
        deadline = time.monotonic() + self.timeout_s if self.timeout_s else None
        try:
            for chunk in self.chat_model.stream(messages):
                if deadline is not None and time.monotonic() > deadline:
                    raise TimeoutError(f"no complete answer within {self.timeout_s:g} s")
                delta = str(chunk.text)
                if delta:
                    yield delta
        except Exception as e:
            raise self._failed(_describe(e)) from e

    def _one_line(self, prompt: str) -> str:
        self._check_backoff()
        try:
            reply = self.chat_model.invoke([HumanMessage(prompt)])
        except Exception as e:
            raise self._failed(_describe(e)) from e
        for line in str(reply.text).splitlines():
            line = line.strip().strip("\"'“”「」")
            if line:
                return line
        raise self._failed("the model replied with nothing")

    def _check_backoff(self) -> None:
        """Refuse at once while a recent failure is fresh: a dead endpoint must not cost a timeout per call."""
        if self._failed_at is not None and time.monotonic() - self._failed_at < self.backoff_s:
            raise LLMUnavailableError(self._where, f"it failed {time.monotonic() - self._failed_at:.0f} s ago")

    def _failed(self, cause: str) -> LLMUnavailableError:
        self._failed_at = time.monotonic()
        return LLMUnavailableError(self._where, cause)

    def _draft(self, text: str, language: Language, packed: list[Passage]) -> Draft:
        text = _MARKER_VARIANTS.sub(lambda m: "".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)
        valid = range(1, len(packed) + 1)
        text = re.sub(r"\s?\[(\d+)\]", lambda m: m.group(0) if int(m.group(1)) in valid else "", text)
        if _REFUSAL.search(text):
            if not _MARKER.search(text):
                return Draft(answer=NOT_FOUND_MESSAGES[language], found=False)
            # A cited answer to part of the question, with the refusal line for the rest: keep the answer.
            text = re.sub(r"[ \t]*" + _REFUSAL.pattern + r"[ \t]*\n?", "", text)
        text = re.sub(r"[ \t]{2,}", " ", text).strip()
        claims = _claims(text)
        citations = [_cite(n, packed[n - 1], claims[n]) for n in claims]
        return Draft(answer=text, found=True, citations=citations)

    def _cut_to_fit(self, passage: Passage) -> Passage:
        """``passage`` with its text cut (from the end) until its prompt block fits the budget."""
        low, high = 0, len(passage.text)
        while low < high:
            mid = (low + high + 1) // 2
            cut = passage.model_copy(update={"text": passage.text[:mid]})
            if count_tokens(_format_passage(1, cut)) + 1 <= self.context_tokens:
                low = mid
            else:
                high = mid - 1
        return passage.model_copy(update={"text": passage.text[:low], "end": passage.start + low})


def _chat_model(settings: Settings) -> BaseChatModel:
    if not settings.llm_model:
        raise LLMNotConfiguredError(
            "未配置大模型:请设置 REPORTCHAT_LLM_MODEL",
            "No LLM is configured: set REPORTCHAT_LLM_MODEL (and REPORTCHAT_LLM_BASE_URL for a local server).",
        )
    provider = settings.llm_provider.strip().lower()
    common: dict[str, Any] = {"temperature": 0}
    if provider == "openai":
        # llama.cpp's server ignores max_completion_tokens (what langchain-openai sends): max_tokens in the body.
        kwargs = common | {
            "base_url": settings.llm_base_url,
            # Local servers take no key, but the OpenAI client insists on one.
            "api_key": settings.llm_api_key or SecretStr("not-needed"),
            "timeout": settings.llm_timeout_s / (_MAX_RETRIES + 1),  # the retries share the one budget
            "max_retries": _MAX_RETRIES,
            "extra_body": {"max_tokens": settings.llm_max_tokens},
        }
    elif provider == "ollama":
        if importlib.util.find_spec("langchain_ollama") is None:
            raise LLMNotConfiguredError(
                "llm_provider=ollama 需要安装 langchain-ollama:pip install langchain-ollama",
                "llm_provider 'ollama' needs the langchain-ollama package: pip install langchain-ollama.",
            )
        kwargs = common | {
            "num_predict": settings.llm_max_tokens,
            "client_kwargs": {"timeout": settings.llm_timeout_s},
        }
        if settings.llm_base_url:
            kwargs["base_url"] = settings.llm_base_url
    else:
        raise LLMNotConfiguredError(
            f"不支持的 llm_provider {settings.llm_provider!r},可选 {', '.join(_PROVIDERS)}",
            f"Unsupported llm_provider {settings.llm_provider!r}: use one of {', '.join(_PROVIDERS)}.",
        )
    from langchain.chat_models import init_chat_model

    try:
        return init_chat_model(settings.llm_model, model_provider=provider, **kwargs)
    except Exception as e:  # missing integration, invalid arguments
        raise LLMNotConfiguredError(
            f"无法创建大模型 {settings.llm_model!r}:{e}", f"Cannot set up the chat model {settings.llm_model!r}: {e}"
        ) from e


def _load_checked(name: str, prompts_dir: Path | None) -> PromptTemplate:
    template = load_prompt(name, prompts_dir)
    if template.variables != _TEMPLATES[name]:
        raise PromptError(
            f"提示模板 {name!r} 的变量应为 {sorted(_TEMPLATES[name])} / Prompt template {name!r} must take "
            f"exactly {sorted(_TEMPLATES[name])}, but takes {sorted(template.variables)}."
        )
    return template


def _format_passage(n: int, passage: Passage) -> str:
    year = f"({passage.year})" if passage.year is not None else ""
    return f"[{n}] 《{passage.title}》{year} {passage.section}\n{passage.text.strip()}"


def _describe(error: Exception) -> str:
    message = str(error).strip()
    return f"{type(error).__name__}: {message}" if message else type(error).__name__


def _claims(answer: str) -> dict[int, str]:
    """For each cited n (in order of first use): the answer text its markers stand for.

    A marker stands for the text since the previous marker (or the start), and, when it sits
    inside a sentence rather than after its end, for the rest of that sentence too.
    """
    claims: dict[int, list[str]] = {}
    groups = list(_MARKER_GROUP.finditer(answer))
    for i, group in enumerate(groups):
        before = answer[groups[i - 1].end() if i else 0 : group.start()]
        after = ""
        if not before.rstrip().endswith(tuple(_ENDS)):
            stop = groups[i + 1].start() if i + 1 < len(groups) else len(answer)
            end = re.search(r"[。！？；!?;]|\.(?=\s|$)", answer[group.end() : stop])
            after = answer[group.end() : group.end() + end.end() if end else stop]
        for n in _MARKER.findall(group.group()):
            claims.setdefault(int(n), []).append(before + after)
    return {n: " ".join(parts) for n, parts in claims.items()}


def _cite(n: int, passage: Passage, claim: str) -> Citation:
    """Citation ``n`` quoting the passage sentence that holds most of the claim's figures, else its characters."""
    figures = numbers_in(claim)
    wanted = _characters(_MARKER.sub("", claim))
    best: tuple[tuple[int, int], int, int] | None = None
    for start, end in sentences(passage.text):
        sentence = passage.text[start:end]
        key = (len(figures & numbers_in(sentence)), sum((wanted & _characters(sentence)).values()))
        if best is None or key > best[0]:
            best = (key, start, end)
    _, start, end = best if best is not None else (None, 0, len(passage.text))
    return cite(n, passage, start, end)


def _characters(text: str) -> Counter[str]:
    return Counter(ch for ch in fold(text) if ch.isalnum())
