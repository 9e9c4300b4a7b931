"""Two saves racing for the same unique value (two laptops on one server, two windows): the
loser gets our own message, never the database's error, whose text holds the row's values.

The race is made real: a second app instance (its own engine and connections) saves just
before this instance's flush writes, that is after this instance read the last case number or
checked the name. Runs on PostgreSQL (``EVACSUPPORT_TEST_DATABASE_URL``) only: on SQLite a write
session holds the write lock from its first statement, so the other save waits its turn and the
race cannot happen (``test_write_lock.py`` shows that).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from evacsupport.db import Database
from evacsupport.db.models import Household, User, Venue
from evacsupport.errors import EvacError, ValidationError
from evacsupport.i18n import set_language
from evacsupport.services import venues as venue_module
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.services.casefile import CaseChanges, save_case
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """Another app instance on the same database."""
    if db.is_sqlite:
        pytest.skip("SQLite writers hold the lock from the first statement: no race")
    database = Database(db.url)
    yield database
    database.close()


@contextmanager
def another_save_first(action: Callable[[], Any]) -> Iterator[list[Any]]:
    """Run ``action`` (a save by the other instance) at this thread's next flush, before it
    writes; what the action returned is appended to the list yielded."""
    results: list[Any] = []

    def before_flush(_session: Session, _context: Any, _instances: Any) -> None:
        results.append(action())

    event.listen(Session, "before_flush", before_flush, once=True)
    try:
        yield results
    finally:
        if event.contains(Session, "before_flush", before_flush):
            event.remove(Session, "before_flush", before_flush)


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_two_saves_racing_for_the_next_case_number(db: Database, other: Database) -> None:
    HouseholdService(db).create(household())  # N24-000001; the disaster event exists now
    mine, theirs = HouseholdService(db), HouseholdService(other)
    rival = household(members=[member(family_name="輪島", family_kana="ワジマ")])
    with pytest.raises(EvacError) as info, another_save_first(lambda: theirs.create(rival)) as won:
        mine.create(household(phone="0768-22-1234", members=[member(given_name="一郎")]))
    assert won[0].case_number == "N24-000002"  # the other save took the number this one read
    assert info.value.code == "household.case_number_race"
    assert str(info.value) == "別の保存が同じ世帯番号を使いました。もう一度保存してください"
    set_language("en")
    assert str(info.value) == "Another save took that number; try again"
    assert count(db, Household) == 2  # nothing of the losing save was written

    # saving again simply gets the next number
    again = mine.create(household(phone="0768-22-1234", members=[member(given_name="一郎")]))
    assert again.case_number == "N24-000003"


def test_the_editors_save_with_consent_gets_the_same_message(db: Database, other: Database) -> None:
    HouseholdService(db).create(household())
    theirs = HouseholdService(other)
    with pytest.raises(EvacError) as info, another_save_first(lambda: theirs.create(household())):
        save_case(db, None, CaseChanges(household=household(phone="0768-22-1234")))
    assert info.value.code == "household.case_number_race"


def test_a_typed_case_number_taken_meanwhile_is_a_field_message(
    db: Database, other: Database
) -> None:
    HouseholdService(db).create(household())
    theirs = HouseholdService(other)
    with (
        pytest.raises(ValidationError) as info,
        another_save_first(lambda: theirs.create(household(case_number="N24-000500"))),
    ):
        HouseholdService(db).create(household(case_number="N24-000500"))
    assert [(e.field, e.code) for e in info.value.errors] == [
        ("case_number", "household.case_number_taken")
    ]


def venue(name: str = "こども食堂 ひだまり") -> VenueInput:
    return VenueInput(name=name, kind="kodomo_shokudo", capacity=30)  # type: ignore[arg-type]


def test_a_venue_name_taken_meanwhile_is_the_name_fields_message(
    db: Database, other: Database
) -> None:
    theirs = VenueService(other)
    with (
        pytest.raises(ValidationError) as info,
        another_save_first(lambda: theirs.create(venue())),
    ):
        VenueService(db).create(venue())
    assert [(e.field, e.code) for e in info.value.errors] == [("name", "venue.name_taken")]
    assert count(db, Venue) == 1


def test_renaming_a_venue_to_a_name_taken_meanwhile(
    db: Database, other: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The rename's check passed (the other save had not committed yet); the index refuses."""
    service = VenueService(db)
    mine = service.create(venue("こども食堂 みなと"))
    VenueService(other).create(venue("こども食堂 ひだまり"))
    monkeypatch.setattr(venue_module, "_check_unique_name", lambda *_args: None)
    with pytest.raises(ValidationError) as info:
        service.update(mine.id, venue("こども食堂 ひだまり"), expected_version=mine.version)
    assert [(e.field, e.code) for e in info.value.errors] == [("name", "venue.name_taken")]
    assert service.get(mine.id).name == "こども食堂 みなと"


def test_a_username_added_meanwhile_is_the_username_fields_message(
    db: Database, other: Database
) -> None:
    accounts = AccountService(db)
    accounts.create("admin", "correct horse", "admin")
    sign_in(db, accounts.authenticate("admin", "correct horse"))
    theirs = AccountService(other)
    sign_in(other, theirs.authenticate("admin", "correct horse"))
    with (
        pytest.raises(ValidationError) as info,
        another_save_first(lambda: theirs.create("sato", "long enough 1", "coordinator")),
    ):
        accounts.create("sato", "long enough 2", "viewer")
    assert [(e.field, e.code) for e in info.value.errors] == [("username", "auth.username_taken")]
    assert count(db, User) == 2
