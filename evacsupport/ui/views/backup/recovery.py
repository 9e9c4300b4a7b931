"""Start-up recovery: a damaged or too-new database file opens into choices, not a traceback.

:func:`open_at_start` first deletes what a killed backup or restore left behind
(``services.backup.remove_leftovers``), then checks the file before opening it (every page
after an unclean exit, see ``services.integrity.start_check``); a damaged file can be replaced
by the newest backup that passes its checks (the damaged file is kept aside), or another
database opened, or the app closed. A damaged file cannot be signed into, so restoring asks
for an administrator of the backup (:class:`AdministratorDialog`), checked against the backup
itself. A database made by a newer version is refused with its message and the same choices
except restoring.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QSize, QThreadPool
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy import URL

from evacsupport.config import data_dir, sqlite_url
from evacsupport.db import cipher
from evacsupport.db.engine import Database
from evacsupport.errors import EvacError, StorageError
from evacsupport.services import backup
from evacsupport.services.backup import BackupInfo, BackupPolicy
from evacsupport.services.integrity import mark_closed, mark_open, start_check
from evacsupport.ui.widgets.screen_fit import fit_to_screen


class Choice(Enum):
    RESTORE = "restore"
    OPEN_OTHER = "open_other"
    QUIT = "quit"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Recovery", text)


def describe_size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{max(size, 1) / 1024:.0f} KB"


class RecoveryDialog(QDialog):
    """Attributes for tests: ``restore_button``, ``open_button``, ``quit_button``, ``backups``,
    ``choice`` (set when a button is clicked)."""

    def __init__(
        self,
        problem: str,
        backups: list[BackupInfo],
        *,
        can_restore: bool,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.choice = Choice.QUIT
        self.setWindowTitle(self.tr("データベースを開けません"))
        layout = QVBoxLayout(self)
        text = QLabel(problem, self)
        text.setWordWrap(True)
        layout.addWidget(text)
        self.backups = QListWidget(self)
        for info in backups:
            sealed = self.tr("（暗号化）") if info.encrypted else ""
            self.backups.addItem(
                f"{info.made_at:%Y-%m-%d %H:%M}  {describe_size(info.size)}{sealed}  {info.path}"
            )
        if can_restore:
            explain = QLabel(
                self.tr(
                    "バックアップから復元すると、そのバックアップ以降の変更は失われます。"
                    "壊れたファイルは消さずに別名で残します。新しい順のバックアップ："
                )
                if backups
                else self.tr("バックアップが見つかりません。"),
                self,
            )
            explain.setWordWrap(True)
            layout.addWidget(explain)
            layout.addWidget(self.backups)
        else:
            self.backups.hide()
        self.restore_button = QPushButton(self.tr("最新の正常なバックアップから復元"), self)
        self.restore_button.setVisible(can_restore)
        self.restore_button.setEnabled(can_restore and bool(backups))
        self.open_button = QPushButton(self.tr("別のデータベースを開く"), self)
        self.quit_button = QPushButton(self.tr("終了"), self)
        for button, choice in (
            (self.restore_button, Choice.RESTORE),
            (self.open_button, Choice.OPEN_OTHER),
            (self.quit_button, Choice.QUIT),
        ):
            button.clicked.connect(lambda _c=False, ch=choice: self._choose(ch))
            layout.addWidget(button)
        fit_to_screen(self, QSize(640, 360))

    def _choose(self, choice: Choice) -> None:
        self.choice = choice
        self.accept()


def _damaged_text(path: Path) -> str:
    return _tr(
        "データベースファイルが壊れています：%1\n"
        "ディスクの故障や、書き込み中の電源断・USBメモリの取り外しで起こることがあります。"
    ).replace("%1", str(path))


class AdministratorDialog(QDialog):
    """The user name and password of an administrator in the backup about to be restored.

    Attributes for tests: ``username``, ``password``, ``buttons``."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("バックアップから復元"))
        layout = QVBoxLayout(self)
        explain = QLabel(
            self.tr(
                "壊れたファイルにはサインインできないため、復元するバックアップに登録されている"
                "管理者のアカウントで確かめます。バックアップの後にパスワードを変えた場合は、"
                "変える前のパスワードを入力してください。"
            ),
            self,
        )
        explain.setWordWrap(True)
        layout.addWidget(explain)
        form = QFormLayout()
        self.username = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        form.addRow(self.tr("利用者名(&U)："), self.username)
        form.addRow(self.tr("パスワード(&P)："), self.password)
        layout.addLayout(form)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        for field in (self.username, self.password):
            field.textChanged.connect(self._enable)
        self._enable()
        fit_to_screen(self)

    def _enable(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(self.credentials() is not None)

    def credentials(self) -> tuple[str, str] | None:
        if not self.username.text().strip() or not self.password.text():
            return None
        return self.username.text().strip(), self.password.text()


def ask_administrator(parent: QWidget | None = None) -> tuple[str, str] | None:
    dialog = AdministratorDialog(parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return dialog.credentials()


def _recover(
    path: Path,
    rules: BackupPolicy,
    passphrase: Callable[[], str | None] | None,
    credentials: Callable[[], tuple[str, str] | None],
) -> str:
    """Restore the newest sound backup over ``path``; the failure to show, or "" when done or
    when the user gave up at a question (back to the choices)."""
    try:
        secret = None
        if passphrase is not None and any(b.encrypted for b in backup.list_backups(rules)):
            secret = passphrase()
        try:
            backup.recover_latest_good(path, rules, secret)
        except EvacError as exc:
            if exc.code != "backup.credentials_needed":
                raise
            given = credentials()  # asked only when the backup has accounts to check against
            if given is None:
                return ""
            backup.recover_latest_good(path, rules, secret, given)
    except EvacError as exc:
        return exc.message()
    return ""


def open_at_start(
    url: URL,
    policy: BackupPolicy | Callable[[Path], BackupPolicy],
    *,
    choose: Callable[[str, bool], Choice] | None = None,
    passphrase: Callable[[], str | None] | None = None,
    credentials: Callable[[], tuple[str, str] | None] | None = None,
    open_other: Callable[[], str | None] | None = None,
    ask_key: Callable[[Path], bool] | None = None,
    new_database: Callable[[Path], bool] | None = None,
    parent: QWidget | None = None,
) -> Database | None:
    """The database to start with, after any recovery; None when the user chooses to quit.

    ``choose(problem, can_restore)`` asks what to do (the dialog by default); ``passphrase``
    is asked only when backups are encrypted; ``credentials`` (an administrator of the backup,
    :func:`ask_administrator` by default) only when the backup has accounts; ``open_other``
    picks another file. ``ask_key(path)`` makes the key of an encrypted file known (False:
    the user gave up), before the file is checked; ``new_database(path)`` is asked before a
    file that does not exist yet is made (encrypted, or plain); without them a key must
    already be known and a new file is plain.
    """

    def policy_for(path: Path) -> BackupPolicy:
        return policy(path) if callable(policy) else policy

    def ask(problem: str, can_restore: bool, path: Path | None) -> Choice:
        if choose is not None:
            return choose(problem, can_restore)
        found = backup.list_backups(policy_for(path)) if path is not None and can_restore else []
        dialog = RecoveryDialog(problem, found, can_restore=can_restore, parent=parent)
        dialog.exec()
        return dialog.choice

    failure = ""
    while True:
        path = Path(url.database) if url.get_backend_name() == "sqlite" and url.database else None
        if path is not None and str(path) == ":memory:":
            path = None
        if path is not None:  # a crash's temporary copies go before anything else is read
            backup.remove_leftovers(path, policy_for(path))
            if new_database is not None and not new_database(path):
                return None
            if ask_key is not None and cipher.is_encrypted(path) and not ask_key(path):
                return None
        can_restore = False
        if path is not None and not start_check(path):
            problem, can_restore = _damaged_text(path), True
        else:
            try:
                opened = Database(url)
                if path is not None:
                    mark_open(path)  # removed by close_at_exit; found at start = unclean exit
                return opened
            except StorageError as exc:
                can_restore = exc.code == "db.damaged" and path is not None
                problem = _damaged_text(path) if can_restore and path else exc.message()
        if failure:
            problem = f"{problem}\n\n{failure}"
        choice = ask(problem, can_restore, path)
        if choice is Choice.RESTORE and can_restore and path is not None:
            admin = credentials or (lambda: ask_administrator(parent))
            failure = _recover(path, policy_for(path), passphrase, admin)
        elif choice is Choice.OPEN_OTHER:
            chosen = open_other() if open_other is not None else _pick_file(parent)
            if chosen:
                url, failure = sqlite_url(chosen), ""
        else:
            return None


def close_at_exit(db: Database) -> None:
    """Close the database and note the clean exit (the next start skips the full check);
    a read still running on a pool thread ends first (its connection is not closed under it)."""
    QThreadPool.globalInstance().waitForDone(30_000)
    db.close()
    if db.is_sqlite and db.url.database and db.url.database != ":memory:":
        mark_closed(db.url.database)


def _pick_file(parent: QWidget | None) -> str | None:
    path, _ = QFileDialog.getOpenFileName(
        parent,
        _tr("データベースを開く"),
        str(data_dir()),
        _tr("データベース (*.sqlite3 *.sqlite *.db);;すべてのファイル (*)"),
    )
    return path or None


def backup_passphrase(parent: QWidget | None = None) -> str | None:
    """The team passphrase for encrypted backups, asked at start-up recovery."""
    from evacsupport.ui.prompts import QtPrompter

    return QtPrompter().ask_password(
        parent, _tr("バックアップから復元"), _tr("バックアップの合言葉（パスフレーズ）：")
    )
