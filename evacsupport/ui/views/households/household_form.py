"""The household's own fields: status, origin, where it lives now, contact."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from evacsupport.db.models import Household
from evacsupport.domain import municipalities
from evacsupport.domain.codes import EvacuationStatus
from evacsupport.domain.geo import parse_coordinates
from evacsupport.domain.normalize import format_phone, format_postal
from evacsupport.domain.postal import lookup
from evacsupport.errors import InvalidValue
from evacsupport.services.places import MANUAL, locate, point_so_far
from evacsupport.ui.views.places.point_picker import map_button
from evacsupport.ui.widgets.fields import ChoiceCombo, FieldMessage, align_captions, messages_under

HOUSEHOLD_FIELDS = (
    "case_number",
    "evacuation_status",
    "origin_municipality_code",
    "origin_address",
    "postal_code",
    "current_address",
    "current_municipality_code",
    "coordinates",
    "phone",
    "notes",
)


class HouseholdForm(QWidget):
    """Signals: changed() after any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case_number = QLineEdit(self)
        self.case_number.setPlaceholderText(self.tr("空欄なら自動で採番（例：N24-000123）"))
        self.evacuation_status = ChoiceCombo(EvacuationStatus, self)
        self.origin_municipality_code = QComboBox(self)
        self.origin_municipality_code.addItem("", "")
        for m in municipalities.all_municipalities():
            if m.role != "prefecture":
                self.origin_municipality_code.addItem(m.name, m.code)
        self.origin_address = QLineEdit(self)
        self.origin_address.setPlaceholderText(self.tr("例：石川県輪島市河井町1-1"))
        self.postal_code = QLineEdit(self)
        self.postal_code.setPlaceholderText(self.tr("例：920-0961（住所を自動入力）"))
        self.postal_code.setMinimumWidth(280)
        self.postal_code.setMaximumWidth(320)
        self.current_address = QLineEdit(self)
        self.coordinates = QLineEdit(self)
        self.coordinates.setPlaceholderText(
            self.tr("空欄なら現住所の位置。直すときは 36.5613, 136.6562 か地図のリンク")
        )
        self.coordinates_hint = QLabel(self)
        self.coordinates_hint.setObjectName("location_hint")
        self.coordinates_hint.setWordWrap(True)
        self.coordinates_hint.setStyleSheet("color: #555;")
        self.phone = QLineEdit(self)
        self.phone.setPlaceholderText(self.tr("例：090-1234-5678"))
        self.notes = QPlainTextEdit(self)
        self.notes.setMaximumHeight(50)
        self.notes.setTabChangesFocus(True)
        self.messages = {name: FieldMessage(self) for name in HOUSEHOLD_FIELDS}

        form = QFormLayout(self)
        postal = QHBoxLayout()
        postal.addWidget(self.postal_code)
        postal.addStretch(1)
        self.map_button = map_button(
            self.coordinates, self.known_point, self.coordinates_hint.text, self
        )
        typed = QHBoxLayout()
        typed.addWidget(self.coordinates, 1)
        typed.addWidget(self.map_button)
        coordinates = QVBoxLayout()
        coordinates.setSpacing(1)
        coordinates.addLayout(typed)
        coordinates.addWidget(self.coordinates_hint)
        origin = QHBoxLayout()
        origin.addWidget(self.origin_municipality_code)
        origin.addWidget(self.origin_address, 1)
        rows: list[tuple[str, QWidget | QHBoxLayout | QVBoxLayout, tuple[str, ...], QWidget]] = [
            (self.tr("世帯番号"), self.case_number, ("case_number",), self.case_number),
            (
                self.tr("避難形態(&E)"),
                self.evacuation_status,
                ("evacuation_status",),
                self.evacuation_status,
            ),
            (
                self.tr("避難元（市町・住所）(&O)"),
                origin,
                ("origin_municipality_code", "origin_address"),
                self.origin_municipality_code,
            ),
            (self.tr("郵便番号(&P)"), postal, ("postal_code",), self.postal_code),
            (
                self.tr("現住所(&U)"),
                self.current_address,
                ("current_address", "current_municipality_code"),
                self.current_address,
            ),
            (self.tr("位置（緯度経度）"), coordinates, ("coordinates",), self.coordinates),
            (self.tr("電話番号(&T)"), self.phone, ("phone",), self.phone),
            (self.tr("備考"), self.notes, ("notes",), self.notes),
        ]
        for title, field, names, buddy in rows:
            box = messages_under(field, [self.messages[name] for name in names])
            caption = QLabel(title, self)
            caption.setBuddy(buddy)
            form.addRow(caption, box)
        align_captions(form)
        for name, message in self.messages.items():
            # the municipality is read from the current address; it has no input of its own
            target = self.current_address if name == "current_municipality_code" else None
            widget = target or getattr(self, name, None)
            if isinstance(widget, QWidget):
                message.follow(widget)

        for edit in (
            self.case_number,
            self.origin_address,
            self.postal_code,
            self.current_address,
            self.coordinates,
            self.phone,
        ):
            edit.textChanged.connect(self.changed)
        self.notes.textChanged.connect(self.changed)
        self.evacuation_status.currentIndexChanged.connect(self.changed)
        self.origin_municipality_code.currentIndexChanged.connect(self.changed)
        self.postal_code.textChanged.connect(self._fill_address)
        for edit in (self.coordinates, self.current_address, self.postal_code):
            edit.textChanged.connect(self._show_location)

    def load(self, household: Household | None) -> None:
        if household is None:
            return
        self.case_number.setText(household.case_number)
        self.case_number.setReadOnly(True)
        self.evacuation_status.set_code(household.evacuation_status)
        self.evacuation_status.setEnabled(False)
        self.evacuation_status.setToolTip(
            self.tr("避難形態の変更は「住居履歴」で転居として記録します")
        )
        index = self.origin_municipality_code.findData(household.origin_municipality_code)
        self.origin_municipality_code.setCurrentIndex(max(index, 0))
        self.origin_address.setText(household.origin_address)
        self.postal_code.blockSignals(True)
        self.postal_code.setText(format_postal(household.postal_code))
        self.postal_code.blockSignals(False)
        self.current_address.setText(household.current_address)
        # Only a point a person gave is shown to edit: one found from the address follows the
        # address (left empty here, it is found again on saving).
        manual = household.location_precision == MANUAL or not household.location_precision
        if household.latitude is not None and household.longitude is not None and manual:
            self.coordinates.setText(f"{household.latitude}, {household.longitude}")
        self._show_location()
        self.phone.setText(format_phone(household.phone))
        self.notes.setPlainText(household.notes)

    def _fill_address(self, text: str) -> None:
        """A complete postal code fills prefecture, city and town, keeping what follows them."""
        found = lookup(text)
        if found is None:
            return
        current = self.current_address.text()
        if not current.startswith(found.address):
            self.current_address.setText(found.address)
            self.current_address.setFocus()
            self.current_address.end(False)

    def known_point(self) -> tuple[float, float] | None:
        """Where the map opens: the typed point, else the address's."""
        return point_so_far(
            self.coordinates.text(), self.current_address.text(), self.postal_code.text()
        )

    def _show_location(self) -> None:
        """Under the field, where the household will be placed: the typed point, or what the
        current address and postal code give (香林坊二丁目の代表点（町丁目）), or why none."""
        text = self.coordinates.text()
        if text.strip():
            try:
                lat, lon = parse_coordinates(text)
            except InvalidValue:
                self.coordinates_hint.setText("")
                return
            self.coordinates_hint.setText(
                self.tr("緯度 %1、経度 %2（入力された位置）")
                .replace("%1", f"{lat:.5f}")
                .replace("%2", f"{lon:.5f}")
            )
            return
        where = locate(None, self.current_address.text(), self.postal_code.text())
        if where.placed:
            approximate = self.tr("およその位置：") if where.approximate else ""
            self.coordinates_hint.setText(approximate + where.text())
        elif self.current_address.text().strip() or self.postal_code.text().strip():
            self.coordinates_hint.setText(where.text())
        else:
            self.coordinates_hint.setText(self.tr("現住所か郵便番号を入れると位置が決まります"))

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, widget in self.messages.items():
            widget.show_message(errors.get(name, ""))
