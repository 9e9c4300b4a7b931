"""Killing the app in the middle of a large import (SIGKILL: no cleanup at all) never leaves a
damaged database or half an import: SQLite's journal rolls the open transaction back.

And a damaged file is met by the start-up recovery (restore the last good backup), not a crash.
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
from sqlalchemy import func, select

from bench.bench_import import generate
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Household
from evacsupport.errors import StorageError
from evacsupport.services import backup, demo
from evacsupport.services.integrity import quick_check
from evacsupport.sync.service import SyncService
from tests.factories import signed_in
from tests.pg import sqlite_only

CHILD = Path(__file__).with_name("child.py")
ROWS = 3000
IMPORT_KILLS = 20
SYNC_KILLS = 5
PASSPHRASE = "crash test passphrase"

pytestmark = sqlite_only("kills a process writing an SQLite file")


def households(path: Path) -> int:
    db = Database(sqlite_url(path))  # opens normally: migrations find the schema current
    try:
        with db.read() as session:
            return session.scalar(select(func.count()).select_from(Household)) or 0
    finally:
        db.close()


def integrity(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return [r[0] for r in conn.execute("PRAGMA integrity_check")]
    finally:
        conn.close()


def fresh_copy(template: Path, folder: Path, name: str) -> Path:
    for leftover in folder.glob(f"{name}*"):
        leftover.unlink()
    target = folder / name
    shutil.copyfile(template, target)
    return target


def start(*args: str) -> subprocess.Popen[str]:
    child = subprocess.Popen(
        [sys.executable, str(CHILD), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=CHILD.parents[2],
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    if line.strip() != "ready":
        child.kill()
        _, err = child.communicate()
        pytest.fail(f"child did not start: {line!r} {err[-2000:]}")
    return child


def run_whole(*args: str) -> float:
    child = start(*args)
    out, err = child.communicate(timeout=120)
    assert child.returncode == 0, err[-2000:]
    return float(out.split()[-1])


def kill_rounds(
    rounds: int, template: Path, folder: Path, args: list[str], expected: int, rng: random.Random
) -> list[int]:
    """Returns the household count after each kill (each must be 0 or ``expected``)."""
    name = "victim.sqlite3"
    duration = run_whole(args[0], str(fresh_copy(template, folder, name)), *args[1:])
    assert households(folder / name) == expected
    seen = []
    for _ in range(rounds):
        path = fresh_copy(template, folder, name)
        child = start(args[0], str(path), *args[1:])
        # spread over the import and a little past it, so some kills land on the commit itself
        time.sleep(rng.uniform(0, duration * 1.1))
        os.kill(child.pid, signal.SIGKILL)
        child.communicate(timeout=60)
        assert integrity(path) == ["ok"]
        count = households(path)
        assert count in (0, expected)
        seen.append(count)
    return seen


@pytest.fixture
def template(tmp_path: Path) -> Path:
    path = tmp_path / "template.sqlite3"
    Database(sqlite_url(path)).close()
    return path


@pytest.mark.slow
def test_sigkill_during_household_import_and_sync_leaves_all_or_none(
    tmp_path: Path, template: Path
) -> None:
    rng = random.Random(int(os.environ.get("CRASH_SEED", "20240101")))
    csv = tmp_path / "名簿.csv"
    expected = generate(csv, ROWS, random.Random(7))
    seen = kill_rounds(IMPORT_KILLS, template, tmp_path, ["households", str(csv)], expected, rng)
    assert 0 in seen  # most kills land inside the import

    source = Database(sqlite_url(tmp_path / "demo.sqlite3"))
    try:
        summary = demo.generate(source, households=400, seed=3)
        package = tmp_path / "to-peer.evsync"
        SyncService(source).export("peer", package, PASSPHRASE)
    finally:
        source.close()
    kill_rounds(
        SYNC_KILLS, template, tmp_path, ["sync", str(package), PASSPHRASE], summary.households, rng
    )


def damage(path: Path) -> None:
    """Overwrite pages in the middle of the file, as a failing disk or a bad USB copy does."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    data[middle : middle + 8192] = os.urandom(8192)
    path.write_bytes(bytes(data))


def test_damaged_file_is_detected_and_the_latest_good_backup_restored(tmp_path: Path) -> None:
    path = tmp_path / "shelter.sqlite3"
    db = Database(sqlite_url(path))
    demo.generate(db, households=60, seed=2, accounts=True)
    rules = backup.BackupPolicy(folder=tmp_path / "backups", name="shelter")
    good = backup.make_backup(signed_in(db, "admin", "demo"), rules)
    db.close()
    damage(path)
    try:
        Database(sqlite_url(path)).close()
    except StorageError as exc:
        assert exc.code == "db.damaged"
    else:
        assert not quick_check(path)
    assert not quick_check(path)

    from evacsupport.ui.views.backup.recovery import Choice, open_at_start

    asked: list[str] = []

    def choose(problem: str, can_restore: bool) -> Choice:
        asked.append(problem)
        assert can_restore
        return Choice.RESTORE

    administrator = ("admin", "demo")  # of the backup: the damaged file cannot be signed into
    opened = open_at_start(
        sqlite_url(path),
        rules,
        choose=choose,
        passphrase=lambda: None,
        credentials=lambda: administrator,
    )
    assert opened is not None
    try:
        with opened.read() as session:
            assert session.scalar(select(func.count()).select_from(Household)) == 60
    finally:
        opened.close()
    assert len(asked) == 1 and "壊れて" in asked[0]
    assert quick_check(path) and good.exists()
    assert list(tmp_path.glob("shelter.sqlite3.before-restore-*"))
