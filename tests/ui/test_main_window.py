"""The main window on a demo database, used as a coordinator would."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.services.households import HouseholdService
from evacsupport.ui.main_window import MainWindow
from tests.ui.helpers import type_japanese


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database) -> MainWindow:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    return win


def visible_case_numbers(win: MainWindow) -> list[str]:
    model = win.household_list.model
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_window_opens_on_the_household_list(window: MainWindow, demo_db: Database) -> None:
    assert len(visible_case_numbers(window)) == HouseholdService(demo_db).count() == 120
    assert demo_db.description in window.db_label.text()
    assert window.household_list.count_label.text() == "120 / 120 世帯"


def test_find_a_household_by_furigana_typed_in_hiragana(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    target = HouseholdService(demo_db).search("")[17]
    hiragana = "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in target.head_kana)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.household_list.search_box.hasFocus()
    type_japanese(window.household_list.search_box, hiragana)
    qtbot.waitUntil(lambda: len(visible_case_numbers(window)) < 120, timeout=2000)
    rows = visible_case_numbers(window)
    assert target.case_number in rows
    shown = window.household_list.model.row_at(rows.index(target.case_number))
    assert shown.head_name == target.head_name


def test_search_by_case_number_typed_on_the_keyboard(qtbot: QtBot, window: MainWindow) -> None:
    box = window.household_list.search_box
    qtbot.keyClicks(box, "n24-000042")
    qtbot.waitUntil(lambda: visible_case_numbers(window) == ["N24-000042"], timeout=2000)
    with qtbot.waitSignal(window.household_list.household_activated) as signal:
        qtbot.keyClick(box, Qt.Key.Key_Return)  # Enter opens it, as the README says
    assert signal.args[0] == window.household_list.model.row_at(0).id


def test_up_and_down_in_the_search_box_move_in_the_list_and_enter_opens(
    qtbot: QtBot, window: MainWindow
) -> None:
    box = window.household_list.search_box
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert box.hasFocus()
    qtbot.keyClicks(box, "n24-00004")  # N24-000040 … N24-000049
    qtbot.waitUntil(lambda: len(visible_case_numbers(window)) == 10, timeout=2000)
    for key in (Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Up):
        qtbot.keyClick(box, key)
    assert box.hasFocus()  # typing goes on into the search
    model = window.household_list.model
    with qtbot.waitSignal(window.household_list.household_activated) as signal:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert signal.args[0] == model.row_at(1).id  # the first row, then down twice, up once


def test_a_search_with_no_match_shows_an_empty_list(qtbot: QtBot, window: MainWindow) -> None:
    type_japanese(window.household_list.search_box, "存在しない名前")
    qtbot.waitUntil(lambda: visible_case_numbers(window) == [], timeout=2000)
    assert window.household_list.count_label.text() == "0 / 120 世帯"


def test_every_section_opens_on_demo_data(qtbot: QtBot, window: MainWindow) -> None:
    for number, name in enumerate(MainWindow.SECTIONS, start=1):
        qtbot.keyClick(window, Qt.Key(Qt.Key.Key_0 + number), Qt.KeyboardModifier.ControlModifier)
        assert window.stack.currentWidget() is window.sections[name]
    dashboard = window.dashboard
    with qtbot.waitSignal(dashboard.loaded, timeout=10_000):  # read in the background
        window.show_section("dashboard")
    assert dashboard.tiles["households"].value.text() == "120"
    levels = [dashboard.at_risk.index(r, 0).data() for r in range(dashboard.at_risk.rowCount())]
    assert levels == sorted(levels, key=lambda level: level != "高")  # high risk first
    assert all(r.risk.reasons for r in dashboard.at_risk.rows())
    assert window.counter.venue.count() > 0  # the counter offers the demo venues
    for name in ("meals", "visits", "followups", "reports"):
        page = window.sections[name]
        if name == "meals":
            page = page.widget(1)  # type: ignore[attr-defined]  # the recent meals tab
            page.refresh()  # type: ignore[attr-defined]
        if name == "reports":
            page = page.summary  # type: ignore[attr-defined]
            page.refresh()  # type: ignore[attr-defined]
        models = getattr(page, "models", None)
        if models is not None:
            assert all(model.rowCount() > 0 for model, _fetch in models), name
        else:
            assert page.model.rowCount() > 0  # type: ignore[attr-defined]


def test_backup_from_the_file_menu_makes_a_working_copy(window: MainWindow, tmp_path: Path) -> None:
    target = tmp_path / "backup.sqlite3"
    window.save_backup(str(target))
    copy = Database(sqlite_url(target))
    assert HouseholdService(copy).count() == 120
    copy.close()
    assert "バックアップを保存しました" in window.statusBar().currentMessage()


def test_open_another_database_switches_everything(
    qtbot: QtBot, window: MainWindow, tmp_path: Path
) -> None:
    other = tmp_path / "other.sqlite3"
    window.switch_database(str(other))
    assert window.household_list.model.total() == 0
    assert str(other) in window.db_label.text()
    assert window.ctx.db.description == str(other)


def test_about_names_the_version_and_database(window: MainWindow) -> None:
    from evacsupport import __version__

    dialog = window.show_about()  # the dialog itself: tests/ui/test_about.py
    assert __version__ in dialog.version_label.text()
    assert dialog.database.text() == window.ctx.db.description
    dialog.close()


def test_a_meal_entered_just_before_closing_is_saved(
    qtbot: QtBot, window: MainWindow, demo_db: Database
) -> None:
    """The writer is still busy (a merge) when the window closes: the meal queued behind it
    lands all the same."""
    import threading

    from evacsupport.services.meals import MealService
    from evacsupport.ui.operations import Operation

    window.show_section("meals")
    counter = window.counter
    venue_id = counter.venue_id()
    assert venue_id is not None
    before = len(MealService(demo_db).session_log(venue_id, counter.served_on()))
    release = threading.Event()
    Operation(lambda p, c: release.wait(10), write=True).start(lambda _r: None, lambda _e: None)
    threading.Timer(0.3, release.set).start()
    counter.scan.setFocus()
    qtbot.keyClicks(counter.scan, HouseholdService(demo_db).search("")[0].case_number)
    qtbot.keyClick(counter.scan, Qt.Key.Key_Return)
    window.close()
    assert len(MealService(demo_db).session_log(venue_id, counter.served_on())) == before + 1
