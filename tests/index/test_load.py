"""index.load: a report file, whatever its format or encoding, becomes the one text
that every span, citation and highlight points into — or a ReportError that names
the file and says why."""

from __future__ import annotations

import hashlib
import io
import random
import re
import zipfile
from pathlib import Path

import pytest

from index.errors import ReportChatError, ReportError
from index.load import SUPPORTED_SUFFIXES, is_supported, load_report, normalize_text

REPORT = "一、总体情况\n2025年,全区共受理法律援助案件249件,同比增长12%。\n（一）依法行政\n全面推行“证照分离”改革！\n"


def write(tmp_path: Path, name: str, data: bytes | str) -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def assert_names_file_and_reason(excinfo: pytest.ExceptionInfo[ReportError], path: Path, reason: str) -> None:
    """The message says which file failed and why, in words a user can act on."""
    error = excinfo.value
    assert isinstance(error, ReportChatError)
    assert error.path == str(path)
    assert str(path) in str(error)
    assert re.search(reason, error.reason, re.IGNORECASE), error.reason
    zh, en = error.reason.split(" / ", 1)  # bilingual: Chinese, then English
    assert re.search(r"[\u4e00-\u9fff]", zh) and en.strip()


# --- plain text in the encodings reports come in ----------------------------------------


@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf8.txt", lambda s: s.encode("utf-8")),
        ("utf8-bom.txt", lambda s: b"\xef\xbb\xbf" + s.encode("utf-8")),
        ("gbk.txt", lambda s: s.encode("gbk")),
        ("gb18030.txt", lambda s: s.encode("gb18030")),
        ("utf16.txt", lambda s: s.encode("utf-16")),
    ],
)
def test_text_in_each_encoding_round_trips(tmp_path: Path, name: str, encode) -> None:
    path = write(tmp_path, name, encode(REPORT))
    loaded = load_report(path)
    assert loaded.text == REPORT
    assert not loaded.text.startswith("\ufeff")
    assert loaded.path == path


def test_gbk_bytes_are_not_utf8_so_the_fallback_is_really_exercised() -> None:
    with pytest.raises(UnicodeDecodeError):
        REPORT.encode("gbk").decode("utf-8")


def test_gb18030_characters_outside_gbk_round_trip(tmp_path: Path) -> None:
    rare = "㐀𠀀"  # CJK extension A and B: GB18030 has them, GBK does not
    with pytest.raises(UnicodeEncodeError):
        rare.encode("gbk")
    text = REPORT + f"附:生僻字{rare}。\n"
    assert load_report(write(tmp_path, "rare.txt", text.encode("gb18030"))).text == text


def test_markdown_is_read_as_is(tmp_path: Path) -> None:
    text = "# 南乐县2024年法治政府建设年度报告\n\n## 一、主要举措\n\n全年受理案件249件。\n"
    for suffix in (".md", ".markdown"):
        assert load_report(write(tmp_path, "report" + suffix, text)).text == text


def test_suffix_is_case_insensitive(tmp_path: Path) -> None:
    assert is_supported(Path("A.TXT")) and is_supported(Path("b.Docx"))
    assert load_report(write(tmp_path, "REPORT.TXT", REPORT)).text == REPORT


def test_the_seed_report_loads(sample_path: Path) -> None:
    loaded = load_report(sample_path)
    assert "受理法律援助案件249件" in loaded.text
    assert loaded.content_hash == hashlib.sha256(sample_path.read_bytes()).hexdigest()


# --- the text is normalised once, so spans into it hold ----------------------------------


def test_line_endings_are_normalised(tmp_path: Path) -> None:
    crlf = load_report(write(tmp_path, "crlf.txt", REPORT.replace("\n", "\r\n").encode("gbk"))).text
    cr = load_report(write(tmp_path, "cr.txt", REPORT.replace("\n", "\r"))).text
    lf = load_report(write(tmp_path, "lf.txt", REPORT)).text
    assert crlf == cr == lf == REPORT
    assert "\r" not in crlf


def test_spans_into_loaded_text_are_stable(tmp_path: Path) -> None:
    path = write(tmp_path, "crlf.txt", ("标题行\r\n" + REPORT.replace("\n", "\r\n")).encode("utf-8"))
    first, second = load_report(path), load_report(path)
    assert first == second  # same text and hash on every load
    start = first.text.index("249件")
    assert second.text[start : start + 4] == "249件"
    assert normalize_text(first.text) == first.text  # normalising again changes nothing


def test_normalize_text() -> None:
    assert normalize_text("甲\r\n乙\r丙\n") == "甲\n乙\n丙\n"
    assert normalize_text("全年\u3000受理\xa0案件\x00。  \t\n") == "全年 受理 案件。\n"


