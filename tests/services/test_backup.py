"""Backups: a complete, checked copy under the chosen name, or nothing at all.

The copying itself (``_copy_to_file`` for plain copies, ``_copy_to_memory`` for the ones that
are sealed) is tried directly on plain SQLite files that are no app database (a rollback
journal, a locked or damaged file); the entry point ``backup_to`` on the app's own databases.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from sqlalchemy import select

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Household
from evacsupport.errors import EvacError, StorageError
from evacsupport.services import backup
from evacsupport.services.backup import backup_to
from evacsupport.services.households import HouseholdService
from tests.factories import household, member
from tests.services.backup_helpers import unopened_database


class Copy(Protocol):
    def __call__(self, source: str, target: Path, /) -> object: ...


def copy_through_memory(source: str, target: Path) -> None:
    """What a sealed backup gets (the bytes of an in-memory copy), written out to look at."""
    target.write_bytes(backup._copy_to_memory(source))


COPIES: list[Copy] = [backup._copy_to_file, copy_through_memory]
COPY_IDS = ["to_file", "in_memory"]


def files(folder: Path) -> set[str]:
    return {p.name for p in folder.iterdir()} if folder.exists() else set()


def case_numbers(db: Database) -> list[str]:
    return [r.case_number for r in HouseholdService(db).search()]


@pytest.fixture
def opened() -> Iterator[list[Database]]:
    """Databases a test opens on its copies, closed at the end whatever happens."""
    databases: list[Database] = []
    yield databases
    for database in databases:
        database.close()


def open_copy(path: Path, opened: list[Database]) -> Database:
    copy = Database(sqlite_url(path))
    opened.append(copy)
    return copy


@pytest.fixture
def filled(db: Database) -> Database:
    if not db.is_sqlite:
        pytest.skip("SQLite only: backup copies this computer's SQLite file (refused on a server)")
    service = HouseholdService(db)
    service.create(household())
    service.create(household(members=[member(), member(relation="child", given_name="太郎")]))
    service.create(household(phone="076-222-3333"))
    return db


def test_the_copy_opens_with_the_same_households(
    filled: Database, tmp_path: Path, opened: list[Database]
) -> None:
    target = tmp_path / "backups" / "nested" / "copy.sqlite3"  # folders are made as needed
    assert backup_to(filled, target) == target
    copy = open_copy(target, opened)
    assert case_numbers(copy) == case_numbers(filled) == ["N24-000001", "N24-000002", "N24-000003"]
    original = HouseholdService(filled).search()
    copied = HouseholdService(copy).search()
    assert [(r.id, r.phone, r.member_count) for r in copied] == [
        (r.id, r.phone, r.member_count) for r in original
    ]


def test_no_partial_file_remains_and_only_the_target_is_written(
    filled: Database, tmp_path: Path
) -> None:
    folder = tmp_path / "out"
    backup_to(filled, str(folder / "copy.sqlite3"))  # a str path works too
    assert files(folder) == {"copy.sqlite3"}


def test_an_existing_backup_is_replaced(
    filled: Database, tmp_path: Path, opened: list[Database]
) -> None:
    target = tmp_path / "copy.sqlite3"
    backup_to(filled, target)
    HouseholdService(filled).create(household())
    backup_to(filled, target)
    assert len(case_numbers(open_copy(target, opened))) == 4
    assert "copy.sqlite3.partial" not in files(tmp_path)


def test_a_leftover_partial_file_from_a_crash_is_overwritten(
    filled: Database, tmp_path: Path, opened: list[Database]
) -> None:
    target = tmp_path / "out" / "copy.sqlite3"
    target.parent.mkdir()
    target.with_name("copy.sqlite3.partial").write_bytes(b"half a database" * 100)
    backup_to(filled, target)
    assert files(target.parent) == {"copy.sqlite3"}
    assert len(case_numbers(open_copy(target, opened))) == 3


def test_the_original_keeps_working_after_a_backup(filled: Database, tmp_path: Path) -> None:
    backup_to(filled, tmp_path / "copy.sqlite3")
    HouseholdService(filled).create(household())
    assert len(case_numbers(filled)) == 4


@pytest.mark.parametrize(
    "database",
    [
        unopened_database("postgresql+psycopg://user@localhost/evac"),
        unopened_database("sqlite://"),  # in memory: no file to copy
        unopened_database("sqlite:///:memory:"),
    ],
)
def test_only_a_sqlite_file_can_be_backed_up(database: Database, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    with pytest.raises(EvacError) as info:
        backup_to(database, folder / "copy.sqlite3")
    assert info.value.code == "backup.sqlite_only"
    assert not folder.exists()


def test_backup_during_another_connections_write_transaction(
    filled: Database, tmp_path: Path, opened: list[Database]
) -> None:
    """WAL lets the backup read the last committed state while another program is writing."""
    assert filled.url.database
    writer = sqlite3.connect(filled.url.database, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("UPDATE household SET phone = '0000000000'")
        writer.execute("DELETE FROM member")
        target = tmp_path / "copy.sqlite3"
        backup_to(filled, target)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert "copy.sqlite3.partial" not in files(tmp_path)
    copied = HouseholdService(open_copy(target, opened)).search()
    assert [r.phone for r in copied] == ["09012345678", "09012345678", "0762223333"]
    assert [r.member_count for r in copied] == [1, 2, 1]


def test_backup_during_an_unfinished_save_in_this_app(
    filled: Database, tmp_path: Path, opened: list[Database]
) -> None:
    target = tmp_path / "copy.sqlite3"
    with filled.session() as session:
        first = session.scalars(select(Household).order_by(Household.case_number)).first()
        assert first is not None
        first.phone = "0000000000"
        session.flush()  # the write lock is held until the block ends
        backup_to(filled, target)
    copied = HouseholdService(open_copy(target, opened)).search()
    assert copied[0].phone == "09012345678"


@pytest.fixture
def journal_db(tmp_path: Path) -> Iterator[Path]:
    """A plain rollback-journal SQLite file, where a writer's exclusive lock blocks readers."""
    path = tmp_path / "journal.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(100)])
    conn.commit()
    conn.close()
    yield path


