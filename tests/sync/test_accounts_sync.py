"""Accounts travel: a venue laptop gets its venue's staff, office laptops share coordinators."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from evacsupport.errors import EvacError
from evacsupport.services.accounts import AccountService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import signed_in
from tests.sync.conftest import Laptop


def test_a_venue_laptop_asks_its_own_staff_to_sign_in(laptop: Callable[[str], Laptop]) -> None:
    office, venue = laptop("office"), laptop("venue")
    accounts = AccountService(office.db)
    accounts.create("admin", "office-pass-1", "admin")
    signed_in(office.db, "admin", "office-pass-1")
    a = VenueService(office.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    b = VenueService(office.db).create(VenueInput(name="みんなの食堂", capacity=30))
    accounts.create("kato", "kato-pass-1", "venue_staff", venue=a.name)
    accounts.create("mori", "mori-pass-1", "venue_staff", venue=b.name)
    venue.receive(office.send(venue, scope=f"venue:{a.name}"), accept_unknown=True)

    at_venue = AccountService(venue.db)
    assert at_venue.has_accounts()
    assert at_venue.authenticate("kato", "kato-pass-1").venue_id == a.id
    for outsider, password in (("admin", "office-pass-1"), ("mori", "mori-pass-1")):
        with pytest.raises(EvacError):
            at_venue.authenticate(outsider, password)

    accounts.set_active("kato", False)  # at the office: kato left the team
    signed_in(venue.db, "kato", "kato-pass-1")  # the venue laptop now has accounts
    venue.receive(office.send(venue), accept_unknown=True)
    with pytest.raises(EvacError):
        at_venue.authenticate("kato", "kato-pass-1")


def test_office_laptops_share_accounts_and_keep_both_admins(
    laptop: Callable[[str], Laptop],
) -> None:
    one, two = laptop("one"), laptop("two")
    AccountService(one.db).create("admin", "first-pass-1", "admin")
    signed_in(one.db, "admin", "first-pass-1")
    AccountService(one.db).create("sato", "sato-pass-1", "coordinator")
    AccountService(two.db).create("admin", "second-pass", "admin")
    signed_in(two.db, "admin", "second-pass")
    two.receive(one.send(two), accept_unknown=True)
    names = {a.username for a in AccountService(two.db).accounts()}
    assert "sato" in names and "admin" in names and len(names) == 3  # one's admin renamed
    assert AccountService(two.db).authenticate("sato", "sato-pass-1").role == "coordinator"
    assert AccountService(two.db).authenticate("admin", "second-pass").role == "admin"
