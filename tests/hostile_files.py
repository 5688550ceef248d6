"""Hostile files made on the spot, for the tests and benchmarks/bench_hostile_files.py alike."""

from __future__ import annotations

import io


def pdf_with_unknown_filter() -> bytes:
    """A one-page PDF whose content stream is compressed with a filter no reader knows."""
    content = b"BT /F1 12 Tf 72 720 Td (Report) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font 5 0 R >> >>",
        b"<< /Length %d /Filter /FooDecode >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >>",
    ]
    out = io.BytesIO(b"%PDF-1.4\n")
    out.seek(0, io.SEEK_END)
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, body))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    out.write(b"".join(b"%010d 00000 n \n" % offset for offset in offsets))
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def docx_with_table(rows: list[list[str]], *, first_cell_props: str = "", merge: bool = False) -> bytes:
    """A DOCX holding one paragraph and a table of ``rows``.

    ``first_cell_props`` is XML added to the first cell's ``<w:tcPr>`` (a span, a merge mark);
    ``merge`` merges the first row's cells across and the first column's lower cells down.
    """
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    document = docx.Document()
    document.add_paragraph("全年共受理法律援助案件249件。")
    table = document.add_table(rows=len(rows), cols=len(rows[0]))
    for r, row in enumerate(rows):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    if merge:
        table.cell(0, 0).merge(table.cell(0, 1))
        table.cell(1, 0).merge(table.cell(2, 0))
    if first_cell_props:
        tc_pr = table.rows[0]._tr.tc_lst[0].get_or_add_tcPr()
        tc_pr.append(parse_xml(f"<w:wrapper {nsdecls('w')}>{first_cell_props}</w:wrapper>")[0])
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
