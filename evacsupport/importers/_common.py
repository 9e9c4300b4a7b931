"""What every importer shares: reading CSV/XLSX within limits, matching headers, results and
rejected rows."""

from __future__ import annotations

import codecs
import csv
import io
import re
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from evacsupport.errors import EvacError
from evacsupport.importers import limits as import_limits
from evacsupport.importers.limits import MB, Limits

if TYPE_CHECKING:
    from evacsupport.importers.choices import Unmatched

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
    # values of choice columns that are no choice, or were mapped to one (importers.choices)
    unmatched: list[Unmatched] = field(default_factory=list)

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
_CENTRAL_HEADER = b"PK\x01\x02"  # one per part in a zip's directory
_BLANK: list[str] = []  # every blank row, shared (never changed), so a million cost nothing
_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|\Z)")
# A sheet row's opening tag, with or without a namespace prefix (<row r="2">, <x:row/>), not
# <rowBreaks>; the prefix is bounded, so a tag spans at most _ROW_TAG_MAX bytes.
_ROW_TAG_RE = re.compile(rb"<(?:[A-Za-z_][\w.-]{0,31}:)?row[\s/>]")
_ROW_TAG_MAX = 40
# The app's own CSV export puts an apostrophe before text that Excel would run as a formula
# (exporters.writers); an import reads the value, not the guard, so exports round-trip.
GUARDED_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def unguard(cell: str) -> str:
    """A cell without the export's formula guard: ``'=A1`` is ``=A1``, ``'-`` is ``-``, and
    ``''=A1`` (an exported ``'=A1``) is ``'=A1``; ``'tis`` is left as it is."""
    guarded = cell.startswith("'") and cell.lstrip("'").startswith(GUARDED_STARTS)
    return cell[1:] if guarded else cell


class _Reading:
    """Counts what a file has given so far and refuses it the moment it passes a limit."""

    def __init__(self, limits: Limits) -> None:
        self.limits = limits
        self.deadline = time.monotonic() + limits.seconds
        self.rows = self.filled = self.cells = 0

    def tick(self) -> None:
        if time.monotonic() > self.deadline:
            raise EvacError("import.too_slow", seconds=f"{self.limits.seconds:.0f}")

    def add(self, row: list[str], width: int) -> list[str]:
        """Count one row (``width`` cells as read, trailing empty ones included)."""
        limits = self.limits
        self.rows += 1
        self.cells += width
        if self.rows > limits.sheet_rows:
            raise EvacError("import.too_many_rows", max=f"{limits.rows:,}")
        if self.cells > limits.cells:
            raise EvacError("import.too_many_cells", max=f"{limits.cells:,}")
        if not row:
            self.tick()
            return _BLANK
        for text in row:
            if len(text) > limits.cell_chars:
                raise EvacError("import.cell_too_large", line=self.rows, max=limits.cell_chars)
        if any(text.strip() for text in row):
            self.filled += 1
            if self.filled > limits.rows:
                raise EvacError("import.too_many_rows", max=f"{limits.rows:,}")
        self.tick()
        return row


def read_cells(path: Path) -> list[list[str]]:
    """Every row of the file (the header included) as text cells; blank rows are empty lists.

    CSV or XLSX is told by the file's first bytes (a workbook saved with a .csv name is still
    read), then by its name. Every limit in :mod:`evacsupport.importers.limits` is checked while
    reading, so a file over one is refused before its whole content is in memory.
    """
    limits = import_limits.LIMITS
    data = _read_bytes(Path(path), limits)
    if data.startswith(_OLE_MAGIC):
        raise EvacError("import.xls_old")
    reading = _Reading(limits)
    if data.startswith(_ZIP_MAGIC) or Path(path).suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx_cells(data, reading)
    text = decode(data)
    del data  # the text is all that is needed now: a 100 MB file is not held twice
    return _csv_cells(text, reading)


def _megabytes(size: int) -> str:
    """A size for a message: 100 MB as ``100``, a lowered test limit as ``0.1``."""
    return f"{size / MB:,.0f}" if size >= 10 * MB else f"{size / MB:.1f}"


def _read_bytes(path: Path, limits: Limits) -> bytes:
    if not path.is_file():
        raise EvacError("import.no_file", path=str(path))
    try:
        size = path.stat().st_size
        if size > limits.file_bytes:
            raise EvacError(
                "import.file_too_large",
                size_mb=_megabytes(size),
                max_mb=_megabytes(limits.file_bytes),
            )
        return path.read_bytes()
    except OSError as exc:  # locked by Excel on Windows, no permission, a network drive gone
        raise EvacError("import.cannot_open", path=str(path)) from exc


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings, as a file opened with ``newline=""`` gives them
    to csv (CRLF, LF and the old Mac CR), without copying the whole text as io.StringIO does."""
    for match in _LINE_RE.finditer(text):
        if line := match.group():
            yield line


def _csv_cells(text: str, reading: _Reading) -> list[list[str]]:
    reader = csv.reader(_lines(text))
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(reading.add(row, len(row)))
    except csv.Error as exc:  # in the default, lenient dialect only a cell over the limit
        raise EvacError(
            "import.cell_too_large", line=reader.line_num, max=csv.field_size_limit()
        ) from exc
    return rows


def _xlsx_cells(data: bytes, reading: _Reading) -> list[list[str]]:
    """The first sheet's rows, once the zip has passed :func:`_check_zip`."""
    _check_zip(data, reading)
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            reading.tick()
            sheet = book.worksheets[0]
            # The sheet's own claim of its size pads every row to its widest and adds rows up
            # to its last: a claim of A1:XFD1048576 would turn one cell into 17 billion.
            sheet.reset_dimensions()
            rows: list[list[str]] = []
            for values in sheet.iter_rows(values_only=True):
                rows.append(reading.add(_xlsx_row(values), len(values)))
            return rows
        finally:
            book.close()
    except EvacError:
        raise
    except Exception as exc:
        # Not a zip, no workbook inside, broken XML: openpyxl raises a different error for
        # each, none of them the user's to debug.
        raise EvacError("import.unreadable") from exc


