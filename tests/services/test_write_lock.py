"""Transactions as SQLite means them: a read session is one snapshot, a write session holds the
write lock from its first statement, so an editor save during an import waits its turn instead
of taking the number the import read (which made the import fail with a unique-index error)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Connection, event, func, select

from evacsupport.db import Database
from evacsupport.db.engine import WRITE_OPTION
from evacsupport.db.models import Household
from evacsupport.importers import import_households
from evacsupport.services.households import HouseholdService
from tests.factories import household, member
from tests.importers.helpers import households, write_csv


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """Another connection pool on the same file: the import's worker, or a second window."""
    if not db.is_sqlite or db.in_memory:
        pytest.skip("SQLite's own locking (PostgreSQL: test_unique_races)")
    database = Database(db.url)
    yield database
    database.close()


def count(session_db: Database) -> int:
    with session_db.read() as session:
        return session.scalar(select(func.count()).select_from(Household)) or 0


def test_a_read_session_is_one_snapshot(db: Database, other: Database) -> None:
    """Two counts inside one report's read agree, whatever is saved meanwhile."""
    HouseholdService(db).create(household())
    with db.read() as session:
        before = session.scalar(select(func.count()).select_from(Household))
        HouseholdService(other).create(household(phone="0768-22-0000"))
        after = session.scalar(select(func.count()).select_from(Household))
    assert before == after == 1
    assert count(db) == 2  # the next read sees it


def test_an_editor_save_during_an_import_waits_and_both_succeed(
    db: Database, other: Database, tmp_path: Path
) -> None:
    HouseholdService(db).create(household())  # N24-000001: the numbers continue from it
    path = write_csv(tmp_path / "名簿.csv", households(400))
    started = threading.Event()
    outcome: dict[str, object] = {}

    def writing(conn: Connection) -> None:
        if conn.get_execution_options().get(WRITE_OPTION):
            started.set()  # the import holds the write lock from here to its commit

    event.listen(other.engine, "begin", writing)

    def run_import() -> None:
        try:
            outcome["import"] = import_households(other, path)
        except Exception as exc:
            outcome["import"] = exc

    worker = threading.Thread(target=run_import)
    worker.start()
    assert started.wait(30), "the import never began writing"
    saved = HouseholdService(db).create(
        household(phone="0768-22-1234", members=[member(given_name="一郎")])
    )
    worker.join(60)
    result = outcome["import"]
    assert not isinstance(result, Exception), result
    assert count(db) == 402
    with db.read() as session:
        numbers = list(session.scalars(select(Household.case_number)))
    assert len(set(numbers)) == 402  # every number given once
    assert saved.case_number in numbers
