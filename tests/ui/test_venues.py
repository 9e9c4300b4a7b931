"""The venue registry used as a coordinator would: type, paste a map link, save, filter, edit."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Venue
from evacsupport.services.changes import Kind
from evacsupport.services.venues import VenueInput
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.venues import VenueTableModel
from evacsupport.ui.prompts import Discard
from evacsupport.ui.views.venues.editor import VenueEditor
from evacsupport.ui.views.venues.list_view import VenueListView
from tests.ui.helpers import type_japanese

CTRL = Qt.KeyboardModifier.ControlModifier
GOOGLE_LINK = (
    "https://www.google.com/maps/place/%E9%87%91%E6%B2%A2%E5%B8%82%E5%BD%B9%E6%89%80/"
    "@36.5600,136.6500,17z/data=!3m1!4b1!4m6!3m5!1s0x5ff8:0x1!8m2!3d36.5613!4d136.6562"
)


class FakePrompter:
    """Answers the editor's questions with preset answers and records what was asked."""

    def __init__(self, *answers: Discard) -> None:
        self.answers = list(answers)
        self.asked: list[str] = []
        self.errors: list[str] = []

    def ask_unsaved(self, parent: QWidget | None) -> Discard:
        self.asked.append("unsaved")
        return self.answers.pop(0)

    def confirm(self, parent: QWidget | None, title: str, text: str) -> bool:
        self.asked.append(title)
        return True

    def error(self, parent: QWidget | None, text: str) -> None:
        self.errors.append(text)

    def info(self, parent: QWidget | None, title: str, text: str) -> None:
        self.asked.append(title)


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def ctx(db: Database, prompter: FakePrompter) -> AppContext:
    return AppContext(db, prompter=prompter)


@pytest.fixture
def view(qtbot: QtBot, ctx: AppContext) -> Iterator[VenueListView]:
    widget = VenueListView(ctx)
    qtbot.addWidget(widget)
    widget.resize(1000, 500)
    widget.show()
    qtbot.waitUntil(widget.isActiveWindow)
    yield widget
    if widget.editor is not None and widget.editor.isVisible():
        widget.editor.done(0)


def add_venue(ctx: AppContext, **overrides: Any) -> Venue:
    values: dict[str, Any] = {
        "name": "こども食堂 ひだまり",
        "operator": "NPO法人ひだまりネット",
        "address": "石川県金沢市広坂2丁目1-1",
        "postal_code": "9200962",
        "capacity": 30,
        "schedule": "水 17:00-19:00",
        "phone": "0762201234",
        "coordinates": "36.5613, 136.6562",
    }
    values.update(overrides)
    return ctx.venues.create(VenueInput(**values))


def venue_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Venue)) or 0


def shown_names(view: VenueListView) -> list[str]:
    return [view.proxy.index(r, 0).data() for r in range(view.proxy.rowCount())]


def replace_text(qtbot: QtBot, field: QLineEdit, text: str) -> None:
    """Select all and type over it, as a user does."""
    field.setFocus()
    qtbot.keyClick(field, Qt.Key.Key_A, CTRL)
    if text.isascii():
        qtbot.keyClicks(field, text)
    else:
        type_japanese(field, text)


