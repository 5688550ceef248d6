"""Fixtures shared by the ingest tests: the seed report and a synthetic one.

Every other fixture file is written by the tests themselves under ``tmp_path``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from pathlib import Path

import pytest

from index.load import LoadedReport, load_report
from index.metadata import ReportMetadata, extract_metadata
from index.sections import Section, split_sections

SAMPLE_PATH = Path(__file__).resolve().parents[2] / "reports" / "datong-yungang-2025-fazhi-zhengfu.txt"


@dataclass(frozen=True)
class Parsed:
    """A report taken through load → metadata → sections."""

    path: Path
    text: str
    content_hash: str
    meta: ReportMetadata
    sections: list[Section]

    @property
    def body(self) -> str:
        return self.text[self.meta.body_start :]


def parse(path: Path) -> Parsed:
    loaded: LoadedReport = load_report(path)
    meta = extract_metadata(loaded.text, path)
    return Parsed(path, loaded.text, loaded.content_hash, meta, split_sections(loaded.text, meta.body_start))


@pytest.fixture(scope="session")
def sample_path() -> Path:
    assert SAMPLE_PATH.is_file(), f"the seed report is missing: {SAMPLE_PATH}"
    return SAMPLE_PATH


@pytest.fixture(scope="session")
def sample(sample_path: Path) -> Parsed:
    return parse(sample_path)


_WORDS = (
    "法治政府", "建设", "行政执法", "监督", "复议", "调解", "法律援助", "案件", "全年", "共受理",
    "规范性文件", "审查", "营商环境", "政务服务", "事项", "清单", "培训", "干部", "群众", "矛盾纠纷",
)


def _phrase(rng: random.Random, n_words: int) -> str:
    return "".join(rng.choice(_WORDS) for _ in range(n_words))


def synthetic_report(seed: int = 2024) -> str:
    """A report with every shape the chunker meets: a portal header, nested headings of
    each kind, inline list items, quotes after sentence ends, ``！？；``, blank lines,
    a long comma-separated sentence and a 2,000-character sentence without punctuation."""
    rng = random.Random(seed)
    figure = lambda: f"{rng.randrange(2, 999)}件"  # noqa: E731
    lines = [
        "标题: 南乐县2024年法治政府建设年度报告",
        "发布日期: 2025-02-10",
        "来源: 南乐县人民政府",
        "",
        "南乐县2024年法治政府建设年度报告",
        "",
        "2024年,南乐县扎实推进法治政府建设。现将有关情况报告如下。",
        "",
    ]
    for i, cn in enumerate("一二三四"):
        lines += [f"{cn}、{_phrase(rng, 3)}", ""]
        for j, sub in enumerate("一二三"):
            lines += [f"（{sub}）{_phrase(rng, 3)}。一是{_phrase(rng, 4)}{figure()}。二是{_phrase(rng, 5)}！", ""]
            items = [f"{k}.{_phrase(rng, 2)}。{_phrase(rng, 6)}{figure()}；{_phrase(rng, 4)}。" for k in (1, 2, 3)]
            lines += ["".join(items), ""]  # 2. and 3. continue the list inside the paragraph
            sentences = []
            for _ in range(rng.randrange(6, 14)):
                end = rng.choice("。。。！？；")
                body = _phrase(rng, rng.randrange(2, 12))
                sentences.append(f"“{body}{figure()}{end}”" if rng.random() < 0.15 else f"{body}{figure()}{end}")
            lines += ["".join(sentences), ""]
            lines += [f"全年投入经费{rng.randrange(2, 9)}。", f"{rng.randrange(1, 9)}.5万元用于普法宣传。", ""]
        if i == 1:
            lines += ["，".join(_phrase(rng, 8) for _ in range(30)) + "。", ""]
        if i == 2:
            lines += ["".join(rng.choice("".join(_WORDS)) for _ in range(2000)), ""]
    lines += ["五、其他需要报告的事项", "", "无。", ""]
    return "\n".join(lines)


@pytest.fixture(scope="session")
def synthetic_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("synthetic") / "nanle-2024-fazhi-zhengfu.txt"
    path.write_text(synthetic_report(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def synthetic(synthetic_path: Path) -> Parsed:
    return parse(synthetic_path)
