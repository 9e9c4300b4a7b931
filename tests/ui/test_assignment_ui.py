"""Connecting households to venues in the window, as a coordinator would: pick a suggested venue
in the household's 会場の利用 tab, move the family, end the referral; plan a bulk allocation and
confirm it (or not); see each venue's load in the venue list."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from PySide6.QtCore import Qt, QThreadPool
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QApplication, QMenu, QTabWidget
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import Assignment, Household, Venue
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.consents import ConsentInput, record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.ui.context import AppContext
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.models.assignment import SuggestionTableModel
from evacsupport.ui.models.venues import BUSY_COLOUR, FULL_COLOUR, VenueTableModel
from evacsupport.ui.views.assignment.allocate_dialog import AllocateDialog
from evacsupport.ui.views.households.assignment_panel import AssignmentPanel
from evacsupport.ui.views.households.editor import HouseholdEditor
from evacsupport.ui.views.venues.list_view import VenueListView
from tests.factories import household, member
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

ALT = Qt.KeyboardModifier.AltModifier
HOME = "36.5600, 136.6500"
NEAR, FAR, NEXT_DOOR = "こども食堂 ちかく", "みんなの食堂 とおく", "地域食堂 となり"
PLAN_TIMEOUT_MS = 30_000


# --- data, made through the services ---------------------------------------------------------
def add_venue(db: Database, name: str, coordinates: str, **overrides: Any) -> Venue:
    values: dict[str, Any] = {
        "name": name,
        "coordinates": coordinates,
        "capacity": 10,
        "schedule": "月 17:00-19:00",
        "allergens_handled": ["卵"],
    }
    values.update(overrides)
    return VenueService(db).create(VenueInput(**values))


def add_household(
    db: Database,
    given: str = "花子",
    kana: str = "はなこ",
    *,
    size: int = 1,
    consent: bool = True,
    coordinates: str = HOME,
    allergens: tuple[str, ...] = ("卵",),
) -> Household:
    members = [member(given_name=given, given_kana=kana, allergens=list(allergens))]
    members += [
        member(
            given_name=f"家族{i}",
            given_kana=f"かぞく{'いろはにほへと'[i]}",
            relation="child",
            birth_date=f"H{10 + i}.4.1",
        )
        for i in range(1, size)
    ]
    created = HouseholdService(db).create(household(coordinates=coordinates, members=members))
    if consent:
        record_consent(
            db,
            created.id,
            ConsentInput(
                consented_on="2024-02-01",
                purposes=["venue_connection"],
                recipients=["assigned_venue"],
            ),
        )
    return created


def assignments(db: Database, household_id: uuid.UUID | None = None) -> list[Assignment]:
    query = select(Assignment).order_by(Assignment.start_on, Assignment.created_at)
    if household_id is not None:
        query = query.where(Assignment.household_id == household_id)
    with db.read() as session:
        return list(session.scalars(query))


@pytest.fixture
def venues(db: Database) -> dict[str, Venue]:
    """Three venues around the household: the nearest cannot cater for its egg allergy."""
    return {
        NEXT_DOOR: add_venue(db, NEXT_DOOR, "36.5601, 136.6500", allergens_handled=[]),
        NEAR: add_venue(db, NEAR, "36.5610, 136.6500"),
        FAR: add_venue(db, FAR, "36.5800, 136.6500", kind="salon"),
    }


# --- windows ---------------------------------------------------------------------------------
@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def window(qtbot: QtBot, db: Database, prompter: FakePrompter) -> Iterator[MainWindow]:
    win = MainWindow(db, prompter=prompter, settings=Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for editor in list(win.editors.values()):
        editor._closing = True
        editor.close()
    dialog = win.venue_list.allocate_dialog
    if dialog is not None:
        dialog.done(0)
    QThreadPool.globalInstance().waitForDone()


def open_assignment_tab(qtbot: QtBot, window: MainWindow, household_id: uuid.UUID) -> Any:
    editor = window.open_household(household_id)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    tabs: QTabWidget = editor.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == "会場の利用")
    bar = tabs.tabBar()
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    panel = editor.assignment
    assert isinstance(panel, AssignmentPanel)
    assert tabs.currentWidget() is panel
    return editor, panel


def names(panel: AssignmentPanel) -> list[str]:
    model = panel.suggestions_model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def row_of(panel: AssignmentPanel, name: str) -> int:
    return next(i for i, shown in enumerate(names(panel)) if shown.startswith(name))


def click_row(qtbot: QtBot, view: QAbstractItemView, row: int) -> None:
    rect = view.visualRect(view.model().index(row, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def cell(panel: AssignmentPanel, row: int, column: int) -> str:
    return str(panel.suggestions_model.index(row, column).data())


def household_list_venue(window: MainWindow, case_number: str) -> str:
    model = window.household_list.model
    row = next(r for r in range(model.rowCount()) if model.row_at(r).case_number == case_number)
    return str(model.index(row, 6).data())


# --- one household ---------------------------------------------------------------------------
def test_refer_move_and_end_from_the_household_tab(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    venues: dict[str, Venue],
    prompter: FakePrompter,
) -> None:
    family = add_household(db)
    window.household_list.reload_now()
    editor, panel = open_assignment_tab(qtbot, window, family.id)

    assert panel.current_label.text() == "未割り当て"
    assert not panel.end_button.isEnabled()
    assert panel.problem_label.isHidden()
    assert names(panel) == [NEAR, FAR, NEXT_DOOR]  # ranked, then the excluded one
    assert cell(panel, 0, 1) == "0.1"
    assert cell(panel, 0, 2) == "1"
    assert cell(panel, 0, 3) == "10"
    assert cell(panel, 0, 4).startswith("直線距離 0.1 km、今後1週間に1回開催")
    assert "アレルギーに対応可" in cell(panel, 0, 4)
    assert cell(panel, 2, 4) == "対象外：アレルギーに対応できない：卵"
    assert isinstance(
        panel.suggestions_model.index(2, 0).data(Qt.ItemDataRole.ForegroundRole), QColor
    )
    assert panel.suggestions_model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    assert "保存" in panel.assign_button.toolTip()

    assert not panel.assign_button.isEnabled()  # nothing selected yet
    click_row(qtbot, panel.suggestions_table, 2)
    assert not panel.assign_button.isEnabled()  # an excluded venue cannot be chosen
    click_row(qtbot, panel.suggestions_table, 0)
    assert panel.assign_button.isEnabled()
    with qtbot.waitSignal(window.household_list.rows_loaded, timeout=5000):  # its row alone
        qtbot.mouseClick(panel.assign_button, Qt.MouseButton.LeftButton)

    assert prompter.errors == []
    (first,) = assignments(db, family.id)
    assert (first.venue_id, first.status, first.start_on) == (
        venues[NEAR].id,
        "active",
        date.today(),
    )
    assert first.reason.startswith("直線距離 0.1 km")
    assert panel.current_label.text() == f"{NEAR}（{date.today().isoformat()}から利用中）"
    assert names(panel)[0] == NEAR + "（利用中）"
    assert panel.end_button.isEnabled()
    assert panel.history_model.rowCount() == 1
    assert household_list_venue(window, family.case_number) == NEAR
    assert not editor.is_dirty()  # a referral is not an edit of the household's record

    # Move the family: Enter on the other venue's row refers it at once.
    panel.suggestions_table.setFocus()
    panel.suggestions_table.selectRow(row_of(panel, FAR))
    qtbot.keyClick(panel.suggestions_table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: panel.current_label.text().startswith(FAR))
    assert prompter.errors == []
    history = [panel.history_model.index(r, 0).data() for r in range(2)]
    assert sorted(history) == sorted([NEAR, FAR])
    current, ended = sorted(assignments(db, family.id), key=lambda a: a.status)
    assert (ended.venue_id, ended.status, ended.end_on) == (venues[NEAR].id, "ended", date.today())
    assert (current.venue_id, current.status) == (venues[FAR].id, "active")
    assert current.reason.startswith(f"「{FAR}」へ変更")

    # End the referral: the reason is required, the date defaults to today.
    qtbot.keyClick(editor, Qt.Key.Key_E, ALT)  # 利用を終了(&E)
    qtbot.waitUntil(panel.end_form.isVisible)
    assert panel.end_date.text() == date.today().isoformat()
    assert panel.end_reason.hasFocus()
    qtbot.keyClick(panel.end_reason, Qt.Key.Key_Return)
    assert panel.end_message.text() == "終了の理由：入力してください"
    assert assignments(db, family.id)[-1].status == "active"
    type_japanese(panel.end_reason, "仮設住宅へ転居")
    with qtbot.waitSignal(panel.assignment_changed):
        qtbot.mouseClick(panel.end_confirm, Qt.MouseButton.LeftButton)
    assert [a.status for a in assignments(db, family.id)] == ["ended", "ended"]
    last = next(a for a in assignments(db, family.id) if a.venue_id == venues[FAR].id)
    assert (last.end_on, last.end_reason) == (date.today(), "仮設住宅へ転居")
    assert panel.current_label.text() == "未割り当て"
    assert panel.end_form.isHidden()
    assert not panel.end_button.isEnabled()
    assert not editor.is_dirty()

    # The household is still saved normally after the referrals (no stale version).
    editor.form.phone.setText("090-2222-3333")
    assert editor.save()
    assert prompter.errors == []


def test_a_refused_referral_is_explained(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    venues: dict[str, Venue],
    prompter: FakePrompter,
) -> None:
    family = add_household(db, consent=False)
    _editor, panel = open_assignment_tab(qtbot, window, family.id)
    assert panel.problem_label.isVisible()
    assert panel.problem_label.text().startswith("会場への紹介に同意がありません")
    assert "color: #b00020" in panel.problem_label.styleSheet()

    panel.suggestions_table.setFocus()
    panel.suggestions_table.selectRow(0)
    qtbot.keyClick(panel.suggestions_table, Qt.Key.Key_Return)
    assert prompter.errors == [
        "この世帯には会場への紹介の同意がありません。先に同意を記録してください"
    ]
    record_consent(
        db,
        family.id,
        ConsentInput(
            consented_on="2024-02-01", purposes=["venue_connection"], recipients=["assigned_venue"]
        ),
    )
    panel.refresh()
    assert panel.problem_label.isHidden()
    # Double-clicking an excluded venue asks the service, which says why not.
    click_row(qtbot, panel.suggestions_table, 2)  # a double-click: press, release, press…
    rect = panel.suggestions_table.visualRect(panel.suggestions_model.index(2, 0))
    qtbot.mouseDClick(
        panel.suggestions_table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center()
    )
    assert prompter.errors[-1] == "この会場には紹介できません：アレルギーに対応できない：卵"
    assert assignments(db) == []


def test_without_coordinates_the_tab_says_what_to_enter(
    qtbot: QtBot, window: MainWindow, db: Database, venues: dict[str, Venue]
) -> None:
    created = HouseholdService(db).create(
        household(coordinates="", current_address="どこかの町1-1", postal_code="")
    )
    _editor, panel = open_assignment_tab(qtbot, window, created.id)
    assert panel.problem_label.text().startswith("住所から場所を特定できません：")
    assert "緯度経度を入力してください" in panel.problem_label.text()
    assert panel.suggestions_model.rowCount() == 0
    assert not panel.assign_button.isEnabled()


def test_a_new_household_typed_with_a_postal_code_is_ranked_before_it_is_saved(
    qtbot: QtBot, window: MainWindow, venues: dict[str, Venue]
) -> None:
    """A coordinator types a family with only a postal code and an address (no coordinates, as
    every list has): the 会場の利用 tab ranks the venues near it before anything is saved."""
    editor: HouseholdEditor = window.new_household()
    qtbot.waitExposed(editor)
    form = editor.form
    qtbot.keyClicks(form.postal_code, "920-0961")  # fills 石川県金沢市香林坊
    qtbot.keyClicks(form.current_address, "2-4-1")
    assert form.coordinates_hint.text() == "香林坊二丁目の代表点（町丁目）"
    type_japanese(editor.members.family_name, "能登")
    type_japanese(editor.members.family_kana, "のと")
    type_japanese(editor.members.given_kana, "はな")
    editor.validate()
    tabs: QTabWidget = editor.tabs
    index = next(i for i in range(tabs.count()) if tabs.tabText(i) == "会場の利用")
    tabs.setCurrentIndex(index)
    panel = editor.assignment
    qtbot.waitUntil(lambda: panel.suggestions_model.rowCount() > 0)
    names = [panel.suggestions_model.index(r, 0).data() for r in range(3)]
    assert names[0] == NEAR  # the nearest that caters for the egg-free default member
    assert "同意" in panel.problem_label.text()  # no consent recorded yet: said, not hidden
    panel.suggestions_table.selectRow(0)
    assert not panel.assign_button.isEnabled()  # a referral is of a saved household
    assert "保存した後" in panel.hint.text()
    qtbot.keyClicks(form.postal_code, "")  # the form changes: the tab follows it
    form.current_address.setText("")
    form.postal_code.setText("")
    editor.validate()
    qtbot.waitUntil(lambda: panel.suggestions_model.rowCount() == 0)
    assert panel.problem_label.text().startswith("住所から場所を特定できません")


def test_the_suggestion_model_passes_the_model_tester(
    qtmodeltester: ModelTester, db: Database, venues: dict[str, Venue]
) -> None:
    family = add_household(db)
    result = AssignmentService(db).suggest(family.id)
    model = SuggestionTableModel()
    model.set_suggestions(result.suggestions, venues[NEAR].id)
    qtmodeltester.check(model)
    assert model.index(0, 0).data() == NEAR + "（利用中）"
    assert "直線距離" in model.index(0, 4).data(Qt.ItemDataRole.ToolTipRole)


# --- bulk allocation -------------------------------------------------------------------------
@pytest.fixture
def crowd(db: Database) -> dict[str, Household]:
    """Eight people in four consenting households for seven seats, and one without consent."""
    add_venue(db, NEAR, "36.5610, 136.6500", capacity=4)
    add_venue(db, FAR, "36.5800, 136.6500", capacity=3)
    return {
        "three": add_household(db, "一子", "いちこ", size=3),
        "two": add_household(db, "二子", "ふたこ", size=2, coordinates="36.5790, 136.6500"),
        "two_b": add_household(db, "三子", "みつこ", size=2),
        "one": add_household(db, "四子", "よつこ"),
        "no_consent": add_household(db, "五子", "いつこ", consent=False),
    }


def open_dialog(qtbot: QtBot, window: MainWindow) -> AllocateDialog:
    window.show_section("venues")
    qtbot.mouseClick(window.venue_list.allocate_button, Qt.MouseButton.LeftButton)
    dialog = window.venue_list.allocate_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def make_plan(qtbot: QtBot, dialog: AllocateDialog) -> None:
    with qtbot.waitSignal(dialog.planned, timeout=PLAN_TIMEOUT_MS):
        qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible()
        assert dialog.cancel_button.isVisible()
        assert not dialog.confirm_button.isEnabled()


def test_plan_preview_and_confirm(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    crowd: dict[str, Household],
    prompter: FakePrompter,
) -> None:
    dialog = open_dialog(qtbot, window)
    assert dialog.plan is None
    assert not dialog.confirm_button.isEnabled()
    make_plan(qtbot, dialog)

    plan = dialog.plan
    assert plan is not None
    assert dialog.progress.isHidden()
    assert dialog.cancel_button.isHidden()
    assert dialog.confirm_button.isEnabled()
    assert assignments(db) == []  # a preview writes nothing

    model = dialog.placements_model
    rows = [[model.index(r, c).data() for c in range(6)] for r in range(model.rowCount())]
    seats = {NEAR: 4, FAR: 3}
    for venue, capacity in seats.items():
        assert sum(int(r[1]) for r in rows if r[2] == venue) <= capacity
    assert sum(int(r[1]) for r in rows) == 7  # every seat taken: 3+2+2 or 3+2+1+1…
    assert all(r[5].startswith("直線距離") for r in rows)
    assert {r[4] for r in rows} == {"入力された位置"}  # the crowd's points were typed
    unplaced = dialog.unplaced_model
    reasons = {
        unplaced.index(r, 0).data(): unplaced.index(r, 2).data() for r in range(unplaced.rowCount())
    }
    assert reasons[crowd["no_consent"].case_number].startswith("会場への紹介に同意がない")
    assert len(reasons) == 2  # one family does not fit; the service words why (not tested here)
    assert all(reasons.values())
    placed_people = sum(int(r[1]) for r in rows)
    assert dialog.summary.text() == (
        f"配置 {len(rows)} 世帯・{placed_people} 人、合計距離 {plan.total_km:.1f} km、最適解"
    )

    with qtbot.waitSignal(window.ctx.bus.executed):
        qtbot.keyClick(dialog, Qt.Key.Key_C, ALT)  # 確定して登録(&C)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    written = assignments(db)
    assert len(written) == len(rows)
    assert all(a.status == "active" and a.reason.startswith("一括割り当て：") for a in written)
    assert prompter.infos == [f"一括割り当て\n{len(rows)} 世帯を会場に割り当てました。"]
    assert prompter.errors == []
    loads = [window.venue_list.proxy.index(r, 8).data() for r in range(2)]
    assert sorted(loads) == ["3 / 3 人", "4 / 4 人"]


def test_closing_without_confirming_writes_nothing(
    qtbot: QtBot, window: MainWindow, db: Database, crowd: dict[str, Household]
) -> None:
    dialog = open_dialog(qtbot, window)
    make_plan(qtbot, dialog)
    assert dialog.placements_model.rowCount() > 0
    qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert assignments(db) == []


def test_cancelling_the_plan_drops_it(
    qtbot: QtBot, window: MainWindow, db: Database, crowd: dict[str, Household]
) -> None:
    dialog = open_dialog(qtbot, window)
    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.status.text() == "中止しました"
    assert dialog.plan_button.isEnabled()
    QThreadPool.globalInstance().waitForDone()
    QApplication.processEvents()
    assert dialog.plan is None
    assert dialog.placements_model.rowCount() == 0
    assert not dialog.confirm_button.isEnabled()

    qtbot.mouseClick(dialog.plan_button, Qt.MouseButton.LeftButton)  # start again, then Esc
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    QThreadPool.globalInstance().waitForDone()
    QApplication.processEvents()
    assert dialog.plan is None
    assert assignments(db) == []


def test_a_plan_overtaken_by_a_referral_is_refused_whole(
    qtbot: QtBot,
    window: MainWindow,
    db: Database,
    crowd: dict[str, Household],
    prompter: FakePrompter,
) -> None:
    window.open_allocation()  # the 会場 menu's action
    dialog = window.venue_list.allocate_dialog
    assert dialog is not None
    qtbot.waitExposed(dialog)
    make_plan(qtbot, dialog)
    assert dialog.plan is not None
    first = dialog.plan.placements[0]
    AssignmentService(db).assign(first.household.id, first.venue.id)  # someone else, meanwhile

    qtbot.mouseClick(dialog.confirm_button, Qt.MouseButton.LeftButton)
    assert prompter.errors == [
        "割り当て案の作成後に会場や世帯が変わりました。案を作り直してください"
    ]
    assert dialog.isVisible()
    assert dialog.plan is None
    assert not dialog.confirm_button.isEnabled()
    assert len(assignments(db)) == 1


def test_the_venue_menu_opens_the_allocation_dialog(qtbot: QtBot, window: MainWindow) -> None:
    menu = next(m for m in window.menuBar().findChildren(QMenu) if m.title() == "会場(&A)")
    (action,) = [a for a in menu.actions() if a.text() == "一括割り当て(&L)…"]
    action.trigger()
    dialog = window.venue_list.allocate_dialog
    assert dialog is not None and dialog.isVisible()
    assert window.stack.currentWidget() is window.venue_list
    assert window.open_allocation() is dialog  # one at a time


# --- venue load ------------------------------------------------------------------------------
def test_the_venue_list_shows_each_venues_load(
    qtbot: QtBot, db: Database, qtmodeltester: ModelTester
) -> None:
    quiet = add_venue(db, "A 静か", "36.57, 136.65", capacity=10)
    busy = add_venue(db, "B 混雑", "36.57, 136.65", capacity=5)
    full = add_venue(db, "C 満員", "36.57, 136.65", capacity=2)
    service = AssignmentService(db)
    service.assign(add_household(db, "一子", "いちこ").id, quiet.id)
    service.assign(add_household(db, "二子", "ふたこ", size=4).id, busy.id)
    service.assign(add_household(db, "三子", "みつこ", size=2).id, full.id)

    ctx = AppContext(db, prompter=FakePrompter())
    view = VenueListView(ctx)
    qtbot.addWidget(view)
    assert view.model.headers()[8] == "利用状況"
    shown = {
        view.proxy.index(r, 0).data(): view.proxy.index(r, 8) for r in range(view.proxy.rowCount())
    }
    assert shown["A 静か"].data() == "1 / 10 人"
    assert shown["B 混雑"].data() == "4 / 5 人"
    assert shown["C 満員"].data() == "2 / 2 人"
    background = Qt.ItemDataRole.BackgroundRole
    assert shown["A 静か"].data(background) is None
    assert shown["B 混雑"].data(background) == BUSY_COLOUR
    assert shown["C 満員"].data(background) == FULL_COLOUR
    assert shown["B 混雑"].data(Qt.ItemDataRole.ToolTipRole) == (
        "1 世帯・4 人が利用中（定員 5 人、空き 1 人）"
    )
    view.table.sortByColumn(8, Qt.SortOrder.DescendingOrder)  # by how full, not by text
    assert [view.proxy.index(r, 0).data() for r in range(3)] == ["C 満員", "B 混雑", "A 静か"]
    qtmodeltester.check(view.model)

    # A referral made elsewhere updates the load through the change bus, on the screen.
    view.show()
    qtbot.waitExposed(view)
    service.assign(add_household(db, "四子", "よつこ").id, busy.id)
    ctx.bus.announce(Changes.of(Kind.ASSIGNMENT))
    busy_row = next(r for r in range(3) if view.proxy.index(r, 0).data() == "B 混雑")
    assert view.proxy.index(busy_row, 8).data() == "5 / 5 人"
    assert view.proxy.index(busy_row, 8).data(background) == FULL_COLOUR


def test_a_venue_list_model_without_loads_leaves_the_column_empty(
    qtmodeltester: ModelTester, db: Database
) -> None:
    add_venue(db, "A", "36.57, 136.65")
    model = VenueTableModel()
    model.set_rows(VenueService(db).list())
    qtmodeltester.check(model)
    assert model.index(0, 8).data() == ""
    assert model.index(0, 8).data(VenueTableModel.SORT_ROLE) == -1.0


def test_the_map_shows_the_plan_and_a_familys_usable_venues(
    qtbot: QtBot, window: MainWindow, db: Database, crowd: dict[str, Household]
) -> None:
    add_venue(db, NEXT_DOOR, "36.5601, 136.6500", allergens_handled=[])  # no egg-free meals
    dialog = open_dialog(qtbot, window)
    make_plan(qtbot, dialog)
    plan = dialog.plan
    assert plan is not None
    panel = dialog.map
    assert set(panel.venues) == {v.id for v in AssignmentService(db).venues()}
    assert len(panel.households) == len(plan.placements) + len(plan.unplaced)
    assert panel.highlighted_venue_ids() == set()
    assert panel.scale_bar_km() > 0

    # Enter on a row of the plan shows that family on the map, with the venues it could use.
    table = dialog.tabs.widget(0).findChild(QAbstractItemView)
    assert table is not None
    table.setFocus()
    table.selectRow(0)
    qtbot.keyClick(table, Qt.Key.Key_Return)
    assert dialog.tabs.currentIndex() == 1
    usable = {v.id for v in AssignmentService(db).venues() if v.name != NEXT_DOOR}
    assert panel.highlighted_venue_ids() == usable
    panel.select_household(None)
    assert panel.highlighted_venue_ids() == set()


def test_plan_lists_the_households_placed_from_an_approximate_point(
    qtbot: QtBot, db: Database, window: MainWindow
) -> None:
    """A list gave only 金沢市 for one family: it is placed like the others, and the plan says
    its distance is approximate (the 位置 column, the summary), as the map draws it as a ring."""
    add_venue(db, NEAR, "36.5610, 136.6500", capacity=10)
    exact = add_household(db, "一子", "いちこ")
    rough = HouseholdService(db).create(
        household(
            coordinates="",
            current_address="金沢市",
            postal_code="",
            members=[member(given_name="二子", given_kana="ふたこ")],
        )
    )
    record_consent(
        db,
        rough.id,
        ConsentInput(
            consented_on="2024-02-01", purposes=["venue_connection"], recipients=["assigned_venue"]
        ),
    )
    dialog = open_dialog(qtbot, window)
    make_plan(qtbot, dialog)
    model = dialog.placements_model
    where = {model.index(r, 0).data(): model.index(r, 4).data() for r in range(model.rowCount())}
    assert where == {exact.case_number: "入力された位置", rough.case_number: "およそ（市区町村）"}
    reason = next(p.reason for p in dialog.plan.placements if p.household.id == rough.id)
    assert "およその距離" in reason
    assert dialog.summary.text().endswith(
        "。うち 1 世帯は住所からおよその位置しか分からず、距離もおよそです（「位置」列）"
    )
