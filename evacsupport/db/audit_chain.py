"""The audit trail as a hash chain per origin: an edited, deleted, reordered or inserted entry
breaks a link that ``evacsupport check`` and the audit page find.

Each entry carries its ``origin`` (the sync site id of the database that wrote it), its number
``seq`` in that origin's chain (1, 2, 3…), ``digest`` (SHA-256 of its ``changes`` as written),
``prev_hash`` (the hash of the entry before it, :data:`GENESIS` for the first) and ``hash``, the
SHA-256 of all of these and its fields (id, time, user, action, record). ``audit_head`` holds
each origin's last number and hash; a writer locks that row before appending (on PostgreSQL
``SELECT … FOR UPDATE``; on SQLite the write transaction, ``BEGIN IMMEDIATE``, already holds the
only write lock), so two transactions never both append after the same entry.

Erasure replaces personal values inside earlier entries' ``changes`` (their digest then no
longer matches): it writes an :data:`SCRUB` entry into the chain holding, per scrubbed entry, the
digest of the changes it left. An entry's changes are accepted when they match its own digest
or one a scrub entry vouches for, so a scrub is told from a tamper. A scrub entry counts only
when its own hash and digest hold (a forged one is reported where it stands).

What the chain proves, and what not: anyone who edits, deletes, swaps or inserts entries with
plain SQL breaks a link, and the first broken one is named. Entries cut off the end show
against the head row. The hash has no secret key: someone who can rewrite the whole database
(the entries and the head row) can compute a fresh, consistent chain, which ``check`` cannot
tell from the real one. Against that, keep the head ``check`` prints (or a backup) elsewhere
and compare. Entries written before the chain existed are chained when the database was
upgraded (:func:`chain_existing`): vouched for from then on, not before.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, cast

from sqlalchemy import Connection, Select, Table, bindparam, func, insert, or_, select, update

from evacsupport.db.base import insert_absent
from evacsupport.db.models import AuditEntry, AuditHead

AUDIT = cast(Table, AuditEntry.__table__)
HEAD = cast(Table, AuditHead.__table__)

CHAIN_BATCH = 5000  # rows per executemany when an upgrade chains the existing entries
GENESIS = "0" * 64
"""The ``prev_hash`` of each origin's first entry."""
SCRUB = "audit_scrub"
"""The action of the entry that vouches for the changes erasure left in earlier entries."""
VERSION = 1
"""Hashed into every link, so a later change of what is hashed cannot pass for this one."""

# How a link is broken (the key of its message in the i18n catalog: check.audit_<kind>).
EDITED = "edited"
CHANGES_EDITED = "changes_edited"
MISSING = "missing"
REORDERED = "reordered"
INSERTED = "inserted"


def canonical(value: Any) -> bytes:
    """One byte string for one JSON value, whatever the key order or the backend stored."""
    return json.dumps(
        value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
    ).encode("utf-8")


def digest_of(changes: Any) -> str:
    return hashlib.sha256(canonical(changes or {})).hexdigest()


def _at(at: datetime | None) -> str | None:
    return None if at is None else at.astimezone(UTC).isoformat(timespec="microseconds")


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def link_hash(prev_hash: str, row: Any) -> str:
    """The hash of one entry (a mapping or a row with the audit columns) after ``prev_hash``."""
    get = row.get if isinstance(row, dict) else row._mapping.get
    fields = [
        VERSION,
        prev_hash,
        _text(get("origin")),
        get("seq"),
        _text(get("id")),
        _at(get("at")),
        get("username") or "",
        get("action") or "",
        get("entity") or "",
        _text(get("entity_id")),
        get("digest"),
    ]
    return hashlib.sha256(canonical(fields)).hexdigest()


# --- writing ----------------------------------------------------------------------------------


def head_query(origin: uuid.UUID) -> Select[Any]:
    """The origin's head row, locked until commit (``FOR UPDATE``; SQLite leaves it out)."""
    return select(HEAD.c.seq, HEAD.c.hash).where(HEAD.c.origin == origin).with_for_update()


def _insert_head(conn: Connection, origin: uuid.UUID) -> None:
    insert_absent(conn, HEAD, {"origin": origin, "seq": 0, "hash": GENESIS})


def lock_head(conn: Connection, origin: uuid.UUID) -> tuple[int, str]:
    """The origin's last number and hash, with its head row locked for this transaction."""
    row = conn.execute(head_query(origin)).first()
    if row is None:
        _insert_head(conn, origin)
        row = conn.execute(head_query(origin)).first()
        assert row is not None
    return int(row.seq), str(row.hash)


