"""Venues: kodomo shokudo and other community places households are connected to."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.failures import unique_violation
from evacsupport.db.models import Venue
from evacsupport.domain import allergens, municipalities
from evacsupport.domain.codes import VenueKind, parse_choice
from evacsupport.domain.geo import parse_coordinates
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import (
    clean_multiline,
    clean_name,
    clean_text,
    normalize_phone,
    normalize_postal,
    parse_int,
)
from evacsupport.domain.roles import Permission
from evacsupport.domain.schedule import Slot, parse_schedule
from evacsupport.errors import (
    EvacError,
    FieldError,
    FieldErrors,
    NotFound,
    ValidationError,
)
from evacsupport.services.authz import any_role, gate
from evacsupport.services.places import Location, locate

CAPACITY_MAX = 500
# Lengths of the venue table's text columns: a longer value is a message, not a database error.
NAME_MAX = 200
OPERATOR_MAX = 200
ADDRESS_MAX = 300
CONTACT_MAX = 100
EMAIL_MAX = 200
# One address, local@domain.tld: no spaces, no second @, no list separators, a dotted domain
# without empty labels. Deliberately loose otherwise (internationalised domains are real).
_EMAIL_RE = re.compile(r"[^@\s,;<>()\[\]\"]+@[^@\s,;<>()\[\]\".]+(?:\.[^@\s,;<>()\[\]\".]+)+")


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
    """Normalise every field and collect every problem; raises ValidationError listing them all."""
    values, errors = _validate(data)
    errors.raise_if_any()
    return values


def _validate(data: VenueInput) -> tuple[dict[str, Any], FieldErrors]:
    errors = FieldErrors()
    name = errors.check("name", clean_name, data.name)
    if name == "":
        errors.add("name", "value.required")
    elif name is not None:
        errors.check("name", limit_length, name, NAME_MAX)
    operator = clean_text(data.operator)
    errors.check("operator", limit_length, operator, OPERATOR_MAX)
    address = clean_text(data.address)
    errors.check("address", limit_length, address, ADDRESS_MAX)
    code = errors.check("municipality_code", municipalities.validate_code, data.municipality_code)
    if not code and address and code is not None:
        found = municipalities.from_address(address)
        code = found.code if found else ""
    postal_code = errors.check("postal_code", normalize_postal, data.postal_code) or ""
    typed = None
    mistyped = False
    if clean_text(data.coordinates):
        typed = errors.check("coordinates", parse_coordinates, data.coordinates)
        mistyped = typed is None
    # Venue lists give addresses: without typed coordinates the address gives the point.
    location = Location(None, None, "") if mistyped else locate(typed, address, postal_code)
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
    contact_name = errors.check("contact_name", clean_name, data.contact_name)
    if contact_name:
        errors.check("contact_name", limit_length, contact_name, CONTACT_MAX)
    email = clean_text(data.email)
    if email and not _EMAIL_RE.fullmatch(email):
        errors.add("email", "email.invalid")
    elif email:
        errors.check("email", limit_length, email, EMAIL_MAX)
    values = {
        "name": name or "",
        "kind": errors.check("kind", parse_choice, VenueKind, data.kind),
        "operator": operator,
        "postal_code": postal_code,
        "municipality_code": code or "",
        "address": address,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "location_precision": location.precision,
        "capacity": capacity,
        "schedule": [s.to_json() for s in sorted(set(slots))],
        "allergens_handled": errors.check(
            "allergens_handled", allergens.normalize_allergens, data.allergens_handled
        )
        or [],
        "wheelchair_access": bool(data.wheelchair_access),
        "contact_name": contact_name or "",
        "phone": errors.check("phone", normalize_phone, data.phone) or "",
        "email": email,
        "active": bool(data.active),
        "notes": clean_multiline(data.notes),
    }
    return values, errors


def _check_unique_name(
    session: Session, errors: FieldErrors, name: str, own_id: uuid.UUID | None
) -> None:
    """A name in use by another venue (a deleted one too: the column is unique) is an error."""
    if not name:
        return
    other = session.scalar(select(Venue.id).where(Venue.name == name))
    if other is not None and other != own_id:
        errors.add("name", "venue.name_taken", value=name)


def create_venue_in(session: Session, data: VenueInput) -> Venue:
    """Create within an open unit of work; every problem, a taken name included, is reported."""
    values, errors = _validate(data)
    _check_unique_name(session, errors, values["name"], None)
    errors.raise_if_any()
    venue = Venue(**values)
    session.add(venue)
    with _name_taken_meanwhile(values["name"]):
        session.flush()
    return venue


@contextmanager
def _name_taken_meanwhile(name: str) -> Iterator[None]:
    """A name another save wrote after our check: the unique index refuses it, and the form
    shows the same field message as when the check itself finds it (never the driver's text,
    which holds the row's values)."""
    try:
        yield
    except IntegrityError as exc:
        if unique_violation(exc) != "venue.name":
            raise
        raise ValidationError([FieldError("name", "venue.name_taken", {"value": name})]) from exc


class VenueService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @gate(Permission.VENUES)
    def create(self, data: VenueInput) -> Venue:
        with self.db.session() as session:
            return create_venue_in(session, data)

    @gate(Permission.VENUES)
    def update(
        self, venue_id: uuid.UUID, data: VenueInput, *, expected_version: int | None = None
    ) -> Venue:
        """Save an edited venue; refused if someone saved it since ``expected_version``."""
        values, errors = _validate(data)
        try:
            with _name_taken_meanwhile(values["name"]), self.db.session() as session:
                venue = self._load(session, venue_id)
                if expected_version is not None and venue.version != expected_version:
                    raise EvacError("venue.changed_elsewhere")
                _check_unique_name(session, errors, values["name"], venue.id)
                errors.raise_if_any()
                for key, value in values.items():
                    if getattr(venue, key) != value:
                        setattr(venue, key, value)
        except StaleDataError as exc:
            raise EvacError("venue.changed_elsewhere") from exc
        return venue

    @any_role("a venue is not personal data; the counter, reports and filters name venues")
    def get(self, venue_id: uuid.UUID) -> Venue:
        with self.db.read() as session:
            return self._load(session, venue_id)

    @any_role("a venue is not personal data; venue staff are given only their own venue")
    def list(self, *, include_inactive: bool = True) -> list[Venue]:
        """Every venue by name; venue staff see only theirs, so the counter, the roster and the
        reports offer no other."""
        query = select(Venue).where(Venue.deleted_at.is_(None)).order_by(Venue.name)
        if not include_inactive:
            query = query.where(Venue.active.is_(True))
        if self.db.venue_scope is not None:
            query = query.where(Venue.id == self.db.venue_scope)
        with self.db.read() as session:
            return list(session.scalars(query))

    @any_role("a venue is not personal data; venue staff find only their own venue")
    def find(self, name: str) -> Venue:
        """The venue a person typed the name of (any width), as the CLI takes it."""
        wanted = clean_text(name)
        for venue in self.list():
            if clean_text(venue.name) == wanted:
                return venue
        raise NotFound("venue.not_found", value=name)

    @gate(Permission.VENUES)
    def soft_delete(self, venue_id: uuid.UUID) -> None:
        with self.db.session() as session:
            self._load(session, venue_id).deleted_at = utcnow()

    @staticmethod
    def _load(session: Session, venue_id: uuid.UUID) -> Venue:
        venue = session.get(Venue, venue_id)
        if venue is None or venue.deleted_at is not None:
            raise NotFound("venue.not_found", value=str(venue_id))
        return venue
