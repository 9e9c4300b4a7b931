"""The app's own exports read back in: the CSV formula guard (a leading apostrophe before
``=``, ``+``, ``-`` or ``@``) is taken off again, so what was exported is what is imported."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.models import Household, MealLog, Member
from evacsupport.exporters import writers
from evacsupport.exporters.tables import export_households, export_meals, export_members
from evacsupport.importers import households as households_importer
from evacsupport.importers import import_households, import_meals
from evacsupport.importers._common import GUARDED_STARTS, read_table, unguard
from evacsupport.services.consents import ConsentInput, record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member
from tests.importers.helpers import person, write_csv

# What people write in dietary needs and addresses that Excel would take for a formula.
NEEDS = ["=医師の指示で塩分6g以下", "-", "+α 軟らかめに", "@給食と同じ", "卵・乳なし"]


def caseload(db: Database) -> None:
    """Two consenting households; the first has an address of "-" (none yet), as lists do."""
    service = HouseholdService(db)
    first = service.create(
        household(
            current_address="-",
            members=[
                member(family_name="能登", family_kana="のと", dietary_needs=NEEDS[0]),
                member(
                    family_name="能登",
                    given_name="太郎",
                    family_kana="のと",
                    given_kana="たろう",
                    relation="child",
                    sex="male",
                    birth_date="平成20年4月2日",
                    dietary_needs=NEEDS[1],
                    allergens=["卵", "乳"],
                ),
            ],
        )
    )
    second = service.create(
        household(
            origin_municipality_code="172057",
            origin_address="石川県珠洲市宝立町",
            members=[
                member(family_name="珠洲", family_kana="すず", dietary_needs=NEEDS[2]),
                member(
                    family_name="珠洲",
                    given_name="トメ",
                    family_kana="すず",
                    given_kana="とめ",
                    relation="grandparent",
                    birth_date="昭和10年1月1日",
                    dietary_needs=NEEDS[3],
                ),
                member(
                    family_name="珠洲",
                    given_name="一",
                    family_kana="すず",
                    given_kana="はじめ",
                    relation="spouse",
                    birth_date="昭和18年3月3日",
                    dietary_needs=NEEDS[4],
                ),
            ],
        )
    )
    for saved in (first, second):
        record_consent(db, saved.id, ConsentInput(consented_on="2024-03-01", purposes=["support"]))


def people(db: Database) -> list[tuple[object, ...]]:
    with db.read() as s:
        rows = s.execute(
            select(
                Member.family_name,
                Member.given_name,
                Member.family_kana,
                Member.given_kana,
                Member.birth_date,
                Member.sex,
                Member.relation,
                Member.allergens,
                Member.dietary_needs,
            ).where(Member.deleted_at.is_(None))
        )
        return sorted(tuple(r) for r in rows)


def test_the_guard_is_the_exporters_own() -> None:
    assert GUARDED_STARTS == writers._FORMULA_STARTS
    for start in GUARDED_STARTS:
        for value in (f"{start}1", f"'{start}1", f"''{start}1"):  # apostrophes before it too
            assert unguard(writers._csv_text(value)) == value
    for plain in ("'tis", "'", "''", "a'=b"):
        assert writers._csv_text(plain) == plain and unguard(plain) == plain


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_a_member_export_imports_into_the_same_database_as_unchanged(
    db: Database, tmp_path: Path, fmt: str
) -> None:
    caseload(db)
    path = tmp_path / f"世帯員.{fmt}"
    assert export_members(db, fmt, path).rows == 5
    if fmt == "csv":
        assert "'=医師の指示" in path.read_text(encoding="utf-8-sig")  # the guard was written
    before = people(db)
    result = import_households(db, path)
    assert result.rejected == []
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2), result.updated_fields
    assert people(db) == before


def test_a_member_export_imports_into_a_new_database_as_it_was(
    db: Database, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    caseload(db)
    path = tmp_path / "世帯員.csv"
    export_members(db, "csv", path)
    other = make_db("other")
    result = import_households(other, path)
    assert (result.created, result.rejected) == (2, [])
    assert people(other) == people(db)
    assert sorted(need for *_, need in people(other)) == sorted(NEEDS)


def test_a_household_export_reads_back_its_values(db: Database, tmp_path: Path) -> None:
    caseload(db)
    path = tmp_path / "世帯.csv"
    export_households(db, "csv", path)
    assert "'-" in path.read_text(encoding="utf-8-sig")
    table = read_table(path, households_importer.ALIASES, ())
    addresses = sorted(row.values["current_address"] for row in table.rows)
    assert addresses == ["-", "石川県金沢市香林坊1-1"]
    with db.read() as s:
        stored = sorted(s.scalars(select(Household.current_address)))
    assert addresses == stored


def test_a_meal_export_finds_its_venue_again(
    db: Database, make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    """A venue called "@ほっと食堂" is written as "'@ほっと食堂" to the CSV."""
    venue = VenueService(db).create(VenueInput(name="@ほっと食堂", capacity=20))
    with db.session() as s:
        s.add(MealLog(venue_id=venue.id, served_on=date(2024, 6, 1), meal_type="eat_in", adults=2))
    path = tmp_path / "食事.csv"
    export_meals(db, "csv", path)
    assert "'@ほっと食堂" in path.read_text(encoding="utf-8-sig")
    other = make_db("other")
    VenueService(other).create(VenueInput(name="@ほっと食堂", capacity=20))
    result = import_meals(other, path)
    assert (result.created, result.rejected) == (1, [])


def test_a_partner_list_guarded_the_same_way_is_read_without_the_guard(
    db: Database, tmp_path: Path
) -> None:
    """Another system's export with the same guard: an international phone, a "-" address."""
    row = person("101", 電話番号="'+81 90-1234-5678", 現住所="'-", 配慮事項="'=刻み食")
    result = import_households(db, write_csv(tmp_path / "partner.csv", [row]))
    assert (result.created, result.rejected) == (1, [])
    with db.read() as s:
        saved = s.scalars(select(Household)).one()
        assert (saved.phone, saved.current_address) == ("09012345678", "-")
        assert saved.members[0].dietary_needs == "=刻み食"
