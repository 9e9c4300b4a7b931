"""Each caption sits beside its field, not half a line lower (beside field and message line)."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from evacsupport.ui.views.households.household_form import HouseholdForm
from evacsupport.ui.views.venues.form import VenueForm


def offsets(form_widget: QWidget) -> dict[str, int]:
    """Caption text centre minus its row's first line edit's centre, per caption, in px."""
    layout = form_widget.layout()
    assert isinstance(layout, QFormLayout)
    found = {}
    for row in range(layout.rowCount()):
        caption = layout.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = caption.widget() if caption is not None else None
        if not isinstance(label, QLabel):
            continue
        edits = [
            e
            for e in form_widget.findChildren(QLineEdit)
            if e.isVisible() and abs(e.mapTo(form_widget, e.rect().topLeft()).y() - label.y()) < 30
        ]
        if not edits:
            continue
        edit = min(
            edits, key=lambda e: abs(e.mapTo(form_widget, e.rect().topLeft()).y() - label.y())
        )
        field_centre = edit.mapTo(form_widget, edit.rect().center()).y()
        text_centre = label.y() + label.contentsMargins().top() + label.sizeHint().height() // 2
        found[label.text()] = text_centre - field_centre
    return found


def test_captions_line_up_with_their_fields(qtbot: QtBot) -> None:
    for form in (HouseholdForm(), VenueForm()):
        qtbot.addWidget(form)
        form.resize(900, 800)
        form.show()
        qtbot.waitExposed(form)
        found = offsets(form)
        assert len(found) >= 5
        assert all(abs(offset) <= 4 for offset in found.values()), found
