"""Importers fed odd files: random bytes, every encoding a Japanese office might use, BOMs,
cut-off files, empty ones, huge cells, control characters and broken or hostile XLSX zips.

Whatever arrives, for all three importers: no traceback (a result, or an :class:`EvacError`
whose message is in the catalog in both languages), no example over 10 seconds (the deadline),
a refused file changes nothing in the database, and nothing stored holds a control character
(names with one are refused, free text drops them).

:mod:`tests.property.test_importers` fuzzes the *contents* of well-formed files; this module
fuzzes the *files*, and reuses its tables and checks.
"""

from __future__ import annotations

import codecs
import io
import itertools
import tempfile
import zipfile
from datetime import timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.models import Household, Member, Venue
from evacsupport.domain.normalize import find_control
from evacsupport.importers import import_households, import_meals, import_venues, limits
from evacsupport.importers._common import read_cells
from tests.importers.helpers import (
    SHEET,
    declare_size,
    households,
    sheet_xml,
    workbook_bytes,
    write_csv,
)
from tests.property.strategies import assert_clear_error
from tests.property.test_importers import VENUE, _csv_text, _xlsx, run_import, tables

FILES = settings(
    max_examples=35,
    deadline=timedelta(seconds=10),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_files = itertools.count()

# ---- text ----------------------------------------------------------------------------------

CONTROLS = ["\x00", "\x07", "\x08", "\x1b", "\x1b[2J", "\x7f", "\x85", "\x9b", "\u2028",
            "\u202e", "\t", "\r", "\n", "\x0b", "\x0c", "\x1f"]  # fmt: skip


@st.composite
def with_controls(draw: st.DrawFn, cells: list[list[Any]]) -> list[list[Any]]:
    """The table with control characters put into a few of its text cells."""
    out = [list(row) for row in cells]
    spots = [(r, c) for r, row in enumerate(out) for c, v in enumerate(row) if isinstance(v, str)]
    if not spots:
        return out
    for r, c in draw(st.lists(st.sampled_from(spots), max_size=4)):
        text = out[r][c]
        at = draw(st.integers(0, len(text)))
        out[r][c] = text[:at] + draw(st.sampled_from(CONTROLS)) + text[at:]
    return out


# Encodings a list may arrive in. The first few are read; the rest are refused or misread
# (and so fail as a missing column), never a traceback.
ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "bom+cp932", "utf-16", "utf-16-le", "utf-16-be",
             "utf-32", "euc_jp", "iso2022_jp", "shift_jis_2004", "latin-1", "gb18030"]  # fmt: skip


def encode(text: str, encoding: str) -> bytes:
    if encoding == "bom+cp932":
        return codecs.BOM_UTF8 + text.encode("cp932", errors="replace")
    return text.encode(encoding, errors="replace")


# ---- workbooks -----------------------------------------------------------------------------

REFS = st.one_of(
    st.builds(lambda c, r: f"{c}{r}", st.sampled_from(["A", "B", "C", "Z", "AA", "XFD"]),
              st.integers(1, 40)),
    st.sampled_from(["", "A0", "1A", "ZZZZ1", "A99999999", "XFE1", "a1"]),
)  # fmt: skip


