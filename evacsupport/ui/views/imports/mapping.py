"""The import dialog's mapping step: each value of a choice column that is no choice, with how
many rows have it, and the choice the user maps it to (or none, leaving those rows refused).

A table model and a combo-box delegate rather than a widget per row: a list may have dozens of
odd values, and the table is worked with the keyboard like any other (arrows to move, F2 or any
key to open the choices, Enter to take one, Tab to leave the table).
"""

from __future__ import annotations

import dataclasses
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from evacsupport.domain.vocabulary import fold
from evacsupport.importers.choices import Unmatched

Index = QModelIndex | QPersistentModelIndex
COLUMN, VALUE, ROWS, TARGET = range(4)
CHOICES_ROLE = Qt.ItemDataRole.UserRole + 1  # the (code, label) pairs of a row's column


class MappingModel(QAbstractTableModel):
    """One row per odd value; the last column is the choice it is mapped to ("" = refused)."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.entries: list[Unmatched] = []

    def set_entries(self, entries: list[Unmatched]) -> None:
        self.beginResetModel()
        self.entries = list(entries)
        self.endResetModel()

    def merge_into(self, mapping: dict[str, dict[str, str]]) -> None:
        """Put the table's choices into ``mapping`` (a refused value takes out an older
        choice for it), leaving its other values alone."""
        for entry in self.entries:
            values = mapping.setdefault(entry.column, {})
            for value in [v for v in values if fold(v) == fold(entry.value)]:
                del values[value]
            if entry.target:
                values[entry.value] = entry.target

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.entries)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or orientation != Qt.Orientation.Horizontal:
            return None
        titles = (self.tr("列"), self.tr("ファイルの値"), self.tr("行数"), self.tr("取り込む値"))
        return titles[section] if 0 <= section < len(titles) else None

    def refused_text(self) -> str:
        return self.tr("（取り込まない）")

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.entries):
            return None
        entry, column = self.entries[index.row()], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if column == COLUMN:
                return entry.column
            if column == VALUE:
                return entry.value
            if column == ROWS:
                return str(entry.rows)
            return entry.target_label if entry.target else self.refused_text()
        if role == Qt.ItemDataRole.EditRole and column == TARGET:
            return entry.target
        if role == CHOICES_ROLE and column == TARGET:
            return list(entry.choices)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == ROWS:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.BackgroundRole and column == TARGET and not entry.target:
            return QBrush(QColor("#f8d0d0"))  # as the preview marks refused rows
        if role == Qt.ItemDataRole.ToolTipRole and column == TARGET:
            return self.tr(
                "F2 キーかダブルクリックで選びます。"
                "「（取り込まない）」のままの値の行は取り込みません"
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == TARGET else base

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or index.column() != TARGET or not index.isValid():
            return False
        entry = self.entries[index.row()]
        code = str(value or "")
        if code and code not in dict(entry.choices):
            return False
        if code == entry.target:
            return True
        self.entries[index.row()] = dataclasses.replace(entry, target=code, remembered=False)
        self.dataChanged.emit(index, index, [Qt.ItemDataRole.DisplayRole])
        return True


class _ChoiceCombo(QComboBox):
    """The editor: Enter takes the choice and goes no further. A plain combo box passes the
    key on to the dialog, whose default button would then be pressed as well."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            event.accept()  # the delegate has already queued the commit
            return
        super().keyPressEvent(event)


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box of "(not imported)" and the column's choices for the target cell."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: Index) -> QWidget:
        combo = _ChoiceCombo(parent)
        model = index.model()
        refused = model.refused_text() if isinstance(model, MappingModel) else ""
        combo.addItem(refused, "")
        for code, text in index.data(CHOICES_ROLE) or []:
            combo.addItem(text, code)
        # a choice taken with the mouse applies at once, as Enter does from the keyboard
        combo.activated.connect(lambda _i: self._commit(combo))
        return combo

    def _commit(self, combo: QComboBox) -> None:
        self.commitData.emit(combo)
        self.closeEditor.emit(combo)

    def setEditorData(self, editor: QWidget, index: Index) -> None:
        if isinstance(editor, QComboBox):
            found = editor.findData(index.data(Qt.ItemDataRole.EditRole) or "")
            editor.setCurrentIndex(max(found, 0))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: Index) -> None:
        if isinstance(editor, QComboBox):
            model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def mapping_view(model: MappingModel, parent: QWidget) -> QTableView:
    """The table, set up for the keyboard: Tab leaves it, typing or F2 opens the choices."""
    view = QTableView(parent)
    view.setModel(model)
    view.setItemDelegateForColumn(TARGET, ChoiceDelegate(view))
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(
        QAbstractItemView.EditTrigger.DoubleClicked
        | QAbstractItemView.EditTrigger.SelectedClicked
        | QAbstractItemView.EditTrigger.EditKeyPressed
        | QAbstractItemView.EditTrigger.AnyKeyPressed
    )
    view.setTabKeyNavigation(False)
    view.verticalHeader().hide()
    header = view.horizontalHeader()
    header.setSectionResizeMode(COLUMN, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(VALUE, QHeaderView.ResizeMode.Stretch)
    header.setSectionResizeMode(ROWS, QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(TARGET, QHeaderView.ResizeMode.Stretch)
    return view
