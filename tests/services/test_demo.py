"""Demo data: reproducible from its seed, valid by the app's own rules, and realistic."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import (
    Assignment,
    CheckIn,
    Consent,
    FollowUp,
    Household,
    MealLog,
    Member,
    Residence,
    Venue,
    Visit,
)
from evacsupport.domain import allergens, instruments, municipalities
from evacsupport.domain.codes import EvacuationStatus
from evacsupport.errors import EvacError
from evacsupport.services import demo
from evacsupport.services.consents import allows
from evacsupport.services.households import CASE_NUMBER, HouseholdService
from evacsupport.services.integrity import run_checks
from tests.factories import household

TODAY = date(2024, 6, 30)  # the date the session's demo database (conftest) was made for
KATAKANA = re.compile(r"[\u30a1-\u30fa\u30fc]+")
JST = timedelta(hours=9)


@pytest.fixture
def demo_db(demo_db_path: Path) -> Iterator[Database]:
    """The session's demo database (120 households, seed 7), for reading only."""
    database = Database(sqlite_url(demo_db_path))
    yield database
    database.close()


def snapshot(db: Database) -> dict[str, Any]:
    """What a user would see of the generated data, independent of the random UUIDs."""
    with db.read() as session:
        people = session.execute(
            select(
                Household.case_number,
                Member.position,
                Member.family_name,
                Member.given_name,
                Member.family_kana,
                Member.given_kana,
                Member.birth_date,
                Member.allergens,
            )
            .join(Member, Member.household_id == Household.id)
            .order_by(Household.case_number, Member.position)
        ).all()
        households = session.execute(
            select(
                Household.case_number,
                Household.evacuation_status,
                Household.origin_address,
                Household.current_address,
                Household.phone,
                Household.latitude,
            ).order_by(Household.case_number)
        ).all()
        meals = session.execute(
            select(Household.case_number, Venue.name, MealLog.served_on, MealLog.adults)
            .join(MealLog, MealLog.household_id == Household.id)
            .join(Venue, Venue.id == MealLog.venue_id)
            .order_by(Household.case_number, MealLog.served_on)
        ).all()
        meal_counts = session.execute(
            select(Household.case_number, func.count(MealLog.id))
            .join(MealLog, MealLog.household_id == Household.id)
            .group_by(Household.case_number)
            .order_by(Household.case_number)
        ).all()
        visits = session.execute(
            select(Household.case_number, Visit.visited_on, Visit.kind)
            .join(Visit, Visit.household_id == Household.id)
            .order_by(Household.case_number, Visit.visited_on, Visit.kind)
        ).all()
        checkins = session.execute(
            select(Household.case_number, CheckIn.checked_on, CheckIn.k6_score)
            .join(CheckIn, CheckIn.household_id == Household.id)
            .order_by(Household.case_number, CheckIn.checked_on, CheckIn.k6_score)
        ).all()
        venues = session.execute(
            select(Venue.name, Venue.capacity, Venue.schedule).order_by(Venue.name)
        ).all()
    return {
        "people": [tuple(r) for r in people],
        "households": [tuple(r) for r in households],
        "meals": [tuple(r) for r in meals],
        "meal_counts": [tuple(r) for r in meal_counts],
        "visits": [tuple(r) for r in visits],
        "checkins": [tuple(r) for r in checkins],
        "venues": [tuple(r) for r in venues],
    }


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


@pytest.fixture
def second_db(tmp_path: Path) -> Iterator[Database]:
    database = Database(sqlite_url(tmp_path / "second.sqlite3"))
    yield database
    database.close()


# --- reproducibility -------------------------------------------------------------------------


def test_the_same_seed_and_day_give_the_same_data(db: Database, second_db: Database) -> None:
    first = demo.generate(db, households=30, seed=11, today=TODAY)
    again = demo.generate(second_db, households=30, seed=11, today=TODAY)
    assert first == again
    one, two = snapshot(db), snapshot(second_db)
    assert len(one["households"]) == 30
    assert one["meals"] and one["visits"] and one["checkins"]
    for key in one:
        assert one[key] == two[key], key


