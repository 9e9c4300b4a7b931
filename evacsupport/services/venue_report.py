"""What one venue did over a period: sessions, meals, people and households, in a few grouped
queries (no row-by-row loading), for the venue activity report and anyone else who needs it.

Counting rules (also printed on the report):

* A **session** is a day on which the venue served at least one meal (guests included).
* **Meals** count serving events (one line at the counter: a household or a group of guests).
* **People** count servings: ``adults + children`` summed over the meals, so someone who came to
  three sessions counts three times (延べ人数). **Guests** are the part of them served without
  registration (walk-ins logged as anonymous counts).
* **Households** count registered households once each (実世帯数); guests cannot be told apart
  and are never counted as households.
* A **new** household had its first meal ever at this venue within the period.
* A **regular** household came to at least :data:`REGULAR_MIN_SESSIONS` different sessions within
  the period (two meals on one day are one attendance). A household can be both new and regular.

Deleted meal entries (undone at the counter) are left out everywhere.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, and_, case, distinct, func, select

from evacsupport.db.engine import Database
from evacsupport.db.models import MealLog, Venue
from evacsupport.domain.codes import MealType
from evacsupport.domain.roles import Permission
from evacsupport.errors import InvalidValue, NotFound
from evacsupport.services.authz import gate

REGULAR_MIN_SESSIONS = 3


@dataclass(frozen=True)
class MealTypeCount:
    meal_type: str  # a MealType code
    meals: int
    people: int


@dataclass(frozen=True)
class SessionRow:
    """One day the venue served meals."""

    day: date
    meals: int
    people: int  # servings, guests included
    households: int  # registered households served that day
    guests: int  # people served as unregistered guests


@dataclass(frozen=True)
class VenueActivity:
    """The period's figures for one venue; see the module docstring for how each is counted."""

    venue_id: uuid.UUID
    venue_name: str
    venue_kind: str
    start: date
    end: date
    sessions: int
    meals: int
    adults: int  # servings to adults, guests included
    children: int  # servings to children, guests included
    guests: int  # servings to unregistered guests (part of adults + children)
    households: int
    new_households: int
    regular_households: int
    by_type: tuple[MealTypeCount, ...]  # every meal type, in the code list's order
    per_session: tuple[SessionRow, ...]  # by date

    @property
    def people(self) -> int:
        return self.adults + self.children

    @property
    def registered_people(self) -> int:
        return self.people - self.guests


@gate(Permission.AGGREGATE_REPORTS)
def venue_activity(db: Database, venue_id: uuid.UUID, start: date, end: date) -> VenueActivity:
    """The venue's activity from ``start`` to ``end`` inclusive.

    Sessions are days with at least one meal. New households are those whose first meal ever at
    this venue falls within the period; regular households attended at least
    ``REGULAR_MIN_SESSIONS`` (3) different days within it. Both count registered households only:
    guests are anonymous. People are servings (延べ人数), guests included.
    """
    if end < start:
        raise InvalidValue("date.order")
    served_here = and_(MealLog.venue_id == venue_id, MealLog.deleted_at.is_(None))
    in_range: ColumnElement[bool] = and_(
        served_here, MealLog.served_on >= start, MealLog.served_on <= end
    )
    people = MealLog.adults + MealLog.children
    guest_people = func.coalesce(
        func.sum(case((MealLog.household_id.is_(None), people), else_=0)), 0
    )
    totals = select(
        func.count(),
        func.count(distinct(MealLog.served_on)),
        func.coalesce(func.sum(MealLog.adults), 0),
        func.coalesce(func.sum(MealLog.children), 0),
        guest_people,
        func.count(distinct(MealLog.household_id)),
    ).where(in_range)
    by_type = (
        select(MealLog.meal_type, func.count(), func.coalesce(func.sum(people), 0))
        .where(in_range)
        .group_by(MealLog.meal_type)
    )
    per_session = (
        select(
            MealLog.served_on,
            func.count(),
            func.coalesce(func.sum(people), 0),
            func.count(distinct(MealLog.household_id)),
            guest_people,
        )
        .where(in_range)
        .group_by(MealLog.served_on)
        .order_by(MealLog.served_on)
    )
    # First meal ever here (up to the end of the period) on or after the start: new.
    first_meals = (
        select(MealLog.household_id)
        .where(served_here, MealLog.household_id.is_not(None), MealLog.served_on <= end)
        .group_by(MealLog.household_id)
        .having(func.min(MealLog.served_on) >= start)
        .subquery()
    )
    regulars = (
        select(MealLog.household_id)
        .where(in_range, MealLog.household_id.is_not(None))
        .group_by(MealLog.household_id)
        .having(func.count(distinct(MealLog.served_on)) >= REGULAR_MIN_SESSIONS)
        .subquery()
    )
    with db.read() as session:
        venue = session.get(Venue, venue_id)
        if venue is None or venue.deleted_at is not None:
            raise NotFound("venue.not_found", value=str(venue_id))
        meals, sessions, adults, children, guests, households = session.execute(totals).one()
        types = {code: (n, p) for code, n, p in session.execute(by_type)}
        rows = tuple(SessionRow(*row) for row in session.execute(per_session))
        new = session.scalar(select(func.count()).select_from(first_meals)) or 0
        regular = session.scalar(select(func.count()).select_from(regulars)) or 0
        name, kind = venue.name, venue.kind
    known = [str(t) for t in MealType]
    ordered = known + sorted(code for code in types if code not in known)
    return VenueActivity(
        venue_id=venue_id,
        venue_name=name,
        venue_kind=kind,
        start=start,
        end=end,
        sessions=sessions,
        meals=meals,
        adults=adults,
        children=children,
        guests=guests,
        households=households,
        new_households=new,
        regular_households=regular,
        by_type=tuple(MealTypeCount(code, *types.get(code, (0, 0))) for code in ordered),
        per_session=rows,
    )
