"""Residence history: each move (hotel → みなし仮設 → home) is kept, and the household shows the
latest, so the list can filter on the current status without reading the history."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from evacsupport.db.engine import Database
from evacsupport.db.models import Residence
from evacsupport.domain import municipalities
from evacsupport.domain.codes import EvacuationStatus, parse_choice
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_text
from evacsupport.domain.wareki import check_not_future, parse_date
from evacsupport.errors import FieldErrors
from evacsupport.services.households import build_search_text, load_household


@dataclass
class MoveInput:
    evacuation_status: str
    moved_on: str | date
    place: str = ""
    municipality_code: str = ""
    notes: str = ""


def record_move(db: Database, household_id: uuid.UUID, data: MoveInput) -> Residence:
    """Add a move and make it the household's current status and address."""
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
    with db.session() as session:
        household = load_household(session, household_id)
        residence = Residence(
            household=household,
            evacuation_status=status,
            moved_on=moved_on,
            place=place,
            municipality_code=code or "",
            notes=(data.notes or "").strip(),
        )
        session.add(residence)
        latest = max(
            (r for r in household.residences if r.deleted_at is None),
            key=lambda r: (r.moved_on, r.created_at),
        )
        if latest is residence:
            household.evacuation_status = str(status)
            if place:
                household.current_address = place
                household.current_municipality_code = code or ""
            household.search_text = build_search_text(household)
    return residence
