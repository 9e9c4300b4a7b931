"""Automatic backups while the window is open: once a day (checked hourly, in the background)
and on exit; restoring from the File menu. Failures go to the status bar, never a crash.

Automatic backups are made whoever is signed in (``services.backup.automatic_backup``): a
venue laptop's staff may not make a backup themselves, but their counter's meals are kept safe
all the same. Restoring needs an administrator, checked here and again by the service.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QObject, QThreadPool, QTimer
from PySide6.QtWidgets import QStatusBar, QWidget

from evacsupport.config import Settings
from evacsupport.db.engine import Database
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError
from evacsupport.services import backup
from evacsupport.services.accounts import AccountService
from evacsupport.services.authz import require
from evacsupport.services.backup import BackupInfo, BackupPolicy
from evacsupport.ui.errors import error_text
from evacsupport.ui.prompts import Prompter
from evacsupport.ui.tasks import Task, run_in_background
from evacsupport.ui.views.signin import sign_in

log = logging.getLogger(__name__)
CHECK_MS = 60 * 60 * 1000


class Window(Protocol):
    """What the restore needs from the main window."""

    def current_database(self) -> Database: ...

    def close_editors(self) -> bool: ...

    def reopen(self, db: Database) -> None: ...

    def close(self) -> bool: ...


class AutoBackup(QObject):
    """Attributes for tests: ``timer``, ``task`` (the running daily backup), ``last_made``."""

    def __init__(
        self,
        window: QWidget,
        status: QStatusBar,
        prompter: Prompter,
        settings: Settings,
        database: Callable[[], Database],
    ) -> None:
        super().__init__(window)
        self._window, self._status, self._prompter = window, status, prompter
        self._settings, self._database = settings, database
        self._passphrase: str | None = None
        self._declined = False
        self._last_failure = ""
        self.task: Task | None = None
        self.last_made: Path | None = None
        self.timer = QTimer(self)
        self.timer.setInterval(CHECK_MS)
        self.timer.timeout.connect(self.check_due)
        self.timer.start()

    # --- policy and passphrase -------------------------------------------------------------------
    def policy(self) -> BackupPolicy | None:
        """None for a database that is not a file here (PostgreSQL: the server's backups)."""
        db = self._database()
        try:
            return backup.policy_from_settings(self._settings, backup.sqlite_path(db))
        except EvacError:
            return None

    def _secret(self) -> str | bool | None:
        """The passphrase (asked once per run) when encrypting is on; False when declined."""
        if not self._settings.backup_encrypt:
            return None
        if self._passphrase is None and not self._declined:
            answer = self._prompter.ask_password(
                self._window,
                self.tr("バックアップの暗号化"),
                self.tr("バックアップを暗号化する合言葉（パスフレーズ）："),
            )
            if answer:
                self._passphrase = answer
            else:
                self._declined = True
        return False if self._declined else self._passphrase

    # --- making ----------------------------------------------------------------------------------
    def _fail(self, text: str) -> None:
        log.warning("automatic backup: %s", text)
        if text != self._last_failure:  # shown once, not every hour
            self._last_failure = text
            failed = self.tr("自動バックアップに失敗しました：%1")
            self._status.showMessage(failed.replace("%1", text))

    def check_due(self, now: datetime | None = None) -> Task | None:
        """Start today's backup in the background unless one exists or is running."""
        policy = self.policy()
        if policy is None or self.task is not None or not backup.due(policy, now):
            return None
        secret = self._secret()
        if secret is False or secret is True:
            return None
        db = self._database()
        warnings: list[str] = []

        def make() -> Path:
            return backup.automatic_backup(
                db, self._settings, secret, now, on_warning=warnings.append
            )

        def done(path: Path) -> None:
            self.task, self.last_made = None, path
            note = "\n".join(warnings)
            text = self.tr("自動バックアップを保存しました：%1").replace("%1", str(path))
            self._status.showMessage(f"{text}  {note}".strip(), 15000)

        def failed(exc: Exception) -> None:
            self.task = None
            self._fail(error_text(exc, where="automatic backup"))

        self.task = run_in_background(make, done, failed)
        return self.task

    def on_exit(self) -> Path | None:
        """The backup on closing the window: in the foreground, and never stopping the close."""
        self.timer.stop()
        if self.task is not None:
            QThreadPool.globalInstance().waitForDone(30_000)
            self.task = None
        policy = self.policy()
        if policy is None:
            return None
        secret = self._secret()
        if secret is False or secret is True:
            return None
        try:
            self.last_made = backup.automatic_backup(self._database(), self._settings, secret)
        except EvacError as exc:
            self._fail(exc.message())
            return None
        return self.last_made

    # --- restoring -------------------------------------------------------------------------------
    def _wait_for_backup(self) -> None:
        """A backup still copying the file would read it across the swap: let it finish."""
        if self.task is not None:
            QThreadPool.globalInstance().waitForDone(30_000)
            self.task = None

    def restore(self, window: Window, info: BackupInfo, passphrase: str | None) -> bool:
        """Put the backup in place of the open database and open the restored file.

        The restored file has its own accounts (those of the day of the backup), so when it has
        any, whoever restored signs in again against it; giving up closes the window rather than
        going on as someone the restored database may not know.
        """
        db = window.current_database()
        try:
            require(db, Permission.RESTORE)  # the service refuses too; nothing is closed first
            backup.sqlite_path(db)
        except EvacError as exc:
            self._prompter.error(self._window, exc.message())
            return False
        if not window.close_editors():
            return False
        self._wait_for_backup()
        try:
            done = backup.restore(db, info.path, passphrase)
        except EvacError as exc:  # refused before the swap: the database is as it was
            self._prompter.error(self._window, exc.message())
            return False
        try:
            reopened = Database(db.url)
        except EvacError as exc:
            self._prompter.error(self._window, exc.message())
            window.close()
            return False
        reopened.actor = db.actor  # until someone signs in (a database without accounts)
        if AccountService(reopened).has_accounts() and not sign_in(
            reopened, self._window, prompter=self._prompter, quits_app=True
        ):
            reopened.close()
            window.close()
            return True
        window.reopen(reopened)
        kept = self.tr("（元のファイル：%1）").replace("%1", str(done.kept_aside))
        self._status.showMessage(
            self.tr("バックアップから復元しました：%1").replace("%1", info.path.name)
            + (kept if done.kept_aside else ""),
            15000,
        )
        return True
