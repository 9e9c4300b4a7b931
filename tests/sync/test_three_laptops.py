"""The office and two venue laptops exchange packages over several rounds, all offline."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from evacsupport.services.assignment import AssignmentService
from evacsupport.services.consents import record_consent
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync import crypto
from tests.factories import consent, household, member
from tests.sync.conftest import PASSPHRASE, Laptop
from tests.sync.helpers import count, dump, meal_ids, projected

HERE = "36.5613, 136.6562"  # Kanazawa


def test_three_laptops_agree_after_rounds_of_offline_work(laptop: Callable[[str], Laptop]) -> None:
    office, venue_a, venue_b = laptop("office"), laptop("venue-a"), laptop("venue-b")
    venues = VenueService(office.db)
    a = venues.create(VenueInput(name="こども食堂わじま", capacity=30, coordinates=HERE))
    b = venues.create(VenueInput(name="みんなの食堂すず", capacity=30, coordinates=HERE))
    people = HouseholdService(office.db)
    homes = [
        people.create(
            household(
                coordinates=HERE, members=[member(given_name=f"花子{i}", given_kana="はなこ")]
            )
        )
        for i in range(4)
    ]
    assign = AssignmentService(office.db)
    for home, venue in zip(homes, (a, a, b, b), strict=True):
        record_consent(office.db, home.id, consent())
        assign.assign(home.id, venue.id, start_on=date.today())

    # Day 1: each venue laptop starts empty from its first venue package.
    venue_a.receive(office.send(venue_a, scope=f"venue:{a.name}"), accept_unknown=True)
    venue_b.receive(office.send(venue_b, scope=f"venue:{b.name}"), accept_unknown=True)
    assert {h.case_number for h in HouseholdService(venue_a.db).search("")} == {
        homes[0].case_number,
        homes[1].case_number,
    }

    for round_no in range(3):
        # Offline: meals at both venues, edits at the office.
        for home in homes[:2]:
            MealService(venue_a.db).log(
                MealEntry(venue_id=a.id, code=home.case_number), confirm_duplicate=True
            )
        MealService(venue_b.db).log(
            MealEntry(venue_id=b.id, code=homes[2].case_number), confirm_duplicate=True
        )
        edited = people.get(homes[0].id)
        head = edited.current_members[0]
        people.update(
            edited.id,
            household(
                members=[
                    member(
                        id=head.id,
                        given_name=f"花子{round_no}",
                        given_kana="はなこ",
                        allergens=["卵", "乳"][: round_no + 1],
                    )
                ],
                phone=f"090-0000-000{round_no}",
            ),
        )
        if round_no == 1:
            # The same field edited on both sides before either saw the other's edit: venue A's
            # staff lower their capacity while the office raises it.
            VenueService(venue_a.db).update(a.id, VenueInput(name=a.name, capacity=25,
                                                             coordinates=HERE))  # fmt: skip
            venues.update(a.id, VenueInput(name=a.name, capacity=40, coordinates=HERE))
        # Venues send first, then the office answers each venue.
        office.receive(venue_a.send(office))
        office.receive(venue_b.send(office))
        if round_no == 1:
            [conflict] = office.sync.conflicts()
            assert (conflict.record, conflict.field) == (a.name, "capacity")
            assert {conflict.mine, conflict.theirs} == {25, 40}
            office.sync.resolve(conflict.id, "mine")
        venue_a.receive(office.send(venue_a))
        venue_b.receive(office.send(venue_b))

    # No meal lost or doubled: 3 rounds x (2 at A + 1 at B), each stored once at the office.
    assert len(meal_ids(office.db)) == 9
    assert meal_ids(office.db, a.id) == meal_ids(venue_a.db)
    assert meal_ids(office.db, b.id) == meal_ids(venue_b.db)
    # Every record a venue holds agrees with the office's, field by field.
    for venue_laptop in (venue_a, venue_b):
        held = dump(venue_laptop.db, ("household", "member", "assignment", "venue", "meal_log"))
        ids = {entity: set(rows) for entity, rows in held.items()}
        assert projected(office.db, ids) == projected(venue_laptop.db, ids)
    assert office.sync.conflicts() == []
    assert VenueService(venue_a.db).get(a.id).capacity == 40  # the office's decision reached A
    names = {m.given_name for m in HouseholdService(venue_a.db).get(homes[0].id).current_members}
    assert names == {"花子2"}
    # What a venue never gets: the phone number, or anyone it does not serve.
    assert HouseholdService(venue_a.db).get(homes[0].id).phone == ""
    assert set(dump(venue_a.db, ("household",))["household"]) == {homes[0].id, homes[1].id}


def test_a_venue_package_holds_no_visits_checkins_or_notes(laptop: Callable[[str], Laptop]) -> None:
    office, venue = laptop("office"), laptop("venue")
    v = VenueService(office.db).create(
        VenueInput(name="こども食堂わじま", capacity=30, coordinates=HERE)
    )
    home = HouseholdService(office.db).create(
        household(
            coordinates=HERE, notes="夜間に不安の訴えあり", members=[member(medical_notes="糖尿病")]
        )
    )
    record_consent(office.db, home.id, consent())
    AssignmentService(office.db).assign(home.id, v.id, start_on=date.today())
    contacts = ContactService(office.db)
    contacts.record_visit(home.id, VisitInput(visited_on=date.today(), concerns="不眠が続く"))
    contacts.record_checkin(
        home.id,
        CheckInInput(member_id=home.current_members[0].id, checked_on=date.today(), loneliness=[3]),
    )
    package = office.send(venue, scope=f"venue:{v.name}")
    payload = crypto.open_sealed(package.read_bytes(), PASSPHRASE)
    entities = {c["entity"] for c in payload["changes"]}  # type: ignore[union-attr]
    assert entities <= {"disaster_event", "venue", "household", "member", "assignment", "meal_log"}
    personal = [c for c in payload["changes"] if c["entity"] in ("household", "member")]  # type: ignore[union-attr]
    fields = {f for c in personal for f in c["data"]}
    assert fields <= {
        "event_id",
        "case_number",
        "status",
        "closed_on",
        "created_at",
        "deleted_at",
        "household_id",
        "position",
        "family_name",
        "given_name",
        "family_kana",
        "given_kana",
        "birth_date",
        "relation",
        "allergens",
        "dietary_needs",
    }
    text = package.read_bytes()
    assert "糖尿病".encode() not in text and "山田".encode() not in text  # sealed, not plain
    venue.receive(package, accept_unknown=True)
    assert count(venue.db, "visit") == count(venue.db, "checkin") == count(venue.db, "consent") == 0
    assert HouseholdService(venue.db).get(home.id).notes == ""
