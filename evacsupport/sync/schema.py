"""What a package may hold, checked whole before the merge touches anything.

A package is sealed with the team passphrase, and every laptop of the team holds that, so what
is inside is trusted no more than any other input: a hand-made or buggy package must be refused
with one clear line, never a traceback halfway through a merge. :func:`parse` checks every
top-level field and every change against ``codec`` (entity names, synced columns, each value's
type, length and nullability, UUIDs, ops, stamps) and returns a :class:`Package` whose changes
are normalised (canonical UUID and time text), so the merger compares like with like: an
upper-case change id would otherwise look unseen and be logged twice.

The rules mirror what ``service.export`` and ``scope.snapshot`` write, no more: a venue
package holds only ``state`` entries of the venue's entities and fields, a full package only
logged ``insert``/``update``/``delete`` entries with their origin and stamp.
"""

from __future__ import annotations

import math
import types
import typing
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any

from sqlalchemy import JSON, Boolean, Column, Date, Float, Integer, String, Uuid

from evacsupport.db.base import UtcDateTime
from evacsupport.domain.codes import Role
from evacsupport.errors import EvacError
from evacsupport.sync import scope
from evacsupport.sync.codec import SYNCED, synced_columns

FORMAT = 1
OPS = frozenset({"insert", "update", "delete", "state"})
MAX_COUNTER = 2**31 - 1  # sequence numbers and clocks land in INTEGER columns
MAX_NAME = 100  # laptop names (sync_state.name, sync_peer.name)
SCOPE_ROWS = frozenset({"household", "member", "assignment"})
CHOICES: dict[tuple[str, str], frozenset[str]] = {
    # An account's role decides what it may do: never store one the app does not know.
    ("app_user", "role"): frozenset(Role),
}

REQUIRED: dict[str, frozenset[str]] = {"app_user": frozenset({"username", "role"})}

Check = Callable[[Any, str], Any]
"""Takes a JSON value and where it sits; returns it normalised or raises :class:`_Bad`."""


class MalformedPackage(EvacError):
    """The package opened with the right passphrase but does not hold what the app writes."""

    def __init__(self, where: str) -> None:
        super().__init__("sync.malformed", where=where)


class _Bad(Exception):
    def __init__(self, where: str) -> None:
        super().__init__(where)
        self.where = where


@dataclass(frozen=True)
class Scope:
    venue_id: uuid.UUID
    venue_name: str
    rows: dict[str, list[str]]


@dataclass(frozen=True)
class Package:
    """A checked package. ``changes`` are plain dicts in the shape the merger reads."""

    package_id: uuid.UUID
    app_version: str
    created_at: str
    from_site: uuid.UUID
    from_name: str
    former_sites: tuple[uuid.UUID, ...]
    to_name: str
    to_site: uuid.UUID | None
    sender_role: str | None
    ack: int
    upto: int
    scope: Scope | None
    changes: list[dict[str, Any]]


# --- single values --------------------------------------------------------------------------


