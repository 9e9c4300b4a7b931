"""Where households and venues are: a typed point is kept, an address alone is enough."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import update

from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Household, Venue
from evacsupport.services.households import HouseholdService
from evacsupport.services.places import fill_missing, locate
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import admin_account, household


def test_a_typed_point_is_manual_and_an_address_gives_the_town() -> None:
    typed = locate((36.5, 136.6), "石川県金沢市香林坊2丁目")
    assert (typed.latitude, typed.precision, typed.text()) == (36.5, "manual", "入力された位置")
    found = locate(None, "金沢市香林坊２－４－１ ホテル金沢")
    assert found.precision == "town" and found.placed
    assert found.text() == "香林坊二丁目の代表点（町丁目）"
    by_postal = locate(None, "", "920-0961")
    assert by_postal.precision == "postal" and by_postal.approximate
    nowhere = locate(None, "どこかの町1-1")
    assert not nowhere.placed and nowhere.text().startswith("住所から場所を特定できません：")


def test_saving_an_address_places_a_household_and_a_typed_point_stays(db: Database) -> None:
    people = HouseholdService(db)
    saved = people.create(household(coordinates="", current_address="石川県白山市倉光1丁目"))
    assert saved.location_precision == "town" and saved.latitude is not None
    moved = people.update(saved.id, household(coordinates="", current_address="野々市市本町1"))
    assert moved.location_precision == "town" and moved.longitude != saved.longitude
    typed = people.update(saved.id, household(coordinates="36.52, 136.61"))
    assert (typed.latitude, typed.location_precision) == (36.52, "manual")


def _forget_points(db: Database) -> None:
    """As a database made before the geocoder: addresses, no points."""
    with db.session() as session:
        for model in (Household, Venue):
            session.execute(
                update(model).values(latitude=None, longitude=None, location_precision="")
            )


def test_fill_gives_points_to_what_has_an_address(db: Database) -> None:
    people = HouseholdService(db)
    located = people.create(household(coordinates="", current_address="金沢市広岡3丁目1-1"))
    people.create(household(coordinates="", current_address="", postal_code="920-0961"))
    people.create(household(coordinates="", current_address="どこかの町1-1", postal_code=""))
    VenueService(db).create(VenueInput(name="こども食堂ひろおか", capacity=20,
                                       address="石川県金沢市広岡2丁目"))  # fmt: skip
    _forget_points(db)
    preview = fill_missing(db, dry_run=True)
    assert preview.households == {"town": 1, "postal": 1} and preview.venues == {"town": 1}
    assert [why for _, why in preview.unplaced] == [
        "住所から場所を特定できません：住所から市区町村を読み取れません"
    ]
    assert people.get(located.id).latitude is None  # a dry run writes nothing
    done = fill_missing(db)
    assert done.placed == 3
    assert people.get(located.id).location_precision == "town"
    assert fill_missing(db).placed == 0  # nothing left to do


def test_places_fill_at_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "old.sqlite3"
    db = admin_account(Database(sqlite_url(path)))
    HouseholdService(db).create(household(coordinates="", current_address="輪島市河井町1部1"))
    _forget_points(db)
    db.close()
    assert main(["--db", str(path), "places", "fill", "--dry-run"]) == 0
    assert "1件に位置を入れられます" in capsys.readouterr().out
    assert main(["--db", str(path), "places", "fill"]) == 0
    out = capsys.readouterr().out
    assert "世帯  町丁目  1" in out and "1件に位置を入れました" in out
