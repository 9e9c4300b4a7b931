"""Erasure on request and the retention purge: personal data goes, the counts stay.

An administrator (``Permission.ERASE``) may erase one household when the person asks, or purge
every household closed longer than the retention period. Both do the same thing, in one
transaction per household:

* **Removed** (emptied, or set to None): members' names and furigana (the family name becomes
  「（消去済み）」 so lists still show a row), birth dates, phones, allergens, dietary needs and
  medical notes; the household's addresses, postal code, coordinates, phone, notes and its number
  in the source list; consent notes and the proxy's name and relation; the places and notes of
  the residence history; visit summaries and concerns; check-in answers, sleep, appetite, health
  worries and notes; follow-up reasons (「（消去済み）」) and outcomes; assignment reasons; meal
  notes.
* **Kept** (what the aggregates of :mod:`evacsupport.services.reporting` count, and nothing that
  names a person): ids, the case number, the disaster, origin and current municipality codes,
  evacuation status, registration and closing dates, the members (not deleted, so people counts
  hold) with sex, relation, care level, wheelchair and language; meal dates, types, counts and
  the members served; visit dates, kinds, staff and referrals; check-in dates and the three scores
  (K6, UCLA-3, loneliness); follow-up dates and status; consent dates, purposes, recipients and
  categories.
* The household is closed (``closed_on`` today unless it was already closed), its active venue
  assignment ends, and its current consent is withdrawn today, so no export, case summary or
  venue package includes it again.

The monthly figures of any month before the erasure are unchanged, with one exception that comes
from :func:`evacsupport.services.caseload.load_caseload`: the risk split of a past month uses
today's status, so a household that was active then counts as "no signal" once it is closed.

Earlier traces of the personal values are scrubbed too: audit entries about the household's
records (their old and new values of personal fields become 「（消去済み）」), open or settled
sync conflicts on those fields, and this laptop's sync change log (old values replaced by the
erased ones, stamps untouched). The audit chain vouches for the scrubbed entries through one
``audit_scrub`` entry holding their new digests (:mod:`evacsupport.db.audit_chain`), so
``check`` tells the scrub from a tamper. The erasure itself is an ordinary save, so sync
carries it to the other laptops; their own logs of earlier values are theirs to purge. The
audit entry of the erasure holds the reason code only.
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any, cast

from sqlalchemy import Table, select, update
from sqlalchemy.orm import Session, selectinload

from evacsupport.db import audit_chain
from evacsupport.db.base import RecordMixin
from evacsupport.db.engine import Database
from evacsupport.db.models import (
    AuditEntry,
    CheckIn,
    FollowUp,
    Household,
    MealLog,
    SyncChange,
    SyncConflict,
    Visit,
)
from evacsupport.domain.codes import AssignmentStatus, HouseholdStatus
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, InvalidValue, NotFound
from evacsupport.i18n import current_language
from evacsupport.services import audit
from evacsupport.services.authz import gate
from evacsupport.services.households import build_search_text

ERASED = "（消去済み）"
CHUNK = 500

REASONS: dict[str, tuple[str, str]] = {
    "request": ("本人・代理人の申し出", "Request by the person or a proxy"),
    "retention": ("保存期間の経過", "Retention period over"),
    "other": ("その他", "Other"),
}
"""Why a household was erased: the code is all the audit entry keeps (never free text)."""

# What erasure writes into each personal field, by entity (the sync and audit entity names).
ERASED_VALUES: dict[str, dict[str, Any]] = {
    "household": {
        "origin_address": "",
        "current_address": "",
        "postal_code": "",
        "latitude": None,
        "longitude": None,
        "phone": "",
        "notes": "",
        "source_ref": "",
        "search_text": "",
    },
    "member": {
        "family_name": ERASED,
        "given_name": "",
        "family_kana": "",
        "given_kana": "",
        "birth_date": None,
        "allergens": [],
        "dietary_needs": "",
        "medical_notes": "",
        "phone": "",
    },
    "consent": {"proxy_name": "", "proxy_relation": "", "notes": ""},
    "residence": {"place": "", "notes": ""},
    "visit": {"summary": "", "concerns": ""},
    "checkin": {"answers": {}, "sleep": "", "appetite": "", "health_worries": "", "note": ""},
    "followup": {"reason": ERASED, "outcome": ""},
    "assignment": {"reason": "", "end_reason": ""},
    "meal_log": {"note": "", "override_note": ""},
}
_ALL_PERSONAL = frozenset(name for fields in ERASED_VALUES.values() for name in fields)


def leftovers(obj: Any, entity: str) -> list[str]:
    """The personal fields of an erased record that no longer hold what erasure wrote.

    Erasure leaves its values behind as the marker (a member's family name becomes
    :data:`ERASED`, the rest empty), so ``evacsupport check`` can tell an erased record from a
    broken one: empty furigana is the erasure's own doing, a furigana back in an erased record
    (an older edit merged from another laptop, a hand edit) is personal data that should have
    gone. ``search_text`` is derived, and checked apart.
    """
    return [
        name
        for name, value in ERASED_VALUES[entity].items()
        if name != "search_text" and getattr(obj, name) != value
    ]


@dataclass(frozen=True)
class ErasureResult:
    household_id: uuid.UUID
    case_number: str
    members: int  # member records emptied (all kept, so counts of people hold)
    records: int  # records of the household changed in all (household and members included)
    audit_scrubbed: int  # earlier audit entries whose personal values were replaced


@dataclass(frozen=True)
class PurgeCandidate:
    household_id: uuid.UUID
    case_number: str
    closed_on: date


def reason_label(code: str) -> str:
    ja, en = REASONS[code]
    return ja if current_language() == "ja" else en


def parse_reason(value: str) -> str:
    """A reason code, from the code or either label; anything else is refused (no free text)."""
    text = unicodedata.normalize("NFKC", value or "").strip()
    for code, labels in REASONS.items():
        if text.lower() == code or text in (unicodedata.normalize("NFKC", s) for s in labels):
            return code
    raise InvalidValue("erase.reason", value=text, choices="、".join(REASONS))


def _chunks(ids: list[uuid.UUID]) -> list[list[uuid.UUID]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def _blank(obj: Any, entity: str) -> bool:
    """Set the erased values on one record; True when anything changed."""
    changed = False
    for name, value in ERASED_VALUES[entity].items():
        if name == "search_text":
            continue
        current = getattr(obj, name)
        if current != value:
            setattr(obj, name, type(value)() if isinstance(value, list | dict) else value)
            changed = True
    return changed


def _scrubbed(value: Any) -> Any:
    """An audit value with every leaf replaced by the erased marker (None stays None)."""
    if isinstance(value, dict):
        return {k: _scrubbed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrubbed(v) for v in value]
    return None if value is None else ERASED


def _scrub_audit(session: Session, entities: dict[uuid.UUID, str]) -> dict[uuid.UUID, str]:
    """Replace the personal values in earlier entries about these records; the digest of each
    scrubbed entry's new changes, by entry id (for the scrub entry that vouches for them)."""
    scrubbed: dict[uuid.UUID, str] = {}
    for ids in _chunks(list(entities)):
        for entry in session.scalars(select(AuditEntry).where(AuditEntry.entity_id.in_(ids))):
            assert entry.entity_id is not None
            personal = ERASED_VALUES.get(entry.entity or entities[entry.entity_id])
            names = set(personal) if personal is not None else _ALL_PERSONAL
            changes = dict(entry.changes or {})
            hit = [k for k in changes if k in names]
            if hit:
                for key in hit:
                    changes[key] = _scrubbed(changes[key])
                entry.changes = changes
                scrubbed[entry.id] = audit_chain.digest_of(changes)
    return scrubbed