@pytest.mark.parametrize("copy", COPIES, ids=COPY_IDS)
def test_a_source_locked_by_another_program_fails_cleanly(
    journal_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, copy: Copy
) -> None:
    monkeypatch.setattr(backup, "LOCK_TIMEOUT_S", 0.1)
    locker = sqlite3.connect(journal_db, isolation_level=None)
    folder = tmp_path / "out"
    folder.mkdir()
    try:
        locker.execute("BEGIN EXCLUSIVE")
        with pytest.raises(StorageError) as info:
            copy(str(journal_db), folder / "copy.sqlite3")
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert info.value.code == "db.locked"
    assert files(folder) == set()


@pytest.mark.parametrize("copy", COPIES, ids=COPY_IDS)
def test_a_journal_source_without_a_lock_is_copied(
    journal_db: Path, tmp_path: Path, copy: Copy
) -> None:
    target = tmp_path / "copy.sqlite3"
    copy(str(journal_db), target)
    conn = sqlite3.connect(target)
    try:
        assert conn.execute("SELECT count(*) FROM t").fetchone() == (100,)
    finally:
        conn.close()


@pytest.mark.parametrize("copy", COPIES, ids=COPY_IDS)
def test_a_damaged_source_fails_cleanly(tmp_path: Path, copy: Copy) -> None:
    source = tmp_path / "damaged.sqlite3"
    source.write_bytes(b"this is not a database, just text" * 200)
    folder = tmp_path / "out"
    folder.mkdir()
    with pytest.raises(StorageError) as info:
        copy(str(source), folder / "copy.sqlite3")
    assert info.value.code == "db.damaged"
    assert files(folder) == set()
