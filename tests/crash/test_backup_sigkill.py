"""Killing the app while it makes encrypted backups (SIGKILL: no ``finally``, no clean-up)
never leaves a readable copy of the database anywhere: not in the backup folder, not in a
temporary folder, not beside the database. An earlier version copied the database in plain
form into the backup folder before sealing it, and 9 kills in 20 left it there for good.

Each round kills a process that makes backups back to back, so the kill lands at a random
moment of one: copying, sealing or writing. Then the files are looked at twice: before the
next start (nothing plain may ever have been written) and after it (what was cut short is
gone), and the database and every listed backup must still be sound.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.services import backup
from evacsupport.services.accounts import AccountService
from evacsupport.ui.views.backup.recovery import Choice, close_at_exit, open_at_start
from tests.pg import sqlite_only
from tests.services.backup_helpers import plain_databases

CHILD = Path(__file__).with_name("child.py")
KILLS = 20
PASSPHRASE = "crash test passphrase"

pytestmark = sqlite_only("kills a process writing an SQLite file")


def start(db: Path, folder: Path, tmp: Path) -> subprocess.Popen[str]:
    """The child, with its own temporary folder (TMPDIR: Python's and SQLite's)."""
    env = {**os.environ, "TMPDIR": str(tmp), "TEMP": str(tmp), "TMP": str(tmp)}
    child = subprocess.Popen(
        [sys.executable, str(CHILD), "backup", str(db), str(folder), PASSPHRASE],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=CHILD.parents[2],
        env=env,
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if line.strip() != "ready":
        child.kill()
        _, err = child.communicate()
        pytest.fail(f"child did not start: {line!r} {err[-2000:]}")
    return child


def seconds_per_backup(db: Path, folder: Path, tmp: Path) -> float:
    child = start(db, folder, tmp)
    assert child.stdout is not None
    child.stdout.readline()  # the first one also warms the caches
    began = time.perf_counter()
    line = child.stdout.readline()
    took = time.perf_counter() - began
    child.kill()
    child.communicate(timeout=60)
    assert line.startswith("made"), line
    return took


def next_start(db: Path, rules: backup.BackupPolicy) -> None:
    """What the app does when it starts again: clean-up, check, open; no recovery needed."""

    def no_recovery(problem: str, can_restore: bool) -> Choice:
        pytest.fail(f"the database needed recovery: {problem}")

    opened = open_at_start(sqlite_url(db), rules, choose=no_recovery)
    assert opened is not None
    close_at_exit(opened)


@pytest.mark.slow
def test_sigkill_during_encrypted_backups_leaves_no_readable_copy(
    tmp_path: Path, demo_db_path: Path
) -> None:
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20240101")))
    laptop, folder, tmp = tmp_path / "laptop", tmp_path / "backups", tmp_path / "tmp"
    for made in (laptop, tmp):
        made.mkdir()
    db = laptop / "shelter.sqlite3"
    shutil.copyfile(demo_db_path, db)
    setup = Database(sqlite_url(db))
    AccountService(setup).create("admin", "demo", "admin", enforce_policy=False)
    setup.close()
    rules = backup.BackupPolicy(folder=folder, name="shelter")
    per_backup = seconds_per_backup(db, folder, tmp)
    private_dirs = [Path(os.environ[v]) for v in ("XDG_CACHE_HOME", "XDG_STATE_HOME")]
    watched = [folder, tmp, laptop, *private_dirs]
    for round_ in range(KILLS):
        child = start(db, folder, tmp)
        time.sleep(rng.uniform(0, 2.5 * per_backup))
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)

        written = plain_databases(watched, besides=[db])
        assert written == [], f"round {round_}: a plain copy was written: {written}"
        next_start(db, rules)
        assert plain_databases(watched, besides=[db]) == []
        assert not [p for p in folder.iterdir() if p.name.endswith(".partial")]
        assert not [p for p in laptop.iterdir() if ".restoring" in p.name]

    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    finally:
        conn.close()
    listed = backup.list_backups(rules)
    assert listed and all(b.encrypted for b in listed)
    for info in listed:  # every backup that got its name is whole: it opens and passes checks
        plain = tmp_path / "check.sqlite3"
        plain.write_bytes(backup.open_sealed(info.path, PASSPHRASE))
        backup.check_copy(plain, info.path)
        plain.unlink()
