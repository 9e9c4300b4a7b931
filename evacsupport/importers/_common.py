"""What every importer shares: reading CSV/XLSX, matching headers, results and rejected rows."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from evacsupport.errors import EvacError

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
PROGRESS_EVERY = 200
ERROR_COLUMN = "エラー"


@dataclass(frozen=True)
class RowError:
    """One refused row: its number as seen in the file, the column as headed there, why."""

    row: int
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[RowError] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    rejected_file: Path | None = None
    updated_fields: list[str] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.rejected


@dataclass
class Row:
    number: int  # as the user sees it: header = 1
    values: dict[str, str]  # canonical key → text
    raw: list[str]  # the cells as read, for the rejected-rows file


@dataclass
class Table:
    path: Path
    headers: list[str]  # as written in the file
    columns: dict[str, str]  # canonical key → header as written
    rows: list[Row]
    notices: list[str]


class Rollback(Exception):
    """Raised inside the unit of work to undo a dry run."""


def norm_header(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower().replace(" ", "").replace("_", "")


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


_BOM = codecs.BOM_UTF8
_WIDE_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)  # the UTF-32 ones start with these
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected .xlsx


def decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM) or CP932, as Excel in Japan saves.

    A BOM is only a hint: some tools put one in front of CP932 text, so what follows it is read
    as UTF-8 when it is valid UTF-8 and as CP932 otherwise. UTF-16 (Excel's "Unicode text") and
    ISO-2022-JP are refused with the encoding message rather than read as mojibake that would
    then fail as a missing column; so is any text that is not text at all.
    """
    if data.startswith(_WIDE_BOMS):
        raise EvacError("import.encoding")
    body = data.removeprefix(_BOM)
    for encoding in ("utf-8", "cp932"):
        try:
            text = body.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_misread(text):
            break
        return text
    raise EvacError("import.encoding")


def _looks_misread(text: str) -> bool:
    """UTF-16 without a BOM (a NUL every other character) or ISO-2022-JP (ESC $ sequences)."""
    sample = text[:65536]
    nuls = sample.count("\x00")
    return (nuls >= 8 and nuls * 8 > len(sample)) or "\x1b$" in sample


def read_cells(path: Path) -> list[list[str]]:
    """Every row of the file (the header included) as text cells.

    CSV or XLSX is told by the file's first bytes (a workbook saved with a .csv name is still
    read), then by its name.
    """
    data = _read_bytes(Path(path))
    if data.startswith(_OLE_MAGIC):
        raise EvacError("import.xls_old")
    if data.startswith(_ZIP_MAGIC) or Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        from openpyxl import load_workbook

        try:
            book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
            try:
                sheet = book.worksheets[0]
                return [[_cell(v) for v in row] for row in sheet.iter_rows(values_only=True)]
            finally:
                book.close()
        except Exception as exc:
            # Not a zip, no workbook inside, broken XML: openpyxl raises a different error for
            # each, none of them the user's to debug. Ours (cancel, encoding) never arise here.
            raise EvacError("import.unreadable") from exc
    text = decode(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return [list(r) for r in reader]
    except csv.Error as exc:  # in the default, lenient dialect only a cell over the limit
        raise EvacError(
            "import.cell_too_large", line=reader.line_num, max=csv.field_size_limit()
        ) from exc


def _read_bytes(path: Path) -> bytes:
    if not path.is_file():
        raise EvacError("import.no_file", path=str(path))
    try:
        return path.read_bytes()
    except OSError as exc:  # locked by Excel on Windows, no permission, a network drive gone
        raise EvacError("import.cannot_open", path=str(path)) from exc


def read_table(
    path: Path,
    aliases: dict[str, Sequence[str]],
    required: Iterable[Sequence[str]],
) -> Table:
    """Map the header to canonical keys; a missing required column is an error naming it.

    Each entry of ``required`` is a group of keys of which at least one must be present (氏名
    or 姓); the error names the group's first key as the file would head it.
    """
    cells = read_cells(Path(path))
    skipped = 0  # blank lines above the header still count in the row numbers
    while cells and not any(c.strip() for c in cells[0]):
        cells.pop(0)
        skipped += 1
    if not cells:
        raise EvacError("import.empty")
    headers = [c.strip() for c in cells[0]]
    lookup = {norm_header(a): key for key, names in aliases.items() for a in names}
    columns: dict[str, str] = {}
    index: dict[str, int] = {}
    notices: list[str] = []
    for i, header in enumerate(headers):
        key = lookup.get(norm_header(header))
        if key is None or key in columns:
            if header and header != ERROR_COLUMN:
                notices.append(_notice_ignored(header))
            continue
        columns[key] = header
        index[key] = i
    for group in required:
        if not any(k in columns for k in group):
            raise EvacError("import.missing_column", column=aliases[group[0]][0])
    rows: list[Row] = []
    for number, raw in enumerate(cells[1:], start=2 + skipped):
        if not any(c.strip() for c in raw):
            continue
        values = {k: (raw[i].strip() if i < len(raw) else "") for k, i in index.items()}
        rows.append(Row(number, values, list(raw)))
    return Table(Path(path), headers, columns, rows, notices)


def _notice_ignored(header: str) -> str:
    from evacsupport.i18n import message

    return message("import.column_ignored", column=header)


def write_rejected(table: Table, rows: list[Row], errors: dict[int, list[str]]) -> Path:
    """The refused rows with an エラー column, as UTF-8 with BOM (opens cleanly in Excel)."""
    out = table.path.with_name(f"{table.path.stem}.rejected.csv")
    headers = [h for h in table.headers if h != ERROR_COLUMN]
    keep = [i for i, h in enumerate(table.headers) if h != ERROR_COLUMN]
    with out.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow([*headers, ERROR_COLUMN])
        for row in rows:
            cells = [row.raw[i] if i < len(row.raw) else "" for i in keep]
            writer.writerow([*cells, " / ".join(errors.get(row.number, []))])
    return out


class Ticker:
    """Calls ``progress`` every :data:`PROGRESS_EVERY` steps and stops when cancelled."""

    def __init__(self, total: int, progress: Progress | None, cancelled: Cancelled | None):
        self.total, self.progress, self.cancelled, self.done = total, progress, cancelled, 0

    def step(self, n: int = 1) -> None:
        before = self.done // PROGRESS_EVERY
        self.done += n
        if self.done // PROGRESS_EVERY != before or self.done >= self.total:
            if self.cancelled is not None and self.cancelled():
                raise EvacError("import.cancelled")
            if self.progress is not None:
                self.progress(min(self.done, self.total), self.total)


def split_list(text: str) -> list[str]:
    import re

    return [p.strip() for p in re.split(r"[、,，;；]+", text) if p.strip()]


def split_name(text: str) -> tuple[str, str]:
    parts = text.replace("\u3000", " ").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], (parts[1] if len(parts) > 1 else "")
