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
import re
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

Check = Callable[[Any], Any]
"""Takes a JSON value; returns it normalised or raises :class:`_Bad`. The place of a bad value
is added by whoever knows it, as the error travels up: building a path for every value that
is fine would cost more than checking it."""


class MalformedPackage(EvacError):
    """The package opened with the right passphrase but does not hold what the app writes."""

    def __init__(self, where: str) -> None:
        super().__init__("sync.malformed", where=where)


class _Bad(Exception):
    def __init__(self, where: str = "") -> None:
        super().__init__(where)
        self.where = where

    def under(self, place: str) -> _Bad:
        """The same problem, one level up: ``place`` then where it was below."""
        return _Bad(place + self.where)


_CANONICAL_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


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


def _uuid(value: Any) -> str:
    """The UUID in canonical text (what this app writes passes a regular expression; other
    spellings of a UUID are parsed and rewritten)."""
    if type(value) is str and _CANONICAL_UUID.fullmatch(value):
        return value
    if not isinstance(value, str) or len(value) > 45:
        raise _Bad()
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise _Bad() from None


def _counter(value: Any) -> int:
    if type(value) is not int or not 0 <= value <= MAX_COUNTER:
        raise _Bad()
    return value


def _text(limit: int | None) -> Check:
    def check(value: Any) -> str:
        if type(value) is not str or "\x00" in value:  # PostgreSQL refuses NUL in text
            raise _Bad()
        if limit is not None and len(value) > limit:
            raise _Bad()
        return value

    return check


