"""The import wizard: choose a file, see what it would do (rows with errors highlighted), then
import it, off the UI thread with progress; nothing is written before the user confirms."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport import importers
from evacsupport.errors import EvacError
from evacsupport.importers._common import read_cells
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.tasks import Task, run_in_background

PREVIEW_ROWS = 300
Index = QModelIndex | QPersistentModelIndex


class PreviewModel(QAbstractTableModel):
    """The file as read (header first), rows with an error in red with the reason as tooltip."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cells: list[list[str]] = []
        self.errors: dict[int, str] = {}  # file row number (header = 1) → messages

    def set_data(self, cells: list[list[str]], errors: dict[int, str]) -> None:
        self.beginResetModel()
        self.cells, self.errors = cells[: PREVIEW_ROWS + 1], errors
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else max(len(self.cells) - 1, 0)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() or not self.cells else len(self.cells[0])

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.cells[0][section] if self.cells and section < len(self.cells[0]) else ""
        return str(section + 2)  # the row number as the file shows it

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self.cells[index.row() + 1]
        file_row = index.row() + 2
        if role == Qt.ItemDataRole.DisplayRole:
            return row[index.column()] if index.column() < len(row) else ""
        if role == Qt.ItemDataRole.BackgroundRole and file_row in self.errors:
            return QBrush(QColor("#f8d0d0"))
        if role == Qt.ItemDataRole.ToolTipRole and file_row in self.errors:
            return self.errors[file_row]
        return None


class _Progress(QObject):
    """Carries progress from the worker thread to the progress bar (a queued signal)."""

    moved = Signal(int, int)


class ImportDialog(QDialog):
    """Attributes for tests: ``kind``, ``path``, ``skip_invalid``, ``check_button``,
    ``import_button``, ``cancel_button``, ``progress``, ``summary``, ``preview``, ``result_``.

    Signals: checked() after the dry run is shown; imported() after the import was written.
    """

    checked = Signal()
    imported = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("名簿の取り込み（CSV・Excel）"))
        self.result_: importers.ImportResult | None = None
        self._task: Task | None = None
        self._stop = threading.Event()
        self._signals = _Progress(self)
        self.kind = QComboBox(self)
        self.kind.addItem(self.tr("世帯・世帯員の名簿（1人1行）"), "households")
        self.kind.addItem(self.tr("会場の一覧"), "venues")
        self.kind.addItem(self.tr("食事の記録"), "meals")
        self.path = QLineEdit(self)
        browse = QPushButton(self.tr("参照(&B)…"), self)
        browse.clicked.connect(self._browse)
        self.skip_invalid = QCheckBox(
            self.tr("誤りのある行を除いて取り込む（除いた行は別ファイルに保存）"), self
        )
        self.check_button = QPushButton(self.tr("内容を確認(&C)"), self)
        self.import_button = QPushButton(self.tr("取り込む(&I)"), self)
        self.import_button.setEnabled(False)
        self.cancel_button = QPushButton(self.tr("中止"), self)
        self.cancel_button.setEnabled(False)
        self.close_button = QPushButton(self.tr("閉じる"), self)
        self.progress = QProgressBar(self)
        self.progress.hide()
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.model = PreviewModel(self)
        self.preview = QTableView(self)
        self.preview.setModel(self.model)
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self._signals.moved.connect(self._moved)
        self.path.textChanged.connect(lambda _t: self.import_button.setEnabled(False))
        self.kind.currentIndexChanged.connect(lambda _i: self.import_button.setEnabled(False))
        self.skip_invalid.toggled.connect(lambda _c: self._update_import_button())

        form = QFormLayout()
        form.addRow(self.tr("種類(&K)"), self.kind)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        form.addRow(self.tr("ファイル(&F)"), file_row)
        buttons = QHBoxLayout()
        for button in (self.check_button, self.import_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.skip_invalid)
        layout.addLayout(buttons)
        layout.addWidget(self.summary)
        layout.addWidget(self.preview, 1)
        self.resize(980, 640)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            self.tr("取り込むファイル"),
            self.path.text(),
            self.tr("名簿 (*.csv *.xlsx);;すべてのファイル (*)"),
        )
        if path:
            self.path.setText(path)

    def _function(self) -> Callable[..., importers.ImportResult]:
        return {
            "households": importers.import_households,
            "venues": importers.import_venues,
            "meals": importers.import_meals,
        }[str(self.kind.currentData())]

    def _start(self, *, dry_run: bool) -> None:
        path = Path(self.path.text().strip()).expanduser()
        function, db = self._function(), self.ctx.db
        skip, signals, stop = self.skip_invalid.isChecked(), self._signals, self._stop
        stop.clear()

        def work() -> tuple[importers.ImportResult, list[list[str]]]:
            result = function(
                db,
                path,
                dry_run=dry_run,
                skip_invalid=skip and not dry_run,
                progress=lambda done, total: signals.moved.emit(done, total),
                cancelled=stop.is_set,
            )
            return result, read_cells(path) if dry_run else []

        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        done = self._checked if dry_run else self._imported
        self._task = run_in_background(work, done, self._failed)

    def check(self) -> None:
        """A dry run: what the file would create, update or reject; nothing is written."""
        self._start(dry_run=True)

    def run_import(self) -> None:
        self._start(dry_run=False)

    def cancel(self) -> None:
        self._stop.set()  # the importer stops at its next row and rolls back

    def _moved(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _describe(self, result: importers.ImportResult) -> str:
        text = (
            self.tr("新規 %1・更新 %2・変更なし %3・誤りのある行 %4")
            .replace("%1", str(result.created))
            .replace("%2", str(result.updated))
            .replace("%3", str(result.unchanged))
            .replace("%4", str(len(result.rejected)))
        )
        extra = [*result.notices, *result.updated_fields[:20]]
        row_word = self.tr("行")
        extra += [f"{row_word}{e.row} {e.column}：{e.message}" for e in result.rejected[:30]]
        return "\n".join([text, *extra])

    def _checked(self, payload: tuple[importers.ImportResult, list[list[str]]]) -> None:
        result, cells = payload
        self._finish()
        self.result_ = result
        errors: dict[int, str] = {}
        for error in result.rejected:
            errors[error.row] = errors.get(error.row, "") + f"{error.column}：{error.message}\n"
        self.model.set_data(cells, errors)
        self.summary.setText(
            self.tr("確認の結果（まだ保存していません）：") + self._describe(result)
        )
        self._update_import_button()
        self.checked.emit()

    def _update_import_button(self) -> None:
        result = self.result_
        ready = result is not None and result.dry_run
        self.import_button.setEnabled(
            bool(ready and (not result.rejected or self.skip_invalid.isChecked()))  # type: ignore[union-attr]
        )

    def _imported(self, payload: tuple[importers.ImportResult, list[list[str]]]) -> None:
        result, _cells = payload
        self._finish()
        self.result_ = result
        text = self.tr("取り込みました：") + self._describe(result)
        if result.rejected_file is not None:
            text += "\n" + self.tr("除いた行：%1").replace("%1", str(result.rejected_file))
        self.summary.setText(text)
        self.import_button.setEnabled(False)
        self.ctx.bus.changed.emit("household")
        self.ctx.bus.changed.emit("venue")
        self.imported.emit()

    def _failed(self, exc: EvacError) -> None:
        """The task hands over our own message only (ui/tasks.py); never the exception's text,
        which for a refused row holds its values (names, phone numbers)."""
        self._finish()
        self.summary.setText(error_text(exc, self.ctx.db))

    def _finish(self) -> None:
        self._task = None
        self.progress.hide()
        self.check_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
