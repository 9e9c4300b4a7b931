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


def test_households_that_only_gained_meals_get_the_facts_a_recomputation_gives(
    laptop: Callable[[str], Laptop],
) -> None:
    """A month's package is mostly new meals: those households' facts are brought up to date
    from their stored rows (the last 16 meals, the last contact, the horizon), the others are
    recomputed; either way the receiver's facts are what its history says."""
    from evacsupport.services.followups import FollowUpService

    one, two = laptop("one"), laptop("two")
    today = date.today()
    venue = VenueService(one.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    people = HouseholdService(one.db)
    regular, newcomer, visited = (
        people.create(household(members=[member(given_name=name)]))
        for name in ("一郎", "二郎", "三郎")
    )
    meals = MealService(one.db)

    def meal(home: object, days_ago: int) -> None:
        meals.log(
            MealEntry(venue.id, home.case_number, served_on=today - timedelta(days=days_ago)),  # type: ignore[attr-defined]
            confirm_duplicate=True,
        )

    for days_ago in range(40, 20, -1):  # more than the 16 kept, two on one day
        meal(regular, days_ago)
    meal(regular, 30)
    contacts = ContactService(one.db)
    contacts.record_visit(regular.id, VisitInput(visited_on=today - timedelta(days=10)))
    task = FollowUpService(one.db).add(regular.id, due_on=today, reason="連絡")
    FollowUpService(one.db).complete(task.id, "済み", done_on=today - timedelta(days=8))
    meal(visited, 50)
    two.receive(one.send(two), accept_unknown=True)

    meal(regular, 60)  # back-dated: older than every meal kept
    meal(regular, 12)  # newer than the kept meals, older than the visit
    meal(regular, 5)  # the new last contact, after the horizon
    meal(newcomer, 3)  # a first meal: no stored row yet
    meal(visited, 2)
    contacts.record_visit(visited.id, VisitInput(visited_on=today - timedelta(days=1)))
    two.receive(one.send(two), accept_unknown=True)

    for home in (regular, newcomer, visited):
        facts = _facts(two, home.id)  # and nothing stale anywhere
        with one.db.read() as s:
            sent = s.get(HouseholdFacts, home.id)
        assert facts is not None and sent is not None
        assert (facts.recent_meals, facts.last_contact, facts.horizon) == (
            sent.recent_meals,
            sent.last_contact,
            sent.horizon,
        )
    facts = _facts(two, regular.id)
    assert facts is not None and len(facts.recent_meals) == 16
    assert facts.last_contact == facts.horizon == today - timedelta(days=5)
