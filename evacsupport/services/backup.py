"""A consistent copy of the open SQLite database, taken while the app keeps running.

SQLite's online backup API copies a live database page by page (WAL included) without stopping
writers, unlike copying the file, which can catch it half-written.
"""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from evacsupport.db.engine import Database, storage_error
from evacsupport.errors import EvacError, StorageError

# How long to wait for a source locked by another program before giving up with a message.
LOCK_TIMEOUT_S = 10.0


class _Locked(Exception):
    """Raised from the progress callback to stop a backup that cannot get its lock."""


def backup_to(db: Database, target: Path | str) -> Path:
    if not db.is_sqlite or not db.url.database or db.url.database == ":memory:":
        raise EvacError("backup.sqlite_only")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    deadline = time.monotonic() + LOCK_TIMEOUT_S

    def give_up_when_locked(status: int, _remaining: int, _total: int) -> None:
        # Python retries a busy step forever: a lock held elsewhere must end in a message.
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Locked

    try:
        partial.unlink(missing_ok=True)  # a crashed attempt's leftover is no database
        source = sqlite3.connect(db.url.database, timeout=LOCK_TIMEOUT_S)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest, progress=give_up_when_locked)
                checked = dest.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            source.close()
        if checked != "ok":
            raise EvacError("db.damaged", path=str(target))
        partial.replace(target)  # only a complete, checked copy ever gets the chosen name
    except _Locked as exc:
        raise StorageError("db.locked") from exc
    except sqlite3.Error as exc:
        raise storage_error(exc, db.url) from exc
    finally:
        partial.unlink(missing_ok=True)  # a failed attempt leaves nothing behind
    return target
