"""Alembic, driven from code: the migrations ship inside the package and run on every open."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine

from evacsupport.errors import StorageError

MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()


def current_revision(connection: Connection) -> str | None:
    return MigrationContext.configure(connection).get_current_revision()


def _refuse_newer(connection: Connection) -> None:
    current = current_revision(connection)
    if current is None:
        return
    scripts = ScriptDirectory.from_config(alembic_config())
    if current not in {s.revision for s in scripts.walk_revisions()}:
        raise StorageError("db.too_new", revision=current)


def check_not_newer(engine: Engine) -> None:
    with engine.connect() as connection:
        _refuse_newer(connection)


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision in one transaction (all or nothing)."""
    with engine.begin() as connection:
        _refuse_newer(connection)
        if current_revision(connection) == head_revision():
            return
        command.upgrade(alembic_config(connection), "head")
