"""Backups in the window: the restore dialog, the backup on close, the daily check, recovery."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings, sqlite_url
from evacsupport.db import Database
from evacsupport.services import backup
from evacsupport.services.households import HouseholdService
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.backup.recovery import Choice, RecoveryDialog, open_at_start
from tests.factories import household, signed_in
from tests.pg import sqlite_only
from tests.services.backup_helpers import PASSWORD, add_accounts
from tests.ui.fakes import FakePrompter

pytestmark = sqlite_only("backups copy this computer's SQLite file")


def settings_for(tmp_path: Path) -> Settings:
    settings = Settings()
    settings.backup_folder = str(tmp_path / "backups")
    return settings


def window(qtbot: QtBot, db: Database, prompter: FakePrompter, settings: Settings) -> MainWindow:
    win = MainWindow(db, prompter=prompter, settings=settings)
    qtbot.addWidget(win)
    return win


def test_restore_dialog_lists_and_restores(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    HouseholdService(db).create(household())
    rules = backup.policy_from_settings(settings, db.url.database)
    older = backup.make_backup(db, rules, now=datetime(2025, 5, 1, 9))
    HouseholdService(db).create(household())
    backup.make_backup(db, rules, now=datetime(2025, 5, 2, 9))
    HouseholdService(db).create(household())
    prompter = FakePrompter(confirm_answer=True)
    win = window(qtbot, db, prompter, settings)
    dialog = win.open_restore()
    assert dialog is not None
    assert [r.made_at.day for r in dialog.model.rows] == [2, 1]
    assert dialog.model.data(dialog.model.index(0, 2)) == "なし"
    dialog.table.selectRow(1)
    assert dialog.restore_selected()
    assert prompter.confirms and not prompter.errors
    assert win.ctx.db is not db
    assert HouseholdService(win.ctx.db).count() == 1
    assert list(Path(str(db.url.database)).parent.glob("*.before-restore-*"))
    assert older.exists()


def test_restore_refused_when_the_user_says_no(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    backup.make_backup(db, backup.policy_from_settings(settings, db.url.database))
    HouseholdService(db).create(household())
    win = window(qtbot, db, FakePrompter(confirm_answer=False), settings)
    dialog = win.open_restore()
    assert dialog is not None and not dialog.restore_selected()
    assert win.ctx.db is db and HouseholdService(db).count() == 1


def test_backup_on_close_and_daily_check(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    win = window(qtbot, db, FakePrompter(), settings)
    rules = win.auto_backup.policy()
    assert rules is not None and rules.folder == tmp_path / "backups"
    task = win.auto_backup.check_due(datetime(2025, 5, 1, 10))
    assert task is not None
    qtbot.waitUntil(lambda: win.auto_backup.task is None, timeout=10000)
    assert win.auto_backup.last_made is not None
    assert "自動バックアップを保存しました" in win.statusBar().currentMessage()
    assert win.auto_backup.check_due(datetime(2025, 5, 1, 11)) is None  # already made today
    win.close()
    assert len(backup.list_backups(rules)) == 2


def test_encrypted_backup_on_close_asks_once(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    settings.backup_encrypt = True
    prompter = FakePrompter(password_answer="team passphrase 1")
    win = window(qtbot, db, prompter, settings)
    made = win.auto_backup.on_exit()
    assert made is not None and made.name.endswith(".evbak")
    win.auto_backup.on_exit()
    assert prompter.asked.count("password:バックアップの暗号化") == 1


def test_recovery_dialog_offers_the_choices(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = RecoveryDialog("壊れています", [], can_restore=True)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled()  # no backup to restore
    dialog.open_button.click()
    assert dialog.choice is Choice.OPEN_OTHER
    too_new = RecoveryDialog("新しい版", [], can_restore=False)
    qtbot.addWidget(too_new)
    assert too_new.restore_button.isHidden()


def test_a_too_new_database_offers_to_open_another(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "new.sqlite3"
    Database(sqlite_url(path)).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE alembic_version SET version_num = 'ffffffffffff'")
    conn.commit()
    conn.close()
    other = tmp_path / "other.sqlite3"
    seen: list[tuple[str, bool]] = []

    def choose(problem: str, can_restore: bool) -> Choice:
        seen.append((problem, can_restore))
        return Choice.OPEN_OTHER

    opened = open_at_start(
        sqlite_url(path),
        backup.BackupPolicy(folder=tmp_path / "b"),
        choose=choose,
        open_other=lambda: str(other),
    )
    assert opened is not None
    opened.close()
    assert len(seen) == 1 and "新しい版" in seen[0][0] and seen[0][1] is False


# --- who may back up ---------------------------------------------------------------------------


@pytest.fixture
def staffed(db: Database) -> Database:
    """Accounts of every role; ``db`` signed in as the administrator."""
    return add_accounts(db)


def test_a_viewer_may_not_save_a_backup_from_the_file_menu(
    qtbot: QtBot, staffed: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    signed_in(staffed, "mayor", PASSWORD)
    asked: list[str] = []
    monkeypatch.setattr(
        QFileDialog, "getSaveFileName", lambda *a, **k: asked.append("where") or ("", "")
    )
    prompter = FakePrompter()
    win = window(qtbot, staffed, prompter, settings_for(tmp_path))
    win._ask_backup()
    assert asked == []  # refused before asking where
    win.save_backup(str(tmp_path / "copy.sqlite3"))
    assert prompter.errors == ["閲覧者の権限ではこの操作はできません。管理者に相談してください"] * 2
    assert not (tmp_path / "copy.sqlite3").exists()


def test_venue_staff_still_get_the_automatic_backup(
    qtbot: QtBot, staffed: Database, tmp_path: Path
) -> None:
    signed_in(staffed, "kato", PASSWORD)
    win = window(qtbot, staffed, FakePrompter(), settings_for(tmp_path))
    made = win.auto_backup.on_exit()
    assert made is not None and made.parent == tmp_path / "backups"
    rules = backup.policy_from_settings(settings_for(tmp_path), staffed.url.database)
    assert [b.path for b in backup.list_backups(rules)] == [made]
