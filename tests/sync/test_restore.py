"""A laptop restored from an old backup rejoins: it gets back what it lost, nothing repeats."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from evacsupport.services.households import HouseholdService
from tests.factories import household, member, signed_in
from tests.pg import sqlite_only
from tests.sync.conftest import Laptop
from tests.sync.helpers import dump


@sqlite_only("restores by copying the laptop's SQLite file")
def test_a_restored_laptop_gets_back_what_it_lost(laptop: Callable[[str], Laptop]) -> None:
    one, two = laptop("one"), laptop("two")
    HouseholdService(one.db).create(household(members=[member(given_name="一")]))
    two.receive(one.send(two), accept_unknown=True)
    one.receive(two.send(one))
    path = one.db.url.database
    assert path is not None
    one.db.close()
    shutil.copyfile(path, path + ".backup")
    one.reopen()

    lost = HouseholdService(one.db).create(household(members=[member(given_name="二")]))
    two.receive(one.send(two))  # the office got it before the laptop broke
    one.receive(two.send(one))

    one.db.close()  # the laptop's file is replaced by last night's backup
    shutil.copyfile(path + ".backup", path)
    for leftover in (path + "-wal", path + "-shm"):
        Path(leftover).unlink(missing_ok=True)
    one.reopen()
    one.sync.after_restore()
    assert lost.id not in dump(one.db, ("household",))["household"]
    later = HouseholdService(one.db).create(household(members=[member(given_name="三")]))

    two.receive(one.send(two))
    one.receive(two.send(one))
    held = dump(one.db, ("household",))["household"]
    assert {lost.id, later.id} <= set(held)
    assert dump(one.db) == dump(two.db)
    assert [p.name for p in two.sync.peers()] == ["one"]  # the same peer, not a new one


@sqlite_only("restores an SQLite file")
def test_restoring_a_database_with_accounts_starts_a_new_identity(tmp_path: Path) -> None:
    """SyncService.after_restore is for administrators; the restore itself forks the identity
    of the file it put in place, where nobody is signed in yet."""
    from evacsupport.config import sqlite_url
    from evacsupport.db import Database
    from evacsupport.services import backup
    from evacsupport.services.accounts import AccountService
    from evacsupport.sync.service import SyncService

    path = tmp_path / "laptop.sqlite3"
    db = Database(sqlite_url(path))
    AccountService(db).create("admin", "admin-pass-1", "admin")
    signed_in(db, "admin", "admin-pass-1")
    before = SyncService(db).this_site().site_id
    copy = backup.backup_to(db, tmp_path / "copy.sqlite3")
    backup.restore(db, copy)  # closes db: the file it opened is replaced
    db = Database(sqlite_url(path))
    try:
        site = SyncService(db).this_site()
        assert site.site_id != before
        with db.read() as session:
            from evacsupport.sync import site as sync_site

            assert sync_site.former_ids(session.connection()) == [str(before)]
    finally:
        db.close()
