"""The database, its backups and every temporary copy stay private: 0600 on POSIX, and an
encrypted backup is never written out in plain form, not even for a moment."""

from __future__ import annotations

import os
import sqlite3
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.errors import EvacError
from evacsupport.services import backup
from evacsupport.services.backup import BackupPolicy
from evacsupport.services.households import HouseholdService
from tests.factories import household
from tests.pg import sqlite_only
from tests.services.backup_helpers import SQLITE_HEADER, mode, open_file, plain_databases

PASS = "team passphrase 1"
pytestmark = sqlite_only("backups copy this computer's SQLite file")
posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")

# --- what the process opens, from Python's audit events (a hook cannot be removed: it records
# only while a test asks it to) --------------------------------------------------------------

_recording: list[tuple[str, str]] | None = None
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if _recording is None:
        return
    if event == "sqlite3.connect":
        _recording.append(("sqlite", str(args[0])))
    elif event == "open" and isinstance(args[0], str | bytes | os.PathLike):
        path, open_mode, flags = args
        writes = any(c in (open_mode or "") for c in "wax+") or bool(flags & _WRITE)
        if writes:
            _recording.append(("write", os.fsdecode(path)))


sys.addaudithook(_hook)


@pytest.fixture
def opened_files() -> Iterator[list[tuple[str, str]]]:
    """("sqlite", path) for each database SQLite is asked to open, ("write", path) for each
    file Python opens for writing, while the test runs."""
    global _recording
    _recording = []
    try:
        yield _recording
    finally:
        _recording = None


def policy(tmp_path: Path, **kw: Any) -> BackupPolicy:
    return BackupPolicy(folder=tmp_path / "backups", name="test", **kw)


def live_file(db: Database) -> Path:
    assert db.url.database
    return Path(db.url.database)


# --- an encrypted backup never exists in plain form on disk -----------------------------------


def test_an_encrypted_backup_writes_only_ciphertext(
    db: Database, tmp_path: Path, opened_files: list[tuple[str, str]]
) -> None:
    HouseholdService(db).create(household())
    usb = tmp_path / "usb"
    usb.mkdir()
    made = backup.make_backup(db, policy(tmp_path, second_folder=usb), PASS)
    live = str(live_file(db))
    assert [what for what in opened_files if what[0] == "sqlite"] == [
        ("sqlite", live),  # the source
        ("sqlite", ":memory:"),  # the copy: memory only
    ]
    assert [path for kind, path in opened_files if kind == "write"] == [
        f"{made}.partial",
        str(usb / f"{made.name}.partial"),
        str(usb / f"{made.name}.partial"),  # created private, then filled by shutil
    ]
    assert plain_databases([tmp_path], besides=[live_file(db)]) == []
    assert sorted(p.name for p in (tmp_path / "backups").iterdir()) == [made.name]
    assert SQLITE_HEADER not in made.read_bytes()


