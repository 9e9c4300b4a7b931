"""Consent records: how an NPO, which has no statutory power to share, may use and pass on data.

A change of consent is a new record that supersedes the old one, and a withdrawal is dated on
the record itself, so the history of what was agreed, when and by whom is never overwritten.

Dates, as the form labels them: ``consented_on`` (同意日) is the first day the consent covers,
``expires_on`` (有効期限) the last day it covers, and ``withdrawn_on`` (撤回日) the day sharing
stops, since a withdrawal takes effect at once.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from sqlalchemy.orm import Session

from evacsupport.db.engine import Database
from evacsupport.db.models import Consent, Household
from evacsupport.domain.codes import (
    ConsentMethod,
    ConsentPurpose,
    ConsentRecipient,
    ConsentSubject,
    DataCategory,
    parse_choice,
)
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_multiline, clean_name, clean_text
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import check_not_future, parse_date
from evacsupport.errors import EvacError, FieldError, FieldErrors, NotFound, ValidationError
from evacsupport.services.authz import gate
from evacsupport.services.households import load_household

NAME_MAX = 100
STAFF_MAX = 100
# Separators of choices given as one text (「生活支援・見守り、居場所への紹介」); not ・, which
# is part of some labels.
_LIST_SEPARATORS_RE = re.compile(r"[、,;\n]+")


@dataclass
class ConsentInput:
    consented_on: str | date
    subject: str = ConsentSubject.PERSON
    method: str = ConsentMethod.WRITTEN
    purposes: Sequence[str] | str = field(default_factory=list)
    recipients: Sequence[str] | str = field(default_factory=list)
    data_categories: Sequence[str] | str = (DataCategory.BASIC, DataCategory.CONTACT)
    proxy_name: str = ""
    proxy_relation: str = ""
    staff: str = ""
    expires_on: str | date | None = None
    notes: str = ""


def _choices(
    errors: FieldErrors, name: str, enum: type, values: Sequence[str] | str | None
) -> list[str]:
    """Codes or labels, from a list or one text separated by 、 or commas; duplicates dropped."""
    if values is None:
        values = []
    if isinstance(values, str):
        values = [v.strip() for v in _LIST_SEPARATORS_RE.split(values) if v.strip()]
    out: list[str] = []
    for value in values:
        parsed = errors.check(name, parse_choice, enum, value)
        if parsed is not None and parsed not in out:
            out.append(str(parsed))
    return out


def validate_consent(data: ConsentInput) -> dict[str, object]:
    errors = FieldErrors()
    subject = errors.check("subject", parse_choice, ConsentSubject, data.subject)
    proxy_name = errors.check("proxy_name", clean_name, data.proxy_name)
    proxy_relation = clean_text(data.proxy_relation)
    if subject == ConsentSubject.PROXY:
        # Each missing part is marked on its own field, so the form highlights the right box.
        if proxy_name == "":
            errors.add("proxy_name", "consent.proxy_needed")
        if not proxy_relation:
            errors.add("proxy_relation", "consent.proxy_needed")
    for name, value in (("proxy_name", proxy_name), ("proxy_relation", proxy_relation)):
        if value:
            errors.check(name, limit_length, value, NAME_MAX)
    staff = clean_text(data.staff)
    errors.check("staff", limit_length, staff, STAFF_MAX)
    consented_on = errors.check("consented_on", parse_date, data.consented_on)
    if consented_on is not None:
        errors.check("consented_on", check_not_future, consented_on)
    expires_on = errors.check("expires_on", parse_date, data.expires_on, allow_empty=True)
    # The expiry date is the last day covered, so a consent may expire on the day it is given.
    if consented_on and expires_on and expires_on < consented_on:
        errors.add("expires_on", "date.order")
    before = len(errors.errors)
    purposes = _choices(errors, "purposes", ConsentPurpose, data.purposes)
    if not purposes and len(errors.errors) == before:
        errors.add("purposes", "consent.no_purpose")
    values = {
        "subject": subject,
        "proxy_name": proxy_name if subject == ConsentSubject.PROXY else "",
        "proxy_relation": proxy_relation if subject == ConsentSubject.PROXY else "",
        "consented_on": consented_on,
        "method": errors.check("method", parse_choice, ConsentMethod, data.method),
        "staff": staff,
        "purposes": purposes,
        "recipients": _choices(errors, "recipients", ConsentRecipient, data.recipients),
        "data_categories": _choices(errors, "data_categories", DataCategory, data.data_categories),
        "expires_on": expires_on,
        "notes": clean_multiline(data.notes),
    }
    errors.raise_if_any()
    return values


def add_consent(session: Session, household: Household, data: ConsentInput) -> Consent:
    values = validate_consent(data)
    previous = household.current_consent
    consent = Consent(
        household=household, supersedes_id=previous.id if previous else None, **values
    )
    session.add(consent)
    # Flushing stamps created_at, which current_consent needs to order same-day records.
    session.flush()
    return consent


@gate(Permission.CASEWORK)
def record_consent(db: Database, household_id: uuid.UUID, data: ConsentInput) -> Consent:
    """Record consent as given now; the previous record stays as history."""
    with db.session() as session:
        return add_consent(session, load_household(session, household_id), data)


def validate_withdrawal(on: str | date | None) -> date:
    errors = FieldErrors()
    withdrawn_on = errors.check("withdrawn_on", parse_date, on)
    if withdrawn_on is not None:
        errors.check("withdrawn_on", check_not_future, withdrawn_on)
    errors.raise_if_any()
    assert withdrawn_on is not None
    return withdrawn_on


def withdraw_in(session: Session, consent: Consent, on: str | date | None) -> Consent:
    """Date the withdrawal on the record itself; the consent stays in the history."""
    withdrawn_on = validate_withdrawal(on)
    if consent.withdrawn_on is not None:
        raise EvacError("consent.already_withdrawn")
    if withdrawn_on < consent.consented_on:
        raise ValidationError([FieldError("withdrawn_on", "date.order")])
    consent.withdrawn_on = withdrawn_on
    return consent


@gate(Permission.CASEWORK)
def withdraw_consent(db: Database, consent_id: uuid.UUID, on: str | date) -> Consent:
    validate_withdrawal(on)
    with db.session() as session:
        consent = session.get(Consent, consent_id)
        if consent is None or consent.deleted_at is not None:
            raise NotFound("consent.not_found")
        return withdraw_in(session, consent, on)


class ConsentTerms(Protocol):
    """What judging a consent needs: a :class:`Consent`, or a row of those columns only."""

    @property
    def consented_on(self) -> date: ...
    @property
    def expires_on(self) -> date | None: ...
    @property
    def withdrawn_on(self) -> date | None: ...
    @property
    def purposes(self) -> list[str]: ...
    @property
    def recipients(self) -> list[str]: ...
    @property
    def data_categories(self) -> list[str]: ...


def is_valid_on(consent: ConsentTerms | None, day: date) -> bool:
    """Sharing stops when consent is missing, expired or withdrawn.

    Valid from ``consented_on`` through ``expires_on`` (有効期限, the last day covered), and no
    longer from ``withdrawn_on`` (a withdrawal takes effect on the day it is made).
    """
    if consent is None or consent.consented_on > day:
        return False
    if consent.withdrawn_on is not None and consent.withdrawn_on <= day:
        return False
    return not (consent.expires_on is not None and consent.expires_on < day)


def allows(
    consent: ConsentTerms | None,
    day: date,
    *,
    purpose: str | None = None,
    recipient: str | None = None,
    category: str | None = None,
) -> bool:
    """Whether the household's current consent covers this use on ``day``."""
    if not is_valid_on(consent, day):
        return False
    assert consent is not None
    return (
        (purpose is None or purpose in consent.purposes)
        and (recipient is None or recipient in consent.recipients)
        and (category is None or category in consent.data_categories)
    )
