"""The database file and the files SQLite keeps beside it are readable by their owner alone."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest

from evacsupport.config import sqlite_url
from evacsupport.db import Database, private
from evacsupport.services.households import HouseholdService
from tests.factories import household
from tests.pg import sqlite_only

pytestmark = [
    sqlite_only("file modes of an SQLite file"),
    pytest.mark.skipif(os.name != "posix", reason="POSIX file modes"),
]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_a_new_database_and_the_files_sqlite_keeps_beside_it_are_private(tmp_path: Path) -> None:
    path = tmp_path / "new folder" / "shelter.sqlite3"
    db = Database(sqlite_url(path))
    try:
        HouseholdService(db).create(household())  # WAL and SHM exist while it is open
        wal, shm = path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")
        assert wal.exists() and shm.exists()
        assert (mode(path), mode(wal), mode(shm)) == (0o600, 0o600, 0o600)
        assert mode(path.parent) == 0o700  # the folder made for it, too
    finally:
        db.close()


def test_a_database_made_readable_by_an_earlier_version_is_tightened_on_open(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.sqlite3"
    Database(sqlite_url(path)).close()
    os.chmod(path, 0o644)
    os.chmod(tmp_path, 0o755)
    db = Database(sqlite_url(path))
    try:
        HouseholdService(db).create(household())
        assert mode(path) == 0o600
        assert mode(path.with_name(path.name + "-wal")) == 0o600
        assert mode(tmp_path) == 0o755  # a folder the user chose is left as it is
    finally:
        db.close()


def test_a_rollback_journal_follows_the_database_file(tmp_path: Path) -> None:
    """SQLite gives the journal the database's permissions, whatever the process's umask."""
    path = tmp_path / "journal.sqlite3"
    private.prepare_database_file(path)
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("CREATE TABLE t (x)")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("INSERT INTO t VALUES (1)")
        journal = path.with_name(path.name + "-journal")
        assert journal.exists() and mode(journal) == 0o600
        conn.execute("ROLLBACK")
    finally:
        conn.close()


def test_files_made_private_replace_what_was_there(tmp_path: Path) -> None:
    target = tmp_path / "copy.partial"
    target.write_bytes(b"a crashed attempt's leftover")
    os.chmod(target, 0o644)
    private.create_file(target)
    assert target.read_bytes() == b"" and mode(target) == 0o600
