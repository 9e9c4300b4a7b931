"""What the counter shows after a scan: the household's name large, allergens larger, and a tick
box per member so staff can untick someone who did not come."""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from evacsupport.domain.allergens import display_list
from evacsupport.services.meals import HouseholdCard, LoggedMeal

WORD_JOINER = "\u2060"  # invisible; no line break on either side of it


def unbroken_words(*parts: str, sep: str = "　") -> str:
    """``parts`` joined by ``sep``, wrapping only at spaces and separators.

    Qt breaks Japanese between any two characters, which at the counter's size split 世帯
    (さんの世 / 帯), a family name or a case number at its hyphen. A word joiner between the
    letters of each word keeps it whole; the space between family and given name and ``sep``
    stay places to wrap.
    """
    return sep.join(
        " ".join(WORD_JOINER.join(word) for word in part.split(" ")) for part in parts if part
    )


class CardPanel(QFrame):
    """Signals: members_changed(list[uuid.UUID]) when staff untick or tick a member."""

    members_changed = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.status = QLabel(self)
        self.status.setObjectName("counterStatus")
        self.status.setStyleSheet("font-size: 14pt;")
        self.status.setWordWrap(True)
        self.name = QLabel(self)
        self.name.setObjectName("counterName")
        self.name.setStyleSheet("font-size: 26pt; font-weight: bold;")
        self.name.setWordWrap(True)
        self.name.setTextFormat(Qt.TextFormat.PlainText)
        self.allergens = QLabel(self)
        self.allergens.setObjectName("counterAllergens")
        self.allergens.setWordWrap(True)
        self.allergens.setStyleSheet(
            "font-size: 20pt; font-weight: bold; color: white; background: #b00020; padding: 6px;"
        )
        self.allergens.hide()
        self.counts = QLabel(self)
        self.counts.setStyleSheet("font-size: 14pt;")
        self.member_row = QHBoxLayout()
        self.member_boxes: dict[uuid.UUID, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.name)
        layout.addWidget(self.allergens)
        layout.addWidget(self.counts)
        layout.addLayout(self.member_row)
        layout.addStretch(1)

    def clear(self) -> None:
        self.name.clear()
        self.counts.clear()
        self.allergens.hide()
        self._set_members(None)

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        colour = "#b00020" if error else "#1b5e20"
        self.status.setStyleSheet(f"font-size: 14pt; font-weight: bold; color: {colour};")

    def show_card(self, card: HouseholdCard, meal: LoggedMeal | None) -> None:
        self.name.setText(unbroken_words(card.case_number, card.head_name, self.tr("さんの世帯")))
        if card.allergens:
            self.allergens.setText(
                self.tr("⚠ アレルギー：%1").replace("%1", display_list(card.allergens))
            )
            self.allergens.show()
        else:
            self.allergens.hide()
        self._set_members(card, meal)
        self.show_counts(meal)

    def show_counts(self, meal: LoggedMeal | None) -> None:
        if meal is None:
            self.counts.clear()
            return
        self.counts.setText(
            self.tr("大人 %1 人・子ども %2 人")
            .replace("%1", str(meal.adults))
            .replace("%2", str(meal.children))
        )

    def _set_members(self, card: HouseholdCard | None, meal: LoggedMeal | None = None) -> None:
        for box in self.member_boxes.values():
            self.member_row.removeWidget(box)
            box.deleteLater()
        self.member_boxes = {}
        if card is None:
            return
        for member in card.members:
            text = member.name + (
                f"（{display_list(member.allergens)}）" if member.allergens else ""
            )
            box = QCheckBox(text, self)
            box.setChecked(True)
            box.toggled.connect(self._emit_members)
            self.member_boxes[member.id] = box
            self.member_row.addWidget(box)

    def _emit_members(self) -> None:
        self.members_changed.emit([i for i, box in self.member_boxes.items() if box.isChecked()])
