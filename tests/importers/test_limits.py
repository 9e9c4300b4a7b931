"""Import limits: each is refused with a message that says the limit and what to do, writes
nothing, and comes fast; real lists are far inside them.

Most tests lower one limit (``limited``) so a small file crosses it; the zip bombs are real ones,
small on disk, refused under the app's own limits.
"""

from __future__ import annotations

import csv
import dataclasses
import time
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from evacsupport.db import Database
from evacsupport.errors import EvacError
from evacsupport.importers import import_households, import_meals, import_venues, limits
from evacsupport.importers._common import read_cells
from evacsupport.importers.limits import LIMITS, Limits
from tests.importers.helpers import (
    HEADER,
    SHEET,
    declare_size,
    households,
    person,
    row_counts,
    sheet_xml,
    workbook_bytes,
    write_csv,
    xml_row,
)

KANA_HEADER = ["世帯番号", "氏名", "フリガナ"]


@pytest.fixture
def limited(monkeypatch: pytest.MonkeyPatch) -> Any:
    """Call with limits to lower, e.g. ``limited(rows=3)``; the readers use them at once."""

    def lower(**changes: Any) -> Limits:
        lowered = dataclasses.replace(LIMITS, **changes)
        monkeypatch.setattr(limits, "LIMITS", lowered)
        return lowered

    return lower


def refused(db: Database, path: Path, code: str, importer: Any = import_households) -> EvacError:
    """The import's error, having checked its code, both languages and that nothing changed."""
    before = row_counts(db)
    started = time.monotonic()
    with pytest.raises(EvacError) as exc:
        importer(db, path)
    assert time.monotonic() - started < 10
    assert exc.value.code == code
    assert exc.value.message("ja") and exc.value.message("en")
    assert row_counts(db) == before
    return exc.value


def xlsx(path: Path, rows: list[list[Any]]) -> Path:
    book = Workbook()
    sheet: Any = book.active
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_the_limits_leave_room_for_a_prefecture_list() -> None:
    prefecture_rows, widest = 150_000, 40
    assert LIMITS.rows >= 2 * prefecture_rows
    assert LIMITS.cells >= prefecture_rows * widest
    assert LIMITS.file_bytes >= 4 * 20 * limits.MB  # the list is about 20 MB as CSV
    assert LIMITS.unpacked_bytes >= 4 * 110 * limits.MB  # and 110 MB inside its XLSX
    assert LIMITS.cell_chars == csv.field_size_limit()  # CSV and XLSX cells alike


def test_a_file_too_large_on_disk_says_its_size_and_the_limit(
    db: Database, tmp_path: Path, limited: Any
) -> None:
    limited(file_bytes=limits.MB // 10)
    path = write_csv(tmp_path / "list.csv", households(1300))  # about 0.19 MB
    assert 0.15 * limits.MB < path.stat().st_size < 0.25 * limits.MB
    error = refused(db, path, "import.file_too_large")
    assert error.params == {"size_mb": "0.2", "max_mb": "0.1"}
    assert "分けて" in error.message("ja") and "split" in error.message("en")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_too_many_rows_are_refused_but_blank_ones_do_not_count(
    db: Database, tmp_path: Path, limited: Any, fmt: str
) -> None:
    limited(rows=4)  # the header and three people
    rows = [list(p.values()) for p in households(3)]
    blanks: list[list[Any]] = [[]] * 50
    if fmt == "csv":
        fits = tmp_path / "fits.csv"
        fits.write_text("\r\n".join(",".join(r) for r in [HEADER, *rows, *blanks]))
        over = write_csv(tmp_path / "over.csv", households(4))
    else:
        fits = xlsx(tmp_path / "fits.xlsx", [HEADER, *rows, *([[None]] * 50)])
        over = xlsx(tmp_path / "over.xlsx", [HEADER, *[list(p.values()) for p in households(4)]])
    assert import_households(db, fits).created == 3
    error = refused(db, over, "import.too_many_rows")
    assert error.params == {"max": "4"}
    assert "4行以下ずつ" in error.message("ja") and "at most 4 rows" in error.message("en")


def test_a_million_blank_lines_are_refused(db: Database, tmp_path: Path, limited: Any) -> None:
    limited(sheet_rows=1000)
    path = write_csv(tmp_path / "list.csv", [person("1")])
    path.write_bytes(path.read_bytes() + b"\r\n" * 1000)
    refused(db, path, "import.too_many_rows")


def test_too_many_cells_are_refused(db: Database, tmp_path: Path, limited: Any) -> None:
    limited(cells=40)  # the header and two rows of 13 columns fit, three do not
    assert import_households(db, write_csv(tmp_path / "fits.csv", households(2))).created == 2
    error = refused(db, write_csv(tmp_path / "over.csv", households(3)), "import.too_many_cells")
    assert error.params == {"max": "40"}
    assert "列を削除" in error.message("ja") and "delete the columns" in error.message("en")


def test_an_xlsx_cell_is_held_to_the_csv_limit(db: Database, tmp_path: Path) -> None:
    """Excel stops at 32,767 characters and so does openpyxl's writer; other tools do not."""
    huge = "あ" * (LIMITS.cell_chars + 1)
    rows = [xml_row(1, KANA_HEADER), xml_row(2, ["1", "能登 一", "ノト"]), xml_row(3, ["2", huge])]
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml(rows)))
    error = refused(db, path, "import.cell_too_large")
    assert error.params["line"] == 3
    assert "3行目" in error.message("ja")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_reading_past_the_time_limit_stops(
    db: Database, tmp_path: Path, limited: Any, fmt: str
) -> None:
    limited(seconds=-1.0)
    if fmt == "csv":
        path = write_csv(tmp_path / "list.csv", households(3))
    else:
        path = xlsx(tmp_path / "list.xlsx", [HEADER, *[list(p.values()) for p in households(3)]])
    error = refused(db, path, "import.too_slow")
    assert "-1秒" in error.message("ja") and "split" in error.message("en")


