"""Any single edit, deletion or swap in a random audit chain is found at the entry it touched.

The chain is built with the app's own writer (``audit_chain.append``) in one transaction on an
in-memory SQLite database, tampered with by plain SQL, verified, and rolled back for the next
example, so each example costs no more than its few statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, create_engine, delete, select, update
from sqlalchemy.pool import StaticPool

from evacsupport.db import audit_chain
from evacsupport.db.audit_chain import AUDIT
from evacsupport.db.base import Base, utcnow

FIELDS = ("username", "action", "entity", "entity_id", "id", "at", "changes", "digest")
FIELDS += ("prev_hash", "hash", "seq")


@pytest.fixture(scope="module")
def conn() -> Iterator[Connection]:
    engine = create_engine("sqlite://", poolclass=StaticPool)
    Base.metadata.create_all(engine)
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def _entries(texts: list[str]) -> list[dict[str, Any]]:
    start = utcnow()
    return [
        {
            "id": uuid.uuid4(),
            "at": start + timedelta(seconds=n),
            "username": f"staff{n % 3}",
            "action": ("create", "update", "export")[n % 3],
            "entity": "household",
            "entity_id": uuid.uuid4() if n % 2 else None,
            "changes": {"note": [None, text], "n": n},
        }
        for n, text in enumerate(texts)
    ]


def _edit(conn: Connection, seq: int, column: str, row: Any) -> None:
    values: dict[str, Any] = {
        "username": row.username + "x",
        "action": "login" if row.action != "login" else "export",
        "entity": row.entity + "x",
        "entity_id": uuid.uuid4(),
        "id": uuid.uuid4(),
        "at": row.at + timedelta(microseconds=1),
        "changes": {**row.changes, "n": -1},
        "digest": "f" * 64,
        "prev_hash": "e" * 64,
        "hash": "d" * 64,
        "seq": 10_000,
    }
    conn.execute(update(AUDIT).where(AUDIT.c.seq == seq).values({column: values[column]}))


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(st.text(max_size=8), min_size=2, max_size=12),
    tamper=st.sampled_from(("edit", "delete", "swap")),
    where=st.integers(min_value=0, max_value=1000),
    column=st.sampled_from(FIELDS),
)
def test_a_single_tamper_is_found_at_its_entry(
    conn: Connection, texts: list[str], tamper: str, where: int, column: str
) -> None:
    with conn.begin() as transaction:
        audit_chain.append(conn, _entries(texts))
        assert audit_chain.verify(conn).ok
        count = len(texts)
        if tamper == "swap":
            seq = 1 + where % (count - 1)
            conn.execute(update(AUDIT).where(AUDIT.c.seq == seq).values(seq=-1))
            conn.execute(update(AUDIT).where(AUDIT.c.seq == seq + 1).values(seq=seq))
            conn.execute(update(AUDIT).where(AUDIT.c.seq == -1).values(seq=seq + 1))
        elif tamper == "delete":
            seq = 1 + where % count
            conn.execute(delete(AUDIT).where(AUDIT.c.seq == seq))
        else:
            seq = 1 + where % count
            row = conn.execute(select(AUDIT).where(AUDIT.c.seq == seq)).one()
            _edit(conn, seq, column, row)
        found = audit_chain.verify(conn)
        transaction.rollback()
    (chain,) = found.chains
    assert chain.broken is not None, (tamper, column, seq)
    assert chain.broken.seq == seq, (tamper, column, chain.broken)
    assert chain.verified == seq - 1
    expected = {
        "swap": audit_chain.REORDERED,
        "delete": audit_chain.MISSING,
        "edit": {"changes": audit_chain.CHANGES_EDITED, "seq": audit_chain.MISSING}.get(
            column, audit_chain.EDITED
        ),
    }[tamper]
    assert chain.broken.kind == expected
