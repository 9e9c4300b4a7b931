"""Signing in as a user would: the first administrator, the login dialog, roles, the idle lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
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
from evacsupport.ui.views.signin import sign_in as signin_flow
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
    qtbot.keyClicks(dialog.username, "nobody")
    qtbot.keyClicks(dialog.password, "guess")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    unknown = _message(dialog)
    assert "利用者名かパスワードが違います" in unknown and "15分間ロック" in unknown
    dialog.username.clear()
    qtbot.keyClicks(dialog.username, "tanaka")
    qtbot.keyClicks(dialog.password, "guess")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert _message(dialog) == unknown  # a real name reads the same: no tries left shown
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
    dialog = FirstAdminDialog(laptop)
    qtbot.addWidget(dialog)
    dialog.show()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    answers = iter([("wrong passphrase", True), ("team-passphrase", True)])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: next(answers))
    qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton)
    assert "合言葉が違います" in _message(dialog)
    qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton)
    assert dialog.result() == FirstAdminDialog.FROM_PACKAGE
    assert AccountService(laptop).authenticate("kato", "kato-pass-1").venue_id == venue.id


# --- from the start of the app: nothing opens before someone is signed in -----------------------

Step = Callable[[QDialog], None]


def answer_dialogs(*steps: Step) -> list[QDialog]:
    """Answer the modal dialogs as they open (``exec()`` blocks the test), one step each, in
    order; returns the dialogs seen. A step that fails closes its dialog, so the test fails
    instead of hanging."""
    seen: list[QDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        fresh = isinstance(dialog, QDialog) and (not seen or dialog is not seen[-1])
        if fresh and dialog.isActiveWindow():  # shown and given the keyboard, as on a desktop
            seen.append(dialog)
            try:
                steps[len(seen) - 1](dialog)
            except BaseException:
                dialog.reject()
                raise
        if len(seen) < len(steps):
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
    return seen


def keyboard(qtbot: QtBot, *keys: str | Qt.Key) -> None:
    """Type into whatever holds the keyboard focus, as a person at the keyboard does."""
    for key in keys:
        focus = QApplication.focusWidget()
        assert focus is not None, "nothing takes the keyboard"
        if isinstance(key, str):
            qtbot.keyClicks(focus, key)
        else:
            qtbot.keyClick(focus, key)


def fill_first_admin(qtbot: QtBot, name: str = "tanaka") -> Step:
    def step(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstAdminDialog)
        assert QApplication.focusWidget() is dialog.username  # typing goes in at once
        Tab = Qt.Key.Key_Tab
        keyboard(
            qtbot, name, Tab, "Tanaka", Tab, "noto-2024!", Tab, "noto-2024!", Qt.Key.Key_Return
        )

    return step


def cancel(dialog: QDialog) -> None:
    assert isinstance(dialog, FirstAdminDialog | LoginDialog)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel).click()


def intro(dialog: QDialog) -> str:
    assert isinstance(dialog, FirstAdminDialog)
    return dialog.intro.text()


def test_the_first_start_takes_typing_straight_away(qtbot: QtBot, db: Database) -> None:
    seen = answer_dialogs(fill_first_admin(qtbot))
    assert signin_flow(db)
    assert "まだ利用者がいません" in intro(seen[0])
    assert (db.actor, db.role) == ("tanaka", "admin")
    assert [a.username for a in AccountService(db).accounts()] == ["tanaka"]


def test_the_login_dialog_takes_typing_straight_away(qtbot: QtBot, db: Database) -> None:
    AccountService(db).create("tanaka", "noto-2024!", "admin")

    def step(dialog: QDialog) -> None:
        assert isinstance(dialog, LoginDialog)
        assert QApplication.focusWidget() is dialog.username
        keyboard(qtbot, "tanaka", Qt.Key.Key_Tab, "noto-2024!", Qt.Key.Key_Return)

    answer_dialogs(step)
    assert signin_flow(db) and db.actor == "tanaka"
