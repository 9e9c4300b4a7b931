"""Reading what each laptop holds, to compare them."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.base import Base
from evacsupport.db.models import MealLog
from evacsupport.sync import scope
from evacsupport.sync.codec import SYNCED, encode, synced_columns, table


def dump(db: Database, entities: tuple[str, ...] = tuple(SYNCED)) -> dict[str, dict[Any, Any]]:
    """Every synced record's synced values (what must agree across laptops)."""
    found: dict[str, dict[Any, Any]] = {}
    with db.read() as session:
        for entity in entities:
            t = table(entity)
            names = [c.name for c in synced_columns(entity)]
            rows = session.execute(select(t.c.id, *(t.c[n] for n in names))).all()
            found[entity] = {
                r[0]: {n: encode(v) for n, v in zip(names, r[1:], strict=True)} for r in rows
            }
    return found


def projected(db: Database, ids: dict[str, set[uuid.UUID]]) -> dict[str, dict[Any, Any]]:
    """What a venue laptop should hold of these records: the venue scope's columns only."""
    everything = dump(db, tuple(ids))
    return {
        entity: {
            row: {k: v for k, v in values.items() if k in scope.fields(entity)}
            for row, values in everything[entity].items()
            if row in ids[entity]
        }
        for entity in ids
    }


def meal_ids(db: Database, venue_id: uuid.UUID | None = None) -> list[uuid.UUID]:
    with db.read() as session:
        query = select(MealLog.id).where(MealLog.deleted_at.is_(None))
        if venue_id is not None:
            query = query.where(MealLog.venue_id == venue_id)
        return sorted(session.scalars(query))


def count(db: Database, name: str) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Base.metadata.tables[name])) or 0


def fingerprint(db: Database) -> dict[str, tuple[int, str]]:
    """Every table's row count and a hash of its contents: any change anywhere shows."""
    import hashlib

    found = {}
    with db.read() as session:
        for t in Base.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in session.execute(select(t)))
            found[t.name] = (len(rows), hashlib.sha256("\n".join(rows).encode()).hexdigest())
    return found
