"""Which tables and columns travel, and how their values are written into a package (JSON)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, Table
from sqlalchemy.types import Uuid

from evacsupport.db.base import Base, UtcDateTime
from evacsupport.db.models import (
    Assignment,
    CheckIn,
    Consent,
    DisasterEvent,
    FollowUp,
    Household,
    MealLog,
    Member,
    Residence,
    User,
    Venue,
    Visit,
)

# Parents before children, so a package applied in this order never breaks a foreign key.
SYNCED: dict[str, type[Base]] = {
    "disaster_event": DisasterEvent,
    "venue": Venue,
    "app_user": User,
    "household": Household,
    "member": Member,
    "consent": Consent,
    "residence": Residence,
    "assignment": Assignment,
    "meal_log": MealLog,
    "visit": Visit,
    "checkin": CheckIn,
    "followup": FollowUp,
}
ENTITY_OF: dict[type[Base], str] = {cls: name for name, cls in SYNCED.items()}

# Local bookkeeping (lock version, last-saved time and person) and derived values do not travel:
# syncing them would turn every save into a conflict. ``search_text`` is rebuilt after a merge.
# Failed sign-ins and lock-outs belong to the laptop where they happened.
LOCAL_ONLY = frozenset(
    {"id", "version", "updated_at", "updated_by", "search_text", "failed_logins", "locked_until"}
)


def table(entity: str) -> Table:
    return SYNCED[entity].__table__  # type: ignore[return-value]


def synced_columns(entity: str) -> list[Column[Any]]:
    return [c for c in table(entity).columns if c.name not in LOCAL_ONLY]


_AS_IS = frozenset({str, int, float, bool, list, dict, type(None)})


def encode(value: Any) -> Any:
    """A Python column value as JSON (UUIDs, dates and times as ISO text)."""
    if type(value) in _AS_IS:  # most values: one set lookup (an import encodes 300,000)
        return value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def decode(column: Column[Any], value: Any) -> Any:
    """The JSON value back as what the column stores."""
    if value is None:
        return None
    if isinstance(column.type, Uuid):
        return uuid.UUID(value)
    if isinstance(column.type, UtcDateTime):
        return datetime.fromisoformat(value)
    if isinstance(column.type, Date):
        return date.fromisoformat(value)
    return value


def decode_row(entity: str, data: dict[str, Any]) -> dict[str, Any]:
    columns = table(entity).columns
    return {k: decode(columns[k], v) for k, v in data.items() if k in columns and k != "id"}
