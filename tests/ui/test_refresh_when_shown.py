"""A meal at the counter never makes the hidden pages read the whole caseload: the window
stays ready for the next person in the queue; the pages catch up when they are shown."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services import caseload
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealService
from evacsupport.ui.context import ChangeBus
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.views.households import list_view
from evacsupport.ui.views.sections import overview


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Who read the caseload, in order."""
    seen: list[str] = []

    def counted(who: str) -> Any:
        def load(*args: Any, **kwargs: Any) -> Any:
            seen.append(who)
            return caseload.load_caseload(*args, **kwargs)

        return load

    monkeypatch.setattr(list_view, "load_caseload", counted("households"))
    monkeypatch.setattr(overview, "load_caseload", counted("dashboard"))
    return seen


def test_meals_at_the_counter_leave_the_hidden_pages_alone_until_shown(
    qtbot: QtBot, demo_db: Database, reads: list[str]
) -> None:
    window = MainWindow(demo_db, settings=Settings(staff_name="佐藤"))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    with qtbot.waitSignal(window.dashboard.loaded, timeout=10_000):
        window.show_section("dashboard")
    window.show_section("meals")
    counter = window.counter
    counter.scan.setFocus()
    reads.clear()
    numbers = [h.case_number for h in HouseholdService(demo_db).search("")[:5]]
    for number in numbers:
        qtbot.keyClicks(counter.scan, number)
        qtbot.keyClick(counter.scan, Qt.Key.Key_Return)
        assert counter.scan.hasFocus() and counter.scan.text() == ""  # ready for the next
    venue_id = counter.venue_id()
    assert venue_id is not None
    logged = MealService(demo_db).session_log(venue_id, counter.served_on())
    assert len(logged) >= len(numbers)
    qtbot.wait(50)  # any refresh the meals set off has started by now
    assert reads == []  # neither the dashboard nor the household list read the caseload

    with qtbot.waitSignal(window.dashboard.loaded, timeout=10_000):
        window.show_section("dashboard")
    assert reads == ["dashboard"]
    window.show_section("households")  # it was told of the meals: it catches up now
    qtbot.waitUntil(lambda: "households" in reads, timeout=10_000)


def test_a_visible_page_refreshes_at_once_and_a_hidden_one_when_shown(qtbot: QtBot) -> None:
    bus = ChangeBus()
    page = QWidget()
    qtbot.addWidget(page)
    calls: list[str] = []
    RefreshWhenShown(page, bus, lambda: calls.append("now"), ("activity",), catch_up=True)
    bus.changed.emit("activity")
    assert calls == []  # hidden
    bus.changed.emit("venue")  # not its business
    page.show()
    qtbot.waitUntil(lambda: calls == ["now"])
    bus.changed.emit("activity")
    assert calls == ["now", "now"]  # visible: at once
    bus.changed.emit("venue")
    assert calls == ["now", "now"]
    page.hide()
    page.show()
    qtbot.wait(10)
    assert calls == ["now", "now"]  # nothing changed meanwhile: no reload on showing


def test_without_catch_up_a_hidden_page_leaves_it_to_whoever_shows_it(qtbot: QtBot) -> None:
    bus = ChangeBus()
    page = QWidget()
    qtbot.addWidget(page)
    calls: list[str] = []
    RefreshWhenShown(page, bus, lambda: calls.append("now"))
    bus.changed.emit("household")
    page.show()
    qtbot.wait(10)
    assert calls == []


def test_tabs_load_when_one_is_first_shown_and_follow_changes_only_while_seen(
    qtbot: QtBot,
) -> None:
    """The household editor's activity tabs: nothing read on opening; a meal logged elsewhere
    while they are hidden is read when one is shown, not at once."""
    bus = ChangeBus()
    tabs = QTabWidget()
    qtbot.addWidget(tabs)
    form, meals, visits = QWidget(), QWidget(), QWidget()
    for page, title in ((form, "基本情報"), (meals, "食事"), (visits, "訪問")):
        tabs.addTab(page, title)
    loads: list[int] = []
    RefreshWhenShown(
        [meals, visits], bus, lambda: loads.append(1), ("activity",), catch_up=True, stale=True
    )
    tabs.show()
    qtbot.waitExposed(tabs)
    assert loads == []  # the form tab is shown: nothing read yet
    bus.changed.emit("activity")
    assert loads == []
    tabs.setCurrentWidget(meals)
    assert loads == [1]
    tabs.setCurrentWidget(visits)
    assert loads == [1]  # nothing changed since
    bus.changed.emit("activity")
    assert loads == [1, 1]  # shown: at once
