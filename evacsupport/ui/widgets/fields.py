"""Reusable inputs: inline error labels, wareki-aware dates, choice lists, allergen checklist."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain import allergens
from evacsupport.domain.codes import label
from evacsupport.domain.wareki import format_wareki, parse_date
from evacsupport.errors import InvalidValue

ERROR_STYLE = "color: #b00020;"


class FieldMessage(QLabel):
    """A field's error, shown right under it in red; hidden while there is nothing to say."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        self.setWordWrap(True)
        self.hide()

    def show_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


class DateField(QLineEdit):
    """A date typed as 2024-01-01, 令和6年1月1日, R6.1.1 or S45.3.2; shows how it was read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("例：S20.5.3、昭和20年5月3日、1945-05-03"))
        # a whole date, however narrow its row: a squeezed field showed "-12-03"
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 24)
        # no parent: the hint shows only where a form places it in a layout
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self.textChanged.connect(self._update_hint)

    def _update_hint(self, text: str) -> None:
        try:
            parsed = parse_date(text, allow_empty=True)
        except InvalidValue:
            self.hint.setText("")
            return
        self.hint.setText(f"＝ {parsed:%Y-%m-%d}（{format_wareki(parsed)}）" if parsed else "")

    def set_date(self, value: date | None) -> None:
        self.setText(value.isoformat() if value else "")


class ChoiceCombo(QComboBox):
    """The labels of a code list; ``code()`` gives the stored code of the chosen label."""

    def __init__(
        self, enum: type[StrEnum], parent: QWidget | None = None, *, blank: bool = False
    ) -> None:
        super().__init__(parent)
        if blank:
            self.addItem("", "")
        for member in enum:
            self.addItem(label(member), member.value)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        self.setCurrentIndex(max(index, 0))


class AllergenPicker(QWidget):
    """The Japanese labelling list as check boxes: the 8 mandatory ones first, then the 20 others.

    Signals:
        changed(): a box was ticked or unticked.
    """

    changed = Signal()
    COLUMNS = 7

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, names in (
            (self.tr("特定原材料（表示義務）"), allergens.mandatory()),
            (self.tr("特定原材料に準ずるもの"), allergens.recommended()),
        ):
            heading = QLabel(title, self)
            heading.setStyleSheet("font-weight: bold;")
            layout.addWidget(heading)
            grid = QGridLayout()
            for i, name in enumerate(names):
                box = QCheckBox(allergens.display(name), self)  # kept by its Japanese name
                box.toggled.connect(self.changed)
                self.boxes[name] = box
                grid.addWidget(box, i // self.COLUMNS, i % self.COLUMNS)
            layout.addLayout(grid)

    def values(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def set_values(self, names: Iterable[str]) -> None:
        wanted = set(names)
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(name in wanted)
            box.blockSignals(False)
        self.changed.emit()


def set_tab_order(widgets: Sequence[QWidget]) -> None:
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)
