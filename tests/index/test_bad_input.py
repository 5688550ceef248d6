"""Bad input dropped among good reports: each bad file fails with its reason, nothing indexed is lost,
the good files index, and odd but valid reports (no headings, 10,000 headings, GBK bytes under a
UTF-8 declaration) are read as what they are.

The loader's own cases (encodings, each malformed format, zip-bomb ratios) are in test_load.py;
this is the matrix as one indexing run meets it.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from index import Indexer, IndexReader, Settings
from index.chunk import chunk_report
from index.load import load_report
from index.metadata import extract_metadata
from index.sections import split_sections
from tests.index.test_indexer import consistent
from tests.index.test_load import PDF_PAGES, _docx_bomb, make_docx, make_pdf
from tests.reports import write_report

pytestmark = pytest.mark.slow


def bad_files() -> dict[str, tuple[bytes, str]]:
    """File name → (bytes, what its failure reason must say)."""
    pdf, docx = make_pdf(PDF_PAGES), make_docx()
    return {
        "empty.txt": (b"", r"empty"),
        "binary.txt": (bytes(range(256)) * 16, r"binary"),
        "image.pdf": (b"\x89PNG\r\n\x1a\n" + bytes(2000), r"PDF"),
        "truncated.pdf": (pdf[: len(pdf) // 2], r"malformed PDF"),
        "truncated.docx": (docx[: len(docx) // 2], r"docx|DOCX|zip"),
        "bomb.docx": (_docx_bomb(20, 9), r"zip bomb"),
        "huge.txt": ("受理案件249件。".encode() * 2_700_000, r"too large"),  # ~51 MB, over the 50 MB default
        "sheet.xlsx": (b"PK\x03\x04", r"unsupported"),
    }


def test_bad_files_each_fail_with_their_reason_and_lose_nothing(settings: Settings, embeddings) -> None:
    folder = settings.reports_dir
    write_report(folder, "good.txt", "甲县", 2025, 249, paragraphs=2)
    Indexer(settings, embeddings=embeddings).run()  # what is indexed before the bad files arrive
    (folder / "no-headings.txt").write_text(
        "乙区2024年法治政府建设工作总结\n乙区全年共受理法律援助案件117件,办理行政复议案件12件。依法行政水平持续提高。\n",
        encoding="utf-8",
    )
    declared_utf8 = ('<html><head><meta charset="utf-8"></head><body><h1>丙县2025年法治政府建设年度报告</h1>'
                     "<p>全年共受理法律援助案件338件。</p></body></html>")
    (folder / "gbk-says-utf8.html").write_bytes(declared_utf8.encode("gbk"))
    for name, (data, _) in bad_files().items():
        (folder / name).write_bytes(data)

    summary = Indexer(settings, embeddings=embeddings).run()

    reasons = {Path(path).name: reason for path, reason in summary.failed}
    assert set(reasons) == set(bad_files())
    for name, (_, expected) in bad_files().items():
        assert re.search(expected, reasons[name]), (name, reasons[name])
        assert " / " in reasons[name]  # Chinese, then English
    assert sorted(Path(p).name for p in summary.added) == ["gbk-says-utf8.html", "no-headings.txt"]
    assert [Path(p).name for p in summary.unchanged] == ["good.txt"] and not summary.removed
    reader = IndexReader(settings, embeddings=embeddings)
    texts = " ".join(c.text for r in reader.reports() for c in reader.catalog.chunks_of(r.report_id))
    assert "受理法律援助案件249件" in texts and "117件" in texts and "受理法律援助案件338件" in texts
    assert consistent(Indexer(settings, embeddings=embeddings))


def test_a_report_with_ten_thousand_headings_becomes_ten_thousand_exact_chunks(tmp_path: Path) -> None:
    """Load → sections → chunks, without embedding 10,000 chunks: every span exact, every path right."""
    lines = ["# 甲县2025年法治政府建设年度报告"]
    for i in range(1, 10_001):
        lines += [f"## 第{i}项工作", f"完成第{i}项任务{i}件。"]
    path = tmp_path / "headings.md"
    path.write_text("\n".join(lines), encoding="utf-8")

    loaded = load_report(path)
    meta = extract_metadata(loaded.text, path)
    sections = split_sections(loaded.text, meta.body_start, meta.body_end)
    chunks = chunk_report(loaded.text, sections, "headings", 160)

    assert len(sections) == 10_000 and len(chunks) == 10_000
    assert all(loaded.text[c.start : c.end] == c.text for c in chunks)
    assert chunks[9_999].section.endswith("第10000项工作") and "完成第10000项任务10000件。" in chunks[9_999].text
