"""Caseload counts by origin municipality and evacuation status: the numbers municipalities ask
for first, computed in one grouped query, and how the window shows them (small counts hidden,
as in the reports)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from evacsupport.db.engine import Database
from evacsupport.db.models import Household, MealLog, Member, Venue
from evacsupport.domain import municipalities
from evacsupport.domain.codes import EvacuationStatus, HouseholdStatus
from evacsupport.domain.roles import Permission
from evacsupport.domain.suppression import Line, suppression_mask
from evacsupport.services.authz import gate
from evacsupport.services.caseload import risk_level_counts
from evacsupport.services.risk import RiskLevel, RiskSettings


@dataclass
class OriginSummary:
    code: str
    name: str
    households: int = 0
    people: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


@gate(Permission.AGGREGATE_REPORTS)
def by_origin(db: Database) -> list[OriginSummary]:
    people = (
        select(Member.household_id, func.count().label("n"))
        .where(Member.deleted_at.is_(None))
        .group_by(Member.household_id)
        .subquery()
    )
    query = (
        select(
            Household.origin_municipality_code,
            Household.evacuation_status,
            func.count(),
            func.coalesce(func.sum(people.c.n), 0),
        )
        .outerjoin(people, people.c.household_id == Household.id)
        .where(Household.deleted_at.is_(None), Household.status == HouseholdStatus.ACTIVE)
        .group_by(Household.origin_municipality_code, Household.evacuation_status)
    )
    summaries: dict[str, OriginSummary] = {}
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    with db.read() as session:
        for code, status, households, persons in session.execute(query):
            found = municipalities.get(code)
            entry = summaries.setdefault(code, OriginSummary(code, found.name if found else "—"))
            entry.households += households
            entry.people += persons
            counts[code][status] = households
    for code, entry in summaries.items():
        entry.by_status = counts[code]
    return sorted(summaries.values(), key=lambda s: -s.households)


@dataclass(frozen=True)
class SummaryTable:
    """The by-origin summary as the window prints it.

    ``rows`` are in the code list's order of municipalities, not by size: with hidden counts,
    a row's place in a ranking would bound what it hides. ``hidden`` holds (code, column) for
    the counts printed as "X", column being "households", "people" or a status code."""

    rows: list[OriginSummary]
    hidden: frozenset[tuple[str, str]]


def summary_table(rows: Sequence[OriginSummary], *, suppress_small: bool = True) -> SummaryTable:
    """Order ``rows`` for display and hide their small counts: each row prints its households
    and, beside them, the households of each evacuation status, which add up to them, so a
    lone small status would come back by subtraction; the same rule as the reports
    (:func:`evacsupport.domain.suppression.suppression_mask`)."""
    order = {m.code: i for i, m in enumerate(municipalities.all_municipalities())}
    ordered = sorted(rows, key=lambda s: (s.code not in order, order.get(s.code, 0), s.code))
    if not suppress_small:
        return SummaryTable(ordered, frozenset())
    values: dict[tuple[str, str], int] = {}
    lines: list[Line[tuple[str, str]]] = []
    for row in ordered:
        values[row.code, "households"] = row.households
        values[row.code, "people"] = row.people
        statuses = [(row.code, status.value) for status in EvacuationStatus]
        for key in statuses:
            values[key] = row.by_status.get(key[1], 0)
        if sum(values[key] for key in statuses) == row.households:  # every status printed
            lines.append(Line((row.code, "households"), tuple(statuses)))
    return SummaryTable(ordered, suppression_mask(values, lines))


@dataclass(frozen=True)
class WeeklyMeals:
    """Meals served per venue per week (Monday starts), for the dashboard chart."""

    weeks: list[date]
    by_venue: dict[str, list[int]]


@gate(Permission.AGGREGATE_REPORTS)
def meals_per_week(db: Database, *, weeks: int = 12, today: date | None = None) -> WeeklyMeals:
    today = today or date.today()
    first = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    starts = [first + timedelta(weeks=i) for i in range(weeks)]
    counts: dict[str, list[int]] = {}
    with db.read() as session:
        rows = session.execute(
            select(Venue.name, MealLog.served_on, func.count())
            .join(Venue, Venue.id == MealLog.venue_id)
            .where(
                MealLog.deleted_at.is_(None),
                MealLog.served_on >= first,
                MealLog.served_on <= today,
            )
            .group_by(Venue.name, MealLog.served_on)
        ).all()
    for name, served_on, n in rows:
        series = counts.setdefault(name, [0] * weeks)
        series[(served_on - first).days // 7] += n
    return WeeklyMeals(starts, dict(sorted(counts.items(), key=lambda kv: -sum(kv[1]))))


@dataclass(frozen=True)
class RiskPoint:
    day: date
    high: int
    watch: int


@gate(Permission.AGGREGATE_REPORTS)
def risk_history(
    db: Database,
    *,
    weeks: int = 12,
    today: date | None = None,
    settings: RiskSettings | None = None,
) -> list[RiskPoint]:
    """How many households were at risk at the end of each past week, from the records as they
    stand (the same rules, evaluated as of each date)."""
    today = today or date.today()
    points = []
    for i in range(weeks - 1, -1, -1):
        day = today - timedelta(weeks=i)
        levels = risk_level_counts(db, today=day, settings=settings, registered_by_then=True)
        points.append(RiskPoint(day, levels[RiskLevel.HIGH], levels[RiskLevel.WATCH]))
    return points
