"""Signing in as a user would: the first administrator, the login dialog, roles, the idle lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
)
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync.service import SyncService
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.signin import FirstAdminDialog, LockDialog, LoginDialog
from tests.factories import signed_in
from tests.ui.fakes import FakePrompter


def _ok(dialog: FirstAdminDialog | LoginDialog | LockDialog) -> None:
    dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()


def _message(dialog: FirstAdminDialog | LoginDialog | LockDialog) -> str:
    label = dialog.findChild(QLabel, "signin_message")
    assert label is not None
    return label.text() if label.isVisible() else ""


def test_the_first_start_creates_the_administrator(qtbot: QtBot, db: Database) -> None:
    dialog = FirstAdminDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "tanaka")
    qtbot.keyClicks(dialog.password, "noto-2024!")
    qtbot.keyClicks(dialog.confirm, "noto-2024?")
    _ok(dialog)
    assert "確認のパスワードが一致しません" in _message(dialog)
    assert not AccountService(db).has_accounts()
    dialog.confirm.clear()
    qtbot.keyClicks(dialog.confirm, "noto-2024!")
    assert _message(dialog) == ""  # typing clears the old message
    _ok(dialog)
    assert dialog.result() == FirstAdminDialog.DialogCode.Accepted
    assert dialog.principal is not None and dialog.principal.role == "admin"


def test_a_wrong_password_is_explained_then_the_right_one_signs_in(
    qtbot: QtBot, db: Database
) -> None:
    AccountService(db).create("tanaka", "noto-2024!", "admin")
    dialog = LoginDialog(db)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "tanaka")
    qtbot.keyClicks(dialog.password, "guess")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert "あと4回" in _message(dialog)
    assert dialog.password.text() == ""
    qtbot.keyClicks(dialog.password, "noto-2024!")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == LoginDialog.DialogCode.Accepted
    assert dialog.principal is not None and dialog.principal.username == "tanaka"


@pytest.fixture
def staffed(db: Database) -> Iterator[Database]:
    accounts = AccountService(db)
    accounts.create("admin", "noto-2024!", "admin")
    sign_in(db, accounts.authenticate("admin", "noto-2024!"))
    venue = VenueService(db).create(VenueInput(name="こども食堂わじま", capacity=30))
    accounts.create("staff", "noto-2024!", "venue_staff", venue=venue.name)
    accounts.create("mayor", "noto-2024!", "viewer")
    yield db


@pytest.mark.parametrize(
    ("user", "sections", "first"),
    [
        ("admin", None, "households"),
        ("staff", ["meals", "reports", "sync"], "meals"),
        ("mayor", ["reports"], "reports"),
    ],
)
def test_each_role_sees_only_its_sections(
    qtbot: QtBot, staffed: Database, user: str, sections: list[str] | None, first: str
) -> None:
    sign_in(staffed, AccountService(staffed).authenticate(user, "noto-2024!"))
    window = MainWindow(staffed, prompter=FakePrompter(), settings=Settings())
    qtbot.addWidget(window)
    shown = [
        name for row, name in enumerate(window.SECTIONS) if not window.nav.item(row).isHidden()
    ]
    assert shown == (sections or list(window.SECTIONS))
    assert window.SECTIONS[window.nav.currentRow()] == first
    assert user in window.user_label.text()


def test_the_window_locks_when_left_alone(qtbot: QtBot, staffed: Database) -> None:
    sign_in(staffed, AccountService(staffed).authenticate("admin", "noto-2024!"))
    window = MainWindow(staffed, prompter=FakePrompter(), settings=Settings())
    qtbot.addWidget(window)
    window.show()
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, LockDialog):
            QTimer.singleShot(20, answer)
            return
        field = dialog.findChild(QLineEdit, "password")
        assert field is not None
        if not seen:
            field.setText("wrong")
            _ok(dialog)
            seen.append(_message(dialog))
            QTimer.singleShot(20, answer)
            return
        field.setText("noto-2024!")
        _ok(dialog)
        seen.append("unlocked")

    QTimer.singleShot(20, answer)
    window.idle_lock.set_timeout(100)
    qtbot.waitUntil(lambda: "unlocked" in seen, timeout=5000)
    assert "パスワードが違います" in seen[0]
    assert window.isVisible()
    window.idle_lock.set_timeout(0)


def test_only_an_administrator_may_restore_a_backup(qtbot: QtBot, staffed: Database) -> None:
    sign_in(staffed, AccountService(staffed).authenticate("staff", "noto-2024!"))
    prompter = FakePrompter()
    window = MainWindow(staffed, prompter=prompter, settings=Settings())
    qtbot.addWidget(window)
    assert window.open_restore() is None
    assert prompter.errors and "会場スタッフの権限ではこの操作はできません" in prompter.errors[-1]


def test_a_new_venue_laptop_starts_from_its_package(
    qtbot: QtBot, make_db: Callable[[str], Database], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    office = make_db("office")
    accounts = AccountService(office)
    accounts.create("admin", "noto-2024!", "admin")
    signed_in(office, "admin", "noto-2024!")
    venue = VenueService(office).create(VenueInput(name="こども食堂わじま", capacity=30))
    accounts.create("kato", "kato-pass-1", "venue_staff", venue=venue.name)
    package = tmp_path / "venue.evsync"
    SyncService(office).export("会場PC", package, "team-passphrase", scope_venue=venue.name)

    laptop = make_db("laptop")
    prompter = FakePrompter(confirm_answer=False)
    dialog = FirstAdminDialog(laptop, prompter=prompter)
    qtbot.addWidget(dialog)
    dialog.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    answers = iter([("wrong passphrase", True)] + [("team-passphrase", True)] * 2)
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton)
    assert "合言葉が違います" in _message(dialog)
    # The office has never had a file from this laptop: the person confirms who sent it.
    qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton)
    [question] = prompter.confirms
    assert question.startswith("同期ファイルの確認\n")
    assert "端末「" in question and "「会場PC」宛て" in question
    assert _message(dialog) == "読み込みませんでした。何も変更していません"
    assert not AccountService(laptop).has_accounts()
    prompter.confirm_answer = True
    qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton)
    assert dialog.result() == FirstAdminDialog.FROM_PACKAGE
    assert AccountService(laptop).authenticate("kato", "kato-pass-1").venue_id == venue.id
