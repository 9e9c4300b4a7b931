"""The roster of households assigned to the venue, with a tick per household that came."""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)

from evacsupport.domain.allergens import display_list
from evacsupport.services.meals import HouseholdCard

Index = QModelIndex | QPersistentModelIndex


class RosterModel(QAbstractTableModel):
    """Signals: tick(case_number: str, ticked: bool) when staff tick or untick a household."""

    tick = Signal(str, bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rows: list[tuple[HouseholdCard, bool]] = []
        self._headers = [
            self.tr("来た"),
            self.tr("世帯番号"),
            self.tr("世帯主"),
            self.tr("人数"),
            self.tr("アレルギー"),
        ]

    def set_rows(self, rows: list[tuple[HouseholdCard, bool]]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def mark_served(self, household_id: uuid.UUID) -> None:
        """Tick a household just logged, before the roster is read again."""
        for i, (card, served) in enumerate(self._rows):
            if card.id == household_id and not served:
                self._rows[i] = (card, True)
                self.dataChanged.emit(self.index(i, 0), self.index(i, 0))

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.column() == 0 else base

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        card, served = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.CheckStateRole and column == 0:
            return Qt.CheckState.Checked if served else Qt.CheckState.Unchecked
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                "",
                card.case_number,
                card.head_name,
                len(card.members),
                display_list(card.allergens),
            )[column]
        if role == Qt.ItemDataRole.ForegroundRole and column == 4 and card.allergens:
            from PySide6.QtGui import QColor

            return QColor("#b00020")
        return None

    def setData(self, index: Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.CheckStateRole or index.column() != 0:
            return False
        ticked = Qt.CheckState(value) == Qt.CheckState.Checked
        card, _served = self._rows[index.row()]
        self.tick.emit(card.case_number, ticked)  # the view logs or undoes, then reloads the rows
        return True