def _scrub_sync(session: Session, entities: dict[uuid.UUID, str]) -> None:
    """Old values in this laptop's change log and conflicts: replaced by the erased ones."""
    from evacsupport.sync.codec import encode

    changes = cast(Table, SyncChange.__table__)
    conflicts = cast(Table, SyncConflict.__table__)
    conn = session.connection()
    for ids in _chunks(list(entities)):
        rows = conn.execute(
            select(changes.c.seq, changes.c.entity, changes.c.data).where(changes.c.row_id.in_(ids))
        ).all()
        for seq, entity, data in rows:
            erased = ERASED_VALUES.get(entity, {})
            if not isinstance(data, dict) or not any(k in erased for k in data):
                continue
            new = {k: (encode(erased[k]) if k in erased else v) for k, v in data.items()}
            if new != data:
                conn.execute(update(changes).where(changes.c.seq == seq).values(data=new))
        for conflict_id, entity, name in conn.execute(
            select(conflicts.c.id, conflicts.c.entity, conflicts.c.field).where(
                conflicts.c.row_id.in_(ids)
            )
        ).all():
            if name in ERASED_VALUES.get(entity, {}):
                conn.execute(
                    update(conflicts)
                    .where(conflicts.c.id == conflict_id)
                    .values(mine=ERASED, theirs=ERASED)
                )


