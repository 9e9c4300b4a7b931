"""Table model for the household list.

It holds the whole caseload as plain rows and filters and sorts them in memory, so typing in the
search box never waits for the database (see :mod:`evacsupport.services.caseload`). The rows are
kept sorted, so a keystroke only filters; typing on filters just the rows already on show.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Collection
from datetime import date
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from evacsupport.domain.codes import EvacuationStatus, label
from evacsupport.domain.normalize import search_key
from evacsupport.services.caseload import CaseRow, filter_rows
from evacsupport.services.risk import RiskLevel

Index = QModelIndex | QPersistentModelIndex

DISPLAY = int(Qt.ItemDataRole.DisplayRole)
TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
BACKGROUND = int(Qt.ItemDataRole.BackgroundRole)
ALIGNMENT = int(Qt.ItemDataRole.TextAlignmentRole)
RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
RISK_COLOURS = {RiskLevel.HIGH: QColor("#f8d0d0"), RiskLevel.WATCH: QColor("#fdf0c4")}


_ROLES = frozenset((DISPLAY, TOOLTIP, BACKGROUND, ALIGNMENT, int(Qt.ItemDataRole.UserRole) + 1))


def _status_label(code: str) -> str:
    try:
        return label(EvacuationStatus(code))
    except ValueError:
        return code


class HouseholdTableModel(QAbstractTableModel):
    """All case rows, the filtered subset on show; ``ROW_ROLE`` gives the :class:`CaseRow`."""

    ROW_ROLE = int(Qt.ItemDataRole.UserRole) + 1

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._all: list[CaseRow] = []
        self._rows: list[CaseRow] = []
        self._filter: dict[str, Any] = {}
        self._sort: tuple[int, Qt.SortOrder] | None = None
        self._columns: list[tuple[str, Callable[[CaseRow], Any]]] = [
            (self.tr("世帯番号"), lambda r: r.case_number),
            (self.tr("世帯主"), lambda r: r.head_name),
            (self.tr("フリガナ"), lambda r: r.head_kana),
            (self.tr("人数"), lambda r: r.member_count),
            (self.tr("避難元"), lambda r: r.origin_name),
            (self.tr("避難形態"), lambda r: _status_label(r.evacuation_status)),
            (self.tr("利用会場"), lambda r: r.venue_name),
            (self.tr("最終接触"), lambda r: r.last_contact),
            (self.tr("要注意"), self._risk_text),
        ]

    def _risk_text(self, row: CaseRow) -> str:
        if row.status != "active":
            return self.tr("支援終了")
        return {RiskLevel.HIGH: self.tr("高"), RiskLevel.WATCH: self.tr("注意")}.get(
            row.risk.level, ""
        )

    # --- data in -------------------------------------------------------------------------------
    def set_rows(self, rows: list[CaseRow]) -> None:
        self._all = list(rows)
        if self._sort is not None:  # kept in the shown order, so filtering never sorts
            self._sort_list(self._all, *self._sort)
        self._apply()

    def replace_rows(self, rows: list[CaseRow], ids: Collection[uuid.UUID]) -> None:
        """The rows of ``ids`` as read again (one left out of ``rows`` was deleted). When the
        rows on show stay the same ones in the same order (a meal changed a last contact),
        only their cells repaint, and the selection and the scroll stay where they were."""
        fresh = {row.id: row for row in rows}
        kept = [row for row in self._all if row.id not in ids]
        self._all = kept + rows
        if self._sort is not None:
            self._sort_list(self._all, *self._sort)
        shown = filter_rows(self._all, **self._filter)
        if [r.id for r in shown] != [r.id for r in self._rows]:
            self.beginResetModel()
            self._rows = shown
            self.endResetModel()
            return
        self._rows = shown
        for i, row in enumerate(shown):
            if row.id in fresh:
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(self._columns) - 1))

    def set_filter(self, **criteria: Any) -> None:
        """Criteria as :func:`filter_rows` takes them (text, status, origin, venue_id, at_risk)."""
        previous = self._filter
        self._filter = criteria
        # Typing on narrows the rows on show: only they need testing again.
        narrowing = (
            previous
            and {k: v for k, v in previous.items() if k != "text"}
            == {k: v for k, v in criteria.items() if k != "text"}
            and search_key(criteria.get("text", "")).startswith(
                search_key(previous.get("text", ""))
            )
        )
        self._apply(self._rows if narrowing else None)

    def _apply(self, within: list[CaseRow] | None = None) -> None:
        self.beginResetModel()
        self._rows = filter_rows(self._all if within is None else within, **self._filter)
        self.endResetModel()

    def total(self) -> int:
        return len(self._all)

    def row_at(self, row: int) -> CaseRow:
        return self._rows[row]

    def row_of(self, case_number: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.case_number == case_number), -1)

    # --- Qt model API --------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._columns[section][0]
        return None

    def data(self, index: Index, role: int = DISPLAY) -> Any:
        # Called for every role of every visible cell on each repaint (about 1,400 calls per
        # keystroke): the roles the list never sets leave at once.
        if role not in _ROLES:
            return None
        i = index.row()
        if not 0 <= i < len(self._rows) or not index.isValid():
            return None
        row = self._rows[i]
        if role == DISPLAY:
            value = self._columns[index.column()][1](row)
            return value.isoformat() if isinstance(value, date) else value
        if role == self.ROW_ROLE:
            return row
        if role == TOOLTIP:
            return "\n".join(row.risk.reasons) if row.risk.reasons else None
        if role == BACKGROUND:
            colour = RISK_COLOURS.get(row.risk.level)
            return QBrush(colour) if colour and index.column() == len(self._columns) - 1 else None
        if index.column() == 3:  # alignment
            return RIGHT
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        self._sort_list(self._all, column, order)
        self._sort_list(self._rows, column, order)
        self.layoutChanged.emit()

    def _sort_list(self, rows: list[CaseRow], column: int, order: Qt.SortOrder) -> None:
        getter = self._columns[column][1]
        if column == len(self._columns) - 1:
            getter = lambda r: r.risk.level  # noqa: E731 - risk sorts by level, not by its text

        def key(row: CaseRow) -> tuple[bool, Any]:
            value = getter(row)
            return (value is None or value == "", value if value is not None else "")

        rows.sort(key=key, reverse=order == Qt.SortOrder.DescendingOrder)
