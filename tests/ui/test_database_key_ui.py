"""The database key in the window, typed as a user does: asked at start for an encrypted file
(a wrong key said in the dialog), chosen for a new database (encrypted by default), and the
menu's "encrypt this database" for an administrator, with the About dialog saying which."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QLineEdit
from pytestqt.qtbot import QtBot
from sqlalchemy import text

from evacsupport.config import Settings, sqlite_url
from evacsupport.db import Database, cipher
from evacsupport.services import encryption
from evacsupport.services.accounts import AccountService
from evacsupport.services.backup import BackupPolicy
from evacsupport.services.households import HouseholdService
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.backup.recovery import open_at_start
from evacsupport.ui.views.signin.keys import KeyDialog, NewKeyDialog, ask_key, ask_new_database
from tests.factories import household, signed_in
from tests.pg import sqlite_only
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

pytestmark = sqlite_only("encryption at rest is the SQLite file's")

KEY = "のと-2024-key"


@pytest.fixture(autouse=True)
def _no_keys(monkeypatch: pytest.MonkeyPatch) -> None:
    cipher.forget_keys()
    monkeypatch.delenv(cipher.KEY_ENV, raising=False)


def _encrypted(path: Path) -> Path:
    encryption.create_encrypted(path, KEY, KEY)
    db = Database(sqlite_url(path))
    HouseholdService(db).create(household())
    db.close()
    cipher.forget_keys()
    return path


def _answer(kind: type[QDialog], act: Callable[[QDialog], bool]) -> list[str]:
    """Answer the next dialog of ``kind`` with ``act`` (True when done with it); the error
    lines it showed on the way are collected."""
    seen: list[str] = []

    def look() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, kind):
            QTimer.singleShot(20, look)
            return
        message = dialog.findChild(QLabel, "signin_message")
        if message is not None and message.isVisible():
            seen.append(message.text())
        if not act(dialog):
            QTimer.singleShot(20, look)

    QTimer.singleShot(20, look)
    return seen


def _type(qtbot: QtBot, dialog: QDialog, name: str, value: str) -> None:
    field = dialog.findChild(QLineEdit, name)
    assert field is not None, name
    field.clear()
    if value.isascii():
        qtbot.keyClicks(field, value)
    else:  # a Japanese key comes through the input method
        type_japanese(field, value)


def test_the_key_is_asked_and_a_wrong_one_said_in_the_dialog(qtbot: QtBot, tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "office.sqlite3")
    tries = iter(["not the key", KEY])

    def act(dialog: QDialog) -> bool:
        key = next(tries, None)
        if key is None:
            return True
        _type(qtbot, dialog, "db_key", key)
        qtbot.keyClick(dialog.findChild(QLineEdit, "db_key"), Qt.Key.Key_Return)
        return key == KEY

    seen = _answer(KeyDialog, act)
    assert ask_key(path)
    assert any("鍵（パスフレーズ）が違います" in s for s in seen), seen
    assert not any("壊れ" in s for s in seen)
    db = Database(sqlite_url(path))
    assert HouseholdService(db).count() == 1
    db.close()


def test_start_asks_the_key_before_the_file_is_checked(qtbot: QtBot, tmp_path: Path) -> None:
    path = _encrypted(tmp_path / "office.sqlite3")
    asked: list[Path] = []

    def give_key(p: Path) -> bool:
        asked.append(p)
        cipher.unlock(p, KEY)
        return True

    opened = open_at_start(
        sqlite_url(path), BackupPolicy(folder=tmp_path / "b", name="office"), ask_key=give_key
    )
    assert opened is not None and asked == [path]
    assert HouseholdService(opened).count() == 1
    opened.close()
    cipher.forget_keys()
    gave_up = open_at_start(
        sqlite_url(path), BackupPolicy(folder=tmp_path / "b"), ask_key=lambda p: False
    )
    assert gave_up is None


def test_a_new_database_is_encrypted_by_default(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite3"
    steps = iter(["mismatch", "right"])

    def act(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewKeyDialog) and dialog.encrypt.isChecked()
        step = next(steps)
        _type(qtbot, dialog, "new_key", KEY)
        _type(qtbot, dialog, "confirm_key", KEY if step == "right" else KEY + "x")
        qtbot.keyClick(dialog.findChild(QLineEdit, "confirm_key"), Qt.Key.Key_Return)
        return step == "right"

    seen = _answer(NewKeyDialog, act)
    assert ask_new_database(path)
    assert any("一致しません" in s for s in seen), seen
    assert cipher.is_encrypted(path)
    db = Database(sqlite_url(path))  # its key is known: nothing more is asked
    assert HouseholdService(db).count() == 0
    db.close()


def test_a_new_database_can_be_left_plain(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "plain.sqlite3"

    def act(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewKeyDialog)
        dialog.encrypt.setChecked(False)
        assert not dialog.findChild(QLineEdit, "new_key").isEnabled()
        dialog.submit()
        return True

    _answer(NewKeyDialog, act)
    assert ask_new_database(path)
    db = Database(sqlite_url(path))
    db.close()
    assert not cipher.is_encrypted(path)


def _admin_window(qtbot: QtBot, path: Path, prompter: FakePrompter) -> MainWindow:
    db = Database(sqlite_url(path))
    AccountService(db).create("admin", "noto-2024!", "admin")
    signed_in(db, "admin", "noto-2024!")
    HouseholdService(db).create(household())
    window = MainWindow(db, prompter=prompter, settings=Settings())
    qtbot.addWidget(window)
    return window


def test_an_administrator_encrypts_the_open_database(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite3"
    prompter = FakePrompter()
    window = _admin_window(qtbot, path, prompter)
    about = window.show_about()
    assert "暗号化されていません" in about.encryption.text()
    about.close()

    def act(dialog: QDialog) -> bool:
        assert isinstance(dialog, NewKeyDialog) and dialog.encrypt.isHidden()
        _type(qtbot, dialog, "new_key", KEY)
        _type(qtbot, dialog, "confirm_key", KEY)
        qtbot.keyClick(dialog.findChild(QLineEdit, "confirm_key"), Qt.Key.Key_Return)
        return True

    _answer(NewKeyDialog, act)
    assert window.encrypt_database(), prompter.errors
    assert cipher.is_encrypted(path)
    assert window.ctx.db.role == "admin"  # still signed in, in the encrypted file
    assert HouseholdService(window.ctx.db).count() == 1
    HouseholdService(window.ctx.db).create(household())  # and saving goes on
    about = window.show_about()
    assert "暗号化されています" in about.encryption.text()
    about.close()
    with window.ctx.db.read() as session:
        assert "encrypt" in list(session.scalars(text("SELECT action FROM audit_entry")))


def test_only_an_administrator_may_encrypt(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "office.sqlite3"
    db = Database(sqlite_url(path))
    accounts = AccountService(db)
    accounts.create("admin", "noto-2024!", "admin")
    signed_in(db, "admin", "noto-2024!")
    accounts.create("coord", "noto-2024!", "coordinator")
    signed_in(db, "coord", "noto-2024!")
    prompter = FakePrompter()
    window = MainWindow(db, prompter=prompter, settings=Settings())
    qtbot.addWidget(window)
    assert not window.encrypt_database()
    assert prompter.errors and "権限ではこの操作はできません" in prompter.errors[-1]
    assert not cipher.is_encrypted(path)


def test_file_new_makes_an_encrypted_database_and_file_open_asks_its_key(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    prompter = FakePrompter()  # a database without accounts: switching asks no sign-in
    window = MainWindow(Database(sqlite_url(tmp_path / "office.sqlite3")), prompter=prompter)
    qtbot.addWidget(window)
    new = tmp_path / "new.sqlite3"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(new), ""))

    def choose(dialog: QDialog) -> bool:
        _type(qtbot, dialog, "new_key", KEY)
        _type(qtbot, dialog, "confirm_key", KEY)
        qtbot.keyClick(dialog.findChild(QLineEdit, "confirm_key"), Qt.Key.Key_Return)
        return True

    _answer(NewKeyDialog, choose)
    window._ask_new()
    assert cipher.is_encrypted(new), prompter.errors
    assert window.ctx.db.description == str(new)
    cipher.forget_keys()

    def give(dialog: QDialog) -> bool:
        _type(qtbot, dialog, "db_key", KEY)
        qtbot.keyClick(dialog.findChild(QLineEdit, "db_key"), Qt.Key.Key_Return)
        return True

    _answer(KeyDialog, give)
    window.switch_database(str(new))
    assert window.ctx.db.description == str(new) and not prompter.errors
