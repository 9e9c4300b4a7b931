"""Sorting database failures into the environment's fault, a value already taken, or a bug.

As qutebrowser's ``misc/sql.py`` does, a driver error is sorted by its code (SQLite's result
code, PostgreSQL's SQLSTATE), not by the text SQLAlchemy shows: that text carries the statement
and its parameters (names, phone numbers), so nothing here ever copies it into a message. An
environment fault (locked, disk full, read-only, damaged, cannot open, server unreachable)
becomes a :class:`StorageError` the user can act on; a unique value taken by a concurrent save
is named as ``table.column`` for the service to turn into its own message; anything else is a
bug, which the caller logs (:mod:`evacsupport.failures`) and shows as "unexpected".
"""

from __future__ import annotations

import functools
import sqlite3
from typing import Any

from sqlalchemy import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from evacsupport.config import describe_url
from evacsupport.db import cipher
from evacsupport.errors import StorageError

# SQLite primary result codes (the low byte of an extended code).
_SQLITE_CODES = {
    5: "db.locked",  # SQLITE_BUSY
    6: "db.locked",  # SQLITE_LOCKED
    15: "db.locked",  # SQLITE_PROTOCOL: the WAL lock could not be taken
    13: "db.disk_full",  # SQLITE_FULL
    8: "db.read_only",  # SQLITE_READONLY
    11: "db.damaged",  # SQLITE_CORRUPT
    26: "db.damaged",  # SQLITE_NOTADB
    10: "db.io_error",  # SQLITE_IOERR: a failing disk, a USB stick pulled out
    14: "db.cannot_open",  # SQLITE_CANTOPEN
    3: "db.cannot_open",  # SQLITE_PERM
}
# For a driver without ``sqlite_errorcode`` (SQLCipher builds): SQLite's own messages, which
# never contain values.
_SQLITE_TEXTS = (
    ("database is locked", "db.locked"),
    ("database table is locked", "db.locked"),
    ("database or disk is full", "db.disk_full"),
    ("readonly database", "db.read_only"),
    ("file is not a database", "db.damaged"),
    ("malformed", "db.damaged"),
    ("disk i/o error", "db.io_error"),
    ("unable to open database", "db.cannot_open"),
)
# PostgreSQL SQLSTATE codes, then whole classes (the first two characters).
_PG_CODES = {
    "55P03": "db.locked",  # lock_not_available
    "40P01": "db.locked",  # deadlock_detected: nothing was written, trying again works
    "40001": "db.locked",  # serialization_failure
    "53300": "db.locked",  # too_many_connections
    "57014": "db.locked",  # query_canceled (a statement timeout)
    "53100": "db.disk_full",
    "25006": "db.read_only",  # read_only_sql_transaction (a standby server)
    "XX001": "db.damaged",  # data_corrupted
    "XX002": "db.damaged",  # index_corrupted
    "3D000": "db.cannot_open",  # invalid_catalog_name: no such database
    "42501": "db.cannot_open",  # insufficient_privilege
    "57P01": "db.unreachable",  # admin_shutdown
    "57P02": "db.unreachable",  # crash_shutdown
    "57P03": "db.unreachable",  # cannot_connect_now
}
_PG_CLASSES = {"08": "db.unreachable", "28": "db.cannot_open"}
_UNIQUE_PREFIX = "UNIQUE constraint failed: "


def driver_error(exc: BaseException) -> BaseException:
    """The DB-API exception under SQLAlchemy's wrapper (or ``exc`` itself)."""
    orig = getattr(exc, "orig", None) if isinstance(exc, DBAPIError) else None
    return orig if isinstance(orig, BaseException) else exc


def _is_integrity(exc: BaseException) -> bool:
    """A constraint failed, in either SQLite engine (SQLCipher's classes are its own)."""
    return isinstance(exc, sqlite3.IntegrityError) or type(exc).__name__ == "IntegrityError"


def _is_psycopg(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] == "psycopg"


def driver_code(exc: BaseException) -> str:
    """A name for the driver's error fit for the log: ``SQLITE_BUSY``, ``SQLSTATE 23505``, or
    the exception's class; never its text."""
    orig = driver_error(exc)
    name = getattr(orig, "sqlite_errorname", None)
    if name:
        return str(name)
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate:
        return f"SQLSTATE {sqlstate}"
    return f"{type(orig).__module__}.{type(orig).__qualname__}"


def _fault_code(exc: BaseException) -> str | None:
    if isinstance(exc, PoolTimeout):  # every pooled connection busy for 30 s
        return "db.locked"
    orig = driver_error(exc)
    if isinstance(orig, cipher.driver_errors()) and not _is_integrity(orig):
        code = getattr(orig, "sqlite_errorcode", None)
        if isinstance(code, int):
            return _SQLITE_CODES.get(code & 0xFF)
        text = str(orig.args[0]).lower() if orig.args else ""
        return next((found for phrase, found in _SQLITE_TEXTS if phrase in text), None)
    if _is_psycopg(orig):
        sqlstate = getattr(orig, "sqlstate", None)
        if sqlstate:
            return _PG_CODES.get(sqlstate) or _PG_CLASSES.get(sqlstate[:2])
        # no SQLSTATE: the server never answered (refused, timed out, connection lost)
        return "db.unreachable" if type(orig).__name__ == "OperationalError" else None
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return "db.unreachable"
    return None


def environment_fault(exc: BaseException, url: URL | None = None) -> StorageError | None:
    """The message for a failure of the disk, a lock, the file or the server; None for a
    unique value taken (:func:`unique_violation`) and for a bug.

    ``url`` names the database in the message; without it (an error that did not come
    through a :class:`~evacsupport.db.engine.Database`) the message names none.
    """
    code = _fault_code(exc)
    if code is None:
        return None
    if url is None:
        return StorageError(_UNNAMED.get(code, code))
    return StorageError(code, path=describe_url(url))


_UNNAMED = {"db.damaged": "db.damaged_unnamed", "db.cannot_open": "db.cannot_open_unnamed"}
"""The two messages that name the database, and their twins for when it is not known."""


@functools.cache
def _unique_constraints() -> dict[str, str]:
    """Constraint name → ``table.column``, from the models (PostgreSQL names the constraint)."""
    from sqlalchemy import PrimaryKeyConstraint, UniqueConstraint

    from evacsupport.db.models import Base

    found: dict[str, str] = {}
    for table in Base.metadata.tables.values():
        for constraint in table.constraints:
            if isinstance(constraint, UniqueConstraint | PrimaryKeyConstraint) and constraint.name:
                columns = list(constraint.columns)
                if columns:
                    found[str(constraint.name)] = f"{table.name}.{columns[0].name}"
        for index in table.indexes:
            if index.unique and index.name:
                found[str(index.name)] = f"{table.name}.{next(iter(index.columns)).name}"
    return found


def unique_violation(exc: BaseException) -> str | None:
    """``table.column`` of the unique value a write collided with (the first column of a
    composite one), or None when ``exc`` is something else.

    SQLite says "UNIQUE constraint failed: household.case_number" (its own text, no values);
    PostgreSQL gives SQLSTATE 23505 and the constraint's name.
    """
    orig: Any = driver_error(exc)
    if _is_integrity(orig):
        text = str(orig.args[0]) if orig.args else ""
        if text.startswith(_UNIQUE_PREFIX):
            return text[len(_UNIQUE_PREFIX) :].split(",")[0].strip()
        return None
    if _is_psycopg(orig) and getattr(orig, "sqlstate", None) == "23505":
        name = getattr(getattr(orig, "diag", None), "constraint_name", None)
        return _unique_constraints().get(str(name)) if name else None
    return None
