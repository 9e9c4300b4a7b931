"""Opening databases: pragmas, migrations from empty, refusing newer or damaged files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import text

from evacsupport.config import resolve_database_url, sqlite_url
from evacsupport.db import Database, migrate
from evacsupport.db.models import Base, DisasterEvent
from evacsupport.errors import StorageError
from evacsupport.sync.codec import SYNCED


def test_sqlite_is_opened_with_wal_foreign_keys_and_busy_timeout(db: Database) -> None:
    if not db.is_sqlite:
        pytest.skip("SQLite only: PRAGMA journal_mode/foreign_keys/busy_timeout")
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_migrations_from_empty_reach_head_and_match_the_models(db: Database) -> None:
    with db.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert diff == []


def test_every_record_table_has_uuid_key_timestamps_and_soft_delete() -> None:
    bookkeeping = {"audit_entry", "audit_head", "sync_state", "sync_change", "sync_peer"}
    bookkeeping |= {"sync_conflict"}
    bookkeeping |= {"household_facts"}  # derived from the records, rebuilt by check --repair
    for table in Base.metadata.sorted_tables:
        columns = set(table.c.keys())
        if table.name in bookkeeping:
            continue
        assert "id" in columns, table.name
        assert {"created_at", "updated_at", "updated_by", "deleted_at", "version"} <= columns
    assert set(SYNCED) | {"app_user"} | bookkeeping == set(Base.metadata.tables)


def test_reopening_an_up_to_date_database_changes_nothing(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "x.sqlite3")
    Database(url).close()
    again = Database(url)
    with again.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
    again.close()


def test_a_database_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "new.sqlite3")
    database = Database(url)
    with database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'ffff_future'"))
    database.close()
    with pytest.raises(StorageError) as info:
        Database(url)
    assert info.value.code == "db.too_new"
    assert "ffff_future" in info.value.message()


def test_a_damaged_file_gives_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"this is not a database at all" * 200)
    with pytest.raises(StorageError) as info:
        Database(sqlite_url(path))
    assert info.value.code == "db.damaged"
    assert str(path) in info.value.message()


def test_database_choice_order() -> None:
    env = {"EVACSUPPORT_DATABASE_URL": "sqlite:////tmp/from-env.sqlite3"}
    assert resolve_database_url("/tmp/a.sqlite3", None, env).database == "/tmp/a.sqlite3"
    assert resolve_database_url(None, "sqlite:////tmp/b.db", env).database == "/tmp/b.db"
    assert resolve_database_url(None, None, env).database == "/tmp/from-env.sqlite3"
    default = resolve_database_url(None, None, {})
    assert default.database is not None and default.database.endswith("evacsupport.sqlite3")


def test_write_failure_rolls_back_the_whole_unit_of_work(db: Database) -> None:
    with pytest.raises(RuntimeError), db.session() as session:
        session.add(DisasterEvent(code="X1", name="x", occurred_on=date(2024, 1, 1)))
        session.flush()
        raise RuntimeError("crash after the first write")
    with db.read() as session:
        assert session.query(DisasterEvent).count() == 0


def test_upgrading_a_first_version_database_keeps_its_data(tmp_path: Path) -> None:
    """A laptop still on the first schema opens with the newer app and loses nothing."""
    from alembic import command
    from sqlalchemy import create_engine

    from evacsupport.services.households import HouseholdService
    from tests.factories import household

    path = tmp_path / "old.sqlite3"
    engine = create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0001")
        event_id = "1" * 32
        conn.execute(
            text(
                "INSERT INTO disaster_event (id, code, name, occurred_on, description, created_at,"
                " updated_at, version) VALUES (:id, 'N24', 'x', '2024-01-01', '', '2024-02-01',"
                " '2024-02-01', 1)"
            ),
            {"id": event_id},
        )
        conn.execute(
            text(
                "INSERT INTO venue (id, name, kind, operator, postal_code, municipality_code,"
                " address, capacity, schedule, allergens_handled, wheelchair_access,"
                " contact_name, phone, email, active, notes, created_at, updated_at, version)"
                " VALUES (:id, 'old venue', 'kodomo_shokudo', '', '', '', '', 30, '[]', '[]', 0,"
                " '', '', '', 1, '', '2024-02-01', '2024-02-01', 1)"
            ),
            {"id": "2" * 32},
        )
    engine.dispose()
    database = Database(sqlite_url(path))
    with database.engine.connect() as conn:
        assert migrate.current_revision(conn) == migrate.head_revision()
        assert conn.execute(text("SELECT meal_rules FROM venue")).scalar() == "{}"
    saved = HouseholdService(database).create(household())
    assert saved.case_number == "N24-000001"
    database.close()


def test_the_scripts_head_is_read_without_alembic_and_agrees_with_it() -> None:
    assert migrate.scripted_head() == migrate.head_revision()


def test_opening_an_up_to_date_database_does_not_load_alembic(tmp_path: Path) -> None:
    import subprocess
    import sys

    url = sqlite_url(tmp_path / "x.sqlite3")
    Database(url).close()
    probe = (
        "import sys; from evacsupport.db import Database; "
        f"Database({str(url)!r}).close(); print('alembic' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"
