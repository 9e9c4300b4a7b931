"""Files as Excel, municipal systems and old PCs save them: every encoding is read or refused
with one message in the user's language, for all three importers, and a refused file writes
nothing."""

from __future__ import annotations

import codecs
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.models import Household
from evacsupport.errors import EvacError
from evacsupport.importers import ImportResult, import_households, import_meals, import_venues
from evacsupport.importers._common import decode
from tests.importers.helpers import csv_text, person, row_counts, write_csv

BOM = codecs.BOM_UTF8
VENUE = {"名称": "にこにこ食堂", "定員": "30", "開催曜日": "水、土", "開催時間": "17:00-19:00"}
MEAL = {"日付": "2024-06-05", "会場": "にこにこ食堂", "世帯番号": "", "種別": "会食", "大人": "2"}
Importer = Callable[..., ImportResult]
KINDS: list[tuple[Importer, dict[str, str]]] = [
    (import_households, person("101", 配慮事項="きざみ食")),
    (import_venues, VENUE),
    (import_meals, MEAL),
]


def prepare(db: Database, tmp_path: Path, importer: Importer) -> None:
    """Meals need their venue."""
    if importer is import_meals:
        assert import_venues(db, write_csv(tmp_path / "venues.csv", [VENUE])).created == 1


@pytest.mark.parametrize(("importer", "row"), KINDS)
def test_a_bom_before_cp932_text_is_read_as_cp932(
    db: Database, tmp_path: Path, importer: Importer, row: dict[str, str]
) -> None:
    """Some converters put a UTF-8 BOM in front of Shift_JIS text; it used to be a traceback."""
    prepare(db, tmp_path, importer)
    path = tmp_path / "名簿.csv"
    path.write_bytes(BOM + csv_text([row]).encode("cp932"))
    result = importer(db, path)
    assert (result.created, result.rejected) == (1, [])


@pytest.mark.parametrize(("importer", "row"), KINDS)
@pytest.mark.parametrize(
    ("name", "encode"),
    [
        ("utf-16 (Excel's Unicode text)", lambda t: t.encode("utf-16")),
        ("utf-16 without a BOM", lambda t: t.encode("utf-16-le")),
        ("iso-2022-jp (old e-mail)", lambda t: t.encode("iso2022_jp")),
        ("invalid in both", lambda t: t.encode("utf-8") + b"\x85\xff\xfe\x80"),
        ("a bom, then invalid in both", lambda t: BOM + t.encode("cp932") + b"\x85\xff"),
    ],
)
def test_an_unreadable_encoding_is_one_message_and_writes_nothing(
    db: Database,
    tmp_path: Path,
    importer: Importer,
    row: dict[str, str],
    name: str,
    encode: Callable[[str], bytes],
) -> None:
    prepare(db, tmp_path, importer)
    path = tmp_path / "名簿.csv"
    path.write_bytes(encode(csv_text([row])))
    before = row_counts(db)
    with pytest.raises(EvacError) as exc:
        importer(db, path)
    assert exc.value.code == "import.encoding", name
    assert "CSV UTF-8" in exc.value.message("ja") and "CSV UTF-8" in exc.value.message("en")
    assert row_counts(db) == before


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (BOM + "能登".encode(), "能登"),
        (BOM + "能登".encode("cp932"), "能登"),
        ("ﾉﾄ".encode("cp932"), "ﾉﾄ"),  # half-width katakana: single bytes in CP932
        ("髙﨑".encode("cp932"), "髙﨑"),  # NEC and IBM extensions, which Shift_JIS lacks
        (BOM, ""),
        (b"", ""),
        ("能登\x00".encode(), "能登\x00"),  # one stray NUL is a cell's problem, not the file's
    ],
)
def test_decode(data: bytes, text: str) -> None:
    assert decode(data) == text


def test_old_mac_line_ends_and_line_breaks_inside_cells(db: Database, tmp_path: Path) -> None:
    """Excel for Mac wrote CR alone; a quoted cell may hold a line break (Alt+Enter)."""
    text = csv_text([person("1", 現住所="金沢市香林坊1-1\r\nホテル金沢 302号室")])
    path = tmp_path / "list.csv"
    path.write_bytes(text.replace("\r\n", "\r", 1).encode("cp932"))  # the header line ends in CR
    assert path.read_bytes().count(b"\r") == 3
    result = import_households(db, path)
    assert (result.created, result.rejected) == (1, [])
    with db.read() as s:
        address = s.scalars(select(Household.current_address)).one()
    assert address == "金沢市香林坊1-1 ホテル金沢 302号室"  # a one-line field


def test_an_old_xls_or_password_protected_file_says_so(db: Database, tmp_path: Path) -> None:
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    for name in ("名簿.xls", "名簿.xlsx", "名簿.csv"):
        (tmp_path / name).write_bytes(ole)
        with pytest.raises(EvacError) as exc:
            import_households(db, tmp_path / name)
        assert exc.value.code == "import.xls_old"
        assert ".xlsx" in exc.value.message("ja") and "password" in exc.value.message("en")


def test_a_workbook_saved_under_a_csv_name_is_read_as_a_workbook(
    db: Database, tmp_path: Path
) -> None:
    book = Workbook()
    sheet: Any = book.active
    sheet.append(["世帯番号", "氏名", "フリガナ"])
    sheet.append(["1", "能登 一", "ノト ハジメ"])
    path = tmp_path / "list.csv"
    book.save(path)
    assert import_households(db, path).created == 1


def test_a_file_that_cannot_be_opened_names_it(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Excel on Windows keeps the file it has open locked."""
    path = write_csv(tmp_path / "輪島市名簿.csv", [person("1")])

    def locked(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", locked)
    with pytest.raises(EvacError) as exc:
        import_households(db, path)
    assert exc.value.code == "import.cannot_open"
    assert "輪島市名簿.csv" in exc.value.message("ja") and "Excel" in exc.value.message("en")
    assert "Permission denied" not in exc.value.message("en")


def test_a_folder_is_no_file(db: Database, tmp_path: Path) -> None:
    with pytest.raises(EvacError) as exc:
        import_households(db, tmp_path)
    assert exc.value.code == "import.no_file"
