"""Automatic backups: rotation, encryption, restore with the old file kept aside, refusals.

``restore(db, …)`` replaces an open database; ``recover(path, …)`` one that cannot be opened
(damaged, or not there yet). Who may do either is in test_backup_roles.py.
"""

from __future__ import annotations

import errno
import os
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from evacsupport.config import Settings, sqlite_url
from evacsupport.db import Database
from evacsupport.errors import EvacError
from evacsupport.services import backup
from evacsupport.services.backup import BackupPolicy
from evacsupport.services.households import HouseholdService
from evacsupport.services.integrity import quick_check
from tests.factories import household
from tests.pg import sqlite_only
from tests.services.backup_helpers import unopened_database

PASS = "team passphrase 1"
pytestmark = sqlite_only("backups copy this computer's SQLite file")


def policy(tmp_path: Path, **kw: object) -> BackupPolicy:
    return BackupPolicy(folder=tmp_path / "backups", name="test", **kw)  # type: ignore[arg-type]


def count(path: Path) -> int:
    db = Database(sqlite_url(path))
    try:
        return HouseholdService(db).count()
    finally:
        db.close()


def write_empty_database(path: Path) -> None:
    """An app database without accounts, as a damaged file that is still readable would be."""
    path.unlink(missing_ok=True)
    Database(sqlite_url(path)).close()


def fake_backup(folder: Path, at: datetime, name: str = "test") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}-{at:%Y%m%d-%H%M%S}.sqlite3"
    path.write_bytes(b"x")
    return path


