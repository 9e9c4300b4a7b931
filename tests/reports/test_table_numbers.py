"""Numbers in report tables are never broken: "1,0" over "18" reads as two numbers."""

from __future__ import annotations

import re
from datetime import datetime
from io import BytesIO

from pypdf import PdfReader
from reportlab.lib.units import mm

from evacsupport.reports.base import (
    CELL_PADDING,
    CELL_SIZE,
    MIN_NUMBER_SIZE,
    ReportMeta,
    _width,
    pdf_bytes,
    register_fonts,
    table,
)

NUMBER = re.compile(r"^\d{1,3}(,\d{3})*$")


def week_grid() -> tuple[list[str], list[list[str]], list[float]]:
    """The monthly report's venue × week grid in a six-week month (the narrowest columns)."""
    headers = ["会場", *(f"11/{d}〜" for d in (1, 2, 9, 16, 23, 30)), "月計"]
    rows = [
        ["こども食堂 ひだまり", *["35 / 136"] * 6, "166 / 651"],
        ["合計", *["1,018 / 2,345"] * 6, "12,018 / 34,345"],
    ]
    widths = [46 * mm, *[(170 - 46 - 28) * mm / 6] * 6, 28 * mm]
    return headers, rows, widths


def test_numbers_stay_whole_in_narrow_columns() -> None:
    register_fonts()
    headers, rows, widths = week_grid()
    grid = table(headers, rows, widths, numeric=range(1, 8))
    columns = grid._colWidths
    assert abs(sum(columns) - sum(widths)) < 0.01  # the table is as wide as asked
    for r, row in enumerate(grid._cellvalues[1:], start=1):
        for c in range(1, 8):
            cell = row[c]
            assert isinstance(cell, str), f"a number became a Paragraph, which wraps: {cell!r}"
            size = grid._cellStyles[r][c].fontsize
            assert MIN_NUMBER_SIZE <= size <= CELL_SIZE
            for line in cell.split("\n"):  # a pair may go on two lines, at its slash only
                assert all(NUMBER.match(p.strip()) for p in line.split(" /") if p.strip())
                assert _width(line) * size / CELL_SIZE <= columns[c] - 2 * CELL_PADDING + 0.01


def test_the_pdf_prints_each_number_whole() -> None:
    register_fonts()
    headers, rows, widths = week_grid()
    made = datetime(2026, 1, 5, 9, 30).astimezone()  # the footer's time is not a cell's number
    meta = ReportMeta("試験", "", made_at=made)
    data = pdf_bytes(meta, [table(headers, rows, widths, numeric=range(1, 8))])
    text = PdfReader(BytesIO(data)).pages[0].extract_text()
    numbers = re.findall(r"[\d,]+", text.split("月計", 1)[1])
    assert "1,018" in numbers and "12,018" in numbers and "34,345" in numbers
    assert not {"1,0", "18", "12,0", "34,3"} & set(numbers)
