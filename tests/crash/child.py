"""The process the crash test kills: one large import into a database, then ``done``.

Usage: python tests/crash/child.py households DB CSV
       python tests/crash/child.py sync DB PACKAGE PASSPHRASE

It prints ``ready`` once the app is imported and the database open, so the parent can time
the kill over the import itself rather than over Python's start-up.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.importers import import_households  # noqa: E402
from evacsupport.sync.service import SyncService  # noqa: E402


def main(argv: list[str]) -> None:
    kind, db_path, source = argv[0], argv[1], Path(argv[2])
    db = Database(sqlite_url(db_path))
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
