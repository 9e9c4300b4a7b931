"""Database failures sorted by code, never by their text: the environment's fault becomes a
message the user can act on, a taken unique value is named, and no driver text (which carries
the SQL parameters: names, phone numbers) ever reaches a message."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import insert, text
from sqlalchemy.exc import IntegrityError, OperationalError

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.engine import storage_error
from evacsupport.db.failures import driver_code, environment_fault, unique_violation
from evacsupport.db.models import DisasterEvent, Venue
from evacsupport.errors import StorageError
from evacsupport.i18n import set_language

PERSONAL = ("山田", "花子", "090-1234-5678", "09012345678")


def wrapped(orig: BaseException, phone: str = "09012345678") -> OperationalError:
    """A driver error as SQLAlchemy raises it: the statement and its parameters attached."""
    return OperationalError(
        "INSERT INTO member (family_name, given_name, phone) VALUES (?, ?, ?)",
        ("山田", "花子", phone),
        orig,
    )


def sqlite_error(cls: type[sqlite3.Error], text: str, code: int) -> sqlite3.Error:
    error = cls(text)
    error.sqlite_errorcode = code  # type: ignore[attr-defined]
    error.sqlite_errorname = "X"  # type: ignore[attr-defined]
    return error


def assert_no_personal_data(shown: str) -> None:
    for value in PERSONAL:
        assert value not in shown


def test_the_sqlalchemy_text_holds_the_parameters_this_module_keeps_off_screen() -> None:
    """The premise: str() of a driver error names the person, so it must never be shown."""
    shown = str(wrapped(sqlite3.OperationalError("something odd")))
    assert "山田" in shown and "09012345678" in shown


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (5, "db.locked"),  # SQLITE_BUSY
        (6, "db.locked"),  # SQLITE_LOCKED
        (517, "db.locked"),  # SQLITE_BUSY_SNAPSHOT: an extended code of BUSY
        (13, "db.disk_full"),
        (8, "db.read_only"),
        (11, "db.damaged"),
        (26, "db.damaged"),
        (10, "db.io_error"),
        (3850, "db.io_error"),  # SQLITE_IOERR_LOCK
        (14, "db.cannot_open"),
    ],
)
def test_sqlite_faults_are_sorted_by_result_code(code: int, expected: str) -> None:
    exc = wrapped(sqlite_error(sqlite3.OperationalError, "a message naming 山田", code))
    fault = environment_fault(exc, sqlite_url("/data/cases.sqlite3"))
    assert fault is not None and fault.code == expected
    assert_no_personal_data(fault.message())
    assert "a message" not in fault.message()


def test_a_sqlite_error_without_a_code_falls_back_to_sqlites_own_words() -> None:
    """SQLCipher builds of the driver may not set ``sqlite_errorcode``."""
    fault = environment_fault(wrapped(sqlite3.OperationalError("database is locked")))
    assert fault is not None and fault.code == "db.locked"
    assert environment_fault(wrapped(sqlite3.OperationalError("no such table: x"))) is None


def test_a_bug_is_not_an_environment_fault() -> None:
    assert environment_fault(wrapped(sqlite_error(sqlite3.OperationalError, "syntax", 1))) is None
    assert environment_fault(RuntimeError("not a database error")) is None
    integrity = IntegrityError("INSERT", {}, sqlite3.IntegrityError("NOT NULL constraint failed"))
    assert environment_fault(integrity) is None


def test_postgresql_faults_are_sorted_by_sqlstate() -> None:
    errors = pytest.importorskip("psycopg.errors")
    cases = [
        (errors.LockNotAvailable, "db.locked"),
        (errors.DeadlockDetected, "db.locked"),
        (errors.DiskFull, "db.disk_full"),
        (errors.ReadOnlySqlTransaction, "db.read_only"),
        (errors.DataCorrupted, "db.damaged"),
        (errors.InvalidCatalogName, "db.cannot_open"),
        (errors.InvalidPassword, "db.cannot_open"),  # class 28
        (errors.AdminShutdown, "db.unreachable"),
        (errors.ConnectionFailure, "db.unreachable"),  # class 08
    ]
    for cls, expected in cases:
        fault = environment_fault(wrapped(cls("detail naming 山田")), sqlite_url("/x.sqlite3"))
        assert fault is not None and fault.code == expected, cls
    import psycopg

    refused = environment_fault(wrapped(psycopg.OperationalError("connection refused")))
    assert refused is not None and refused.code == "db.unreachable"
    assert environment_fault(wrapped(errors.UndefinedTable("no such table"))) is None


def test_a_fault_names_the_database_when_it_is_known() -> None:
    exc = wrapped(sqlite_error(sqlite3.DatabaseError, "file is not a database", 26))
    named = environment_fault(exc, sqlite_url("/data/cases.sqlite3"))
    assert named is not None and "/data/cases.sqlite3" in named.message()
    unnamed = environment_fault(exc)
    assert unnamed is not None and unnamed.message() == "データベースファイルが壊れています"


def test_storage_error_never_includes_the_drivers_text(tmp_path: Path, log_file: Path) -> None:
    url = sqlite_url(tmp_path / "cases.sqlite3")
    odd = wrapped(sqlite_error(sqlite3.OperationalError, "odd failure for 山田 090-1234-5678", 1))
    error = storage_error(odd, url)
    assert error.code == "db.cannot_open"
    for lang in ("ja", "en"):
        set_language(lang)
        shown = error.message()
        assert_no_personal_data(shown)
        assert "odd failure" not in shown
        assert str(tmp_path / "cases.sqlite3") in shown
    # the details are for the log file alone
    assert "odd failure for 山田" in log_file.read_text(encoding="utf-8")


def test_storage_error_sorts_what_it_can(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "cases.sqlite3")
    locked = storage_error(sqlite_error(sqlite3.OperationalError, "database is locked", 5), url)
    assert locked.code == "db.locked"


def test_driver_code_names_the_error_without_its_text() -> None:
    exc = wrapped(sqlite_error(sqlite3.OperationalError, "naming 山田", 5))
    assert driver_code(exc) == "X"
    assert "山田" not in driver_code(wrapped(sqlite3.OperationalError("naming 山田")))


# --- real failures, through Database.session() -------------------------------------------------


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second app instance on the same database (its own connections)."""
    database = Database(db.url)
    yield database
    database.close()