def test_restoring_an_encrypted_backup_unpacks_it_privately_beside_the_database(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decrypted copy must sit beside the database (it is renamed into place); it is 0600
    while it exists and gone afterwards."""
    HouseholdService(db).create(household())
    made = backup.make_backup(db, policy(tmp_path), PASS)
    seen: list[tuple[Path, int, bytes]] = []
    check = backup.check_copy

    def spy(path: Path, shown: Path) -> None:
        seen.append((path, mode(path), path.read_bytes()[:16]))
        check(path, shown)

    monkeypatch.setattr(backup, "check_copy", spy)
    path = live_file(db)
    backup.restore(db, made, PASS)
    [(temp, temp_mode, header)] = seen
    assert temp.parent == path.parent and temp.name.startswith(".test.sqlite3.restoring-")
    assert header == SQLITE_HEADER  # it is the plain database, hence private and short-lived
    if os.name == "posix":
        assert temp_mode == 0o600
    assert not temp.exists()
    assert not [p for p in path.parent.iterdir() if ".restoring" in p.name]


def test_a_refused_restore_leaves_no_decrypted_copy(db: Database, tmp_path: Path) -> None:
    made = backup.make_backup(db, policy(tmp_path), PASS)
    plain = backup.make_backup(db, policy(tmp_path), now=datetime(2025, 1, 1))
    conn = sqlite3.connect(plain)
    conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    conn.commit()
    conn.close()
    too_new = plain.with_name("test-20250101-000001.sqlite3.evbak")
    too_new.write_bytes(backup.seal_bytes(plain.read_bytes(), PASS))  # opens, then is refused
    for source, attempt, code in (
        (made, "wrong passphrase", "backup.wrong_passphrase"),
        (made, None, "backup.passphrase_needed"),
        (too_new, PASS, "backup.too_new"),
    ):
        with pytest.raises(EvacError) as info:
            backup.restore(db, source, attempt)
        assert info.value.code == code
    assert not [p for p in tmp_path.iterdir() if ".restoring" in p.name]
    assert not list(tmp_path.glob("*.before-restore-*"))
    assert HouseholdService(db).count() == 0  # still open, untouched


# --- 0600 -------------------------------------------------------------------------------------


@posix_only
@pytest.mark.parametrize("passphrase", [None, PASS], ids=["plain", "encrypted"])
def test_backups_and_their_copies_are_private(
    db: Database, tmp_path: Path, passphrase: str | None
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    made = backup.make_backup(db, policy(tmp_path, second_folder=usb), passphrase)
    assert mode(made) == mode(usb / made.name) == 0o600
    assert mode(made.parent) == 0o700
    chosen = backup.backup_to(db, tmp_path / "chosen" / "copy.sqlite3")
    assert mode(chosen) == 0o600


@posix_only
def test_a_restored_database_and_the_file_kept_aside_are_private(
    db: Database, tmp_path: Path
) -> None:
    made = backup.make_backup(db, policy(tmp_path))
    os.chmod(made, 0o644)  # e.g. copied back from a USB stick
    path = live_file(db)
    os.chmod(path, 0o644)
    done = backup.restore(db, made)
    assert done.kept_aside is not None
    assert mode(path) == mode(done.kept_aside) == 0o600


# --- what a crash leaves is deleted at the next start -----------------------------------------


def test_leftovers_of_a_killed_backup_or_restore_are_deleted(tmp_path: Path) -> None:
    folder, usb = tmp_path / "backups", tmp_path / "usb"
    folder.mkdir()
    usb.mkdir()
    path = tmp_path / "test.sqlite3"
    leftovers = [
        folder / ".test-20250101-000000.plain",  # an earlier version's plain copy
        folder / "test-20250101-000000.sqlite3.partial",
        folder / "test-20250101-000000.sqlite3.evbak.partial",
        usb / "test-20250102-000000.sqlite3.evbak.partial",
        tmp_path / ".test.sqlite3.restoring",  # an earlier version's name
        tmp_path / ".test.sqlite3.restoring-k2j4h1",
        tmp_path / ".test.sqlite3.restoring-k2j4h1-wal",
    ]
    kept = [
        folder / "test-20250101-000000.sqlite3",  # a backup
        folder / "test-20250101-000000.sqlite3.evbak",
        folder / "other-20250101-000000.sqlite3.partial",  # another database's: its own start
        folder / "notes.txt",
        usb / "test-20250102-000000.sqlite3.evbak",
        path,
        tmp_path / "test.sqlite3-wal",
        tmp_path / ".other.sqlite3.restoring-x",
    ]
    for file in leftovers + kept:
        file.write_bytes(SQLITE_HEADER + b"whole database")
    deleted = backup.remove_leftovers(path, policy(tmp_path, second_folder=usb))
    assert sorted(deleted) == sorted(leftovers)
    assert all(file.exists() for file in kept)
    assert backup.remove_leftovers(path, policy(tmp_path, second_folder=usb)) == []


def test_leftovers_go_whatever_the_database_is_called(tmp_path: Path) -> None:
    """Glob and regex characters in a file name are taken literally."""
    path = tmp_path / "避難所[1]*.sqlite3"
    rules = backup.policy_from_settings(Settings(), path)
    decoy = tmp_path / ".避難所[1]x.sqlite3.restoring-1"
    leftover = tmp_path / ".避難所[1]*.sqlite3.restoring-1"
    for file in (decoy, leftover):
        file.write_bytes(b"x")
    assert backup.remove_leftovers(path, rules) == [leftover]
    assert decoy.exists()


# --- what SQLite is asked to open ------------------------------------------------------------


def test_a_plain_backup_goes_through_sqlite_straight_into_its_private_partial(
    db: Database, tmp_path: Path, opened_files: list[tuple[str, str]]
) -> None:
    HouseholdService(db).create(household())
    made = backup.make_backup(db, policy(tmp_path))
    assert opened_files == [
        ("write", f"{made}.partial"),  # created 0600 before SQLite writes into it
        ("sqlite", str(live_file(db))),
        ("sqlite", f"{made}.partial"),
    ]
    copy = open_file(made)
    try:
        assert HouseholdService(copy).count() == 1
    finally:
        copy.close()