@st.composite
def hand_sheets(draw: st.DrawFn, header: list[str]) -> bytes:
    """A worksheet openpyxl would never write: odd row numbers and cell references, a size
    claim, prefixes, numbers and formulas, characters XML forbids, entity declarations."""
    rows = ['<row r="1">' + "".join(
        f'<c r="{col}1" t="inlineStr"><is><t>{escape(h)}</t></is></c>'
        for col, h in zip("ABCDEFGHIJKLMNOPQRST", header, strict=False)
    ) + "</row>"]  # fmt: skip
    for _ in range(draw(st.integers(0, 6))):
        number = draw(st.one_of(st.integers(2, 60), st.sampled_from([0, -1, 70_000, 10**9])))
        cells = []
        for _ in range(draw(st.integers(0, 5))):
            ref = draw(REFS)
            attr = f' r="{ref}"' if ref else ""
            cells.append(
                draw(
                    st.sampled_from(
                        [
                            f'<c{attr} t="inlineStr"><is><t>能登 太郎</t></is></c>',
                            f'<c{attr} t="inlineStr"><is><t>のと\x1bたろう</t></is></c>',
                            f"<c{attr}><v>1.5e308</v></c>",
                            f"<c{attr}><v>NaN</v></c>",
                            f'<c{attr} t="s"><v>99</v></c>',  # a shared string that is not there
                            f'<c{attr} t="b"><v>1</v></c>',
                            f'<c{attr} t="d"><v>2024-13-45</v></c>',
                            f"<c{attr}><f>SUM(A1:A9)</f><v>3</v></c>",
                            f'<c{attr} t="e"><v>#REF!</v></c>',
                            f"<c{attr}/>",
                        ]
                    )
                )
            )
        tag = draw(st.sampled_from(["row", "x:row"]))
        rows.append(f'<{tag} r="{number}">{"".join(cells)}</{tag}>')
    dimension = draw(st.sampled_from(["", "A1:XFD1048576", "A1", "ZZZ9:A1", "nonsense"]))
    sheet = sheet_xml(rows, dimension=dimension)
    if draw(st.booleans()) and draw(st.booleans()):
        sheet = sheet.replace(b"<sheetData>", b'<sheetData xmlns:x="urn:x">', 1)
    if draw(st.integers(0, 9)) == 0:
        entities = '<!DOCTYPE w [<!ENTITY a "ああ"><!ENTITY b "&a;&a;">]>'.encode()
        sheet = sheet.replace(b"?>", b"?>" + entities, 1)
    return sheet


@st.composite
def broken_zips(draw: st.DrawFn, good: bytes) -> bytes:
    """A workbook's bytes flipped, cut, padded, or with a part's size lied about."""
    how = draw(st.sampled_from(["flip", "cut", "pad", "lie", "lie-big", "extra", "stored"]))
    if how == "flip":
        data = bytearray(good)
        for at in draw(st.lists(st.integers(0, len(good) - 1), min_size=1, max_size=8)):
            data[at] ^= draw(st.integers(1, 255))
        return bytes(data)
    if how == "cut":
        return good[: draw(st.integers(0, len(good) - 1))]
    if how == "pad":
        return good + draw(st.binary(min_size=1, max_size=200))
    if how in ("lie", "lie-big"):
        size = draw(st.integers(0, 100)) if how == "lie" else 2**32 - 1
        return declare_size(good, SHEET, size)
    if how == "extra":  # a second, junk sheet part and a stray file
        with zipfile.ZipFile(io.BytesIO(good)) as archive:
            sheet = archive.read(SHEET)
        return workbook_bytes(sheet, **{"xl/worksheets/sheet2.xml": b"<junk", "x.bin": b"\0" * 9})
    return good  # "stored": the workbook as it is


# ---- files ---------------------------------------------------------------------------------


@st.composite
def odd_files(draw: st.DrawFn, kind: str) -> tuple[str, bytes]:
    """A file name's suffix and the file's bytes."""
    cells = draw(tables(kind).flatmap(with_controls))
    header = [str(h) for h in next((r for r in cells if r), [])]
    shape = draw(
        st.sampled_from(
            ["encoded", "encoded", "encoded", "cut", "random", "empty", "huge", "openpyxl",
             "broken", "hand", "hand"]
        )
    )  # fmt: skip
    if shape == "encoded":
        return ".csv", encode(_csv_text(cells), draw(st.sampled_from(ENCODINGS)))
    if shape == "cut":
        data = encode(_csv_text(cells), draw(st.sampled_from(ENCODINGS[:4])))
        return ".csv", data[: draw(st.integers(0, len(data)))]
    if shape == "random":
        return draw(st.sampled_from([".csv", ".xlsx", ".txt"])), draw(st.binary(max_size=3000))
    if shape == "empty":
        data = draw(st.sampled_from([b"", codecs.BOM_UTF8, b"\r\n" * 40, b",,,\r\n" * 5]))
        return draw(st.sampled_from([".csv", ".xlsx"])), data
    if shape == "huge":
        cell = "あ" * (limits.LIMITS.cell_chars + draw(st.integers(-1, 1)))
        return ".csv", encode(_csv_text([header, [cell]]), "utf-8-sig")
    if shape == "hand":
        return ".xlsx", workbook_bytes(draw(hand_sheets(header)))
    good = _workbook(cells)
    if shape == "broken":
        return draw(st.sampled_from([".xlsx", ".csv"])), draw(broken_zips(good))
    return ".xlsx", good


