"""Which household? A search by name, furigana, case number or phone, for recording a visit or
a check-in from a section that lists every household's records."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, QSize, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evacsupport.services.households import HouseholdRow
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.screen_fit import fit_to_screen

SEARCH_DELAY_MS = 200
MAX_ROWS = 50


class HouseholdPicker(QDialog):
    """Attributes: ``search`` (the line), ``model`` and ``table`` (the households found),
    ``chosen`` (the household's id once accepted), ``buttons``."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.chosen: uuid.UUID | None = None
        self.setWindowTitle(title)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("氏名・フリガナ・世帯番号・電話番号の一部"))
        self.search.setClearButtonEnabled(True)
        caption = QLabel(self.tr("世帯を検索(&F)"), self)
        caption.setBuddy(self.search)
        self.model: RecordTableModel[HouseholdRow] = RecordTableModel(
            [
                Column(self.tr("世帯番号"), lambda r: r.case_number),
                Column(self.tr("世帯主"), lambda r: r.head_name),
                Column(self.tr("フリガナ"), lambda r: r.head_kana),
                Column(self.tr("人数"), lambda r: r.member_count, numeric=True),
                Column(self.tr("電話番号"), lambda r: r.phone),
            ],
            self,
        )
        self.table = make_table(self.model, self)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.activated.connect(lambda _index: self.accept())
        self.hint = QLabel(self)
        self.hint.setStyleSheet("color: #555;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(caption)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.hint)
        layout.addWidget(self.buttons)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.look_up)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self._enter)
        self.search.installEventFilter(self)
        fit_to_screen(self, QSize(640, 420))
        self.look_up()
        self.search.setFocus()

    def look_up(self) -> None:
        """The households matching what is typed (active ones only: a closed case is not
        visited), the first one selected so Enter takes it."""
        self._timer.stop()
        rows = self.ctx.households.search(
            self.search.text(), include_closed=False, limit=MAX_ROWS + 1
        )
        self.model.set_rows(rows[:MAX_ROWS])
        if rows:
            self.table.selectRow(0)
        self.hint.setText(
            self.tr("該当する世帯がありません")
            if not rows
            else self.tr("上位 %1 件を表示しています。絞り込んでください").replace(
                "%1", str(MAX_ROWS)
            )
            if len(rows) > MAX_ROWS
            else ""
        )

    def _enter(self) -> None:
        self.look_up()  # what was typed last, even before the timer fired
        if self.model.rowCount():
            self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up and Down in the search line move through the households found."""
        moves = {Qt.Key.Key_Down: 1, Qt.Key.Key_Up: -1}
        if (
            watched is self.search
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in moves
        ):
            row = self.table.currentIndex().row()
            target = min(max(row + moves[Qt.Key(event.key())], 0), self.model.rowCount() - 1)
            if target >= 0:
                self.table.selectRow(target)
            return True
        return super().eventFilter(watched, event)

    def accept(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            return  # nothing chosen: the dialog stays
        self.chosen = self.model.rows()[index.row()].id
        super().accept()
