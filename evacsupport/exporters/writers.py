"""Row writers for spreadsheets, and the temporary-file-then-rename that keeps a failed export
from leaving half a file under the name the user chose.

* CSV is UTF-8 with a byte order mark (``utf-8-sig``) and CRLF line ends: Excel in Japan opens
  that correctly, while BOM-less UTF-8 shows as mojibake. Dates are written as ``YYYY-MM-DD``,
  which Excel reads as dates. Text that Excel would run as a formula (``=``, ``+``, ``-``, ``@``
  at the start) gets a leading apostrophe, the usual guard against CSV injection.
* XLSX is streamed with openpyxl's write-only mode (rows go to disk as they come): bold frozen
  header row, column widths from the column definitions, dates as real dates (``yyyy/mm/dd``),
  an auto-filter over the table, and text always stored as text (never as a formula).
"""

from __future__ import annotations

import contextlib
import csv
import os
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

Format = Literal["csv", "xlsx"]
FORMATS: tuple[Format, ...] = ("csv", "xlsx")
Value = str | int | date | None

DATE_FORMAT = "yyyy/mm/dd"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Column:
    header: str
    width: float  # in Excel character units (a kanji is about two)


class Sheet(Protocol):
    def write(self, row: Sequence[Value]) -> None: ...


def check_format(fmt: str) -> Format:
    if fmt not in FORMATS:
        raise ValueError(f"unknown export format {fmt!r}: expected one of {FORMATS}")
    return fmt  # type: ignore[return-value]


def _csv_text(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    # Apostrophes before a formula start are guarded too ("'=x" → "''=x"), so an import, which
    # strips one apostrophe from exactly such cells, gives back what was exported.
    return f"'{value}" if value.lstrip("'").startswith(_FORMULA_STARTS) else value


class CsvSheet:
    """Writes the header at once, then one line per :meth:`write`."""

    def __init__(self, stream: TextIO, columns: Sequence[Column]) -> None:
        self._writer = csv.writer(stream, lineterminator="\r\n")
        self._writer.writerow([c.header for c in columns])

    def write(self, row: Sequence[Value]) -> None:
        self._writer.writerow([_csv_text(v) for v in row])


class XlsxSheet:
    """One worksheet of a write-only workbook; :meth:`save` finishes it, :meth:`discard` drops
    openpyxl's own temporary file when the export fails before that."""

    def __init__(self, columns: Sequence[Column], title: str) -> None:
        self._book = Workbook(write_only=True)
        self._sheet: Any = self._book.create_sheet(title)
        self._columns = list(columns)
        self._rows = 0
        for i, column in enumerate(self._columns, start=1):
            self._sheet.column_dimensions[get_column_letter(i)].width = column.width
        self._sheet.freeze_panes = "A2"
        bold, fill = Font(bold=True), PatternFill("solid", fgColor="E8EEF4")
        header = []
        for column in self._columns:
            cell = WriteOnlyCell(self._sheet, value=column.header)
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(vertical="center")
            header.append(cell)
        self._sheet.append(header)

    def _cell(self, value: Value) -> Any:
        if isinstance(value, date):
            cell = WriteOnlyCell(self._sheet, value=value)
            cell.number_format = DATE_FORMAT
            return cell
        if isinstance(value, str):
            text: str = ILLEGAL_CHARACTERS_RE.sub("", value)
            if text.startswith("="):  # openpyxl would store it as a formula
                cell = WriteOnlyCell(self._sheet, value=text)
                cell.data_type = "s"
                return cell
            return text
        return value

    def write(self, row: Sequence[Value]) -> None:
        self._sheet.append([self._cell(v) for v in row])
        self._rows += 1

    def save(self, path: Path) -> None:
        last = get_column_letter(len(self._columns))
        self._sheet.auto_filter.ref = f"A1:{last}{self._rows + 1}"
        self._book.save(path)

    def discard(self) -> None:
        """Remove openpyxl's temporary file for the sheet if it still exists (the export failed
        before :meth:`save`); rows already streamed are closed off first, so nothing writes to
        the file once it is gone."""
        writer = getattr(self._sheet, "_writer", None)
        out = getattr(writer, "out", None)
        if writer is None or not isinstance(out, str) or not os.path.exists(out):
            return
        for stream in (getattr(self._sheet, "_rows", None), writer):
            if stream is not None:
                with contextlib.suppress(Exception):
                    stream.close()
        with contextlib.suppress(Exception):
            writer.cleanup()


@contextlib.contextmanager
def open_sheet(target: Path, fmt: str, columns: Sequence[Column], title: str) -> Iterator[Sheet]:
    """A sheet whose rows land in ``target`` only if the block finishes without an error.

    Rows go to a hidden temporary file in the target's folder (same file system, so the final
    rename is atomic and replaces any older export); on failure the temporary file is removed and
    ``target`` is left as it was.
    """
    kind = check_format(fmt)
    target = Path(target)
    handle, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    os.close(handle)
    partial = Path(name)
    try:
        if kind == "csv":
            with partial.open("w", encoding="utf-8-sig", newline="") as stream:
                yield CsvSheet(stream, columns)
        else:
            sheet = XlsxSheet(columns, title)
            try:
                yield sheet
                sheet.save(partial)
            finally:
                sheet.discard()
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
