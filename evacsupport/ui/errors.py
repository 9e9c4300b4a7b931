"""Failures in the window: a message of our own on screen, the details in the log file.

Views show :func:`error_text` for whatever they caught, never ``str(exc)``: the text of a
database error holds the SQL parameters (names, phone numbers), and a traceback means nothing
to a coordinator.
"""

from __future__ import annotations

from evacsupport.db.engine import Database
from evacsupport.failures import explain


def error_text(exc: BaseException, db: Database | None = None, *, where: str = "") -> str:
    """The text to show for a caught failure: our own message for our errors and the
    environment's faults, "unexpected, see the log file" (after logging it) for anything else.
    ``db`` names the database in messages about it; ``where`` goes to the log only."""
    return explain(exc, db.url if db is not None else None, where=where).message()
