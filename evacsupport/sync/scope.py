"""What a venue laptop receives: only what its counter and roster need, nothing more.

A venue-scoped package is a snapshot of the venue, its active assignments, those households'
case numbers and their members' names, birth dates (child or adult at the counter), allergens and
dietary needs, plus the venue's meals of the last two weeks (so a second serving on the same day
is noticed). Never visits, check-ins, consent, addresses, phones or notes.

A household is in the package only while its current consent covers 居場所への紹介
(``ConsentPurpose.VENUE_CONNECTION``) with 利用する会場 (``ConsentRecipient.ASSIGNED_VENUE``) as
recipient, the same consent assigning needs; once it is withdrawn or expires, the household, its
assignment and its meals drop out, and the venue laptop forgets it as it forgets anyone leaving.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, select, true

from evacsupport.db.models import Assignment, Consent, Household, MealLog, Member, User
from evacsupport.domain.codes import ConsentPurpose, ConsentRecipient, Role
from evacsupport.services.consents import allows
from evacsupport.sync.capture import current_stamps
from evacsupport.sync.codec import encode, synced_columns, table

RECENT_MEAL_DAYS = 14

FIELDS: dict[str, tuple[str, ...] | None] = {
    "disaster_event": None,  # None: every synced column (nothing personal in these)
    "venue": None,
    # The venue's own staff accounts (scrypt hashes, inside the sealed package), so the venue
    # laptop asks them to sign in; switching an account off at the office reaches it too.
    "app_user": (
        "username",
        "display_name",
        "role",
        "password_hash",
        "venue_id",
        "active",
        "created_at",
        "deleted_at",
    ),
    "household": ("event_id", "case_number", "status", "closed_on", "created_at", "deleted_at"),
    "member": (
        "household_id",
        "position",
        "family_name",
        "given_name",
        "family_kana",
        "given_kana",
        "birth_date",
        "relation",
        "allergens",
        "dietary_needs",
        "created_at",
        "deleted_at",
    ),
    "assignment": (
        "household_id",
        "venue_id",
        "start_on",
        "end_on",
        "status",
        "created_at",
        "deleted_at",
    ),
    "meal_log": (
        "venue_id",
        "household_id",
        "served_on",
        "served_at",
        "meal_type",
        "adults",
        "children",
        "guests",
        "member_ids",
        "staff",
        "dedup_key",
        "created_at",
        "deleted_at",
    ),
}
"""Entities a venue laptop holds, and their columns; anything else never leaves the office."""


def fields(entity: str) -> list[str]:
    chosen = FIELDS[entity]
    names = [c.name for c in synced_columns(entity)]
    return names if chosen is None else [n for n in names if n in chosen]


def _rows(conn: Connection, entity: str, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    t = table(entity)
    names = fields(entity)
    found: list[dict[str, Any]] = []
    for start in range(0, len(ids), 500):
        query = select(t.c.id, *(t.c[n] for n in names)).where(t.c.id.in_(ids[start : start + 500]))
        found += [dict(row._mapping) for row in conn.execute(query)]
    return found


def _consenting(conn: Connection, households: list[uuid.UUID], today: date) -> set[uuid.UUID]:
    """Those households whose current consent lets the assigned venue have their data today."""
    current: dict[uuid.UUID, Any] = {}
    for start in range(0, len(households), 500):
        for row in conn.execute(
            select(
                Consent.household_id,
                Consent.consented_on,
                Consent.expires_on,
                Consent.withdrawn_on,
                Consent.purposes,
                Consent.recipients,
                Consent.data_categories,
            )
            .where(
                Consent.household_id.in_(households[start : start + 500]),
                Consent.deleted_at.is_(None),
            )
            .order_by(Consent.household_id, Consent.consented_on, Consent.created_at)
        ):
            current[row.household_id] = row  # the newest wins, as Household.current_consent
    return {
        hid
        for hid, consent in current.items()
        if allows(
            consent,
            today,
            purpose=ConsentPurpose.VENUE_CONNECTION,
            recipient=ConsentRecipient.ASSIGNED_VENUE,
        )
    }


def snapshot(
    conn: Connection, venue_id: uuid.UUID, today: date
) -> tuple[list[dict[str, Any]], dict[str, list[str]]]:
    """State entries (values with per-field stamps) for the venue, and the ids in scope."""
    assigned = conn.execute(
        select(Assignment.id, Assignment.household_id).where(
            Assignment.venue_id == venue_id,
            Assignment.status == "active",
            Assignment.deleted_at.is_(None),
        )
    ).all()
    sharing = _consenting(conn, list({hid for _, hid in assigned}), today)
    assignments = [aid for aid, hid in assigned if hid in sharing]
    households = sorted(sharing)
    left_out = {hid for _, hid in assigned} - sharing
    members = list(conn.scalars(select(Member.id).where(Member.household_id.in_(households))))
    events = list(
        conn.scalars(select(Household.event_id).where(Household.id.in_(households)).distinct())
    )
    meals = list(
        conn.scalars(
            select(MealLog.id).where(
                MealLog.venue_id == venue_id,
                MealLog.served_on >= today - timedelta(days=RECENT_MEAL_DAYS),
                MealLog.household_id.is_(None) | MealLog.household_id.not_in(left_out)
                if left_out
                else true(),
            )
        )
    )
    # Venue staff of the venue only, disabled ones too (so disabling reaches the venue laptop).
    staff = list(
        conn.scalars(
            select(User.id).where(User.venue_id == venue_id, User.role == Role.VENUE_STAFF)
        )
    )
    plan: list[tuple[str, list[uuid.UUID]]] = [
        ("disaster_event", events),
        ("venue", [venue_id]),
        ("app_user", staff),
        ("household", households),
        ("member", members),
        ("assignment", assignments),
        ("meal_log", meals),
    ]
    entries: list[dict[str, Any]] = []
    for entity, ids in plan:
        stamps = current_stamps(conn, entity, ids)
        for row in _rows(conn, entity, ids):
            row_id = row.pop("id")
            known = stamps.get(row_id, {})
            entries.append(
                {
                    "id": str(uuid.uuid4()),
                    "entity": entity,
                    "row": str(row_id),
                    "op": "state",
                    "data": {k: encode(v) for k, v in row.items()},
                    "stamps": {k: list(known.get(k, (0, ""))) for k in row},
                }
            )
    in_scope = {
        "household": [str(i) for i in households],
        "member": [str(i) for i in members],
        "assignment": [str(i) for i in assignments],
    }
    return entries, in_scope