def test_rotation_keeps_seven_days_and_four_weeks(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    start = datetime(2025, 1, 1, 9, 0)
    rules = policy(tmp_path)
    for day in range(90):  # two backups a day (morning and exit), rotated each time
        for hour in (9, 18):
            now = start + timedelta(days=day, hours=hour - 9)
            fake_backup(folder, now)
            backup.rotate(folder, rules, now)
    kept = [b.made_at for b in backup.list_backups(rules)]
    last = start + timedelta(days=89, hours=9)
    daily = [last - timedelta(days=d) for d in range(7)]
    assert kept[:7] == daily
    weeks = {d.isocalendar()[:2] for d in kept}
    assert len(weeks) == 4
    # every kept backup is the newest of its day; the older weeks keep their Sunday evening
    assert all(k.hour == 18 for k in kept)
    assert all(k.weekday() == 6 for k in kept[7:])
    assert len(kept) == 7 + 4 - len({d.isocalendar()[:2] for d in daily})


def test_rotation_never_deletes_the_newest_and_counts_days_with_backups(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    rules = policy(tmp_path, keep_daily=2, keep_weekly=1)
    old = [fake_backup(folder, datetime(2024, 3, d, 12)) for d in (1, 2, 3)]
    other = fake_backup(folder, datetime(2024, 3, 1, 12), name="other")  # another database's
    deleted = backup.rotate(folder, rules, datetime(2025, 1, 1))  # after months switched off
    assert deleted == [old[0]]
    assert old[1].exists() and old[2].exists() and other.exists()


def test_due_until_a_backup_is_made_today(db: Database, tmp_path: Path) -> None:
    rules = policy(tmp_path)
    now = datetime(2025, 5, 1, 10, 0)
    assert backup.due(rules, now)
    backup.make_backup(db, rules, now=now)
    assert not backup.due(rules, now + timedelta(hours=5))
    assert backup.due(rules, now + timedelta(days=1))


def test_plain_backup_restores_and_keeps_the_old_file_aside(db: Database, tmp_path: Path) -> None:
    HouseholdService(db).create(household())
    made = backup.make_backup(db, policy(tmp_path), now=datetime(2025, 5, 1, 10))
    assert made.name == "test-20250501-100000.sqlite3"
    [info] = backup.list_backups(policy(tmp_path))
    assert (info.path, info.encrypted, info.size) == (made, False, made.stat().st_size)
    HouseholdService(db).create(household())
    assert db.url.database
    path = Path(db.url.database)
    done = backup.restore(db, made)  # closes db: the file is replaced under it
    aside = done.kept_aside
    assert aside is not None and aside.name.startswith("test.sqlite3.before-restore-")
    assert (done.backup, done.database) == (made, path)
    assert count(path) == 1 and count(aside) == 2
    assert quick_check(path)
    assert not [p for p in path.parent.iterdir() if ".restoring" in p.name]  # temp copy gone


def test_encrypted_backup_needs_the_right_passphrase(db: Database, tmp_path: Path) -> None:
    HouseholdService(db).create(household())
    made = backup.make_backup(db, policy(tmp_path), PASS, now=datetime(2025, 5, 1, 10))
    assert made.name.endswith(".sqlite3.evbak")
    assert b"SQLite format 3" not in made.read_bytes()
    assert backup.list_backups(policy(tmp_path))[0].encrypted
    HouseholdService(db).create(household())
    assert db.url.database
    path = Path(db.url.database)
    for wrong, code in (
        (None, "backup.passphrase_needed"),
        ("wrong passphrase", "backup.wrong_passphrase"),
    ):
        with pytest.raises(EvacError) as info:
            backup.restore(db, made, wrong)
        assert info.value.code == code
    assert HouseholdService(db).count() == 2  # untouched, and still open
    assert [p.name for p in path.parent.iterdir() if "before-restore" in p.name] == []
    backup.restore(db, made, PASS)
    assert count(path) == 1


def test_a_changed_byte_in_an_encrypted_backup_is_refused(db: Database, tmp_path: Path) -> None:
    made = backup.make_backup(db, policy(tmp_path), PASS)
    data = bytearray(made.read_bytes())
    data[-20] ^= 1
    made.write_bytes(bytes(data))
    with pytest.raises(EvacError) as info:
        backup.recover(tmp_path / "target.sqlite3", made, PASS)
    assert info.value.code == "backup.damaged"
    assert not (tmp_path / "target.sqlite3").exists()


def test_a_damaged_backup_is_refused_and_the_database_untouched(
    db: Database, tmp_path: Path
) -> None:
    made = backup.make_backup(db, policy(tmp_path))
    data = bytearray(made.read_bytes())
    data[len(data) // 2 : len(data) // 2 + 4096] = b"\xff" * 4096
    made.write_bytes(bytes(data))
    target = tmp_path / "current.sqlite3"
    target.write_bytes(b"current")
    with pytest.raises(EvacError) as info:
        backup.recover(target, made)
    assert info.value.code == "backup.damaged"
    assert target.read_bytes() == b"current"
    not_a_db = tmp_path / "x-20250101-000000.sqlite3"
    not_a_db.write_bytes(b"hello" * 1000)
    with pytest.raises(EvacError) as info:
        backup.restore(db, not_a_db)
    assert info.value.code == "backup.damaged"
    assert HouseholdService(db).count() == 0  # still open
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["backups", "current.sqlite3", "test.sqlite3", "x-20250101-000000.sqlite3"]
        + [p.name for p in tmp_path.glob("test.sqlite3-*")]  # the open database's WAL and SHM
    )


def test_a_backup_from_a_newer_app_is_refused(db: Database, tmp_path: Path) -> None:
    made = backup.make_backup(db, policy(tmp_path))
    conn = sqlite3.connect(made)
    conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    conn.commit()
    conn.close()
    with pytest.raises(EvacError) as info:
        backup.restore(db, made)
    assert info.value.code == "backup.too_new"
    assert HouseholdService(db).count() == 0


def test_restore_moves_a_stale_wal_aside(db: Database, tmp_path: Path) -> None:
    made = backup.make_backup(db, policy(tmp_path))
    target = tmp_path / "current.sqlite3"
    target.write_bytes(made.read_bytes())
    Path(f"{target}-wal").write_bytes(b"stale log")
    aside = backup.recover(target, made).kept_aside
    assert aside is not None
    assert not Path(f"{target}-wal").exists()
    assert Path(f"{aside}-wal").read_bytes() == b"stale log"


def test_second_folder_gets_a_copy_and_a_missing_one_is_a_warning(
    db: Database, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    made = backup.make_backup(db, policy(tmp_path, second_folder=usb))
    assert (usb / made.name).read_bytes() == made.read_bytes()
    assert [p.name for p in usb.iterdir()] == [made.name]
    warnings: list[str] = []
    gone = tmp_path / "unplugged"
    made = backup.make_backup(
        db,
        policy(tmp_path, second_folder=gone),
        now=datetime(2030, 1, 1),
        on_warning=warnings.append,
    )
    assert made.exists() and not gone.exists()
    assert len(warnings) == 1 and str(gone) in warnings[0]


def test_latest_good_backup_skips_damaged_ones(db: Database, tmp_path: Path) -> None:
    rules = policy(tmp_path)
    HouseholdService(db).create(household())
    good = backup.make_backup(db, rules, now=datetime(2025, 5, 1))
    HouseholdService(db).create(household())
    bad = backup.make_backup(db, rules, now=datetime(2025, 5, 2))
    bad.write_bytes(b"garbage" * 100)
    target = tmp_path / "damaged.sqlite3"
    target.write_bytes(b"damaged")
    with pytest.raises(EvacError) as info:  # no telling whether the damaged file had accounts
        backup.recover_latest_good(target, rules)
    assert info.value.code == "backup.no_accounts_damaged"
    assert target.read_bytes() == b"damaged"
    write_empty_database(target)  # readable, and without accounts: nobody to check against
    done = backup.recover_latest_good(target, rules)
    aside = done.kept_aside
    assert done.backup == good and aside is not None and count(aside) == 0
    assert count(target) == 1
    with pytest.raises(EvacError) as info:
        backup.recover_latest_good(target, policy(tmp_path / "empty"))
    assert info.value.code == "backup.none_good"


def test_policy_from_settings_ignores_junk(tmp_path: Path) -> None:
    settings = Settings()
    settings.backup_keep_daily = "３"  # type: ignore[assignment]
    settings.backup_keep_weekly = -2
    settings.backup_second_folder = str(tmp_path)
    rules = backup.policy_from_settings(settings, tmp_path / "shelter.sqlite3")
    assert (rules.keep_daily, rules.keep_weekly, rules.name) == (3, 4, "shelter")
    assert rules.second_folder == tmp_path and rules.folder.name == "backups"
    settings.backup_keep_daily = True  # type: ignore[assignment]
    settings.backup_folder = 12  # type: ignore[assignment]
    rules = backup.policy_from_settings(settings)
    assert rules.keep_daily == 7 and rules.name == "evacsupport"


def test_postgresql_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    server = unopened_database("postgresql+psycopg://u@localhost/evac")
    with pytest.raises(EvacError) as info:
        backup.make_backup(server, policy(tmp_path))
    assert info.value.code == "backup.server"
    assert "pg_dump" in info.value.message()
    assert not (tmp_path / "backups").exists()


def test_a_restored_database_syncs_under_a_new_identity(tmp_path: Path) -> None:
    from evacsupport.sync.service import SyncService

    path = tmp_path / "laptop.sqlite3"
    db = Database(sqlite_url(path))
    before = SyncService(db).this_site().site_id
    copy = backup.backup_to(db, tmp_path / "copy.sqlite3")
    backup.restore(db, copy)
    db = Database(sqlite_url(path))
    try:
        assert SyncService(db).this_site().site_id != before
    finally:
        db.close()


class _FixedClock(datetime):
    @classmethod
    def now(cls, tz: object = None) -> _FixedClock:  # type: ignore[override]
        return cls(2025, 5, 1, 12, 0, 0)


def test_two_restores_in_one_second_keep_both_earlier_files(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = backup.make_backup(db, policy(tmp_path), now=datetime(2025, 4, 1))
    path = Path(str(db.url.database))
    HouseholdService(db).create(household())
    monkeypatch.setattr(backup, "datetime", _FixedClock)
    first = backup.restore(db, made).kept_aside
    again = Database(sqlite_url(path))
    HouseholdService(again).create(household())
    HouseholdService(again).create(household())
    second = backup.restore(again, made).kept_aside  # closes it
    assert first is not None and second is not None
    assert (first.name, second.name) == (
        "test.sqlite3.before-restore-20250501-120000",
        "test.sqlite3.before-restore-20250501-120000-2",
    )
    assert (count(first), count(second), count(path)) == (1, 2, 0)


def test_a_failed_swap_leaves_the_current_file_with_its_log(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The last step (renaming the copy into place) failing must not part the database from
    its WAL, which then holds the latest saves."""
    made = backup.make_backup(db, policy(tmp_path))
    path = Path(str(db.url.database))
    HouseholdService(db).create(household())
    holder = Database(sqlite_url(path))  # another connection keeps the WAL after db closes
    try:
        HouseholdService(holder).count()
        replace = Path.replace

        def refuse_the_swap(self: Path, target: str | os.PathLike[str]) -> Path:
            if Path(target) == path and ".restoring-" in self.name:
                raise OSError(errno.EACCES, "Permission denied")
            return replace(self, target)

        monkeypatch.setattr(Path, "replace", refuse_the_swap)
        with pytest.raises(EvacError) as info:
            backup.restore(db, made)
        monkeypatch.undo()
        assert info.value.code == "backup.cannot_write"
        assert Path(f"{path}-wal").exists()
        assert HouseholdService(holder).count() == 1  # the save is still there
    finally:
        holder.close()
    assert count(path) == 1
    assert not [p for p in tmp_path.iterdir() if ".restoring" in p.name]
