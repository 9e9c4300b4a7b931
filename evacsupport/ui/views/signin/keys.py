"""The database key in the window: asked before an encrypted file is opened, chosen when a new
database is made (encrypted by default), and typed twice to encrypt or re-key an open one.

The key is never stored: each start asks for it. It is checked against the file before the
dialog closes, so a wrong one is said in the dialog and never reaches "cannot open".
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QCheckBox, QLabel, QWidget

from evacsupport.db import cipher
from evacsupport.errors import EvacError
from evacsupport.services.encryption import check_new_passphrase, create_encrypted
from evacsupport.ui.prompts import Prompter
from evacsupport.ui.views.signin.dialogs import FormDialog, busy


class KeyDialog(FormDialog):
    """The key of an encrypted database; accepted only once it opens the file."""

    def __init__(
        self,
        path: Path,
        parent: QWidget | None = None,
        *,
        prompter: Prompter | None = None,
        quits_app: bool = False,
    ) -> None:
        super().__init__(
            self.tr("データベースの鍵"),
            self.tr(
                "このデータベースは暗号化されています。鍵（パスフレーズ）を入力してください。\n%1"
            ).replace("%1", str(path)),
            parent,
            prompter=prompter,
            quits_app=quits_app,
        )
        self.path = path
        self.passphrase = self.field(self.tr("鍵"), secret=True, name="db_key")

    def submit(self) -> None:
        try:
            with busy():  # the key derivation takes a moment on purpose
                cipher.unlock(self.path, self.passphrase.text())
        except EvacError as exc:
            self.passphrase.selectAll()
            self.show_error(exc)
            return
        self.accept()


class NewKeyDialog(FormDialog):
    """A key chosen twice. ``optional``: a new database, where encrypting is the default and
    can be turned off (``passphrase`` is then empty); otherwise encrypting an open one."""

    def __init__(
        self,
        path: Path,
        parent: QWidget | None = None,
        *,
        optional: bool = True,
        prompter: Prompter | None = None,
        quits_app: bool = False,
    ) -> None:
        super().__init__(
            self.tr("新しいデータベース") if optional else self.tr("データベースの暗号化"),
            self.tr(
                "データベースを暗号化すると、ノートパソコンをなくしてもファイルから個人情報を"
                "読まれません。鍵（パスフレーズ、8文字以上）は保存されず、起動のたびに"
                "入力します。鍵を忘れるとデータは戻せません。紙に書いて安全な場所に"
                "保管してください。\n%1"
            ).replace("%1", str(path)),
            parent,
            prompter=prompter,
            quits_app=quits_app,
        )
        self.path = path
        self.passphrase = self.field(self.tr("新しい鍵"), secret=True, name="new_key")
        self.confirm = self.field(self.tr("もう一度"), secret=True, name="confirm_key")
        self.encrypt = QCheckBox(self.tr("暗号化する（おすすめ）"), self)
        self.encrypt.setChecked(True)
        self.encrypt.toggled.connect(self._toggled)
        if optional:
            self.form.addRow(QLabel(self), self.encrypt)
        else:
            self.encrypt.hide()
        self.chosen = ""

    def _toggled(self, on: bool) -> None:
        for edit in (self.passphrase, self.confirm):
            edit.setEnabled(on)
        self.message.hide()

    def submit(self) -> None:
        if not self.encrypt.isChecked():
            self.chosen = ""
            self.accept()
            return
        try:
            check_new_passphrase(self.passphrase.text(), self.confirm.text())
        except EvacError as exc:
            self.show_error(exc)
            return
        self.chosen = self.passphrase.text()
        self.accept()


def ask_key(path: Path, parent: QWidget | None = None, *, quits_app: bool = False) -> bool:
    """True once the key of the encrypted file at ``path`` is known (asked when it is not)."""
    if cipher.has_key(path):
        return True
    return KeyDialog(path, parent, quits_app=quits_app).exec() == KeyDialog.DialogCode.Accepted


def ask_new_database(path: Path, parent: QWidget | None = None, *, quits_app: bool = False) -> bool:
    """For a database file about to be made: encrypt it (the default) with a key chosen now,
    or leave it plain. False when the user gave up."""
    if path.exists() and path.stat().st_size:
        return True
    dialog = NewKeyDialog(path, parent, quits_app=quits_app)
    if dialog.exec() != NewKeyDialog.DialogCode.Accepted:
        return False
    if dialog.chosen:
        with busy():
            create_encrypted(path, dialog.chosen, dialog.chosen)
    return True
