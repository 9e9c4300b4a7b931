"""Residence history: each move (hotel → みなし仮設 → home) is kept, and the household shows the
latest, so the list can filter on the current status without reading the history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from evacsupport.db.engine import Database
from evacsupport.db.models import Household, Residence
from evacsupport.domain import municipalities
from evacsupport.domain.codes import EvacuationStatus, parse_choice
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_text
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import check_not_future, parse_date
from evacsupport.errors import FieldError, FieldErrors, ValidationError
from evacsupport.services.authz import gate
from evacsupport.services.households import build_search_text, load_household


@dataclass
class MoveInput:
    evacuation_status: str
    moved_on: str | date
    place: str = ""
    municipality_code: str = ""
    notes: str = ""


def validate_move(data: MoveInput) -> dict[str, object]:
    """Normalised move values, or a ValidationError naming every bad field."""
    errors = FieldErrors()
    status = errors.check(
        "evacuation_status", parse_choice, EvacuationStatus, data.evacuation_status
    )
    moved_on = errors.check("moved_on", parse_date, data.moved_on)
    if moved_on is not None:
        errors.check("moved_on", check_not_future, moved_on)
    place = clean_text(data.place)
    errors.check("place", limit_length, place, 300)
    code = errors.check("municipality_code", municipalities.validate_code, data.municipality_code)
    if not code and place and code is not None:
        found = municipalities.from_address(place)
        code = found.code if found else ""
    errors.raise_if_any()
    return {
        "evacuation_status": str(status),
        "moved_on": moved_on,
        "place": place,
        "municipality_code": code or "",
        "notes": (data.notes or "").strip(),
    }


def add_move(session: Session, household: Household, data: MoveInput) -> Residence:
    """Add a move within an open unit of work; the latest move becomes the current status."""
    values = validate_move(data)
    moved_on = values["moved_on"]
    # A move before the disaster is a typing slip (2023 for 2024), not evacuation history.
    if isinstance(moved_on, date) and moved_on < household.event.occurred_on:
        raise ValidationError(
            [
                FieldError(
                    "moved_on", "date.too_old", {"min": household.event.occurred_on.isoformat()}
                )
            ]
        )
    residence = Residence(household=household, **values)
    session.add(residence)
    # Flushing stamps created_at, which breaks the tie between two moves on the same day
    # (the one recorded last is current); unflushed, it is None and cannot be compared.
    session.flush()
    latest = max(
        (r for r in household.residences if r.deleted_at is None),
        key=lambda r: (r.moved_on, r.created_at),
    )
    if latest is residence:
        household.evacuation_status = residence.evacuation_status
        if residence.place:
            household.current_address = residence.place
            household.current_municipality_code = residence.municipality_code
        household.search_text = build_search_text(household)
    return residence


@gate(Permission.CASEWORK)
def record_move(db: Database, household_id: uuid.UUID, data: MoveInput) -> Residence:
    """Add a move and make it the household's current status and address."""
    validate_move(data)
    with db.session() as session:
        return add_move(session, load_household(session, household_id), data)
