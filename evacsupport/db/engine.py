"""Opening a database: engine, per-connection settings, migrations, and the session factory.

SQLite gets WAL (readers never block the writer at the counter), foreign keys (off by default in
SQLite) and a busy timeout on every connection. Opening always brings the schema up to date, and
refuses a database written by a newer version of the app instead of damaging it.

Transactions are the app's, not the driver's (SQLAlchemy's pysqlite recipe): pysqlite would
issue ``BEGIN`` only before the first write, so a read session was no snapshot (a count could
change between two queries of one report) and a write session read "the last case number"
before it held the write lock (an import and an editor save then gave out the same number).
Here a read session begins with ``BEGIN`` (one snapshot for its whole life, in WAL mode) and a
write session with ``BEGIN IMMEDIATE``: it holds the write lock from its first statement, so
what it reads cannot change under it; another writer waits (the busy timeout) instead.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event, make_url
from sqlalchemy.exc import DatabaseError, DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from evacsupport.config import describe_url
from evacsupport.db import audit_hook, cipher, facts, failures, migrate, private
from evacsupport.db.base import RecordMixin
from evacsupport.errors import StorageError
from evacsupport.sync import capture

BUSY_TIMEOUT_MS = 5000
WRITE_OPTION = "evacsupport_write"  # execution option of the write sessions' connections
log = logging.getLogger(__name__)


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()
    dbapi_conn.isolation_level = None  # no BEGIN from the driver: _sqlite_begin issues it


def _sqlite_begin(conn: Connection) -> None:
    """A snapshot for readers, the write lock at once for writers (see the module docstring)."""
    write = conn.get_execution_options().get(WRITE_OPTION, False)
    conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def make_engine(url: URL | str) -> Engine:
    """The engine for ``url``; an encrypted SQLite file gets SQLCipher's dialect with its key
    (:mod:`evacsupport.db.cipher`), which only the engine's own URL carries."""
    url = make_url(url)
    if url.get_backend_name() == "sqlite":
        if url.database and url.database != ":memory:":
            private.prepare_database_file(url.database)  # 0600, and so its WAL and SHM
            url = cipher.engine_url(url)
        if url.get_driver_name() == "pysqlcipher":
            # SQLAlchemy gives this dialect a pool of one connection per thread, which closes
            # a thread's connection when more threads than the pool's size read (the report's
            # parallel reads, the window's pool threads): the file pool pysqlite uses instead.
            engine = create_engine(
                url, poolclass=QueuePool, connect_args={"check_same_thread": False}
            )
        else:
            engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(url, pool_pre_ping=True)


def storage_error(exc: BaseException, url: URL) -> StorageError:
    """The message for a database that failed to open or copy (see qutebrowser's misc/sql.py).

    Sorted by the driver's error code (:mod:`evacsupport.db.failures`); what it cannot sort
    is "cannot open" naming the database, never the driver's text, which for a failing
    statement holds its parameters. The details of such a failure go to the log file.
    """
    fault = failures.environment_fault(exc, url)
    if fault is not None:
        log.warning("storage: %s, %s", fault.code, failures.driver_code(exc))
        return fault
    log.warning("storage: cannot open %s", failures.driver_code(exc), exc_info=exc)
    return StorageError("db.cannot_open", path=describe_url(url))


def _mark_updated_by(session: Session, _context: Any, _instances: Any) -> None:
    actor = session.info.get("actor")
    if not actor:
        return
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, RecordMixin) and session.is_modified(obj):
            obj.updated_by = actor


class Database:
    """One open database: the engine and the session factory the services use.

    Sessions never cross threads: each service call opens its own through :meth:`session`.
    """

    def __init__(self, url: URL | str, *, upgrade: bool = True) -> None:
        self.url = make_url(url)
        self.engine = make_engine(self.url)
        try:
            if upgrade:
                migrate.upgrade(self.engine)
            else:
                migrate.check_not_newer(self.engine)
        except StorageError:
            self.engine.dispose()
            raise
        except (OperationalError, DatabaseError) as exc:
            self.engine.dispose()
            raise storage_error(exc, self.url) from exc
        except cipher.driver_errors() as exc:
            self.engine.dispose()
            raise storage_error(exc, self.url) from exc
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._write_sessions = sessionmaker(
            self.engine.execution_options(**{WRITE_OPTION: True}), expire_on_commit=False
        )
        self.actor = ""
        """Who saves through this database (staff name or account), written to ``updated_by``."""
        self.role: str | None = None
        """The signed-in account's role; ``None`` while the database has no accounts."""
        self.venue_scope: uuid.UUID | None = None
        """Venue staff: the one venue whose counter and roster they may use."""
        self.accounts_exist = False
        """Set once an account is seen (``services.authz.has_accounts``): from then on a call
        without a sign-in is refused."""
        capture.install()
        audit_hook.install()
        facts.install()
        if not event.contains(Session, "before_flush", _mark_updated_by):
            event.listen(Session, "before_flush", _mark_updated_by)

    @property
    def description(self) -> str:
        return describe_url(self.url)

    @property
    def is_sqlite(self) -> bool:
        return self.url.get_backend_name() == "sqlite"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A unit of work: committed when the block ends, rolled back whole if it raises.

        A locked or full disk, a damaged file or a lost server becomes a :class:`StorageError`
        here, once for every service; other driver errors (a unique value taken, a bug) pass
        through for the service to name or the caller to log.
        """
        with self._faults_as_storage_errors(), self._write_sessions.begin() as session:
            session.info["actor"] = self.actor
            yield session

    @property
    def in_memory(self) -> bool:
        """An SQLite database in memory: each connection would see its own, empty one."""
        return self.is_sqlite and (self.url.database or ":memory:") == ":memory:"

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A unit of work that never commits, one snapshot throughout; objects stay readable
        (detached) after it ends."""
        with self._faults_as_storage_errors():
            session = self._sessions()
            try:
                yield session
            finally:
                session.close()

    @contextmanager
    def _faults_as_storage_errors(self) -> Iterator[None]:
        try:
            yield
        except DBAPIError as exc:
            fault = failures.environment_fault(exc, self.url)
            if fault is None:
                raise
            log.warning("storage: %s, %s", fault.code, failures.driver_code(exc))
            raise fault from exc

    def close(self) -> None:
        self.engine.dispose()