def test_a_locked_database_is_a_storage_error_from_the_session(
    db: Database, other: Database
) -> None:
    """Someone else holds the write lock (a long import on another laptop): "busy, try again"."""
    event = {"id": uuid.uuid4(), "code": "X1", "name": "x", "occurred_on": date(2024, 1, 1)}
    with pytest.raises(StorageError) as info, other.session() as holder:
        holder.execute(insert(DisasterEvent), [event])
        holder.flush()  # the other instance now holds the write lock until it ends
        with db.session() as session:
            if db.is_sqlite:
                session.execute(text("PRAGMA busy_timeout=0"))
            else:
                session.execute(text("SET LOCAL lock_timeout = '50ms'"))
                session.execute(text("LOCK TABLE disaster_event IN EXCLUSIVE MODE"))
            session.execute(insert(DisasterEvent), [{**event, "id": uuid.uuid4(), "code": "X2"}])
    assert info.value.code == "db.locked"
    assert info.value.message().startswith("データベースが他のプログラムで使用中です")


def test_a_read_only_database_is_a_storage_error_from_the_session(db: Database) -> None:
    with pytest.raises(StorageError) as info, db.session() as session:
        if db.is_sqlite:
            session.execute(text("PRAGMA query_only=ON"))
        else:
            session.execute(text("SET TRANSACTION READ ONLY"))
        session.add(DisasterEvent(code="X1", name="x", occurred_on=date(2024, 1, 1)))
        session.flush()
    assert info.value.code == "db.read_only"


def test_a_damaged_file_is_a_storage_error_on_reading(tmp_path: Path) -> None:
    """Damage found after opening (a disk going bad) says so, not a traceback."""
    path = tmp_path / "cases.sqlite3"
    database = Database(sqlite_url(path))
    database.close()
    raw = bytearray(path.read_bytes())
    page = 4096
    raw[page * 2 : page * 2 + 200] = b"\xff" * 200  # scribble over a table's pages
    raw[page * 3 : page * 3 + 200] = b"\xff" * 200
    path.write_bytes(bytes(raw))
    try:
        database = Database(sqlite_url(path), upgrade=False)
    except StorageError as exc:  # damage at the schema: found already while opening
        assert exc.code == "db.damaged"
        return
    try:
        with pytest.raises(StorageError) as info, database.read() as session:
            for table in ("household", "member", "venue", "disaster_event", "audit_entry"):
                session.execute(text(f"SELECT * FROM {table}")).all()
            session.execute(text("PRAGMA integrity_check")).all()
            raise AssertionError("the scribbled pages were not read")
        assert info.value.code == "db.damaged"
    finally:
        database.close()


def test_a_taken_unique_value_is_named_by_table_and_column(db: Database) -> None:
    venue = {
        "name": "こども食堂かなざわ",
        "kind": "kodomo_shokudo",
        "capacity": 30,
        "schedule": [],
        "allergens_handled": [],
    }
    with db.session() as session:
        session.execute(insert(Venue), [{**venue, "id": uuid.uuid4()}])
    with pytest.raises(IntegrityError) as info, db.session() as session:
        session.execute(insert(Venue), [{**venue, "id": uuid.uuid4()}])
    assert unique_violation(info.value) == "venue.name"
    assert environment_fault(info.value) is None


def test_other_integrity_errors_are_not_unique_violations() -> None:
    exc = IntegrityError("INSERT", {}, sqlite3.IntegrityError("NOT NULL constraint failed: x.y"))
    assert unique_violation(exc) is None
    assert unique_violation(RuntimeError("UNIQUE constraint failed: household.case_number")) is None
