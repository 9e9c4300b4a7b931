"""The meal counter: lookup by case number, logging with counts, duplicates, venue rules, undo."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import Assignment, Household, MealLog, Venue
from evacsupport.errors import EvacError, NotFound, ValidationError
from evacsupport.services.households import HouseholdService, MemberInput
from evacsupport.services.meals import (
    AmbiguousCase,
    MealEntry,
    MealRefused,
    MealRules,
    MealService,
    MealWarning,
)
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

TODAY = date(2024, 6, 30)
# Local, aware: the service takes "today" from now.astimezone(), whatever the machine's zone.
NOON = datetime(2024, 6, 30, 12, 0).astimezone()


@pytest.fixture
def meals(db: Database) -> MealService:
    return MealService(db)


@pytest.fixture
def households(db: Database) -> HouseholdService:
    return HouseholdService(db)


@pytest.fixture
def venue(db: Database) -> Venue:
    return make_venue(db)


def make_venue(db: Database, name: str = "こども食堂かなざわ") -> Venue:
    return VenueService(db).create(VenueInput(name=name, capacity=30))


def codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def meal_count(db: Database) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(MealLog)) or 0


def family() -> list[MemberInput]:
    """A head (79), a son who turned 18 on TODAY, a daughter who turns 18 tomorrow, a baby."""
    return [
        member(allergens="卵"),
        member(given_name="一郎", given_kana="いちろう", relation="child", birth_date="2006-06-30"),
        member(
            given_name="二葉",
            given_kana="ふたば",
            relation="child",
            birth_date="2006-07-01",
            allergens="小麦、卵",
        ),
        member(given_name="三太", given_kana="さんた", relation="grandchild", birth_date="R5.1.1"),
    ]


def entry(venue: Venue, code: str = "N24-000001", **kw: object) -> MealEntry:
    return MealEntry(venue_id=venue.id, code=code, **kw)  # type: ignore[arg-type]


def at(hour: int, minute: int = 0, day: date = TODAY) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute).astimezone()


# --- lookup -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    ["N24-000001", "n24-000001", "Ｎ２４－０００００１", " n24 - 000001 ", "ｎ24-000001\u3000"],
)
def test_lookup_accepts_the_case_number_typed_any_way(
    meals: MealService, households: HouseholdService, typed: str
) -> None:
    saved = households.create(household())
    card = meals.lookup(typed, today=TODAY)
    assert card.id == saved.id
    assert card.case_number == "N24-000001"
    assert (card.head_name, card.head_kana) == ("山田 花子", "ヤマダ ハナコ")


def test_unknown_case_number_names_the_number_and_saves_nothing(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    with pytest.raises(NotFound) as info:
        meals.lookup("ｎ24-999999")
    assert info.value.code == "meal.unknown_case"
    assert info.value.params["value"] == "N24-999999"
    assert "N24-999999" in info.value.message()
    with pytest.raises(NotFound) as info:
        meals.log(entry(venue, "N24-999999"), now=NOON)
    assert info.value.code == "meal.unknown_case"
    assert meal_count(db) == 0


def test_a_deleted_household_is_not_found(meals: MealService, households: HouseholdService) -> None:
    saved = households.create(household())
    households.soft_delete(saved.id)
    with pytest.raises(NotFound):
        meals.lookup(saved.case_number)


def test_card_shows_children_under_18_on_the_day_and_every_allergen(
    meals: MealService, households: HouseholdService
) -> None:
    households.create(household(members=family()))
    card = meals.lookup("N24-000001", today=TODAY)
    assert [m.is_child for m in card.members] == [False, False, True, True]
    assert card.counts() == (2, 2)
    assert set(card.allergens) == {"卵", "小麦"}
    assert len(card.allergens) == 2  # each allergen once, however many members have it
    # A day later the daughter is 18 too.
    assert meals.lookup("N24-000001", today=TODAY + timedelta(days=1)).counts() == (3, 1)


# --- logging ----------------------------------------------------------------------------------


def test_log_saves_one_meal_counted_from_the_household(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    saved = households.create(household(members=family()))
    logged = meals.log(entry(venue, "n24-000001", staff=" 佐藤 ", note="おかわり"), now=NOON)
    assert logged.household is not None and logged.household.id == saved.id
    assert (logged.served_on, logged.meal_type) == (TODAY, "eat_in")
    assert (logged.adults, logged.children) == (2, 2)
    assert logged.served_at == NOON
    assert logged.override_note == ""
    assert logged.label == "N24-000001 山田 花子（会食）"
    with db.read() as s:
        row = s.get(MealLog, logged.id)
        assert row is not None
        assert (row.household_id, row.venue_id) == (saved.id, venue.id)
        assert (row.adults, row.children, row.member_ids) == (2, 2, [])
        assert (row.staff, row.note) == ("佐藤", "おかわり")


def test_unticked_members_are_not_counted(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household(members=family()))
    card = meals.lookup("N24-000001", today=TODAY)
    head, _son, _daughter, baby = card.members
    logged = meals.log(entry(venue, member_ids=[head.id, baby.id]), now=NOON)
    assert (logged.adults, logged.children) == (1, 1)
    with db.read() as s:
        row = s.get(MealLog, logged.id)
        assert row is not None
        assert sorted(row.member_ids) == sorted([str(head.id), str(baby.id)])


def test_unticking_everyone_or_only_strangers_is_refused(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household(members=family()))
    for ids in ([], [uuid.uuid4()]):
        with pytest.raises(EvacError) as info:
            meals.log(entry(venue, member_ids=ids), now=NOON)
        assert info.value.code == "meal.nobody"
    assert meal_count(db) == 0


@pytest.mark.parametrize(
    ("typed", "code"),
    [("eat_in", "eat_in"), ("弁当", "takeaway"), ("配食", "delivery"), ("パントリー", "pantry")],
)
def test_meal_type_by_code_or_japanese_label(
    meals: MealService, households: HouseholdService, venue: Venue, typed: str, code: str
) -> None:
    households.create(household())
    assert meals.log(entry(venue, meal_type=typed), now=NOON).meal_type == code


def test_unknown_meal_type_is_refused(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    with pytest.raises(ValidationError) as info:
        meals.log(entry(venue, meal_type="おやつ"), now=NOON)
    assert codes(info.value) == {"meal_type": "value.choice"}
    assert meal_count(db) == 0


def test_a_future_date_is_refused(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    with pytest.raises(ValidationError) as info:
        meals.log(entry(venue, served_on=TODAY + timedelta(days=1)), now=NOON)
    assert codes(info.value) == {"served_on": "date.future"}
    assert meal_count(db) == 0


def test_a_past_date_from_the_paper_list_saves_without_a_time(
    meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household(members=family()))
    logged = meals.log(entry(venue, served_on="R6.6.29"), now=NOON)
    assert (logged.served_on, logged.served_at) == (date(2024, 6, 29), None)
    # Ages are those on the day served: the son was still 17 on 29 June.
    assert (logged.adults, logged.children) == (1, 3)
    assert [m.id for m in meals.session_log(venue.id, date(2024, 6, 29))] == [logged.id]
    assert meals.session_log(venue.id, TODAY) == []


def test_an_unknown_venue_is_not_found(meals: MealService, households: HouseholdService) -> None:
    households.create(household())
    with pytest.raises(NotFound) as info:
        meals.log(MealEntry(venue_id=uuid.uuid4(), code="N24-000001"), now=NOON)
    assert info.value.code == "venue.not_found"


# --- the same household twice -----------------------------------------------------------------


def test_same_household_twice_the_same_day_warns_then_saves_when_confirmed(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    meals.log(entry(venue), now=at(12))
    with pytest.raises(MealWarning) as info:
        meals.log(entry(venue, meal_type="takeaway"), now=at(12, 30))
    assert info.value.code == "meal.duplicate"
    assert info.value.params["name"] == "山田 花子"
    assert info.value.params["at"] == "12:00"
    assert "会食" in info.value.message()
    assert meal_count(db) == 1
    meals.log(entry(venue, meal_type="takeaway"), confirm_duplicate=True, now=at(12, 30))
    assert meal_count(db) == 2


def test_another_venue_or_another_day_is_not_a_duplicate(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    other = make_venue(db, "こども食堂のと")
    households.create(household())
    meals.log(entry(venue), now=at(12))
    meals.log(entry(other), now=at(12, 5))
    meals.log(entry(venue, served_on=TODAY - timedelta(days=1)), now=at(12, 10))
    meals.log(entry(venue), now=at(12, 0, TODAY + timedelta(days=1)))
    assert meal_count(db) == 4


def test_an_undone_meal_is_not_a_duplicate(
    meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    first = meals.log(entry(venue), now=at(12))
    meals.undo(first.id)
    meals.log(entry(venue), now=at(12, 1))


# --- venue rules ------------------------------------------------------------------------------


def test_limit_of_one_refuses_the_second_meal_with_the_reason(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    meals.set_rules(venue.id, MealRules(max_per_day={"eat_in": 1}))
    meals.log(entry(venue), now=at(12))
    with pytest.raises(MealRefused) as info:
        meals.log(entry(venue), confirm_duplicate=True, now=at(13))
    assert info.value.code == "meal.refused"
    assert info.value.reasons == ["会食は1人1日1回まで（すでに1回）"]
    assert "会食は1人1日1回まで" in info.value.message()
    assert meal_count(db) == 1
    # Another type has no limit: only the duplicate warning.
    with pytest.raises(MealWarning):
        meals.log(entry(venue, meal_type="takeaway"), now=at(13))


def test_limit_of_two_refuses_the_third_meal(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    meals.set_rules(venue.id, MealRules(max_per_day={"takeaway": 2}))
    meals.log(entry(venue, meal_type="takeaway"), now=at(12))
    meals.log(entry(venue, meal_type="takeaway"), confirm_duplicate=True, now=at(13))
    with pytest.raises(MealRefused) as info:
        meals.log(entry(venue, meal_type="takeaway"), confirm_duplicate=True, now=at(14))
    assert info.value.reasons == ["弁当は1人1日2回まで（すでに2回）"]
    assert meal_count(db) == 2


def test_limits_count_per_person_when_members_were_unticked(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household(members=family()[:2]))
    head, son = meals.lookup("N24-000001", today=TODAY).members
    meals.set_rules(venue.id, MealRules(max_per_day={"eat_in": 1}))
    meals.log(entry(venue, member_ids=[head.id]), now=at(12))
    # The son has not eaten yet: only the duplicate warning, then it saves.
    with pytest.raises(MealWarning):
        meals.log(entry(venue, member_ids=[son.id]), now=at(12, 30))
    meals.log(entry(venue, member_ids=[son.id]), confirm_duplicate=True, now=at(12, 30))
    for again in ([head.id], [son.id], None):
        with pytest.raises(MealRefused):
            meals.log(entry(venue, member_ids=again), confirm_duplicate=True, now=at(13))
    assert meal_count(db) == 2


def test_a_whole_household_meal_counts_once_for_each_member(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household(members=family()[:2]))
    head, son = meals.lookup("N24-000001", today=TODAY).members
    meals.set_rules(venue.id, MealRules(max_per_day={"eat_in": 2}))
    meals.log(entry(venue, member_ids=[head.id]), now=at(12))
    meals.log(entry(venue, member_ids=[son.id]), confirm_duplicate=True, now=at(12, 10))
    # Each person has eaten once: the whole household may eat a second time.
    meals.log(entry(venue), confirm_duplicate=True, now=at(12, 20))
    with pytest.raises(MealRefused) as info:
        meals.log(entry(venue, member_ids=[son.id]), confirm_duplicate=True, now=at(12, 30))
    assert info.value.reasons == ["会食は1人1日2回まで（すでに2回）"]
    assert meal_count(db) == 3


def test_limit_zero_forbids_a_type(
    meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    meals.set_rules(venue.id, MealRules(max_per_day={"delivery": 0}))
    with pytest.raises(MealRefused):
        meals.log(entry(venue, meal_type="delivery"), now=at(12))


def test_exclusive_types_refuse_the_other_one_the_same_day(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    meals.set_rules(venue.id, MealRules(exclusive=(("eat_in", "takeaway"),)))
    meals.log(entry(venue), now=at(12))
    with pytest.raises(MealRefused) as info:
        meals.log(entry(venue, meal_type="takeaway"), confirm_duplicate=True, now=at(13))
    assert info.value.reasons == ["会食と弁当は同じ日に重ねられません"]
    # A type outside the pair is only a duplicate.
    with pytest.raises(MealWarning):
        meals.log(entry(venue, meal_type="pantry"), now=at(13))
    # The next day starts afresh.
    meals.log(entry(venue, meal_type="takeaway"), now=at(12, 0, TODAY + timedelta(days=1)))
    assert meal_count(db) == 2


def test_min_interval_counts_minutes_since_the_last_meal(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    meals.set_rules(venue.id, MealRules(min_interval_minutes=60))
    meals.log(entry(venue), now=at(12))
    with pytest.raises(MealRefused) as info:
        meals.log(entry(venue), confirm_duplicate=True, now=at(12, 59))
    assert info.value.reasons == ["前回から60分たっていません"]
    meals.log(entry(venue), confirm_duplicate=True, now=at(13))
    with pytest.raises(MealRefused):
        meals.log(entry(venue), confirm_duplicate=True, now=at(13, 30))
    assert meal_count(db) == 2


def test_every_broken_rule_is_listed_and_english_reasons_follow_the_language(
    meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    from evacsupport.i18n import set_language

    households.create(household())
    meals.set_rules(
        venue.id,
        MealRules(
            max_per_day={"takeaway": 1},
            exclusive=(("eat_in", "takeaway"),),
            min_interval_minutes=30,
        ),
    )
    meals.log(entry(venue), now=at(12))
    meals.log(entry(venue, meal_type="takeaway"), override_note="初回", now=at(12, 40))
    set_language("en")
    with pytest.raises(MealRefused) as info:
        meals.log(entry(venue, meal_type="takeaway"), now=at(12, 45))
    assert info.value.reasons == [
        "Take-away: at most 1 a day per person (1 already)",
        "Eat-in and Take-away exclude each other",
        "Less than 30 minutes since the last meal",
    ]


def test_override_with_a_note_saves_and_keeps_the_note(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    meals.set_rules(venue.id, MealRules(max_per_day={"eat_in": 1}))
    meals.log(entry(venue), now=at(12))
    with pytest.raises(MealRefused):
        meals.log(entry(venue), override_note=" \u3000 ", now=at(13))  # blank is no note
    logged = meals.log(entry(venue), override_note="　体調不良の家族の分 ", now=at(13))
    assert logged.override_note == "体調不良の家族の分"
    newest = meals.session_log(venue.id, TODAY)[0]
    assert (newest.id, newest.override_note) == (logged.id, "体調不良の家族の分")
    assert meal_count(db) == 2


def test_an_override_note_is_not_stored_when_no_rule_was_broken(
    meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    households.create(household())
    assert meals.log(entry(venue), override_note="念のため", now=at(12)).override_note == ""


# --- rules: validation and storage ------------------------------------------------------------


@pytest.mark.parametrize(
    ("rules", "expected"),
    [
        (MealRules(max_per_day={"eat_in": -1}), {"max_per_day.eat_in": "value.range"}),
        (MealRules(max_per_day={"eat_in": 11}), {"max_per_day.eat_in": "value.range"}),
        (MealRules(max_per_day={"soup": 1}), {"max_per_day.soup": "value.choice"}),
        (MealRules(min_interval_minutes=1441), {"min_interval_minutes": "value.range"}),
        (MealRules(min_interval_minutes=-1), {"min_interval_minutes": "value.range"}),
        (MealRules(exclusive=(("eat_in", "soup"),)), {"exclusive.0": "value.choice"}),
    ],
)
def test_set_rules_refuses_bad_values_and_keeps_the_old_rules(
    meals: MealService, venue: Venue, rules: MealRules, expected: dict[str, str]
) -> None:
    meals.set_rules(venue.id, MealRules(max_per_day={"pantry": 1}))
    with pytest.raises(ValidationError) as info:
        meals.set_rules(venue.id, rules)
    assert codes(info.value) == expected
    assert meals.rules(venue.id) == MealRules(max_per_day={"pantry": 1})


def test_set_rules_accepts_the_boundaries(meals: MealService, venue: Venue) -> None:
    rules = MealRules(max_per_day={"eat_in": 0, "takeaway": 10}, min_interval_minutes=1440)
    meals.set_rules(venue.id, rules)
    assert meals.rules(venue.id) == rules


def test_rules_survive_a_round_trip_through_the_database(db: Database, venue: Venue) -> None:
    assert MealService(db).rules(venue.id) == MealRules()  # no rules stored: the defaults
    rules = MealRules(
        max_per_day={"eat_in": 1, "takeaway": 2},
        min_interval_minutes=90,
        exclusive=(("eat_in", "delivery"),),
    )
    MealService(db).set_rules(venue.id, rules)
    reopened = Database(db.url)
    try:
        assert MealService(reopened).rules(venue.id) == rules
    finally:
        reopened.close()


def test_rules_given_with_labels_are_stored_as_codes_and_enforced(
    meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    meals.set_rules(
        venue.id,
        MealRules(max_per_day={"会食": "１"}, exclusive=(("弁当", "配食"),)),  # type: ignore[dict-item]
    )
    assert meals.rules(venue.id) == MealRules(
        max_per_day={"eat_in": 1}, exclusive=(("takeaway", "delivery"),)
    )
    households.create(household())
    meals.log(entry(venue), now=at(12))
    with pytest.raises(MealRefused):
        meals.log(entry(venue), confirm_duplicate=True, now=at(13))


def test_rules_of_an_unknown_venue_are_not_found(meals: MealService) -> None:
    with pytest.raises(NotFound):
        meals.rules(uuid.uuid4())
    with pytest.raises(NotFound):
        meals.set_rules(uuid.uuid4(), MealRules())


# --- undo -------------------------------------------------------------------------------------


def test_undo_hides_the_meal_but_keeps_it_stored(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    saved = households.create(household())
    db_assign(db, saved.id, venue.id, start_on=TODAY - timedelta(days=7))
    logged = meals.log(entry(venue), now=NOON)
    assert meals.roster(venue.id, TODAY)[0][1] is True
    meals.undo(logged.id)
    assert meals.session_log(venue.id, TODAY) == []
    assert meals.roster(venue.id, TODAY)[0][1] is False
    with db.read() as s:
        row = s.get(MealLog, logged.id)
        assert row is not None and row.deleted_at is not None
    with pytest.raises(NotFound) as info:
        meals.undo(logged.id)
    assert info.value.code == "meal.not_found"
    with pytest.raises(NotFound):
        meals.undo(uuid.uuid4())


# --- guests -----------------------------------------------------------------------------------


def test_guests_are_logged_as_counts(db: Database, meals: MealService, venue: Venue) -> None:
    logged = meals.log_guests(venue.id, adults="３", children="１２", staff="佐藤", now=NOON)
    assert (logged.household, logged.adults, logged.children) == (None, 3, 12)
    assert (logged.served_on, logged.served_at) == (TODAY, NOON)
    assert logged.label == "登録外のお客さん（会食）"
    assert meals.log_guests(venue.id, children=2, meal_type="弁当", now=NOON).adults == 0
    assert [m.id for m in meals.session_log(venue.id, TODAY)][-1] == logged.id
    assert meal_count(db) == 2


@pytest.mark.parametrize(
    ("adults", "children", "expected"),
    [
        (0, 0, {"adults": "meal.no_guests"}),
        ("", "０", {"adults": "meal.no_guests"}),
        (301, 0, {"adults": "value.range"}),
        (0, "３０１", {"children": "value.range"}),
        ("-1", 2, {"adults": "value.range"}),
        (1, "二", {"children": "value.integer"}),
    ],
)
def test_bad_guest_counts_are_refused_and_nothing_saved(
    db: Database,
    meals: MealService,
    venue: Venue,
    adults: int | str,
    children: int | str,
    expected: dict[str, str],
) -> None:
    with pytest.raises(ValidationError) as info:
        meals.log_guests(venue.id, adults=adults, children=children, now=NOON)
    assert codes(info.value) == expected
    assert meal_count(db) == 0


def test_three_hundred_guests_is_the_most(meals: MealService, venue: Venue) -> None:
    assert meals.log_guests(venue.id, adults=300, children=300, now=NOON).adults == 300


def test_guests_on_a_future_date_are_refused(meals: MealService, venue: Venue) -> None:
    with pytest.raises(ValidationError) as info:
        meals.log_guests(venue.id, adults=1, served_on="2024-07-01", now=NOON)
    assert codes(info.value) == {"served_on": "date.future"}


# --- the session's view -----------------------------------------------------------------------


def test_session_log_is_newest_first_for_that_venue_and_day(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    other = make_venue(db, "こども食堂のと")
    for _ in range(3):
        households.create(household())
    first = meals.log(entry(venue, "N24-000001"), now=at(12))
    guests = meals.log_guests(venue.id, adults=2, now=at(12, 5))
    third = meals.log(entry(venue, "N24-000002"), now=at(12, 10))
    meals.log(entry(other, "N24-000003"), now=at(12, 15))
    meals.log(entry(venue, "N24-000003", served_on=TODAY - timedelta(days=1)), now=at(12, 20))
    log = meals.session_log(venue.id, TODAY)
    assert [m.id for m in log] == [third.id, guests.id, first.id]
    assert [m.household.case_number if m.household else None for m in log] == [
        "N24-000002",
        None,
        "N24-000001",
    ]


def db_assign(
    db: Database,
    household_id: uuid.UUID,
    venue_id: uuid.UUID,
    *,
    start_on: date,
    end_on: date | None = None,
    deleted: bool = False,
) -> None:
    with db.session() as s:
        s.add(
            Assignment(
                household_id=household_id,
                venue_id=venue_id,
                start_on=start_on,
                end_on=end_on,
                status="ended" if end_on else "active",
                deleted_at=utcnow() if deleted else None,
            )
        )


def test_roster_lists_households_assigned_on_that_day_with_served_flags(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    other = make_venue(db, "こども食堂のと")
    ids = [households.create(household()).id for _ in range(8)]
    day = TODAY
    db_assign(db, ids[0], venue.id, start_on=day - timedelta(days=30))  # open-ended
    db_assign(db, ids[1], venue.id, start_on=day)  # starts that day
    db_assign(db, ids[2], venue.id, start_on=day + timedelta(days=1))  # not yet
    db_assign(  # still there that day
        db, ids[3], venue.id, start_on=day - timedelta(days=30), end_on=day + timedelta(days=1)
    )
    db_assign(  # moved elsewhere that day
        db, ids[4], venue.id, start_on=day - timedelta(days=30), end_on=day
    )
    db_assign(db, ids[5], venue.id, start_on=day - timedelta(days=30), deleted=True)
    db_assign(db, ids[6], other.id, start_on=day - timedelta(days=30))
    db_assign(db, ids[7], venue.id, start_on=day - timedelta(days=30))
    households.soft_delete(ids[7])
    meals.log(entry(venue, "N24-000004"), now=NOON)
    meals.log(entry(other, "N24-000001"), now=NOON)  # served, but elsewhere
    roster = meals.roster(venue.id, day)
    assert [(card.case_number, served) for card, served in roster] == [
        ("N24-000001", False),
        ("N24-000002", False),
        ("N24-000004", True),
    ]
    assert [c.case_number for c, _ in meals.roster(venue.id, day - timedelta(days=31))] == []


def test_ten_meals_in_a_row_each_get_their_own_id(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    for _ in range(10):
        households.create(household())
    with db.read() as s:
        case_numbers = list(s.scalars(select(Household.case_number)))
    logged = [meals.log(entry(venue, code)) for code in case_numbers]
    ids = {m.id for m in logged}
    assert len(ids) == 10
    assert all(isinstance(i, uuid.UUID) for i in ids)
    served_on = logged[0].served_on
    assert {m.id for m in meals.session_log(venue.id, served_on)} == ids
    assert meal_count(db) == 10


# --- the number alone: what staff read off a card ----------------------------------------------


def _numbered(households: HouseholdService, *cases: tuple[str, str]) -> None:
    for case_number, given in cases:
        households.create(household(case_number=case_number, members=[member(given_name=given)]))


@pytest.mark.parametrize("typed", ["150", "0150", "n24-150", "１５０", "Ｎ２４ー１５０", " 150 "])
def test_the_number_alone_finds_the_one_household_with_it(
    meals: MealService, households: HouseholdService, typed: str
) -> None:
    _numbered(
        households, ("N24-000015", "一"), ("N24-000150", "百五十"), ("N24-001150", "千百五十")
    )
    card = meals.lookup(typed, today=TODAY)
    assert (card.case_number, card.head_name) == ("N24-000150", "山田 百五十")


def test_a_number_two_households_share_is_never_guessed(
    db: Database, meals: MealService, households: HouseholdService, venue: Venue
) -> None:
    _numbered(households, ("N24-000150", "能登"), ("K24-000150", "加賀"))
    with pytest.raises(AmbiguousCase) as info:
        meals.lookup("150", today=TODAY)
    assert [(c.case_number, c.head_name) for c in info.value.candidates] == [
        ("K24-000150", "山田 加賀"),
        ("N24-000150", "山田 能登"),
    ]
    assert "番号「150」に当たる世帯が2つあります" in info.value.message()
    with pytest.raises(AmbiguousCase):
        meals.log(entry(venue, "150"), now=NOON)
    assert meal_count(db) == 0
    assert meals.lookup("k24-150", today=TODAY).case_number == "K24-000150"  # the prefix decides
    with pytest.raises(NotFound) as unknown:
        meals.lookup("151", today=TODAY)
    assert unknown.value.code == "meal.unknown_case"


def test_venue_staff_choose_only_among_their_venues_households(
    db: Database, households: HouseholdService
) -> None:
    from evacsupport.services.accounts import AccountService, sign_in
    from evacsupport.services.assignment import AssignmentService
    from evacsupport.services.consents import record_consent
    from tests.factories import consent

    here = "36.5613, 136.6562"
    mine = VenueService(db).create(
        VenueInput(name="こども食堂わじま", capacity=30, coordinates=here)
    )
    other = VenueService(db).create(VenueInput(name="みんなの食堂", capacity=30, coordinates=here))
    placed = {}
    for case_number, given, venue in (
        ("N24-000150", "能登", mine),
        ("K24-000150", "加賀", other),
        ("N24-000007", "七尾", mine),
        ("K24-000007", "小松", mine),
        ("S24-000007", "珠洲", other),
        ("K24-000009", "白山", other),
    ):
        saved = households.create(
            household(case_number=case_number, coordinates=here, members=[member(given_name=given)])
        )
        record_consent(db, saved.id, consent())
        AssignmentService(db).assign(saved.id, venue.id)
        placed[case_number] = saved.id
    accounts = AccountService(db)
    accounts.create("admin", "long enough", "admin")
    sign_in(db, accounts.authenticate("admin", "long enough"))
    accounts.create("staff", "long enough", "venue_staff", venue=mine.name)
    sign_in(db, accounts.authenticate("staff", "long enough"))
    meals = MealService(db)

    assert meals.lookup("150").case_number == "N24-000150"  # the other venue's is not counted
    with pytest.raises(AmbiguousCase) as info:
        meals.lookup("7")
    assert [c.case_number for c in info.value.candidates] == ["K24-000007", "N24-000007"]
    assert "珠洲" not in str(info.value) and "2つ" in info.value.message()
    with pytest.raises(NotFound) as elsewhere:  # only another venue's: no name, no candidates
        meals.lookup("9")
    assert elsewhere.value.code == "meal.not_at_this_venue"
    assert "白山" not in str(elsewhere.value)
    logged = meals.log(MealEntry(venue_id=mine.id, code="１５０"), now=NOON)
    assert logged.household is not None and logged.household.id == placed["N24-000150"]
