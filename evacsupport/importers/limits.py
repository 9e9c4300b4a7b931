"""How much one import file may hold: every limit in one place, each refused with a message.

The limits keep a broken or hostile file (a zip bomb, a sheet that claims a million rows, a
gigabyte of blank lines) from taking the laptop's memory or many minutes of its time, while
leaving room to spare for real lists. The largest real one is a prefecture-wide list: about
150,000 rows (one per person, 13 to 30 columns), about 20 MB as CSV, 7 MB as XLSX (110 MB of XML
once unpacked), read here in about 20 seconds and 250 MB of memory. Each limit below is at least
twice what such a list needs; a file over one is refused before anything is written, with a
message that says the limit and asks for the file to be split.

Tests lower the limits by replacing :data:`LIMITS` (the readers look it up on every call).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The limits of one import file; the defaults are the app's."""

    # The file on disk, CSV or XLSX: five times a prefecture list as CSV.
    file_bytes: int = 100 * MB
    # Rows with something in them, the header included: twice a prefecture list.
    rows: int = 300_000
    # Any row, blank ones included: Excel's own maximum, beyond which no sheet goes.
    sheet_rows: int = 1_048_576
    # Cells read, up to each row's last cell: 150,000 rows of 40 columns.
    cells: int = 6_000_000
    # Characters in one cell: the csv module's default field limit, which CSV files meet
    # anyway; XLSX cells are held to the same (Excel itself stops at 32,767).
    cell_chars: int = csv.field_size_limit()
    # An XLSX's parts together, unpacked (declared and as actually inflated): 4.5 times a
    # prefecture list written with inline strings, the largest form.
    unpacked_bytes: int = 512 * MB
    # Unpacked over packed size of one XLSX part. Real sheets reach about 30 (a sheet of
    # identical cells); a zip bomb is in the hundreds or thousands.
    ratio: int = 100
    # Parts smaller than this are not held to the ratio (small XML parts compress very well).
    ratio_from_bytes: int = 1 * MB
    # Parts in one XLSX: a workbook has tens; a zip of a million empty files is no workbook.
    parts: int = 10_000
    # Reading the file into cells, from opening it to its last row: a last resort, as the
    # limits above already bound the work. The largest file they allow (6 million cells of
    # XLSX) takes about a minute on a 2-core laptop, a prefecture list 20 to 60 seconds.
    seconds: float = 300.0


LIMITS = Limits()
