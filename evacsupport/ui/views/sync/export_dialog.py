"""Making a sync file for another laptop: who it is for, how much it gets, where it goes, and
the team passphrase (typed twice). Written off the UI thread with progress; cancellable."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QSize, QStandardPaths, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evacsupport.errors import EvacError
from evacsupport.sync import crypto
from evacsupport.sync.service import ExportResult, PeerInfo, SyncService
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import Cancelled, Operation, Progress
from evacsupport.ui.widgets.fields import FieldMessage
from evacsupport.ui.widgets.screen_fit import fit_to_screen

SUFFIX = ".evsync"
CANCELLED = "import.cancelled"  # the code a service's progress ticker raises when stopped


def default_folder() -> Path:
    """The user's Documents folder, or home when there is none."""
    documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    if documents and Path(documents).is_dir():
        return Path(documents)
    return Path.home()


def default_file_name(peer: str, now: datetime | None = None) -> str:
    """``<peer>-<yyyymmdd-HHMM>.evsync``, with characters no file system accepts replaced."""
    safe = re.sub(r'[\\/:*?"<>|\s]+', "_", peer.strip()).strip("._") or "peer"
    return f"{safe}-{(now or datetime.now()):%Y%m%d-%H%M}{SUFFIX}"


class ExportDialog(QDialog):
    """Attributes for tests: ``peer`` (editable combo), ``scope`` (combo; data = venue name,
    "" for everything), ``out``, ``passphrase``, ``confirm``, ``make_button``,
    ``cancel_button``, ``close_button``, ``progress``, ``message`` (inline problems),
    ``result_label``, ``result_``.

    Signals: finished(str) with the file written, or "" when it failed or was cancelled.
    """

    finished = Signal(str)

    def __init__(
        self, ctx: AppContext, peers: list[PeerInfo], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = SyncService(ctx.db)
        self.setWindowTitle(self.tr("同期ファイルを作る"))
        self.result_: ExportResult | None = None
        self._op: Operation | None = None
        self._peers = {p.name: p for p in peers}
        self._auto_out = True

        self.peer = QComboBox(self)
        self.peer.setEditable(True)
        self.peer.addItems(list(self._peers))
        self.peer.setCurrentIndex(-1)
        self.peer.setEditText("")
        line = self.peer.lineEdit()
        assert line is not None  # an editable combo always has one
        line.setPlaceholderText(self.tr("例：輪島会場ノート"))
        line.setMaxLength(100)
        self.scope = QComboBox(self)
        self.scope.addItem(self.tr("全件"), "")
        for venue in ctx.venues.list(include_inactive=False):
            self.scope.addItem(venue.name, venue.name)
        self.out = QLineEdit(self)
        browse = QPushButton(self.tr("参照(&B)…"), self)
        browse.clicked.connect(self._browse)
        self.passphrase = QLineEdit(self)
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(
            self.tr("%1文字以上").replace("%1", str(crypto.MIN_PASSPHRASE))
        )
        self.confirm = QLineEdit(self)
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = FieldMessage(self, wrap=True)
        self.make_button = QPushButton(self.tr("作成(&G)"), self)
        self.make_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("中止"), self)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("閉じる"), self)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.result_label = QLabel(self)
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.peer.currentTextChanged.connect(self._peer_changed)
        self.out.textEdited.connect(self._out_edited)
        self.make_button.clicked.connect(self.make)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)

        scope_note = QLabel(
            self.tr(
                "会場用の端末には、その会場に必要な最小限（利用者の氏名・アレルゲン・食事の記録など）"
                "だけを渡します。"
            ),
            self,
        )
        scope_note.setWordWrap(True)
        scope_note.setStyleSheet("color: #555;")
        pass_note = QLabel(
            self.tr(
                "合言葉はチームで決めたものを使い、ファイルとは別の方法（口頭・電話など）で"
                "伝えてください。"
            ),
            self,
        )
        pass_note.setWordWrap(True)
        pass_note.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow(self.tr("相手の端末名(&N)"), self.peer)
        form.addRow(self.tr("範囲(&S)"), self.scope)
        form.addRow("", scope_note)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        out_label = QLabel(self.tr("保存先(&F)"), self)
        out_label.setBuddy(self.out)
        form.addRow(out_label, out_row)
        form.addRow(self.tr("合言葉(&P)"), self.passphrase)
        form.addRow(self.tr("合言葉（確認）(&C)"), self.confirm)
        form.addRow("", pass_note)
        buttons = QHBoxLayout()
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 2)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(self.result_label)
        layout.addStretch(1)
        fit_to_screen(self, QSize(680, 400))
        self._peer_changed("")

    # --- choices --------------------------------------------------------------------------------
    def _peer_changed(self, text: str) -> None:
        known = self._peers.get(text.strip())
        if known is not None:
            self.scope.setCurrentIndex(max(self.scope.findData(known.scope_venue), 0))
        if self._auto_out:
            self.out.setText(str(default_folder() / default_file_name(text or "peer")))

    def _out_edited(self, _text: str) -> None:
        self._auto_out = False

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            self.tr("同期ファイルの保存先"),
            self.out.text(),
            self.tr("同期ファイル (*.evsync)"),
        )
        if path:
            if not path.endswith(SUFFIX):
                path += SUFFIX
            self.out.setText(path)
            self._auto_out = False

    def _check(self) -> str:
        """What is wrong with the form, in the user's words; "" when it can be made."""
        peer = self.peer.currentText().strip()
        if not peer:
            return EvacError("sync.peer_required").message()
        if not self.out.text().strip():
            return self.tr("保存先のファイルを指定してください")
        try:
            crypto.check_passphrase(self.passphrase.text())
        except EvacError as exc:
            return exc.message()
        if self.passphrase.text() != self.confirm.text():
            return self.tr("確認のために入力した合言葉が一致しません")
        return ""

    # --- making ---------------------------------------------------------------------------------
    def make(self) -> None:
        problem = self._check()
        self.message.show_message(problem)
        if problem:
            return
        path = Path(self.out.text().strip()).expanduser()
        if path.exists() and not self.ctx.prompter.confirm(
            self,
            self.tr("同期ファイルを作る"),
            self.tr("%1 はすでにあります。上書きしますか？").replace("%1", str(path)),
        ):
            return
        service = self.service
        peer, scope = self.peer.currentText().strip(), str(self.scope.currentData() or "")
        passphrase = self.passphrase.text()

        def work(progress: Progress, cancelled: Cancelled) -> ExportResult:
            return service.export(
                peer, path, passphrase, scope_venue=scope, progress=progress, cancelled=cancelled
            )

        self.make_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        self.result_label.setText(self.tr("作成しています…"))
        # it records what was sent to the peer: a write, after any other the window started
        self._op = Operation(work, write=True, parent=self)
        self._op.progressed.connect(self._moved)
        self._op.start(self._done, self._failed)

    def running(self) -> bool:
        return self._op is not None

    def cancel(self) -> None:
        """Stops at the service's next step; nothing is written and the peer is not touched."""
        if self._op is not None:
            self._op.stop()
        self.cancel_button.setEnabled(False)

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, result: ExportResult) -> None:
        self._finish()
        self.result_ = result
        text = (
            self.tr("%1 宛ての変更 %2 件を書き出しました：%3")
            .replace("%1", result.peer)
            .replace("%2", str(result.changes))
            .replace("%3", str(result.path))
        )
        if result.scope_venue:
            text += self.tr("（会場：%1）").replace("%1", result.scope_venue)
        text += "\n" + self.tr(
            "このファイルをUSBメモリやメールで相手に渡し、相手の端末で読み込んでください。"
        )
        self.result_label.setStyleSheet("color: #1b5e20;")
        self.result_label.setText(text)
        self.passphrase.clear()
        self.confirm.clear()
        self.finished.emit(str(result.path))

    def _failed(self, exc: Exception) -> None:
        self._finish()
        if isinstance(exc, EvacError) and exc.code == CANCELLED:
            text = self.tr("中止しました。同期ファイルは作っていません")
        else:
            text = exc.message() if isinstance(exc, EvacError) else str(exc)
        self.result_label.setStyleSheet("color: #b00020;")
        self.result_label.setText(text)
        self.finished.emit("")

    def _finish(self) -> None:
        self._op = None
        self.progress.hide()
        self.make_button.setEnabled(True)
        self.cancel_button.setEnabled(False)

    def reject(self) -> None:
        if self.running():  # closing asks the work to stop; the dialog stays until it has
            self.cancel()
            return
        super().reject()