def _xlsx_row(values: Sequence[object]) -> list[str]:
    """A sheet row as text, without the empty cells after its last value."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return [_cell(v) for v in values[:end]] if end else _BLANK


def _check_zip(data: bytes, reading: _Reading) -> None:
    """Refuse a workbook whose parts unpack too large or too well, before openpyxl reads it.

    The directory's declared sizes and each part's ratio are checked first (cheap), then every
    part is inflated once, in pieces, to check the sizes actually unpacked and that each part
    is intact; openpyxl then reads the same bytes, so what it unpacks is what was checked.
    """
    limits = reading.limits
    if data.count(_CENTRAL_HEADER) > limits.parts:
        raise EvacError("import.unreadable")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, and struct or value errors of a mangled directory
        raise EvacError("import.unreadable") from exc
    with archive:
        parts = archive.infolist()
        if sum(p.file_size for p in parts) > limits.unpacked_bytes:
            raise EvacError("import.xlsx_unpacked", max_mb=_megabytes(limits.unpacked_bytes))
        for part in parts:
            _check_ratio(part.file_size, part.compress_size, limits)
        left = limits.unpacked_bytes
        for part in parts:
            left -= _unpacked_size(archive, part, left, reading)


def _check_ratio(unpacked: int, packed: int, limits: Limits) -> None:
    if unpacked > limits.ratio_from_bytes and unpacked > limits.ratio * max(packed, 1):
        raise EvacError("import.xlsx_ratio", max=limits.ratio)


def _unpacked_size(
    archive: zipfile.ZipFile, part: zipfile.ZipInfo, left: int, reading: _Reading
) -> int:
    """Inflate one part, counting its bytes and its rows.

    Over its declared size or the bytes ``left`` is refused; so is a part with more rows than
    any sheet can have, here, in a second or two, rather than after openpyxl has spent minutes
    parsing them (a 15 MB file can hold three million rows).
    """
    limits = reading.limits
    size = rows = 0
    tail = b""  # the end of the previous piece, where a row's tag may have begun
    try:
        with archive.open(part) as stream:
            while chunk := stream.read(MB):
                size += len(chunk)
                if size > left or size > part.file_size:
                    raise EvacError(
                        "import.xlsx_unpacked", max_mb=_megabytes(limits.unpacked_bytes)
                    )
                _check_ratio(size, part.compress_size, limits)
                text = tail + chunk
                # A tag that lies wholly in the tail was counted with the previous piece.
                rows += sum(1 for m in _ROW_TAG_RE.finditer(text) if m.end() > len(tail))
                if rows > limits.sheet_rows:
                    raise EvacError("import.too_many_rows", max=f"{limits.rows:,}")
                tail = text[-_ROW_TAG_MAX:]
                reading.tick()
    except EvacError:
        raise
    except Exception as exc:  # a bad CRC, an unknown compression method, an encrypted part
        raise EvacError("import.unreadable") from exc
    return size


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
    # Blank lines above the header still count in the row numbers.
    top = next((i for i, row in enumerate(cells) if any(c.strip() for c in row)), None)
    if top is None:
        raise EvacError("import.empty")
    headers = [c.strip() for c in cells[top]]
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
    for number, raw in enumerate(cells[top + 1 :], start=top + 2):
        if not any(c.strip() for c in raw):
            continue
        values = {k: (unguard(raw[i]).strip() if i < len(raw) else "") for k, i in index.items()}
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
    return [p.strip() for p in re.split(r"[、,，;；]+", text) if p.strip()]


def split_name(text: str) -> tuple[str, str]:
    parts = text.replace("\u3000", " ").strip().split(None, 1)
    if not parts:
        return "", ""
    return parts[0], (parts[1] if len(parts) > 1 else "")


def location_notices(located: Sequence[tuple[int, str, str]]) -> list[str]:
    """What the import says about places: how many rows got a point at which precision, then
    each row the address could not place (a warning: the row is imported without a point, and
    ``evacsupport places fill`` or the editor can place it later). ``located`` holds (row
    number, precision or "", why there is no point)."""
    from evacsupport.i18n import message
    from evacsupport.services.places import precision_label

    counts: dict[str, int] = {}
    for _row, precision, _why in located:
        if precision:
            counts[precision] = counts.get(precision, 0) + 1
    lines = []
    if counts:
        order = ("manual", "koaza", "town", "postal", "city")
        parts = [
            message("import.located_count", kind=precision_label(k), count=counts[k])
            for k in order
            if k in counts
        ]
        lines.append(message("import.located", counts="、".join(parts)))
    for row, precision, why in located:
        if not precision:
            lines.append(message("import.not_located", row=row, why=why))
    return lines
