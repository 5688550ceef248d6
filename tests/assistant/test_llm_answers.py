"""The assistant with an LLM answerer (LangChain fake chat models): verified, repaired, or fallen back."""

from __future__ import annotations

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel

from assistant import Answer, Assistant
from assistant.llm import LLMAnswerer
from index import IndexReader, Settings

QUESTION = "云冈区2025年受理了多少件法律援助案件?"


def assistant_with(corpus_settings: Settings, embeddings, chat_model) -> Assistant:
    reader = IndexReader(corpus_settings, embeddings=embeddings)
    return Assistant(corpus_settings, reader=reader, llm=LLMAnswerer(chat_model))


def test_a_faithful_llm_answer_is_shown_verified_and_cited(corpus_settings: Settings, embeddings) -> None:
    bot = assistant_with(corpus_settings, embeddings, FakeListChatModel(responses=["2025年共受理法律援助案件249件[1]。"]))
    events = list(bot.stream(QUESTION))
    answer = events[-1]
    assert isinstance(answer, Answer) and answer.answerer == "llm" and answer.verified
    assert "".join(e for e in events if isinstance(e, str)).startswith("2025年")  # streamed in pieces
    assert "受理法律援助案件249件" in answer.citations[0].quote


def test_an_invented_figure_is_never_shown_as_fact(corpus_settings: Settings, embeddings) -> None:
    bot = assistant_with(corpus_settings, embeddings, FakeListChatModel(responses=["2025年共受理法律援助案件294件[1]。"]))
    answer = bot.ask(QUESTION)
    assert answer.verified and "249件" in answer.answer and "294" not in answer.answer  # repaired
    assert answer.answerer == "extractive"
    assert any("294" in note for note in answer.notes)


def test_an_invented_figure_never_streams_even_provisionally(corpus_settings: Settings, embeddings) -> None:
    reply = "云冈区法律援助工作扎实推进。2025年共受理法律援助案件294件[1]。值班律师提供法律帮助199件[1]。"
    bot = assistant_with(corpus_settings, embeddings, GenericFakeChatModel(messages=iter([reply])))

    events = list(bot.stream(QUESTION))

    streamed = "".join(e for e in events if isinstance(e, str))
    assert streamed.startswith("云冈区法律援助工作扎实推进。")  # sentences whose figures hold go out as they come
    assert "294" not in streamed and "199" not in streamed  # nothing after the sentence that fails
    final = events[-1]
    assert isinstance(final, Answer) and final.verified and "249件" in final.answer and "294" not in final.answer


def test_a_failing_llm_falls_back_to_the_extractive_answer_and_says_so(corpus_settings: Settings, embeddings) -> None:
    def broken():
        raise TimeoutError("the endpoint timed out")
        yield  # pragma: no cover

    bot = assistant_with(corpus_settings, embeddings, GenericFakeChatModel(messages=broken()))
    answer = bot.ask(QUESTION)
    assert answer.found and answer.answerer == "extractive" and "249件" in answer.answer
    assert any("LLM" in note for note in answer.notes)


def test_the_extractive_answerer_can_be_chosen_even_with_an_llm(corpus_settings: Settings, embeddings) -> None:
    bot = assistant_with(corpus_settings, embeddings, FakeListChatModel(responses=["不应被调用"]))
    assert bot.ask(QUESTION, answerer="extractive").answerer == "extractive"


def test_an_unverifiable_answer_with_no_repair_is_declined_and_kept_aside(corpus_settings: Settings, embeddings) -> None:
    bot = assistant_with(
        corpus_settings, embeddings, FakeListChatModel(responses=["全区共有养老院57所[1]。"])
    )
    answer = bot.ask("云冈区2025年有多少所养老院?")
    assert not answer.found and not answer.verified and not answer.citations
    assert answer.draft == "全区共有养老院57所[1]。" and any("57" in note for note in answer.notes)


def test_a_follow_up_reaches_the_llm_as_the_rewritten_standalone_question(
    corpus_settings: Settings, embeddings, monkeypatch: pytest.MonkeyPatch
) -> None:
    standalone = "云冈区2025年值班律师提供了多少件法律帮助?"
    bot = assistant_with(
        corpus_settings, embeddings, FakeListChatModel(responses=[standalone, "值班律师提供法律帮助199件[1]。"])
    )
    asked: list[str] = []
    stream = bot.llm.stream
    monkeypatch.setattr(bot.llm, "stream", lambda question, *rest: asked.append(question) or stream(question, *rest))

    bot.ask("那值班律师呢?", history=[(QUESTION, "全年共受理法律援助案件249件[1]。")])

    assert asked == [standalone]


@pytest.mark.parametrize("reply", ["NOT_FOUND"])
def test_an_llm_refusal_is_a_decline_in_the_question_language(corpus_settings: Settings, embeddings, reply: str) -> None:
    bot = assistant_with(corpus_settings, embeddings, FakeListChatModel(responses=[reply]))
    answer = bot.ask("云冈区2025年有多少所养老院?")
    assert not answer.found and answer.language == "zh"
