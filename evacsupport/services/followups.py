"""The follow-up queue: who someone should contact, by when and why; overdue first.

Tasks come from visits, check-ins above a cut-off, the risk rules, or by hand; finishing one
needs an outcome note, so the next person reading the case knows what happened.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from evacsupport.db.engine import Database
from evacsupport.db.models import FollowUp, Household, Member
from evacsupport.domain.codes import (
    FollowUpSource,
    FollowUpStatus,
    HouseholdStatus,
    Relation,
    parse_choice,
)
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_multiline, clean_text
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import check_not_future, parse_date
from evacsupport.errors import EvacError, FieldErrors, NotFound
from evacsupport.services.authz import gate
from evacsupport.services.caseload import load_caseload
from evacsupport.services.households import load_household
from evacsupport.services.risk import RiskLevel, RiskSettings

RULE_FOLLOW_UP_DAYS = 2


@dataclass(frozen=True)
class QueueItem:
    id: uuid.UUID
    household_id: uuid.UUID
    case_number: str
    head_name: str
    due_on: date
    owner: str
    reason: str
    source: str
    overdue_days: int

    @property
    def overdue(self) -> bool:
        return self.overdue_days > 0


class FollowUpService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @gate(Permission.CASEWORK)
    def queue(self, today: date | None = None, *, owner: str = "") -> list[QueueItem]:
        """Open tasks, most overdue first, then by due date."""
        today = today or date.today()
        query = (
            select(FollowUp, Household.case_number, Member.family_name, Member.given_name)
            .join(Household, Household.id == FollowUp.household_id)
            .outerjoin(
                Member,
                (Member.household_id == Household.id)
                & (Member.relation == Relation.HEAD)
                & Member.deleted_at.is_(None),
            )
            .where(
                FollowUp.status == FollowUpStatus.OPEN,
                FollowUp.deleted_at.is_(None),
                Household.deleted_at.is_(None),
            )
            .order_by(FollowUp.due_on, Household.case_number)
        )
        owner = clean_text(owner)  # owners are stored cleaned (see add)
        if owner:
            query = query.where(FollowUp.owner == owner)
        with self.db.read() as session:
            return [
                QueueItem(
                    f.id,
                    f.household_id,
                    case,
                    f"{fam or ''} {giv or ''}".strip(),
                    f.due_on,
                    f.owner,
                    f.reason,
                    f.source,
                    (today - f.due_on).days,
                )
                for f, case, fam, giv in session.execute(query)
            ]

    @gate(Permission.CASEWORK)
    def add(
        self,
        household_id: uuid.UUID,
        *,
        due_on: date | str,
        reason: str,
        owner: str = "",
        source: str = FollowUpSource.MANUAL,
        source_id: uuid.UUID | None = None,
    ) -> FollowUp:
        errors = FieldErrors()
        due = errors.check("due_on", parse_date, due_on)
        reason = clean_text(reason)
        if not reason:
            errors.add("reason", "value.required")
        errors.check("reason", limit_length, reason, 1000)
        owner = clean_text(owner)
        errors.check("owner", limit_length, owner, 100)
        kind = errors.check("source", parse_choice, FollowUpSource, source)
        errors.raise_if_any()
        with self.db.session() as session:
            household = load_household(session, household_id)
            task = FollowUp(
                household_id=household.id,
                due_on=due,
                owner=owner,
                reason=reason,
                source=str(kind),
                source_id=source_id,
            )
            session.add(task)
            session.flush()
            return task

    @gate(Permission.CASEWORK)
    def complete(
        self, followup_id: uuid.UUID, outcome: str, done_on: date | str | None = None
    ) -> FollowUp:
        """Close a task with what happened; it leaves the queue and stays in the history."""
        errors = FieldErrors()
        outcome = clean_multiline(outcome)  # what happened may take a few lines
        if not outcome:
            errors.add("outcome", "value.required")
        errors.check("outcome", limit_length, outcome, 2000)
        day = errors.check("done_on", parse_date, done_on or date.today())
        if day is not None:
            errors.check("done_on", check_not_future, day)
        errors.raise_if_any()
        with self.db.session() as session:
            task = session.get(FollowUp, followup_id)
            if task is None or task.deleted_at is not None:
                raise NotFound("followup.not_found")
            if task.status == FollowUpStatus.DONE:
                raise EvacError("followup.already_done")
            task.status = FollowUpStatus.DONE
            task.done_on = day
            task.outcome = outcome
            return task

    @gate(Permission.CASEWORK)
    def queue_from_risk(
        self, today: date | None = None, settings: RiskSettings | None = None
    ) -> int:
        """A task for every high-risk household that has no open task yet; returns how many."""
        today = today or date.today()
        rows = [
            r
            for r in load_caseload(self.db, today=today, settings=settings)
            if r.risk.level == RiskLevel.HIGH and r.status == HouseholdStatus.ACTIVE
        ]
        if not rows:
            return 0
        with self.db.session() as session:
            busy = set(
                session.scalars(
                    select(FollowUp.household_id).where(
                        FollowUp.status == FollowUpStatus.OPEN, FollowUp.deleted_at.is_(None)
                    )
                )
            )
            created = 0
            for row in rows:
                if row.id in busy:
                    continue
                session.add(
                    FollowUp(
                        household_id=row.id,
                        due_on=today + timedelta(days=RULE_FOLLOW_UP_DAYS),
                        reason="／".join(row.risk.reasons),
                        source=FollowUpSource.RULE,
                    )
                )
                created += 1
        return created