def local_origin(conn: Connection) -> uuid.UUID:
    from evacsupport.sync import site  # sync imports the models, as this module does

    return site.current(conn).site_id


def append(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Chain ``rows`` (audit entries without the chain columns, in order) after this database's
    last entry and insert them in one executemany; the dicts are completed in place."""
    if not rows:
        return
    origin = local_origin(conn)
    seq, prev = lock_head(conn, origin)
    for row in rows:
        seq += 1
        row["origin"] = origin
        row["seq"] = seq
        row["digest"] = digest_of(row.get("changes"))
        row["prev_hash"] = prev
        row["hash"] = prev = link_hash(prev, row)
    conn.execute(insert(AUDIT), rows)
    conn.execute(update(HEAD).where(HEAD.c.origin == origin).values(seq=seq, hash=prev))


def chain_existing(conn: Connection) -> int:
    """Chain the entries that have no link yet, in the order (at, id), under this database's
    origin (the upgrade to the chained trail); the number chained."""
    unchained = AUDIT.c.hash.is_(None)
    if conn.scalar(select(func.count()).select_from(AUDIT).where(unchained)) == 0:
        return 0
    origin = local_origin(conn)
    seq, prev = lock_head(conn, origin)
    count = 0
    query = (
        select(AUDIT.c.id, AUDIT.c.at, AUDIT.c.username, AUDIT.c.action, AUDIT.c.entity)
        .add_columns(AUDIT.c.entity_id, AUDIT.c.changes)
        .where(unchained)
        .order_by(AUDIT.c.at, AUDIT.c.id)
    )
    links: list[dict[str, Any]] = []
    for found in conn.execute(query).all():
        seq += 1
        row = dict(found._mapping)
        row.update(origin=origin, seq=seq, digest=digest_of(row["changes"]), prev_hash=prev)
        row["hash"] = prev = link_hash(prev, row)
        links.append(
            {f"b_{k}": row[k] for k in ("id", "origin", "seq", "digest", "prev_hash", "hash")}
        )
        count += 1
    chained = (
        update(AUDIT)
        .where(AUDIT.c.id == bindparam("b_id"))
        .values(
            origin=bindparam("b_origin"),
            seq=bindparam("b_seq"),
            digest=bindparam("b_digest"),
            prev_hash=bindparam("b_prev_hash"),
            hash=bindparam("b_hash"),
        )
    )
    for start in range(0, len(links), CHAIN_BATCH):  # one executemany per batch
        conn.execute(chained, links[start : start + CHAIN_BATCH])
    conn.execute(update(HEAD).where(HEAD.c.origin == origin).values(seq=seq, hash=prev))
    return count


def scrub_changes(digests: dict[uuid.UUID, str]) -> dict[str, Any]:
    """The changes of a :data:`SCRUB` entry: the new digest of each scrubbed entry."""
    return {"entries": len(digests), "digests": {str(k): v for k, v in digests.items()}}


# --- verifying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first link of a chain that does not hold: entry ``seq`` and how (``kind``)."""

    kind: str
    seq: int


@dataclass(frozen=True)
class ChainResult:
    origin: uuid.UUID
    verified: int  # entries verified from the first, before any break
    head_hash: str
    broken: Break | None = None


@dataclass(frozen=True)
class Verification:
    chains: list[ChainResult] = field(default_factory=list)
    loose: int = 0  # entries with no link at all: inserted by hand, outside any chain

    @property
    def ok(self) -> bool:
        return self.loose == 0 and all(c.broken is None for c in self.chains)

    @property
    def verified(self) -> int:
        return sum(c.verified for c in self.chains)

    @property
    def first_break(self) -> ChainResult | None:
        return next((c for c in self.chains if c.broken is not None), None)


_COLUMNS = (
    AUDIT.c.id,
    AUDIT.c.at,
    AUDIT.c.username,
    AUDIT.c.action,
    AUDIT.c.entity,
    AUDIT.c.entity_id,
    AUDIT.c.changes,
    AUDIT.c.origin,
    AUDIT.c.seq,
    AUDIT.c.digest,
    AUDIT.c.prev_hash,
    AUDIT.c.hash,
)


def _vouched(conn: Connection) -> dict[str, set[str]]:
    """Digests that scrub entries vouch for, by entry id (from scrub entries that hold)."""
    out: dict[str, set[str]] = {}
    for row in conn.execute(select(*_COLUMNS).where(AUDIT.c.action == SCRUB)):
        if row.hash is None or row.digest != digest_of(row.changes):
            continue
        if link_hash(row.prev_hash or "", row) != row.hash:
            continue
        for entry_id, digest in ((row.changes or {}).get("digests") or {}).items():
            out.setdefault(str(entry_id), set()).add(str(digest))
    return out


def _renumbered(row: Any, seq: int) -> bool:
    """Would ``row`` hold under another number (it was moved up after a deletion)?"""
    values = dict(row._mapping)
    values["seq"] = seq
    return link_hash(row.prev_hash or "", values) == row.hash


def _classify(conn: Connection, origin: uuid.UUID, row: Any, position: int, prev: str) -> Break:
    """What went wrong at ``position``, where ``row`` (its number says ``row.seq``) stands."""
    if row.prev_hash == prev:
        return Break(EDITED, position)  # its own link was changed, not its place
    pointed = conn.scalar(
        select(AUDIT.c.seq).where(AUDIT.c.origin == origin, AUDIT.c.hash == row.prev_hash)
    )
    if pointed is not None and pointed > row.seq:
        return Break(REORDERED, position)  # it follows an entry that now comes after it
    if pointed is not None and pointed < position - 1:
        return Break(INSERTED, position - 1)  # it skips the one before it
    if pointed is None and _renumbered(row, row.seq + 1):
        return Break(MISSING, position)  # it follows an entry that is gone
    return Break(EDITED, position)


def _walk(
    conn: Connection, origin: uuid.UUID, vouched: dict[str, set[str]], end: int | None
) -> tuple[int, str, Break | None]:
    """Follow the chain from its first entry up to ``end`` (the head's number): how many hold,
    the last good hash and the first break, if any."""
    prev = GENESIS
    position = 0
    query = (
        select(*_COLUMNS)
        .where(AUDIT.c.origin == origin, AUDIT.c.seq.is_not(None), AUDIT.c.hash.is_not(None))
        .order_by(AUDIT.c.seq, AUDIT.c.id)
    )
    result = conn.execute(query.execution_options(yield_per=2000))
    try:
        for row in result:
            expected = position + 1
            if end is not None and expected > end:
                break  # past the recorded end: the caller reports it
            if row.seq > expected:
                return position, prev, Break(MISSING, expected)
            if row.seq < expected:
                return position, prev, Break(INSERTED, row.seq)
            if row.prev_hash != prev or link_hash(row.prev_hash or "", row) != row.hash:
                found = _classify(conn, origin, row, expected, prev)
                return min(position, found.seq - 1), prev, found
            digest = digest_of(row.changes)
            if digest != row.digest and digest not in vouched.get(str(row.id), ()):
                return position, prev, Break(CHANGES_EDITED, expected)
            prev = row.hash
            position = expected
    finally:
        result.close()
    return position, prev, None


def _chain(
    conn: Connection, origin: uuid.UUID, vouched: dict[str, set[str]], head: tuple[int, str] | None
) -> ChainResult:
    position, prev, broken = _walk(conn, origin, vouched, head[0] if head else None)
    if broken is not None:
        return ChainResult(origin, position, prev, broken)
    if head is None:
        # a chain this database never recorded: entries written under an invented origin
        return ChainResult(origin, 0, prev, Break(INSERTED, 1))
    head_seq, head_hash = head
    if head_seq > position:
        return ChainResult(origin, position, prev, Break(MISSING, position + 1))
    if position < _count(conn, origin):
        return ChainResult(origin, position, prev, Break(INSERTED, position + 1))
    if head_hash != prev:
        # as long as the head says, but not the chain it ended: rebuilt after a change
        return ChainResult(origin, max(0, position - 1), prev, Break(EDITED, position))
    return ChainResult(origin, position, prev)


def verify(conn: Connection) -> Verification:
    """Every origin's chain from its first entry, each up to its first broken link."""
    heads = {o: (int(s), str(h)) for o, s, h in conn.execute(select(HEAD))}
    origins = set(
        conn.scalars(select(AUDIT.c.origin).where(AUDIT.c.origin.is_not(None)).distinct())
    )
    vouched = _vouched(conn)
    chains = [
        _chain(conn, origin, vouched, heads.get(origin))
        for origin in sorted(origins | set(heads), key=str)
    ]
    loose = conn.scalar(
        select(func.count())
        .select_from(AUDIT)
        .where(or_(AUDIT.c.origin.is_(None), AUDIT.c.seq.is_(None), AUDIT.c.hash.is_(None)))
    )
    return Verification(chains, int(loose or 0))


def _count(conn: Connection, origin: uuid.UUID) -> int:
    chained = (AUDIT.c.origin == origin, AUDIT.c.seq.is_not(None), AUDIT.c.hash.is_not(None))
    return int(conn.scalar(select(func.count()).select_from(AUDIT).where(*chained)) or 0)
