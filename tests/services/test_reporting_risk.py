"""The monthly figures' risk counts are the household list's risk levels, counted.

``monthly_figures`` reads only the facts that can change a level; this checks it against the
household list (:func:`load_caseload`) on a mixed, seeded data set and under other settings.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest

from evacsupport.db import Database
from evacsupport.db.models import CheckIn, FollowUp, Household, MealLog, Member, Visit
from evacsupport.services.caseload import load_caseload
from evacsupport.services.households import HouseholdService
from evacsupport.services.reporting import monthly_figures
from evacsupport.services.risk import RiskLevel, RiskSettings
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

JUNE = date(2024, 6, 1)
ORIGINS = ("172049", "172057", "")
SETTINGS = (
    RiskSettings(),
    RiskSettings(stopped_days=7, regular_weeks=4, regular_min_meals=2),
    RiskSettings(regular_min_meals=0, alone_no_contact_days=0),
    RiskSettings(alone_no_contact_days=30, older_age=80, k6_indicator=5),
)


def _build(db: Database) -> None:
    rng = random.Random(7)
    venue = VenueService(db).create(
        VenueInput(name="会場", address="石川県金沢市広坂2丁目1-1", capacity=30)
    )
    service = HouseholdService(db)
    ids = []
    for i in range(48):
        people = [member(birth_date="1940-01-01" if i % 3 == 0 else "1990-01-01")]
        if i % 4 == 1:
            people.append(member(relation="spouse", birth_date="1942-02-02"))
        ids.append(
            service.create(household(origin_municipality_code=ORIGINS[i % 3], members=people)).id
        )
    with db.session() as session:
        for i, hid in enumerate(ids):
            found = session.get(Household, hid)
            assert found is not None
            found.created_at = datetime.combine(
                date(2024, 1, 10) + timedelta(days=rng.randrange(0, 170)), time(9), UTC
            )
            if i % 11 == 5:
                found.status, found.closed_on = "closed", date(2024, 7, 2)  # closed after June
            if i % 13 == 7:
                found.deleted_at = datetime(2024, 5, 1, tzinfo=UTC)
        heads = {
            hid: session.query(Member.id).filter(Member.household_id == hid).first()[0]  # type: ignore[index]
            for hid in ids
        }
        for hid in ids:
            pattern = rng.choice(("regular", "stopped", "few", "none", "late"))
            start = date(2024, 3, 1)
            last = {"regular": 121, "stopped": 100, "few": 121, "none": 0, "late": 121}[pattern]
            days = range(0, last, 3 if pattern != "few" else 40)
            for d in days if pattern != "late" else range(105, last, 7):
                session.add(
                    MealLog(
                        venue_id=venue.id,
                        household_id=hid,
                        served_on=start + timedelta(days=d),
                        meal_type="eat_in",
                        adults=1,
                        deleted_at=datetime(2024, 6, 1, tzinfo=UTC) if d % 17 == 0 else None,
                    )
                )
            if rng.random() < 0.4:
                session.add(
                    Visit(
                        household_id=hid,
                        visited_on=date(2024, 6, 30) - timedelta(days=rng.randrange(0, 40)),
                        kind="phone",
                    )
                )
            for _ in range(rng.randrange(0, 4)):
                session.add(
                    CheckIn(
                        household_id=hid,
                        member_id=heads[hid],
                        checked_on=date(2024, 4, 1) + timedelta(days=rng.randrange(0, 120)),
                        k6_score=rng.randrange(0, 20),
                        loneliness=rng.randrange(1, 6),
                        ucla3_score=rng.randrange(3, 10),
                    )
                )
            if rng.random() < 0.3:
                done = rng.random() < 0.5
                session.add(
                    FollowUp(
                        household_id=hid,
                        due_on=date(2024, 6, 1) + timedelta(days=rng.randrange(-20, 40)),
                        reason="確認",
                        status="done" if done else "open",
                        done_on=date(2024, 6, 1) + timedelta(days=rng.randrange(0, 45))
                        if done
                        else None,
                    )
                )


def _expected(db: Database, today: date, settings: RiskSettings) -> dict[str, Counter[RiskLevel]]:
    """The report's old way: the household list's rows of the households active that day."""
    figures = monthly_figures(db, JUNE, settings=settings, today=today)
    as_of = figures.as_of
    with db.read() as session:
        active = {
            h.id: h.origin_municipality_code or ""
            for h in session.query(Household).filter(Household.deleted_at.is_(None))
            if h.created_at.replace(tzinfo=UTC)
            < datetime.combine(as_of + timedelta(days=1), time(), UTC)
            and (h.status == "active" or (h.closed_on is not None and h.closed_on > as_of))
        }
    counts: dict[str, Counter[RiskLevel]] = {}
    for row in load_caseload(db, today=as_of, settings=settings, registered_by_then=True):
        if row.id in active:
            counts.setdefault(active[row.id], Counter())[row.risk.level] += 1
    return counts


@pytest.mark.parametrize("today", [date(2024, 7, 15), date(2024, 6, 20)])
def test_risk_counts_match_the_household_list(db: Database, today: date) -> None:
    _build(db)
    for settings in SETTINGS:
        _check(db, today, settings)


def _check(db: Database, today: date, settings: RiskSettings) -> None:
    figures = monthly_figures(db, JUNE, settings=settings, today=today)
    got = {
        g.code: Counter(
            {
                RiskLevel.HIGH: g.risk_high,
                RiskLevel.WATCH: g.risk_watch,
                RiskLevel.NONE: g.risk_none,
            }
        )
        for g in figures.groups
    }
    expected = _expected(db, today, settings)
    assert {k: +v for k, v in got.items() if +v} == {k: +v for k, v in expected.items() if +v}
    levels = sum(expected.values(), Counter())
    assert levels[RiskLevel.HIGH] and levels[RiskLevel.WATCH] and levels[RiskLevel.NONE]
