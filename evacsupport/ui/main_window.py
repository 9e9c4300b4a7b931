"""The main window: navigation between sections, menus, and the status bar.

It owns the :class:`AppContext` for the open database; opening another database builds a fresh
context and fresh sections, so nothing from the previous database can leak into the new one.
"""

from __future__ import annotations

import functools
import getpass
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from PySide6.QtCore import QByteArray, QPoint, QSettings, QSize, QThreadPool, QUrl
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
)
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QWidget,
)

from evacsupport.config import Settings, data_dir, sqlite_url
from evacsupport.db.engine import Database
from evacsupport.domain.codes import Role, label
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError
from evacsupport.services import encryption
from evacsupport.services.accounts import AccountService
from evacsupport.services.authz import can
from evacsupport.services.backup import backup_to, sqlite_path
from evacsupport.services.changes import Changes
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import writer_pool
from evacsupport.ui.prompts import Prompter, QtPrompter
from evacsupport.ui.views.about import AboutDialog
from evacsupport.ui.views.assignment.allocate_dialog import AllocateDialog
from evacsupport.ui.views.audit.page import AuditPage
from evacsupport.ui.views.backup.auto import AutoBackup
from evacsupport.ui.views.backup.restore_dialog import RestoreDialog
from evacsupport.ui.views.contacts.followup_queue import FollowUpQueueView
from evacsupport.ui.views.contacts.visits_page import VisitsPage
from evacsupport.ui.views.counter.session_view import CounterView
from evacsupport.ui.views.households.editor import HouseholdEditor
from evacsupport.ui.views.households.list_view import HouseholdListView
from evacsupport.ui.views.imports.import_dialog import ImportDialog
from evacsupport.ui.views.retention import run_retention_purge
from evacsupport.ui.views.sections.activity import (
    RecordsPage,
    meal_columns,
)
from evacsupport.ui.views.sections.overview import DashboardPage
from evacsupport.ui.views.sections.reports import ReportsPage
from evacsupport.ui.views.settings_dialog import SettingsDialog
from evacsupport.ui.views.signin import IdleLock, LockDialog, sign_in
from evacsupport.ui.views.signin.keys import NewKeyDialog, ask_key, ask_new_database
from evacsupport.ui.views.sync.page import SyncPage
from evacsupport.ui.views.venues.list_view import VenueListView
from evacsupport.ui.widgets.screen_fit import FRAME, fit_labels, fit_to_screen


def default_window_state() -> QSettings:
    """Window size, place and splitters: an INI file in the user's config folder (not settings.json,
    which holds preferences)."""
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "evacsupport", "window")


WRITES_ON_CLOSE_MS = 60_000
"""Closing waits this long at most for the writes still queued (a merge rolls back if cut)."""


