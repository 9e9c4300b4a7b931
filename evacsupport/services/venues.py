"""Venues: kodomo shokudo and other community places households are connected to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.models import Venue
from evacsupport.domain import allergens, municipalities
from evacsupport.domain.codes import VenueKind, parse_choice
from evacsupport.domain.geo import parse_coordinates
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import (
    clean_text,
    normalize_phone,
    normalize_postal,
    parse_int,
)
from evacsupport.domain.schedule import Slot, parse_schedule
from evacsupport.errors import EvacError, FieldError, FieldErrors, NotFound, ValidationError

CAPACITY_MAX = 500


@dataclass
class VenueInput:
    name: str = ""
    kind: str = VenueKind.KODOMO_SHOKUDO
    operator: str = ""
    postal_code: str = ""
    municipality_code: str = ""
    address: str = ""
    coordinates: str = ""
    capacity: int | str = ""
    schedule: str | Sequence[Slot] = ""
    allergens_handled: Sequence[str] | str = ()
    wheelchair_access: bool = False
    contact_name: str = ""
    phone: str = ""
    email: str = ""
    active: bool = True
    notes: str = ""


def validate_venue(data: VenueInput) -> dict[str, Any]:
    errors = FieldErrors()
    name = clean_text(data.name)
    if not name:
        errors.add("name", "value.required")
    errors.check("name", limit_length, name, 200)
    address = clean_text(data.address)
    code = errors.check("municipality_code", municipalities.validate_code, data.municipality_code)
    if not code and address and code is not None:
        found = municipalities.from_address(address)
        code = found.code if found else ""
    lat = lon = None
    if clean_text(data.coordinates):
        parsed = errors.check("coordinates", parse_coordinates, data.coordinates)
        if parsed:
            lat, lon = parsed
    capacity = None
    if clean_text(str(data.capacity)) == "":
        errors.add("capacity", "value.required")
    else:
        capacity = errors.check(
            "capacity", parse_int, data.capacity, minimum=1, maximum=CAPACITY_MAX
        )
    if isinstance(data.schedule, str):
        slots = errors.check("schedule", parse_schedule, data.schedule) or []
    else:
        slots = list(data.schedule)
    email = clean_text(data.email)
    if email and ("@" not in email or " " in email):
        errors.add("email", "email.invalid")
    values = {
        "name": name,
        "kind": errors.check("kind", parse_choice, VenueKind, data.kind),
        "operator": clean_text(data.operator),
        "postal_code": errors.check("postal_code", normalize_postal, data.postal_code) or "",
        "municipality_code": code or "",
        "address": address,
        "latitude": lat,
        "longitude": lon,
        "capacity": capacity,
        "schedule": [s.to_json() for s in sorted(slots)],
        "allergens_handled": errors.check(
            "allergens_handled", allergens.normalize_allergens, data.allergens_handled
        )
        or [],
        "wheelchair_access": bool(data.wheelchair_access),
        "contact_name": clean_text(data.contact_name),
        "phone": errors.check("phone", normalize_phone, data.phone) or "",
        "email": email,
        "active": bool(data.active),
        "notes": (data.notes or "").strip(),
    }
    errors.raise_if_any()
    return values


def _check_unique_name(session: Session, name: str, own_id: uuid.UUID | None) -> None:
    other = session.scalar(select(Venue.id).where(Venue.name == name))
    if other is not None and other != own_id:
        raise ValidationError([FieldError("name", "venue.name_taken", {"value": name})])


def create_venue_in(session: Session, data: VenueInput) -> Venue:
    values = validate_venue(data)
    _check_unique_name(session, values["name"], None)
    venue = Venue(**values)
    session.add(venue)
    session.flush()
    return venue


class VenueService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def create(self, data: VenueInput) -> Venue:
        with self.db.session() as session:
            return create_venue_in(session, data)

    def update(
        self, venue_id: uuid.UUID, data: VenueInput, *, expected_version: int | None = None
    ) -> Venue:
        values = validate_venue(data)
        with self.db.session() as session:
            venue = self._load(session, venue_id)
            if expected_version is not None and venue.version != expected_version:
                raise EvacError("venue.changed_elsewhere")
            _check_unique_name(session, values["name"], venue.id)
            for key, value in values.items():
                if getattr(venue, key) != value:
                    setattr(venue, key, value)
            return venue

    def get(self, venue_id: uuid.UUID) -> Venue:
        with self.db.read() as session:
            return self._load(session, venue_id)

    def list(self, *, include_inactive: bool = True) -> list[Venue]:
        query = select(Venue).where(Venue.deleted_at.is_(None)).order_by(Venue.name)
        if not include_inactive:
            query = query.where(Venue.active.is_(True))
        with self.db.read() as session:
            return list(session.scalars(query))

    def soft_delete(self, venue_id: uuid.UUID) -> None:
        with self.db.session() as session:
            self._load(session, venue_id).deleted_at = utcnow()

    @staticmethod
    def _load(session: Session, venue_id: uuid.UUID) -> Venue:
        venue = session.get(Venue, venue_id)
        if venue is None or venue.deleted_at is not None:
            raise NotFound("venue.not_found", value=str(venue_id))
        return venue