def test_a_different_seed_gives_different_data(db: Database, second_db: Database) -> None:
    demo.generate(db, households=30, seed=11, today=TODAY)
    demo.generate(second_db, households=30, seed=12, today=TODAY)
    one, two = snapshot(db), snapshot(second_db)
    # case numbers are the same sequence; who is behind them is not
    assert [h[0] for h in one["households"]] == [h[0] for h in two["households"]]
    assert one["people"] != two["people"]
    assert one["households"] != two["households"]
    assert one["meal_counts"] != two["meal_counts"]


def test_the_summary_counts_what_was_stored(db: Database) -> None:
    summary = demo.generate(db, households=25, seed=3, today=TODAY)
    assert summary.households == 25 == count(db, Household)
    assert summary.members == count(db, Member)
    assert summary.venues == count(db, Venue) == 13
    assert summary.meals == count(db, MealLog)
    assert summary.visits == count(db, Visit)
    assert summary.checkins == count(db, CheckIn)
    assert summary.members >= summary.households
    assert count(db, Residence) == 25  # one registration residence each


def test_without_a_day_it_uses_today(db: Database) -> None:
    summary = demo.generate(db, households=3, seed=1)
    assert summary.households == 3
    with db.read() as session:
        last_meal = session.scalar(select(func.max(MealLog.served_on)))
    assert last_meal is None or last_meal < date.today()
    assert run_checks(db).ok


# --- refuses to mix with real data -----------------------------------------------------------


def test_refuses_a_database_that_already_holds_households(db: Database) -> None:
    HouseholdService(db).create(household())
    with pytest.raises(EvacError) as info:
        demo.generate(db, households=5, seed=1, today=TODAY)
    assert info.value.code == "cli.demo_not_empty"
    assert info.value.params["count"] == 1
    assert "1件" in info.value.message()
    assert count(db, Household) == 1
    assert count(db, Venue) == 0  # nothing half-written


def test_refuses_to_run_twice(db: Database) -> None:
    demo.generate(db, households=5, seed=1, today=TODAY)
    with pytest.raises(EvacError) as info:
        demo.generate(db, households=5, seed=2, today=TODAY)
    assert info.value.code == "cli.demo_not_empty"
    assert count(db, Household) == 5


def test_a_deleted_household_still_counts(db: Database) -> None:
    service = HouseholdService(db)
    service.soft_delete(service.create(household()).id)
    with pytest.raises(EvacError) as info:
        demo.generate(db, households=5, seed=1, today=TODAY)
    assert info.value.code == "cli.demo_not_empty"


# --- valid and realistic ---------------------------------------------------------------------


def test_the_demo_database_obeys_every_rule(demo_db: Database) -> None:
    report = run_checks(demo_db)
    assert report.ok, [str(p) for p in report.problems]


def test_households_look_like_noto_evacuees(demo_db: Database) -> None:
    origins = {m.code for m in municipalities.by_role("origin")}
    hosts = {m.code for m in municipalities.by_role("host")}
    statuses = {s.value for s in EvacuationStatus}
    with demo_db.read() as session:
        households = list(session.scalars(select(Household).order_by(Household.case_number)))
        assert len(households) == 120
        assert [h.case_number for h in households][:2] == ["N24-000001", "N24-000002"]
        for h in households:
            assert CASE_NUMBER.match(h.case_number)
            assert h.origin_municipality_code in origins
            origin = municipalities.get(h.origin_municipality_code)
            assert origin is not None and origin.name in h.origin_address
            assert h.current_municipality_code in hosts
            assert h.evacuation_status in statuses
            assert re.fullmatch(r"0[789]0\d{8}", h.phone)
            # the demo name file has postal codes for Kanazawa towns only
            assert re.fullmatch(
                r"92\d{5}" if h.current_municipality_code == "172014" else "", h.postal_code
            )
            assert h.latitude is not None and 36.0 < h.latitude < 37.0
            assert h.longitude is not None and 136.0 < h.longitude < 137.0
            assert h.search_text
    # the hardest-hit cities dominate, as in the real caseload
    top = Counter(h.origin_municipality_code for h in households).most_common(2)
    assert {code for code, _ in top} <= {"172049", "172057", "174637"}


