"""What a case summary for a referral or handover may show, decided here and nowhere else.

The household's current consent must be valid on the day and cover the purpose 関係機関への紹介
(referral); otherwise nothing is gathered at all. Within that, each data category is shared only
when the consent names it: medical and disability notes (要配慮個人情報) need the sensitive
category, and the current address and phone numbers need the contact category. What was left
out is recorded on the result, so the report can say so instead of silently leaving gaps.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from evacsupport.db.engine import Database
from evacsupport.db.models import CheckIn, Household, Member
from evacsupport.domain import municipalities
from evacsupport.domain.codes import ConsentPurpose, DataCategory
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError
from evacsupport.services.activity import (
    ActivityService,
    AssignmentEntry,
    FollowUpEntry,
    VisitEntry,
)
from evacsupport.services.authz import gate
from evacsupport.services.consents import allows
from evacsupport.services.households import load_household

RECENT_VISITS = 10


@dataclass(frozen=True)
class ConsentBasis:
    """The consent the summary rests on, printed on it so the recipient knows its limits."""

    consented_on: date
    subject: str
    proxy_name: str
    proxy_relation: str
    method: str
    staff: str
    purposes: tuple[str, ...]
    recipients: tuple[str, ...]
    data_categories: tuple[str, ...]
    expires_on: date | None


@dataclass(frozen=True)
class MemberSummary:
    id: uuid.UUID
    name: str
    kana: str
    birth_date: date | None
    age: int | None
    sex: str
    relation: str
    care_level: str
    needs_wheelchair: bool
    allergens: tuple[str, ...]
    dietary_needs: str
    language: str
    phone: str | None  # None: contact details are not covered by the consent
    medical_notes: str | None  # None: sensitive data is not covered by the consent


@dataclass(frozen=True)
class ResidenceSummary:
    moved_on: date
    evacuation_status: str
    municipality: str
    place: str | None  # None: an address, and contact details are not covered


@dataclass(frozen=True)
class CheckInPoint:
    checked_on: date
    member_id: uuid.UUID
    member: str
    loneliness: int | None
    ucla3: int | None
    k6: int | None


@dataclass(frozen=True)
class CaseReport:
    today: date
    case_number: str
    event_name: str
    status: str
    closed_on: date | None
    registered_on: date
    evacuation_status: str
    origin_municipality: str
    origin_address: str
    current_municipality: str
    current_address: str | None  # None: contact details are not covered by the consent
    postal_code: str | None
    phone: str | None
    consent: ConsentBasis
    includes_contact: bool
    includes_sensitive: bool
    members: tuple[MemberSummary, ...]
    residences: tuple[ResidenceSummary, ...]
    assignments: tuple[AssignmentEntry, ...]
    visits: tuple[VisitEntry, ...]  # the most recent RECENT_VISITS, newest first
    checkins: tuple[CheckInPoint, ...]  # oldest first
    followups: tuple[FollowUpEntry, ...]  # open ones, soonest due first


def _age(birth: date | None, today: date) -> int | None:
    if birth is None:
        return None
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def _municipality(code: str) -> str:
    found = municipalities.get(code)
    return found.name if found else ""


@gate(Permission.PERSONAL_REPORTS)
def load_case_report(
    db: Database,
    household_id: uuid.UUID,
    *,
    today: date | None = None,
    recipient: str | None = None,
) -> CaseReport:
    """Everything the case summary shows, within what the consent allows on ``today``.

    Raises ``EvacError("report.no_consent")`` unless the current consent is valid on ``today``
    and covers referral (and ``recipient``, when one is named); NotFound for an unknown household.
    """
    today = today or date.today()
    with db.read() as session:
        household: Household = load_household(session, household_id)
        consent = household.current_consent
        if consent is None or not allows(
            consent, today, purpose=ConsentPurpose.REFERRAL, recipient=recipient
        ):
            raise EvacError("report.no_consent")
        contact = allows(consent, today, category=DataCategory.CONTACT)
        sensitive = allows(consent, today, category=DataCategory.SENSITIVE)
        members = tuple(
            MemberSummary(
                id=m.id,
                name=m.full_name,
                kana=m.full_kana,
                birth_date=m.birth_date,
                age=_age(m.birth_date, today),
                sex=m.sex,
                relation=m.relation,
                care_level=m.care_level,
                needs_wheelchair=m.needs_wheelchair,
                allergens=tuple(m.allergens),
                dietary_needs=m.dietary_needs,
                language=m.language,
                phone=m.phone if contact else None,
                medical_notes=m.medical_notes if sensitive else None,
            )
            for m in household.current_members
        )
        residences = tuple(
            ResidenceSummary(
                r.moved_on,
                r.evacuation_status,
                _municipality(r.municipality_code),
                r.place if contact else None,
            )
            for r in sorted(
                (r for r in household.residences if r.deleted_at is None),
                key=lambda r: (r.moved_on, r.created_at),
            )
        )
        checkins = tuple(
            CheckInPoint(
                c.checked_on,
                c.member_id,
                f"{family} {given}".strip(),
                c.loneliness,
                c.ucla3_score,
                c.k6_score,
            )
            for c, family, given in session.execute(
                select(CheckIn, Member.family_name, Member.given_name)
                .join(Member, Member.id == CheckIn.member_id)
                .where(CheckIn.household_id == household.id, CheckIn.deleted_at.is_(None))
                .order_by(CheckIn.checked_on, CheckIn.created_at)
            )
        )
        activity = ActivityService(db)
        return CaseReport(
            today=today,
            case_number=household.case_number,
            event_name=household.event.name,
            status=household.status,
            closed_on=household.closed_on,
            registered_on=household.created_at.astimezone().date(),
            evacuation_status=household.evacuation_status,
            origin_municipality=_municipality(household.origin_municipality_code),
            origin_address=household.origin_address,
            current_municipality=_municipality(household.current_municipality_code),
            current_address=household.current_address if contact else None,
            postal_code=household.postal_code if contact else None,
            phone=household.phone if contact else None,
            consent=ConsentBasis(
                consent.consented_on,
                consent.subject,
                consent.proxy_name,
                consent.proxy_relation,
                consent.method,
                consent.staff,
                tuple(consent.purposes),
                tuple(consent.recipients),
                tuple(consent.data_categories),
                consent.expires_on,
            ),
            includes_contact=contact,
            includes_sensitive=sensitive,
            members=members,
            residences=residences,
            assignments=tuple(activity.assignments(household_id)),
            visits=tuple(activity.visits(household_id, limit=RECENT_VISITS)),
            checkins=checkins,
            followups=tuple(activity.followups(household_id, open_only=True)),
        )
