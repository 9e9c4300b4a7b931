"""Per-household activity facts (:class:`HouseholdFacts`), kept current in the writing transaction.

One place recomputes a household's row from its history: :func:`refresh_facts`, a few grouped
queries for a set of households. Everything that changes the history calls it before its
transaction commits:

- writes through the ORM (the services: meals and their undo, visits, check-ins, follow-ups,
  erasure, demo data): the ``after_flush`` hook notes the households of every meal, visit,
  check-in and follow-up flushed, and ``before_commit`` refreshes them;
- bulk Core inserts through :func:`evacsupport.sync.capture.insert_logged` (the importers) note
  their households with :func:`touch`;
- a sync merge writes on a connection, which no session hook sees: it calls
  :func:`refresh_facts` itself at the end of the merge;
- the bench generator and ``evacsupport check --repair`` call :func:`rebuild_facts`.

Recomputing from the history (instead of adjusting the row by the change) keeps undo, deletion,
back-dated entries and merges of old records right without a rule for each.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import date
from itertools import chain
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    String,
    Table,
    and_,
    bindparam,
    delete,
    event,
    func,
    insert,
    inspect,
    select,
    true,
    type_coerce,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, UOWTransaction

from evacsupport.db.models import CheckIn, FollowUp, Household, HouseholdFacts, MealLog, Visit

FACTS = cast(Table, HouseholdFacts.__table__)
RECENT_MEALS = 16
"""Meal dates kept per household. The read side counts the regular-attendance window from them
and asks the meal index only for households whose every kept meal falls in the window."""
CHUNK = 500  # household ids per IN list
PENDING = "evacsupport.facts_pending"  # Session.info key: households to refresh before commit
ACTIVITY: tuple[type[Any], ...] = (MealLog, Visit, CheckIn, FollowUp)
LATEST = ("latest_k6", "latest_loneliness", "latest_ucla3")  # the order of each score triple
ACTIVITY_ENTITIES = frozenset({"meal_log", "visit", "checkin", "followup"})


def _raw(column: Any) -> Any:
    """The column as the driver returns it (hex or ISO text from SQLite), not converted per row."""
    return type_coerce(column, String)


def _key(value: Any) -> uuid.UUID:
    return value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))


def _hex(value: Any) -> str:
    return _key(value).hex


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


def _day(value: str | None) -> date | None:
    return date.fromisoformat(value[:10]) if value else None


def _chunks(ids: Collection[uuid.UUID]) -> Iterator[list[uuid.UUID]]:
    items = sorted(ids)
    for start in range(0, len(items), CHUNK):
        yield items[start : start + CHUNK]


def _empty_row(key: uuid.UUID) -> dict[str, Any]:
    """The row of a household with no activity (before its first meal, visit or check-in)."""
    return {
        "household_id": key,
        "last_meal": None,
        "recent_meals": [],
        "last_contact": None,
        "latest_k6": None,
        "latest_loneliness": None,
        "latest_ucla3": None,
        "member_scores": [],
        "open_followups": 0,
        "open_due": [],
        "horizon": None,
    }


def compute_rows(
    conn: Connection, household_ids: Collection[uuid.UUID] | None = None
) -> dict[uuid.UUID, dict[str, Any]]:
    """The facts rows of ``household_ids`` (every household when None), from the history: one
    dict per household with any activity, shaped as the row reads back."""
    out: dict[uuid.UUID, dict[str, Any]] = {}
    chunks: Iterable[list[uuid.UUID] | None] = (
        [None] if household_ids is None else _chunks(household_ids)
    )
    for chunk in chunks:
        out.update(_compute_chunk(conn, chunk))
    return out


def _compute_chunk(conn: Connection, chunk: list[uuid.UUID] | None) -> dict[Any, dict[str, Any]]:
    def only(column: Any) -> ColumnElement[bool]:
        return true() if chunk is None else column.in_(chunk)

    rows: dict[Any, dict[str, Any]] = {}

    by_raw: dict[Any, dict[str, Any]] = {}  # the same rows by the id as read

    def row(hid: Any) -> dict[str, Any]:
        found = by_raw.get(hid)
        if found is not None:
            return found
        key = _key(hid)
        found = rows.get(key)
        if found is None:
            found = rows[key] = _empty_row(key)
        by_raw[hid] = found
        return found

    # Dates are kept as ISO text while folding (they compare as dates) and made dates at the end.
    last_contact: dict[uuid.UUID, str] = {}
    horizon: dict[uuid.UUID, str] = {}

    def later(into: dict[uuid.UUID, str], key: uuid.UUID, day: str) -> None:
        if key not in into or day > into[key]:
            into[key] = day

    # The last RECENT_MEALS meals of each household: its RECENT_MEALS-th latest date read from
    # the (household, date) index, then the meals from that date on. A window function over
    # every meal of the households read and sorted their whole history.
    earlier = cast(Table, MealLog.__table__).alias("earlier")
    cutoff = (
        select(earlier.c.served_on)
        .where(earlier.c.household_id == Household.id, earlier.c.deleted_at.is_(None))
        .order_by(earlier.c.served_on.desc())
        .limit(1)
        .offset(RECENT_MEALS - 1)
        .scalar_subquery()
    )
    recent = (
        select(_raw(MealLog.household_id), _raw(MealLog.served_on))
        .select_from(Household)
        .join(
            MealLog,
            and_(
                MealLog.household_id == Household.id,
                MealLog.deleted_at.is_(None),
                MealLog.served_on >= func.coalesce(cutoff, date.min),
            ),
        )
        .where(only(Household.id))
        .order_by(MealLog.household_id, MealLog.served_on.desc())
    )
    for hid, day in conn.execute(recent):
        meals = row(hid)["recent_meals"]
        if len(meals) < RECENT_MEALS:  # more only when several fall on the cut-off date
            meals.append(_iso(day)[:10])
    for r in rows.values():
        last = r["recent_meals"][0]
        r["last_meal"] = last
        last_contact[r["household_id"]] = last

    for model, day_col in ((Visit, Visit.visited_on), (CheckIn, CheckIn.checked_on)):
        for hid, day in conn.execute(
            select(_raw(model.household_id), _raw(func.max(day_col)))
            .where(model.deleted_at.is_(None), only(model.household_id))
            .group_by(model.household_id)
        ):
            if day is not None:
                later(last_contact, row(hid)["household_id"], _iso(day)[:10])

    # Each member's last two check-ins, attributed to the household of the latest (as the
    # household list always has): the members who have any check-in in these households.
    members = (
        select(CheckIn.member_id)
        .where(CheckIn.deleted_at.is_(None), only(CheckIn.household_id))
        .scalar_subquery()
    )
    ranked = (
        select(
            _raw(CheckIn.household_id).label("h"),
            _raw(CheckIn.member_id).label("m"),
            CheckIn.k6_score,
            CheckIn.loneliness,
            CheckIn.ucla3_score,
            func.row_number()
            .over(
                partition_by=CheckIn.member_id,
                order_by=(CheckIn.checked_on.desc(), CheckIn.created_at.desc(), CheckIn.id.desc()),
            )
            .label("r"),
        )
        .where(
            CheckIn.deleted_at.is_(None),
            true() if chunk is None else CheckIn.member_id.in_(members),
        )
        .subquery()
    )
    latest: dict[str, tuple[uuid.UUID, list[Any]]] = {}
    before: dict[str, list[Any]] = {}
    wanted = None if chunk is None else set(chunk)
    for hid, mid, k6, lonely, ucla3, rank in conn.execute(select(ranked).where(ranked.c.r <= 2)):
        member = _hex(mid)
        if rank == 1:
            key = _key(hid)
            if wanted is None or key in wanted:
                latest[member] = (key, [k6, lonely, ucla3])
        else:
            before[member] = [k6, lonely, ucla3]
    for member in sorted(latest):
        key, scores = latest[member]
        r = row(key)
        r["member_scores"].append([member, scores, before.get(member)])
        for name, value in zip(LATEST, scores, strict=True):
            if value is not None and (r[name] is None or value > r[name]):
                r[name] = value

    for hid, status, due, done in conn.execute(
        select(
            _raw(FollowUp.household_id),
            FollowUp.status,
            _raw(FollowUp.due_on),
            _raw(FollowUp.done_on),
        ).where(FollowUp.deleted_at.is_(None), only(FollowUp.household_id))
    ):
        r = row(hid)
        if status == "open":
            r["open_due"].append(_iso(due)[:10])
        elif done is not None:
            later(horizon, r["household_id"], _iso(done)[:10])

    for key, r in rows.items():
        r["open_due"].sort()
        r["open_followups"] = len(r["open_due"])
        contact = last_contact.get(key)
        if contact is not None:
            later(horizon, key, contact)
        r["last_meal"] = _day(r["last_meal"])
        r["last_contact"] = _day(contact)
        r["horizon"] = _day(horizon.get(key))
    return rows


def _sharing_members(conn: Connection, household_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """The households holding check-ins of members who also have check-ins in ``household_ids``
    (a member's latest check-in decides which household their scores count for)."""
    out: set[uuid.UUID] = set()
    for chunk in _chunks(household_ids):
        members = select(CheckIn.member_id).where(CheckIn.household_id.in_(chunk))
        out.update(
            _key(h)
            for h in conn.scalars(
                select(_raw(CheckIn.household_id))
                .where(CheckIn.member_id.in_(members), CheckIn.household_id.not_in(chunk))
                .distinct()
            )
        )
    return out


def refresh_facts(conn: Connection, household_ids: Iterable[uuid.UUID | None]) -> int:
    """Recompute the facts rows of ``household_ids`` from their history, in the caller's
    transaction. Returns how many households were refreshed."""
    ids = {_key(h) for h in household_ids if h is not None}
    if not ids:
        return 0
    ids |= _sharing_members(conn, ids)
    for chunk in _chunks(ids):
        rows = _compute_chunk(conn, chunk)
        conn.execute(delete(FACTS).where(FACTS.c.household_id.in_(chunk)))
        if rows:
            conn.execute(insert(FACTS), list(rows.values()))
    return len(ids)


def add_meals(conn: Connection, meals: Mapping[uuid.UUID, Iterable[date]]) -> int:
    """The rows of households whose history gained only live meals (served on ``meals``' days,
    one entry a meal) since their row was stored, without reading the history.

    What :func:`refresh_facts` would compute: the last 16 meals of the history are the last
    16 of the 16 kept and the new ones; the last contact and the horizon can only move up to
    the last meal; a meal changes nothing else. A sync merge of a month's package (mostly
    new meals, for half the caseload) calls it for the households nothing else touched.
    Returns how many households were updated."""
    keys = {_key(h): list(days) for h, days in meals.items() if h is not None}
    keys = {k: days for k, days in keys.items() if days}
    for chunk in _chunks(keys):
        stored = {
            _key(hid): (recent, contact, horizon)
            for hid, recent, contact, horizon in conn.execute(
                select(
                    FACTS.c.household_id,
                    FACTS.c.recent_meals,
                    FACTS.c.last_contact,
                    FACTS.c.horizon,
                ).where(FACTS.c.household_id.in_(chunk))
            )
        }
        changed, new = [], []
        for key in chunk:
            recent, contact, horizon = stored.get(key, ([], None, None))
            recent = sorted([*recent, *(_iso(d)[:10] for d in keys[key])], reverse=True)[
                :RECENT_MEALS
            ]
            last_meal = date.fromisoformat(recent[0])
            contact = max(last_meal, contact or last_meal)
            values = {
                "recent_meals": recent,
                "last_meal": last_meal,
                "last_contact": contact,
                "horizon": max(contact, horizon or contact),
            }
            if key in stored:
                changed.append({"key": key, **values})
            else:
                new.append({**_empty_row(key), **values})
        if changed:  # the other columns (scores, follow-ups) stay as stored
            conn.execute(
                update(FACTS)
                .where(FACTS.c.household_id == bindparam("key"))
                .values({name: bindparam(name) for name in changed[0] if name != "key"}),
                changed,
            )
        if new:
            conn.execute(insert(FACTS), new)
    return len(keys)


def rebuild_facts(conn: Connection) -> int:
    """Every household's row again, from the whole history. Returns the number of rows."""
    rows = list(compute_rows(conn).values())
    conn.execute(delete(FACTS))
    for start in range(0, len(rows), 2000):
        conn.execute(insert(FACTS), rows[start : start + 2000])
    return len(rows)


def stored_rows(conn: Connection) -> dict[uuid.UUID, dict[str, Any]]:
    return {_key(r["household_id"]): dict(r) for r in conn.execute(select(FACTS)).mappings()}


def stale_households(conn: Connection) -> list[uuid.UUID]:
    """Households whose stored row is missing, left over or differs from their history."""
    fresh = compute_rows(conn)
    stored = stored_rows(conn)
    return sorted(
        key
        for key in fresh.keys() | stored.keys()
        if _comparable(fresh.get(key)) != _comparable(stored.get(key))
    )


def _comparable(row: dict[str, Any] | None) -> Any:
    if row is None:
        return None
    return {k: (_key(v) if k == "household_id" else v) for k, v in row.items()}


# --- keeping it current from the ORM --------------------------------------------------------


def touch(session: Session, household_ids: Iterable[Any]) -> None:
    """Note households whose history this transaction changed outside the ORM's flush (a Core
    insert): their rows are refreshed before it commits."""
    pending = session.info.setdefault(PENDING, set())
    pending.update(_key(h) for h in household_ids if h is not None)


def _after_flush(session: Session, _context: UOWTransaction) -> None:
    touched: set[Any] = set()
    for obj in chain(session.new, session.dirty, session.deleted):
        if isinstance(obj, ACTIVITY):
            touched.add(obj.household_id)
            # a record moved to another household changes the one it left, too
            touched.update(inspect(obj).attrs.household_id.history.deleted or ())
    if touched:
        touch(session, touched)


def _before_commit(session: Session) -> None:
    if session.new or session.dirty or session.deleted:
        session.flush()  # the last changes' households are noted by the flush
    pending = session.info.pop(PENDING, None)
    if pending:
        refresh_facts(session.connection(), pending)


def _after_transaction_end(session: Session, transaction: Any) -> None:
    if transaction.parent is None:  # the outermost one: committed (refreshed) or rolled back
        session.info.pop(PENDING, None)


def install() -> None:
    """Listen on every session (idempotent)."""
    for name, fn in (
        ("after_flush", _after_flush),
        ("before_commit", _before_commit),
        ("after_transaction_end", _after_transaction_end),
    ):
        if not event.contains(Session, name, fn):
            event.listen(Session, name, fn)
