"""The stored household facts follow every write that changes a household's activity, in the
same transaction, and `check` / `check --repair` find and mend rows that fell behind."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import create_engine, select, text, update

from evacsupport.config import sqlite_url
from evacsupport.db import Database, migrate
from evacsupport.db.facts import stale_households, stored_rows
from evacsupport.db.models import HouseholdFacts, MealLog, Venue
from evacsupport.importers import import_households, import_meals, import_venues
from evacsupport.services import erasure
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.services.integrity import run_checks
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member
from tests.importers.helpers import households, write_csv
from tests.importers.test_venues_meals import VENUE

TODAY = date(2024, 6, 30)
NOON = datetime.combine(TODAY, time(12), UTC)


def facts_of(db: Database, household_id: uuid.UUID) -> HouseholdFacts | None:
    with db.read() as s:
        return s.get(HouseholdFacts, household_id)


def fresh(db: Database) -> bool:
    with db.read() as s:
        return stale_households(s.connection()) == []


@pytest.fixture
def venue(db: Database) -> Venue:
    return VenueService(db).create(VenueInput(name="こども食堂かなざわ", capacity=30))


def test_meals_and_their_undo_keep_the_facts_current(db: Database, venue: Venue) -> None:
    h = HouseholdService(db).create(household())
    meals = MealService(db)
    days = [TODAY - timedelta(days=n) for n in (30, 20, 10)]
    logged = [meals.log(MealEntry(venue.id, h.case_number, served_on=d), now=NOON) for d in days]
    facts = facts_of(db, h.id)
    assert facts is not None
    assert facts.last_meal == facts.last_contact == days[-1]
    assert facts.recent_meals == [d.isoformat() for d in reversed(days)]
    meals.undo(logged[-1].id)
    facts = facts_of(db, h.id)
    assert facts is not None and facts.last_meal == days[1]
    assert fresh(db)


def test_visits_checkins_and_followups_keep_the_facts_current(db: Database) -> None:
    spouse = member(given_name="太郎", relation="spouse")
    h = HouseholdService(db).create(household(members=[member(), spouse]))
    first, second = (m.id for m in HouseholdService(db).get(h.id).members)
    contacts = ContactService(db)
    contacts.record_visit(h.id, VisitInput(visited_on=TODAY - timedelta(days=3), kind="home"))
    facts = facts_of(db, h.id)
    assert facts is not None and facts.last_contact == TODAY - timedelta(days=3)
    for member_id, k6, on in ((first, [1] * 6, 9), (first, [3] * 6, 5), (second, [2] * 6, 4)):
        contacts.record_checkin(
            h.id, CheckInInput(member_id, TODAY - timedelta(days=on), k6=k6), today=TODAY
        )
    facts = facts_of(db, h.id)
    assert facts is not None
    assert facts.last_contact == TODAY - timedelta(days=3)
    assert facts.latest_k6 == 18  # the worse of the two members' latest
    assert sorted(row[0] for row in facts.member_scores) == sorted([first.hex, second.hex])
    followups = FollowUpService(db)
    opened = facts.open_followups  # the check-in scoring 18 opened one
    task = followups.add(h.id, due_on=TODAY - timedelta(days=1), reason="電話する")
    facts = facts_of(db, h.id)
    assert facts is not None and facts.open_followups == opened + 1
    followups.complete(task.id, "話せた", done_on=TODAY)
    facts = facts_of(db, h.id)
    assert facts is not None and facts.open_followups == opened and facts.horizon == TODAY
    assert fresh(db)


def test_a_rolled_back_write_leaves_the_facts_as_they_were(db: Database, venue: Venue) -> None:
    h = HouseholdService(db).create(household())
    MealService(db).log(MealEntry(venue.id, h.case_number, served_on=TODAY), now=NOON)
    with pytest.raises(RuntimeError), db.session() as s:
        s.add(MealLog(venue_id=venue.id, household_id=h.id, served_on=TODAY + timedelta(days=1),
                      meal_type="eat_in", adults=1))  # fmt: skip
        s.flush()
        raise RuntimeError
    facts = facts_of(db, h.id)
    assert facts is not None and facts.last_meal == TODAY
    assert fresh(db)


def test_erasing_a_household_leaves_its_facts_matching_the_records(db: Database) -> None:
    h = HouseholdService(db).create(household())
    head = HouseholdService(db).get(h.id).members[0].id
    ContactService(db).record_checkin(h.id, CheckInInput(head, TODAY, k6=[4] * 6), today=TODAY)
    erasure.erase_household(db, h.id, "request", today=TODAY)
    assert fresh(db)


def test_imported_meals_update_the_facts(db: Database, tmp_path: Path) -> None:
    import_venues(db, write_csv(tmp_path / "venues.csv", [VENUE]))
    import_households(db, write_csv(tmp_path / "list.csv", households(2)))
    rows = [
        {"日付": "2024-03-01", "会場": "にこにこ食堂", "世帯番号": "A00001", "種別": "会食",
         "大人": "1"},
        {"日付": "2024-03-08", "会場": "にこにこ食堂", "世帯番号": "A00001", "種別": "会食",
         "大人": "1"},
    ]  # fmt: skip
    assert import_meals(db, write_csv(tmp_path / "meals.csv", rows)).created == 2
    with db.read() as s:
        stored = stored_rows(s.connection())
    assert [r["last_meal"] for r in stored.values()] == [date(2024, 3, 8)]
    assert fresh(db)


def test_check_reports_stale_facts_and_repair_rebuilds_them(db: Database, venue: Venue) -> None:
    h = HouseholdService(db).create(household())
    MealService(db).log(MealEntry(venue.id, h.case_number, served_on=TODAY), now=NOON)
    assert run_checks(db).ok
    with db.engine.begin() as conn:  # a write around the services
        conn.execute(update(HouseholdFacts).values(last_meal=TODAY - timedelta(days=99)))
    report = run_checks(db)
    assert [p.check for p in report.problems] == ["facts"]
    repaired = run_checks(db, repair=True)
    assert repaired.ok and repaired.repaired == 1
    facts = facts_of(db, h.id)
    assert facts is not None and facts.last_meal == TODAY


def test_upgrading_from_before_the_facts_fills_them(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    db = Database(url)
    venue = VenueService(db).create(VenueInput(name="こども食堂かなざわ", capacity=30))
    h = HouseholdService(db).create(household())
    MealService(db).log(MealEntry(venue.id, h.case_number, served_on=TODAY), now=NOON)
    db.close()
    engine = create_engine(url)
    with engine.begin() as conn:  # as a database from before revision 0009 was
        command.downgrade(migrate.alembic_config(conn), "0008")
    engine.dispose()
    db = Database(url)
    try:
        with db.read() as s:
            assert s.scalar(text("SELECT count(*) FROM household_facts")) == 1
            assert s.scalar(select(HouseholdFacts.last_meal)) == TODAY
    finally:
        db.close()
