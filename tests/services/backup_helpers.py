"""What the backup tests share: stand-ins for databases that cannot be opened here, accounts of
every role, and a look for plain SQLite files on disk."""

from __future__ import annotations

import stat
from collections.abc import Iterable
from pathlib import Path

from sqlalchemy import URL, make_url, select

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import AuditEntry
from evacsupport.services.accounts import AccountService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import signed_in

PASSWORD = "noto-2024!"
SQLITE_HEADER = b"SQLite format 3\x00"
ROLES = {"admin": "admin", "coordinator": "sato", "venue_staff": "kato", "viewer": "mayor"}
"""Role → the user name of its account in :func:`add_accounts`."""


def unopened_database(url: str | URL) -> Database:
    """A Database that was never opened (none can be, on a server here or in memory), signed
    in as an administrator: what the gate and the backup functions read before refusing."""
    database = Database.__new__(Database)
    database.url = make_url(url)
    database.role, database.actor, database.accounts_exist = "admin", "admin", True
    database.venue_scope = None
    return database


def add_accounts(db: Database) -> Database:
    """One account of each role (password :data:`PASSWORD`); ``db`` is left signed in as the
    administrator."""
    accounts = AccountService(db)
    accounts.create("admin", PASSWORD, "admin")
    signed_in(db, "admin", PASSWORD)
    venue = VenueService(db).create(VenueInput(name="こども食堂わじま", capacity=30))
    accounts.create("sato", PASSWORD, "coordinator")
    accounts.create("kato", PASSWORD, "venue_staff", venue=venue.name)
    accounts.create("mayor", PASSWORD, "viewer")
    return db


def open_file(path: Path) -> Database:
    return Database(sqlite_url(path))


def audit_actions(path: Path) -> list[tuple[str, str, dict[str, object]]]:
    """(action, user, changes) of every audit entry in a database file, oldest first."""
    db = open_file(path)
    try:
        with db.read() as session:
            rows = session.execute(
                select(AuditEntry.action, AuditEntry.username, AuditEntry.changes).order_by(
                    AuditEntry.at
                )
            )
            return [(a, u, dict(c)) for a, u, c in rows]
    finally:
        db.close()


def plain_databases(folders: Iterable[Path], *, besides: Iterable[Path] = ()) -> list[Path]:
    """Every file under ``folders`` that starts like an SQLite database, but ``besides``."""
    skip = {p.resolve() for p in besides}
    found = []
    for folder in folders:
        if not folder.exists():
            continue
        for path in folder.rglob("*"):
            if path.is_file() and path.resolve() not in skip:
                with path.open("rb") as f:
                    if f.read(len(SQLITE_HEADER)) == SQLITE_HEADER:
                        found.append(path)
    return found


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)
