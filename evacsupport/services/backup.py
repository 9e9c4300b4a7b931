"""A consistent copy of the open SQLite database, taken while the app keeps running.

SQLite's online backup API copies a live database page by page (WAL included) without stopping
writers, unlike copying the file, which can catch it half-written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from evacsupport.db.engine import Database
from evacsupport.errors import EvacError


def backup_to(db: Database, target: Path | str) -> Path:
    if not db.is_sqlite or not db.url.database:
        raise EvacError("backup.sqlite_only")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    source = sqlite3.connect(db.url.database)
    try:
        dest = sqlite3.connect(partial)
        try:
            source.backup(dest)
            if dest.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise EvacError("db.damaged", path=str(target))
        finally:
            dest.close()
    finally:
        source.close()
    partial.replace(target)  # only a complete, checked copy ever gets the chosen name
    return target
