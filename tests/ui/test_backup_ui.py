"""Backups in the window: the restore dialog, the backup on close, the daily check, recovery."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialogButtonBox, QFileDialog, QLineEdit
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings, sqlite_url
from evacsupport.db import Database
from evacsupport.services import backup
from evacsupport.services.households import HouseholdService
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.backup import auto
from evacsupport.ui.views.backup.recovery import (
    AdministratorDialog,
    Choice,
    RecoveryDialog,
    open_at_start,
)
from tests.factories import household, signed_in
from tests.pg import sqlite_only
from tests.services.backup_helpers import PASSWORD, add_accounts, audit_actions
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


# --- who may restore and back up, and who is signed in afterwards ------------------------------


@pytest.fixture
def staffed(db: Database) -> Database:
    """Accounts of every role; ``db`` signed in as the administrator."""
    return add_accounts(db)


def restore_newest(win: MainWindow) -> bool:
    dialog = win.open_restore()
    assert dialog is not None
    dialog.table.selectRow(0)
    return dialog.restore_selected()


def test_after_a_restore_the_administrator_signs_in_to_the_restored_database(
    qtbot: QtBot, staffed: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path)
    HouseholdService(staffed).create(household())
    backup.make_backup(staffed, backup.policy_from_settings(settings, staffed.url.database))
    HouseholdService(staffed).create(household())
    asked: list[Database] = []

    def sign_in_again(database: Database, parent: object, **_options: object) -> bool:
        asked.append(database)
        signed_in(database, "admin", PASSWORD)
        return True

    monkeypatch.setattr(auto, "sign_in", sign_in_again)
    prompter = FakePrompter(confirm_answer=True)
    win = window(qtbot, staffed, prompter, settings)
    assert restore_newest(win) and not prompter.errors
    assert asked == [win.ctx.db] and win.ctx.db is not staffed
    assert (win.ctx.db.actor, win.ctx.db.role) == ("admin", "admin")
    assert HouseholdService(win.ctx.db).count() == 1
    assert "バックアップから復元しました" in win.statusBar().currentMessage()
    restores = [
        (u, c) for a, u, c in audit_actions(Path(str(staffed.url.database))) if a == "restore"
    ]
    assert [u for u, _ in restores] == ["admin"]


def test_giving_up_the_sign_in_after_a_restore_closes_the_window(
    qtbot: QtBot, staffed: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = settings_for(tmp_path)
    backup.make_backup(staffed, backup.policy_from_settings(settings, staffed.url.database))
    HouseholdService(staffed).create(household())
    monkeypatch.setattr(auto, "sign_in", lambda database, parent, **_options: False)
    win = window(qtbot, staffed, FakePrompter(confirm_answer=True), settings)
    win.show()
    assert restore_newest(win)
    assert not win.isVisible()  # nobody may go on as someone the restored file may not know
    restored = signed_in(Database(staffed.url), "admin", PASSWORD)
    try:
        assert HouseholdService(restored).count() == 0
    finally:
        restored.close()


def test_the_service_refuses_a_restore_the_window_was_not_asked_to_hide(
    qtbot: QtBot, staffed: Database, tmp_path: Path
) -> None:
    """A coordinator who reaches the restore (a stale dialog, a script) is refused again."""
    settings = settings_for(tmp_path)
    backup.make_backup(staffed, backup.policy_from_settings(settings, staffed.url.database))
    HouseholdService(staffed).create(household())
    prompter = FakePrompter(confirm_answer=True)
    win = window(qtbot, staffed, prompter, settings)
    dialog = win.open_restore()
    assert dialog is not None
    signed_in(staffed, "sato", PASSWORD)
    dialog.table.selectRow(0)
    assert not dialog.restore_selected()
    assert prompter.errors[-1] == (
        "コーディネーターの権限ではこの操作はできません。管理者に相談してください"
    )
    assert win.ctx.db is staffed and HouseholdService(staffed).count() == 1


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


# --- start-up recovery of a damaged file with accounts ----------------------------------------


def test_recovery_asks_for_an_administrator_of_the_backup(
    staffed: Database, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path)
    path = Path(str(staffed.url.database))
    rules = backup.policy_from_settings(settings, path)
    backup.make_backup(staffed, rules)
    staffed.close()
    path.write_bytes(b"damaged" * 1000)
    leftover = rules.folder / f".{rules.name}-20250101-000000.plain"  # an earlier crash's
    leftover.write_bytes(b"SQLite format 3\x00 the whole caseload")
    problems: list[str] = []
    answers = iter([("admin", "wrong password"), None, ("mayor", PASSWORD), ("admin", PASSWORD)])

    def choose(problem: str, can_restore: bool) -> Choice:
        problems.append(problem)
        return Choice.RESTORE

    opened = open_at_start(
        sqlite_url(path), rules, choose=choose, credentials=lambda: next(answers)
    )
    assert opened is not None
    try:
        assert not leftover.exists()
        assert len(problems) == 4
        assert "バックアップの中のものと合いません" in problems[1]  # the wrong password
        assert "合いません" not in problems[2]  # a cancelled question is no failure
        assert "閲覧者の権限" in problems[3]
        signed_in(opened, "admin", PASSWORD)
        assert HouseholdService(opened).count() == 0
    finally:
        opened.close()


def test_the_administrator_dialog_gives_both_or_nothing(qtbot: QtBot) -> None:
    dialog = AdministratorDialog()
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.keyClicks(dialog.username, "admin")
    assert dialog.credentials() is None and not ok.isEnabled()  # no password yet
    qtbot.keyClicks(dialog.password, "noto-2024!")
    assert dialog.credentials() == ("admin", "noto-2024!") and ok.isEnabled()
    assert dialog.password.echoMode() == QLineEdit.EchoMode.Password
