"""Picking a point on the map, as a coordinator does for an address the geocoder cannot place:
click (or arrow keys), read the town under the pin, Enter; the point becomes their own."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialog, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.models import Venue
from evacsupport.domain.geo import haversine_km
from evacsupport.services.places import MANUAL, default_map_centre, point_so_far
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.households.household_form import HouseholdForm
from evacsupport.ui.views.places import point_picker
from evacsupport.ui.views.places.place_map import unproject
from evacsupport.ui.views.places.point_picker import PointPickerDialog
from evacsupport.ui.views.venues.list_view import VenueListView
from tests.ui.helpers import type_japanese

Point = tuple[float, float]
KORINBO_2 = (36.5627, 136.6530)  # near 香林坊二丁目


def picker(qtbot: QtBot, start: tuple[float, float] | None) -> PointPickerDialog:
    dialog = PointPickerDialog(start, "住所から位置を特定できません")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_the_pin_starts_at_the_point_known_and_names_the_town(qtbot: QtBot) -> None:
    dialog = picker(qtbot, KORINBO_2)
    lat, lon = dialog.point()
    assert haversine_km(lat, lon, *KORINBO_2) < 0.01
    assert dialog.where_label.text().startswith("北緯 36.562")
    assert "香林坊" in dialog.where_label.text() and "付近" in dialog.where_label.text()
    assert dialog.hint_label.text() == "住所から位置を特定できません"
    assert dialog.map.hasFocus()  # arrow keys work at once
    assert dialog.width() <= 1280 and dialog.height() <= 680  # a 1280×720 screen, taskbar too
    names = dialog.map.viewport().grab() and [n for n, _ in dialog.map.drawn_places]
    assert any(n.startswith("香林坊") for n in names)  # the streets' names around the pin


def test_nothing_known_opens_on_kanazawa(qtbot: QtBot) -> None:
    dialog = picker(qtbot, None)
    assert haversine_km(*dialog.point(), *default_map_centre()) < 0.01


def test_a_click_puts_the_pin_there_and_enter_takes_it(qtbot: QtBot) -> None:
    dialog = picker(qtbot, KORINBO_2)
    view = dialog.map
    spot = QPoint(view.viewport().width() // 3, view.viewport().height() // 3)
    expected = unproject(view.mapToScene(spot), view.origin)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    assert haversine_km(*dialog.point(), *expected) < 0.005
    assert haversine_km(*dialog.point(), *KORINBO_2) > 0.05
    qtbot.keyClick(view, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_arrow_keys_move_the_pin_and_escape_cancels(qtbot: QtBot) -> None:
    dialog = picker(qtbot, KORINBO_2)
    view = dialog.map
    qtbot.keyClick(view, Qt.Key.Key_Right)
    qtbot.keyClick(view, Qt.Key.Key_Up)
    lat, lon = dialog.point()
    assert lon > KORINBO_2[1] and lat > KORINBO_2[0]  # east and north
    before = view.px_per_km()
    qtbot.keyClicks(view, "+")
    assert view.px_per_km() > before
    qtbot.keyClick(view, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected


def test_point_so_far_typed_first_then_the_address() -> None:
    assert point_so_far("36.5, 136.6", "金沢市香林坊2丁目") == (36.5, 136.6)
    found = point_so_far("", "金沢市香林坊2丁目")
    assert found is not None and haversine_km(*found, *KORINBO_2) < 0.6
    assert point_so_far("not a point", "金沢市香林坊2丁目") == found
    assert point_so_far("", "") is None


@pytest.fixture
def view(qtbot: QtBot, db: Database) -> VenueListView:
    widget = VenueListView(AppContext(db))
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def test_the_venue_editor_saves_the_picked_point_as_the_persons_own(
    qtbot: QtBot, view: VenueListView, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An address the table places only at the town's point; the coordinator knows the hall is
    a few streets away, picks it, and the venue keeps that point (manual)."""
    asked: list[tuple[tuple[float, float] | None, str]] = []
    picked = (36.5641, 136.6562)

    def answer(
        start: tuple[float, float] | None, hint: str, parent: QWidget
    ) -> tuple[float, float]:
        asked.append((start, hint))
        return picked

    monkeypatch.setattr(point_picker, "pick_point", answer)
    editor = view.open_new()
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    form = editor.form
    type_japanese(form.name, "こども食堂 こうりんぼう")
    type_japanese(form.address, "金沢市香林坊2丁目")
    qtbot.keyClicks(form.capacity, "20")
    type_japanese(form.schedule, "水 17:00-19:00")
    qtbot.mouseClick(form.map_button, Qt.MouseButton.LeftButton)
    ((start, hint),) = asked
    assert start is not None and haversine_km(*start, *KORINBO_2) < 0.6  # from the address
    assert "香林坊二丁目" in hint  # what the point was until now
    assert form.coordinates.text() == "36.564100, 136.656200"
    assert "入力された位置" in form.coordinates_hint.text()
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    with db.read() as session:
        venue = session.scalars(select(Venue)).one()
        assert (venue.latitude, venue.longitude, venue.location_precision) == (*picked, MANUAL)


def test_cancelling_the_picker_changes_nothing(
    qtbot: QtBot, view: VenueListView, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(point_picker, "pick_point", lambda start, hint, parent: None)
    editor = view.open_new()
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    qtbot.mouseClick(editor.form.map_button, Qt.MouseButton.LeftButton)
    assert editor.form.coordinates.text() == ""


def test_the_household_form_opens_the_picker_where_its_address_is(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An address only the postal area places: the picker opens there and its point is taken."""
    asked: list[tuple[float, float] | None] = []

    def answer(
        start: tuple[float, float] | None, hint: str, parent: QWidget
    ) -> tuple[float, float]:
        asked.append(start)
        return (36.57, 136.65)

    monkeypatch.setattr(point_picker, "pick_point", answer)
    form = HouseholdForm()
    qtbot.addWidget(form)
    form.show()
    qtbot.keyClicks(form.postal_code, "920-0961")
    assert "香林坊" in form.coordinates_hint.text()
    qtbot.mouseClick(form.map_button, Qt.MouseButton.LeftButton)
    assert asked and asked[0] is not None
    assert haversine_km(*asked[0], *KORINBO_2) < 1.5
    assert form.coordinates.text() == "36.570000, 136.650000"
    assert form.coordinates_hint.text() == "緯度 36.57000、経度 136.65000（入力された位置）"
