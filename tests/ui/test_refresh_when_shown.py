"""A meal at the counter never makes the hidden pages read the whole caseload: the window
stays ready for the next person in the queue; the pages catch up when they are shown."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services import caseload
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealService
from evacsupport.ui.context import ChangeBus
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.views.households import list_view
from evacsupport.ui.views.sections import overview


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Who read the caseload, in order ("households:5": the rows of five households only)."""
    seen: list[str] = []

    def counted(who: str) -> Any:
        def load(*args: Any, **kwargs: Any) -> Any:
            named = kwargs.get("households")
            seen.append(who if named is None else f"{who}:{len(named)}")
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
    qtbot.waitUntil(counter.idle)  # typed ahead: each saved on the writer, in turn
    venue_id = counter.venue_id()
    assert venue_id is not None
    logged = MealService(demo_db).session_log(venue_id, counter.served_on())
    assert len(logged) >= len(numbers)
    qtbot.wait(50)  # any refresh the meals set off has started by now
    assert reads == []  # neither the dashboard nor the household list read the caseload

    with qtbot.waitSignal(window.dashboard.loaded, timeout=10_000):
        window.show_section("dashboard")
    assert reads == ["dashboard"]
    window.show_section("households")  # it was told of the meals: it catches up now,
    qtbot.waitUntil(lambda: len(reads) == 2, timeout=10_000)  # reading only their rows
    assert reads == ["dashboard", f"households:{len(numbers)}"]


MEAL = Changes.of(Kind.ACTIVITY, households=[uuid.uuid4()])
VENUE = Changes.of(Kind.VENUE)


def test_a_visible_page_refreshes_at_once_and_a_hidden_one_when_shown(qtbot: QtBot) -> None:
    bus = ChangeBus()
    page = QWidget()
    qtbot.addWidget(page)
    calls: list[Changes | None] = []
    RefreshWhenShown(page, bus, calls.append, (Kind.ACTIVITY,), catch_up=True)
    bus.announce(MEAL)
    assert calls == []  # hidden
    bus.announce(VENUE)  # not its business
    page.show()
    qtbot.waitUntil(lambda: calls == [MEAL])
    bus.announce(MEAL)
    assert calls == [MEAL, MEAL]  # visible: at once
    bus.announce(VENUE)
    assert calls == [MEAL, MEAL]
    page.hide()
    page.show()
    qtbot.wait(10)
    assert calls == [MEAL, MEAL]  # nothing changed meanwhile: no reload on showing


def test_what_a_hidden_page_missed_comes_in_one_value(qtbot: QtBot) -> None:
    bus = ChangeBus()
    page = QWidget()
    qtbot.addWidget(page)
    calls: list[Changes | None] = []
    RefreshWhenShown(page, bus, calls.append, catch_up=True)
    first, second = (Changes.of(Kind.ACTIVITY, households=[uuid.uuid4()]) for _ in range(2))
    bus.announce(first)
    bus.announce(second)
    page.show()
    qtbot.waitUntil(lambda: len(calls) == 1)
    [missed] = calls
    assert missed is not None and missed.households == first.households | second.households
    page.hide()
    bus.announce(first)
    bus.announce(Changes.of(Kind.HOUSEHOLD))  # no households named: any of them
    page.show()
    qtbot.waitUntil(lambda: len(calls) == 2)
    assert calls[1] is not None and calls[1].households is None


def test_a_page_is_not_told_of_its_own_changes(qtbot: QtBot) -> None:
    bus = ChangeBus()
    page = QWidget()
    qtbot.addWidget(page)
    page.show()
    calls: list[Changes | None] = []
    RefreshWhenShown(page, bus, calls.append, own=page)
    bus.announce(MEAL, page)
    assert calls == []
    bus.announce(MEAL, object())
    assert calls == [MEAL]


def test_without_catch_up_a_hidden_page_leaves_it_to_whoever_shows_it(qtbot: QtBot) -> None:
    bus = ChangeBus()
    page = QWidget()
    qtbot.addWidget(page)
    calls: list[Changes | None] = []
    RefreshWhenShown(page, bus, calls.append)
    bus.announce(Changes.of(Kind.HOUSEHOLD))
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
    loads: list[Changes | None] = []
    RefreshWhenShown(
        [meals, visits], bus, loads.append, (Kind.ACTIVITY,), catch_up=True, stale=True
    )
    tabs.show()
    qtbot.waitExposed(tabs)
    assert loads == []  # the form tab is shown: nothing read yet
    bus.announce(MEAL)
    assert loads == []
    tabs.setCurrentWidget(meals)
    assert loads == [None]  # its first load: everything
    tabs.setCurrentWidget(visits)
    assert loads == [None]  # nothing changed since
    bus.announce(MEAL)
    assert loads == [None, MEAL]  # shown: at once
