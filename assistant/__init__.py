"""Answer: retrieve (hybrid, cross-lingual) → answer (extractive | LLM) → verify → cite.

The Python API for other apps::

    from assistant import Assistant
    from index import Settings

    bot = Assistant.from_settings(Settings())
    answer = bot.ask("how many legal aid cases in 2025?")
    print(answer.answer, answer.citations[0].quote)
"""

from assistant.pipeline import Assistant, QuestionError
from assistant.retrieve import Filters
from assistant.types import Answer, Citation, Passage

__all__ = ["Answer", "Assistant", "Citation", "Filters", "Passage", "QuestionError"]
