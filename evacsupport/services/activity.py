"""Read-only views of what has been logged: recent activity for the sections, and one
household's history for its editor tabs. Writing meals, visits and check-ins is elsewhere."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Integer, func, select
from sqlalchemy.orm import aliased

from evacsupport.db.engine import Database
from evacsupport.db.models import (
    Assignment,
    CheckIn,
    FollowUp,
    Household,
    MealLog,
    Member,
    Venue,
    Visit,
)
from evacsupport.domain.codes import HouseholdStatus, Relation
from evacsupport.domain.roles import Permission
from evacsupport.services.authz import gate

CHECKIN_INTERVAL_DAYS = 30


@dataclass(frozen=True)
class MealEntry:
    served_on: date
    venue: str
    case_number: str
    meal_type: str
    adults: int
    children: int
    staff: str


@dataclass(frozen=True)
class VisitEntry:
    visited_on: date
    case_number: str
    kind: str
    staff: str
    duration_minutes: int | None
    summary: str
    referral: str | None
    follow_up_due: date | None
    # whose record it is, beside the case number (the household's head)
    household_name: str = ""
    household_kana: str = ""


@dataclass(frozen=True)
class CheckInEntry:
    checked_on: date
    case_number: str
    member: str
    loneliness: int | None
    ucla3: int | None
    k6: int | None
    staff: str
    household_name: str = ""
    household_kana: str = ""


def _head() -> tuple[type[Member], ColumnElement[bool]]:
    """The household's head as a second Member (a check-in joins its own member too), and
    the condition to outer-join it on."""
    head = aliased(Member)
    return head, (
        (head.household_id == Household.id)
        & (head.relation == Relation.HEAD)
        & head.deleted_at.is_(None)
    )


def _names(family: str | None, given: str | None) -> str:
    return f"{family or ''} {given or ''}".strip()


@dataclass(frozen=True)
class FollowUpEntry:
    due_on: date
    case_number: str
    reason: str
    owner: str
    source: str
    status: str
    outcome: str


@dataclass(frozen=True)
class AssignmentEntry:
    venue: str
    start_on: date
    end_on: date | None
    status: str
    reason: str


@dataclass(frozen=True)
class Overview:
    active_households: int
    people: int
    venues: int
    meals_this_week: int
    meals_people_this_week: int
    open_followups: int
    overdue_followups: int
    checkins_due: int = 0  # active households with no check-in for CHECKIN_INTERVAL_DAYS


class ActivityService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @gate(Permission.CASEWORK)
    def meals(self, household_id: uuid.UUID | None = None, limit: int = 500) -> list[MealEntry]:
        # the columns shown, not whole rows: a year of a busy household's meals is hundreds
        query = (
            select(
                MealLog.served_on,
                Venue.name,
                Household.case_number,
                MealLog.meal_type,
                MealLog.adults,
                MealLog.children,
                MealLog.staff,
            )
            .join(Venue, Venue.id == MealLog.venue_id)
            .outerjoin(Household, Household.id == MealLog.household_id)
            .where(MealLog.deleted_at.is_(None))
            .order_by(MealLog.served_on.desc(), MealLog.served_at.desc())
            .limit(limit)
        )
        if household_id is not None:
            query = query.where(MealLog.household_id == household_id)
        with self.db.read() as session:
            return [
                MealEntry(served_on, venue, case or "", meal_type, adults, children, staff)
                for served_on, venue, case, meal_type, adults, children, staff in session.execute(
                    query
                )
            ]

    @gate(Permission.CASEWORK)
    def visits(self, household_id: uuid.UUID | None = None, limit: int = 500) -> list[VisitEntry]:
        head, on_head = _head()
        query = (
            select(
                Visit,
                Household.case_number,
                head.family_name,
                head.given_name,
                head.family_kana,
                head.given_kana,
            )
            .join(Household, Household.id == Visit.household_id)
            .outerjoin(head, on_head)
            .where(Visit.deleted_at.is_(None))
            .order_by(Visit.visited_on.desc(), Visit.created_at.desc())
            .limit(limit)
        )
        if household_id is not None:
            query = query.where(Visit.household_id == household_id)
        with self.db.read() as session:
            return [
                VisitEntry(
                    v.visited_on,
                    case,
                    v.kind,
                    v.staff,
                    v.duration_minutes,
                    v.summary,
                    v.referral,
                    v.follow_up_due,
                    _names(fam, giv),
                    _names(fam_kana, giv_kana),
                )
                for v, case, fam, giv, fam_kana, giv_kana in session.execute(query)
            ]

    @gate(Permission.CASEWORK)
    def checkins(
        self, household_id: uuid.UUID | None = None, limit: int = 500
    ) -> list[CheckInEntry]:
        head, on_head = _head()
        query = (
            select(
                CheckIn,
                Household.case_number,
                Member.family_name,
                Member.given_name,
                head.family_name,
                head.given_name,
                head.family_kana,
                head.given_kana,
            )
            .join(Household, Household.id == CheckIn.household_id)
            .join(Member, Member.id == CheckIn.member_id)
            .outerjoin(head, on_head)
            .where(CheckIn.deleted_at.is_(None))
            .order_by(CheckIn.checked_on.desc(), CheckIn.created_at.desc())
            .limit(limit)
        )
        if household_id is not None:
            query = query.where(CheckIn.household_id == household_id)
        with self.db.read() as session:
            return [
                CheckInEntry(
                    c.checked_on,
                    case,
                    f"{fam} {giv}".strip(),
                    c.loneliness,
                    c.ucla3_score,
                    c.k6_score,
                    c.staff,
                    _names(head_fam, head_giv),
                    _names(head_fam_kana, head_giv_kana),
                )
                for c, case, fam, giv, head_fam, head_giv, head_fam_kana, head_giv_kana in (
                    session.execute(query)
                )
            ]

    @gate(Permission.CASEWORK)
    def followups(
        self, household_id: uuid.UUID | None = None, *, open_only: bool = False, limit: int = 1000
    ) -> list[FollowUpEntry]:
        query = (
            select(FollowUp, Household.case_number)
            .join(Household, Household.id == FollowUp.household_id)
            .where(FollowUp.deleted_at.is_(None))
            .order_by(FollowUp.status.desc(), FollowUp.due_on)
            .limit(limit)
        )
        if household_id is not None:
            query = query.where(FollowUp.household_id == household_id)
        if open_only:
            query = query.where(FollowUp.status == "open")
        with self.db.read() as session:
            return [
                FollowUpEntry(f.due_on, case, f.reason, f.owner, f.source, f.status, f.outcome)
                for f, case in session.execute(query)
            ]

    @gate(Permission.CASEWORK)
    def assignments(self, household_id: uuid.UUID) -> list[AssignmentEntry]:
        query = (
            select(Assignment, Venue.name)
            .join(Venue, Venue.id == Assignment.venue_id)
            .where(Assignment.household_id == household_id, Assignment.deleted_at.is_(None))
            .order_by(Assignment.start_on.desc())
        )
        with self.db.read() as session:
            return [
                AssignmentEntry(venue, a.start_on, a.end_on, a.status, a.reason)
                for a, venue in session.execute(query)
            ]

    @gate(Permission.CASEWORK)
    def overview(self, today: date | None = None) -> Overview:
        today = today or date.today()
        week_start = today - timedelta(days=today.weekday())
        with self.db.read() as session:
            active = select(Household.id).where(
                Household.deleted_at.is_(None), Household.status == HouseholdStatus.ACTIVE
            )
            households = session.scalar(select(func.count()).select_from(active.subquery()))
            people = session.scalar(
                select(func.count())
                .select_from(Member)
                .where(Member.deleted_at.is_(None), Member.household_id.in_(active))
            )
            venues = session.scalar(
                select(func.count())
                .select_from(Venue)
                .where(Venue.deleted_at.is_(None), Venue.active.is_(True))
            )
            meals, served = session.execute(
                select(
                    func.count(), func.coalesce(func.sum(MealLog.adults + MealLog.children), 0)
                ).where(
                    MealLog.deleted_at.is_(None),
                    MealLog.served_on >= week_start,
                    MealLog.served_on <= today,
                )
            ).one()
            open_f, overdue_f = session.execute(
                select(
                    func.count(),
                    func.coalesce(func.sum((FollowUp.due_on < today).cast(Integer)), 0),
                ).where(FollowUp.deleted_at.is_(None), FollowUp.status == "open")
            ).one()
            recent = select(CheckIn.household_id).where(
                CheckIn.deleted_at.is_(None),
                CheckIn.checked_on > today - timedelta(days=CHECKIN_INTERVAL_DAYS),
            )
            checkins_due = session.scalar(
                select(func.count()).select_from(
                    active.where(Household.id.not_in(recent)).subquery()
                )
            )
        return Overview(
            households or 0,
            people or 0,
            venues or 0,
            meals,
            served,
            open_f,
            overdue_f,
            checkins_due or 0,
        )
