"""Spreadsheet exports: what Excel will show, what privacy keeps out, and files that are
either whole or absent."""

from __future__ import annotations

import csv
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet import _writer as openpyxl_writer
from sqlalchemy import insert

from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import Assignment, Consent, Household, MealLog, Member, Venue
from evacsupport.errors import InvalidValue
from evacsupport.exporters import (
    ExportResult,
    export_households,
    export_meals,
    export_members,
    tables,
    writers,
)
from evacsupport.services import events
from evacsupport.services.consents import ConsentInput, record_consent, withdraw_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

BOM = b"\xef\xbb\xbf"
CREATED = datetime(2024, 1, 20, 3, 0, tzinfo=UTC)  # midday in Japan, the same date everywhere
SECRET = "インスリン注射あり"  # medical notes: must never leave the app in an export
HOUSEHOLD_HEADERS = [
    "世帯番号",
    "世帯主",
    "フリガナ",
    "人数",
    "避難元市町",
    "避難元住所",
    "避難形態",
    "現住所",
    "郵便番号",
    "電話番号",
    "利用会場",
    "状態",
    "登録日",
]
MEMBER_HEADERS = [
    "世帯番号",
    "姓",
    "名",
    "セイ",
    "メイ",
    "生年月日",
    "性別",
    "続柄",
    "アレルギー",
    "食事の配慮",
    "要介護度",
    "車椅子",
]
MEAL_HEADERS = ["日付", "会場", "世帯番号", "種別", "大人", "子ども"]


@dataclass
class Data:
    venue: Venue
    consented: Household  # valid consent: exported
    none: Household  # never consented
    withdrawn: Household
    expired: Household  # expired on 2024-03-31


def _create(db: Database, family: str, kana: str, **kw: object) -> Household:
    head = member(family_name=family, family_kana=kana, medical_notes=SECRET)
    created = HouseholdService(db).create(household(members=[head], **kw))
    with db.session() as s:
        found = s.get(Household, created.id)
        assert found is not None
        found.created_at = CREATED
    return created


def _consent(db: Database, hh: Household, **kw: Any) -> Consent:
    return record_consent(
        db, hh.id, ConsentInput(consented_on=date(2024, 1, 20), purposes=["support"], **kw)
    )


@pytest.fixture
def data(db: Database) -> Data:
    venue = VenueService(db).create(VenueInput(name="こども食堂かなざわ", capacity=40))
    grandmother = member(
        family_name="山田",
        given_name="トメ",
        family_kana="やまだ",
        given_kana="とめ",
        birth_date=date(1938, 2, 11),
        sex="female",
        relation="grandparent",
        allergens=["卵", "乳"],
        dietary_needs="刻み食",
        care_level="care_2",
        needs_wheelchair=True,
        medical_notes=SECRET,
    )
    consented = HouseholdService(db).create(
        household(
            members=[member(medical_notes=SECRET), grandmother],
            phone="09012345678",
            postal_code="9200961",
            notes="ケース記録：" + SECRET,
        )
    )
    with db.session() as s:
        found = s.get(Household, consented.id)
        assert found is not None
        found.created_at = CREATED
        s.add(Assignment(household_id=consented.id, venue_id=venue.id, start_on=date(2024, 2, 1)))
    _consent(db, consented)
    none = _create(db, "佐藤", "さとう")
    withdrawn = _create(db, "鈴木", "すずき")
    withdraw_consent(db, _consent(db, withdrawn).id, date(2024, 5, 1))
    expired = _create(db, "高橋", "たかはし")
    _consent(db, expired, expires_on=date(2024, 3, 31))
    deleted = _create(db, "伊藤", "いとう")
    _consent(db, deleted)
    HouseholdService(db).soft_delete(deleted.id)
    return Data(venue, consented, none, withdrawn, expired)


def read_csv(path: Path) -> list[list[str]]:
    assert path.read_bytes().startswith(BOM)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def read_xlsx(path: Path) -> tuple[Any, list[list[Any]]]:
    book = load_workbook(path)
    sheet = book.active
    assert sheet is not None
    return sheet, [list(row) for row in sheet.iter_rows(values_only=True)]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.fixture
def out(tmp_path: Path) -> Path:
    """A folder of its own for the exports (the test database lives in tmp_path)."""
    folder = tmp_path / "exports"
    folder.mkdir()
    return folder


# --- households -------------------------------------------------------------------------------


