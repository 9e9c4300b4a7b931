"""This database's sync identity and logical clock (one row in ``sync_state``)."""

from __future__ import annotations

import socket
import uuid
from dataclasses import dataclass
from typing import cast

from sqlalchemy import Connection, Table, func, select, update

from evacsupport.db.base import insert_absent
from evacsupport.db.models import SyncState

STATE = cast(Table, SyncState.__table__)

Stamp = tuple[int, str]
"""(lamport, origin site id): orders edits of one field the same way on every laptop."""


@dataclass(frozen=True)
class Site:
    site_id: uuid.UUID
    name: str
    lamport: int
    scope_venue_id: uuid.UUID | None


def _read(conn: Connection) -> Site | None:
    row = conn.execute(
        select(STATE.c.site_id, STATE.c.name, STATE.c.lamport, STATE.c.scope_venue_id)
    ).first()
    return Site(*row) if row else None


def current(conn: Connection) -> Site:
    """The identity, made on first use: a database copied before any sync gets its own."""
    site = _read(conn)
    if site is None:
        name = socket.gethostname()[:100]  # until someone names this laptop
        # two first writers on a new shared database: one identity, the other waits for it
        insert_absent(conn, STATE, {"key": 1, "site_id": uuid.uuid4(), "name": name, "lamport": 0})
        site = _read(conn)
        assert site is not None
    return site


def tick(conn: Connection) -> Stamp:
    """The stamp for the changes of one flush; also locks the row until commit on PostgreSQL,
    so changes are numbered (``seq``) in the order their transactions commit."""
    site = current(conn)
    conn.execute(update(STATE).values(lamport=STATE.c.lamport + 1))
    return site.lamport + 1, str(site.site_id)


def observe(conn: Connection, lamport: int) -> None:
    """Move the clock past a stamp seen in an imported package."""
    current(conn)
    conn.execute(update(STATE).where(STATE.c.lamport < lamport).values(lamport=lamport))


def set_name(conn: Connection, name: str) -> None:
    current(conn)
    conn.execute(update(STATE).values(name=name))


def set_scope(conn: Connection, venue_id: uuid.UUID | None) -> None:
    current(conn)
    conn.execute(update(STATE).values(scope_venue_id=venue_id))


def former_ids(conn: Connection) -> list[str]:
    current(conn)
    return list(conn.scalar(select(STATE.c.former_site_ids)) or [])


def start_new_identity(conn: Connection) -> uuid.UUID:
    """After a restore from backup: this database forked from what its peers last saw.

    Changes made after the backup are gone from here but not from the peers, and its change
    numbers would repeat ones they already acknowledged. So it goes on under a new identity
    (peers recognise it by the former one it sends along) and every peer starts over with it:
    each side sends everything again, which merging makes harmless, and the lost changes come
    back from the peers that have them.
    """
    from evacsupport.db.models import SyncPeer

    site = current(conn)
    fresh = uuid.uuid4()
    conn.execute(
        update(STATE).values(site_id=fresh, former_site_ids=[*former_ids(conn), str(site.site_id)])
    )
    peers = cast(Table, SyncPeer.__table__)
    conn.execute(update(peers).values(acked_seq=0, received_seq=0))
    return fresh


def max_seq(conn: Connection) -> int:
    from evacsupport.db.models import SyncChange

    return int(conn.scalar(select(func.coalesce(func.max(SyncChange.seq), 0))) or 0)