def erase_in(session: Session, household: Household, reason: str, today: date) -> ErasureResult:
    """Erase within an open unit of work (the purge erases several in one)."""
    records = 0
    entities: dict[uuid.UUID, str] = {household.id: "household"}
    if _blank(household, "household"):
        records += 1
    if household.status != HouseholdStatus.CLOSED or household.closed_on is None:
        household.status = HouseholdStatus.CLOSED
        household.closed_on = household.closed_on or today
    for member in household.members:
        entities[member.id] = "member"
        if _blank(member, "member"):
            records += 1
    current = household.current_consent
    for consent in household.consents:
        entities[consent.id] = "consent"
        changed = _blank(consent, "consent")
        if consent is current and consent.withdrawn_on is None:
            consent.withdrawn_on = max(today, consent.consented_on)
            changed = True
        records += changed
    for residence in household.residences:
        entities[residence.id] = "residence"
        records += _blank(residence, "residence")
    for assignment in household.assignments:
        entities[assignment.id] = "assignment"
        changed = _blank(assignment, "assignment")
        if assignment.status == AssignmentStatus.ACTIVE and assignment.deleted_at is None:
            assignment.status = AssignmentStatus.ENDED
            assignment.end_on = max(today, assignment.start_on)
            changed = True
        records += changed
    models: tuple[tuple[type[Visit | CheckIn | FollowUp | MealLog], str], ...] = (
        (Visit, "visit"),
        (CheckIn, "checkin"),
        (FollowUp, "followup"),
        (MealLog, "meal_log"),
    )
    for model, entity in models:
        query = select(model).where(model.household_id == household.id)
        for row in cast(list[RecordMixin], session.scalars(query).all()):
            entities[row.id] = entity
            records += _blank(row, entity)
    household.search_text = build_search_text(household)
    session.flush()  # the erasure is captured for sync here, with the erased values
    scrubbed = _scrub_audit(session, entities)
    _scrub_sync(session, entities)
    if scrubbed:
        # chained like any entry, so check tells these replaced values from a tamper
        audit.record(
            session,
            audit_chain.SCRUB,
            entity="household",
            entity_id=household.id,
            changes=audit_chain.scrub_changes(scrubbed),
        )
    audit.record(
        session,
        "erase",
        entity="household",
        entity_id=household.id,
        changes={"reason_code": reason},
    )
    return ErasureResult(
        household.id,
        household.case_number,
        sum(1 for e in entities.values() if e == "member"),
        records + 1,
        len(scrubbed),
    )


def _load(session: Session, household_id: uuid.UUID) -> Household:
    household = session.scalar(
        select(Household)
        .where(Household.id == household_id)
        .options(
            selectinload(Household.members),
            selectinload(Household.consents),
            selectinload(Household.residences),
            selectinload(Household.assignments),
        )
    )
    if household is None:
        raise NotFound("household.not_found", value=str(household_id))
    return household


@gate(Permission.ERASE)
def erase_household(
    db: Database, household_id: uuid.UUID, reason: str, *, today: date | None = None
) -> ErasureResult:
    """Erase one household's personal data (see the module docstring); needs ERASE."""
    code = parse_reason(reason)
    with db.session() as session:
        return erase_in(session, _load(session, household_id), code, today or date.today())


def _cutoff(months: int, today: date) -> date:
    """The day ``months`` months before ``today`` (the last day of a shorter month)."""
    if months < 1:
        raise EvacError("erase.months", value=months)
    index = today.year * 12 + today.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@gate(Permission.ERASE)
def purge_candidates(db: Database, months: int, today: date | None = None) -> list[PurgeCandidate]:
    """Households closed more than ``months`` months ago and not yet erased (a dry run)."""
    cutoff = _cutoff(months, today or date.today())
    erased_ids = select(AuditEntry.entity_id).where(
        AuditEntry.action == "erase",
        AuditEntry.entity == "household",
        AuditEntry.entity_id.is_not(None),
    )
    with db.read() as session:
        return [
            PurgeCandidate(hid, case_number, closed_on)
            for hid, case_number, closed_on in session.execute(
                select(Household.id, Household.case_number, Household.closed_on)
                .where(
                    Household.status == HouseholdStatus.CLOSED,
                    Household.closed_on.is_not(None),
                    Household.closed_on < cutoff,
                    Household.id.not_in(erased_ids),
                )
                .order_by(Household.closed_on, Household.case_number)
            )
            if closed_on is not None
        ]


@gate(Permission.ERASE)
def purge_closed(db: Database, months: int, today: date | None = None) -> list[str]:
    """Erase every household closed more than ``months`` months ago; their case numbers."""
    today = today or date.today()
    done: list[str] = []
    for candidate in purge_candidates(db, months, today):
        with db.session() as session:
            erase_in(session, _load(session, candidate.household_id), "retention", today)
        done.append(candidate.case_number)
    return done
