"""The dialogs between the user and the data: who is this, and is it still them.

Every refusal (wrong password, lock-out, a weak new password) is shown inside the dialog in the
service's words, so the person at the keyboard knows what to do next. Each dialog opens with
the cursor in its first field, so a person can type straight away.

Nothing of a database is shown before someone is signed in: one without accounts gets its first
administrator first, and only an empty one (or a new venue laptop reading its package) is a
"first start". A database that holds records without an account to protect them (an earlier
version's file, a venue package that carried no staff account) asks for the same administrator,
saying why.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evacsupport.db.engine import Database
from evacsupport.errors import EvacError, ValidationError
from evacsupport.services.accounts import AccountService, Principal
from evacsupport.services.accounts import sign_in as sign_in_as
from evacsupport.sync.service import SyncService, UnknownRecipient
from evacsupport.ui.prompts import Prompter, QtPrompter
from evacsupport.ui.widgets.screen_fit import fit_to_screen, wrappable


@contextmanager
def busy() -> Iterator[None]:
    """The wait cursor while a password or key is checked (a deliberately slow derivation)."""
    QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
    try:
        yield
    finally:
        QApplication.restoreOverrideCursor()


class FormDialog(QDialog):
    """A form with an error line above OK/Cancel; the first field made holds the cursor when
    the dialog opens (the buttons come first in the focus chain, and Qt would pick OK).

    Enter anywhere in the form is OK. When giving up here quits the app (``quits_app``), Cancel,
    Esc and the close button ask 「終了しますか？」 first, いいえ the default: a person who typed
    before the form had the keyboard, or pressed Enter on キャンセル, is not thrown out silently.
    """

    def __init__(
        self,
        title: str,
        intro: str,
        parent: QWidget | None,
        *,
        prompter: Prompter | None = None,
        quits_app: bool = False,
    ) -> None:
        super().__init__(parent)
        self.prompter: Prompter = prompter or QtPrompter()
        self.quits_app = quits_app
        self._first: QLineEdit | None = None
        self.setWindowTitle(title)
        self.setModal(True)
        layout = QVBoxLayout(self)
        self.intro = QLabel(intro, self)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.form = QFormLayout()
        layout.addLayout(self.form)
        self.message = QLabel(self)
        self.message.setObjectName("signin_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet("color: #b00020;")
        self.message.hide()
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self._fitted = False

    def _take_keyboard(self) -> None:
        """The first field gets the keyboard unless a field already has it: whatever the window
        manager does on showing and activating the window, typing goes into the form."""
        if self._first is not None and not isinstance(self.focusWidget(), QLineEdit):
            self._first.setFocus(Qt.FocusReason.ActiveWindowFocusReason)

    def showEvent(self, event: QShowEvent) -> None:
        if not self._fitted:  # sized once the subclass has added its fields
            self._fitted = True
            fit_to_screen(self)
        super().showEvent(event)
        self._take_keyboard()

    def event(self, event: QEvent) -> bool:
        handled = super().event(event)
        if event.type() == QEvent.Type.WindowActivate:
            self._take_keyboard()
        return handled

    def reject(self) -> None:
        """Cancel, Esc or the close button; asks first when it would quit the app."""
        if self.quits_app and not self.prompter.confirm(
            self, self.tr("終了の確認"), self.tr("終了しますか？")
        ):
            self.activateWindow()  # back from the question, the form has the keyboard again
            self._take_keyboard()
            return
        super().reject()

    def field(self, label: str, *, secret: bool = False, name: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        if secret:
            edit.setEchoMode(QLineEdit.EchoMode.Password)
        edit.textEdited.connect(lambda _text: self.message.hide())
        self.form.addRow(label, edit)
        if self._first is None:
            self._first = edit
            edit.setFocus()  # taken when the dialog is first shown
        return edit

    def show_error(self, exc: EvacError) -> None:
        if isinstance(exc, ValidationError):
            text = "\n".join(e.message() for e in exc.errors)
        else:
            text = exc.message()
        self.message.setText(text)
        self.message.show()
        self.adjustSize()  # grow to the message's lines rather than squeeze the fields

    def submit(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError


class LoginDialog(FormDialog):
    """Who is at the keyboard; accepted only with a right password."""

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        prompter: Prompter | None = None,
        quits_app: bool = False,
    ) -> None:
        super().__init__(
            self.tr("ログイン"),
            self.tr("利用者名とパスワードを入力してください。"),
            parent,
            prompter=prompter,
            quits_app=quits_app,
        )
        self.db = db
        self.principal: Principal | None = None
        self.username = self.field(self.tr("利用者名"), name="username")
        self.password = self.field(self.tr("パスワード"), secret=True, name="password")
        where = QLabel(self.tr("データベース：%1").replace("%1", wrappable(db.description)), self)
        where.setWordWrap(True)  # a long folder breaks after a separator, never off the edge
        self.form.addRow("", where)

    def submit(self) -> None:
        """OK or Enter. Enter after the name with no password yet moves on to the password:
        an empty password is never right, and trying it would count as a failed attempt."""
        if self.username.text().strip() and not self.password.text():
            self.password.setFocus()
            return
        try:
            with busy():
                self.principal = AccountService(self.db).authenticate(
                    self.username.text(), self.password.text()
                )
        except EvacError as exc:
            self.password.clear()
            self.password.setFocus()
            self.show_error(exc)
            return
        self.accept()


class FirstAdminDialog(FormDialog):
    """The first administrator: whoever installs the app on a new database, or whoever opens a
    database that holds records but no account (``after_package``: a venue package brought
    records but none of the venue's staff accounts)."""

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        after_package: bool = False,
        prompter: Prompter | None = None,
        quits_app: bool = False,
    ) -> None:
        if after_package:
            intro = self.tr(
                "会場用の同期ファイルを読み込みましたが、この会場のスタッフのアカウントは"
                "含まれていませんでした。記録を開く前に、このノートPCの管理者のアカウントを"
                "作ってください。管理者はほかの利用者（コーディネーター・会場スタッフ・閲覧者）を"
                "追加できます。"
            )
        elif AccountService(db).holds_personal_data():
            intro = self.tr(
                "このデータベースには世帯の記録がありますが、利用者のアカウントがありません。"
                "記録を開く前に、管理者のアカウントを作ってください。"
                "管理者はほかの利用者（コーディネーター・会場スタッフ・閲覧者）を追加できます。"
            )
        else:
            intro = self.tr(
                "このデータベースにはまだ利用者がいません。管理者のアカウントを作ってください。"
                "管理者はほかの利用者（コーディネーター・会場スタッフ・閲覧者）を追加できます。"
            )
        super().__init__(
            self.tr("最初の管理者の登録"), intro, parent, prompter=prompter, quits_app=quits_app
        )
        self.db = db
        self.principal: Principal | None = None
        self.from_package = QPushButton(self.tr("会場用の同期ファイルから始める…"), self)
        self.from_package.setToolTip(
            self.tr("会場のノートPCは、事務所で作った会場用の同期ファイルを読み込んで始めます。")
        )
        self.buttons.addButton(self.from_package, QDialogButtonBox.ButtonRole.ActionRole)
        self.from_package.clicked.connect(self.start_from_package)
        self.username = self.field(self.tr("利用者名（英数字）"), name="username")
        self.display_name = self.field(self.tr("表示名"), name="display_name")
        self.password = self.field(self.tr("パスワード（8文字以上）"), secret=True, name="password")
        self.confirm = self.field(self.tr("パスワード（確認）"), secret=True, name="confirm")

    def submit(self) -> None:
        service = AccountService(self.db)
        try:
            with busy():
                service.create(
                    self.username.text(), self.password.text(), "admin",
                    display_name=self.display_name.text(), confirm=self.confirm.text(),
                )  # fmt: skip
                self.principal = service.authenticate(self.username.text(), self.password.text())
        except EvacError as exc:
            self.show_error(exc)
            return
        self.accept()

    FROM_PACKAGE = 2  # exec() result: the laptop was started from a venue package

    def start_from_package(self) -> None:
        """A new venue laptop: read the office's venue package instead of making an admin."""
        path, _filter = QFileDialog.getOpenFileName(
            self, self.tr("会場用の同期ファイルを選ぶ"), str(Path.home()),
            self.tr("同期ファイル (*.evsync)"),
        )  # fmt: skip
        if not path:
            return
        passphrase, ok = QInputDialog.getText(
            self, self.tr("合言葉"), self.tr("チームの合言葉（パスフレーズ）："),
            QLineEdit.EchoMode.Password,
        )  # fmt: skip
        if not ok:
            return
        try:
            try:
                self._read(Path(path), passphrase, accept_unknown=False)
            except UnknownRecipient as exc:
                # Always so for a new laptop: the office has never had a package from it. The
                # person confirms the sender and the laptop the file was made for.
                if not self.prompter.confirm(self, self.tr("同期ファイルの確認"), self._ask(exc)):
                    self.message.setText(self.tr("読み込みませんでした。何も変更していません"))
                    self.message.show()
                    return
                self._read(Path(path), passphrase, accept_unknown=True)
        except EvacError as exc:
            self.show_error(exc)
            return
        self.done(self.FROM_PACKAGE)

    def _read(self, path: Path, passphrase: str, *, accept_unknown: bool) -> None:
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            SyncService(self.db).import_(path, passphrase, accept_unknown=accept_unknown)
        finally:
            QApplication.restoreOverrideCursor()

    def _ask(self, exc: UnknownRecipient) -> str:
        return (
            exc.message()
            + "\n\n"
            + self.tr(
                "事務所で、この端末のために作ってもらったファイルであることを確かめてから"
                "読み込んでください。読み込みますか？"
            )
        )


