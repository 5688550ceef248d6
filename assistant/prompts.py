"""Prompt templates: plain files in ``prompts/`` (beside ``assistant/``), rendered with named variables.

A template is ``prompts/NAME.txt`` in ``str.format`` syntax: ``{variable}`` is
filled in, ``{{`` and ``}}`` stand for literal braces. Values are inserted as
they are (a ``{`` inside a passage is not read as a field). Rendering refuses
a variable the template does not use and names every one it lacks, so a
renamed field fails loudly instead of sending a half-filled prompt.

The templates and their variables:

- ``system``: ``not_found`` — the refusal line the model must answer with when
  the passages do not hold the answer (``assistant.llm.NOT_FOUND_TOKEN``).
- ``answer``: ``question``; ``passages`` — the numbered passages, each headed
  ``[n] 《title》(year) section``; ``language`` — the language to answer in
  (``中文 (Chinese)`` or ``English``); ``not_found`` — as in ``system``.
- ``followup``: ``history`` — the earlier turns, one ``User:`` / ``Assistant:``
  line each; ``question`` — the follow-up to rewrite.
- ``translate``: ``question`` — the English question.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path

from index.errors import ReportChatError

__all__ = ["PROMPTS_DIR", "PromptError", "PromptTemplate", "load_prompt", "render_prompt"]

PROMPTS_DIR = Path(__file__).resolve().parents[1] / "prompts"
_NAME = re.compile(r"[a-z][a-z0-9_]*")


class PromptError(ReportChatError):
    """A prompt template is missing, malformed, or rendered with the wrong variables."""


@dataclass(frozen=True)
class PromptTemplate:
    name: str
    text: str
    variables: frozenset[str]

    @classmethod
    def parse(cls, name: str, text: str) -> PromptTemplate:
        variables = set()
        try:
            fields = list(string.Formatter().parse(text))
        except ValueError as e:
            raise PromptError(
                f"提示模板 {name!r} 的花括号不成对:{e} / Prompt template {name!r} has unbalanced braces: {e}. "
                "Write literal braces as {{ and }}."
            ) from None
        for _, field, spec, conversion in fields:
            if field is None:
                continue
            if not _NAME.fullmatch(field) or spec or conversion:
                raise PromptError(
                    f"提示模板 {name!r} 含不支持的字段 {{{field}}} / Prompt template {name!r} has an unsupported "
                    f"field {{{field}}}: use plain {{lowercase_name}} fields, and {{{{ }}}} for literal braces."
                )
            variables.add(field)
        return cls(name, text, frozenset(variables))

    def render(self, **values: object) -> str:
        unknown = sorted(set(values) - self.variables)
        missing = sorted(self.variables - set(values))
        if unknown or missing:
            problems = []
            if missing:
                problems.append(f"missing {', '.join(missing)}")
            if unknown:
                problems.append(f"unknown {', '.join(unknown)}")
            raise PromptError(
                f"提示模板 {self.name!r} 的变量不符({'; '.join(problems)}) / Prompt template {self.name!r} "
                f"takes exactly {sorted(self.variables)}: {'; '.join(problems)}."
            )
        return self.text.format(**{k: str(v) for k, v in values.items()})


def load_prompt(name: str, prompts_dir: Path | None = None) -> PromptTemplate:
    """The template ``prompts_dir/NAME.txt`` (default: the project's ``prompts/``)."""
    folder = Path(prompts_dir) if prompts_dir is not None else PROMPTS_DIR
    if not _NAME.fullmatch(name):
        raise PromptError(f"无效的模板名 {name!r} / Invalid prompt template name {name!r}: use lowercase letters.")
    path = folder / f"{name}.txt"
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise PromptError(
            f"找不到提示模板 {path} / Prompt template {name!r} not found: expected {path}."
        ) from None
    return PromptTemplate.parse(name, text)


def render_prompt(name: str, prompts_dir: Path | None = None, **values: object) -> str:
    """Load template ``name`` and fill it in with exactly its variables."""
    return load_prompt(name, prompts_dir).render(**values)
