"""`reportchat ask` and `reportchat eval`: the contracts scripts rely on."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app
from index import Settings

runner = CliRunner()


def test_ask_json_prints_the_answer_contract(corpus_settings: Settings) -> None:
    result = runner.invoke(app, ["ask", "云冈区2025年受理了多少件法律援助案件?", "--json", "--home", str(corpus_settings.home)])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    assert answer["found"] and "249" in answer["answer"] and answer["citations"][0]["quote"]


def test_ask_questions_file_gives_one_answer_per_line_in_order(corpus_settings: Settings, tmp_path: Path) -> None:
    questions = tmp_path / "q.jsonl"
    questions.write_text(
        "\n".join(json.dumps({"question": q}, ensure_ascii=False) for q in
                  ["云冈区2025年受理了多少件法律援助案件?", "Did Yungang record any road deaths in 2025?"]),
        encoding="utf-8",
    )
    result = runner.invoke(app, ["ask", "--json", "--questions", str(questions), "--home", str(corpus_settings.home)])
    lines = [json.loads(line) for line in result.output.splitlines()]
    assert [a["found"] for a in lines] == [True, False] and lines[1]["language"] == "en"


def test_a_bad_question_in_a_batch_gets_its_error_line_and_the_batch_goes_on(
    corpus_settings: Settings, tmp_path: Path
) -> None:
    questions = tmp_path / "q.jsonl"
    asked = ["云冈区2025年受理了多少件法律援助案件?", "", "How many legal aid cases did Yungang accept in 2025?"]
    questions.write_text("\n".join(json.dumps({"question": q}, ensure_ascii=False) for q in asked), encoding="utf-8")

    result = runner.invoke(app, ["ask", "--json", "--questions", str(questions), "--home", str(corpus_settings.home)])

    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line.get("found") for line in lines] == [True, None, True]
    assert "empty" in lines[1]["error"]["message"] and result.exit_code == 1


def test_ask_prints_markdown_and_sources_for_people(corpus_settings: Settings) -> None:
    result = runner.invoke(app, ["ask", "云冈区2025年受理了多少件法律援助案件?", "--home", str(corpus_settings.home)])
    assert "249件" in result.output and "[1]" in result.output


def test_a_bad_question_is_a_clear_error_not_a_traceback(corpus_settings: Settings) -> None:
    result = runner.invoke(app, ["ask", "问" * 5000, "--home", str(corpus_settings.home)])
    assert result.exit_code == 2 and "too long" in result.output and "Traceback" not in result.output


def test_eval_scores_gold_questions(corpus_settings: Settings, tmp_path: Path) -> None:
    gold = tmp_path / "gold.jsonl"
    items = [
        {"id": "a", "lang": "zh", "type": "number", "question": "云冈区2025年受理了多少件法律援助案件?",
         "numbers": ["249"], "evidence": ["受理法律援助案件249件"]},
        {"id": "b", "lang": "en", "type": "unanswerable", "question": "Any road deaths recorded by Yungang in 2025?",
         "numbers": [], "evidence": []},
    ]
    gold.write_text("\n".join(json.dumps(i, ensure_ascii=False) for i in items), encoding="utf-8")

    result = runner.invoke(app, ["eval", str(gold), "--json", "--home", str(corpus_settings.home)])

    report = json.loads(result.output)
    assert report["overall"]["accuracy"] == 1.0 and report["overall"]["declines"] == 1.0
    assert report["by_language"]["zh"]["hit1"] == 1.0 and report["overall"]["unverified"] == 0
