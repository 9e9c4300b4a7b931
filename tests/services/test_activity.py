"""Read-only activity views: recent meals, visits, check-ins and follow-ups, assignment history,
and the overview numbers."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import Assignment, CheckIn, FollowUp, Household, MealLog, Venue, Visit
from evacsupport.services.activity import (
    ActivityService,
    AssignmentEntry,
    CheckInEntry,
    FollowUpEntry,
    MealEntry,
    Overview,
    VisitEntry,
)
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

TODAY = date(2024, 6, 26)  # a Wednesday: the week started on Monday 2024-06-24
MONDAY = date(2024, 6, 24)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture
def service(db: Database) -> HouseholdService:
    return HouseholdService(db)


@pytest.fixture
def activity(db: Database) -> ActivityService:
    return ActivityService(db)


def make_venue(db: Database, name: str = "こども食堂かなざわ", **kw: object) -> Venue:
    return VenueService(db).create(VenueInput(name=name, capacity=30, **kw))  # type: ignore[arg-type]


def add(db: Database, *records: object) -> None:
    with db.session() as s:
        s.add_all(records)


def head_id(hh: Household) -> uuid.UUID:
    assert hh.head is not None
    return hh.head.id


def meal(venue: Venue, hh: Household | None, on: date, **kw: object) -> MealLog:
    values: dict[str, object] = {"meal_type": "eat_in", "adults": 1, "children": 0}
    values.update(kw)
    return MealLog(venue_id=venue.id, household_id=hh.id if hh else None, served_on=on, **values)


@pytest.fixture
def two(service: HouseholdService) -> tuple[Household, Household]:
    first = service.create(household())
    second = service.create(
        household(
            members=[
                member(family_name="佐藤", given_name="健", family_kana="さとう", given_kana="けん")
            ]
        )
    )
    return first, second


# --- meals ------------------------------------------------------------------------------------


def test_meals_newest_first_with_venue_and_case_number(
    db: Database, activity: ActivityService, two: tuple[Household, Household]
) -> None:
    first, second = two
    venue = make_venue(db)
    other = make_venue(db, "みんなの食堂")
    add(
        db,
        meal(venue, first, days_ago(5), adults=2, children=1, staff="佐藤"),
        meal(other, second, days_ago(1), meal_type="takeaway"),
        meal(venue, None, days_ago(3), adults=5),  # anonymous guests
        meal(venue, first, days_ago(2), deleted_at=utcnow()),
    )
    meals = activity.meals()
    assert [m.served_on for m in meals] == [days_ago(1), days_ago(3), days_ago(5)]
    assert meals[0] == MealEntry(
        days_ago(1), "みんなの食堂", second.case_number, "takeaway", 1, 0, ""
    )
    assert meals[1].case_number == ""  # no household
    assert meals[2] == MealEntry(
        days_ago(5), "こども食堂かなざわ", first.case_number, "eat_in", 2, 1, "佐藤"
    )


def test_meals_on_the_same_day_are_ordered_by_time_newest_first(
    db: Database, activity: ActivityService, two: tuple[Household, Household]
) -> None:
    first, second = two
    venue = make_venue(db)
    add(
        db,
        meal(venue, first, TODAY, served_at=datetime(2024, 6, 26, 3, 0, tzinfo=UTC)),
        meal(venue, second, TODAY, served_at=datetime(2024, 6, 26, 9, 0, tzinfo=UTC)),
    )
    assert [m.case_number for m in activity.meals()] == [second.case_number, first.case_number]


def test_meals_for_one_household_and_limit(
    db: Database, activity: ActivityService, two: tuple[Household, Household]
) -> None:
    first, second = two
    venue = make_venue(db)
    add(
        db,
        *(meal(venue, first, days_ago(n)) for n in range(5)),
        meal(venue, second, TODAY),
        meal(venue, None, TODAY),
    )
    mine = activity.meals(first.id)
    assert len(mine) == 5 and {m.case_number for m in mine} == {first.case_number}
    assert [m.served_on for m in activity.meals(first.id, limit=2)] == [TODAY, days_ago(1)]
    assert len(activity.meals(limit=3)) == 3
    assert activity.meals(uuid.uuid4()) == []


# --- visits -----------------------------------------------------------------------------------


def test_visits_newest_first_with_every_field(
    db: Database, activity: ActivityService, two: tuple[Household, Household]
) -> None:
    first, second = two
    add(
        db,
        Visit(household_id=first.id, visited_on=days_ago(10), kind="home", staff="佐藤"),
        Visit(
            household_id=second.id,
            visited_on=days_ago(1),
            kind="phone",
            staff="鈴木",
            duration_minutes=15,
            summary="元気そう",
            referral="public_health_nurse",
            follow_up_due=TODAY + timedelta(days=7),
        ),
        Visit(household_id=first.id, visited_on=days_ago(4), kind="venue"),
        Visit(household_id=first.id, visited_on=TODAY, kind="home", deleted_at=utcnow()),
    )
    visits = activity.visits()
    assert [v.visited_on for v in visits] == [days_ago(1), days_ago(4), days_ago(10)]
    assert visits[0] == VisitEntry(
        days_ago(1),
        second.case_number,
        "phone",
        "鈴木",
        15,
        "元気そう",
        "public_health_nurse",
        TODAY + timedelta(days=7),
        "佐藤 健",  # the household's head, beside the case number
        "サトウ ケン",
    )
    assert (visits[2].duration_minutes, visits[2].referral, visits[2].follow_up_due) == (
        None,
        None,
        None,
    )
    assert [v.visited_on for v in activity.visits(first.id)] == [days_ago(4), days_ago(10)]
    assert [v.visited_on for v in activity.visits(first.id, limit=1)] == [days_ago(4)]
    assert len(activity.visits(limit=2)) == 2


# --- check-ins --------------------------------------------------------------------------------


def test_checkins_newest_first_with_member_name_and_scores(
    db: Database, activity: ActivityService, two: tuple[Household, Household]
) -> None:
    first, second = two
    add(
        db,
        CheckIn(
            household_id=first.id,
            member_id=head_id(first),
            checked_on=days_ago(7),
            loneliness=4,
            ucla3_score=9,
            k6_score=11,
            staff="佐藤",
        ),
        CheckIn(household_id=second.id, member_id=head_id(second), checked_on=days_ago(2)),
        CheckIn(
            household_id=first.id,
            member_id=head_id(first),
            checked_on=days_ago(1),
            deleted_at=utcnow(),
        ),
    )
    checkins = activity.checkins()
    assert checkins == [
        CheckInEntry(
            days_ago(2),
            second.case_number,
            "佐藤 健",
            None,
            None,
            None,
            "",
            "佐藤 健",
            "サトウ ケン",
        ),
        CheckInEntry(
            days_ago(7),
            first.case_number,
            "山田 花子",
            4,
            9,
            11,
            "佐藤",
            "山田 花子",
            "ヤマダ ハナコ",
        ),
    ]
    assert [c.case_number for c in activity.checkins(first.id)] == [first.case_number]
    assert len(activity.checkins(limit=1)) == 1


def test_checkin_member_name_without_given_name(
    db: Database, activity: ActivityService, service: HouseholdService
) -> None:
    hh = service.create(household(members=[member(given_name="", given_kana="")]))
    add(db, CheckIn(household_id=hh.id, member_id=head_id(hh), checked_on=TODAY))
    assert activity.checkins()[0].member == "山田"


# --- follow-ups -------------------------------------------------------------------------------


def test_followups_open_first_then_by_due_date(
    db: Database, activity: ActivityService, two: tuple[Household, Household]
) -> None:
    first, second = two
    add(
        db,
        FollowUp(household_id=first.id, due_on=days_ago(-5), reason="来週の電話", owner="佐藤"),
        FollowUp(
            household_id=second.id,
            due_on=days_ago(10),
            reason="済み",
            status="done",
            done_on=days_ago(9),
            outcome="連絡済み",
            source="visit",
        ),
        FollowUp(household_id=second.id, due_on=days_ago(3), reason="期限切れ"),
        FollowUp(household_id=first.id, due_on=days_ago(1), reason="消した", deleted_at=utcnow()),
    )
    followups = activity.followups()
    assert [(f.status, f.due_on) for f in followups] == [
        ("open", days_ago(3)),
        ("open", days_ago(-5)),
        ("done", days_ago(10)),
    ]
    assert followups[1] == FollowUpEntry(
        days_ago(-5), first.case_number, "来週の電話", "佐藤", "manual", "open", ""
    )
    assert followups[2].outcome == "連絡済み" and followups[2].source == "visit"
    assert [f.reason for f in activity.followups(open_only=True)] == ["期限切れ", "来週の電話"]
    assert [f.reason for f in activity.followups(second.id)] == ["期限切れ", "済み"]
    assert [f.reason for f in activity.followups(second.id, open_only=True)] == ["期限切れ"]
    assert [f.reason for f in activity.followups(limit=1)] == ["期限切れ"]


# --- assignments ------------------------------------------------------------------------------


def test_assignment_history_of_one_household_newest_first(
    db: Database, activity: ActivityService, two: tuple[Household, Household]
) -> None:
    first, second = two
    old = make_venue(db, "旧会場")
    new = make_venue(db, "新会場")
    add(
        db,
        Assignment(
            household_id=first.id,
            venue_id=old.id,
            start_on=days_ago(90),
            end_on=days_ago(30),
            status="ended",
            reason="近いので",
        ),
        Assignment(household_id=first.id, venue_id=new.id, start_on=days_ago(30)),
        Assignment(
            household_id=first.id, venue_id=new.id, start_on=days_ago(5), deleted_at=utcnow()
        ),
        Assignment(household_id=second.id, venue_id=old.id, start_on=days_ago(10)),
    )
    assert activity.assignments(first.id) == [
        AssignmentEntry("新会場", days_ago(30), None, "active", ""),
        AssignmentEntry("旧会場", days_ago(90), days_ago(30), "ended", "近いので"),
    ]
    assert [a.venue for a in activity.assignments(second.id)] == ["旧会場"]
    assert activity.assignments(uuid.uuid4()) == []


# --- overview ---------------------------------------------------------------------------------


def test_overview_of_an_empty_database(activity: ActivityService) -> None:
    assert activity.overview(TODAY) == Overview(0, 0, 0, 0, 0, 0, 0)


def test_overview_counts(
    db: Database, activity: ActivityService, service: HouseholdService
) -> None:
    couple = service.create(
        household(members=[member(), member(given_name="太郎", relation="spouse")])
    )
    single = service.create(household())
    closed = service.create(household(members=[member(), member(relation="child")]))
    deleted = service.create(household())
    service.close(closed.id, days_ago(1))
    service.soft_delete(deleted.id)
    venue = make_venue(db)
    make_venue(db, "休止中", active=False)
    gone = make_venue(db, "閉鎖")
    VenueService(db).soft_delete(gone.id)
    add(
        db,
        meal(venue, couple, MONDAY, adults=2, children=1),  # first day of the week
        meal(venue, None, TODAY, adults=4, children=3),  # today, anonymous
        meal(venue, single, days_ago(1), adults=1),
        meal(venue, single, MONDAY - timedelta(days=1), adults=9),  # last Sunday
        meal(venue, single, TODAY + timedelta(days=1), adults=9),  # tomorrow
        meal(venue, couple, TODAY, adults=9, deleted_at=utcnow()),
        FollowUp(household_id=couple.id, due_on=days_ago(1), reason="overdue"),
        FollowUp(household_id=single.id, due_on=TODAY, reason="due today"),
        FollowUp(household_id=single.id, due_on=TODAY + timedelta(days=3), reason="later"),
        FollowUp(household_id=single.id, due_on=days_ago(5), reason="done", status="done"),
        FollowUp(household_id=single.id, due_on=days_ago(5), reason="deleted", deleted_at=utcnow()),
    )
    assert activity.overview(TODAY) == Overview(
        active_households=2,
        people=3,
        venues=1,
        meals_this_week=3,
        meals_people_this_week=3 + 7 + 1,
        open_followups=3,
        overdue_followups=1,
        checkins_due=2,  # neither active household has had a check-in in the last 30 days
    )


def test_checkins_due_counts_active_households_without_a_recent_checkin(
    db: Database, activity: ActivityService, service: HouseholdService
) -> None:
    recent = service.create(household())
    stale = service.create(household())
    never = service.create(household())
    add(
        db,
        CheckIn(
            household_id=recent.id,
            member_id=recent.current_members[0].id,
            checked_on=days_ago(29),
            k6_score=3,
        ),
        CheckIn(
            household_id=stale.id,
            member_id=stale.current_members[0].id,
            checked_on=days_ago(30),
            k6_score=3,
        ),
    )
    assert activity.overview(TODAY).checkins_due == 2  # stale and never
    assert never.id != recent.id


def test_overview_week_starts_on_monday(db: Database, activity: ActivityService) -> None:
    venue = make_venue(db)
    add(db, meal(venue, None, MONDAY, adults=2), meal(venue, None, MONDAY - timedelta(days=1)))
    assert activity.overview(MONDAY).meals_this_week == 1
    sunday = MONDAY + timedelta(days=6)
    assert activity.overview(sunday).meals_this_week == 1
    assert activity.overview(sunday + timedelta(days=1)).meals_this_week == 0


def test_overview_removed_members_are_not_people(
    activity: ActivityService, service: HouseholdService
) -> None:
    saved = service.create(household(members=[member(), member(relation="child")]))
    assert activity.overview(TODAY).people == 2
    head = saved.head
    assert head is not None
    service.update(saved.id, household(members=[member(id=head.id)]))
    assert activity.overview(TODAY).people == 1