def test_household_csv_for_excel(db: Database, data: Data, out: Path) -> None:
    target = out / "世帯.csv"
    result = export_households(db, "csv", target)
    assert result == ExportResult(rows=1, skipped_no_consent=3)
    rows = read_csv(target)
    assert rows[0] == HOUSEHOLD_HEADERS
    assert rows[1:] == [
        [
            data.consented.case_number,
            "山田 花子",
            "ヤマダ ハナコ",
            "2",
            "輪島市",
            "石川県輪島市河井町1-1",
            "2次避難（ホテル・旅館）",
            "石川県金沢市香林坊1-1",
            "920-0961",
            "090-1234-5678",
            "こども食堂かなざわ",
            "支援中",
            "2024-01-20",
        ]
    ]
    assert target.read_bytes().count(b"\r\n") == 2  # Excel's line ends
    assert leftovers(out) == ["世帯.csv"]


def test_consent_is_judged_on_the_day_of_export(db: Database, data: Data, out: Path) -> None:
    # On 1 March the expired and the withdrawn consents were still valid.
    result = export_households(db, "csv", out / "h.csv", today=date(2024, 3, 1))
    assert result == ExportResult(rows=3, skipped_no_consent=1)
    cases = [r[0] for r in read_csv(out / "h.csv")[1:]]
    assert cases == sorted(
        [data.consented.case_number, data.withdrawn.case_number, data.expired.case_number]
    )


def test_household_xlsx(db: Database, data: Data, out: Path) -> None:
    target = out / "世帯.xlsx"
    assert export_households(db, "xlsx", target) == ExportResult(1, 3)
    sheet, rows = read_xlsx(target)
    assert rows[0] == HOUSEHOLD_HEADERS
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["B"].width >= 10
    row = rows[1]
    assert row[:4] == [data.consented.case_number, "山田 花子", "ヤマダ ハナコ", 2]
    assert row[8:12] == ["920-0961", "090-1234-5678", "こども食堂かなざわ", "支援中"]
    registered = sheet.cell(row=2, column=13)
    assert registered.is_date
    assert registered.value.date() == date(2024, 1, 20)


