"""The household list: search-as-you-type over names, furigana, case number and phone."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport.services.households import HouseholdService
from evacsupport.ui.models.households import HouseholdTableModel

SEARCH_DELAY_MS = 150


class HouseholdListView(QWidget):
    """Search box over a table of households.

    Signals:
        household_activated(uuid.UUID): the user opened a household (double-click or Enter).
    """

    household_activated = Signal(uuid.UUID)

    def __init__(self, households: HouseholdService, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._households = households
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("householdSearch")
        self.search_box.setPlaceholderText(
            self.tr("氏名・フリガナ・世帯番号・電話番号で検索（ひらがな・半角も可）")
        )
        self.search_box.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.model = HouseholdTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("householdTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._on_activated)

        top = QHBoxLayout()
        search_label = QLabel(self.tr("検索(&F)"), self)
        search_label.setBuddy(self.search_box)
        top.addWidget(search_label)
        top.addWidget(self.search_box, 1)
        top.addWidget(self.count_label)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)
        self.search_box.textChanged.connect(self._timer.start)
        self.search_box.returnPressed.connect(self._focus_first_row)

    def refresh(self) -> None:
        """Run the search now (the timer calls this once typing pauses)."""
        self._timer.stop()
        rows = self._households.search(self.search_box.text())
        self.model.set_rows(rows)
        self.count_label.setText(self.tr("%n 世帯", "", len(rows)))

    def _focus_first_row(self) -> None:
        self.refresh()
        if self.model.rowCount():
            self.table.setFocus()
            self.table.selectRow(0)

    def _on_activated(self, index: QModelIndex) -> None:
        self.household_activated.emit(self.model.row_at(index.row()).id)
