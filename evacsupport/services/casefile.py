"""Saving a household together with its new consent, withdrawal and move, all or nothing.

The editor collects these on separate tabs, but for the user they are one Save: either all of
it is stored or none of it is, and every problem on every tab is reported at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm.exc import StaleDataError

from evacsupport.db.engine import Database
from evacsupport.db.models import Household
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, FieldError, NotFound, ValidationError
from evacsupport.services.authz import gate
from evacsupport.services.consents import (
    ConsentInput,
    add_consent,
    validate_consent,
    validate_withdrawal,
    withdraw_in,
)
from evacsupport.services.households import (
    HouseholdInput,
    create_in,
    load_household,
    update_in,
    validate_household,
)
from evacsupport.services.residences import MoveInput, add_move, validate_move


@dataclass
class CaseChanges:
    household: HouseholdInput
    consent: ConsentInput | None = None
    withdraw_on: str | date | None = None
    move: MoveInput | None = None


def _prefixed(prefix: str, exc: ValidationError) -> list[FieldError]:
    return [FieldError(f"{prefix}{e.field}", e.code, e.params) for e in exc.errors]


def validate_case(changes: CaseChanges) -> None:
    """Every rule that needs no database, over every part; fields of the parts are prefixed
    (``consent.purposes``, ``move.moved_on``) so the editor can put each message in place."""
    errors: list[FieldError] = []
    parts = [
        ("", validate_household, changes.household),
        ("consent.", validate_consent, changes.consent),
        ("", validate_withdrawal, changes.withdraw_on),
        ("move.", validate_move, changes.move),
    ]
    for prefix, validate, value in parts:
        if value is None:
            continue
        try:
            validate(value)  # type: ignore[operator]
        except ValidationError as exc:
            errors += _prefixed(prefix, exc)
    if errors:
        raise ValidationError(errors)


@gate(Permission.CASEWORK)
def save_case(
    db: Database,
    household_id: uuid.UUID | None,
    changes: CaseChanges,
    *,
    expected_version: int | None = None,
) -> Household:
    validate_case(changes)
    try:
        with db.session() as session:
            if household_id is None:
                household = create_in(session, changes.household)
            else:
                household = update_in(
                    session, household_id, changes.household, expected_version=expected_version
                )
            if changes.withdraw_on is not None:
                current = household.current_consent
                if current is None:
                    raise NotFound("consent.not_found")
                withdraw_in(session, current, changes.withdraw_on)
            if changes.consent is not None:
                try:
                    add_consent(session, household, changes.consent)
                except ValidationError as exc:
                    raise ValidationError(_prefixed("consent.", exc)) from exc
            if changes.move is not None:
                try:
                    add_move(session, household, changes.move)
                except ValidationError as exc:
                    raise ValidationError(_prefixed("move.", exc)) from exc
            saved_id = household.id
    except StaleDataError as exc:
        raise EvacError("household.changed_meanwhile") from exc
    with db.read() as session:
        return load_household(session, saved_id)
