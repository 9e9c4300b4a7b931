"""Signing in as a user would: the first administrator, the login dialog, roles, the idle lock."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
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
    QMessageBox,
)
from pytestqt.qtbot import QtBot

from evacsupport.app import open_window
from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import Assignment
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.services.consents import record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync.service import SyncService
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.prompts import QtPrompter
from evacsupport.ui.views.signin import FirstAdminDialog, LockDialog, LoginDialog
from evacsupport.ui.views.signin import sign_in as signin_flow
from tests.factories import consent, household, signed_in
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


# --- from the start of the app: nothing opens before someone is signed in -----------------------

Step = Callable[[QDialog], None]


def answer_dialogs(*steps: Step) -> list[QDialog]:
    """Answer the modal dialogs as they open (``exec()`` blocks the test), one step each, in
    order; returns the dialogs seen. A step that fails closes its dialog, so the test fails
    instead of hanging."""
    seen: list[QDialog] = []

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        fresh = isinstance(dialog, QDialog) and all(d is not dialog for d in seen)
        if fresh and dialog.isActiveWindow():  # shown and given the keyboard, as on a desktop
            seen.append(dialog)
            if len(seen) < len(steps):  # a step may open the next dialog and wait in it
                QTimer.singleShot(20, poll)
            try:
                steps[len(seen) - 1](dialog)
            except BaseException:
                dialog.done(QDialog.DialogCode.Rejected)  # reject() might ask first
                raise
        elif len(seen) < len(steps):
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


def quit_yes(dialog: QDialog) -> None:
    """The question 「終了しますか？」 that giving up asks: はい."""
    assert isinstance(dialog, QMessageBox)
    assert dialog.text() == "終了しますか？"
    assert dialog.defaultButton() is dialog.button(QMessageBox.StandardButton.No)
    dialog.button(QMessageBox.StandardButton.Yes).click()


def intro(dialog: QDialog) -> str:
    assert isinstance(dialog, FirstAdminDialog)
    return dialog.intro.text()


def _holding_records(db: Database) -> Database:
    HouseholdService(db).create(household())  # no account yet: an earlier version's file, say
    return db


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


def test_at_start_typing_straight_away_signs_in_and_esc_asks_before_quitting(
    qtbot: QtBot, db: Database
) -> None:
    """The app's start, from the keyboard alone: no click first. Esc asks 「終了しますか？」 and
    Enter there (いいえ) keeps the form, with the cursor back in 利用者名; then the name, Enter
    (on to the password, no attempt wasted), the password and Enter sign in."""
    AccountService(db).create("tanaka", "noto-2024!", "admin")
    questions: list[str] = []

    def login(dialog: QDialog) -> None:
        assert isinstance(dialog, LoginDialog)
        assert QApplication.focusWidget() is dialog.username
        default = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert default.isDefault()
        keyboard(qtbot, Qt.Key.Key_Escape)  # the question opens and is answered meanwhile
        assert questions == ["終了しますか？"] and dialog.isVisible()
        qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.username)
        keyboard(qtbot, "tanaka", Qt.Key.Key_Return)
        assert QApplication.focusWidget() is dialog.password and _message(dialog) == ""
        keyboard(qtbot, "noto-2024!", Qt.Key.Key_Return)

    def enter_on_the_question(dialog: QDialog) -> None:
        assert isinstance(dialog, QMessageBox)
        questions.append(dialog.text())
        assert dialog.defaultButton() is dialog.button(QMessageBox.StandardButton.No)
        qtbot.keyClick(dialog, Qt.Key.Key_Return)

    answer_dialogs(login, enter_on_the_question)
    window = open_window(db, Settings())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert db.actor == "tanaka"


def test_enter_on_cancel_asks_before_quitting(qtbot: QtBot, db: Database) -> None:
    """Tab on to キャンセル and Enter: the question, not a silent quit."""
    AccountService(db).create("tanaka", "noto-2024!", "admin")
    prompter = FakePrompter(confirm_answer=False)
    dialog = LoginDialog(db, prompter=prompter, quits_app=True)
    qtbot.addWidget(dialog)
    dialog.show()
    cancel_button = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel_button.setFocus()
    qtbot.keyClick(cancel_button, Qt.Key.Key_Return)
    assert prompter.confirms == ["終了の確認\n終了しますか？"]
    assert dialog.isVisible()
    prompter.confirm_answer = True
    qtbot.keyClick(dialog.username, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and dialog.result() == QDialog.DialogCode.Rejected


def test_records_without_an_account_get_an_administrator_before_the_window_opens(
    qtbot: QtBot, db: Database
) -> None:
    _holding_records(db)
    seen = answer_dialogs(cancel, quit_yes)
    assert open_window(db, Settings()) is None  # given up: nothing opened
    assert "世帯の記録がありますが、利用者のアカウントがありません" in intro(seen[0])
    assert not any(isinstance(w, MainWindow) for w in QApplication.topLevelWidgets())
    assert not AccountService(db).has_accounts() and db.role is None

    answer_dialogs(fill_first_admin(qtbot))
    window = open_window(db, Settings())
    assert isinstance(window, MainWindow)
    qtbot.addWidget(window)
    assert "tanaka" in window.user_label.text()
    assert [a.username for a in AccountService(db).accounts()] == ["tanaka"]


def test_giving_up_at_the_first_administrator_quits_the_app(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``run_gui`` as the app starts it, on a file with records and no account: cancel quits
    with nothing opened, and the file is left as it was, closed cleanly."""
    from evacsupport import app as app_module
    from evacsupport.config import sqlite_url
    from evacsupport.services.integrity import in_use_marker

    path = tmp_path / "records.sqlite3"
    records = _holding_records(Database(sqlite_url(path)))
    records.close()
    monkeypatch.setattr(app_module, "install_translators", lambda app, language: [])
    qapp = QApplication.instance()
    assert isinstance(qapp, QApplication)
    name, version = qapp.applicationName(), qapp.applicationVersion()
    seen = answer_dialogs(cancel, quit_yes)
    try:
        assert app_module.run_gui(sqlite_url(path), Settings()) == 0
    finally:
        qapp.setApplicationName(name)
        qapp.setApplicationVersion(version)
    assert [type(d) for d in seen] == [FirstAdminDialog, QMessageBox]
    assert not any(isinstance(w, MainWindow) for w in QApplication.topLevelWidgets())
    assert not in_use_marker(path).exists()
    after = Database(sqlite_url(path))
    try:
        assert not AccountService(after).has_accounts()
        assert AccountService(after).holds_personal_data()
    finally:
        after.close()