def test_a_sheet_claiming_every_row_and_column_reads_only_its_cells(
    db: Database, tmp_path: Path
) -> None:
    """Its <dimension> made openpyxl pad each row to 16,384 cells and add a million rows."""
    rows = [xml_row(1, KANA_HEADER), xml_row(2, ["1", "能登 一", "ノト ハジメ"])]
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml(rows, dimension="A1:XFD1048576")))
    started = time.monotonic()
    assert read_cells(path) == [KANA_HEADER, ["1", "能登 一", "ノト ハジメ"]]
    assert import_households(db, path).created == 1
    assert time.monotonic() - started < 5


def test_a_row_past_the_last_row_a_sheet_can_have_is_refused(db: Database, tmp_path: Path) -> None:
    """openpyxl yields an empty row for every row number skipped: 2,000,000 of them here."""
    rows = [xml_row(1, KANA_HEADER), xml_row(2_000_000, ["1", "能登 一", "ノト ハジメ"])]
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml(rows)))
    refused(db, path, "import.too_many_rows")


def test_a_zip_bomb_of_identical_rows_is_refused_by_its_ratio(db: Database, tmp_path: Path) -> None:
    """Half a million identical rows, 40 KB on disk: the kind that once ran past 180 s."""
    rows = [xml_row(1, KANA_HEADER), "<row><c><v>1</v></c></row>" * 500_000]
    data = workbook_bytes(sheet_xml(rows))
    assert len(data) < 100_000
    path = tmp_path / "名簿.xlsx"
    path.write_bytes(data)
    error = refused(db, path, "import.xlsx_ratio")
    assert error.params == {"max": 100}
    assert "100倍" in error.message("ja") and "CSV" in error.message("en")


def test_a_file_with_more_row_tags_than_a_sheet_can_have_is_refused_before_parsing(
    db: Database, tmp_path: Path
) -> None:
    """Three million distinct rows compress only 15 times; counting them takes a second."""
    rows = [xml_row(1, KANA_HEADER)]
    rows += [f'<x:row r="{n}"/>' for n in range(2, 1_100_000)]  # a namespace prefix counts too
    path = tmp_path / "名簿.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml(rows)))
    refused(db, path, "import.too_many_rows")


def test_unpacked_size_is_checked_as_declared_and_as_inflated(
    db: Database, tmp_path: Path, limited: Any
) -> None:
    rows = [
        xml_row(1, KANA_HEADER),
        *(xml_row(n, [str(n), f"能登 {n}", "ノト"]) for n in range(2, 2000)),
    ]
    data = workbook_bytes(sheet_xml(rows))
    real = tmp_path / "real.xlsx"
    real.write_bytes(data)
    with zipfile.ZipFile(real) as archive:
        unpacked = sum(part.file_size for part in archive.infolist())
    limited(unpacked_bytes=unpacked - 1)
    error = refused(db, real, "import.xlsx_unpacked")
    assert "分ける" in error.message("ja") and "split" in error.message("en")

    limited(unpacked_bytes=LIMITS.unpacked_bytes)
    lying_big = tmp_path / "declared-big.xlsx"
    lying_big.write_bytes(declare_size(data, SHEET, LIMITS.unpacked_bytes + 1))
    refused(db, lying_big, "import.xlsx_unpacked")
    # A part that inflates to more than its entry says: zipfile stops at the declared size,
    # and the cut part fails its checksum.
    lying_small = tmp_path / "declared-small.xlsx"
    lying_small.write_bytes(declare_size(data, SHEET, 1000))
    refused(db, lying_small, "import.unreadable")


def test_a_zip_of_too_many_parts_is_no_workbook(db: Database, tmp_path: Path, limited: Any) -> None:
    limited(parts=10)
    extra = {f"xl/media/image{n}.png": b"\x89PNG" for n in range(10)}
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook_bytes(sheet_xml([xml_row(1, KANA_HEADER)]), **extra))
    refused(db, path, "import.unreadable")


def test_entity_expansion_in_a_sheet_is_refused(db: Database, tmp_path: Path) -> None:
    """The billion laughs: expat's amplification limit stops it; the import says unreadable."""
    entities = '<!ENTITY a "ああああああああああ">' + "".join(
        f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8)
    )
    sheet = sheet_xml([xml_row(1, KANA_HEADER), xml_row(2, ["1", "&i;", "ノト"])])
    sheet = sheet.replace(b"?>", f"?><!DOCTYPE worksheet [{entities}]>".encode(), 1)
    path = tmp_path / "list.xlsx"
    path.write_bytes(workbook_bytes(sheet))
    refused(db, path, "import.unreadable")


@pytest.mark.parametrize("importer", [import_venues, import_meals])
def test_the_other_importers_share_the_limits(
    db: Database, tmp_path: Path, limited: Any, importer: Any
) -> None:
    limited(rows=2)
    path = tmp_path / "list.csv"
    path.write_text(
        "名称,定員,日付,会場,種別\r\nA,1,2024-06-01,A,会食\r\nB,1,2024-06-01,B,会食\r\n"
    )
    refused(db, path, "import.too_many_rows", importer)
