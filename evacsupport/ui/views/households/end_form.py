"""The inline form that ends a household's venue referral: a date and a required reason.

Inline rather than a modal dialog, so the coordinator still sees the venue being ended, and tests
drive it without a modal loop.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QLineEdit, QPushButton, QWidget

from evacsupport.errors import FieldError
from evacsupport.ui.widgets.fields import DateField, FieldMessage

REASON_MAX = 500


class EndAssignmentForm(QWidget):
    """終了日, 終了の理由, 終了を登録 and やめる; hidden until :meth:`start`.

    Attributes: ``date``, ``reason``, ``confirm``, ``cancel``, ``message`` (errors, in red).

    Signals:
        confirmed(): 終了を登録 or Enter in a field.
        cancelled(): やめる.
    """

    confirmed = Signal()
    cancelled = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.date = DateField(self)
        self.date.setPlaceholderText(self.tr("例：2024-06-30、R6.6.30"))
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(self.tr("例：仮設住宅へ転居、家族の希望"))
        self.reason.setMaxLength(REASON_MAX)
        self.confirm = QPushButton(self.tr("終了を登録"), self)
        self.cancel = QPushButton(self.tr("やめる"), self)
        for button in (self.confirm, self.cancel):
            button.setAutoDefault(False)  # Enter in the fields is handled below, once
        self.message = FieldMessage(self, wrap=True)
        self.reason.returnPressed.connect(self.confirmed)
        self.date.returnPressed.connect(self.confirmed)
        self.confirm.clicked.connect(self.confirmed)
        self.cancel.clicked.connect(self.cancelled)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        date_label = QLabel(self.tr("終了日"), self)
        date_label.setBuddy(self.date)
        reason_label = QLabel(self.tr("終了の理由"), self)
        reason_label.setBuddy(self.reason)
        grid.addWidget(date_label, 0, 0)
        grid.addWidget(self.date, 0, 1)
        grid.addWidget(self.date.hint, 0, 2, 1, 3)
        grid.addWidget(reason_label, 1, 0)
        grid.addWidget(self.reason, 1, 1, 1, 2)
        grid.addWidget(self.confirm, 1, 3)
        grid.addWidget(self.cancel, 1, 4)
        grid.addWidget(self.message, 2, 1, 1, 4)
        grid.setColumnStretch(2, 1)
        self.hide()

    def start(self, today: date) -> None:
        """Show the form afresh: today's date, an empty reason with the keyboard focus."""
        self.date.set_date(today)
        self.reason.clear()
        self.message.show_message("")
        self.show()
        self.reason.setFocus()

    def close_form(self) -> None:
        self.hide()
        self.message.show_message("")

    def show_errors(self, errors: list[FieldError]) -> None:
        labels = {"end_on": self.tr("終了日"), "reason": self.tr("終了の理由")}
        self.message.show_message(
            "\n".join(f"{labels.get(e.field, e.field)}：{e.message()}" for e in errors)
        )
