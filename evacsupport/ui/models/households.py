"""Table model for the household list: holds plain rows from the service, never a widget per row."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from evacsupport.domain.codes import EvacuationStatus, label
from evacsupport.domain.normalize import format_phone
from evacsupport.services.households import HouseholdRow

Index = QModelIndex | QPersistentModelIndex


class HouseholdTableModel(QAbstractTableModel):
    """Rows of :class:`HouseholdRow`; ``ROW_ROLE`` gives the row object to views and tests."""

    ROW_ROLE = Qt.ItemDataRole.UserRole + 1

    COLUMNS = ("case_number", "head_name", "head_kana", "members", "origin", "status", "phone")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[HouseholdRow] = []

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("世帯番号"),
            self.tr("世帯主"),
            self.tr("フリガナ"),
            self.tr("人数"),
            self.tr("避難元"),
            self.tr("避難形態"),
            self.tr("電話番号"),
        )

    def set_rows(self, rows: list[HouseholdRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> HouseholdRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == self.ROW_ROLE:
            return row
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == "members":
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    @staticmethod
    def _display(row: HouseholdRow, column: str) -> Any:
        if column == "case_number":
            return row.case_number
        if column == "head_name":
            return row.head_name
        if column == "head_kana":
            return row.head_kana
        if column == "members":
            return row.member_count
        if column == "origin":
            return row.origin_municipality_name
        if column == "status":
            try:
                return label(EvacuationStatus(row.evacuation_status))
            except ValueError:
                return row.evacuation_status
        if column == "phone":
            return format_phone(row.phone)
        return None
