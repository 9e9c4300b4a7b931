"""Consent decides what a venue laptop may hold, and an erasure reaches every laptop."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from sqlalchemy import select

from evacsupport.db.models import MealLog, Member
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.consents import record_consent, withdraw_consent
from evacsupport.services.erasure import ERASED, erase_household
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync import crypto
from tests.factories import consent, household, member
from tests.sync.conftest import PASSPHRASE, Laptop

HERE = "36.5613, 136.6562"  # Kanazawa


def _names(laptop: Laptop) -> set[str]:
    with laptop.db.read() as s:
        return set(s.scalars(select(Member.given_name).where(Member.deleted_at.is_(None))).all())


def test_a_venue_package_holds_only_households_consenting_to_the_venue(
    laptop: Callable[[str], Laptop],
) -> None:
    office, venue = laptop("office"), laptop("venue")
    v = VenueService(office.db).create(
        VenueInput(name="こども食堂わじま", capacity=30, coordinates=HERE)
    )
    people = HouseholdService(office.db)
    staying, leaving = (
        people.create(household(coordinates=HERE, members=[member(given_name=name)]))
        for name in ("残子", "去子")
    )
    consents = {}
    for home in (staying, leaving):
        consents[home.id] = record_consent(office.db, home.id, consent())
        AssignmentService(office.db).assign(home.id, v.id, start_on=date.today())
    MealService(office.db).log(MealEntry(venue_id=v.id, code=leaving.case_number))

    venue.receive(office.send(venue, scope=f"venue:{v.name}"), accept_unknown=True)
    assert _names(venue) == {"残子", "去子"}

    withdraw_consent(office.db, consents[leaving.id].id, date.today())
    package = office.send(venue, scope=f"venue:{v.name}")
    payload = crypto.open_sealed(package.read_bytes(), PASSPHRASE)
    rows = {c["row"] for c in payload["changes"]}  # type: ignore[union-attr]
    assert str(leaving.id) not in rows and str(staying.id) in rows
    assert str(leaving.id) not in payload["scope"]["rows"]["household"]  # type: ignore[index]
    meals = [c for c in payload["changes"] if c["entity"] == "meal_log"]  # type: ignore[union-attr]
    assert meals == []  # the withdrawn household's meals stay at the office

    venue.receive(package, accept_unknown=True)
    assert _names(venue) == {"残子"}  # the venue laptop forgot who withdrew
    with venue.db.read() as s:
        gone = s.scalars(select(Member).where(Member.household_id == leaving.id)).all()
        assert [(m.family_name, m.birth_date, m.deleted_at is not None) for m in gone] == [
            ("", None, True)
        ]


def test_a_consent_without_the_venue_as_recipient_keeps_the_household_at_the_office(
    laptop: Callable[[str], Laptop],
) -> None:
    office, venue = laptop("office"), laptop("venue")
    v = VenueService(office.db).create(
        VenueInput(name="こども食堂わじま", capacity=30, coordinates=HERE)
    )
    home = HouseholdService(office.db).create(household(coordinates=HERE))
    record_consent(office.db, home.id, consent())
    AssignmentService(office.db).assign(home.id, v.id, start_on=date.today())
    # A newer consent covers support only: no more sharing with the venue.
    record_consent(
        office.db, home.id, consent(consented_on=date.today(), purposes=["support"], recipients=[])
    )
    venue.receive(office.send(venue, scope=f"venue:{v.name}"), accept_unknown=True)
    assert _names(venue) == set()


def test_an_erased_household_is_erased_on_the_peer_after_a_package(
    laptop: Callable[[str], Laptop],
) -> None:
    office, other = laptop("office"), laptop("other")
    v = VenueService(office.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    home = HouseholdService(office.db).create(
        household(notes="秘密のメモ", members=[member(given_name="消子", phone="09011112222")])
    )
    record_consent(office.db, home.id, consent(notes="同意時のメモ"))
    MealService(office.db).log(MealEntry(venue_id=v.id, code=home.case_number, note="メモ"))
    other.receive(office.send(other), accept_unknown=True)
    assert _names(other) == {"消子"}

    erase_household(office.db, home.id, "request")
    other.receive(office.send(other), accept_unknown=True)

    erased = HouseholdService(other.db).get(home.id)
    assert erased.status == "closed" and erased.notes == "" and erased.phone == ""
    assert [(m.family_name, m.given_name, m.phone, m.birth_date) for m in erased.members] == [
        (ERASED, "", "", None)
    ]
    assert erased.consents[0].notes == "" and erased.consents[0].withdrawn_on == date.today()
    with other.db.read() as s:
        assert s.scalars(select(MealLog.note)).all() == [""]
        assert len(s.scalars(select(MealLog.id)).all()) == 1  # the meal itself is kept
    assert [h.case_number for h in HouseholdService(other.db).search("消子")] == []
