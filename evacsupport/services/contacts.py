"""Visits, calls and wellbeing check-ins: the contacts that keep a household from drifting away.

Check-in scores are computed here from the answers, never typed; a visit with a follow-up date,
and a check-in above a cut-off, put a task in the follow-up queue in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from evacsupport.db.engine import Database
from evacsupport.db.models import CheckIn, FollowUp, Member, Visit
from evacsupport.domain import instruments
from evacsupport.domain.codes import FollowUpSource, Referral, VisitKind, parse_choice
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_multiline, clean_text, parse_int
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import check_not_future, parse_date
from evacsupport.errors import FieldErrors, NotFound
from evacsupport.i18n import current_language
from evacsupport.services.authz import gate
from evacsupport.services.households import load_household
from evacsupport.services.risk import RiskSettings

CHECKIN_FOLLOW_UP_DAYS = 3
CONDITIONS = ("good", "fair", "poor")


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


@dataclass
class VisitInput:
    visited_on: date | str
    kind: str = VisitKind.HOME
    staff: str = ""
    duration_minutes: int | str | None = None
    summary: str = ""
    concerns: str = ""
    referral: str = ""
    follow_up_due: date | str | None = None
    member_id: uuid.UUID | None = None


@dataclass
class CheckInInput:
    member_id: uuid.UUID
    checked_on: date | str
    staff: str = ""
    loneliness: Sequence[int | str] = ()  # one answer, or none
    ucla3: Sequence[int | str] = ()  # three answers, or none
    k6: Sequence[int | str] = ()  # six answers, or none
    sleep: str = ""
    appetite: str = ""
    health_worries: str = ""
    note: str = ""


@dataclass(frozen=True)
class CheckInResult:
    checkin_id: uuid.UUID
    loneliness: int | None
    ucla3: int | None
    k6: int | None
    k6_band: str | None
    alerts: list[str] = field(default_factory=list)
    follow_up_id: uuid.UUID | None = None


def _day(errors: FieldErrors, name: str, value: date | str | None, today: date) -> date | None:
    day = errors.check(name, parse_date, value)
    if day is not None:
        errors.check(name, check_not_future, day, today)
    return day


def _text(
    errors: FieldErrors, name: str, value: str, *, multiline: bool, maximum: int = 2000
) -> str:
    """Free text as stored: a multi-line box keeps its line breaks, a one-line box does not."""
    text = clean_multiline(value) if multiline else clean_text(value)
    errors.check(name, limit_length, text, maximum)
    return text


def _score(
    errors: FieldErrors, name: str, instrument: instruments.Instrument, answers: Sequence[int | str]
) -> tuple[list[int], int | None]:
    if not answers or all(str(a).strip() == "" for a in answers):
        return [], None
    total = errors.check(name, instruments.score, instrument, list(answers))
    if total is None:
        return [], None
    # score() accepted each answer as ASCII digits after NFKC (full-width, ³ ...): store that.
    return [a if isinstance(a, int) else int(clean_text(a)) for a in answers], total


class ContactService:
    def __init__(self, db: Database, risk: RiskSettings | None = None) -> None:
        self.db = db
        self.risk = risk or RiskSettings()

    @gate(Permission.CASEWORK)
    def record_visit(
        self, household_id: uuid.UUID, data: VisitInput, today: date | None = None
    ) -> Visit:
        today = today or date.today()
        errors = FieldErrors()
        visited_on = _day(errors, "visited_on", data.visited_on, today)
        kind = errors.check("kind", parse_choice, VisitKind, data.kind)
        referral = (
            errors.check("referral", parse_choice, Referral, data.referral)
            if clean_text(data.referral)
            else None
        )
        duration = None
        if data.duration_minutes not in (None, ""):
            duration = errors.check(
                "duration_minutes", parse_int, data.duration_minutes, minimum=1, maximum=600
            )
        due = errors.check("follow_up_due", parse_date, data.follow_up_due, allow_empty=True)
        if due is not None and visited_on is not None and due < visited_on:
            errors.add("follow_up_due", "date.order")
        staff = clean_text(data.staff)
        errors.check("staff", limit_length, staff, 100)
        summary = _text(errors, "summary", data.summary, multiline=True)
        concerns = _text(errors, "concerns", data.concerns, multiline=True)
        errors.raise_if_any()
        with self.db.session() as session:
            household = load_household(session, household_id)
            if data.member_id is not None and data.member_id not in {
                m.id for m in household.current_members
            }:
                raise NotFound("member.not_found")
            visit = Visit(
                id=uuid.uuid4(),
                household_id=household.id,
                member_id=data.member_id,
                visited_on=visited_on,
                kind=str(kind),
                staff=staff,
                duration_minutes=duration,
                summary=summary,
                concerns=concerns,
                referral=str(referral) if referral else None,
                follow_up_due=due,
            )
            session.add(visit)
            if due is not None:
                session.add(
                    FollowUp(
                        household_id=household.id,
                        due_on=due,
                        owner=staff,
                        reason=concerns or summary or _t("訪問後の確認", "Check after the visit"),
                        source=FollowUpSource.VISIT,
                        source_id=visit.id,
                    )
                )
            return visit

    @gate(Permission.CASEWORK)
    def record_checkin(
        self, household_id: uuid.UUID, data: CheckInInput, today: date | None = None
    ) -> CheckInResult:
        today = today or date.today()
        errors = FieldErrors()
        checked_on = _day(errors, "checked_on", data.checked_on, today)
        lonely_answers, lonely = _score(
            errors, "loneliness", instruments.LONELINESS_DIRECT, data.loneliness
        )
        ucla_answers, ucla = _score(errors, "ucla3", instruments.UCLA3, data.ucla3)
        k6_answers, k6 = _score(errors, "k6", instruments.K6, data.k6)
        if (
            lonely is None
            and ucla is None
            and k6 is None
            and not errors.errors
            and not clean_text(data.note)
            and not clean_text(data.health_worries)
        ):
            errors.add("k6", "checkin.empty")
        for name in ("sleep", "appetite"):
            value = getattr(data, name)
            if value and value not in CONDITIONS:
                errors.add(name, "value.choice", value=value)
        staff = clean_text(data.staff)
        errors.check("staff", limit_length, staff, 100)
        worries = _text(errors, "health_worries", data.health_worries, multiline=False)
        note = _text(errors, "note", data.note, multiline=True)
        errors.raise_if_any()
        s = self.risk
        # The same cut-offs and words as the check-in form's bands and the household list.
        cutoffs = s.cutoffs()
        lang = current_language()
        alerts = [
            cutoffs.describe(instrument, result, lang)
            for instrument, result in (
                (instruments.K6, k6),
                (instruments.LONELINESS_DIRECT, lonely),
                (instruments.UCLA3, ucla),
            )
            if result is not None and cutoffs.flagged(instrument, result)
        ]
        with self.db.session() as session:
            household = load_household(session, household_id)
            member = session.get(Member, data.member_id)
            if member is None or member.household_id != household.id or member.deleted_at:
                raise NotFound("member.not_found")
            checkin = CheckIn(
                id=uuid.uuid4(),
                household_id=household.id,
                member_id=member.id,
                checked_on=checked_on,
                staff=staff,
                answers={
                    k: v
                    for k, v in (
                        ("loneliness", lonely_answers),
                        ("ucla3", ucla_answers),
                        ("k6", k6_answers),
                    )
                    if v
                },
                loneliness=lonely,
                ucla3_score=ucla,
                k6_score=k6,
                sleep=data.sleep,
                appetite=data.appetite,
                health_worries=worries,
                note=note,
            )
            session.add(checkin)
            follow_up_id = None
            if alerts:
                follow_up = FollowUp(
                    id=uuid.uuid4(),
                    household_id=household.id,
                    due_on=(checked_on or today) + timedelta(days=CHECKIN_FOLLOW_UP_DAYS),
                    owner=staff,
                    reason=_t(
                        f"チェックイン（{member.full_name}）：", f"Check-in ({member.full_name}): "
                    )
                    + "、".join(alerts),
                    source=FollowUpSource.CHECKIN,
                    source_id=checkin.id,
                )
                session.add(follow_up)
                follow_up_id = follow_up.id
        return CheckInResult(
            checkin.id,
            lonely,
            ucla,
            k6,
            cutoffs.band(instruments.K6, k6).key if k6 is not None else None,
            alerts,
            follow_up_id,
        )

    @gate(Permission.CASEWORK)
    def member_checkins(self, member_id: uuid.UUID) -> list[CheckIn]:
        """One person's check-ins, oldest first: the score trend."""
        with self.db.read() as session:
            return list(
                session.scalars(
                    select(CheckIn)
                    .where(CheckIn.member_id == member_id, CheckIn.deleted_at.is_(None))
                    .order_by(CheckIn.checked_on, CheckIn.created_at)
                )
            )
