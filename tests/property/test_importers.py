"""Importers fed arbitrary files: an import succeeds, refuses rows, or raises an app error.

Files are generated as CSV (UTF-8, UTF-8 with BOM, CP932, undecodable bytes) and XLSX, with the
importer's headers in any order and language, unknown, blank and repeated columns, ragged rows,
and cells that are plausible, garbage, empty or huge. Whatever happens, no other exception
escapes, a refused or dry-run import leaves every table as it was, and whatever was stored fits
the database's column lengths (PostgreSQL enforces them; SQLite does not).
"""

from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Callable, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from sqlalchemy import String, func, select

from evacsupport.db import Database
from evacsupport.db.base import Base
from evacsupport.importers import (
    ImportResult,
    import_households,
    import_meals,
    import_venues,
)
from evacsupport.importers import households as households_importer
from evacsupport.importers import meals as meals_importer
from evacsupport.importers import venues as venues_importer
from tests.importers.helpers import households, write_csv
from tests.property.strategies import assert_clear_error, huge, long_digits, texts

IMPORTS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
_files = itertools.count()

# ---- cells -------------------------------------------------------------------------------------


def _one_of(*values: str) -> st.SearchStrategy[str]:
    return st.sampled_from(values)


garbage = st.one_of(texts, long_digits, huge)
empty = st.sampled_from(["", " ", "\u3000"])
# Larger than the csv module's default field limit (131072 characters).
giant = st.integers(131_000, 140_000).map(lambda n: "あ" * n)


def cell(plausible: st.SearchStrategy[str]) -> st.SearchStrategy[Any]:
    """Mostly what the column should hold (so whole rows get imported), else garbage or empty."""
    return st.one_of(*[plausible] * 12, garbage, empty)


def ragged(row: list[Any]) -> st.SearchStrategy[list[Any]]:
    """The row as written, or cut short, or with a cell more than the header has."""
    cut = st.integers(0, len(row)).map(lambda n: row[:n])
    return st.one_of(*[st.just(row)] * 6, cut, st.just([*row, "x"]))


dates_ = st.one_of(
    st.dates(date(1890, 1, 1), date(2030, 1, 1)).map(str),
    _one_of(
        "昭和30年4月1日",
        "Ｈ元.１.８",
        "R6.3.1",
        "平成31年5月1日",
        "S45.3.2",
        "2999-01-01",
        "20240229",
        "0001-01-01",
        "9999-12-31",
        "R99.1.1",
    ),
)
COLUMNS: dict[str, dict[str, st.SearchStrategy[str]]] = {
    "households": {
        "case_number": _one_of("1", "１", "2", "A00001", "EV1-000001", "x" * 120),
        "name": _one_of("能登 太郎", "輪島　花子", "珠洲", "ｶﾀｶﾅ ﾀﾛｳ", "名" * 150),
        "family_name": _one_of("能登", "輪島"),
        "given_name": _one_of("太郎", "花子", ""),
        "furigana": _one_of("ノト タロウ", "のと　はなこ", "ﾉﾄ ｼﾞﾛｳ", "ア" * 150, "ア ア ア"),
        "family_kana": _one_of("ノト", "わじま", "ノ" * 150),
        "given_kana": _one_of("タロウ", "", "ハ" * 150),
        "birth_date": dates_,
        "sex": _one_of("男", "女", "男性", "female", "F", "不明", "その他"),
        "relation": _one_of("世帯主", "本人", "妻", "長男", "子", "孫", "head", "その他", "叔父"),
        "phone": _one_of("090-1234-5678", "076-222-3333", "0120-123-456", "+81 90 1234 5678"),
        "origin_address": _one_of("石川県輪島市河井町1-1", "珠洲市", "東京都", "能登町字宇出津"),
        "current_address": _one_of("石川県金沢市香林坊1-1", "加賀市", ""),
        "postal_code": _one_of("920-0961", "〒９２０－０９６１", "1234567", "92009"),
        "evacuation_status": _one_of("2次避難", "ホテル", "hotel", "みなし仮設", "自宅"),
        "allergens": _one_of("卵、乳", "たまご,小麦", "えび・かに", "ピーナッツ", "なし"),
        "needs": _one_of(
            "",
            "きざみ食",
            "車椅子",
            "要介護2、車椅子使用",
            "独居・高齢",
            "卵・乳アレルギー",
            "要支援1・要介護3",
            "車椅子不要",
            "なし",
        ),
        "dietary_needs": _one_of("", "減塩", "=医師の指示で"),
        "care_level": _one_of("", "なし", "要介護２", "介護3", "要支援1", "care_5", "重い"),
        "wheelchair": _one_of("", "あり", "なし", "○", "×", "たまに"),
        "consent_date": dates_,
    },
    "venues": {
        "name": _one_of("にこにこ食堂", "みんなのカフェ", "ｶﾌｪ", "会" * 250),
        "kind": _one_of("子ども食堂", "パントリー", "kodomo_shokudo", "食堂"),
        "operator": _one_of("NPO法人テスト", "団" * 250),
        "address": _one_of("石川県金沢市香林坊1-1", "輪島市", "住" * 350),
        "latitude": _one_of("36.56", "３６．５６", "91", "-0", "北緯36.5"),
        "longitude": _one_of("136.65", "181", "1e5"),
        "capacity": _one_of("30", "３０", "0", "-1", "501", "多い"),
        "days": _one_of("水、土", "月曜日", "毎日", "sat,sun"),
        "hours": _one_of("17:00-19:00", "11:30〜13:30", "19:00-17:00", "25:00-26:00"),
        "allergens_handled": _one_of("卵、乳", "すべて", ""),
        "wheelchair_access": _one_of("○", "はい", "×", "TRUE", "1"),
        "phone": _one_of("076-222-3333", "123"),
    },
    "meals": {
        "date": dates_,
        "venue": _one_of("にこにこ食堂", "ｶﾌｪ", "ない食堂"),
        "case_number": _one_of("A00001", "A00002", "", "Z9", "1"),
        "meal_type": _one_of("会食", "弁当", "配食", "パントリー", "takeaway", "朝食"),
        "adults": _one_of("1", "２", "0", "", "-1", "10000", "1.5"),
        "children": _one_of("0", "3", "", "abc"),
    },
}
MODULES = {"households": households_importer, "venues": venues_importer, "meals": meals_importer}