def open_editor(qtbot: QtBot, editor: VenueEditor | None) -> VenueEditor:
    assert editor is not None
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def test_model_passes_the_model_tester(qtmodeltester: ModelTester, ctx: AppContext) -> None:
    add_venue(ctx)
    add_venue(ctx, name="ふれあいサロン 和", kind="salon", active=False, wheelchair_access=True)
    model = VenueTableModel()
    model.set_rows(ctx.venues.list())
    qtmodeltester.check(model)
    assert model.headers()[0] == "名称"
    names = [model.index(r, 0).data() for r in range(model.rowCount())]
    salon = names.index("ふれあいサロン 和")
    assert model.index(salon, 1).data() == "ふれあいサロン"
    assert model.index(salon, 6).data() == "○"
    assert model.index(salon, 7).data() == "休止"
    assert isinstance(model.index(salon, 0).data(Qt.ItemDataRole.ForegroundRole), QColor)
    open_row = 1 - salon
    assert model.index(open_row, 5).data() == "水 17:00-19:00"
    assert model.index(open_row, 7).data() == "利用可"
    assert model.index(open_row, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert model.index(open_row, 0).data(VenueTableModel.ROW_ROLE).name == "こども食堂 ひだまり"


def test_register_a_venue_by_keyboard_with_a_pasted_map_link(
    qtbot: QtBot, view: VenueListView, db: Database, ctx: AppContext
) -> None:
    view.table.setFocus()
    qtbot.keyClick(view, Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # 新しい会場(&N)
    qtbot.waitUntil(lambda: view.editor is not None)
    editor = open_editor(qtbot, view.editor)
    assert editor.windowTitle() == "会場の登録"
    form = editor.form
    assert form.name.hasFocus()
    type_japanese(form.name, "こども食堂 みらい")
    type_japanese(form.operator, "NPO法人のとサポート")
    form.postal_code.setFocus()
    qtbot.keyClicks(form.postal_code, "920-0961")
    type_japanese(form.address, "石川県金沢市香林坊1丁目1-1")
    QApplication.clipboard().setText(GOOGLE_LINK)
    form.coordinates.setFocus()
    qtbot.keyClick(form.coordinates, Qt.Key.Key_V, CTRL)
    assert form.coordinates.text() == GOOGLE_LINK
    assert form.coordinates_hint.text() == "緯度 36.5613、経度 136.6562（入力された位置）"
    type_japanese(form.capacity, "２５")  # full-width digits, as an IME gives them
    type_japanese(form.schedule, "水 17:00-19:00、土 11:30-13:30")
    for name in ("卵", "小麦"):
        form.allergens.boxes[name].setFocus()
        qtbot.keyClick(form.allergens.boxes[name], Qt.Key.Key_Space)
    form.wheelchair.setFocus()
    qtbot.keyClick(form.wheelchair, Qt.Key.Key_Space)
    form.phone.setFocus()
    qtbot.keyClicks(form.phone, "076-220-1234")

    with qtbot.waitSignal(ctx.bus.executed) as changed:
        qtbot.keyClick(form.phone, Qt.Key.Key_S, CTRL)
    announced, initiator = changed.args
    assert announced.kinds == {Kind.VENUE} and initiator is editor
    assert not editor.isVisible()

    (saved,) = ctx.venues.list()
    assert saved.name == "こども食堂 みらい"
    assert (saved.latitude, saved.longitude) == (36.5613, 136.6562)
    assert saved.capacity == 25
    assert saved.postal_code == "9200961"
    assert saved.phone == "0762201234"
    assert saved.schedule == [
        {"weekday": 2, "start": "17:00", "end": "19:00"},
        {"weekday": 5, "start": "11:30", "end": "13:30"},
    ]
    assert saved.allergens_handled == ["小麦", "卵"]  # in the labelling list's order
    assert saved.wheelchair_access is True
    assert saved.active is True
    assert shown_names(view) == ["こども食堂 みらい"]
    assert view.count_label.text() == "1 件"
    assert view.table.currentIndex().row() == 0
    assert view.proxy.index(0, 5).data() == "水 17:00-19:00、土 11:30-13:30"


def test_invalid_input_is_shown_at_each_field_and_nothing_is_saved(
    qtbot: QtBot, view: VenueListView, db: Database
) -> None:
    editor = open_editor(qtbot, view.open_new())
    form = editor.form
    form.capacity.setFocus()
    qtbot.keyClicks(form.capacity, "0")
    type_japanese(form.schedule, "水曜の夕方")
    form.coordinates.setFocus()
    qtbot.keyClicks(form.coordinates, "36.5613")
    assert form.coordinates_hint.text() == ""
    qtbot.keyClick(form.schedule, Qt.Key.Key_S, CTRL)

    assert editor.isVisible()
    assert venue_count(db) == 0
    assert form.messages["name"].text() == "入力してください"
    assert form.messages["capacity"].text() == "1から500までの数を入力してください"
    assert form.messages["schedule"].text() == "開催日時を読み取れません（例：水 17:00-19:00）"
    assert form.messages["coordinates"].text().startswith("緯度経度を読み取れません")
    assert not form.messages["name"].isHidden()
    assert form.messages["operator"].isHidden()
    assert editor.general_message.text() == "入力内容に4件の誤りがあります"
    assert form.name.hasFocus()  # the first invalid field, in form order

    type_japanese(form.name, "ふれあいサロン 和")
    replace_text(qtbot, form.capacity, "12")
    replace_text(qtbot, form.schedule, "fri 10:00-12:00")
    replace_text(qtbot, form.coordinates, "36.5613, 136.6562")
    qtbot.mouseClick(editor.save_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert venue_count(db) == 1


def test_a_taken_name_is_reported_under_the_name(
    qtbot: QtBot, view: VenueListView, ctx: AppContext, db: Database
) -> None:
    add_venue(ctx)
    editor = open_editor(qtbot, view.open_new())
    type_japanese(editor.form.name, "こども食堂　ひだまり")  # an ideographic space: same name
    editor.form.capacity.setFocus()
    qtbot.keyClicks(editor.form.capacity, "10")
    qtbot.keyClick(editor.form.capacity, Qt.Key.Key_S, CTRL)
    assert editor.isVisible()
    assert (
        editor.form.messages["name"].text()
        == "会場名「こども食堂 ひだまり」はすでに登録されています"
    )
    assert venue_count(db) == 1


def test_edit_an_existing_venue(
    qtbot: QtBot, view: VenueListView, ctx: AppContext, prompter: FakePrompter
) -> None:
    venue = add_venue(ctx, allergens_handled=["乳"])
    editor = open_editor(qtbot, view.open_venue(venue.id))
    form = editor.form
    assert editor.windowTitle() == "会場の編集：こども食堂 ひだまり"
    assert form.name.text() == "こども食堂 ひだまり"
    assert form.postal_code.text() == "920-0962"
    assert form.phone.text() == "076-220-1234"
    assert form.coordinates.text() == "36.5613, 136.6562"
    assert form.capacity.text() == "30"
    assert form.schedule.text() == "水 17:00-19:00"
    assert form.allergens.values() == ["乳"]
    assert form.active.isChecked()
    assert not editor.is_dirty()

    replace_text(qtbot, form.capacity, "40")
    form.active.setFocus()
    qtbot.keyClick(form.active, Qt.Key.Key_Space)
    qtbot.keyClick(form.active, Qt.Key.Key_S, CTRL)

    assert not editor.isVisible()
    assert prompter.errors == []
    saved = ctx.venues.get(venue.id)
    assert (saved.capacity, saved.active, saved.version) == (40, False, 2)
    assert saved.municipality_code == venue.municipality_code == "172014"
    assert view.proxy.index(0, 7).data() == "休止"
    assert view.table.currentIndex().row() == 0


def test_a_venue_changed_elsewhere_is_not_overwritten(
    qtbot: QtBot, view: VenueListView, ctx: AppContext, prompter: FakePrompter
) -> None:
    venue = add_venue(ctx)
    editor = open_editor(qtbot, view.open_venue(venue.id))
    ctx.venues.update(venue.id, VenueInput(name=venue.name, capacity=99))
    replace_text(qtbot, editor.form.capacity, "40")
    qtbot.keyClick(editor.form.capacity, Qt.Key.Key_S, CTRL)
    assert editor.isVisible()
    assert prompter.errors == [
        "この会場は他の画面または利用者が変更しました。読み込み直してください"
    ]
    assert ctx.venues.get(venue.id).capacity == 99


def test_escape_with_unsaved_changes_asks_first(
    qtbot: QtBot, view: VenueListView, ctx: AppContext, db: Database
) -> None:
    prompter = FakePrompter(Discard.CANCEL, Discard.DISCARD)
    ctx.prompter = prompter
    editor = open_editor(qtbot, view.open_new())
    type_japanese(editor.form.name, "地域食堂 あおぞら")

    qtbot.keyClick(editor.form.name, Qt.Key.Key_Escape)
    assert prompter.asked == ["unsaved"]
    assert editor.isVisible()
    assert editor.form.name.text() == "地域食堂 あおぞら"

    with qtbot.waitSignal(editor.rejected):
        qtbot.keyClick(editor.form.name, Qt.Key.Key_Escape)
    assert prompter.asked == ["unsaved", "unsaved"]
    assert not editor.isVisible()
    assert venue_count(db) == 0


def test_cancel_without_changes_closes_without_asking(
    qtbot: QtBot, view: VenueListView, ctx: AppContext, prompter: FakePrompter
) -> None:
    venue = add_venue(ctx)
    editor = open_editor(qtbot, view.open_venue(venue.id))
    qtbot.mouseClick(editor.cancel_button, Qt.MouseButton.LeftButton)
    assert not editor.isVisible()
    assert prompter.asked == []


def test_closing_the_window_can_save(
    qtbot: QtBot, view: VenueListView, ctx: AppContext, db: Database
) -> None:
    prompter = FakePrompter(Discard.SAVE, Discard.SAVE)
    ctx.prompter = prompter
    editor = open_editor(qtbot, view.open_new())
    type_japanese(editor.form.name, "フードパントリー のと")
    editor.close()  # capacity missing: the save is refused and the window stays
    assert editor.isVisible()
    assert editor.form.messages["capacity"].text() == "入力してください"
    editor.form.capacity.setFocus()
    qtbot.keyClicks(editor.form.capacity, "50")
    editor.close()
    assert not editor.isVisible()
    assert prompter.asked == ["unsaved", "unsaved"]
    assert [v.name for v in ctx.venues.list()] == ["フードパントリー のと"]


def test_filter_narrows_the_rows(qtbot: QtBot, view: VenueListView, ctx: AppContext) -> None:
    add_venue(ctx)
    add_venue(ctx, name="ふれあいサロン 和", operator="輪島市社会福祉協議会", address="輪島市")
    add_venue(ctx, name="Café Noto", operator="NPO Noto Kitchen", address="七尾市")
    view.refresh()
    assert view.count_label.text() == "3 件"

    type_japanese(view.filter_box, "輪島")
    assert shown_names(view) == ["ふれあいサロン 和"]
    replace_text(qtbot, view.filter_box, "noto kitchen")  # operator, any case
    assert shown_names(view) == ["Café Noto"]
    replace_text(qtbot, view.filter_box, "ヒダマリ")  # katakana finds hiragana
    assert shown_names(view) == ["こども食堂 ひだまり"]
    replace_text(qtbot, view.filter_box, "ＫＩＴＣＨＥＮ")  # full-width
    assert shown_names(view) == ["Café Noto"]
    assert view.count_label.text() == "1 件"
    view.filter_box.clear()
    assert len(shown_names(view)) == 3


def test_sorting_by_capacity_through_the_header(view: VenueListView, ctx: AppContext) -> None:
    add_venue(ctx, name="A", capacity=100)
    add_venue(ctx, name="B", capacity=8)
    add_venue(ctx, name="C", capacity=20)
    view.refresh()
    view.table.sortByColumn(4, Qt.SortOrder.AscendingOrder)
    assert shown_names(view) == ["B", "C", "A"]


def test_enter_on_a_row_opens_that_venue(
    qtbot: QtBot, view: VenueListView, ctx: AppContext
) -> None:
    add_venue(ctx)
    wanted = add_venue(ctx, name="地域食堂 あおぞら", capacity=15)
    view.refresh()
    replace_text(qtbot, view.filter_box, "あおぞら")
    qtbot.keyClick(view.filter_box, Qt.Key.Key_Return)
    assert view.table.hasFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    editor = open_editor(qtbot, view.editor)
    assert editor.venue is not None and editor.venue.id == wanted.id
    assert editor.form.capacity.text() == "15"


def test_opening_a_deleted_venue_tells_the_user(
    view: VenueListView, ctx: AppContext, prompter: FakePrompter
) -> None:
    venue = add_venue(ctx)
    ctx.venues.soft_delete(venue.id)
    assert view.open_venue(venue.id) is None
    assert prompter.errors == [f"会場「{venue.id}」が見つかりません"]
    assert shown_names(view) == []


def test_tab_goes_down_the_form(qtbot: QtBot, view: VenueListView) -> None:
    editor = open_editor(qtbot, view.open_new())
    form = editor.form
    order: list[QWidget] = []
    widget = QApplication.focusWidget()
    for _ in range(9):
        assert widget is not None
        order.append(widget)
        qtbot.keyClick(widget, Qt.Key.Key_Tab)
        widget = QApplication.focusWidget()
    assert order == [
        form.name,
        form.kind,
        form.operator,
        form.postal_code,
        form.address,
        form.coordinates,
        form.map_button,  # 地図で選ぶ… is reachable from the keyboard
        form.capacity,
        form.schedule,
    ]
    assert widget is next(iter(form.allergens.boxes.values()))
    form.notes.setFocus()
    qtbot.keyClick(form.notes, Qt.Key.Key_Tab)
    assert editor.save_button.hasFocus()


def test_the_new_button_opens_an_empty_editor(qtbot: QtBot, view: VenueListView) -> None:
    qtbot.mouseClick(view.new_button, Qt.MouseButton.LeftButton)
    editor = open_editor(qtbot, view.editor)
    assert editor.venue is None
    assert editor.form.name.text() == ""
    assert editor.form.active.isChecked()
