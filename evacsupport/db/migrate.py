"""Alembic, driven from code: the migrations ship inside the package and run on every open.

Opening a database that is already at the newest revision (every start but the first after an
update) needs no Alembic at all: the revision chain is read from the scripts' own lines and
compared with the database's ``alembic_version`` row, which saves the 0.4 s Alembic takes to
import. Anything else (a new database, an older one, a newer one) goes through Alembic.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DatabaseError

from evacsupport.errors import StorageError

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).parent / "migrations"
_REVISION = re.compile(r'^revision: str = "([^"]+)"', re.MULTILINE)
FACTS_REVISION = "0009"
"""The revision that made ``household_facts``: a database upgraded from before it gets the table
filled from its history here (the migration, which must not import the app, only creates it)."""
CHAIN_REVISION = "0010"
"""The revision that added the audit chain's columns: the entries of a database upgraded from
before it are chained here, in the order (at, id), with the app's own hashing."""
_DOWN = re.compile(r'^down_revision: [^=]+= (?:"([^"]+)"|None)', re.MULTILINE)


def alembic_config(connection: Connection | None = None) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config()).get_current_head()


@cache
def scripted_head() -> str | None:
    """The newest revision, from the scripts' text (the one no other script revises)."""
    revisions: set[str] = set()
    revised: set[str] = set()
    for script in (MIGRATIONS / "versions").glob("*.py"):
        source = script.read_text(encoding="utf-8")
        found, down = _REVISION.search(source), _DOWN.search(source)
        if found:
            revisions.add(found.group(1))
        if down and down.group(1):
            revised.add(down.group(1))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def current_revision(connection: Connection) -> str | None:
    from alembic.runtime.migration import MigrationContext

    return MigrationContext.configure(connection).get_current_revision()


def _stored_revision(connection: Connection) -> str | None:
    try:
        with connection.begin_nested():
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except DatabaseError:  # no such table yet: a new database
        return None


def _refuse_newer(connection: Connection) -> None:
    from alembic.script import ScriptDirectory

    current = current_revision(connection)
    if current is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config())
    if current not in {s.revision for s in scripts.walk_revisions()}:
        raise StorageError("db.too_new", revision=current)


def check_not_newer(engine: Engine) -> None:
    with engine.connect() as connection:
        if _stored_revision(connection) == scripted_head() is not None:
            return
        _refuse_newer(connection)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision in one transaction (all or nothing)."""
    with engine.begin() as connection:
        head = scripted_head()
        if head is not None and _stored_revision(connection) == head:
            return
        from alembic import command

        _refuse_newer(connection)
        before = current_revision(connection)
        if before == head_revision():
            return
        command.upgrade(alembic_config(connection), "head")
        if before is None or before < FACTS_REVISION:
            from evacsupport.db.facts import rebuild_facts

            rebuild_facts(connection)
        if before is not None and before < CHAIN_REVISION:
            from evacsupport.db.audit_chain import chain_existing

            chain_existing(connection)
