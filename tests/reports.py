"""Small reports written by tests: a few chunks each, so indexing stays quick."""

from __future__ import annotations

from pathlib import Path


def write_report(folder: Path, name: str, place: str, year: int, cases: int, paragraphs: int = 1) -> Path:
    """A 法治政府 report for ``place`` with ``paragraphs`` numbered sections; ``cases`` is a planted figure."""
    folder.mkdir(parents=True, exist_ok=True)
    body = [
        f"标题: {place}{year}年法治政府建设年度报告",
        f"发布日期: {year + 1}-02-01",
        f"来源: {place}人民政府",
        "",
        f"{year}年,{place}扎实推进法治政府建设。",
        "一、主要举措和成效",
        "(一)积极有效化解社会矛盾纠纷",
        f"1.持续开展法律援助工作,全年共受理法律援助案件{cases}件,值班律师提供法律帮助{cases // 2}件。",
    ]
    for i in range(2, paragraphs + 1):
        body.append(
            f"{i}.加强行政执法监督,开展执法检查{cases + i}次,办理行政复议案件{i * 7}件,"
            "依法规范执法行为,提升执法质量和效率,推动严格规范公正文明执法。"
        )
    path = folder / name
    path.write_text("\n".join(body) + "\n", encoding="utf-8")
    return path
