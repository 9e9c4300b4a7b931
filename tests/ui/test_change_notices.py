"""A write says what it changed, and the pages on show read again only that: the household
list the rows of the households named (keeping the selection), the dashboard its numbers and
those households' place in the at-risk list. A change naming no household reloads the whole."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services import caseload
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.contacts import CheckInInput, ContactService
from evacsupport.services.households import HouseholdService
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.households import list_view
from evacsupport.ui.views.households.list_view import HouseholdListView
from evacsupport.ui.views.sections import overview
from evacsupport.ui.views.sections.overview import DashboardPage
from tests.factories import household, member
from tests.ui.fakes import FakePrompter

LAST_CONTACT, HEAD = 7, 1


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each read of the caseload: "all", or how many households it named."""
    seen: list[str] = []

    def counted(*args: Any, **kwargs: Any) -> Any:
        named = kwargs.get("households")
        seen.append("all" if named is None else str(len(named)))
        return caseload.load_caseload(*args, **kwargs)

    monkeypatch.setattr(list_view, "load_caseload", counted)
    monkeypatch.setattr(overview, "load_caseload", counted)
    return seen


@pytest.fixture
def ctx(db: Database) -> AppContext:
    service = HouseholdService(db)
    for i in range(6):
        service.create(household(members=[member(given_name=f"花子{i}", birth_date="1985-01-01")]))
    return AppContext(db, prompter=FakePrompter(), settings=Settings(staff_name="佐藤"))


def shown_list(qtbot: QtBot, ctx: AppContext) -> HouseholdListView:
    view = HouseholdListView(ctx)
    qtbot.addWidget(view)
    view.reload_now()
    view.show()
    qtbot.waitExposed(view)
    return view


def cell(view: HouseholdListView, case_number: str, column: int) -> Any:
    return view.model.index(view.model.row_of(case_number), column).data()


def checkin(ctx: AppContext, case_number: str, k6: int) -> Changes:
    [found] = ctx.households.search(case_number)
    head = ctx.households.get(found.id).current_members[0]
    ContactService(ctx.db).record_checkin(
        found.id, CheckInInput(member_id=head.id, checked_on=date.today(), k6=[k6] * 6)
    )
    return Changes.of(Kind.ACTIVITY, households=[found.id])


def test_a_check_in_rereads_that_households_row_and_keeps_the_selection(
    qtbot: QtBot, ctx: AppContext, reads: list[str]
) -> None:
    view = shown_list(qtbot, ctx)
    numbers = [view.model.row_at(r).case_number for r in range(view.model.rowCount())]
    view.table.selectRow(view.model.row_of(numbers[4]))
    assert cell(view, numbers[1], LAST_CONTACT) is None
    reads.clear()

    with qtbot.waitSignal(view.rows_loaded):
        ctx.bus.announce(checkin(ctx, numbers[1], 1))
    assert reads == ["1"]
    assert cell(view, numbers[1], LAST_CONTACT) == date.today().isoformat()
    assert view.table.currentIndex().row() == view.model.row_of(numbers[4])  # still selected
    assert view.count_label.text() == "6 / 6 世帯"


def test_a_new_household_appears_and_an_erased_one_goes_by_their_rows_alone(
    qtbot: QtBot, ctx: AppContext, reads: list[str]
) -> None:
    view = shown_list(qtbot, ctx)
    reads.clear()
    added = ctx.households.create(household(members=[member(given_name="新規")]))
    with qtbot.waitSignal(view.rows_loaded):
        ctx.bus.announce(Changes.of(Kind.HOUSEHOLD, households=[added.id]))
    assert cell(view, added.case_number, HEAD) == "山田 新規"
    assert view.count_label.text() == "7 / 7 世帯"

    ctx.households.soft_delete(added.id)
    with qtbot.waitSignal(view.rows_loaded):
        ctx.bus.announce(Changes.of(Kind.HOUSEHOLD, households=[added.id]))
    assert view.model.row_of(added.case_number) == -1
    assert view.count_label.text() == "6 / 6 世帯"
    assert reads == ["1", "1"]


def test_a_change_naming_no_household_reloads_the_list(
    qtbot: QtBot, ctx: AppContext, reads: list[str]
) -> None:
    view = shown_list(qtbot, ctx)
    reads.clear()
    with qtbot.waitSignal(view.loaded):
        ctx.bus.announce(Changes.everything())  # an import, a sync merge
    assert reads == ["all"]


def test_the_dashboard_rereads_its_numbers_and_the_households_at_risk_named(
    qtbot: QtBot, ctx: AppContext, reads: list[str]
) -> None:
    page = DashboardPage(ctx)
    qtbot.addWidget(page)
    page.show()
    qtbot.waitExposed(page)
    with qtbot.waitSignal(page.loaded):
        page.refresh()
    assert page.at_risk.rows() == []
    number = ctx.households.search("")[2].case_number
    reads.clear()

    with qtbot.waitSignal(page.rows_loaded):
        ctx.bus.announce(checkin(ctx, number, 4))  # K6 24: serious distress
    assert reads == ["1"]
    [row] = page.at_risk.rows()
    assert row.case_number == number and row.risk.reasons
    with qtbot.waitSignal(page.rows_loaded):
        ctx.bus.announce(checkin(ctx, number, 0))  # a better day since
    assert page.at_risk.rows() == []
    assert page.tiles["households"].value.text() == "6"