def _uuid(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > 45:
        raise _Bad(where)
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _Bad(where) from None


def _counter(value: Any, where: str) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNTER:
        raise _Bad(where)
    return value


def _text(limit: int | None) -> Check:
    def check(value: Any, where: str) -> str:
        if not isinstance(value, str) or "\x00" in value:  # PostgreSQL refuses NUL in text
            raise _Bad(where)
        if limit is not None and len(value) > limit:
            raise _Bad(where)
        return value

    return check


def _aware_time(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise _Bad(where)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Bad(where) from None
    if moment.tzinfo is None:  # the UTC columns refuse a time without a zone
        raise _Bad(where)
    return moment.astimezone(UTC).isoformat()


def _day(value: Any, where: str) -> str:
    if not isinstance(value, str) or len(value) > 12:
        raise _Bad(where)
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise _Bad(where) from None


def _boolean(value: Any, where: str) -> bool:
    if type(value) is not bool:
        raise _Bad(where)
    return value


def _integer(value: Any, where: str) -> int:
    if type(value) is not int or not -(2**31) <= value < 2**31:
        raise _Bad(where)
    return value


def _number(value: Any, where: str) -> float | int:
    if type(value) not in (int, float) or not math.isfinite(value) or abs(value) > 1e15:
        raise _Bad(where)
    return value  # type: ignore[no-any-return]


def _any_json(value: Any, where: str) -> Any:
    return value  # parsed from JSON, so JSON already; the column's own type said "Any"


def _from_hint(hint: Any, where: str) -> Check:
    """A check for a JSON column's declared Python type (``list[str]``, ``dict[str, Any]``)."""
    if hint is Any:
        return _any_json
    if hint is str:
        return _text(None)
    if hint is int:
        return _integer
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and len(args) == 1:
        item = _from_hint(args[0], where)

        def check_list(value: Any, at: str) -> list[Any]:
            if not isinstance(value, list):
                raise _Bad(at)
            return [item(v, at) for v in value]

        return check_list
    if origin is dict and len(args) == 2 and args[0] is str:
        item = _from_hint(args[1], where)

        def check_dict(value: Any, at: str) -> dict[str, Any]:
            if not isinstance(value, dict):
                raise _Bad(at)
            return {k: item(v, at) for k, v in value.items()}

        return check_dict
    raise TypeError(f"{where}: no package check for {hint!r}")


def _json_hint(entity: str, name: str) -> Any:
    hints = typing.get_type_hints(SYNCED[entity])
    mapped = hints[name]
    (inner,) = typing.get_args(mapped)
    if isinstance(inner, types.UnionType):  # "list[str] | None"
        inner = next(a for a in typing.get_args(inner) if a is not type(None))
    return inner


def _column_check(entity: str, column: Column[Any]) -> Check:
    kind = column.type
    base: Check
    if isinstance(kind, Uuid):
        base = _uuid
    elif isinstance(kind, UtcDateTime):
        base = _aware_time
    elif isinstance(kind, Date):
        base = _day
    elif isinstance(kind, Boolean):
        base = _boolean
    elif isinstance(kind, Integer):
        base = _integer
    elif isinstance(kind, Float):
        base = _number
    elif isinstance(kind, JSON):
        base = _from_hint(_json_hint(entity, column.name), f"{entity}.{column.name}")
    elif isinstance(kind, String):  # Text too
        base = _text(kind.length)
    else:  # a new column type needs a rule here before it may travel
        raise TypeError(f"no package check for {entity}.{column.name} ({kind!r})")
    choices = CHOICES.get((entity, column.name))
    nullable = bool(column.nullable)

    def check(value: Any, where: str) -> Any:
        if value is None:
            if not nullable:
                raise _Bad(where)
            return None
        value = base(value, where)
        if choices is not None and value not in choices:
            raise _Bad(where)
        return value

    return check


@cache
def _columns(entity: str) -> dict[str, Check]:
    return {c.name: _column_check(entity, c) for c in synced_columns(entity)}


@cache
def _scoped_fields(entity: str) -> frozenset[str]:
    return frozenset(scope.fields(entity))


@cache
def _required(entity: str) -> frozenset[str]:
    """Columns a new row cannot do without: the merger fills other missing columns with an
    empty value, but there is no empty UUID or date (a member must name its household), and
    an account without a name or a role is no account."""
    return frozenset(
        c.name
        for c in synced_columns(entity)
        if not c.nullable and c.default is None and isinstance(c.type, Uuid | Date | UtcDateTime)
    ) | REQUIRED.get(entity, frozenset())


def check_tables() -> None:
    """Build every column's check now (an unknown column type fails here, not on a package)."""
    for entity in SYNCED:
        _columns(entity)
        _required(entity)
    for entity in scope.FIELDS:
        _scoped_fields(entity)


# --- changes --------------------------------------------------------------------------------

_CHANGE_KEYS = frozenset({"id", "origin", "lamport", "entity", "row", "op", "data", "bases",
                          "stamps", "resolves"})  # fmt: skip


def _stamp(value: Any, where: str, *, origin_may_be_empty: bool) -> list[Any]:
    if not isinstance(value, list) or len(value) != 2:
        raise _Bad(where)
    lamport = _counter(value[0], where)
    if origin_may_be_empty and value[1] == "":
        return [lamport, ""]  # a snapshot field whose edit the office never logged
    return [lamport, _uuid(value[1], where)]


def _resolves(value: Any, where: str) -> list[str]:
    if not isinstance(value, list):
        raise _Bad(where)
    found = []
    for key in value:
        if not isinstance(key, str):
            raise _Bad(where)
        parts = key.split(":", 2)
        if len(parts) != 3 or parts[0] not in SYNCED or parts[2] not in _columns(parts[0]):
            raise _Bad(where)
        found.append(f"{parts[0]}:{_uuid(parts[1], where)}:{parts[2]}")
    return found


def _change(raw: Any, where: str, scoped: bool) -> dict[str, Any]:
    if not isinstance(raw, dict) or not raw.keys() <= _CHANGE_KEYS:
        raise _Bad(where)
    entity, op = raw.get("entity"), raw.get("op")
    if not isinstance(entity, str) or entity not in SYNCED:
        raise _Bad(f"{where}.entity")
    if not isinstance(op, str) or op not in OPS:
        raise _Bad(f"{where}.op")
    if scoped and (op != "state" or entity not in scope.FIELDS):
        raise _Bad(f"{where}.op")  # a venue package is the venue's snapshot, nothing else
    if not scoped and op == "state":
        raise _Bad(f"{where}.op")
    change: dict[str, Any] = {
        "id": _uuid(raw.get("id"), f"{where}.id"),
        "entity": entity,
        "row": _uuid(raw.get("row"), f"{where}.row"),
        "op": op,
    }
    data = raw.get("data")
    if not isinstance(data, dict):
        raise _Bad(f"{where}.data")
    columns = _columns(entity)
    allowed = _scoped_fields(entity) if scoped else columns.keys()
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            raise _Bad(f"{where}.data")  # not named: an unknown key is the sender's text
        clean[name] = columns[name](value, f"{where}.data.{name}")
    if op == "delete" and clean:
        raise _Bad(f"{where}.data")
    if op in ("insert", "state") and not _required(entity) <= clean.keys():
        raise _Bad(f"{where}.data")
    change["data"] = clean
    if op == "state":
        if "origin" in raw or "lamport" in raw or "bases" in raw or "resolves" in raw:
            raise _Bad(where)
        stamps = raw.get("stamps")
        if not isinstance(stamps, dict) or stamps.keys() != clean.keys():
            raise _Bad(f"{where}.stamps")
        change["stamps"] = {
            name: _stamp(s, f"{where}.stamps.{name}", origin_may_be_empty=True)
            for name, s in stamps.items()
        }
        return change
    if raw.get("stamps") not in (None, {}):
        raise _Bad(f"{where}.stamps")
    change["origin"] = _uuid(raw.get("origin"), f"{where}.origin")
    change["lamport"] = _counter(raw.get("lamport"), f"{where}.lamport")
    if "bases" in raw:
        bases = raw["bases"]
        if not isinstance(bases, dict) or not bases.keys() <= clean.keys():
            raise _Bad(f"{where}.bases")
        change["bases"] = {
            name: _stamp(b, f"{where}.bases.{name}", origin_may_be_empty=False)
            for name, b in bases.items()
        }
    if "resolves" in raw:
        change["resolves"] = _resolves(raw["resolves"], f"{where}.resolves")
    return change


# --- the whole package ----------------------------------------------------------------------

_TOP = frozenset({"format", "app_version", "package_id", "created_at", "from_site",
                  "from_name", "former_sites", "to_name", "to_site", "ack", "upto", "scope",
                  "changes"})  # fmt: skip
_OPTIONAL = frozenset({"sender_role"})


def _scope(raw: Any) -> Scope:
    if not isinstance(raw, dict) or raw.keys() != {"venue_id", "venue_name", "rows"}:
        raise _Bad("scope")
    rows = raw["rows"]
    if not isinstance(rows, dict) or rows.keys() != SCOPE_ROWS:
        raise _Bad("scope.rows")
    checked: dict[str, list[str]] = {}
    for entity, ids in rows.items():
        if not isinstance(ids, list):
            raise _Bad(f"scope.rows.{entity}")
        checked[entity] = [_uuid(i, f"scope.rows.{entity}") for i in ids]
    return Scope(
        uuid.UUID(_uuid(raw["venue_id"], "scope.venue_id")),
        _text(200)(raw["venue_name"], "scope.venue_name"),
        checked,
    )


def _sender_role(value: Any) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or value not in set(Role):
        raise _Bad("sender_role")
    return value


def parse(payload: Any) -> Package:
    """The checked package, or :class:`MalformedPackage` naming the first field that is wrong
    (a field's place, never its value: values may be personal data)."""
    if not isinstance(payload, dict):
        raise MalformedPackage("package")
    found = payload.get("format")
    if type(found) is int and found != FORMAT:
        raise EvacError("sync.unknown_format")
    try:
        if found != FORMAT or type(found) is not int:
            raise _Bad("format")
        missing = _TOP - payload.keys()
        if missing:
            raise _Bad(sorted(missing)[0])
        if payload.keys() - _TOP - _OPTIONAL:
            raise _Bad("package")  # an unknown field, not named: it is the sender's text
        scoped = payload["scope"] is not None
        changes = payload["changes"]
        if not isinstance(changes, list):
            raise _Bad("changes")
        checked = [_change(c, f"changes[{i}]", scoped) for i, c in enumerate(changes)]
        if len({c["id"] for c in checked}) != len(checked):
            raise _Bad("changes.id")  # the log has one row per change id
        former = payload["former_sites"]
        if not isinstance(former, list):
            raise _Bad("former_sites")
        to_site = payload["to_site"]
        return Package(
            package_id=uuid.UUID(_uuid(payload["package_id"], "package_id")),
            app_version=_text(50)(payload["app_version"], "app_version"),
            created_at=_aware_time(payload["created_at"], "created_at"),
            from_site=uuid.UUID(_uuid(payload["from_site"], "from_site")),
            from_name=_text(MAX_NAME)(payload["from_name"], "from_name"),
            former_sites=tuple(uuid.UUID(_uuid(f, "former_sites")) for f in former),
            to_name=_text(MAX_NAME)(payload["to_name"], "to_name"),
            to_site=None if to_site is None else uuid.UUID(_uuid(to_site, "to_site")),
            sender_role=_sender_role(payload.get("sender_role")),
            ack=_counter(payload["ack"], "ack"),
            upto=_counter(payload["upto"], "upto"),
            scope=_scope(payload["scope"]) if scoped else None,
            changes=checked,
        )
    except _Bad as bad:
        raise MalformedPackage(bad.where) from None
