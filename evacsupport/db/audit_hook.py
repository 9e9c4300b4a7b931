"""Every record saved through the ORM leaves an audit entry: who, when, which record, and each
changed field's old and new value. Captured from the flush (like the sync log in
:mod:`evacsupport.sync.capture`), so no service has to remember to write one. Entries are
chained (:mod:`evacsupport.db.audit_chain`) as they are inserted.

Bulk Core inserts (the importers, through ``capture.insert_logged``) are not seen by the flush;
:func:`bulk_entries` makes the same creation entries for their rows, one per record, written in
the same transaction beside the importer's summary entry. Merging a sync package
(``capture.APPLYING``) writes its own per-record entries (``sync.merge``) and a ``sync_import``
summary.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any, cast

from sqlalchemy import Table, event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from evacsupport.db import audit_chain
from evacsupport.db.base import RecordMixin, utcnow
from evacsupport.db.models import AuditEntry
from evacsupport.sync.capture import APPLYING
from evacsupport.sync.codec import encode

AUDIT = cast(Table, AuditEntry.__table__)

# Bookkeeping that changes on every save and says nothing about what the user changed.
SKIPPED = frozenset({"id", "version", "created_at", "updated_at", "updated_by", "search_text"})
MASKED = frozenset({"password_hash"})
MASK = "***"


def _value(field: str, value: Any) -> Any:
    if field in MASKED and value:
        return MASK
    return encode(value)


def _fields(obj: RecordMixin) -> list[tuple[str, str]]:
    """(attribute key, column name) of the audited columns of ``obj``'s class."""
    mapper = inspect(type(obj))
    return [
        (attr.key, attr.columns[0].name)
        for attr in mapper.column_attrs
        if attr.columns[0].name not in SKIPPED
    ]


def _created(obj: RecordMixin) -> dict[str, list[Any]]:
    values = inspect(obj).dict
    out: dict[str, list[Any]] = {}
    for key, name in _fields(obj):
        value = values.get(key)
        if value is None or value == "" or value == []:
            continue  # defaults: keep creation entries compact
        out[name] = [None, _value(name, value)]
    return out


def _updated(obj: RecordMixin) -> dict[str, list[Any]]:
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    for key, name in _fields(obj):
        history = state.attrs[key].history
        if not history.added:
            continue
        old = history.deleted[0] if history.deleted else None
        new = history.added[0]
        if old == new:
            continue
        out[name] = [_value(name, old), _value(name, new)]
    return out


def _removed(obj: RecordMixin) -> dict[str, list[Any]]:
    values = inspect(obj).dict  # only what is loaded: never a query inside the flush
    out: dict[str, list[Any]] = {}
    for key, name in _fields(obj):
        value = values.get(key)
        if value is None or value == "" or value == []:
            continue
        out[name] = [_value(name, value), None]
    return out


def encoded_changes(values: dict[str, Any]) -> dict[str, list[Any]]:
    """A creation entry's changes from a row's values already encoded for JSON (as a bulk
    insert logs them for sync), as :func:`_created` makes them for an object."""
    return {
        name: [None, MASK if name in MASKED else value]
        for name, value in values.items()
        if name not in SKIPPED and value is not None and value != "" and value != []
    }


def entry(
    username: str,
    action: str,
    entity: str,
    entity_id: uuid.UUID | None,
    changes: dict[str, Any],
    at: Any = None,
) -> dict[str, Any]:
    """One audit row, ready for :func:`evacsupport.db.audit_chain.append`."""
    return {
        "id": uuid.uuid4(),
        "at": at or utcnow(),
        "username": username[:64],
        "action": action[:16],
        "entity": entity[:32],
        "entity_id": entity_id,
        "changes": changes,
    }


def bulk_entries(
    session: Session, entity: str, rows: Sequence[tuple[uuid.UUID, dict[str, Any]]]
) -> None:
    """One creation entry per row of a bulk insert, in one executemany: which record, by whom,
    when. Its values are not copied into the entry: they are the record as created (and, for
    sync, in its change log), and copying tens of thousands of them made an import half as slow
    again and the audit trail as large as the data."""
    now = utcnow()
    username = str(session.info.get("actor") or "")
    audit_chain.append(
        session.connection(),
        [entry(username, "create", entity, row_id, {}, now) for row_id, _data in rows],
    )


def entries(session: Session) -> list[dict[str, Any]]:
    """The audit rows for what this flush wrote (create, update, delete; soft delete = delete)."""
    now = utcnow()
    username = str(session.info.get("actor") or "")[:64]
    rows: list[dict[str, Any]] = []

    def add(action: str, obj: RecordMixin, changes: dict[str, list[Any]]) -> None:
        rows.append(
            {
                "id": uuid.uuid4(),
                "at": now,
                "username": username,
                "action": action,
                "entity": obj.__tablename__[:32],  # type: ignore[attr-defined]
                "entity_id": obj.id,
                "changes": changes,
            }
        )

    for obj in session.new:
        if isinstance(obj, RecordMixin):
            add("create", obj, _created(obj))
    for obj in session.dirty:
        if not isinstance(obj, RecordMixin):
            continue
        changes = _updated(obj)
        if not changes:
            continue
        deleted = changes.get("deleted_at")
        soft_delete = deleted is not None and deleted[0] is None and deleted[1] is not None
        add("delete" if soft_delete else "update", obj, changes)
    for obj in session.deleted:
        if isinstance(obj, RecordMixin):
            add("delete", obj, _removed(obj))
    return rows


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get(APPLYING):
        return
    rows = entries(session)
    if rows:
        audit_chain.append(session.connection(), rows)  # one executemany per flush


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
