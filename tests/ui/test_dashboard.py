"""The dashboard tells who to call today, and why."""

from __future__ import annotations

from datetime import date, timedelta

from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import MealLog
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.sections.overview import DashboardPage
from tests.factories import household, member
from tests.ui.fakes import FakePrompter


def test_a_household_that_stopped_coming_is_on_the_at_risk_list_with_the_reason(
    qtbot: QtBot, db: Database
) -> None:
    venue = VenueService(db).create(VenueInput(name="こども食堂 ひだまり", capacity=40))
    service = HouseholdService(db)
    regular = service.create(household(members=[member(birth_date="1990-01-01")]))
    stopped = service.create(
        household(members=[member(given_name="清", given_kana="キヨシ", birth_date="1985-01-01")])
    )
    today = date.today()
    with db.session() as session:
        for weeks_ago in range(1, 8):  # the regular comes every week, still
            session.add(
                MealLog(
                    venue_id=venue.id,
                    household_id=regular.id,
                    meal_type="eat_in",
                    served_on=today - timedelta(weeks=weeks_ago),
                    adults=1,
                )
            )
        for weeks_ago in range(3, 9):  # came every week, then nothing for three weeks
            session.add(
                MealLog(
                    venue_id=venue.id,
                    household_id=stopped.id,
                    meal_type="eat_in",
                    served_on=today - timedelta(weeks=weeks_ago),
                    adults=1,
                )
            )
    page = DashboardPage(AppContext(db, prompter=FakePrompter(), settings=Settings()))
    qtbot.addWidget(page)
    page.show()
    with qtbot.waitSignal(page.risk_loaded, timeout=10_000):
        page.refresh()
    rows = page.at_risk.rows()
    assert [r.case_number for r in rows] == [stopped.case_number]
    assert page.at_risk.index(0, 0).data() == "高"
    assert page.at_risk.index(0, 2).data() == "山田 清"
    assert "よく来ていた会場に21日間来ていない" in page.at_risk.index(0, 4).data()
    assert page.tiles["households"].value.text() == "2"
    assert sum(page.meals_chart.series["こども食堂 ひだまり"]) >= 10
    assert page.risk_chart.series["高"][-1] == 1