def test_content_hash_is_of_the_file_bytes(tmp_path: Path) -> None:
    data = REPORT.encode("gb18030")
    loaded = load_report(write(tmp_path, "r.txt", data))
    assert loaded.content_hash == hashlib.sha256(data).hexdigest()
    other = load_report(write(tmp_path, "r2.txt", data + "补充。".encode("gb18030")))
    assert other.content_hash != loaded.content_hash


# --- HTML -------------------------------------------------------------------------------

HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>门户</title>
<style>p { color: red; } .nav { display: none; }</style>
<script>var tracker = "统计脚本"; document.write("广告");</script>
</head><body>
<h2>一、主要举措和成效</h2>
<p>全年共受理法律援助案件<b>249</b>件。</p>
<p>门户安全说明:网页中的&lt;script&gt;标签不会被执行。</p>
<pre>&lt;script&gt;alert("示例")&lt;/script&gt;</pre>
<noscript>请启用脚本</noscript>
<h3>（一）依法行政</h3><div>全面推行&nbsp;“证照分离”。</div>
</body></html>"""


def test_html_keeps_text_and_headings_and_drops_code(tmp_path: Path) -> None:
    text = load_report(write(tmp_path, "report.html", HTML)).text
    lines = text.split("\n")
    assert "## 一、主要举措和成效" in lines
    assert "### （一）依法行政" in lines
    assert "全年共受理法律援助案件249件。" in lines
    for dropped in ("统计脚本", "广告", "color: red", "display", "请启用脚本"):
        assert dropped not in text
    assert lines.index("## 一、主要举措和成效") < lines.index("全年共受理法律援助案件249件。")


def test_html_text_that_mentions_script_is_kept_as_text(tmp_path: Path) -> None:
    text = load_report(write(tmp_path, "report.htm", HTML)).text
    assert "门户安全说明:网页中的<script>标签不会被执行。" in text
    assert '<script>alert("示例")</script>' in text


def test_html_in_gbk(tmp_path: Path) -> None:
    html = '<html><head><meta charset="gb2312"></head><body><h1>年度报告</h1><p>受理案件249件。</p></body></html>'
    text = load_report(write(tmp_path, "gbk.html", html.encode("gbk"))).text
    assert text.split("\n") == ["# 年度报告", "受理案件249件。"]


# --- PDF --------------------------------------------------------------------------------


def make_pdf(pages: list[list[str]]) -> bytes:
    """A PDF with Chinese text in reportlab's built-in CID font (no font file needed)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            pdf.drawString(72, 760 - 20 * i, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


PDF_PAGES = [
    ["大同市云冈区2025年法治政府建设年度报告", "一、本年度推进法治政府建设的主要举措和成效", "全年共受理法律援助案件249件。"],
    ["二、存在的不足和原因", "执法队伍专业能力有待加强。"],
]


@pytest.fixture(scope="module")
def pdf_bytes() -> bytes:
    return make_pdf(PDF_PAGES)


def test_pdf_chinese_text_is_extracted(tmp_path: Path, pdf_bytes: bytes) -> None:
    text = load_report(write(tmp_path, "report.pdf", pdf_bytes)).text
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    assert lines == [line for page in PDF_PAGES for line in page]


def test_malformed_pdf(tmp_path: Path, pdf_bytes: bytes) -> None:
    path = write(tmp_path, "truncated.pdf", pdf_bytes[: len(pdf_bytes) // 2])
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"malformed PDF")


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    path = write(tmp_path, "scan.pdf", make_pdf([[]]))
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"no text layer")


def test_encrypted_pdf(tmp_path: Path, pdf_bytes: bytes) -> None:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes)))
    writer.encrypt("secret", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    path = write(tmp_path, "locked.pdf", buffer.getvalue())
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"encrypted")


# --- DOCX -------------------------------------------------------------------------------


def make_docx(*, table_after: str | None = None) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("大同市云冈区2025年法治政府建设年度报告", level=1)
    document.add_paragraph("2025年,云冈区深入贯彻落实法治政府建设决策部署。")
    document.add_heading("一、主要举措和成效", level=2)
    document.add_paragraph("全年共受理法律援助案件249件。")
    if table_after == "一、主要举措和成效":
        _add_table(document)
    document.add_heading("二、存在的不足和原因", level=2)
    document.add_paragraph("执法队伍专业能力有待加强。")
    if table_after is None:
        _add_table(document)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _add_table(document) -> None:
    table = document.add_table(rows=3, cols=2)
    for row, (item, count) in enumerate([("项目", "数量"), ("法律援助案件", "249件"), ("法律咨询", "358件")]):
        table.cell(row, 0).text = item
        table.cell(row, 1).text = count


def test_docx_headings_become_markdown_and_tables_rows(tmp_path: Path) -> None:
    text = load_report(write(tmp_path, "report.docx", make_docx())).text
    assert text.split("\n") == [
        "# 大同市云冈区2025年法治政府建设年度报告",
        "2025年,云冈区深入贯彻落实法治政府建设决策部署。",
        "## 一、主要举措和成效",
        "全年共受理法律援助案件249件。",
        "## 二、存在的不足和原因",
        "执法队伍专业能力有待加强。",
        "项目 | 数量",
        "法律援助案件 | 249件",
        "法律咨询 | 358件",
    ]


