"""The import wizard: choose a file, see what it would do (rows with errors highlighted), then
import it, off the UI thread with progress; nothing is written before the user confirms.

When a choice column holds values that are no choice, the check lists them in a mapping table
(:mod:`.mapping`): the user picks a choice for each (or leaves it refused) and checks again,
which re-runs with the mapping. The mapping is remembered for the next file of the same name
(:mod:`evacsupport.importers.remembered`) and comes back preselected.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
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
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport import importers
from evacsupport.errors import EvacError
from evacsupport.importers import remembered
from evacsupport.importers._common import read_cells
from evacsupport.services.changes import Changes
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.operations import Cancelled, Operation, Progress
from evacsupport.ui.views.imports.mapping import TARGET, MappingModel, mapping_view
from evacsupport.ui.widgets.screen_fit import fit_to_screen

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


class _Payload:
    """What a background run hands back: the result, the file's cells for the preview (dry
    runs only) and whether the mapping could be remembered."""

    def __init__(
        self, result: importers.ImportResult, cells: list[list[str]], remembered: bool
    ) -> None:
        self.result, self.cells, self.remembered = result, cells, remembered


class ImportDialog(QDialog):
    """Attributes for tests: ``kind``, ``path``, ``skip_invalid``, ``check_button``,
    ``import_button``, ``cancel_button``, ``progress``, ``summary``, ``preview``, ``result_``,
    ``mapping_box`` (the mapping step), ``mapping_model``, ``mapping_table``, ``mapping_hint``.

    Signals: checked() after the dry run is shown; imported() after the import was written.
    """

    checked = Signal()
    imported = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(self.tr("名簿の取り込み（CSV・Excel）"))
        self.result_: importers.ImportResult | None = None
        # The value mapping for the file last checked: remembered, then as the user changes it.
        self._mapping: dict[str, dict[str, str]] = {}
        self._mapping_for: tuple[str, str] | None = None
        self._op: Operation | None = None
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
        self.summary.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        # Up to 30 refused rows and 20 changes: scrolled, so the dialog never outgrows a laptop
        self._summary_area = QScrollArea(self)
        self._summary_area.setWidgetResizable(True)
        self._summary_area.setFrameShape(QFrame.Shape.NoFrame)
        self._summary_area.setWidget(self.summary)
        self.model = PreviewModel(self)
        self.preview = QTableView(self)
        self.preview.setModel(self.model)
        self.mapping_model = MappingModel(self)
        self.mapping_box = QWidget(self)
        self.mapping_table = mapping_view(self.mapping_model, self.mapping_box)
        mapping_label = QLabel(
            self.tr(
                "選択肢にない値(&M)：取り込む値を選ぶと、その値の行をすべて取り込めます"
                "（F2 キーで選択、次回も同じ名前のファイルに使います）"
            ),
            self.mapping_box,
        )
        mapping_label.setWordWrap(True)
        mapping_label.setBuddy(self.mapping_table)
        self.mapping_hint = QLabel(self.mapping_box)
        self.mapping_hint.setWordWrap(True)
        mapping_layout = QVBoxLayout(self.mapping_box)
        mapping_layout.setContentsMargins(0, 0, 0, 0)
        mapping_layout.addWidget(mapping_label)
        mapping_layout.addWidget(self.mapping_table, 1)
        mapping_layout.addWidget(self.mapping_hint)
        self.mapping_box.hide()
        self.mapping_model.dataChanged.connect(lambda *_a: self._mapping_changed())
        self.check_button.clicked.connect(self.check)
        self.import_button.clicked.connect(self.run_import)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.reject)
        self.path.textChanged.connect(lambda _t: self._file_changed())
        self.kind.currentIndexChanged.connect(lambda _i: self._file_changed())
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
        self._splitter = QSplitter(Qt.Orientation.Vertical, self)
        self._splitter.addWidget(self._summary_area)
        self._splitter.addWidget(self.mapping_box)
        self._splitter.addWidget(self.preview)
        self._splitter.setChildrenCollapsible(False)
        self._splitter.setStretchFactor(2, 1)
        layout.addWidget(self._splitter, 1)
        fit_to_screen(self, QSize(980, 640))  # the preview table uses any room there is

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

    def _file_changed(self) -> None:
        """Another file or kind: the last check and its mapping no longer apply."""
        self.import_button.setEnabled(False)
        self.mapping_model.set_entries([])
        self.mapping_box.hide()

    def _mapping_changed(self) -> None:
        """A choice changed in the mapping table: the check shown is out of date until the
        user checks again, so importing waits for that."""
        self.mapping_model.merge_into(self._mapping)
        self.import_button.setEnabled(False)
        self.mapping_hint.setText(
            self.tr("対応付けを変えました。「内容を確認」を押すと、この対応付けで確かめ直します。")
        )

    def _start(self, *, dry_run: bool) -> None:
        path = Path(self.path.text().strip()).expanduser()
        kind = str(self.kind.currentData())
        function, db = self._function(), self.ctx.db
        skip = self.skip_invalid.isChecked()
        if self._mapping_for != (kind, str(path)):
            self._mapping = remembered.load(kind, path)
            self._mapping_for = (kind, str(path))
        # Every target in the dialog's mapping was picked from the column's own choices, so
        # it is given as remembered: what no longer fits the file is passed over, not refused.
        mapping = {column: dict(values) for column, values in self._mapping.items()}

        def work(progress: Progress, cancelled: Cancelled) -> _Payload:
            result = function(
                db,
                path,
                dry_run=dry_run,
                skip_invalid=skip and not dry_run,
                progress=progress,
                cancelled=cancelled,
                remembered=mapping,
            )
            kept = remembered.remember(kind, path, result.unmatched)
            return _Payload(result, read_cells(path) if dry_run else [], kept)

        self.check_button.setEnabled(False)
        self.import_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress.setRange(0, 0)
        self.progress.show()
        done = self._checked if dry_run else self._imported
        # a check reads; an import writes, after any other write the window started
        self._op = Operation(work, write=not dry_run, parent=self)
        self._op.progressed.connect(self._moved)
        self._op.start(done, self._failed)

    def check(self) -> None:
        """A dry run: what the file would create, update or reject; nothing is written."""
        self._start(dry_run=True)

    def run_import(self) -> None:
        self._start(dry_run=False)

    def cancel(self) -> None:
        if self._op is not None:
            self._op.stop()  # the importer stops at its next row and rolls back

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
        extra = list(result.notices)
        refused = sum(1 for u in result.unmatched if not u.target)
        if refused:
            extra.append(
                self.tr("選択肢にない値が %1 種類あります。下の表で取り込む値を選べます。").replace(
                    "%1", str(refused)
                )
            )
        extra += result.updated_fields[:20]
        row_word = self.tr("行")
        extra += [f"{row_word}{e.row} {e.column}：{e.message}" for e in result.rejected[:30]]
        return "\n".join([text, *extra])

    def _show_mapping(self, payload: _Payload) -> None:
        self.mapping_model.set_entries(payload.result.unmatched)
        self.mapping_box.setVisible(bool(payload.result.unmatched))
        self.mapping_hint.setText(
            ""
            if payload.remembered
            else self.tr(
                "対応付けを保存できませんでした（%1）。次回もう一度選んでください。"
            ).replace("%1", str(remembered.path()))
        )
        if payload.result.unmatched and not self.mapping_table.currentIndex().isValid():
            self.mapping_table.setCurrentIndex(self.mapping_model.index(0, TARGET))

    def _fit(self) -> None:
        """The summary and the mapping table as tall as their text and rows need (at most a
        quarter and 40 % of the space, then they scroll); the preview keeps the rest."""
        total = sum(self._splitter.sizes())
        width = self._summary_area.viewport().width()
        summary = min(self.summary.heightForWidth(width) + 4, total // 4)
        mapping = 0
        if not self.mapping_box.isHidden():
            view = self.mapping_table
            rows = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
            rows += self.mapping_model.rowCount() * view.verticalHeader().defaultSectionSize()
            around = self.mapping_box.sizeHint().height() - view.sizeHint().height()
            mapping = min(around + rows, total * 2 // 5)
        self._splitter.setSizes([summary, mapping, max(total - summary - mapping, 0)])

    def _checked(self, payload: _Payload) -> None:
        result, cells = payload.result, payload.cells
        self._finish()
        self.result_ = result
        errors: dict[int, str] = {}
        for error in result.rejected:
            errors[error.row] = errors.get(error.row, "") + f"{error.column}：{error.message}\n"
        self.model.set_data(cells, errors)
        self._show_mapping(payload)
        self.summary.setText(
            self.tr("確認の結果（まだ保存していません）：") + self._describe(result)
        )
        self._fit()
        self._update_import_button()
        self.checked.emit()

    def _update_import_button(self) -> None:
        result = self.result_
        ready = result is not None and result.dry_run
        self.import_button.setEnabled(
            bool(ready and (not result.rejected or self.skip_invalid.isChecked()))  # type: ignore[union-attr]
        )

    def _imported(self, payload: _Payload) -> None:
        result = payload.result
        self._finish()
        self.result_ = result
        self._show_mapping(payload)
        text = self.tr("取り込みました：") + self._describe(result)
        if result.rejected_file is not None:
            text += "\n" + self.tr("除いた行：%1").replace("%1", str(result.rejected_file))
        self.summary.setText(text)
        self._fit()
        self.import_button.setEnabled(False)
        self.ctx.bus.announce(Changes.everything(), self)
        self.imported.emit()

    def _failed(self, exc: EvacError) -> None:
        """The task hands over our own message only (ui/tasks.py); never the exception's text,
        which for a refused row holds its values (names, phone numbers)."""
        self._finish()
        self.summary.setText(error_text(exc, self.ctx.db))
        self._fit()

    def _finish(self) -> None:
        self._op = None
        self.progress.hide()
        self.check_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
