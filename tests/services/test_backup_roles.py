"""Who may make and restore backups, and what a restore leaves in the trail.

Backups need ``Permission.BACKUP`` (coordinators and administrators), restores
``Permission.RESTORE`` (administrators); a database too damaged to sign into is restored only
with an administrator's credentials, checked against the backup itself.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import pytest

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError
from evacsupport.services import backup
from evacsupport.services.accounts import AccountService
from evacsupport.services.authz import gate_of
from evacsupport.services.backup import BackupPolicy
from evacsupport.services.households import HouseholdService
from tests.factories import household, signed_in
from tests.pg import sqlite_only
from tests.services.backup_helpers import PASSWORD, add_accounts, audit_actions, open_file

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


def test_only_administrators_restore(
    staffed: Database, tmp_path: Path, opened: list[Database]
) -> None:
    made = backup.make_backup(staffed, rules(tmp_path))
    HouseholdService(staffed).create(household())
    for user, role in (("sato", "コーディネーター"), ("kato", "会場スタッフ"), ("mayor", "閲覧者")):
        who = as_user(staffed, user)
        opened.append(who)
        with pytest.raises(EvacError) as info:
            backup.restore(who, made)
        assert (
            info.value.message()
            == f"{role}の権限ではこの操作はできません。管理者に相談してください"
        )
    nobody = open_file(db_file(staffed))
    opened.append(nobody)
    with pytest.raises(EvacError) as info:
        backup.restore(nobody, made)
    assert info.value.code == "auth.sign_in_needed"
    assert HouseholdService(staffed).count() == 2  # nothing was restored
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_a_restore_is_audited_in_the_restored_database(staffed: Database, tmp_path: Path) -> None:
    made = backup.make_backup(staffed, rules(tmp_path), now=datetime(2025, 5, 1, 9))
    HouseholdService(staffed).create(household())
    path = db_file(staffed)
    done = backup.restore(staffed, made)
    assert done.username == "admin" and done.kept_aside is not None
    entries = audit_actions(path)
    assert entries[-1] == (
        "restore",
        "admin",
        {
            "file": "test-20250501-090000.sqlite3",
            "folder": str(tmp_path / "backups"),
            "database": "test.sqlite3",
            "kept_aside": done.kept_aside.name,
        },
    )
    assert "restore" not in [a for a, _, _ in audit_actions(done.kept_aside)]
    db = signed_in(open_file(path), "admin", PASSWORD)
    try:
        assert HouseholdService(db).count() == 1
    finally:
        db.close()


def test_a_backup_without_accounts_is_refused_over_a_database_with_them(
    db: Database, tmp_path: Path, opened: list[Database]
) -> None:
    HouseholdService(db).create(household())
    empty = backup.make_backup(db, rules(tmp_path), now=datetime(2025, 5, 1))  # no accounts yet
    add_accounts(db)
    before = sorted(p.name for p in tmp_path.iterdir())
    with pytest.raises(EvacError) as info:
        backup.restore(db, empty)
    assert info.value.code == "backup.no_accounts"
    assert "サインインなしで誰でも" in info.value.message()
    assert sorted(p.name for p in tmp_path.iterdir()) == before
    assert AccountService(db).has_accounts() and HouseholdService(db).count() == 1


def test_a_backup_with_accounts_may_replace_a_database_without_any(
    make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    office = add_accounts(make_db("office"))
    made = backup.make_backup(office, rules(tmp_path))
    fresh = make_db("test")  # no accounts: nobody to sign in as, everything open
    path = db_file(fresh)
    backup.restore(fresh, made)
    restored = open_file(path)
    try:
        assert AccountService(restored).has_accounts()
        with pytest.raises(EvacError) as info:  # now it needs a sign-in
            HouseholdService(restored).count()
        assert info.value.code == "auth.sign_in_needed"
    finally:
        restored.close()


@pytest.fixture
def damaged(staffed: Database, tmp_path: Path) -> tuple[Path, Path]:
    """A database with accounts, its backup, and then the file damaged past opening."""
    made = backup.make_backup(staffed, rules(tmp_path), PASS)
    path = db_file(staffed)
    staffed.close()
    path.write_bytes(b"not a database any more" * 500)
    return path, made


def test_a_damaged_file_needs_an_administrator_of_the_backup(
    damaged: tuple[Path, Path],
) -> None:
    path, made = damaged
    for given, code in (
        (None, "backup.credentials_needed"),
        (("admin", "wrong password"), "backup.wrong_credentials"),
        (("nobody", PASSWORD), "backup.wrong_credentials"),
        (("mayor", PASSWORD), "auth.forbidden"),
        (("sato", PASSWORD), "auth.forbidden"),
    ):
        with pytest.raises(EvacError) as info:
            backup.recover(path, made, PASS, given)
        assert info.value.code == code, given
        assert path.read_bytes().startswith(b"not a database")
    assert "閲覧者" not in EvacError("backup.wrong_credentials").message()
    done = backup.recover(path, made, PASS, ("admin", PASSWORD))
    assert done.username == "admin"
    assert done.kept_aside is not None and done.kept_aside.read_bytes().startswith(b"not a")
    actions = [(a, u) for a, u, _ in audit_actions(path)]
    assert actions[-2:] == [("login", "admin"), ("restore", "admin")]
    assert "login_failed" not in [a for a, _ in actions]  # the refused tries left no trace


def test_the_latest_good_backup_stops_at_a_refusal_rather_than_go_further_back(
    damaged: tuple[Path, Path], tmp_path: Path
) -> None:
    """A wrong password for the newest backup must not quietly restore an older one."""
    path, newest = damaged
    older = tmp_path / "backups" / "test-20200101-000000.sqlite3"
    older.write_bytes(newest.read_bytes())
    with pytest.raises(EvacError) as info:
        backup.recover_latest_good(path, rules(tmp_path), PASS, ("admin", "wrong password"))
    assert info.value.code == "backup.wrong_credentials"
    with pytest.raises(EvacError) as info:
        backup.recover_latest_good(path, rules(tmp_path), "wrong passphrase", ("admin", PASSWORD))
    assert info.value.code == "backup.wrong_passphrase"
    assert path.read_bytes().startswith(b"not a database")
    done = backup.recover_latest_good(path, rules(tmp_path), PASS, ("admin", PASSWORD))
    assert done.backup == newest


def first_parameter(function: Callable[..., object]) -> str:
    return next(iter(inspect.signature(inspect.unwrap(function)).parameters), "")


def test_every_entry_point_of_the_module_is_gated_or_says_why_not() -> None:
    """The role matrix's rule for this module: a public function taking the database (or its
    path) carries a gate, or ``ungated`` with its reason."""
    gates = {
        name: gate_of(function)
        for name, function in vars(backup).items()
        if inspect.isfunction(function)
        and function.__module__ == backup.__name__
        and not name.startswith("_")
        and first_parameter(function) in ("db", "db_path")
    }
    marked = {name: g for name, g in gates.items() if g is not None}
    assert marked.keys() == gates.keys()
    assert {name: g.permission for name, g in marked.items() if g.permission} == {
        "backup_to": Permission.BACKUP,
        "make_backup": Permission.BACKUP,
        "backup_and_rotate": Permission.BACKUP,
        "restore": Permission.RESTORE,
    }
    reasons = {name: g.reason for name, g in marked.items() if g.permission is None}
    assert reasons.keys() == {
        "sqlite_path",
        "automatic_backup",
        "remove_leftovers",
        "recover",
        "recover_latest_good",
    }
    assert all(reasons.values())