def test_a_venue_package_without_staff_accounts_asks_for_a_local_administrator(
    qtbot: QtBot, make_db: Callable[[str], Database], tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    office = make_db("office")
    AccountService(office).create("admin", "noto-2024!", "admin")
    signed_in(office, "admin", "noto-2024!")
    venue = VenueService(office).create(VenueInput(name="こども食堂わじま", capacity=30))
    home = HouseholdService(office).create(household())
    record_consent(office, home.id, consent())  # lets the assigned venue have the names
    with office.session() as session:
        session.add(Assignment(household_id=home.id, venue_id=venue.id, start_on=date(2024, 3, 1)))
    package = tmp_path / "venue.evsync"  # no venue staff account exists, so none travels
    SyncService(office).export("会場PC", package, "team-passphrase", scope_venue=venue.name)

    laptop = make_db("laptop")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(package), ""))
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: ("team-passphrase", True))
    asked: list[str] = []  # a first package comes from a laptop this one never met: it asks
    monkeypatch.setattr(
        QtPrompter, "confirm", lambda self, parent, title, text: asked.append(text) or True
    )

    def from_package(dialog: QDialog) -> None:
        assert isinstance(dialog, FirstAdminDialog)
        qtbot.mouseClick(dialog.from_package, Qt.MouseButton.LeftButton)

    seen = answer_dialogs(from_package, fill_first_admin(qtbot, "local"))
    assert signin_flow(laptop)
    assert [type(d) for d in seen] == [FirstAdminDialog, FirstAdminDialog]
    assert len(asked) == 1 and "会場PC" in asked[0]
    assert "スタッフのアカウントは含まれていませんでした" in intro(seen[1])
    assert (laptop.actor, laptop.role) == ("local", "admin")
    assert AccountService(laptop).holds_personal_data()  # the venue's household arrived
    assert [a.username for a in AccountService(laptop).accounts()] == ["local"]
