"""Model replies, lying and faithful, through the assistant as users meet them (the sample report).

A careless model copies a real figure of the passage but calls it what another figure counts (199 is
duty lawyers' help, not legal aid cases), swaps its unit (249万元), calls a count a rate (纠错率84%),
spells out a figure the report does not give (two hundred and ninety), launders one through arithmetic
over a list marker ("4."), leaves it uncited, or brings it from another report. Every such reply is
withheld: the extractive answer stands in when it verifies, else the reply declines, naming the figure,
with the model's text kept in ``draft``. Every faithful reply, in either language, is shown verified.

Replies cite ``[n]``: the number of the passage, among those the model is shown, that holds the topic's
sentence. They go through LangChain's fake chat models, and some through ChatOpenAI to a stand-in
OpenAI-compatible endpoint on loopback.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel

from assistant import Answer, Assistant
from assistant.llm import LLMAnswerer
from index import IndexReader, Settings

# topic: (question, the words of the sentence its figures stand in)
TOPICS = {
    "aid": ("云冈区2025年的法律援助案件受理量是多少?", "受理法律援助案件249件"),
    "review": ("云冈区2025年接收了多少件行政复议案件?", "接收行政复议案件84件"),
    "approvals": ("2025年云冈区各类审批事项的受理数量是多少?", "受理各类审批事项24979件"),
    "publicity": ("云冈区全年组织开展了多少次走街入户普法宣传活动?", "走街入户宣传活动554次"),
    "training": ("云冈区开展了几期习近平法治思想专题培训?", "开展专题培训4期"),
}

LIES = [
    # misattribution within one sentence
    ("aid", "全年共受理法律援助案件199件[n]。"),
    ("aid", "云冈区2025年共受理法律援助案件199件[n]。"),
    ("aid", "The district accepted 199 legal aid cases in 2025 [n]."),
    ("aid", "提供法律咨询199件[n]。"),
    ("aid", "值班律师提供法律帮助358件[n]。"),
    ("aid", "Duty lawyers provided legal help in 358 cases [n]."),
    ("aid", "全年共受理法律援助案件358件[n]。"),
    ("review", "全年共接收行政复议案件75件[n]。"),
    ("review", "Reconsideration: 75 cases came in over the year [n]."),
    ("review", "调解和解案件75件[n]。"),
    ("publicity", "培养法律明白人554人[n]。"),
    ("publicity", "全年组织开展走街入户宣传活动1285次[n]。"),
    ("training", "受训人数131人[n]。"),
    ("training", "覆盖科级以上干部792人次[n]。"),
    # the right words, a neighbouring clause's figure: one that adds what the answer leaves out (刑事…普通程序),
    # or one whose clause says what the answer says only through the sentence's topic
    ("aid", "受理法律援助案件147件[n]。"),
    ("aid", "法律援助199件[n]。"),
    ("review", "已办结行政复议案件84件[n]。"),
    ("review", "Over the year 84 reconsideration cases were closed [n]."),
    # unit swaps
    ("aid", "受理法律援助案件249万元[n]。"),
    ("aid", "The legal aid centre accepted 249 million yuan of cases [n]."),
    ("aid", "全年共受理法律援助案件249人[n]。"),
    ("approvals", "2025年共受理各类审批事项24979万元[n]。"),
    ("training", "全年开展专题培训4万人次[n]。"),
    # rates vs counts
    ("review", "纠错率为84%[n]。"),
    ("review", "The correction rate was 84% [n]."),
    ("review", "行政复议纠错率为75%[n]。"),
    ("review", "全年共接收行政复议案件11件[n]。"),
    # number words
    ("aid", "About two hundred and ninety legal aid cases were accepted [n]."),
    ("aid", "全年共受理法律援助案件二百九十件[n]。"),
    ("aid", "全年共受理法律援助案件一千二百余件[n]。"),
    ("aid", "Around one hundred and ninety-nine legal aid cases were accepted [n]."),
    ("approvals", "全年受理各类审批事项2.4万件[n]。"),
    ("approvals", "The district accepted 24 thousand approval matters [n]."),
    # laundered arithmetic
    ("aid", "法律援助案件共249 + 4 = 253件[n]。"),
    ("aid", "Legal aid cases: 249 + 4 = 253 in total [n]."),
    ("aid", "法律援助案件与法律帮助合计249 + 199 = 458件[n],另有249 − 199 = 60件差额[n]。"),
    ("aid", "249 − 199 = 50 [n]"),
    # uncited figures
    ("aid", "全年共受理法律援助案件249件。"),
    ("aid", "The district accepted 249 legal aid cases in 2025."),
    ("review", "全年共接收行政复议案件84件。已办结75件[n]。"),
    # figures from another report (南乐县 316, 云冈区 2023: 187) or from no passage
    ("aid", "全年共受理法律援助案件316件[n]。"),
    ("aid", "受理法律援助案件187件[n]。"),
    ("aid", "全年共受理法律援助案件294件[n]。"),
]

FAITHFUL = [
    ("aid", "全年共受理法律援助案件249件[n]。"),
    ("aid", "云冈区公共法律服务中心2025年受理法律援助案件249件[n]。"),
    ("aid", "值班律师提供法律帮助199件[n]。"),
    ("aid", "值班律师全年提供了199件法律帮助[n]。"),
    ("aid", "全年共受理法律援助案件二百四十九件[n]。"),
    ("aid", "The district's public legal service centre accepted 249 legal aid cases in 2025 [n]."),
    ("aid", "Duty lawyers provided legal help in 199 cases [n]."),
    ("aid", "Two hundred and forty-nine legal aid cases were accepted [n]."),
    ("aid", "受理法律援助案件249件,值班律师提供法律帮助199件[n],前者比后者多249 − 199 = 50件[n]。"),
    ("aid", "There were 249 − 199 = 50 more legal aid cases than cases of legal help from duty lawyers [n]."),
    ("aid", "提供法律咨询358件[n]。"),
    ("aid", "刑事审判阶段法律援助受理普通程序案件147件[n]。"),
    ("aid", "Criminal legal aid cases at trial under ordinary procedure: 147 [n]."),
    ("review", "全年共接收行政复议案件84件[n]。"),
    ("review", "已办结行政复议案件75件,纠错率11%[n]。"),
    ("review", "Reconsideration: 84 cases came in over the year and 75 were closed [n]."),
    ("review", "The correction rate was 11 percent [n]."),
    ("approvals", "2025年我区共受理各类审批事项24979件[n]。"),
    ("approvals", "In 2025 the district accepted 24,979 approval matters [n]."),
    ("publicity", "全年组织开展走街入户宣传活动554次,培养法律明白人1285人[n]。"),
    ("publicity", "The district held 554 door-to-door publicity activities and trained 1,285 legally literate people [n]."),
    ("training", "全年开展专题培训4期,覆盖科级以上干部131人次[n]。"),
    ("training", "受训人数792人[n]。"),
    ("training", "The district held 4 special training sessions [n]."),
]


@pytest.fixture(scope="module")
def numbers(corpus_settings: Settings, embeddings) -> dict[str, int]:
    """For each topic, the number of the passage (as the model is shown them) that holds its sentence."""
    bot = Assistant(corpus_settings, reader=IndexReader(corpus_settings, embeddings=embeddings))
    found = {}
    for topic, (question, words) in TOPICS.items():
        passages = bot.ask(question, answerer="extractive").passages
        found[topic] = next(n for n, p in enumerate(passages, 1) if words in p.text)
        assert found[topic] <= 2, f"{topic}: its sentence must be among what the model is shown"
    return found


def assistant_with(settings: Settings, embeddings, chat_model) -> Assistant:
    return Assistant(settings, reader=IndexReader(settings, embeddings=embeddings), llm=LLMAnswerer(chat_model))


def cited(reply: str, n: int) -> str:
    return reply.replace("[n]", f"[{n}]")


def assert_withheld(answer: Answer, reply: str) -> None:
    assert answer.answerer != "llm" or not answer.found, answer.answer
    assert answer.draft.replace(" ", "") == reply.replace(" ", ""), "the model's text is kept for the caller"
    if answer.found:  # the extractive answer stands in: verified, and says so
        assert answer.answerer == "extractive" and answer.verified
        assert any("LLM" in note for note in answer.notes)
    else:  # a decline that names what could not be verified
        assert not answer.verified and not answer.citations
        assert any("Unverified figures" in note for note in answer.notes)


@pytest.mark.parametrize(("topic", "reply"), LIES)
def test_every_lie_is_withheld(
    corpus_settings: Settings, embeddings, numbers: dict[str, int], topic: str, reply: str
) -> None:
    reply = cited(reply, numbers[topic])
    bot = assistant_with(corpus_settings, embeddings, FakeListChatModel(responses=[reply]))

    assert_withheld(bot.ask(TOPICS[topic][0]), reply)


@pytest.mark.parametrize(("topic", "reply"), FAITHFUL)
def test_every_faithful_reply_is_shown_verified(
    corpus_settings: Settings, embeddings, numbers: dict[str, int], topic: str, reply: str
) -> None:
    reply = cited(reply, numbers[topic])
    bot = assistant_with(corpus_settings, embeddings, GenericFakeChatModel(messages=iter([reply])))

    *streamed, answer = list(bot.stream(TOPICS[topic][0]))

    assert isinstance(answer, Answer)
    assert answer.answerer == "llm" and answer.found and answer.verified, answer.notes
    assert answer.answer == reply and not answer.draft
    assert "".join(streamed) == reply  # every sentence held, so all of it streamed


def test_a_lie_never_streams_and_the_reply_declines_when_nothing_verifies(
    corpus_settings: Settings, embeddings
) -> None:
    reply = "全区养老服务工作稳步推进。全区共有养老院57所[1]。"
    bot = assistant_with(corpus_settings, embeddings, GenericFakeChatModel(messages=iter([reply])))

    *streamed, answer = list(bot.stream("云冈区2025年有多少所养老院?"))

    assert "".join(streamed) == "全区养老服务工作稳步推进。"  # nothing from the sentence that fails
    assert isinstance(answer, Answer) and not answer.found and not answer.verified
    assert answer.draft == reply and "57" not in answer.answer.split("\n\n")[0]
    assert any("57" in note for note in answer.notes)


def test_a_large_unverified_figure_is_named_in_full(corpus_settings: Settings, embeddings) -> None:
    bot = assistant_with(corpus_settings, embeddings, FakeListChatModel(responses=["全年共受理法律援助案件1234567件[1]。"]))

    answer = bot.ask(TOPICS["aid"][0])

    assert any("1234567" in note for note in answer.notes)
    assert "e+06" not in answer.answer + "".join(answer.notes)


# --- the same replies through ChatOpenAI, to a stand-in OpenAI-compatible endpoint -------------------------


class ScriptedEndpoint(ThreadingHTTPServer):
    """Streams ``reply`` as chat completion chunks, a few characters at a time, to every request."""

    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.reply = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/v1"


class _Handler(BaseHTTPRequestHandler):
    server: ScriptedEndpoint

    def log_message(self, *args: object) -> None: ...

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", 0)))
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        reply = self.server.reply
        for i in range(0, len(reply), 4):
            chunk = {"id": "x", "object": "chat.completion.chunk", "created": 0, "model": "m",
                     "choices": [{"index": 0, "delta": {"content": reply[i : i + 4]}, "finish_reason": None}]}
            self.wfile.write(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n".encode())
        self.wfile.write(b"data: [DONE]\n\n")


@pytest.fixture(scope="module")
def endpoint() -> Iterator[ScriptedEndpoint]:
    server = ScriptedEndpoint()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


@pytest.fixture
def openai_bot(corpus_settings: Settings, embeddings, endpoint: ScriptedEndpoint) -> Assistant:
    settings = corpus_settings.model_copy(update={"llm_model": "stand-in", "llm_base_url": endpoint.url,
                                                  "llm_timeout_s": 10})
    return Assistant(settings, reader=IndexReader(settings, embeddings=embeddings), llm=LLMAnswerer.from_settings(settings))


@pytest.mark.parametrize(("topic", "reply"), LIES[::4])
def test_lies_through_an_openai_compatible_endpoint_are_withheld(
    openai_bot: Assistant, endpoint: ScriptedEndpoint, numbers: dict[str, int], topic: str, reply: str
) -> None:
    endpoint.reply = cited(reply, numbers[topic])

    assert_withheld(openai_bot.ask(TOPICS[topic][0]), endpoint.reply)


@pytest.mark.parametrize(("topic", "reply"), FAITHFUL[::3])
def test_faithful_replies_through_an_openai_compatible_endpoint_are_shown(
    openai_bot: Assistant, endpoint: ScriptedEndpoint, numbers: dict[str, int], topic: str, reply: str
) -> None:
    endpoint.reply = cited(reply, numbers[topic])

    answer = openai_bot.ask(TOPICS[topic][0])

    assert answer.answerer == "llm" and answer.found and answer.verified and answer.answer == endpoint.reply
