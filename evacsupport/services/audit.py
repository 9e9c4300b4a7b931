"""The audit trail: who did what, when, to which record, with old and new values.

Record changes are written by the flush hook in :mod:`evacsupport.db.audit_hook`; actions that
change no record (an export, a report, a login) call :func:`record` in the same transaction as
the work they describe, so a rolled-back action leaves no entry.

Administrators read the trail with :func:`search` (filtered, newest first, a page at a time),
write it out with :func:`export_csv` and have its hash chain verified with :func:`verify_chain`
(:mod:`evacsupport.db.audit_chain`); all are refused to other roles (``Permission.AUDIT``).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Select, Text, and_, cast, func, or_, select
from sqlalchemy.orm import Session, aliased

from evacsupport.db import audit_chain, audit_hook
from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.models import AuditEntry, Household, Member, SyncState, Venue
from evacsupport.domain.roles import Permission
from evacsupport.i18n import CATALOG, message
from evacsupport.services.authz import gate

ACTIONS = (
    "create",
    "update",
    "delete",
    "login",
    "login_failed",
    "export",
    "report",
    "import",
    "sync_import",
    "sync_export",
    "sync_resolve",
    "erase",
    "audit_scrub",
    "restore",
    "backup",
    "encrypt",
    "rekey",
)
ENTITIES = (
    "household",
    "member",
    "consent",
    "residence",
    "assignment",
    "visit",
    "checkin",
    "followup",
    "meal_log",
    "venue",
    "disaster_event",
    "app_user",
)
CSV_HEADERS = ("日時", "利用者", "操作", "対象", "記録", "変更内容")
PAGE = 200


def record(
    session: Session,
    action: str,
    *,
    entity: str = "",
    entity_id: uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
    username: str | None = None,
) -> None:
    """One entry, chained and inserted at once; ``username`` defaults to whoever the session
    saves as (``Database.actor``)."""
    who = username if username is not None else session.info.get("actor", "")
    row = audit_hook.entry(who, action, entity, entity_id, changes or {}, utcnow())
    audit_chain.append(session.connection(), [row])


# --- the chain ------------------------------------------------------------------------------


def origin_label(origin: uuid.UUID | None) -> str:
    """A chain's short name in messages: the first characters of its site id."""
    return str(origin)[:8] if origin is not None else "-"


def break_text(chain: audit_chain.ChainResult) -> str:
    """The first broken link of ``chain``, in the user's language."""
    assert chain.broken is not None
    kind, seq = chain.broken.kind, chain.broken.seq
    return message(f"check.audit_{kind}", seq=seq, origin=origin_label(chain.origin))


def problems(found: audit_chain.Verification) -> list[str]:
    """One line per broken chain (its first broken link), and one for entries outside any."""
    lines = [break_text(c) for c in found.chains if c.broken is not None]
    if found.loose:
        lines.append(message("check.audit_loose", count=found.loose))
    return lines


@dataclass(frozen=True)
class ChainStatus:
    ok: bool
    verified_upto: int  # entries of this database's own chain that hold, from the first
    text: str  # 検証済み：N件目まで, or the first broken link


def chain_status(found: audit_chain.Verification, local: uuid.UUID | None) -> ChainStatus:
    own = next((c for c in found.chains if c.origin == local), None)
    upto = own.verified if own is not None else 0
    lines = problems(found)
    if lines:
        return ChainStatus(False, upto, message("audit.broken", detail=lines[0]))
    others = [c for c in found.chains if c.origin != local and c.verified]
    if others:
        text = message(
            "audit.verified_more",
            seq=upto,
            chains=len(others),
            count=sum(c.verified for c in others),
        )
    else:
        text = message("audit.verified", seq=upto)
    return ChainStatus(True, upto, text)


@gate(Permission.AUDIT)
def verify_chain(db: Database) -> ChainStatus:
    """Verify every chain of the trail (reads it whole: call it off the UI thread)."""
    with db.read() as session:
        conn = session.connection()
        found = audit_chain.verify(conn)
        local = conn.scalar(select(SyncState.site_id))
    return chain_status(found, local)


# --- reading ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditQuery:
    """Filters; empty ones match everything. Dates are local days, both ends included."""

    user: str = ""
    action: str = ""
    entity: str = ""
    entity_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    text: str = ""  # in the user, the record (case number, venue) or the changed values


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    old: str
    new: str
    paired: bool  # an old → new change (False: a detail of an action, e.g. the file written)


@dataclass(frozen=True)
class AuditRow:
    id: uuid.UUID
    at: datetime
    username: str
    action: str
    entity: str
    entity_id: uuid.UUID | None
    record: str  # the case number (household, member) or venue name; "" for others
    changes: dict[str, Any] = field(default_factory=dict)

    @property
    def action_label(self) -> str:
        return action_label(self.action)

    @property
    def entity_label(self) -> str:
        return entity_label(self.entity)

    def field_changes(self) -> list[FieldChange]:
        return field_changes(self.changes)

    def summary(self) -> str:
        return summarize(self.changes)


def action_label(action: str) -> str:
    return message(f"audit.action.{action}") if f"audit.action.{action}" in CATALOG else action


