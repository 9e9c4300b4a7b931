"""The audit trail: who did what, when, to which record, with old and new values.

Record changes are written by the flush hook in :mod:`evacsupport.db.audit_hook`; actions that
change no record (an export, a report, a login) call :func:`record` in the same transaction as
the work they describe, so a rolled-back action leaves no entry.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session

from evacsupport.db.base import utcnow
from evacsupport.db.models import AuditEntry


def record(
    session: Session,
    action: str,
    *,
    entity: str = "",
    entity_id: uuid.UUID | None = None,
    changes: dict[str, Any] | None = None,
    username: str | None = None,
) -> None:
    """One entry; ``username`` defaults to whoever the session saves as (``Database.actor``)."""
    session.add(
        AuditEntry(
            at=utcnow(),
            username=(username if username is not None else session.info.get("actor", ""))[:64],
            action=action[:16],
            entity=entity[:32],
            entity_id=entity_id,
            changes=changes or {},
        )
    )
