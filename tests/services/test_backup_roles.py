"""Who may make backups: ``Permission.BACKUP`` (coordinators and administrators); the
window's automatic backups are made whoever is signed in."""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.errors import EvacError
from evacsupport.services import backup
from evacsupport.services.backup import BackupPolicy
from evacsupport.services.households import HouseholdService
from tests.factories import household, signed_in
from tests.pg import sqlite_only
from tests.services.backup_helpers import PASSWORD, add_accounts, open_file

pytestmark = sqlite_only("backups copy this computer's SQLite file")
PASS = "team passphrase 1"


def rules(tmp_path: Path) -> BackupPolicy:
    return BackupPolicy(folder=tmp_path / "backups", name="test")


def db_file(db: Database) -> Path:
    assert db.url.database
    return Path(db.url.database)


def as_user(db: Database, username: str) -> Database:
    """A second connection to the same file, signed in as ``username``."""
    other = open_file(db_file(db))
    return signed_in(other, username, PASSWORD)


@pytest.fixture
def staffed(db: Database) -> Database:
    add_accounts(db)
    HouseholdService(db).create(household())
    return db


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Other connections a test opens to the same file, closed at the end."""
    databases: list[Database] = []
    yield databases
    for database in databases:
        database.close()


BACKUPS: dict[str, Callable[[Database, Path], object]] = {
    "backup_to": lambda db, tmp: backup.backup_to(db, tmp / "backups" / "copy.sqlite3"),
    "make_backup": lambda db, tmp: backup.make_backup(db, rules(tmp)),
    "backup_and_rotate": lambda db, tmp: backup.backup_and_rotate(db, rules(tmp), PASS),
}


@pytest.mark.parametrize("call", BACKUPS.values(), ids=BACKUPS.keys())
@pytest.mark.parametrize(("user", "role"), [("kato", "会場スタッフ"), ("mayor", "閲覧者")])
def test_venue_staff_and_viewers_may_not_make_a_backup(
    staffed: Database,
    tmp_path: Path,
    opened: list[Database],
    user: str,
    role: str,
    call: Callable[[Database, Path], object],
) -> None:
    who = as_user(staffed, user)
    opened.append(who)
    with pytest.raises(EvacError) as info:
        call(who, tmp_path)
    assert info.value.code == "auth.forbidden"
    assert f"{role}の権限ではこの操作はできません" in info.value.message()
    assert not (tmp_path / "backups").exists()  # refused before anything was written


@pytest.mark.parametrize("call", BACKUPS.values(), ids=BACKUPS.keys())
def test_coordinators_make_backups(
    staffed: Database,
    tmp_path: Path,
    opened: list[Database],
    call: Callable[[Database, Path], object],
) -> None:
    who = as_user(staffed, "sato")
    opened.append(who)
    made = call(who, tmp_path)
    assert isinstance(made, Path) and made.parent == tmp_path / "backups" and made.is_file()


def test_without_a_sign_in_a_database_with_accounts_refuses_backups(
    staffed: Database, tmp_path: Path, opened: list[Database]
) -> None:
    nobody = open_file(db_file(staffed))
    opened.append(nobody)
    with pytest.raises(EvacError) as info:
        backup.make_backup(nobody, rules(tmp_path))
    assert info.value.code == "auth.sign_in_needed"
    assert not (tmp_path / "backups").exists()


def test_automatic_backups_are_made_whoever_is_signed_in(
    staffed: Database, tmp_path: Path, opened: list[Database]
) -> None:
    """A venue laptop's staff may not make a backup, but their counter is kept safe: the app's
    own backup goes to the folder the settings name, and nowhere the caller could choose."""
    settings = Settings()
    settings.backup_folder = str(tmp_path / "auto")
    who = as_user(staffed, "kato")
    opened.append(who)
    made = backup.automatic_backup(who, settings, now=datetime(2025, 5, 1, 18))
    assert made == tmp_path / "auto" / "test-20250501-180000.sqlite3"
    assert "folder" not in inspect.signature(backup.automatic_backup).parameters
