"""Applying a package: one transaction, idempotent, per-field last-writer-wins with conflicts.

For each change not seen before (by change id), field by field:
* the local value is the one the sender replaced (its ``base``), or older: take the new value;
* the local value is a later edit the sender had not seen: a conflict. The larger stamp wins on
  every laptop alike, so all agree without anyone deciding, and both values are kept in
  ``sync_conflict`` until a coordinator settles it.
Meals, visits and check-ins are only ever inserted, so they never conflict; the same meal
arriving twice (by id, or by its import key) is stored once.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from evacsupport.db import audit_hook, facts
from evacsupport.db.base import utcnow
from evacsupport.db.facts import refresh_facts
from evacsupport.db.models import DisasterEvent, Household, MealLog, SyncChange, SyncConflict
from evacsupport.services.households import next_case_number
from evacsupport.sync import capture, site
from evacsupport.sync.capture import current_stamps, stamps_of
from evacsupport.sync.codec import SYNCED, decode, encode, table
from evacsupport.sync.site import Stamp

CHANGES = cast(Table, SyncChange.__table__)
CONFLICTS = cast(Table, SyncConflict.__table__)


@dataclass
class MergeResult:
    received: int = 0
    applied: int = 0
    already_had: int = 0
    conflicts: int = 0
    duplicates: int = 0
    renumbered: list[tuple[str, str]] = field(default_factory=list)
    touched_households: set[uuid.UUID] = field(default_factory=set)


def unique_name(base: str, suffix: str, limit: int, taken: Callable[[str], bool]) -> str:
    """``base``, or ``base`` with ``suffix`` (then ``suffix-2``, ``-3``…) when it is taken.

    The base is shortened to make room, so a name already at the column's length still gets a
    distinct one (appending and then truncating gave the same name back, forever).
    """
    if not taken(base[:limit]):
        return base[:limit]
    for n in itertools.count(1):
        extra = suffix if n == 1 else f"{suffix}-{n}"
        candidate = base[: max(0, limit - len(extra))] + extra
        if not taken(candidate):
            return candidate
    raise AssertionError("unreachable")  # pragma: no cover


def _placeholder(column: Any) -> Any:
    """A value for a required column the sender did not send (a venue laptop's projection)."""
    python = getattr(column.type, "python_type", str)
    return {str: "", int: 0, bool: False, float: 0.0, list: [], dict: {}}.get(python, "")


class Merger:
    """Applies one package's changes to an open connection (the caller owns the transaction)."""

    def __init__(self, conn: Connection, peer_name: str, step: Callable[[], None]) -> None:
        self.conn = conn
        self.peer_name = peer_name
        self.step = step
        self.me = site.current(conn)
        self.result = MergeResult()
        self.now = utcnow()
        self.by = f"同期: {peer_name}"[:100]
        self.stamps: dict[tuple[str, uuid.UUID], dict[str, Stamp]] = {}
        self.exists: dict[str, set[uuid.UUID]] = {}
        self.pending: dict[str, list[dict[str, Any]]] = {}
        # the queued rows by (entity, id): a later change to a row this merge inserts is folded
        # into its insert, instead of flushing every queue for one UPDATE statement
        self.queued: dict[tuple[str, uuid.UUID], dict[str, Any]] = {}
        self.log: list[dict[str, Any]] = []
        self.wanted_numbers: dict[uuid.UUID, str] = {}
        self._numbers: dict[str, uuid.UUID] | None = None  # case number -> household
        self._held: dict[uuid.UUID, str] = {}
        self._keys: set[str] | None = None
        # households whose meals, visits, check-ins or follow-ups changed: their facts are
        # recomputed at the end (these Core writes pass no session hook)
        self.activity_households: set[uuid.UUID | None] = set()
        # meals this merge inserts: their households, when nothing else changed their history,
        # are brought up to date from their stored facts (facts.add_meals), not recomputed
        self.new_meals: list[dict[str, Any]] = []
        # what this merge created or changed, one audit entry per record change (action,
        # entity, row id, changed fields): written by the caller with the sync_import summary
        self.audited: list[tuple[str, str, uuid.UUID, dict[str, list[Any]]]] = []

    # --- preparation ------------------------------------------------------------------------

    def _empty(self, t: Table) -> bool:
        return self.conn.scalar(select(t.c.id).limit(1)) is None

    def _preload(self, changes: list[dict[str, Any]]) -> None:
        rows: dict[str, set[uuid.UUID]] = {}
        for c in changes:
            rows.setdefault(c["entity"], set()).add(uuid.UUID(c["row"]))
        for entity, ids in rows.items():
            t = table(entity)
            found: set[uuid.UUID] = set()
            if self._empty(t):  # a new laptop: nothing to look up (nor any stamps)
                self.exists[entity] = found
                continue
            id_list = list(ids)
            for start in range(0, len(id_list), 500):
                chunk = id_list[start : start + 500]
                found.update(self.conn.scalars(select(t.c.id).where(t.c.id.in_(chunk))))
            self.exists[entity] = found
            for row_id, fields in current_stamps(self.conn, entity, found).items():
                self.stamps[(entity, row_id)] = fields

    def unseen(self, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        ids = [c["id"] for c in changes]
        known: set[str] = set()
        if self._empty(CHANGES):
            return list(changes)
        for start in range(0, len(ids), 500):
            chunk = [uuid.UUID(i) for i in ids[start : start + 500]]
            known.update(
                str(i)
                for i in self.conn.scalars(select(CHANGES.c.id).where(CHANGES.c.id.in_(chunk)))
            )
        return [c for c in changes if c["id"] not in known]

    # --- writing ----------------------------------------------------------------------------

    def _flush_inserts(self) -> None:
        for entity in SYNCED:
            rows = self.pending.pop(entity, None)
            if rows:
                self.conn.execute(insert(table(entity)), rows)
        self.queued.clear()

    def _local(self, entity: str, row_id: uuid.UUID) -> dict[str, Any]:
        if (entity, row_id) in self.queued:  # inserted by this merge: read it as stored
            self._flush_inserts()
        t = table(entity)
        row = self.conn.execute(select(t).where(t.c.id == row_id)).first()
        return {k: encode(v) for k, v in row._mapping.items()} if row else {}

    def _conflict(
        self, entity: str, row_id: uuid.UUID, name: str, mine: Any, theirs: Any, kept: str
    ) -> None:
        self.conn.execute(
            delete(CONFLICTS).where(
                CONFLICTS.c.entity == entity,
                CONFLICTS.c.row_id == row_id,
                CONFLICTS.c.field == name,
                CONFLICTS.c.status == "open",
            )
        )
        self.conn.execute(
            insert(CONFLICTS).values(
                id=uuid.uuid4(),
                entity=entity,
                row_id=row_id,
                field=name,
                mine=mine,
                theirs=theirs,
                kept=kept,
                peer_name=self.peer_name,
                detected_at=self.now,
                status="open",
                resolution="",
                resolved_by="",
            )
        )
        self.result.conflicts += 1

    def _insert(self, entity: str, row_id: uuid.UUID, data: dict[str, Any]) -> bool:
        """Queue a new row; False when it duplicates one already here (skipped)."""
        t = table(entity)
        values = {k: decode(t.c[k], v) for k, v in data.items() if k in t.c and k != "id"}
        if entity == "meal_log" and values.get("dedup_key"):
            if values["dedup_key"] in self._dedup_keys():
                self.result.duplicates += 1
                return False
            self._dedup_keys().add(values["dedup_key"])
        if entity == "household" and "case_number" in values:
            values["case_number"] = self._claim_case_number(row_id, str(values["case_number"]))
        if entity == "app_user" and "username" in values:
            # Two laptops each made their own "admin": the newcomer's name gets a suffix.
            self._flush_inserts()
            values["username"] = unique_name(
                values["username"], f"-{row_id.hex[:4]}", 64, self._taken(t.c.username)
            )
        if entity == "venue" and "name" in values:
            self._flush_inserts()
            values["name"] = unique_name(
                values["name"], f"（{self.peer_name}）", 200, self._taken(t.c.name)
            )
        for column in t.columns:
            if column.name in values or column.name == "id":
                continue
            if column.default is None and not column.nullable:
                values[column.name] = _placeholder(column)
        values.update(id=row_id, version=1, updated_at=self.now, updated_by=self.by)
        values.setdefault("created_at", self.now)
        rows = self.pending.setdefault(entity, [])
        if rows and set(rows[0]) != set(values):
            self._flush_inserts()
            rows = self.pending.setdefault(entity, [])
        rows.append(values)
        self.queued[(entity, row_id)] = values
        self.exists.setdefault(entity, set()).add(row_id)
        if entity == "meal_log":
            self.new_meals.append(values)  # read at the end: a later change may fold into it
        elif entity in facts.ACTIVITY_ENTITIES:
            self.activity_households.add(values.get("household_id"))
        if entity == "household":
            self.result.touched_households.add(row_id)
        return True

    def _taken(self, column: Any) -> Callable[[str], bool]:
        def taken(name: str) -> bool:
            return self.conn.scalar(select(column.table.c.id).where(column == name)) is not None

        return taken

    def _dedup_keys(self) -> set[str]:
        """Import keys of the meals here (one query per merge, then kept up to date)."""
        if self._keys is None:
            self._keys = set(
                self.conn.scalars(select(MealLog.dedup_key).where(MealLog.dedup_key.is_not(None)))
            )
        return self._keys

    def _claim_case_number(self, row_id: uuid.UUID, wanted: str) -> str:
        """The number, or a placeholder when another household holds it right now.

        Two laptops number households offline alike; a later change in the same package may
        free the number (the other laptop renumbered), so collisions are settled at the end.
        """
        if self._numbers is None:
            rows = self.conn.execute(select(Household.case_number, Household.id))
            self._numbers = {number: owner for number, owner in rows}
            self._held = {owner: number for number, owner in self._numbers.items()}
        holder = self._numbers.get(wanted)
        self._release(row_id)
        if holder is None or holder == row_id:
            number = wanted
            self.wanted_numbers.pop(row_id, None)
        else:
            number = f"~{row_id.hex[:16]}"
            self.wanted_numbers[row_id] = wanted
        self._numbers[number] = row_id
        self._held[row_id] = number
        return number

    def _release(self, row_id: uuid.UUID) -> None:
        """Forget the number ``row_id`` held before (it is about to change)."""
        held = self._held.pop(row_id, None)
        if held is not None and self._numbers is not None and self._numbers.get(held) == row_id:
            del self._numbers[held]

    def _settle_case_numbers(self) -> None:
        renumbered = []
        for row_id, wanted in self.wanted_numbers.items():
            number = wanted
            if self.conn.scalar(select(Household.id).where(Household.case_number == wanted)):
                code = (
                    self.conn.scalar(
                        select(DisasterEvent.code)
                        .join(Household, Household.event_id == DisasterEvent.id)
                        .where(Household.id == row_id)
                    )
                    or wanted.split("-", 1)[0]
                )
                with Session(bind=self.conn) as session:
                    number = next_case_number(session, code)
                self.result.renumbered.append((wanted, number))
                renumbered.append(("update", "household", row_id, {"case_number": number}))
                self._audit("update", "household", row_id, {"case_number": number})
            self.conn.execute(
                update(Household).where(Household.id == row_id).values(case_number=number)
            )
        # Tell every other laptop: logged as this laptop's own edit, after what it replaced.
        capture.write(self.conn, site.tick(self.conn), renumbered)

    def _update(self, entity: str, row_id: uuid.UUID, values: dict[str, Any]) -> None:
        t = table(entity)
        decoded = {k: decode(t.c[k], v) for k, v in values.items()}
        queued = self.queued.get((entity, row_id))
        if queued is None or not decoded.keys() <= queued.keys():
            self._flush_inserts()
            queued = None
        if entity == "household" and "case_number" in decoded:
            decoded["case_number"] = self._claim_case_number(row_id, decoded["case_number"])
        if queued is not None:
            self._fold(entity, row_id, queued, decoded)
            return
        if entity in facts.ACTIVITY_ENTITIES:  # the household it leaves, and the one it joins
            self.activity_households.add(
                self.conn.scalar(select(t.c.household_id).where(t.c.id == row_id))
            )
            self.activity_households.add(decoded.get("household_id"))
        self.conn.execute(
            update(t)
            .where(t.c.id == row_id)
            .values(**decoded, version=t.c.version + 1, updated_at=self.now, updated_by=self.by)
        )
        if entity == "household":
            self.result.touched_households.add(row_id)
        elif entity == "member":
            hid = self.conn.scalar(select(t.c.household_id).where(t.c.id == row_id))
            if hid:
                self.result.touched_households.add(hid)

    def _fold(
        self, entity: str, row_id: uuid.UUID, queued: dict[str, Any], decoded: dict[str, Any]
    ) -> None:
        """The UPDATE of a row still queued for insert, made on the queued values: the row is
        stored as the insert and the update would have left it (the version counted too)."""
        if entity in facts.ACTIVITY_ENTITIES:  # the household it leaves, and the one it joins
            self.activity_households.add(queued.get("household_id"))
            self.activity_households.add(decoded.get("household_id"))
        queued.update(decoded)
        queued["version"] += 1
        if entity == "household":
            self.result.touched_households.add(row_id)
        elif entity == "member" and queued.get("household_id"):
            self.result.touched_households.add(queued["household_id"])

    # --- the merge ----------------------------------------------------------------------------

    def apply(self, change: dict[str, Any]) -> None:
        """One change (log entry or venue snapshot entry)."""
        entity, row_id, op = change["entity"], uuid.UUID(change["row"]), change["op"]
        if entity not in SYNCED:
            return
        lamport, origin = int(change.get("lamport", 0)), str(change.get("origin", ""))
        data: dict[str, Any] = change.get("data") or {}
        incoming = stamps_of(op, lamport, origin, data, change.get("stamps") or {})
        bases = {k: (int(v[0]), str(v[1])) for k, v in (change.get("bases") or {}).items()}
        exists = row_id in self.exists.get(entity, set())
        local = self.stamps.setdefault((entity, row_id), {})
        changed = False
        if op == "delete":
            if exists:
                self._update(entity, row_id, {"deleted_at": encode(self.now)})
                self._audit("delete", entity, row_id, {"deleted_at": encode(self.now)})
                changed = True
        elif not exists:
            if op in ("insert", "state"):
                changed = self._insert(entity, row_id, data)
                if changed:
                    local.update(incoming)
                    self._audit("create", entity, row_id, data)
        else:
            take: dict[str, Any] = {}
            current: dict[str, Any] | None = None
            for name, value in data.items():
                stamp, mine = incoming[name], local.get(name)
                if mine == stamp:
                    continue
                if name == "created_at" and mine is not None and op != "update":
                    # The same record made on two laptops (the default event): the earlier wins.
                    if current is None:
                        current = self._local(entity, row_id)
                    if value and current.get(name) and value < current[name]:
                        take[name] = value
                    continue
                base = bases.get(name)
                clean = mine is None or (
                    op == "update" and base is not None and (mine == base or mine < base)
                )
                if op == "state":
                    clean = True  # the office's snapshot: the larger stamp simply wins
                if clean:
                    if mine is None or stamp > mine:
                        take[name] = value
                        local[name] = stamp
                    continue
                if current is None:
                    current = self._local(entity, row_id)
                assert mine is not None
                if current.get(name) == value:
                    local[name] = max(stamp, mine)
                    continue
                if stamp > mine:
                    self._conflict(entity, row_id, name, current.get(name), value, "theirs")
                    take[name] = value
                    local[name] = stamp
                else:
                    self._conflict(entity, row_id, name, current.get(name), value, "mine")
            if take:
                self._update(entity, row_id, take)
                self._audit("update", entity, row_id, take)
                changed = True
        for key in change.get("resolves") or []:
            self._settle(key)
        if changed:
            self.result.applied += 1
        if op != "state" or changed:
            self.log.append(
                {
                    "id": uuid.UUID(change["id"]),
                    "origin": uuid.UUID(origin) if origin else self.me.site_id,
                    "lamport": lamport,
                    "entity": entity,
                    "row_id": row_id,
                    "op": op,
                    "data": data,
                    "bases": change.get("bases") or {},
                    "stamps": change.get("stamps") or {},
                    "resolves": change.get("resolves") or [],
                    "at": self.now,
                }
            )
        self.step()

    def _audit(self, action: str, entity: str, row_id: uuid.UUID, values: dict[str, Any]) -> None:
        """Note one record change for the audit: an update's or deletion's fields as the flush
        hook writes them (the old values are not read back: the record's earlier entries hold
        them); a creation only names the record, as a bulk import's do."""
        changes = {} if action == "create" else audit_hook.encoded_changes(values)
        self.audited.append((action, entity, row_id, changes))

    def audit_rows(self, username: str) -> list[dict[str, Any]]:
        """The audit entries of this merge's record changes, for ``audit_chain.append``."""
        return [
            audit_hook.entry(username, action, entity, row_id, changes, self.now)
            for action, entity, row_id, changes in self.audited
        ]

    def _settle(self, key: str) -> None:
        entity, row, name = key.split(":", 2)
        self.conn.execute(
            update(CONFLICTS)
            .where(
                CONFLICTS.c.entity == entity,
                CONFLICTS.c.row_id == uuid.UUID(row),
                CONFLICTS.c.field == name,
                CONFLICTS.c.status == "open",
            )
            .values(
                status="resolved", resolution="elsewhere", resolved_by=self.by, resolved_at=self.now
            )
        )

    def run(self, changes: list[dict[str, Any]]) -> MergeResult:
        self.result.received = len(changes)
        fresh = [c for c in self.unseen(changes) if c.get("origin") != str(self.me.site_id)]
        self.result.already_had = len(changes) - len(fresh)
        highest = max((int(c.get("lamport", 0)) for c in fresh), default=0)
        for c in fresh:
            for stamp in (c.get("stamps") or {}).values():
                highest = max(highest, int(stamp[0]))
        site.observe(self.conn, highest)
        self._preload(fresh)
        for change in fresh:
            self.apply(change)
        self._flush_inserts()
        if self.log:
            for start in range(0, len(self.log), 1000):
                self.conn.execute(insert(CHANGES), self.log[start : start + 1000])
        self._settle_case_numbers()
        self._refresh_facts()
        return self.result

    def _refresh_facts(self) -> None:
        """Recompute the facts of households whose history changed other than by new live
        meals (an undo, a moved record, a visit, a check-in, a follow-up); bring those that
        only gained meals up to date from their stored rows, which every writer keeps current."""
        recompute = self.activity_households
        meals: dict[uuid.UUID, list[Any]] = {}
        for values in self.new_meals:
            household_id = values.get("household_id")
            if values.get("deleted_at") is not None or values.get("served_on") is None:
                recompute.add(household_id)  # logged and undone before it reached us
            elif household_id is not None:
                meals.setdefault(household_id, []).append(values["served_on"])
        for household_id in recompute:
            meals.pop(household_id, None)  # type: ignore[arg-type]
        facts.add_meals(self.conn, meals)
        refresh_facts(self.conn, recompute)
