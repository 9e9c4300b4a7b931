"""The newer risk rules end to end through the caseload: stopped attending, worsening check-ins,
and the thresholds a user can override in the settings file."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import date, timedelta
from pathlib import Path

import pytest

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import Household, MealLog, Venue
from evacsupport.services.caseload import CaseRow, load_caseload
from evacsupport.services.contacts import CheckInInput, ContactService
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.risk import RiskLevel, RiskSettings
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

TODAY = date(2024, 6, 30)
STOPPED = "よく来ていた会場に"
WORSE = "前回より悪化："


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture
def venue(db: Database) -> Venue:
    return VenueService(db).create(VenueInput(name="こども食堂かなざわ", capacity=30))


@pytest.fixture
def young(db: Database) -> Household:
    """A 34-year-old living alone: no rule fires for them unless a test adds the facts."""
    return HouseholdService(db).create(household(members=[member(birth_date="1990-04-01")]))


def meals_on(db: Database, venue: Venue, hid: uuid.UUID, *ago: int) -> None:
    with db.session() as s:
        s.add_all(
            MealLog(venue_id=venue.id, household_id=hid, served_on=days_ago(n), meal_type="eat_in")
            for n in ago
        )


def row(db: Database, today: date = TODAY, settings: RiskSettings | None = None) -> CaseRow:
    (only,) = load_caseload(db, today=today, settings=settings)
    return only


def reasons(found: CaseRow, prefix: str) -> list[str]:
    return [r for r in found.risk.reasons if r.startswith(prefix)]


# --- stopped attending ------------------------------------------------------------------------


def test_regular_then_stopped_is_high_with_the_reason(
    db: Database, venue: Venue, young: Household
) -> None:
    meals_on(db, venue, young.id, 15, 30, 60)
    found = row(db)
    assert found.risk.level is RiskLevel.HIGH
    assert found.risk.reasons == ["よく来ていた会場に15日間来ていない（それまでの8週間に3回）"]


def test_one_meal_fewer_is_not_regular(db: Database, venue: Venue, young: Household) -> None:
    meals_on(db, venue, young.id, 15, 30)
    found = row(db)
    assert found.risk.level is RiskLevel.NONE
    assert reasons(found, STOPPED) == []


def test_no_meal_for_exactly_stopped_days_counts_as_stopped(
    db: Database, venue: Venue, young: Household
) -> None:
    meals_on(db, venue, young.id, 14, 21, 28, 35)
    found = row(db)
    assert found.risk.level is RiskLevel.HIGH
    (reason,) = reasons(found, STOPPED)
    assert reason.startswith("よく来ていた会場に14日間来ていない")


def test_a_meal_13_days_ago_is_not_stopped(db: Database, venue: Venue, young: Household) -> None:
    meals_on(db, venue, young.id, 13, 20, 27, 34, 41)
    found = row(db)
    assert found.risk.level is RiskLevel.NONE
    assert reasons(found, STOPPED) == []


def test_the_last_meal_exactly_stopped_days_ago_counts_as_a_regular_meal(
    db: Database, venue: Venue, young: Household
) -> None:
    meals_on(db, venue, young.id, 14, 21, 28)
    assert reasons(row(db), STOPPED) == [
        "よく来ていた会場に14日間来ていない（それまでの8週間に3回）"
    ]


def test_meals_long_before_the_window_do_not_count(
    db: Database, venue: Venue, young: Household
) -> None:
    meals_on(db, venue, young.id, 15, 30, 100)
    assert row(db).risk.level is RiskLevel.NONE


def test_never_attended_is_not_stopped(db: Database, young: Household) -> None:
    assert row(db).risk.level is RiskLevel.NONE


def test_meals_logged_and_undone_at_the_counter(
    db: Database, venue: Venue, young: Household
) -> None:
    meals = MealService(db)
    logged = [
        meals.log(MealEntry(venue.id, young.case_number, served_on=days_ago(n)))
        for n in (16, 23, 30)
    ]
    assert reasons(row(db), STOPPED) == [
        "よく来ていた会場に16日間来ていない（それまでの8週間に3回）"
    ]
    meals.undo(logged[0].id)
    assert row(db).risk.level is RiskLevel.NONE


def test_anonymous_guest_meals_are_nobodys_attendance(
    db: Database, venue: Venue, young: Household
) -> None:
    meals = MealService(db)
    for n in (16, 23, 30):
        meals.log_guests(venue.id, adults=3, served_on=days_ago(n))
    assert row(db).risk.level is RiskLevel.NONE


def test_custom_settings_change_the_rule(db: Database, venue: Venue, young: Household) -> None:
    meals_on(db, venue, young.id, 8, 12)
    assert row(db).risk.level is RiskLevel.NONE
    quick = RiskSettings(stopped_days=7, regular_min_meals=2, regular_weeks=2)
    found = row(db, settings=quick)
    assert found.risk.level is RiskLevel.HIGH
    assert found.risk.reasons == ["よく来ていた会場に8日間来ていない（それまでの2週間に2回）"]
    # Only the stopped days shortened: two meals are not "regular".
    assert row(db, settings=RiskSettings(stopped_days=7, regular_min_meals=3)).risk.level == (
        RiskLevel.NONE
    )


def test_stopped_reason_in_english(db: Database, venue: Venue, young: Household) -> None:
    from evacsupport.i18n import set_language

    meals_on(db, venue, young.id, 15, 30, 60)
    set_language("en")
    assert row(db).risk.reasons == [
        "Stopped coming: no meal for 15 days after 3 in the 8 weeks before"
    ]


# --- worsening between a member's last two check-ins -------------------------------------------


def record(
    db: Database, hid: uuid.UUID, mid: uuid.UUID, on: date, **answers: Iterable[int]
) -> None:
    data = CheckInInput(member_id=mid, checked_on=on, **answers)  # type: ignore[arg-type]
    ContactService(db).record_checkin(hid, data, today=TODAY)


def k6(total: int) -> list[int]:
    return [min(4, max(0, total - 4 * i)) for i in range(6)]


def ucla(total: int) -> list[int]:
    return [min(4, max(1, total - 2 - 3 * i)) for i in range(3)]


def head_of(h: Household) -> uuid.UUID:
    assert h.head is not None
    return h.head.id


@pytest.mark.parametrize(
    ("before", "after", "expected"),
    [
        ({"k6": k6(5)}, {"k6": k6(9)}, "山田 花子（K6 5→9）"),
        ({"k6": k6(5)}, {"k6": k6(8)}, None),
        ({"k6": k6(9)}, {"k6": k6(5)}, None),
        ({"ucla3": ucla(5)}, {"ucla3": ucla(7)}, "山田 花子（UCLA-3 5→7）"),
        ({"ucla3": ucla(5)}, {"ucla3": ucla(6)}, None),
        ({"loneliness": [1]}, {"loneliness": [3]}, "山田 花子（孤独感 1→3）"),
        ({"loneliness": [1]}, {"loneliness": [2]}, None),
        ({"k6": k6(5)}, {"ucla3": ucla(9)}, None),  # nothing to compare
        (
            {"k6": k6(0), "ucla3": ucla(3), "loneliness": [1]},
            {"k6": k6(4), "ucla3": ucla(5), "loneliness": [3]},
            "山田 花子（K6 0→4、UCLA-3 3→5、孤独感 1→3）",
        ),
    ],
)
def test_worse_than_the_check_in_before(
    db: Database,
    young: Household,
    before: dict[str, list[int]],
    after: dict[str, list[int]],
    expected: str | None,
) -> None:
    record(db, young.id, head_of(young), days_ago(20), **before)
    record(db, young.id, head_of(young), days_ago(5), **after)
    found = row(db)
    if expected is None:
        assert reasons(found, WORSE) == []
        assert found.risk.level is RiskLevel.NONE
    else:
        assert reasons(found, WORSE) == [WORSE + expected]
        assert found.risk.level is RiskLevel.WATCH


def test_only_the_last_two_check_ins_are_compared(db: Database, young: Household) -> None:
    me = head_of(young)
    record(db, young.id, me, days_ago(30), k6=k6(1))
    record(db, young.id, me, days_ago(20), k6=k6(8))
    record(db, young.id, me, days_ago(10), k6=k6(9))
    assert reasons(row(db), WORSE) == []
    # Seen from a day before the last check-in, the jump 1→8 was the latest change.
    assert reasons(row(db, today=days_ago(15)), WORSE) == [WORSE + "山田 花子（K6 1→8）"]


def test_two_members_check_ins_are_not_compared_with_each_other(db: Database) -> None:
    couple = HouseholdService(db).create(
        household(
            members=[
                member(birth_date="1990-04-01"),
                member(
                    given_name="太郎",
                    given_kana="たろう",
                    relation="spouse",
                    sex="male",
                    birth_date="1988-01-01",
                ),
            ]
        )
    )
    wife, husband = (m.id for m in couple.current_members)
    record(db, couple.id, wife, days_ago(20), k6=k6(1))
    record(db, couple.id, husband, days_ago(10), k6=k6(9))
    assert reasons(row(db), WORSE) == []
    record(db, couple.id, husband, days_ago(5), k6=k6(2))
    record(db, couple.id, wife, days_ago(3), k6=k6(6))
    assert reasons(row(db), WORSE) == [WORSE + "山田 花子（K6 1→6）"]


def test_members_with_the_same_name_are_still_compared_separately(db: Database) -> None:
    same = HouseholdService(db).create(
        household(
            members=[
                member(given_name="", given_kana="", birth_date="1990-04-01"),
                member(given_name="", given_kana="", relation="spouse", birth_date="1988-01-01"),
            ]
        )
    )
    first, second = (m.id for m in same.current_members)
    for mid, worse in ((first, 5), (second, 6)):
        record(db, same.id, mid, days_ago(20), k6=k6(0))
        record(db, same.id, mid, days_ago(5), k6=k6(worse))
    assert len(reasons(row(db), WORSE)) == 2


def test_worsening_steps_are_settings(db: Database, young: Household) -> None:
    me = head_of(young)
    record(db, young.id, me, days_ago(20), k6=k6(5), loneliness=[1])
    record(db, young.id, me, days_ago(5), k6=k6(8), loneliness=[2])
    assert reasons(row(db), WORSE) == []
    touchy = RiskSettings(k6_worsen=3, loneliness_worsen=1)
    assert reasons(row(db, settings=touchy), WORSE) == [WORSE + "山田 花子（K6 5→8、孤独感 1→2）"]


def test_worsening_in_english(db: Database, young: Household) -> None:
    from evacsupport.i18n import set_language

    record(db, young.id, head_of(young), days_ago(20), loneliness=[1])
    record(db, young.id, head_of(young), days_ago(5), loneliness=[3])
    set_language("en")
    assert row(db).risk.reasons == ["Worse than last time: 山田 花子（loneliness 1→3）"]


# --- thresholds from the settings file --------------------------------------------------------


def test_risk_overrides_are_applied() -> None:
    settings = Settings(
        risk={"k6_worsen": 3, "stopped_days": "10", "regular_min_meals": " ２ ", "older_age": 0}
    )
    assert settings.risk_settings() == RiskSettings(
        k6_worsen=3, stopped_days=10, regular_min_meals=2, older_age=0
    )


def test_no_overrides_give_the_defaults() -> None:
    assert Settings().risk_settings() == RiskSettings()


@pytest.mark.parametrize(
    "junk",
    [
        {"no_such_threshold": 5},
        {"k6_indicator": "abc"},
        {"k6_indicator": -1},
        {"k6_indicator": "-1"},
        {"k6_indicator": 9.5},
        {"k6_indicator": "9.5"},
        {"k6_indicator": True},
        {"k6_indicator": None},
        {"k6_indicator": ""},
        {"k6_indicator": [10]},
        {"k6_indicator": "²"},
    ],
)
def test_junk_overrides_are_ignored(junk: dict[str, object]) -> None:
    settings = Settings(risk={**junk, "ucla3_high": 9})  # type: ignore[dict-item]
    assert settings.risk_settings() == RiskSettings(ucla3_high=9)


def test_a_risk_entry_that_is_not_a_mapping_is_ignored() -> None:
    assert Settings(risk="k6_indicator=5").risk_settings() == RiskSettings()  # type: ignore[arg-type]
    assert Settings(risk=[["k6_indicator", 5]]).risk_settings() == RiskSettings()  # type: ignore[arg-type]


def test_overrides_from_the_settings_file_reach_the_rules(
    db: Database, young: Household, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    monkeypatch.setattr(Settings, "path", classmethod(lambda cls: path))
    path.write_text(
        json.dumps({"risk": {"k6_worsen": "3", "ucla3_high": "x", "bogus": 1}}), encoding="utf-8"
    )
    settings = Settings.load().risk_settings()
    assert settings == RiskSettings(k6_worsen=3)
    me = head_of(young)
    record(db, young.id, me, days_ago(20), k6=k6(5))
    record(db, young.id, me, days_ago(5), k6=k6(8))
    assert reasons(row(db), WORSE) == []
    assert reasons(row(db, settings=settings), WORSE) == [WORSE + "山田 花子（K6 5→8）"]
