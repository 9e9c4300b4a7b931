"""Test set-up: offscreen Qt and throw-away data folders, before anything imports PySide6.

Every test that touches a database gets its own SQLite file under tmp_path, opened through the
same :class:`Database` the app uses (migrations included), so tests exercise the real storage.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

_sandbox = Path(tempfile.mkdtemp(prefix="evacsupport-tests-"))
os.environ["QT_QPA_PLATFORM"] = "offscreen"
for _var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
    os.environ[_var] = str(_sandbox / _var.lower())
os.environ.pop("EVACSUPPORT_DATABASE_URL", None)
os.environ.pop("EVACSUPPORT_LANG", None)

import pytest  # noqa: E402

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.i18n import set_language  # noqa: E402


@pytest.fixture(autouse=True)
def _japanese() -> Iterator[None]:
    """Each test starts in Japanese, the app's default, whatever the previous test switched to."""
    set_language("ja")
    yield
    set_language("ja")


@pytest.fixture
def db(tmp_path: Path) -> Iterator[Database]:
    database = Database(sqlite_url(tmp_path / "test.sqlite3"))
    yield database
    database.close()


@pytest.fixture(scope="session")
def demo_db_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo database made once per test run (read-only use: copy it to change it)."""
    from evacsupport.services import demo

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    database = Database(sqlite_url(path))
    demo.generate(database, households=120, seed=7, today=date(2024, 6, 30))
    database.close()
    return path