@st.composite
def tables(draw: st.DrawFn, kind: str) -> list[list[Any]]:
    """A header (any order, either language, extras) and rows whose cells suit their columns."""
    aliases = MODULES[kind].ALIASES
    keys = draw(st.lists(st.sampled_from(sorted(aliases)), unique=True, min_size=1))
    if draw(st.integers(0, 9)) < 9:  # usually keep the required columns, so rows get read
        keys += [group[0] for group in MODULES[kind].REQUIRED if group[0] not in keys]
    keys = draw(st.permutations(keys))
    header: list[Any] = [draw(st.sampled_from(list(aliases[k]))) for k in keys]
    strategies = [cell(COLUMNS[kind][k]) for k in keys]
    extras = draw(
        st.lists(st.one_of(st.sampled_from(["メモ", "", "エラー", header[0]]), texts), max_size=2)
    )
    header += extras
    strategies += [cell(texts) for _ in extras]
    rows = draw(
        st.lists(
            st.tuples(*strategies).map(list).flatmap(ragged),
            max_size=5,
        )
    )
    if rows and rows[0] and draw(st.integers(0, 9)) == 9:
        rows[0][0] = draw(giant)
    blank_lines = [[]] * draw(st.integers(0, 1))
    return [*blank_lines, header, *rows]


# ---- files ---------------------------------------------------------------------------------------


def _csv_text(cells: Sequence[Sequence[Any]]) -> str:
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerows([["" if c is None else str(c) for c in row] for row in cells])
    return buf.getvalue()


def _xlsx(path: Path, cells: Sequence[Sequence[Any]]) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in cells:
        # Characters the XML cannot hold are what openpyxl refuses to write, as Excel does.
        sheet.append(
            [ILLEGAL_CHARACTERS_RE.sub("", c)[:32767] if isinstance(c, str) else c for c in row]
        )
    book.save(path)


READABLE = ("utf-8", "utf-8-sig", "cp932", "xlsx")
FORMATS = (*READABLE * 4, "bytes", "empty", "csv-as-xlsx", "junk-xlsx")


def write_file(directory: Path, kind: str, fmt: str, cells: list[list[Any]], stem: str) -> Path:
    n = next(_files)
    suffix = ".xlsx" if "xlsx" in fmt else ".csv"
    path = directory / f"{n}" / f"{stem}{suffix}"
    path.parent.mkdir()
    if fmt == "xlsx":
        _xlsx(path, cells)
    elif fmt == "empty":
        path.write_bytes(b"")
    elif fmt == "junk-xlsx":
        path.write_bytes(b"PK\x03\x04" + bytes(range(256)))
    elif fmt == "bytes":
        # Undecodable as UTF-8 and CP932 alike: an unsupported encoding such as EUC-JIS-2004.
        path.write_bytes(_csv_text(cells).encode("utf-8") + b"\x85\xff\xfe\x80")
    else:
        encoding = "utf-8" if fmt == "csv-as-xlsx" else fmt
        path.write_bytes(_csv_text(cells).encode(encoding, errors="replace"))
    return path