class MainWindow(QMainWindow):
    """Attributes: ``ctx`` (the open database's context), ``sections`` (name → page),
    ``household_list``, ``venue_list``, ``editors`` (open household editors by id)."""

    SECTIONS = (
        "dashboard",
        "households",
        "venues",
        "meals",
        "visits",
        "followups",
        "reports",
        "sync",
        "audit",
    )

    def __init__(
        self,
        db: Database,
        parent: QWidget | None = None,
        *,
        prompter: Prompter | None = None,
        settings: Settings | None = None,
        window_state: QSettings | None = None,
    ) -> None:
        super().__init__(parent)
        self._prompter = prompter or QtPrompter()
        self._settings = settings or Settings.load()
        self._window_state = window_state or default_window_state()
        self.editors: dict[uuid.UUID, HouseholdEditor] = {}
        self.setWindowTitle(self.tr("evacsupport 避難者支援ケース管理"))
        self.nav = QListWidget(self)
        self.nav.setObjectName("navigation")
        self.nav.setStyleSheet("QListWidget::item { padding: 8px 6px; }")
        self.stack = QStackedWidget(self)
        body = QWidget(self)
        layout = QHBoxLayout(body)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(body)
        self.db_label = QLabel(self)
        self.user_label = QLabel(self)
        self.statusBar().addPermanentWidget(self.user_label)
        self.statusBar().addPermanentWidget(self.db_label)
        self.nav.currentRowChanged.connect(self._show_section)
        self.idle_lock = IdleLock(0, self.lock_now, self)
        self._build_menus()
        self._open_context(db)
        self.auto_backup = AutoBackup(  # once a day while open, and on exit
            self, self.statusBar(), self._prompter, self._settings, lambda: self.ctx.db
        )
        fit_to_screen(self, QSize(1200, 760))  # title bar and taskbar included
        self.restore_window_state()

    # --- database ------------------------------------------------------------------------------
    def _open_context(self, db: Database) -> None:
        signed_in = db.role is not None  # a database with accounts: someone signed in
        if hasattr(self, "sections"):  # another database: the old sections' splitters first
            self._save_splitters()
        self.ctx = AppContext(
            db,
            prompter=self._prompter,
            settings=self._settings,
            user=db.actor if signed_in else getpass.getuser(),
        )
        self._build_sections()
        self._restore_splitters()
        self._show_allowed_sections()
        self._show_allowed_actions()
        self.idle_lock.set_timeout(self._settings.idle_lock_ms() if signed_in else 0)
        self.db_label.setText(self.tr("データベース：%1").replace("%1", db.description))
        self.user_label.setText(self.tr("利用者：%1").replace("%1", self.ctx.user))
        allowed = [name for name in self.SECTIONS if self.section_allowed(name)]
        first = "households" if "households" in allowed else allowed[0]
        if first in ("dashboard", "households"):
            self.household_list.reload_now()
        self.show_section(first)

    def switch_database(self, path: str) -> None:
        """Open another database file (its key asked first when it is encrypted)."""
        if not ask_key(Path(path), self):
            return
        try:
            db = Database(sqlite_url(path))
        except EvacError as exc:
            self._prompter.error(self, exc.message())
            return
        needs_sign_in = self.ctx.db.role is not None or AccountService(db).has_accounts()
        if needs_sign_in and not sign_in(db, self):
            db.close()
            return
        if not self._close_editors():
            db.close()
            return
        old = self.ctx.db
        writer_pool().waitForDone(WRITES_ON_CLOSE_MS)  # what is queued lands in the old one
        self._open_context(db)
        QThreadPool.globalInstance().waitForDone(WRITES_ON_CLOSE_MS)  # reads of the old one
        old.close()

    def _close_editors(self) -> bool:
        return all(editor.close() for editor in list(self.editors.values()))

    # --- sections ------------------------------------------------------------------------------
    def _build_sections(self) -> None:
        while (page := self.stack.widget(0)) is not None:
            self.stack.removeWidget(page)
            page.deleteLater()
        self.nav.blockSignals(True)
        self.nav.clear()
        ctx = self.ctx
        self.dashboard = DashboardPage(ctx, self)
        self.dashboard.household_activated.connect(self.open_household)
        self.household_list = HouseholdListView(ctx, self)
        self.household_list.household_activated.connect(self.open_household)
        self.household_list.new_requested.connect(self.new_household)
        self.venue_list = VenueListView(ctx, self, load=False)
        self.counter = CounterView(ctx, self)
        meals = QTabWidget(self)
        meals.setUsesScrollButtons(False)
        meals.addTab(self.counter, self.tr("受付（食事の記録）"))
        if can(ctx.db, Permission.CASEWORK):  # every venue's meals, with case numbers
            meals.addTab(
                RecordsPage(
                    ctx,
                    [(self.tr("最近の食事提供"), meal_columns(), lambda a: a.meals())],
                    parent=meals,
                ),
                self.tr("最近の食事提供"),
            )
        meals.currentChanged.connect(lambda _i: self._refresh_page(meals.currentWidget()))
        visits = VisitsPage(ctx, self)
        self.followup_queue = FollowUpQueueView(ctx, self)
        self.followup_queue.household_activated.connect(self.open_household)
        followups = self.followup_queue
        self.sync_page = SyncPage(ctx, self)
        self.sections: dict[str, QWidget] = {
            "dashboard": self.dashboard,
            "households": self.household_list,
            "venues": self.venue_list,
            "meals": meals,
            "visits": visits,
            "followups": followups,
            "reports": ReportsPage(ctx, self),
            "sync": self.sync_page,
            "audit": AuditPage(ctx, self),
        }
        for name in self.SECTIONS:
            self.stack.addWidget(self.sections[name])
            self.nav.addItem(self._section_title(name))
        self.nav.blockSignals(False)
        self._fit_navigation()
        fit_labels(self.stack)

    def _fit_navigation(self) -> None:
        """As wide as the longest section name in the current font (and scale), never narrower
        than the usual 190 pixels, so a larger font or English never clips a name."""
        metrics = self.nav.fontMetrics()
        texts = [self.nav.item(row).text() for row in range(self.nav.count())]
        widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
        padding = 12 + 2 * self.nav.frameWidth() + metrics.horizontalAdvance("あ") * 2
        self.nav.setFixedWidth(max(190, widest + padding))

    # --- window geometry (window state, not preferences: QSettings, not settings.json) --------
    def _splitters(self) -> list[tuple[str, QSplitter]]:
        found = []
        for name, page in self.sections.items():
            for number, splitter in enumerate(page.findChildren(QSplitter)):
                found.append((f"splitters/{name}/{number}", splitter))
        return found

    def _save_splitters(self) -> None:
        for key, splitter in self._splitters():
            self._window_state.setValue(key, splitter.saveState())

    def _restore_splitters(self) -> None:
        for key, splitter in self._splitters():
            state = self._window_state.value(key)
            if isinstance(state, QByteArray) and not state.isEmpty():
                splitter.restoreState(state)

    def save_window_state(self) -> None:
        self._window_state.setValue("main/geometry", self.saveGeometry())
        self._save_splitters()
        self._window_state.sync()

    def restore_window_state(self) -> None:
        """The last size, place and splitters; kept on a screen that may now be smaller."""
        geometry = self._window_state.value("main/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
            self.keep_on_screen()
        self._restore_splitters()

    def keep_on_screen(self) -> None:
        screen = self.screen() or QGuiApplication.primaryScreen()
        if self.isMaximized() or self.isFullScreen():
            return
        available = screen.availableGeometry()
        size = self.size().boundedTo(available.size() - FRAME)
        if size != self.size():
            self.resize(size)
        frame = self.frameGeometry()
        if not available.contains(frame.topLeft()) or not available.intersects(frame):
            x = available.x() + max(0, (available.width() - frame.width()) // 2)
            y = available.y() + max(0, (available.height() - frame.height()) // 2)
            self.move(QPoint(x, y))

    SECTION_PERMISSIONS: ClassVar[dict[str, tuple[Permission, ...]]] = {
        "dashboard": (Permission.CASEWORK,),
        "households": (Permission.CASEWORK,),
        "venues": (Permission.VENUES,),
        "meals": (Permission.COUNTER,),
        "visits": (Permission.CASEWORK,),
        "followups": (Permission.CASEWORK,),
        "reports": (Permission.AGGREGATE_REPORTS, Permission.ROSTER),
        "sync": (Permission.SYNC,),
        "audit": (Permission.AUDIT,),
    }

    def section_allowed(self, name: str) -> bool:
        """Sections the signed-in role may use; the services refuse the rest anyway."""
        needs = self.SECTION_PERMISSIONS.get(name, ())
        return not needs or any(can(self.ctx.db, p) for p in needs)

    def _show_allowed_sections(self) -> None:
        for row, name in enumerate(self.SECTIONS):
            item = self.nav.item(row)
            if item is not None:
                item.setHidden(not self.section_allowed(name))

    def _forbidden(self) -> None:
        role = self.ctx.db.role
        name = label(Role(role)) if role in set(Role) else ""
        self._prompter.error(self, EvacError("auth.forbidden", role=name).message())

    def lock_now(self) -> None:
        """The idle lock: the same person's password, or the app closes."""
        dialog = LockDialog(self.ctx.db, self, prompter=self._prompter)
        if dialog.exec() != LockDialog.DialogCode.Accepted:
            self.close()

    def show_section(self, name: str) -> None:
        if not self.section_allowed(name):
            return
        row = self.SECTIONS.index(name)
        if self.nav.currentRow() == row:
            self._show_section(row)  # same row: no signal, but the caller wants it fresh
        else:
            self.nav.setCurrentRow(row)

    def _show_named(self, name: str, _checked: bool = False) -> None:
        self.show_section(name)

    def _show_section(self, row: int) -> None:
        if row < 0:
            return
        page = self.sections[self.SECTIONS[row]]
        self.stack.setCurrentWidget(page)
        self._refresh_page(page)

    @staticmethod
    def _refresh_page(page: QWidget | None) -> None:
        if isinstance(page, QTabWidget):
            page = page.currentWidget()
        refresh: Callable[[], None] | None = getattr(page, "refresh", None)
        if refresh is not None:
            refresh()

    # --- households ----------------------------------------------------------------------------
    def open_household(self, household_id: uuid.UUID | None) -> HouseholdEditor:
        """Open (or bring forward) the editor of one household; None opens a new one."""
        editor = self.editors.get(household_id) if household_id else None
        if editor is None:
            key = household_id or uuid.uuid4()  # each new household gets its own editor
            editor = HouseholdEditor(self.ctx, household_id, self)
            self.editors[key] = editor
            editor.finished.connect(lambda _r, k=key: self.editors.pop(k, None))
        editor.show()
        editor.raise_()
        editor.activateWindow()
        return editor

    def new_household(self) -> HouseholdEditor:
        return self.open_household(None)

    def new_record(self) -> None:
        """Ctrl+N: a new venue in the venue section, a new household everywhere else."""
        if self.stack.currentWidget() is self.venue_list and can(self.ctx.db, Permission.VENUES):
            self.venue_list.open_new()
        elif can(self.ctx.db, Permission.CASEWORK):
            self.new_household()
        else:
            self._forbidden()

    def open_allocation(self) -> AllocateDialog | None:
        """The bulk allocation dialog, over the venue section whose load it changes."""
        if not can(self.ctx.db, Permission.ASSIGN):
            self._forbidden()
            return None
        self.show_section("venues")
        return self.venue_list.open_allocate()

    def focus_search(self) -> None:
        self.show_section("households")
        self.household_list.search_box.setFocus()
        self.household_list.search_box.selectAll()

    # --- menus ---------------------------------------------------------------------------------
    def _action(
        self,
        text: str,
        slot: Callable[[], object],
        shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(shortcut)
        action.triggered.connect(slot)
        return action

    def _build_menus(self) -> None:
        # Actions a role may not use are hidden once someone signs in (_show_allowed_actions).
        self._needs: list[tuple[QAction, tuple[Permission, ...]]] = []
        file_menu = self.menuBar().addMenu(self.tr("ファイル(&F)"))
        file_menu.addAction(
            self._gated(
                self._action(
                    self.tr("新規登録(&N)"), self.new_record, QKeySequence.StandardKey.New
                ),
                Permission.CASEWORK,
                Permission.VENUES,
            )
        )
        file_menu.addAction(
            self._gated(
                self._action(self.tr("名簿を取り込む(&I)…"), self.open_import), Permission.IMPORT
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                self.tr("データベースを開く(&O)…"), self._ask_open, QKeySequence.StandardKey.Open
            )
        )
        file_menu.addAction(self._action(self.tr("新しいデータベース(&W)…"), self._ask_new))
        file_menu.addAction(
            self._gated(
                self._action(self.tr("バックアップを保存(&B)…"), self._ask_backup),
                Permission.BACKUP,
            )
        )
        file_menu.addAction(
            self._gated(
                self._action(self.tr("バックアップから復元(&E)…"), self.open_restore),
                Permission.RESTORE,
            )
        )
        file_menu.addAction(
            self._gated(
                self._action(self.tr("データベースを暗号化(&K)…"), self.encrypt_database),
                Permission.RESTORE,
            )
        )
        self.purge_action = self._gated(
            self._action(self.tr("保存期間を過ぎた世帯の消去(&P)…"), self.purge_expired),
            Permission.ERASE,
        )
        file_menu.addAction(self.purge_action)
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(
                self.tr("設定(&T)…"), self.open_settings, QKeySequence.StandardKey.Preferences
            )
        )
        file_menu.addSeparator()
        file_menu.addAction(
            self._action(self.tr("終了(&Q)"), self.close, QKeySequence.StandardKey.Quit)
        )

        view_menu = self.menuBar().addMenu(self.tr("表示(&V)"))
        view_menu.addAction(
            self._action(
                self.tr("世帯を検索(&S)"), self.focus_search, QKeySequence.StandardKey.Find
            )
        )
        view_menu.addAction(
            self._action(
                self.tr("最新の情報に更新(&R)"), self.refresh_all, QKeySequence.StandardKey.Refresh
            )
        )
        view_menu.addSeparator()
        for number, name in enumerate(self.SECTIONS, start=1):
            view_menu.addAction(
                self._gated(
                    self._action(
                        # An "&" in a title ("Visits & check-ins") is text, not a mnemonic.
                        self._section_title(name).replace("&", "&&"),
                        functools.partial(self._show_named, name),
                        f"Ctrl+{number}",
                    ),
                    *self.SECTION_PERMISSIONS.get(name, ()),
                )
            )
        view_menu.addSeparator()
        language = view_menu.addMenu(self.tr("表示言語(&L)"))
        group = QActionGroup(self)
        self._language_actions: dict[str, QAction] = {}
        for code, text in (("ja", "日本語"), ("en", "English")):
            action = QAction(text, self, checkable=True)
            self._language_actions[code] = action
            action.setChecked(self._settings.language == code)
            action.triggered.connect(lambda _checked, c=code: self.set_language(c))
            group.addAction(action)
            language.addAction(action)

        self.venue_menu = self.menuBar().addMenu(self.tr("会場(&A)"))
        self.venue_menu.addAction(
            self._gated(
                self._action(self.tr("一括割り当て(&L)…"), self.open_allocation),
                Permission.ASSIGN,
            )
        )

        help_menu = self.menuBar().addMenu(self.tr("ヘルプ(&H)"))
        help_menu.addAction(
            self._action(self.tr("データフォルダを開く(&D)"), self.open_data_folder)
        )
        help_menu.addAction(self._action(self.tr("このアプリについて(&A)"), self.show_about))

    def _gated(self, action: QAction, *needs: Permission) -> QAction:
        """Remember what ``action`` needs (any of ``needs``); shown only to roles that have it."""
        if needs:
            self._needs.append((action, needs))
        return action

    def _show_allowed_actions(self) -> None:
        for action, needs in self._needs:
            action.setVisible(any(can(self.ctx.db, p) for p in needs))
        self.venue_menu.menuAction().setVisible(can(self.ctx.db, Permission.ASSIGN))

    def _section_title(self, name: str) -> str:
        return {
            "dashboard": self.tr("ダッシュボード"),
            "households": self.tr("世帯"),
            "venues": self.tr("会場"),
            "meals": self.tr("食事"),
            "visits": self.tr("訪問・チェックイン"),
            "followups": self.tr("フォローアップ"),
            "reports": self.tr("集計・報告"),
            "sync": self.tr("同期"),
            "audit": self.tr("監査ログ"),
        }[name]

    def open_import(self) -> ImportDialog | None:
        if not can(self.ctx.db, Permission.IMPORT):
            self._forbidden()
            return None
        dialog = ImportDialog(self.ctx, self)
        dialog.show()
        return dialog

    def refresh_all(self) -> None:
        self.ctx.bus.announce(Changes.everything())

    def set_language(self, code: str) -> None:
        self._settings.language = code
        self._settings.save()
        self._prompter.info(
            self,
            self.tr("表示言語"),
            self.tr(
                "表示言語を変更しました。次回の起動から反映されます。\n"
                "The language will change the next time the app starts."
            ),
        )

    def _ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("データベースを開く"),
            str(data_dir()),
            self.tr("データベース (*.sqlite3 *.sqlite *.db);;すべてのファイル (*)"),
        )
        if path:
            self.switch_database(path)

    def _ask_new(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("新しいデータベース"),
            str(data_dir() / "new.sqlite3"),
            self.tr("データベース (*.sqlite3)"),
        )
        if path:
            if Path(path).exists():
                self._prompter.error(
                    self, self.tr("同じ名前のファイルがあります。別の名前を指定してください。")
                )
                return
            if ask_new_database(Path(path), self):  # encrypted, unless the box is unticked
                self.switch_database(path)

    def _ask_backup(self) -> None:
        if not can(self.ctx.db, Permission.BACKUP):  # before asking where: it would be refused
            self._forbidden()
            return
        stamp = datetime.now().strftime("%Y%m%d-%H%M")
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("バックアップを保存"),
            str(data_dir() / f"backup-{stamp}.sqlite3"),
            self.tr("データベース (*.sqlite3)"),
        )
        if path:
            self.save_backup(path)

    def save_backup(self, path: str) -> None:
        try:
            saved = backup_to(self.ctx.db, path)  # refused to roles without Permission.BACKUP
        except EvacError as exc:
            self._prompter.error(self, exc.message())
            return
        self.statusBar().showMessage(
            self.tr("バックアップを保存しました：%1").replace("%1", str(saved)), 10000
        )

    def open_data_folder(self) -> None:
        folder = data_dir()
        folder.mkdir(parents=True, exist_ok=True)
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))
        self.statusBar().showMessage(str(folder), 10000)

    def show_about(self) -> AboutDialog:
        db = self.ctx.db
        encrypted = encryption.is_encrypted(db) if db.is_sqlite and not db.in_memory else None
        dialog = AboutDialog(db.description, self, encrypted=encrypted)
        dialog.show()
        return dialog

    def purge_expired(self) -> list[str] | None:
        """Administrators: erase households closed longer than the retention period."""
        if not can(self.ctx.db, Permission.ERASE):
            self._forbidden()
            return None
        return run_retention_purge(self.ctx, self)

    def open_settings(self) -> SettingsDialog:
        dialog = SettingsDialog(self.ctx, self)
        dialog.saved.connect(
            lambda _settings, old=self._settings.language: self._apply_settings(old)
        )
        dialog.show()
        return dialog

    def _apply_settings(self, old_language: str) -> None:
        """What applies at once after 設定 is saved; the rest reads the shared settings."""
        signed_in = self.ctx.db.role is not None
        self.idle_lock.set_timeout(self._settings.idle_lock_ms() if signed_in else 0)
        self.statusBar().showMessage(self.tr("設定を保存しました。"), 10000)
        language = self._settings.language
        if language != old_language:
            if language in self._language_actions:
                self._language_actions[language].setChecked(True)
            self.set_language(language)  # as View → 表示言語: applies on the next start

    def encrypt_database(self) -> bool:
        """Administrators: encrypt the open plain file with a key typed twice, then go on in
        the encrypted one (same accounts, same person signed in)."""
        db = self.ctx.db
        if not can(db, Permission.RESTORE):
            self._forbidden()
            return False
        try:
            path = sqlite_path(db)
        except EvacError as exc:
            self._prompter.error(self, exc.message())
            return False
        if encryption.is_encrypted(db):
            self._prompter.info(
                self, self.tr("データベースの暗号化"), self.tr("このデータベースは暗号化済みです。")
            )
            return False
        dialog = NewKeyDialog(path, self, optional=False, prompter=self._prompter)
        if dialog.exec() != NewKeyDialog.DialogCode.Accepted or not self._close_editors():
            return False
        writer_pool().waitForDone(WRITES_ON_CLOSE_MS)  # what is queued lands before the copy
        QThreadPool.globalInstance().waitForDone(WRITES_ON_CLOSE_MS)
        failure = ""
        try:
            encryption.encrypt(db, dialog.chosen, dialog.chosen)
        except EvacError as exc:  # the plain file is as it was
            failure = exc.message()
        db.close()  # closed by the encryption already, unless it was refused before
        try:
            reopened = Database(db.url)
        except EvacError as exc:
            self._prompter.error(self, exc.message())
            self.close()
            return False
        for name in ("actor", "role", "venue_scope", "accounts_exist"):  # the same sign-in
            setattr(reopened, name, getattr(db, name))
        self._open_context(reopened)
        if failure:
            self._prompter.error(self, failure)
            return False
        self.statusBar().showMessage(
            self.tr("データベースを暗号化しました：%1").replace("%1", str(path)), 15000
        )
        return True

    # --- restore from a backup (evacsupport/ui/views/backup) -------------------------------------
    def open_restore(self) -> RestoreDialog | None:
        if not can(self.ctx.db, Permission.RESTORE):
            self._forbidden()
            return None
        policy = self.auto_backup.policy()
        if policy is None:
            self._prompter.error(self, EvacError("backup.server").message())
            return None
        dialog = RestoreDialog(
            policy, self._prompter, lambda info, pw: self.auto_backup.restore(self, info, pw), self
        )
        dialog.show()
        return dialog

    def current_database(self) -> Database:
        return self.ctx.db

    def close_editors(self) -> bool:
        return self._close_editors()

    def reopen(self, db: Database) -> None:
        self._open_context(db)

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._close_editors():
            event.ignore()
            return
        self.idle_lock.stop()
        self.save_window_state()
        # Meals entered just before closing are still being saved: they land, and the
        # backup on closing has them.
        writer_pool().waitForDone(WRITES_ON_CLOSE_MS)
        self.auto_backup.on_exit()
        super().closeEvent(event)
