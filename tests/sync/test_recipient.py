"""A package addressed only by a name is merged only when the person says it is for here.

The first package to a laptop names it (the sender has never had a package from it, so it
does not know its identity); so does a file made for some other laptop, or by anyone with the
passphrase. Such a package used to be merged by whichever laptop read it, without a word.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from evacsupport.errors import EvacError
from evacsupport.i18n import set_language
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync.service import UnknownRecipient
from tests.factories import household
from tests.sync.conftest import Laptop
from tests.sync.helpers import fingerprint


@pytest.fixture
def office(laptop: Callable[[str], Laptop], cheap_kdf: None) -> Laptop:
    one = laptop("office")
    HouseholdService(one.db).create(household())
    return one


def test_a_first_package_asks_and_changes_nothing_until_accepted(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    new = laptop("new-laptop")
    package = office.send(new)
    before = fingerprint(new.db)
    with pytest.raises(UnknownRecipient) as info:
        new.receive(package)
    assert str(info.value) == (
        "この同期ファイルは、この端末からまだ同期ファイルを受け取ったことのない端末「office」が、"
        "「new-laptop」宛てに作ったものです（この端末の名前は「new-laptop」）"
    )
    assert fingerprint(new.db) == before
    result = new.receive(package, accept_unknown=True)
    assert result.applied > 0 and result.peer == "office"
    assert HouseholdService(new.db).count() == 1


def test_once_the_sender_has_heard_from_this_laptop_it_never_asks_again(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    other = laptop("other")
    other.receive(office.send(other), accept_unknown=True)
    office.receive(other.send(office))  # addressed by identity: no question
    HouseholdService(office.db).create(household())
    assert other.receive(office.send(other)).applied > 0


def test_a_file_made_for_another_laptop_names_both(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    """The office typed "reception" but the file reached "kitchen": the question says so."""
    kitchen = laptop("kitchen")
    package = office.folder / "for-reception.evsync"
    office.sync.export("reception", package, "noto-team-2024")
    set_language("en")
    with pytest.raises(EvacError) as info:
        kitchen.receive(package)
    assert info.value.code == "sync.unknown_recipient"
    assert "made by “office”" in str(info.value)
    assert "for “reception” (this laptop is “kitchen”)" in str(info.value)
    assert HouseholdService(kitchen.db).count() == 0


def test_a_package_that_would_be_refused_anyway_asks_nothing(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    busy = laptop("busy")
    HouseholdService(busy.db).create(household())
    venue = VenueService(office.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    with pytest.raises(EvacError) as info:
        busy.receive(office.send(busy, scope=f"venue:{venue.name}"))
    assert info.value.code == "sync.venue_needs_empty"  # not the question first


def test_a_package_for_a_known_laptop_by_identity_is_refused_elsewhere(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    two, three = laptop("two"), laptop("three")
    two.receive(office.send(two), accept_unknown=True)
    office.receive(two.send(office))
    package = office.send(two)
    with pytest.raises(EvacError) as info:
        three.receive(package, accept_unknown=True)  # accepting does not make it ours
    assert info.value.code == "sync.wrong_recipient"