def _xlsx_cells() -> st.SearchStrategy[Any]:
    """What a spreadsheet cell may hold besides text."""
    return st.one_of(
        st.integers(-(10**15), 10**15),
        st.floats(allow_nan=False, allow_infinity=False, width=32),
        st.booleans(),
        st.dates(date(1900, 3, 1), date(2100, 1, 1)),
        st.datetimes(datetime(1900, 3, 1), datetime(2100, 1, 1)),
        st.times(),
        st.none(),
    )


# ---- database --------------------------------------------------------------------------------


def snapshot(db: Database) -> dict[str, int]:
    """Row counts of every table."""
    with db.read() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def assert_fits_columns(db: Database) -> None:
    """Every stored text fits its column, as PostgreSQL would insist."""
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if isinstance(column.type, String) and column.type.length:
                    longest = s.scalar(select(func.max(func.length(column)))) or 0
                    assert longest <= column.type.length, f"{table.name}.{column.name}: {longest}"


def run_import(
    db: Database,
    func_: Callable[..., ImportResult],
    path: Path,
    *,
    dry_run: bool,
    skip_invalid: bool,
) -> None:
    before = snapshot(db)
    try:
        result = func_(db, path, dry_run=dry_run, skip_invalid=skip_invalid)
    except Exception as exc:
        assert_clear_error(exc)
        assert snapshot(db) == before, "a refused import changed the database"
        event(f"refused: {getattr(exc, 'code', '')}")
        return
    event("rows refused" if result.rejected else "imported")
    for error in result.rejected:
        assert error.row >= 2 and isinstance(error.column, str) and error.message
    if dry_run or (result.rejected and not skip_invalid):
        assert snapshot(db) == before
        assert result.rejected_file is None or not dry_run
    if result.rejected and skip_invalid and not dry_run:
        assert result.rejected_file is not None and result.rejected_file.exists()
    assert_fits_columns(db)


stems = st.one_of(
    st.sampled_from(["list", "輪島市名簿", "partner list"]),
    st.text(st.sampled_from("abcxyz-_ 012"), min_size=1, max_size=140).map(str.strip).filter(bool),
)


def _file_strategy(kind: str) -> st.SearchStrategy[tuple[str, list[list[Any]], str]]:
    def with_format(cells: list[list[Any]]) -> st.SearchStrategy[tuple[str, list[list[Any]], str]]:
        return st.tuples(st.sampled_from(FORMATS), st.just(cells), stems)

    return tables(kind).flatmap(with_format)


def _maybe_spreadsheet_values(
    case: tuple[str, list[list[Any]], str], data: st.DataObject
) -> list[list[Any]]:
    fmt, cells, _stem = case
    if fmt != "xlsx":
        return cells
    return [[data.draw(st.one_of(st.just(c), _xlsx_cells())) for c in row] for row in cells]


VENUE = {"名称": "にこにこ食堂", "定員": "30", "開催曜日": "水", "開催時間": "17:00-19:00"}


@IMPORTS
@given(
    case=_file_strategy("households"), flags=st.tuples(st.booleans(), st.booleans()), data=st.data()
)
def test_household_import_never_crashes(
    db: Database,
    tmp_path: Path,
    case: tuple[str, list[list[Any]], str],
    flags: tuple[bool, bool],
    data: st.DataObject,
) -> None:
    fmt, _, stem = case
    path = write_file(tmp_path, "households", fmt, _maybe_spreadsheet_values(case, data), stem)
    run_import(db, import_households, path, dry_run=flags[0], skip_invalid=flags[1])


@IMPORTS
@given(case=_file_strategy("venues"), flags=st.tuples(st.booleans(), st.booleans()), data=st.data())
def test_venue_import_never_crashes(
    db: Database,
    tmp_path: Path,
    case: tuple[str, list[list[Any]], str],
    flags: tuple[bool, bool],
    data: st.DataObject,
) -> None:
    fmt, _, stem = case
    path = write_file(tmp_path, "venues", fmt, _maybe_spreadsheet_values(case, data), stem)
    run_import(db, import_venues, path, dry_run=flags[0], skip_invalid=flags[1])


@IMPORTS
@given(case=_file_strategy("meals"), flags=st.tuples(st.booleans(), st.booleans()), data=st.data())
def test_meal_import_never_crashes(
    db: Database,
    tmp_path: Path,
    case: tuple[str, list[list[Any]], str],
    flags: tuple[bool, bool],
    data: st.DataObject,
) -> None:
    if not snapshot(db)["venue"]:
        # Meals need a venue and households to refer to, or every row would be refused.
        base = tmp_path / "base"
        base.mkdir()
        assert import_venues(db, write_csv(base / "venues.csv", [VENUE])).ok
        assert import_households(db, write_csv(base / "list.csv", households(2))).ok
    fmt, _, stem = case
    path = write_file(tmp_path, "meals", fmt, _maybe_spreadsheet_values(case, data), stem)
    run_import(db, import_meals, path, dry_run=flags[0], skip_invalid=flags[1])