def test_docx_table_stays_where_it_stands(tmp_path: Path) -> None:
    text = load_report(write(tmp_path, "report.docx", make_docx(table_after="一、主要举措和成效"))).text
    lines = text.split("\n")
    assert lines.index("法律援助案件 | 249件") < lines.index("## 二、存在的不足和原因")


def test_docx_that_is_not_a_zip(tmp_path: Path) -> None:
    path = write(tmp_path, "report.docx", "这不是一个 Word 文档。")
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"malformed DOCX.*not a zip")


def test_docx_zip_without_document_xml(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "这个压缩包里没有 word/document.xml。")
    path = write(tmp_path, "report.docx", buffer.getvalue())
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"malformed DOCX")


def test_docx_with_no_text(tmp_path: Path) -> None:
    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    path = write(tmp_path, "blank.docx", buffer.getvalue())
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"no readable text")


def _docx_bomb(entry_mib: int, compresslevel: int) -> bytes:
    """A real-looking .docx whose word/document.xml inflates to ``entry_mib`` MiB of zeros,
    written in 1 MiB steps so the zeros never sit in memory at once."""
    genuine = zipfile.ZipFile(io.BytesIO(make_docx()))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel) as archive:
        for info in genuine.infolist():
            if info.filename != "word/document.xml":
                archive.writestr(info.filename, genuine.read(info))
        with archive.open("word/document.xml", "w", force_zip64=True) as entry:
            block = bytes(1 << 20)
            for _ in range(entry_mib):
                entry.write(block)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("entry_mib", "compresslevel"),
    [
        pytest.param(300, 1, id="300MiB-over-the-size-cap"),  # ~1.4 MB on disk
        pytest.param(20, 9, id="20MiB-over-the-ratio-cap"),  # ~20 KB on disk, ratio ~1000
    ],
)
def test_zip_bomb_disguised_as_docx(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry_mib: int, compresslevel: int
) -> None:
    import docx

    data = _docx_bomb(entry_mib, compresslevel)
    assert len(data) < 2 * 1024 * 1024
    path = write(tmp_path, "report.docx", data)

    def refuse(*args, **kwargs):
        raise AssertionError("python-docx was asked to open a zip bomb")

    monkeypatch.setattr(docx, "Document", refuse)  # refused before anything inflates it
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"zip bomb")


# --- files that are not reports --------------------------------------------------------


def _garbage(low: int, high: int) -> bytes:
    rng = random.Random(7)
    return bytes(rng.randrange(low, high) for _ in range(4096))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("empty.txt", b"", r"empty"),
        ("blank.txt", b" \r\n\t\n   \n", r"empty"),
        ("blank.md", "\u3000\n\xa0\n".encode(), r"no readable text"),
        ("nul.txt", b"\xe5\x85\xb1\xe5\x8f\x97\xe7\x90\x86\x00\x00\x01\x02" * 50, r"binary"),
        ("random.txt", _garbage(0, 256), r"binary|not text"),
        ("random-no-nul.txt", _garbage(1, 256), r"not text|encoding"),
        ("report.xlsx", b"PK\x03\x04 spreadsheet", r"unsupported file type \.xlsx"),
        ("report", REPORT.encode(), r"unsupported file type"),
    ],
)
def test_unreadable_files_raise_report_error(tmp_path: Path, name: str, data: bytes, reason: str) -> None:
    path = write(tmp_path, name, data)
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, reason)


def test_random_bytes_in_the_gb_range_are_not_text(tmp_path: Path) -> None:
    path = write(tmp_path, "random-gb.txt", _garbage(0xA1, 0xFF))
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"not text|encoding")


def test_unsupported_suffixes_are_listed() -> None:
    assert set(SUPPORTED_SUFFIXES) >= {".txt", ".md", ".html", ".pdf", ".docx"}
    assert not is_supported(Path("report.xlsx"))
    assert not is_supported(Path("report.doc"))


def test_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "gone.txt"
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"cannot read")


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    data = REPORT.encode()
    path = write(tmp_path, "big.txt", data)
    assert load_report(path, max_bytes=len(data)).text == REPORT  # the limit itself is allowed
    with pytest.raises(ReportError) as excinfo:
        load_report(path, max_bytes=len(data) - 1)
    assert_names_file_and_reason(excinfo, path, r"too large")


def test_size_limit_applies_before_parsing(tmp_path: Path, pdf_bytes: bytes) -> None:
    path = write(tmp_path, "big.pdf", pdf_bytes)
    with pytest.raises(ReportError, match="too large"):
        load_report(path, max_bytes=1024)