def test_members_have_katakana_furigana_and_plausible_ages(demo_db: Database) -> None:
    listed = set(allergens.all_allergens())
    with demo_db.read() as session:
        households = list(session.scalars(select(Household)))
        for h in households:
            members = h.current_members
            assert sum(1 for m in members if m.is_head) == 1
            for m in members:
                assert m.family_name and m.given_name
                assert KATAKANA.fullmatch(m.family_kana), m.family_kana
                assert KATAKANA.fullmatch(m.given_kana), m.given_kana
                assert m.birth_date is not None
                assert date(1925, 1, 1) < m.birth_date < TODAY
                assert set(m.allergens) <= listed
        relations = Counter(m.relation for h in households for m in h.current_members)
    assert relations["head"] == 120
    assert relations["spouse"] > 0 and relations["child"] > 0


def test_venues_have_coordinates_schedules_and_allergens(demo_db: Database) -> None:
    hosts = {m.code for m in municipalities.by_role("host")}
    with demo_db.read() as session:
        venues = list(session.scalars(select(Venue)))
    assert len(venues) == 13
    assert len({v.name for v in venues}) == 13
    for v in venues:
        assert v.latitude is not None and v.longitude is not None
        assert 36.0 < v.latitude < 37.0 and 136.0 < v.longitude < 137.0
        assert v.municipality_code in hosts
        assert 1 <= len(v.schedule) <= 3
        for slot in v.schedule:
            assert 0 <= slot["weekday"] <= 6
            assert slot["start"] < slot["end"]
        assert v.allergens_handled and set(v.allergens_handled) <= set(allergens.all_allergens())
        assert 20 <= v.capacity <= 80
        assert re.fullmatch(r"076\d{7}", v.phone)


def test_activity_was_logged(demo_db: Database) -> None:
    for model in (Assignment, MealLog, Visit, CheckIn, FollowUp, Consent):
        assert count(demo_db, model) > 0, model.__name__


def test_check_in_scores_are_computed_from_the_answers(demo_db: Database) -> None:
    with demo_db.read() as session:
        checkins = list(session.scalars(select(CheckIn)))
    assert checkins
    for c in checkins:
        lone, ucla, k6 = c.answers["loneliness"], c.answers["ucla3"], c.answers["k6"]
        assert c.loneliness == instruments.score(instruments.LONELINESS_DIRECT, lone)
        assert c.ucla3_score == instruments.score(instruments.UCLA3, ucla)
        assert c.k6_score == instruments.score(instruments.K6, k6)
        assert 1 <= c.loneliness <= 5
        assert instruments.UCLA3.min_total <= c.ucla3_score <= instruments.UCLA3.max_total
        assert instruments.K6.min_total <= c.k6_score <= instruments.K6.max_total
        assert c.sleep in {"good", "fair", "poor"} and c.appetite in {"good", "fair", "poor"}
    # a minority of people are in distress, not nobody and not everybody
    distressed = sum(1 for c in checkins if (c.k6_score or 0) >= 10)
    assert 0 < distressed < len(checkins) / 2


