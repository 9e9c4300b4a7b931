"""The venue form's widgets: filled from a :class:`Venue`, read into a :class:`VenueInput`.

Kept apart from the dialog so the dialog holds only the save/cancel logic. Every field takes text
the way staff have it (full-width digits, 〒 and hyphens, a pasted map link) and the service does
the normalising, so what is typed here and what an import feeds in follow the same rules.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from evacsupport.db.models import Venue
from evacsupport.domain.codes import VenueKind
from evacsupport.domain.geo import parse_coordinates
from evacsupport.domain.normalize import format_phone, format_postal
from evacsupport.errors import FieldError, InvalidValue
from evacsupport.services.places import MANUAL, locate, point_so_far
from evacsupport.services.venues import VenueInput
from evacsupport.ui.models.venues import schedule_text
from evacsupport.ui.views.places.point_picker import map_button
from evacsupport.ui.widgets.fields import AllergenPicker, ChoiceCombo, FieldMessage, align_captions

HINT_STYLE = "color: #555;"

# Service field names whose messages go under another field's widget.
_ALIASES = {"latitude": "coordinates", "longitude": "coordinates"}


def format_degrees(value: float) -> str:
    """Degrees with at most 7 decimals (about 1 cm), without trailing zeros."""
    return f"{value:.7f}".rstrip("0").rstrip(".")


def format_coordinates(lat: float | None, lon: float | None) -> str:
    if lat is None or lon is None:
        return ""
    return f"{format_degrees(lat)}, {format_degrees(lon)}"


class VenueForm(QWidget):
    """Inputs for one venue, each with a :class:`FieldMessage` under it.

    Attributes:
        name, kind, operator, postal_code, address, coordinates, capacity, schedule, allergens,
        wheelchair, contact_name, phone, email, active, notes: the inputs.
        coordinates_hint: grey label saying how the coordinates text was read.
        messages: the FieldMessage of each service field name (``"name"``, ``"capacity"`` …).
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.messages: dict[str, FieldMessage] = {}
        self._inputs: dict[str, QWidget] = {}
        self._layout = QFormLayout(self)
        self._layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._layout.setLabelAlignment(Qt.AlignmentFlag.AlignRight)

        self.name = self._line("name", self.tr("名称(&N)"), self.tr("例：こども食堂 ひだまり"))
        self.kind = ChoiceCombo(VenueKind, self)
        self._add("kind", self.tr("種別(&K)"), self.kind)
        self.operator = self._line("operator", self.tr("運営団体(&O)"))
        self.postal_code = QLineEdit(self)
        self.postal_code.setPlaceholderText(self.tr("例：920-0961"))
        self.postal_code.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 16)
        self._add("postal_code", self.tr("郵便番号(&P)"), self.postal_code)
        self.address = self._line("address", self.tr("住所(&D)"))
        self.coordinates = QLineEdit(self)
        self.coordinates.setPlaceholderText(
            self.tr("空欄なら住所の位置。直すときは 36.5613, 136.6562 か地図のリンク")
        )
        self.coordinates_hint = QLabel(self)
        self.coordinates_hint.setObjectName("location_hint")
        self.coordinates_hint.setWordWrap(True)
        self.coordinates_hint.setStyleSheet(HINT_STYLE)
        self.coordinates_hint.hide()
        self.map_button = map_button(
            self.coordinates,
            lambda: point_so_far(
                self.coordinates.text(), self.address.text(), self.postal_code.text()
            ),
            self.coordinates_hint.text,
            self,
        )
        typed = QHBoxLayout()
        typed.addWidget(self.coordinates, 1)
        typed.addWidget(self.map_button)
        self._add(
            "coordinates",
            self.tr("位置（緯度経度）(&L)"),
            self.coordinates,
            self.coordinates_hint,
            layout=typed,
        )
        for edit in (self.coordinates, self.address, self.postal_code):
            edit.textChanged.connect(self._update_coordinates_hint)

        self.capacity = QLineEdit(self)
        self.capacity.setPlaceholderText(self.tr("例：30"))
        self.capacity.setMaximumWidth(self.fontMetrics().horizontalAdvance("0") * 10)
        self.capacity.setAlignment(Qt.AlignmentFlag.AlignRight)
        capacity_row = QHBoxLayout()
        capacity_row.addWidget(self.capacity)
        capacity_row.addWidget(QLabel(self.tr("人"), self))
        capacity_row.addStretch(1)
        self._add("capacity", self.tr("定員(&C)"), self.capacity, layout=capacity_row)
        self.schedule = self._line(
            "schedule", self.tr("開催日時(&T)"), self.tr("例：水 17:00-19:00、土 11:30-13:30")
        )
        self.allergens = AllergenPicker(self)
        first_box = next(iter(self.allergens.boxes.values()))
        self.allergens.setFocusProxy(first_box)  # so the label's Alt+G lands on a box
        self._add("allergens_handled", self.tr("対応アレルゲン(&G)"), self.allergens)
        self.wheelchair = QCheckBox(self.tr("車椅子で利用できる(&W)"), self)
        self._add("wheelchair_access", self.tr("車椅子対応"), self.wheelchair)
        self.contact_name = self._line("contact_name", self.tr("担当者(&R)"))
        self.phone = self._line("phone", self.tr("電話番号(&H)"), self.tr("例：076-220-1234"))
        self.email = self._line("email", self.tr("メール(&M)"), self.tr("例：info@example.jp"))
        self.active = QCheckBox(self.tr("利用可（新しい紹介を受け付ける）(&A)"), self)
        self.active.setChecked(True)
        self._add("active", self.tr("状態"), self.active)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)  # Tab moves on, as everywhere else in the form
        # At least four lines; any height the dialog has to spare goes to the notes.
        self.notes.setMinimumHeight(self.fontMetrics().lineSpacing() * 4 + 12)
        self.notes.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self._add("notes", self.tr("備考(&B)"), self.notes)

    def focus_chain(self) -> list[QWidget]:
        """Every input top to bottom, the allergen boxes in their reading order."""
        chain: list[QWidget] = []
        for widget in self._inputs.values():
            if widget is self.allergens:
                chain.extend(self.allergens.boxes.values())
            else:
                chain.append(widget)
            if widget is self.coordinates:
                chain.append(self.map_button)
        return chain

    def fill(self, venue: Venue) -> None:
        self.name.setText(venue.name)
        self.kind.set_code(venue.kind)
        self.operator.setText(venue.operator)
        self.postal_code.setText(format_postal(venue.postal_code))
        self.address.setText(venue.address)
        # A point found from the address follows the address; only a typed one is edited here.
        if venue.location_precision in (MANUAL, ""):
            self.coordinates.setText(format_coordinates(venue.latitude, venue.longitude))
        self._update_coordinates_hint()
        self.capacity.setText(str(venue.capacity))
        self.schedule.setText(schedule_text(venue))
        self.allergens.set_values(venue.allergens_handled or [])
        self.wheelchair.setChecked(venue.wheelchair_access)
        self.contact_name.setText(venue.contact_name)
        self.phone.setText(format_phone(venue.phone))
        self.email.setText(venue.email)
        self.active.setChecked(venue.active)
        self.notes.setPlainText(venue.notes)

    def values(self, municipality_code: str = "") -> VenueInput:
        """What the user entered, unnormalised: the service decides what it means."""
        return VenueInput(
            name=self.name.text(),
            kind=self.kind.code(),
            operator=self.operator.text(),
            postal_code=self.postal_code.text(),
            municipality_code=municipality_code,
            address=self.address.text(),
            coordinates=self.coordinates.text(),
            capacity=self.capacity.text(),
            schedule=self.schedule.text(),
            allergens_handled=self.allergens.values(),
            wheelchair_access=self.wheelchair.isChecked(),
            contact_name=self.contact_name.text(),
            phone=self.phone.text(),
            email=self.email.text(),
            active=self.active.isChecked(),
            notes=self.notes.toPlainText(),
        )

    def clear_messages(self) -> None:
        for message in self.messages.values():
            message.show_message("")

    def show_errors(self, errors: Iterable[FieldError]) -> tuple[QWidget | None, list[FieldError]]:
        """Put each message under its field; returns the first invalid input and the leftovers.

        "First" is in form order, not error order, so focus lands where the eye starts reading.
        """
        self.clear_messages()
        texts: dict[str, list[str]] = {}
        unplaced: list[FieldError] = []
        for error in errors:
            key = error.field.split(".")[0]
            key = _ALIASES.get(key, key)
            if key in self.messages:
                texts.setdefault(key, []).append(error.message())
            else:
                unplaced.append(error)
        first: QWidget | None = None
        for key, message in self.messages.items():
            if key in texts:
                message.show_message("／".join(dict.fromkeys(texts[key])))  # one line
                first = first or self._inputs[key]
        return first, unplaced

    def _line(self, key: str, text: str, placeholder: str = "") -> QLineEdit:
        edit = QLineEdit(self)
        edit.setPlaceholderText(placeholder)
        self._add(key, text, edit)
        return edit

    def _add(
        self,
        key: str,
        text: str,
        field: QWidget,
        *extras: QWidget,
        layout: QLayout | None = None,
    ) -> None:
        """A labelled row whose cell holds the field, any hint and the field's message (on the
        line reserved for it, so the rows below never move)."""
        label = QLabel(text, self)
        label.setBuddy(field)
        cell = QWidget(self)
        column = QVBoxLayout(cell)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        if layout is not None:
            column.addLayout(layout)
        else:
            column.addWidget(field)
        message = FieldMessage(cell)
        for below in (*extras, message):
            column.addWidget(below)
        self._layout.addRow(label, cell)
        align_captions(self._layout)
        self.messages[key] = message
        self._inputs[key] = field

    def _update_coordinates_hint(self, _text: str = "") -> None:
        """The typed point as read, or where the address puts the venue, or why nowhere."""
        text = self.coordinates.text()
        if text.strip():
            try:
                lat, lon = parse_coordinates(text)
            except InvalidValue:
                self.coordinates_hint.setText("")
            else:
                self.coordinates_hint.setText(
                    self.tr("緯度 %1、経度 %2（入力された位置）")
                    .replace("%1", format_degrees(lat))
                    .replace("%2", format_degrees(lon))
                )
        elif self.address.text().strip() or self.postal_code.text().strip():
            where = locate(None, self.address.text(), self.postal_code.text())
            approximate = self.tr("およその位置：") if where.approximate else ""
            self.coordinates_hint.setText(approximate + where.text())
        else:
            self.coordinates_hint.setText("")
        self.coordinates_hint.setVisible(bool(self.coordinates_hint.text()))