def _aware_time(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 40:
        raise _Bad()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise _Bad() from None
    if moment.tzinfo is None:  # the UTC columns refuse a time without a zone
        raise _Bad()
    return moment.astimezone(UTC).isoformat()


def _day(value: Any) -> str:
    if not isinstance(value, str) or len(value) > 12:
        raise _Bad()
    try:
        return date.fromisoformat(value).isoformat()
    except ValueError:
        raise _Bad() from None


def _boolean(value: Any) -> bool:
    if type(value) is not bool:
        raise _Bad()
    return value


def _integer(value: Any) -> int:
    if type(value) is not int or not -(2**31) <= value < 2**31:
        raise _Bad()
    return value


def _number(value: Any) -> float | int:
    if type(value) not in (int, float) or not math.isfinite(value) or abs(value) > 1e15:
        raise _Bad()
    return value  # type: ignore[no-any-return]


def _any_json(value: Any) -> Any:
    return value  # parsed from JSON, so JSON already; the column's own type said "Any"


def _from_hint(hint: Any, column: str) -> Check:
    """A check for a JSON column's declared Python type (``list[str]``, ``dict[str, Any]``)."""
    if hint is Any:
        return _any_json
    if hint is str:
        return _text(None)
    if hint is int:
        return _integer
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin is list and len(args) == 1:
        item = _from_hint(args[0], column)
        if item is _any_json:
            return _a_list

        def check_list(value: Any) -> list[Any]:
            if type(value) is not list:
                raise _Bad()
            return [item(v) for v in value]

        return check_list
    if origin is dict and len(args) == 2 and args[0] is str:
        item = _from_hint(args[1], column)

        def check_dict(value: Any) -> dict[str, Any]:
            if type(value) is not dict:
                raise _Bad()
            return {k: item(v) for k, v in value.items()}

        return check_dict
    raise TypeError(f"{column}: no package check for {hint!r}")


def _a_list(value: Any) -> list[Any]:
    if type(value) is not list:
        raise _Bad()
    return value  # type: ignore[no-any-return]


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

    def check(value: Any) -> Any:
        if value is None:
            if not nullable:
                raise _Bad()
            return None
        value = base(value)
        if choices is not None and value not in choices:
            raise _Bad()
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


def _stamp(value: Any, *, origin_may_be_empty: bool) -> list[Any]:
    if type(value) is not list or len(value) != 2:
        raise _Bad()
    lamport = _counter(value[0])
    if origin_may_be_empty and value[1] == "":
        return [lamport, ""]  # a snapshot field whose edit the office never logged
    return [lamport, _uuid(value[1])]


def _stamps(value: Any, fields: Any, *, origin_may_be_empty: bool) -> dict[str, list[Any]]:
    """Per-field stamps, for fields of the change's data only."""
    if type(value) is not dict or not value.keys() <= fields:
        raise _Bad()
    found = {}
    for name, stamp in value.items():
        try:
            found[name] = _stamp(stamp, origin_may_be_empty=origin_may_be_empty)
        except _Bad as bad:
            raise bad.under(f".{name}") from None
    return found


def _resolves(value: Any) -> list[str]:
    if type(value) is not list:
        raise _Bad()
    found = []
    for key in value:
        if type(key) is not str:
            raise _Bad()
        parts = key.split(":", 2)
        if len(parts) != 3 or parts[0] not in SYNCED or parts[2] not in _columns(parts[0]):
            raise _Bad()
        found.append(f"{parts[0]}:{_uuid(parts[1])}:{parts[2]}")
    return found


def _field(checks: Check, value: Any, place: str) -> Any:
    try:
        return checks(value)
    except _Bad as bad:
        raise bad.under(place) from None


def _change(raw: Any, scoped: bool) -> dict[str, Any]:
    """One change, normalised; a problem is raised with its place inside the change."""
    if type(raw) is not dict or not _CHANGE_KEYS.issuperset(raw):
        raise _Bad()
    entity, op = raw.get("entity"), raw.get("op")
    if type(entity) is not str or entity not in SYNCED:
        raise _Bad(".entity")
    if type(op) is not str or op not in OPS:
        raise _Bad(".op")
    if scoped and (op != "state" or entity not in scope.FIELDS):
        raise _Bad(".op")  # a venue package is the venue's snapshot, nothing else
    if not scoped and op == "state":
        raise _Bad(".op")
    change: dict[str, Any] = {
        "id": _field(_uuid, raw.get("id"), ".id"),
        "entity": entity,
        "row": _field(_uuid, raw.get("row"), ".row"),
        "op": op,
    }
    data = raw.get("data")
    if type(data) is not dict:
        raise _Bad(".data")
    columns = _columns(entity)
    allowed = _scoped_fields(entity) if scoped else columns
    clean: dict[str, Any] = {}
    for name, value in data.items():
        if name not in allowed:
            raise _Bad(".data")  # not named: an unknown key is the sender's text
        try:
            clean[name] = columns[name](value)
        except _Bad:
            raise _Bad(f".data.{name}") from None
    if op == "delete" and clean:
        raise _Bad(".data")
    if op in ("insert", "state") and not all(name in clean for name in _required(entity)):
        raise _Bad(".data")
    change["data"] = clean
    if op == "state":
        if "origin" in raw or "lamport" in raw or "bases" in raw or "resolves" in raw:
            raise _Bad()
        stamps = raw.get("stamps")
        if type(stamps) is not dict or stamps.keys() != clean.keys():
            raise _Bad(".stamps")  # the merge reads a stamp for every field it is given
        change["stamps"] = _field(
            lambda v: _stamps(v, clean.keys(), origin_may_be_empty=True), stamps, ".stamps"
        )
        return change
    if raw.get("stamps") not in (None, {}):
        raise _Bad(".stamps")
    change["origin"] = _field(_uuid, raw.get("origin"), ".origin")
    change["lamport"] = _field(_counter, raw.get("lamport"), ".lamport")
    if "bases" in raw:
        change["bases"] = _field(
            lambda v: _stamps(v, clean.keys(), origin_may_be_empty=False), raw["bases"], ".bases"
        )
    if "resolves" in raw:
        change["resolves"] = _field(_resolves, raw["resolves"], ".resolves")
    return change


# --- the whole package ----------------------------------------------------------------------

_TOP = frozenset({"format", "app_version", "package_id", "created_at", "from_site",
                  "from_name", "former_sites", "to_name", "to_site", "ack", "upto", "scope",
                  "changes"})  # fmt: skip
_OPTIONAL = frozenset({"sender_role"})


def _scope(raw: Any) -> Scope:
    if type(raw) is not dict or raw.keys() != {"venue_id", "venue_name", "rows"}:
        raise _Bad()
    rows = raw["rows"]
    if type(rows) is not dict or rows.keys() != SCOPE_ROWS:
        raise _Bad(".rows")
    checked: dict[str, list[str]] = {}
    for entity, ids in rows.items():
        if type(ids) is not list:
            raise _Bad(f".rows.{entity}")
        checked[entity] = [_field(_uuid, i, f".rows.{entity}") for i in ids]
    return Scope(
        uuid.UUID(_field(_uuid, raw["venue_id"], ".venue_id")),
        _field(_text(200), raw["venue_name"], ".venue_name"),
        checked,
    )


def _sender_role(value: Any) -> str | None:
    if value is None:
        return None
    if type(value) is not str or value not in set(Role):
        raise _Bad()
    return value


def _site_ids(value: Any) -> tuple[uuid.UUID, ...]:
    if type(value) is not list:
        raise _Bad()
    return tuple(uuid.UUID(_uuid(v)) for v in value)


def _optional_site(value: Any) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(_uuid(value))


def _changes(value: Any, scoped: bool) -> list[dict[str, Any]]:
    if type(value) is not list:
        raise _Bad()
    checked = []
    for index, raw in enumerate(value):
        try:
            checked.append(_change(raw, scoped))
        except _Bad as bad:
            raise bad.under(f"[{index}]") from None
    if len({c["id"] for c in checked}) != len(checked):
        raise _Bad(".id")  # the log has one row per change id
    return checked


def parse(payload: Any) -> Package:
    """The checked package, or :class:`MalformedPackage` naming the first field that is wrong
    (a field's place, never its value: values may be personal data)."""
    if type(payload) is not dict:
        raise MalformedPackage("package")
    found = payload.get("format")
    if type(found) is int and found != FORMAT:
        raise EvacError("sync.unknown_format")
    try:
        if type(found) is not int:
            raise _Bad("format")
        missing = _TOP - payload.keys()
        if missing:
            raise _Bad(sorted(missing)[0])
        if payload.keys() - _TOP - _OPTIONAL:
            raise _Bad("package")  # an unknown field, not named: it is the sender's text
        scoped = payload["scope"] is not None

        def top(checks: Check, name: str) -> Any:
            return _field(checks, payload.get(name), name)

        return Package(
            package_id=uuid.UUID(top(_uuid, "package_id")),
            app_version=top(_text(50), "app_version"),
            created_at=top(_aware_time, "created_at"),
            from_site=uuid.UUID(top(_uuid, "from_site")),
            from_name=top(_text(MAX_NAME), "from_name"),
            former_sites=top(_site_ids, "former_sites"),
            to_name=top(_text(MAX_NAME), "to_name"),
            to_site=top(_optional_site, "to_site"),
            sender_role=top(_sender_role, "sender_role"),
            ack=top(_counter, "ack"),
            upto=top(_counter, "upto"),
            scope=top(_scope, "scope") if scoped else None,
            changes=top(lambda v: _changes(v, scoped), "changes"),
        )
    except _Bad as bad:
        raise MalformedPackage(bad.where) from None
