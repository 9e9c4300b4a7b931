"""The process the crash tests kill: one large import into a database, then ``done``; or
encrypted backups one after another until it is killed.

Usage: python tests/crash/child.py households DB CSV
       python tests/crash/child.py sync DB PACKAGE PASSPHRASE
       python tests/crash/child.py backup DB FOLDER PASSPHRASE   (signs in as admin/demo)

It prints ``ready`` once the app is imported and the database open, so the parent can time
the kill over the import itself rather than over Python's start-up.
"""

from __future__ import annotations

import sys
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.importers import import_households  # noqa: E402
from evacsupport.services import backup  # noqa: E402
from evacsupport.services.accounts import AccountService, sign_in  # noqa: E402
from evacsupport.sync.service import SyncService  # noqa: E402


def backups_until_killed(db: Database, folder: Path, passphrase: str) -> None:
    """Encrypted backups back to back, each under its own name, so a kill at any moment lands
    inside one (copying, sealing or writing)."""
    sign_in(db, AccountService(db).authenticate("admin", "demo"))
    policy = backup.BackupPolicy(folder=folder, name=Path(db.url.database or "").stem)
    print("ready", flush=True)
    start = datetime(2025, 1, 1)
    for n in range(100_000):
        backup.make_backup(db, policy, passphrase, now=start + timedelta(minutes=n))
        print(f"made {n}", flush=True)


def main(argv: list[str]) -> None:
    kind, db_path, source = argv[0], argv[1], Path(argv[2])
    db = Database(sqlite_url(db_path))
    if kind == "backup":
        backups_until_killed(db, source, argv[3])
        return
    print("ready", flush=True)
    start = time.perf_counter()
    if kind == "households":
        result = import_households(db, source)
        assert not result.rejected, result.rejected[:3]
    else:
        SyncService(db).import_(source, argv[3], accept_unknown=True)  # a first package
    print(f"done {time.perf_counter() - start:.3f}", flush=True)
    db.close()


if __name__ == "__main__":
    main(sys.argv[1:])