def _workbook(cells: list[list[Any]]) -> bytes:
    """The table as openpyxl writes it (``_xlsx`` saves to a path, so through a scratch one)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "book.xlsx"
        _xlsx(path, cells)
        return path.read_bytes()


def write(tmp_path: Path, suffix: str, data: bytes) -> Path:
    path = tmp_path / f"{next(_files)}" / f"名簿{suffix}"
    path.parent.mkdir()
    path.write_bytes(data)
    return path


def assert_no_control_characters(db: Database) -> None:
    """Nothing stored by an import holds a control character, names and free text alike."""
    with db.read() as s:
        texts = [
            *s.scalars(select(Member.family_name)),
            *s.scalars(select(Member.given_name)),
            *s.scalars(select(Member.family_kana)),
            *s.scalars(select(Member.given_kana)),
            *s.scalars(select(Member.dietary_needs)),
            *s.scalars(select(Household.origin_address)),
            *s.scalars(select(Household.current_address)),
            *s.scalars(select(Venue.name)),
            *s.scalars(select(Venue.operator)),
            *s.scalars(select(Venue.address)),
        ]
    assert [t for t in texts if find_control(t) is not None] == []


def check(db: Database, importer: Any, path: Path, flags: tuple[bool, bool]) -> None:
    run_import(db, importer, path, dry_run=flags[0], skip_invalid=flags[1])
    assert_no_control_characters(db)


# ---- tests ---------------------------------------------------------------------------------


@FILES
@given(file=odd_files("households"), flags=st.tuples(st.booleans(), st.booleans()))
def test_household_import_of_odd_files(
    db: Database, tmp_path: Path, file: tuple[str, bytes], flags: tuple[bool, bool]
) -> None:
    check(db, import_households, write(tmp_path, *file), flags)


@FILES
@given(file=odd_files("venues"), flags=st.tuples(st.booleans(), st.booleans()))
def test_venue_import_of_odd_files(
    db: Database, tmp_path: Path, file: tuple[str, bytes], flags: tuple[bool, bool]
) -> None:
    check(db, import_venues, write(tmp_path, *file), flags)


@FILES
@given(file=odd_files("meals"), flags=st.tuples(st.booleans(), st.booleans()))
def test_meal_import_of_odd_files(
    db: Database, tmp_path: Path, file: tuple[str, bytes], flags: tuple[bool, bool]
) -> None:
    base = tmp_path / "base"
    if not base.exists():  # meals need a venue and households to refer to (once per test)
        base.mkdir()
        assert import_venues(db, write_csv(base / "venues.csv", [VENUE])).ok
        assert import_households(db, write_csv(base / "list.csv", households(2))).ok
    check(db, import_meals, write(tmp_path, *file), flags)


@settings(max_examples=80, deadline=timedelta(seconds=10))
@given(file=st.one_of(odd_files("households"), odd_files("venues")))
def test_reading_odd_files_gives_rows_or_a_clear_error(
    tmp_path_factory: Any, file: tuple[str, bytes]
) -> None:
    """The reader alone, many more files: rows of text, or one of the app's errors."""
    path = write(tmp_path_factory.mktemp("read"), *file)
    try:
        rows = read_cells(path)
    except Exception as exc:
        assert_clear_error(exc)
    else:
        assert all(isinstance(c, str) for row in rows for c in row)
        assert len(rows) <= limits.LIMITS.sheet_rows
