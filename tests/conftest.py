"""Test set-up: offscreen Qt and throw-away data folders, before anything imports PySide6.

Every test that touches a database gets its own SQLite file under tmp_path, opened through the
same :class:`Database` the app uses (migrations included), so tests exercise the real storage.
With ``EVACSUPPORT_TEST_DATABASE_URL`` set to a PostgreSQL URL, the ``db`` fixtures give a fresh
PostgreSQL database per test instead (see tests/pg.py).
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

_sandbox = Path(tempfile.mkdtemp(prefix="evacsupport-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_sandbox / _var.lower())
os.environ.pop("EVACSUPPORT_DATABASE_URL", None)
os.environ.pop("EVACSUPPORT_LANG", None)
# Demo databases hold accounts (admin/coordinator/venue/viewer, password "demo"): commands run
# in tests sign in as the administrator unless a test says otherwise.
os.environ["EVACSUPPORT_USER"] = "admin"
os.environ["EVACSUPPORT_PASSWORD"] = "demo"
os.environ.pop("EVACSUPPORT_PASSPHRASE", None)


import pytest  # noqa: E402

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.i18n import set_language  # noqa: E402
from evacsupport.services import accounts  # noqa: E402
from tests.pg import PostgresDatabases, database_url_from_env  # noqa: E402

# Password hashes at a token cost for the whole run, before any account is made (the session's
# demo database has four): at the real cost (accounts.RECOMMENDED, 128 MiB and half a second a
# hash) the accounts and sign-ins of the suite would add minutes. The one test of the real
# parameters puts them back (tests/services/test_accounts.py).
accounts.HASH_COST = accounts.ScryptCost(n=2**4, r=8, p=1)


@pytest.fixture(autouse=True)
def _japanese() -> Iterator[None]:
    """Each test starts in Japanese, the app's default, whatever the previous test switched to."""
    set_language("ja")
    yield
    set_language("ja")


@pytest.fixture(autouse=True)
def _no_database_keys() -> Iterator[None]:
    """A database key one test unlocked is not known to the next (as in a new process)."""
    yield
    from evacsupport.db import cipher

    cipher.forget_keys()


@pytest.fixture(autouse=True)
def _no_remembered_mappings() -> Iterator[None]:
    """The value mappings one test's import remembers (in the sandbox's config folder, shared
    by the run) never reach another test's import of a file with the same name."""
    yield
    from evacsupport.importers import remembered

    remembered.path().unlink(missing_ok=True)


@pytest.fixture
def log_file(tmp_path: Path) -> Iterator[Path]:
    """The app's log file, sent to this test's own folder (so a test can read what was
    logged); afterwards the log goes back where it was."""
    from evacsupport import logs

    previous = logs.current_log_file()
    path = tmp_path / "log" / logs.FILE_NAME
    logs.setup(path)
    yield path
    if previous is None:
        logs.stop()
    else:
        logs.setup(previous)


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    """The PostgreSQL server under test, or None when the tests run on SQLite files."""
    url = database_url_from_env()
    if url is None:
        yield None
        return
    databases = PostgresDatabases(url)
    yield databases
    databases.close()


@pytest.fixture(scope="session")
def _migrated_template(
    tmp_path_factory: pytest.TempPathFactory, postgres: PostgresDatabases | None
) -> Path | str:
    if postgres is not None:
        url = postgres.create()
        Database(url).close()  # no connection may stay open to a template
        postgres.template = url.database
        return str(url.database)
    path = tmp_path_factory.mktemp("template") / "empty.sqlite3"
    Database(sqlite_url(path)).close()
    # Closing the last connection checkpoints the WAL, so the main file is the whole database.
    assert not path.with_name(path.name + "-wal").exists()
    return path


def _close(database: Database) -> None:
    """Close once the background work of the test's windows has ended: a read still running on
    a pool thread (the dashboard's risk history) must not see its connection closed under it."""
    if "PySide6.QtCore" in sys.modules:
        from PySide6.QtCore import QThreadPool

        QThreadPool.globalInstance().waitForDone(30_000)
        operations = sys.modules.get("evacsupport.ui.operations")
        if operations is not None:
            operations.writer_pool().waitForDone(30_000)
    database.close()


@pytest.fixture
def make_db(
    tmp_path: Path, _migrated_template: Path | str, postgres: PostgresDatabases | None
) -> Iterator[Callable[[str], Database]]:
    """Opens fresh, migrated databases (copies of the template); all closed and dropped after."""
    opened: list[tuple[Database, object]] = []

    def make(name: str) -> Database:
        if postgres is not None:
            assert isinstance(_migrated_template, str)
            url = postgres.create(template=_migrated_template)
            database = Database(url)
            opened.append((database, url))
            return database
        assert isinstance(_migrated_template, Path)
        path = tmp_path / f"{name}.sqlite3"
        shutil.copyfile(_migrated_template, path)
        database = Database(sqlite_url(path))
        opened.append((database, None))
        return database

    yield make
    for database, url in opened:
        _close(database)
        if postgres is not None:
            postgres.drop(url)  # type: ignore[arg-type]


@pytest.fixture
def db(tmp_path: Path, postgres: PostgresDatabases | None) -> Iterator[Database]:
    """A new database, migrated from empty when it is opened."""
    if postgres is None:
        database = Database(sqlite_url(tmp_path / "test.sqlite3"))
        yield database
        _close(database)
        return
    url = postgres.create()
    database = Database(url)
    yield database
    _close(database)
    postgres.drop(url)


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once per test run (read-only use: copy it to change it)."""
    from evacsupport.services import demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = Database(sqlite_url(path))
    demo.generate(database, households=120, seed=7, today=date(2024, 6, 30))
    database.close()
    return path


@pytest.fixture
def demo_db(demo_db_path: Path, tmp_path: Path) -> Iterator[Database]:
    """A copy of the demo database of this run, to change freely."""
    copy = tmp_path / "demo.sqlite3"
    shutil.copy(demo_db_path, copy)
    database = Database(sqlite_url(copy))
    yield database
    _close(database)