def test_meals_follow_the_venue_schedule(demo_db: Database) -> None:
    with demo_db.read() as session:
        venues = {v.id: v for v in session.scalars(select(Venue))}
        meals = list(session.scalars(select(MealLog)))
        members = dict(
            session.execute(
                select(Member.household_id, func.count())
                .where(Member.deleted_at.is_(None))
                .group_by(Member.household_id)
            ).all()
        )
    assert meals
    for meal in meals:
        venue = venues[meal.venue_id]
        slots = [s for s in venue.schedule if s["weekday"] == meal.served_on.weekday()]
        assert slots, (venue.name, meal.served_on)
        assert TODAY - timedelta(days=demo.DEMO_DAYS) <= meal.served_on < TODAY
        assert meal.adults >= 0 and meal.children >= 0
        assert meal.meal_type in {"eat_in", "takeaway", "delivery", "pantry"}
        if meal.household_id is None:  # unregistered guests: anonymous counts only
            assert meal.adults + meal.children >= 1 and meal.meal_type == "eat_in"
        else:
            assert meal.adults + meal.children == members[meal.household_id]
        # logged while the session runs, in Japan time
        assert meal.served_at is not None and meal.served_at.tzinfo is not None
        local = (meal.served_at.astimezone(UTC) + JST).replace(tzinfo=None)
        assert local.date() == meal.served_on
        start, end = (time.fromisoformat(slots[0][k]) for k in ("start", "end"))
        assert (
            datetime.combine(meal.served_on, start)
            <= local
            <= datetime.combine(meal.served_on, end)
        )


def test_activity_follows_each_households_timeline(demo_db: Database) -> None:
    """No assignment, meal, visit or check-in before the household was registered (and so
    none before the earthquake), and a venue connection only with consent to share."""
    quake = date(2024, 1, 1)
    with demo_db.read() as session:
        registered = dict(
            session.execute(
                select(Residence.household_id, func.min(Residence.moved_on)).group_by(
                    Residence.household_id
                )
            ).all()
        )
        assert all(quake < day <= TODAY for day in registered.values())
        consents = {c.household_id: c for c in session.scalars(select(Consent))}
        assert 0.75 < len(consents) / len(registered) < 1  # most, not all, consented
        for c in consents.values():
            assert c.consented_on == registered[c.household_id]
        assignments = list(session.scalars(select(Assignment)))
        assert assignments
        for a in assignments:
            assert registered[a.household_id] <= a.start_on < TODAY
            assert allows(
                consents.get(a.household_id),
                a.start_on,
                purpose="venue_connection",
                recipient="assigned_venue",
            )
        per_household = Counter(a.household_id for a in assignments if a.status == "active")
        assert max(per_household.values()) == 1
        for meal in session.scalars(select(MealLog).where(MealLog.household_id.is_not(None))):
            assert meal.household_id is not None
            assert meal.served_on >= registered[meal.household_id]
        for visit in session.scalars(select(Visit)):
            assert registered[visit.household_id] <= visit.visited_on < TODAY
        for checkin in session.scalars(select(CheckIn)):
            assert registered[checkin.household_id] <= checkin.checked_on < TODAY
        for follow_up in session.scalars(select(FollowUp)):
            assert follow_up.status in {"open", "done"}
            assert (follow_up.done_on is not None) == (follow_up.status == "done")


def test_venues_are_not_overbooked(demo_db: Database) -> None:
    with demo_db.read() as session:
        capacity = dict(session.execute(select(Venue.id, Venue.capacity)).all())
        people = Counter[Any]()
        for a in session.scalars(select(Assignment)):
            people[a.venue_id] += len(a.household.current_members)
    assert people
    largest_household = 6  # an older couple, their son and his wife, and two grandchildren
    for venue_id, n in people.items():
        # a household is placed while the venue has room, so it may overflow by one household
        assert n < capacity[venue_id] + largest_household


def test_some_demo_households_come_as_a_list_gives_them_and_are_placed(db: Database) -> None:
    """About a third come with an address and no coordinates, as municipal lists do: the
    geocoder places them, most at their town, a few only at their municipality."""
    from evacsupport.db.models import Household

    demo.generate(db, households=120, seed=5, today=TODAY)
    with db.read() as session:
        kinds = Counter(session.scalars(select(Household.location_precision)))
        unplaced = session.scalar(
            select(func.count()).select_from(Household).where(Household.latitude.is_(None))
        )
    assert 25 <= kinds["town"] + kinds["koaza"] + kinds["city"] <= 55
    assert kinds["manual"] >= 60 and kinds["town"] > kinds["city"]
    assert unplaced == 0
