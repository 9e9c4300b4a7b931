"""Every save becomes a row in ``sync_change``: captured from the ORM flush, so no service has to
remember to record what it changed (and bulk writes go through :func:`insert_logged`)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Column, ColumnDefault, Connection, Table, event, insert, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from evacsupport.db import facts
from evacsupport.db.base import utcnow
from evacsupport.db.models import SyncChange
from evacsupport.sync import site
from evacsupport.sync.codec import ENTITY_OF, encode, synced_columns, table
from evacsupport.sync.site import Stamp

CHANGES = cast(Table, SyncChange.__table__)

APPLYING = "evacsupport.sync.applying"
"""``session.info`` flag: the session is merging a package, whose changes are logged as received."""
RESOLVES = "evacsupport.sync.resolves"
"""``session.info`` key: conflict keys the changes of this session settle (see conflicts)."""


def stamps_of(
    op: str, lamport: int, origin: Any, data: dict[str, Any], stamps: dict[str, Any]
) -> dict[str, Stamp]:
    if op == "state":
        return {f: (int(s[0]), str(s[1])) for f, s in stamps.items()}
    return {f: (lamport, str(origin)) for f in data}


def current_stamps(
    conn: Connection, entity: str, row_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, dict[str, Stamp]]:
    """For each row, the stamp of the value each field holds now (the largest that touched it)."""
    found: dict[uuid.UUID, dict[str, Stamp]] = {}
    ids = list(set(row_ids))
    for start in range(0, len(ids), 500):
        query = select(
            CHANGES.c.row_id,
            CHANGES.c.op,
            CHANGES.c.lamport,
            CHANGES.c.origin,
            CHANGES.c.data,
            CHANGES.c.stamps,
        ).where(CHANGES.c.entity == entity, CHANGES.c.row_id.in_(ids[start : start + 500]))
        for row_id, op, lamport, origin, data, stamps in conn.execute(query):
            fields = found.setdefault(row_id, {})
            for name, stamp in stamps_of(op, lamport, origin, data, stamps).items():
                if name not in fields or stamp > fields[name]:
                    fields[name] = stamp
    return found


def write(
    conn: Connection,
    stamp: Stamp,
    changes: Sequence[tuple[str, str, uuid.UUID, dict[str, Any]]],
    resolves: Sequence[str] = (),
) -> None:
    """Log local changes (op, entity, row id, new values) under one stamp."""
    if not changes:
        return
    bases: dict[tuple[str, uuid.UUID], dict[str, Stamp]] = {}
    by_entity: dict[str, list[uuid.UUID]] = {}
    for op, entity, row_id, _ in changes:
        if op == "update":
            by_entity.setdefault(entity, []).append(row_id)
    for entity, ids in by_entity.items():
        for row_id, fields in current_stamps(conn, entity, ids).items():
            bases[(entity, row_id)] = fields
    now = utcnow()
    origin = uuid.UUID(stamp[1])
    rows = []
    for op, entity, row_id, data in changes:
        known = bases.get((entity, row_id), {})
        rows.append(
            {
                "id": uuid.uuid4(),
                "origin": origin,
                "lamport": stamp[0],
                "entity": entity,
                "row_id": row_id,
                "op": op,
                "data": data,
                "bases": {f: list(known[f]) for f in data if f in known} if op == "update" else {},
                "stamps": {},
                "resolves": list(resolves),
                "at": now,
            }
        )
    conn.execute(insert(CHANGES), rows)


def insert_logged(
    session: Session, entity: str, rows: Sequence[dict[str, Any]], chunk: int = 2000
) -> None:
    """Bulk-insert ``rows`` with a Core insert (which the flush hooks do not see), log them for
    sync and write one audit entry per row (:func:`evacsupport.db.audit_hook.bulk_entries`).

    Each row first gets every column default it lacks, computed here as the insert would, so the
    rows are logged as stored without reading them back (that read-back was a fifth of a
    10,000-row import). The dicts are completed in place.
    """
    target = table(entity)
    defaults = [(c.name, _python_default(c)) for c in target.columns if c.default is not None]
    given = set().union(*rows) if rows else set()
    # one statement for every row: a column some rows leave out is NULL in them, as it would be
    nulls = [c.name for c in target.columns if c.default is None and c.name in given]
    for row in rows:
        for name, default in defaults:
            if name not in row:
                row[name] = default()
        for name in nulls:
            row.setdefault(name, None)
    for start in range(0, len(rows), chunk):
        # the table, not the mapped class: the rows are complete, so the ORM's bulk path
        # (defaults, version counter) has nothing to add but its per-row cost
        session.execute(insert(target), rows[start : start + chunk])
    if entity in facts.ACTIVITY_ENTITIES:
        facts.touch(session, {row.get("household_id") for row in rows})
    if not rows or session.info.get(APPLYING):
        return
    from evacsupport.db import audit_hook  # it imports this module

    names = [c.name for c in synced_columns(entity)]
    encoded = [{name: encode(row.get(name)) for name in names} for row in rows]
    # the same encoded values serve the audit entries (one per row) and the sync log
    audit_hook.bulk_entries(
        session, entity, [(row["id"], data) for row, data in zip(rows, encoded, strict=True)]
    )
    conn = session.connection()
    write(
        conn,
        site.tick(conn),
        [("insert", entity, row["id"], data) for row, data in zip(rows, encoded, strict=True)],
    )


def _python_default(column: Column[Any]) -> Callable[[], Any]:
    """The column's default as a function; only Python-side ones (a scalar or a function) can
    be computed before the insert, and every synced table has only those."""
    default = column.default
    if isinstance(default, ColumnDefault) and default.is_callable:
        make = default.arg
        return lambda: make(None)
    if isinstance(default, ColumnDefault) and default.is_scalar:
        value = default.arg
        return lambda: value
    raise TypeError(f"{column}: a SQL-side default cannot be logged before the insert")


def _changes(session: Session) -> list[tuple[str, str, uuid.UUID, dict[str, Any]]]:
    found: list[tuple[str, str, uuid.UUID, dict[str, Any]]] = []
    for obj in session.new:
        entity = ENTITY_OF.get(type(obj))
        if entity:
            data = {c.name: encode(getattr(obj, c.name)) for c in synced_columns(entity)}
            found.append(("insert", entity, obj.id, data))
    for obj in session.dirty:
        entity = ENTITY_OF.get(type(obj))
        if not entity:
            continue
        state = inspect(obj)
        data = {}
        for column in synced_columns(entity):
            history = state.attrs[column.name].history
            if not history.added:
                continue
            if history.deleted and history.deleted[0] == history.added[0]:
                continue
            data[column.name] = encode(history.added[0])
        if data:
            found.append(("update", entity, obj.id, data))
    for obj in session.deleted:
        entity = ENTITY_OF.get(type(obj))
        if entity:
            found.append(("delete", entity, obj.id, {}))
    return found


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    if session.info.get(APPLYING):
        return
    changes = _changes(session)
    if changes:
        conn = session.connection()
        write(conn, site.tick(conn), changes, session.info.get(RESOLVES, ()))


def install() -> None:
    """Listen on every session (idempotent)."""
    if not event.contains(Session, "after_flush", _after_flush):
        event.listen(Session, "after_flush", _after_flush)
