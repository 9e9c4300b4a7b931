"""Disaster events; the first household saved creates the Noto earthquake event if none exists."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from evacsupport.db.models import DisasterEvent
from evacsupport.domain.normalize import clean_text
from evacsupport.errors import NotFound

DEFAULT_CODE = "N24"
DEFAULT_NAME = "令和6年能登半島地震"
DEFAULT_DATE = date(2024, 1, 1)
DEFAULT_ID = uuid.uuid5(uuid.NAMESPACE_URL, "https://evacsupport.invalid/event/N24")


def get_or_default(session: Session, code: str = "") -> DisasterEvent:
    """The event with ``code``; without a code, the default event, created on first use."""
    code = clean_text(code).upper()
    if code:
        event = session.scalar(select(DisasterEvent).where(DisasterEvent.code == code))
        if event is None:
            raise NotFound("event.not_found", value=code)
        return event
    event = session.scalar(select(DisasterEvent).where(DisasterEvent.code == DEFAULT_CODE))
    if event is None:
        # The same id on every laptop, so two that started offline merge into one event.
        event = DisasterEvent(
            id=DEFAULT_ID, code=DEFAULT_CODE, name=DEFAULT_NAME, occurred_on=DEFAULT_DATE
        )
        session.add(event)
        session.flush()
    return event
