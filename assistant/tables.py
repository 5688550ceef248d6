"""Tables in report text: a row is a line of cells between ``|`` (as the loaders write tables), and what a
cell's figure counts is said by its row's label and by its column's heading in the row of words above."""

from __future__ import annotations

import re

_BAR = re.compile(r"\|")


def table_cells(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The spans of the cells of the row ``text[start:end]`` (申请事项 | 举报投诉处理 | 政府信息公开 |), without
    their spaces; none for a line of prose."""
    if text.count("|", start, end) < 2:
        return []
    cells, cell_start = [], start
    for bar in [*_BAR.finditer(text, start, end), None]:
        a, b = cell_start, bar.start() if bar else end
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            cells.append((a, b))
        cell_start = bar.end() if bar else end
    return cells if len(cells) >= 2 else []


def column_headings(heading: list[tuple[int, int]], cells: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each cell's column heading, the rows aligned at their right ends (a row may have more label cells than
    its heading row); ``(0, 0)`` where the heading row is shorter."""
    missing = [(0, 0)] * max(0, len(cells) - len(heading))
    return missing + heading[len(heading) - len(cells) + len(missing) :]