class LockDialog(FormDialog):
    """The window was left alone: the same person's password opens it again."""

    def __init__(
        self, db: Database, parent: QWidget | None = None, *, prompter: Prompter | None = None
    ) -> None:
        super().__init__(
            self.tr("画面をロックしました"),
            self.tr(
                "しばらく操作がなかったため、画面をロックしました。%1 さんのパスワードを"
                "入力してください。"
            ).replace("%1", db.actor),
            parent,
            prompter=prompter,
            quits_app=True,  # 終了 closes the window and the app
        )
        self.db = db
        self.password = self.field(self.tr("パスワード"), secret=True, name="password")
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("終了"))
        self.setWindowFlag(Qt.WindowType.WindowCloseButtonHint, False)

    def submit(self) -> None:
        try:
            with busy():
                AccountService(self.db).authenticate(self.db.actor, self.password.text())
        except EvacError as exc:
            self.password.clear()
            self.show_error(exc)
            return
        self.accept()


def sign_in(
    db: Database,
    parent: QWidget | None = None,
    *,
    prompter: Prompter | None = None,
    quits_app: bool = False,
) -> bool:
    """Ask who is there (or make the first administrator); False if they gave up, and then
    nothing of the database may be shown. ``quits_app``: giving up closes the app (at start,
    after a restore), so the dialog asks before it gives up.

    A venue package read from the first-start dialog ends it with ``FROM_PACKAGE``: when the
    package brought the venue's staff accounts they sign in; when it brought none, the records
    it did bring wait behind a local administrator, asked for at once.
    """
    service = AccountService(db)
    after_package = False
    while True:
        dialog: LoginDialog | FirstAdminDialog = (
            LoginDialog(db, parent, prompter=prompter, quits_app=quits_app)
            if service.has_accounts()
            else FirstAdminDialog(
                db, parent, after_package=after_package, prompter=prompter, quits_app=quits_app
            )
        )
        result = dialog.exec()
        if result == FirstAdminDialog.FROM_PACKAGE:
            after_package = True
            continue
        if result != QDialog.DialogCode.Accepted or dialog.principal is None:
            return False
        sign_in_as(db, dialog.principal)
        return True
