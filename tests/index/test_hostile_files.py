"""Hostile files: reports built to break the loader. A parser's undocumented exception, a table
that claims 10^5 columns, a small package that expands to more text than any report holds, a
text with one bad byte: each ends in text or in a ReportError that names the file and the
problem, at the cost of what the file holds, so one bad report never stops the others.

Every file is generated here, under ``tmp_path``.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from index.errors import ReportError
from index.load import DEFAULT_MAX_CHARS, load_report
from index.settings import Settings
from tests.hostile_files import docx_with_table, pdf_with_unknown_filter
from tests.index.test_load import (
    REPORT,
    assert_names_file_and_reason,
    make_docx,
    make_pdf,
    write,
)

LONG_REPORT = REPORT * 20  # long enough that one bad byte is a small share of it


def docx_of_paragraphs(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def pdf_of_pages(pages: int, line: str, lines_per_page: int = 20) -> bytes:
    return make_pdf([[line] * lines_per_page for _ in range(pages)])


# --- any parser error is a ReportError -------------------------------------------------


def test_pdf_whose_stream_names_an_unknown_filter_is_a_report_error(tmp_path: Path) -> None:
    data = pdf_with_unknown_filter()
    assert len(data) < 1000
    path = write(tmp_path, "filter.pdf", data)
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"malformed PDF \(NotImplementedError: .*FooDecode")


def _pypdf_errors() -> list[Exception]:
    from pypdf.errors import DeprecationError, LimitReachedError, PdfStreamError

    return [
        DeprecationError("a method removed in pypdf 5"),
        LimitReachedError("decompressed stream over the limit"),
        PdfStreamError("stream has ended unexpectedly"),
        RecursionError("maximum recursion depth exceeded"),
        ZeroDivisionError("division by zero"),
    ]


@pytest.mark.parametrize("error", _pypdf_errors(), ids=lambda e: type(e).__name__)
def test_any_exception_from_the_pdf_parser_is_a_report_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: Exception
) -> None:
    from pypdf import PageObject

    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(PageObject, "extract_text", fail)
    path = write(tmp_path, "report.pdf", make_pdf([["全年共受理法律援助案件249件。"]]))
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, rf"malformed PDF \({type(error).__name__}: ")


def test_any_exception_while_reading_a_docx_is_a_report_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from docx.document import Document

    def fail(self):
        raise ValueError("invalid literal for int() with base 10: 'abc'")

    monkeypatch.setattr(Document, "iter_inner_content", fail)  # past opening: where the old loader caught nothing
    path = write(tmp_path, "report.docx", make_docx())
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"malformed DOCX \(ValueError: invalid literal")


def test_html_the_parser_rejects_is_a_report_error(tmp_path: Path) -> None:
    path = write(tmp_path, "report.html", "<p>全年共受理法律援助案件249件。<![</p>")
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"malformed HTML \(ParserRejectedMarkup: ")
    assert "\n" not in str(excinfo.value)  # the parser's several-line message, on one line


@pytest.mark.parametrize("suffix", [".pdf", ".docx"])
def test_running_out_of_memory_is_not_taken_for_a_bad_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, suffix: str
) -> None:
    from docx.document import Document
    from pypdf import PageObject

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(PageObject, "extract_text", exhausted)
    monkeypatch.setattr(Document, "iter_inner_content", exhausted)
    data = make_pdf([["全年共受理法律援助案件249件。"]]) if suffix == ".pdf" else make_docx()
    with pytest.raises(MemoryError):
        load_report(write(tmp_path, "report" + suffix, data))


# --- DOCX tables cost what their XML holds ---------------------------------------------

TABLE = [["项目", "数量"], ["法律援助案件", "249件"]]


@pytest.mark.parametrize(
    "props",
    [
        pytest.param('<w:gridSpan w:val="100000"/>', id="span-of-100000-columns"),
        pytest.param('<w:gridSpan w:val="abc"/>', id="span-not-a-number"),
        pytest.param("<w:vMerge/>", id="first-row-continues-a-merge"),
    ],
)
def test_a_table_row_is_the_cells_its_xml_holds_whatever_its_spans_claim(tmp_path: Path, props: str) -> None:
    data = docx_with_table(TABLE, first_cell_props=props)
    assert len(data) < 40_000
    text = load_report(write(tmp_path, "table.docx", data)).text
    assert text.split("\n") == ["全年共受理法律援助案件249件。", "项目 | 数量", "法律援助案件 | 249件"]


def test_merged_cells_give_their_text_once(tmp_path: Path) -> None:
    rows = [["法律援助情况", ""], ["案件", "249件"], ["", "358件"]]
    text = load_report(write(tmp_path, "merged.docx", docx_with_table(rows, merge=True))).text
    assert text.split("\n") == ["全年共受理法律援助案件249件。", "法律援助情况", "案件 | 249件", " | 358件"]


# --- the extracted text is capped --------------------------------------------------------

LINE = "全年共受理法律援助案件249件,办理行政复议案件12件。"  # 27 characters


def hostile(suffix: str, lines: int) -> bytes:
    """A report of ``lines`` copies of LINE in the format ``suffix``."""
    if suffix == ".pdf":
        return pdf_of_pages(lines // 20, LINE)
    if suffix == ".docx":
        return docx_of_paragraphs([LINE] * lines)
    if suffix == ".html":
        return ("<html><body>" + f"<p>{LINE}</p>" * lines + "</body></html>").encode()
    return (LINE + "\n").encode() * lines


@pytest.mark.parametrize("suffix", [".txt", ".md", ".html", ".pdf", ".docx"])
def test_text_past_max_chars_is_refused_naming_the_limit_and_its_setting(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path, "long" + suffix, hostile(suffix, 200))  # about 5,600 characters
    assert load_report(path, max_chars=10_000).text.count(LINE) == 200
    with pytest.raises(ReportError) as excinfo:
        load_report(path, max_chars=5_000)
    assert_names_file_and_reason(excinfo, path, r"runs past the limit of 5,000 characters")
    assert "REPORTCHAT_MAX_REPORT_CHARS" in excinfo.value.reason.split(" / ")[1]


@pytest.mark.parametrize("suffix", [".txt", ".docx"])
def test_text_of_exactly_max_chars_is_read(tmp_path: Path, suffix: str) -> None:
    path = write(tmp_path, "exact" + suffix, hostile(suffix, 10))
    length = len(load_report(path).text)
    assert len(load_report(path, max_chars=length).text) == length
    with pytest.raises(ReportError):
        load_report(path, max_chars=length - 1)


def test_a_docx_past_the_limit_is_refused_before_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docx.text.paragraph import Paragraph

    read: list[int] = []
    text = Paragraph.text
    monkeypatch.setattr(Paragraph, "text", property(lambda self: read.append(1) or text.fget(self)))
    path = write(tmp_path, "long.docx", hostile(".docx", 2_000))
    with pytest.raises(ReportError, match="runs past the limit"):
        load_report(path, max_chars=1_000)
    assert len(read) < 50  # 1,000 characters are 36 paragraphs, not 2,000


def test_a_pdf_past_the_limit_is_refused_before_the_rest_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pypdf import PageObject

    read: list[int] = []
    extract_text = PageObject.extract_text
    monkeypatch.setattr(PageObject, "extract_text", lambda self, *a, **k: read.append(1) or extract_text(self, *a, **k))
    path = write(tmp_path, "long.pdf", hostile(".pdf", 400))  # 20 pages of 20 lines
    with pytest.raises(ReportError, match="runs past the limit"):
        load_report(path, max_chars=1_500)
    assert len(read) == 3  # 560 characters a page: the third passes the limit


def test_the_default_limit_is_the_settings_default() -> None:
    assert DEFAULT_MAX_CHARS == Settings.model_fields["max_report_chars"].default == 2_000_000


# --- a few undecodable bytes are replaced, not a reason to refuse ----------------------


def test_a_utf8_report_with_one_invalid_byte_is_read_with_a_warning(tmp_path: Path) -> None:
    head, tail = LONG_REPORT[:500], LONG_REPORT[500:]
    loaded = load_report(write(tmp_path, "report.txt", head.encode() + b"\xff" + tail.encode()))
    assert loaded.text == head + "\ufffd" + tail
    (warning,) = loaded.warnings
    assert warning == (
        "按 UTF-8 读取,替换了 1 个无法解码的字节;如有乱码,请检查文件编码 / read as UTF-8: 1 undecodable byte "
        "was replaced; if some text looks garbled, check the file's encoding"
    )


def test_a_gbk_report_with_invalid_bytes_is_still_read_as_gbk(tmp_path: Path) -> None:
    head, tail = LONG_REPORT[:500], LONG_REPORT[500:]
    loaded = load_report(write(tmp_path, "report.txt", head.encode("gbk") + b"\xff\xff\xff" + tail.encode("gbk")))
    assert loaded.text == head + "\ufffd" * 3 + tail
    (warning,) = loaded.warnings
    assert "GB18030" in warning and "3 undecodable bytes were replaced" in warning


@pytest.mark.parametrize("encoding", ["utf-8", "gbk", "gb18030"])
def test_a_clean_report_loads_without_warnings(tmp_path: Path, encoding: str) -> None:
    loaded = load_report(write(tmp_path, "report.txt", LONG_REPORT.encode(encoding)))
    assert loaded.text == LONG_REPORT and loaded.warnings == ()


def test_a_text_with_many_invalid_bytes_is_still_refused(tmp_path: Path) -> None:
    data = b"".join(line.encode() + b"\xff" for line in LONG_REPORT.split("\n"))  # one bad byte a line
    path = write(tmp_path, "report.txt", data)
    with pytest.raises(ReportError) as excinfo:
        load_report(path)
    assert_names_file_and_reason(excinfo, path, r"unknown text encoding")
