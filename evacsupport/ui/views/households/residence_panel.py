"""Residence history, and a form to record a move (hotel → みなし仮設 → home …)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QGroupBox, QHBoxLayout, QLineEdit, QVBoxLayout, QWidget

from evacsupport.db.models import Residence
from evacsupport.domain import municipalities
from evacsupport.domain.codes import EvacuationStatus, label
from evacsupport.services.residences import MoveInput
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.fields import (
    ChoiceCombo,
    DateField,
    FieldMessage,
    align_captions,
    messages_under,
)

MOVE_FIELDS = ("evacuation_status", "moved_on", "place", "municipality_code")


def _status(code: str) -> str:
    try:
        return label(EvacuationStatus(code))
    except ValueError:
        return code


class ResidencePanel(QWidget):
    """Signals: changed() after any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.history: RecordTableModel[Residence] = RecordTableModel(
            [
                Column(self.tr("転居日"), lambda r: r.moved_on),
                Column(self.tr("避難形態"), lambda r: _status(r.evacuation_status)),
                Column(self.tr("場所"), lambda r: r.place),
                Column(
                    self.tr("市町"),
                    lambda r: getattr(municipalities.get(r.municipality_code), "name", ""),
                ),
            ],
            self,
        )
        self.table = make_table(self.history, self)
        self.move_group = QGroupBox(self.tr("転居を記録する(&M)"), self)
        self.move_group.setCheckable(True)
        self.move_group.setChecked(False)
        self.evacuation_status = ChoiceCombo(EvacuationStatus, self)
        self.moved_on = DateField(self)
        self.place = QLineEdit(self)
        self.place.setPlaceholderText(
            self.tr("新しい住所・施設名（例：石川県金沢市鞍月1-1 みなし仮設）")
        )
        self.messages = {name: FieldMessage(self) for name in MOVE_FIELDS}
        form = QFormLayout(self.move_group)
        date_row = QHBoxLayout()
        date_row.addWidget(self.moved_on)
        date_row.addWidget(self.moved_on.hint)
        for title, field, name in (
            (self.tr("新しい避難形態"), self.evacuation_status, "evacuation_status"),
            (self.tr("転居日"), date_row, "moved_on"),
            (self.tr("場所"), self.place, "place"),
        ):
            shown = [self.messages[name]]
            if name == "place":  # the municipality is read from the place
                shown.append(self.messages["municipality_code"])
            form.addRow(title, messages_under(field, shown))
        align_captions(form)
        for name, message in self.messages.items():
            widget = self.place if name == "municipality_code" else getattr(self, name, None)
            if isinstance(widget, QWidget):
                message.follow(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.move_group)
        self.move_group.toggled.connect(self._default_date)
        self.move_group.toggled.connect(self.changed)
        self.evacuation_status.currentIndexChanged.connect(self.changed)
        self.moved_on.textChanged.connect(self.changed)
        self.place.textChanged.connect(self.changed)

    def _default_date(self, checked: bool) -> None:
        if checked and not self.moved_on.text():
            self.moved_on.set_date(date.today())

    def set_history(self, residences: list[Residence]) -> None:
        self.history.set_rows(
            sorted(residences, key=lambda r: (r.moved_on, r.created_at), reverse=True)
        )

    def move_input(self) -> MoveInput | None:
        if not self.move_group.isChecked():
            return None
        return MoveInput(
            evacuation_status=self.evacuation_status.code(),
            moved_on=self.moved_on.text(),
            place=self.place.text(),
        )

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, widget in self.messages.items():
            widget.show_message(errors.get(name, ""))
