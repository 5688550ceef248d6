"""The web chat answers several users at once: one waiting on a slow LLM holds up no one else."""

from __future__ import annotations

from assistant.service import ReportService
from assistant.web import build_ui
from index import Settings


def test_chat_questions_are_answered_up_to_the_configured_number_at_once(corpus_settings: Settings) -> None:
    settings = corpus_settings.model_copy(update={"web_concurrency": 3})

    ui = build_ui(ReportService(settings))

    (respond,) = [fn for fn in ui.fns.values() if fn.name == "respond"]
    assert respond.concurrency_limit == 3
