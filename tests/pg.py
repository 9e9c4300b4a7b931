"""Throw-away PostgreSQL databases for the tests, when ``EVACSUPPORT_TEST_DATABASE_URL`` is set.

The variable names a database the test role can connect to and whose role may create databases
(``postgresql+psycopg://evac:evac@localhost/evac_test``). Each test gets its own database, made
either empty (so opening it runs every migration) or as a copy of a template migrated once per
run (``CREATE DATABASE … TEMPLATE …``, much faster than migrating from empty each time). The
databases are dropped when the test ends; the named database itself is only used to connect.
"""

from __future__ import annotations

import itertools
import os
import time
import uuid

import pytest
from sqlalchemy import URL, Engine, create_engine, make_url, text
from sqlalchemy.exc import DBAPIError, OperationalError

ENV_VAR = "EVACSUPPORT_TEST_DATABASE_URL"


def database_url_from_env() -> URL | None:
    """The PostgreSQL server to test against, or None to use SQLite files."""
    value = os.environ.get(ENV_VAR, "").strip()
    return make_url(value) if value else None


class PostgresDatabases:
    """Creates and drops uniquely named databases on the server the URL points at."""

    def __init__(self, url: URL) -> None:
        self.url = url
        self.prefix = f"{url.database}_{uuid.uuid4().hex[:8]}"
        self._names = itertools.count(1)
        self._admin: Engine = create_engine(url, isolation_level="AUTOCOMMIT")
        self.template: str | None = None

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as conn:
            conn.execute(text(sql))

    def create(self, template: str | None = None) -> URL:
        name = f"{self.prefix}_{next(self._names)}"
        clause = f' TEMPLATE "{template}"' if template else ""
        for attempt in range(3):
            try:
                self._execute(f'CREATE DATABASE "{name}"{clause}')
                break
            except OperationalError as exc:
                # "source database is being accessed by other users": a background worker
                # (autovacuum) still holds the template for a moment; try again.
                if attempt == 2 or "being accessed" not in str(exc):
                    raise
                time.sleep(0.5)
        return self.url.set(database=name)

    def _drop(self, name: str) -> None:
        # WITH (FORCE) ends leftover sessions; a server background worker that is still on the
        # database can refuse that for a moment ("must be a member of the role whose process is
        # being terminated"), so try again rather than fail the test that just passed.
        for attempt in range(5):
            try:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                return
            except DBAPIError:
                if attempt == 4:
                    raise
                time.sleep(0.2 * (attempt + 1))

    def drop(self, url: URL) -> None:
        assert url.database is not None
        self._drop(url.database)

    def close(self) -> None:
        if self.template:
            self._drop(self.template)
        self._admin.dispose()


ON_POSTGRES = database_url_from_env() is not None


def sqlite_only(reason: str) -> pytest.MarkDecorator:
    """Skip a test that checks something only SQLite has when the tests run on PostgreSQL."""
    return pytest.mark.skipif(ON_POSTGRES, reason=f"SQLite only: {reason}")