def test_batches_do_not_change_the_result(
    db: Database, data: Data, out: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export_households(db, "csv", out / "whole.csv", today=date(2024, 3, 1))
    export_members(db, "csv", out / "whole-m.csv", today=date(2024, 3, 1))
    monkeypatch.setattr(tables, "BATCH", 2)  # households, consents and members cross batches
    assert export_households(db, "csv", out / "small.csv", today=date(2024, 3, 1)) == (
        ExportResult(3, 1)
    )
    assert export_members(db, "csv", out / "small-m.csv", today=date(2024, 3, 1)).rows == 4
    assert read_csv(out / "small.csv") == read_csv(out / "whole.csv")
    assert read_csv(out / "small-m.csv") == read_csv(out / "whole-m.csv")


# --- members ----------------------------------------------------------------------------------


def test_member_csv_has_labels_and_joined_allergens(db: Database, data: Data, out: Path) -> None:
    target = out / "members.csv"
    assert export_members(db, "csv", target) == ExportResult(rows=2, skipped_no_consent=3)
    rows = read_csv(target)
    assert rows[0] == MEMBER_HEADERS
    case = data.consented.case_number
    assert rows[1] == [
        case,
        "山田",
        "花子",
        "ヤマダ",
        "ハナコ",
        "1945-05-03",
        "女性",
        "世帯主",
        "",
        "",
        "なし",
        "なし",
    ]
    assert rows[2] == [
        case,
        "山田",
        "トメ",
        "ヤマダ",
        "トメ",
        "1938-02-11",
        "女性",
        "祖父母",
        "卵、乳",
        "刻み食",
        "要介護2",
        "あり",
    ]


def test_member_xlsx_dates_are_dates(db: Database, data: Data, out: Path) -> None:
    target = out / "members.xlsx"
    export_members(db, "xlsx", target)
    sheet, rows = read_xlsx(target)
    assert rows[0] == MEMBER_HEADERS
    assert sheet["A1"].font.bold
    born = sheet.cell(row=3, column=6)
    assert born.is_date and born.value.date() == date(1938, 2, 11)
    assert rows[2][8] == "卵、乳"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("export", [export_households, export_members])
def test_medical_and_case_notes_never_exported(
    db: Database, data: Data, out: Path, fmt: str, export: Callable[..., ExportResult]
) -> None:
    target = out / f"out.{fmt}"
    export(db, fmt, target, today=date(2024, 3, 1))  # as many households as possible
    if fmt == "csv":
        text = target.read_text(encoding="utf-8-sig")
    else:
        text = "\n".join(str(v) for row in read_xlsx(target)[1] for v in row)
    assert "山田" in text
    assert SECRET not in text
    assert "ケース記録" not in text


# --- meals ------------------------------------------------------------------------------------


@pytest.fixture
def meals(db: Database, data: Data) -> Data:
    other = VenueService(db).create(VenueInput(name="みんなの食堂", capacity=20))
    hh = data.consented.id
    with db.session() as s:
        s.add_all(
            [
                MealLog(
                    venue_id=data.venue.id,
                    household_id=hh,
                    served_on=date(2024, 6, 10),
                    meal_type="eat_in",
                    adults=1,
                    children=1,
                ),
                MealLog(
                    venue_id=data.venue.id,
                    served_on=date(2024, 6, 10),
                    meal_type="takeaway",
                    adults=3,
                    children=2,
                ),
                MealLog(  # counted without consent, but written without the case number
                    venue_id=other.id,
                    household_id=data.none.id,
                    served_on=date(2024, 6, 3),
                    meal_type="pantry",
                    adults=2,
                ),
                MealLog(
                    venue_id=other.id,
                    household_id=hh,
                    served_on=date(2024, 7, 1),
                    meal_type="delivery",
                    adults=1,
                ),
                MealLog(  # undone at the counter
                    venue_id=other.id,
                    household_id=hh,
                    served_on=date(2024, 6, 12),
                    meal_type="eat_in",
                    adults=1,
                    deleted_at=utcnow(),
                ),
            ]
        )
    return data


def test_meal_csv_includes_guests_with_empty_case_number(
    db: Database, meals: Data, out: Path
) -> None:
    target = out / "meals.csv"
    assert export_meals(db, "csv", target) == ExportResult(rows=4, blanked_no_consent=1)
    rows = read_csv(target)
    assert rows[0] == MEAL_HEADERS
    case = meals.consented.case_number
    assert rows[1:] == [
        ["2024-06-03", "みんなの食堂", "", "パントリー", "2", "0"],  # no consent: no case
        ["2024-06-10", "こども食堂かなざわ", case, "会食", "1", "1"],
        ["2024-06-10", "こども食堂かなざわ", "", "弁当", "3", "2"],
        ["2024-07-01", "みんなの食堂", case, "配食", "1", "0"],
    ]
    assert "山田" not in target.read_text(encoding="utf-8-sig")  # no names


def test_meal_export_by_period_and_as_xlsx(db: Database, meals: Data, out: Path) -> None:
    target = out / "meals.xlsx"
    result = export_meals(db, "xlsx", target, start=date(2024, 6, 4), end=date(2024, 6, 30))
    assert result.rows == 2
    sheet, rows = read_xlsx(target)
    assert rows[0] == MEAL_HEADERS
    assert [r[2:] for r in rows[1:]] == [
        [meals.consented.case_number, "会食", 1, 1],
        [None, "弁当", 3, 2],  # an empty cell for guests
    ]
    assert sheet["A2"].is_date and sheet["A2"].value.date() == date(2024, 6, 10)
    assert export_meals(db, "csv", out / "m.csv", start=date(2024, 7, 1)).rows == 1
    assert export_meals(db, "csv", out / "m.csv", end=date(2024, 6, 3)).rows == 1
    with pytest.raises(InvalidValue):
        export_meals(db, "csv", out / "m.csv", start=date(2024, 7, 1), end=date(2024, 6, 1))


# --- safety -----------------------------------------------------------------------------------


def test_unknown_format_is_refused(db: Database, out: Path) -> None:
    with pytest.raises(ValueError, match="format"):
        export_meals(db, "ods", out / "x.ods")
    assert leftovers(out) == []


def test_formula_like_text_stays_text(db: Database, out: Path) -> None:
    venue = VenueService(db).create(VenueInput(name="=HYPERLINK(1)食堂", capacity=5))
    with db.session() as s:
        s.add(MealLog(venue_id=venue.id, served_on=date(2024, 6, 1), meal_type="eat_in", adults=1))
    export_meals(db, "csv", out / "m.csv")
    assert read_csv(out / "m.csv")[1][1] == "'=HYPERLINK(1)食堂"
    export_meals(db, "xlsx", out / "m.xlsx")
    sheet, rows = read_xlsx(out / "m.xlsx")
    assert rows[1][1] == "=HYPERLINK(1)食堂"
    assert sheet["B2"].data_type == "s"


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_failure_midway_leaves_nothing_behind(
    db: Database, meals: Data, out: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    sheet_class = writers.CsvSheet if fmt == "csv" else writers.XlsxSheet
    real_write = sheet_class.write
    calls = 0

    def write_then_fail(self: Any, row: Any) -> None:
        nonlocal calls
        calls += 1
        if calls > 1:
            raise OSError("disk full")
        real_write(self, row)

    monkeypatch.setattr(sheet_class, "write", write_then_fail)
    openpyxl_files_before = list(openpyxl_writer.ALL_TEMP_FILES)
    target = out / f"meals.{fmt}"
    with pytest.raises(OSError, match="disk full"):
        export_meals(db, fmt, target)
    assert calls == 2
    assert not target.exists()
    assert leftovers(out) == []
    openpyxl_files_after = list(openpyxl_writer.ALL_TEMP_FILES)
    assert openpyxl_files_after == openpyxl_files_before  # its own temporary file is gone too

    # An earlier export under the same name survives a failed one untouched.
    target.write_bytes(b"earlier")
    calls = 0
    with pytest.raises(OSError):
        export_meals(db, fmt, target)
    assert target.read_bytes() == b"earlier"
    assert leftovers(out) == [target.name]


# --- scale ------------------------------------------------------------------------------------


def fill(db: Database, n: int) -> uuid.UUID:
    """Bulk rows straight into the tables: households, heads, consents (every tenth without)
    and one meal each; returns the venue's id."""
    households: list[dict[str, Any]] = []
    members: list[dict[str, Any]] = []
    consents: list[dict[str, Any]] = []
    meal_rows: list[dict[str, Any]] = []
    with db.session() as session:
        event = events.get_or_default(session)
        venue = Venue(name="大規模食堂", kind="kodomo_shokudo", capacity=500)
        session.add(venue)
        session.flush()
        for i in range(n):
            hid = uuid.uuid4()
            households.append(
                {
                    "id": hid,
                    "event_id": event.id,
                    "case_number": f"N24-{i + 1:06d}",
                    "evacuation_status": "hotel" if i % 3 else "deemed_housing",
                    "origin_municipality_code": "172049",
                    "phone": "0762251111",
                }
            )
            members.append(
                {
                    "household_id": hid,
                    "family_name": "浜田",
                    "given_name": f"{i:05d}",
                    "family_kana": "ハマダ",
                    "given_kana": "タロウ",
                    "relation": "head",
                    "birth_date": date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
                    "allergens": ["小麦"] if i % 7 == 0 else [],
                }
            )
            if i % 10:
                consents.append(
                    {
                        "household_id": hid,
                        "subject": "person",
                        "consented_on": date(2024, 2, 1),
                        "method": "written",
                        "purposes": ["support"],
                        "data_categories": ["basic"],
                        "recipients": [],
                    }
                )
            meal_rows.append(
                {
                    "venue_id": venue.id,
                    "household_id": hid if i % 5 else None,
                    "served_on": date(2024, 6, 1 + i % 30),
                    "meal_type": "eat_in",
                    "adults": 1,
                    "children": i % 3,
                    "member_ids": [],
                }
            )
        session.execute(insert(Household), households)
        session.execute(insert(Member), members)
        session.execute(insert(Consent), consents)
        session.execute(insert(MealLog), meal_rows)
        return venue.id


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_five_thousand_rows(db: Database, out: Path, fmt: str) -> None:
    n = 5_000
    fill(db, n)
    households = export_households(db, fmt, out / f"h.{fmt}")
    assert households == ExportResult(rows=n - n // 10, skipped_no_consent=n // 10)
    assert export_members(db, fmt, out / f"p.{fmt}").rows == n - n // 10
    assert export_meals(db, fmt, out / f"m.{fmt}").rows == n
    if fmt == "csv":
        rows = read_csv(out / "h.csv")
        assert len(rows) == n - n // 10 + 1
        assert rows[1][0] == "N24-000002"  # the first has no consent
        assert rows[1][9] == "076-225-1111"
    else:
        _, rows = read_xlsx(out / "m.xlsx")
        assert len(rows) == n + 1
    assert sorted(leftovers(out)) == sorted([f"h.{fmt}", f"p.{fmt}", f"m.{fmt}"])
