"""Caseload counts by origin municipality and evacuation status: the numbers municipalities ask
for first, computed in one grouped query."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select

from evacsupport.db.engine import Database
from evacsupport.db.models import Household, Member
from evacsupport.domain import municipalities
from evacsupport.domain.codes import HouseholdStatus


@dataclass
class OriginSummary:
    code: str
    name: str
    households: int = 0
    people: int = 0
    by_status: dict[str, int] = field(default_factory=dict)


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
