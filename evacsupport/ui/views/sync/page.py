"""The Sync section: this laptop's name, the laptops it exchanges files with (and when each last
synced), making and reading sync files, and the fields edited on two laptops at once.

Files are made and read off the UI thread with progress and a Cancel button. Reading is one
transaction in the service: a wrong passphrase, a damaged file or a cancel changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError
from evacsupport.services.authz import can
from evacsupport.services.changes import Changes
from evacsupport.sync.service import ImportResult, SyncService, UnknownRecipient
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.sync import PeerModel
from evacsupport.ui.operations import Cancelled, Operation, Progress
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.views.sync.conflicts import ConflictPanel
from evacsupport.ui.views.sync.export_dialog import (
    CANCELLED,
    ExportDialog,
    default_folder,
)
from evacsupport.ui.widgets.fields import FieldMessage

OK_STYLE = "color: #1b5e20;"
ERROR_STYLE = "color: #b00020;"


class SyncPage(QWidget):
    """Attributes for tests: ``site_name``, ``rename_button``, ``site_message``, ``peer_model``,
    ``peer_table``, ``export_button``, ``import_button``, ``cancel_button``, ``progress``,
    ``status``, ``conflicts`` (:class:`ConflictPanel`, in ``conflicts_box``, shown only to
    roles with casework), ``export_dialog``, ``last_import``.

    Signals: imported(bool) when a read finishes (True when it changed the database).
    """

    imported = Signal(bool)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = SyncService(ctx.db)
        self.export_dialog: ExportDialog | None = None
        self.last_import: ImportResult | None = None
        self._op: Operation | None = None
        self._reading: tuple[Path, str] = (Path(), "")  # the file being read, to ask and retry
        self._stopped = False

        # this laptop
        self.site_name = QLineEdit(self)
        self.site_name.setMaxLength(100)
        self.rename_button = QPushButton(self.tr("名前を変更(&R)"), self)
        self.site_message = FieldMessage(self, wrap=True)
        self.rename_button.clicked.connect(self.rename)
        self.site_name.returnPressed.connect(self.rename)
        self.site_name.textEdited.connect(lambda _t: self.site_message.show_message(""))
        name_row = QHBoxLayout()
        name_row.addWidget(QLabel(self.tr("この端末の名前"), self))
        name_row.addWidget(self.site_name, 1)
        name_row.addWidget(self.rename_button)
        site_note = QLabel(self.tr("相手の端末には、この名前で表示されます。"), self)
        site_note.setStyleSheet("color: #555;")
        site_box = QGroupBox(self.tr("この端末"), self)
        site_layout = QVBoxLayout(site_box)
        site_layout.addLayout(name_row)
        site_layout.addWidget(site_note)
        site_layout.addWidget(self.site_message)

        # peers, and exchanging files
        self.peer_model = PeerModel(self)
        self.peer_table = make_table(self.peer_model, self)
        self.export_button = QPushButton(self.tr("同期ファイルを作る(&E)…"), self)
        self.import_button = QPushButton(self.tr("同期ファイルを読み込む(&I)…"), self)
        self.cancel_button = QPushButton(self.tr("中止"), self)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.export_button.clicked.connect(self.open_export)
        self.import_button.clicked.connect(self.choose_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.peer_table.doubleClicked.connect(lambda _i: self.open_export())
        actions = QHBoxLayout()
        actions.addWidget(self.export_button)
        actions.addWidget(self.import_button)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.progress, 2)
        actions.addStretch(1)
        peers_box = QGroupBox(self.tr("同期の相手"), self)
        peers_layout = QVBoxLayout(peers_box)
        peers_layout.addWidget(self.peer_table, 1)
        peers_layout.addLayout(actions)
        peers_layout.addWidget(self.status)

        # conflicts
        self.conflicts = ConflictPanel(ctx, self)
        self.conflicts.resolved.connect(self._resolved)
        conflicts_box = QGroupBox(self.tr("両方の端末で編集された項目（食い違い）"), self)
        self.conflicts_box = conflicts_box
        conflicts_layout = QVBoxLayout(conflicts_box)
        conflicts_layout.addWidget(self.conflicts)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.setChildrenCollapsible(False)
        splitter.addWidget(peers_box)
        splitter.addWidget(conflicts_box)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.addWidget(site_box)
        layout.addWidget(splitter, 1)

    # --- showing --------------------------------------------------------------------------------
    def refresh(self) -> None:
        if not self.site_name.isModified():  # never overwrite a name being typed
            self.site_name.setText(self.service.this_site().name)
            self.site_name.setModified(False)
        self.refresh_peers()
        # Conflicts hold both values of personal fields: casework, which venue staff lack.
        casework = can(self.ctx.db, Permission.CASEWORK)
        self.conflicts_box.setVisible(casework)
        if casework:
            self.conflicts.refresh()

    def refresh_peers(self) -> None:
        self.peer_model.set_rows(self.service.peers())

    def rename(self) -> None:
        try:
            self.service.rename_site(self.site_name.text())
        except EvacError as exc:
            self.site_message.show_message(exc.message())
            return
        self.site_message.show_message("")
        self.site_name.setText(self.service.this_site().name)
        self.site_name.setModified(False)

    # --- making a file --------------------------------------------------------------------------
    def open_export(self) -> ExportDialog:
        if self.export_dialog is not None and self.export_dialog.running():
            self.export_dialog.raise_()
            return self.export_dialog
        if self.export_dialog is not None:
            self.export_dialog.deleteLater()
        peers = self.service.peers()
        dialog = ExportDialog(self.ctx, peers, self)
        index = self.peer_table.currentIndex()
        if index.isValid() and self.peer_table.selectionModel().hasSelection():
            dialog.peer.setEditText(self.peer_model.rows()[index.row()].name)
        dialog.finished.connect(lambda _path: self.refresh_peers())
        self.export_dialog = dialog
        dialog.show()
        return dialog

    # --- reading a file -------------------------------------------------------------------------
    def choose_import(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("同期ファイルを読み込む"),
            str(default_folder()),
            self.tr("同期ファイル (*.evsync);;すべてのファイル (*)"),
        )
        if not path:
            return
        passphrase = self.ctx.prompter.ask_password(
            self,
            self.tr("同期ファイルを読み込む"),
            self.tr("合言葉（パスフレーズ）を入力してください"),
        )
        if passphrase is None:
            return
        self.start_import(Path(path), passphrase)

    def start_import(self, path: Path, passphrase: str, *, accept_unknown: bool = False) -> None:
        service = self.service
        self._stopped = False
        self._reading = (path, passphrase)

        def work(progress: Progress, cancelled: Cancelled) -> ImportResult:
            return service.import_(
                path,
                passphrase,
                accept_unknown=accept_unknown,
                progress=progress,
                cancelled=cancelled,
            )

        self.export_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        self._show_status(self.tr("読み込んでいます：%1").replace("%1", path.name), OK_STYLE)
        self._op = Operation(work, write=True, parent=self)  # a merge: the one writer
        self._op.progressed.connect(self._moved)
        self._op.start(self._imported, self._failed)

    def running(self) -> bool:
        return self._op is not None

    def cancel(self) -> None:
        """Stops the read at its next step; the service rolls everything back."""
        self._stopped = True
        if self._op is not None:
            self._op.stop()
        self.cancel_button.setEnabled(False)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def summary(self, result: ImportResult) -> str:
        lines = [
            self.tr("%1 から %2 件（新規反映 %3 件、取り込み済み %4 件、重複 %5 件）")
            .replace("%1", result.peer)
            .replace("%2", str(result.received))
            .replace("%3", str(result.applied))
            .replace("%4", str(result.already_had))
            .replace("%5", str(result.duplicates))
        ]
        for old, new in result.renumbered:
            lines.append(
                self.tr("世帯番号 %1 が重なったため %2 にしました")
                .replace("%1", old)
                .replace("%2", new)
            )
        if result.conflicts:
            lines.append(
                self.tr(
                    "両方の端末で編集された項目が %1 件あります（下の一覧で確認してください）"
                ).replace("%1", str(result.conflicts))
            )
        return "\n".join(lines)

    def _imported(self, result: ImportResult) -> None:
        self._finish()
        self.last_import = result
        self._show_status(self.tr("読み込みました：") + self.summary(result), OK_STYLE)
        self.refresh()
        self.ctx.bus.announce(Changes.everything(), self)
        self.imported.emit(True)

    def _failed(self, exc: Exception) -> None:
        self._finish()
        cancelled = self._stopped or (isinstance(exc, EvacError) and exc.code == CANCELLED)
        if isinstance(exc, UnknownRecipient) and not cancelled and self._confirm_unknown(exc):
            path, passphrase = self._reading
            self.start_import(path, passphrase, accept_unknown=True)
            return
        if cancelled:
            text = self.tr("読み込みを中止しました。何も変更していません")
        elif isinstance(exc, UnknownRecipient):
            text = self.tr("読み込みませんでした。何も変更していません")
        else:
            text = exc.message() if isinstance(exc, EvacError) else str(exc)
        self._show_status(text, ERROR_STYLE)
        self.refresh()
        self.imported.emit(False)

    def _confirm_unknown(self, exc: UnknownRecipient) -> bool:
        """The service found a package addressed only by a name: the person decides."""
        return self.ctx.prompter.confirm(
            self,
            self.tr("まだ同期したことのない端末からのファイル"),
            exc.message()
            + "\n\n"
            + self.tr(
                "送り手に心当たりがあり、この端末宛てのファイルであることを確かめたときだけ"
                "読み込んでください。読み込みますか？"
            ),
        )

    def _finish(self) -> None:
        self._op = None
        self.progress.hide()
        self.export_button.setEnabled(True)
        self.import_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def _show_status(self, text: str, style: str) -> None:
        self.status.setStyleSheet(style)
        self.status.setText(text)

    def _resolved(self, kind: str) -> None:
        self.refresh_peers()  # a settled conflict is a new change the peers have not seen
        self.ctx.bus.announce(Changes.everything(), self)