def entity_label(entity: str) -> str:
    if not entity:
        return ""
    return message(f"audit.entity.{entity}") if f"audit.entity.{entity}" in CATALOG else entity


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "、".join(_text(v) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{k}={_text(v)}" for k, v in value.items())
    return str(value)


def field_changes(changes: dict[str, Any]) -> list[FieldChange]:
    """Each field's old and new value as text, labelled in the user's language where known."""
    out = []
    for name, value in changes.items():
        if name == "digests":  # a scrub entry's hashes: for ``check``, not for reading
            continue
        label = message(f"field.{name}") if f"field.{name}" in CATALOG else name
        if isinstance(value, list) and len(value) == 2:
            out.append(FieldChange(name, label, _text(value[0]), _text(value[1]), True))
        else:
            out.append(FieldChange(name, label, "", _text(value), False))
    return out


def summarize(changes: dict[str, Any]) -> str:
    parts = []
    for c in field_changes(changes):
        if c.paired and c.old:
            parts.append(f"{c.label}: {c.old} → {c.new}")
        else:
            parts.append(f"{c.label}: {c.new}")
    return "; ".join(parts)


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time.min).astimezone()  # local midnight, as an aware time


def _like(text: str) -> str:
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def _select(query: AuditQuery) -> Select[Any]:
    """Entries with their record label, by outer joins (one query, whatever the page size)."""
    entry = AuditEntry
    household = aliased(Household)
    member = aliased(Member)
    member_household = aliased(Household)
    venue = aliased(Venue)
    label = func.coalesce(household.case_number, member_household.case_number, venue.name, "")
    stmt = (
        select(
            entry.id,
            entry.at,
            entry.username,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.changes,
            label.label("record"),
        )
        .outerjoin(household, and_(entry.entity == "household", household.id == entry.entity_id))
        .outerjoin(member, and_(entry.entity == "member", member.id == entry.entity_id))
        .outerjoin(member_household, member_household.id == member.household_id)
        .outerjoin(venue, and_(entry.entity == "venue", venue.id == entry.entity_id))
    )
    if query.user:
        stmt = stmt.where(entry.username == query.user)
    if query.action:
        stmt = stmt.where(entry.action == query.action)
    if query.entity:
        stmt = stmt.where(entry.entity == query.entity)
    if query.entity_id is not None:
        stmt = stmt.where(entry.entity_id == query.entity_id)
    if query.date_from is not None:
        stmt = stmt.where(entry.at >= _day_start(query.date_from))
    if query.date_to is not None:
        stmt = stmt.where(entry.at < _day_start(query.date_to + timedelta(days=1)))
    text = query.text.strip()
    if text:
        # JSON is stored with non-ASCII escaped (\uXXXX) by the default serializer, so the
        # changed values are matched both as typed and in that form.
        escaped = _like(text[:200])
        json_escaped = _like(json.dumps(text[:200])[1:-1])
        changes = cast(entry.changes, Text)
        stmt = stmt.where(
            or_(
                entry.username.ilike(escaped, escape="!"),
                label.ilike(escaped, escape="!"),
                changes.ilike(escaped, escape="!"),
                changes.ilike(json_escaped, escape="!"),
            )
        )
    return stmt.order_by(entry.at.desc(), entry.id.desc())


def _row(found: Any) -> AuditRow:
    return AuditRow(
        found.id,
        found.at,
        found.username,
        found.action,
        found.entity,
        found.entity_id,
        found.record or "",
        found.changes or {},
    )


@gate(Permission.AUDIT)
def search(
    db: Database, query: AuditQuery | None = None, limit: int = PAGE, offset: int = 0
) -> list[AuditRow]:
    """One page of matching entries, newest first."""
    stmt = _select(query or AuditQuery()).limit(limit).offset(offset)
    with db.read() as session:
        return [_row(found) for found in session.execute(stmt)]


@gate(Permission.AUDIT)
def users(db: Database) -> list[str]:
    """Everyone who appears in the trail (for the user filter)."""
    with db.read() as session:
        found = session.scalars(
            select(AuditEntry.username).where(AuditEntry.username != "").distinct()
        )
        return sorted(found)


def _local(at: datetime) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _all(session: Session, query: AuditQuery) -> Iterator[AuditRow]:
    for found in session.execute(_select(query).execution_options(yield_per=1000)):
        yield _row(found)


@gate(Permission.AUDIT)
def export_csv(db: Database, query: AuditQuery | None, path: str | Path) -> int:
    """Write the matching entries (newest first) to a CSV for Excel; returns the rows written.

    UTF-8 with BOM, Japanese headers; the file appears under its name only when complete. The
    export itself is audited."""
    from evacsupport.exporters.writers import Column, open_sheet  # exporters import services

    query = query or AuditQuery()
    target = Path(path)
    columns = [Column(h, 20) for h in CSV_HEADERS]
    rows = 0
    with db.read() as session, open_sheet(target, "csv", columns, "監査ログ") as sheet:
        for row in _all(session, query):
            sheet.write(
                [
                    _local(row.at),
                    row.username,
                    row.action_label,
                    row.entity_label,
                    row.record,
                    row.summary(),
                ]
            )
            rows += 1
    params = {
        k: (v.isoformat() if isinstance(v, date) else str(v))
        for k, v in asdict(query).items()
        if v not in (None, "")
    }
    with db.session() as session:
        record(
            session,
            "export",
            entity="audit_entry",
            changes={"kind": "audit", "file": target.name, "rows": rows, **params},
        )
    return rows
