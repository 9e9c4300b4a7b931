"""A merged package brings the household facts (risk, last contact) up to date on the receiver."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from evacsupport.db.facts import stale_households
from evacsupport.db.models import HouseholdFacts
from evacsupport.services.caseload import load_caseload
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member
from tests.sync.conftest import Laptop


def _facts(side: Laptop, household_id: object) -> HouseholdFacts | None:
    with side.db.read() as s:
        assert stale_households(s.connection()) == []
        return s.get(HouseholdFacts, household_id)


def test_merged_activity_updates_the_receivers_facts(laptop: Callable[[str], Laptop]) -> None:
    one, two = laptop("one"), laptop("two")
    today = date.today()
    venue = VenueService(one.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    home = HouseholdService(one.db).create(household(members=[member(birth_date="1940-01-01")]))
    head = HouseholdService(one.db).get(home.id).members[0].id
    meal = MealService(one.db).log(
        MealEntry(venue.id, home.case_number, served_on=today - timedelta(days=20))
    )
    two.receive(one.send(two), accept_unknown=True)
    facts = _facts(two, home.id)
    assert facts is not None and facts.last_contact == today - timedelta(days=20)
    (row,) = load_caseload(two.db)
    assert row.last_contact == today - timedelta(days=20) and row.risk.level  # alone, no contact

    # an undo (an update on the receiver), a visit and a check-in (inserts) in the next package
    MealService(one.db).undo(meal.id)
    contacts = ContactService(one.db)
    contacts.record_visit(home.id, VisitInput(visited_on=today - timedelta(days=2)))
    contacts.record_checkin(home.id, CheckInInput(head, today, k6=[3] * 6))
    two.receive(one.send(two), accept_unknown=True)
    facts = _facts(two, home.id)
    assert facts is not None
    assert (facts.last_meal, facts.last_contact, facts.latest_k6) == (None, today, 18)
    (row,) = load_caseload(two.db)
    assert row.last_contact == today
    with one.db.read() as s:
        assert s.get(HouseholdFacts, home.id).recent_meals == facts.recent_meals == []  # type: ignore[union-attr]
