"""Every way data is written reaches the sync log: the forms, the counter and bulk imports."""

from __future__ import annotations

from collections.abc import Callable

from evacsupport.importers import import_households, import_meals, import_venues
from tests.importers.helpers import households, write_csv
from tests.importers.test_venues_meals import VENUE
from tests.sync.conftest import Laptop
from tests.sync.helpers import count, dump


def test_imported_households_and_meals_travel_like_typed_ones(
    laptop: Callable[[str], Laptop],
) -> None:
    office, other = laptop("office"), laptop("other")
    folder = office.folder
    import_venues(office.db, write_csv(folder / "venues.csv", [VENUE]))
    import_households(office.db, write_csv(folder / "list.csv", households(3)))
    meal = {"日付": "R6.3.1", "会場": "にこにこ食堂", "世帯番号": "N24-000001", "種別": "会食",
            "大人": "1", "子ども": "0"}  # fmt: skip
    import_meals(office.db, write_csv(folder / "meals.csv", [meal, {**meal, "種別": "弁当"}]))
    other.receive(office.send(other), accept_unknown=True)
    assert count(other.db, "household") == 3 and count(other.db, "meal_log") == 2
    assert dump(office.db) == dump(other.db)


def test_a_save_that_changes_nothing_logs_nothing(laptop: Callable[[str], Laptop]) -> None:
    from evacsupport.services.households import HouseholdService
    from tests.factories import household, member

    office = laptop("office")
    service = HouseholdService(office.db)
    home = service.create(household())
    before = count(office.db, "sync_change")
    head = home.current_members[0]
    service.update(home.id, household(members=[member(id=head.id)]))
    assert count(office.db, "sync_change") == before
    service.update(home.id, household(phone="076-000-0000", members=[member(id=head.id)]))
    assert count(office.db, "sync_change") == before + 1
