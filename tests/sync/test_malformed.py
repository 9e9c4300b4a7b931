"""Packages sealed with the right passphrase but malformed inside: one clear line, no change.

Before the payload was checked, each of these gave a traceback (some halfway through a merge);
the hand-made ones are what anyone holding the team passphrase could write.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evacsupport.errors import EvacError
from evacsupport.i18n import message, set_language
from evacsupport.services.accounts import AccountService
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync import crypto, schema
from tests.factories import household, signed_in
from tests.sync.conftest import PASSPHRASE, Laptop
from tests.sync.helpers import count, fingerprint

Payload = dict[str, Any]


@pytest.fixture
def pair(laptop: Callable[[str], Laptop], cheap_kdf: None) -> tuple[Laptop, Laptop]:
    """ "one" with a venue, a household and a meal; "two" with a household of its own."""
    one, two = laptop("one"), laptop("two")
    venue = VenueService(one.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    home = HouseholdService(one.db).create(household())
    MealService(one.db).log(MealEntry(venue_id=venue.id, code=home.case_number))
    HouseholdService(two.db).create(household())
    return one, two


def payload_of(package: Path) -> Payload:
    return crypto.open_sealed(package.read_bytes(), PASSPHRASE)


def reseal(package: Path, payload: Payload) -> Path:
    package.write_bytes(crypto.seal(payload, PASSPHRASE))
    return package


def first(payload: Payload, entity: str) -> Payload:
    return next(c for c in payload["changes"] if c["entity"] == entity)


def _non_uuid_sender(p: Payload) -> None:
    p["from_site"] = "office-laptop"


def _no_changes(p: Payload) -> None:
    del p["changes"]


def _unknown_entity(p: Payload) -> None:
    p["changes"][0]["entity"] = "secret_table"


def _lamport_as_text(p: Payload) -> None:
    p["changes"][0]["lamport"] = "7"


def _unknown_op(p: Payload) -> None:
    p["changes"][0]["op"] = "upsert"


def _change_without_row(p: Payload) -> None:
    del p["changes"][0]["row"]


def _capacity_as_text(p: Payload) -> None:
    first(p, "venue")["data"]["capacity"] = "many"


def _time_without_zone(p: Payload) -> None:
    first(p, "household")["data"]["created_at"] = "2024-03-01T09:00:00"


def _the_same_change_twice(p: Payload) -> None:
    p["changes"].append(copy.deepcopy(p["changes"][0]))


def _nul_in_a_name(p: Payload) -> None:
    first(p, "member")["data"]["family_name"] = "山\x00田"


def _snapshot_entry_in_a_full_package(p: Payload) -> None:
    first(p, "venue")["op"] = "state"


def _unknown_column(p: Payload) -> None:
    first(p, "household")["data"]["password"] = "x"


def _local_column(p: Payload) -> None:
    first(p, "household")["data"]["version"] = 99


def _member_without_household(p: Payload) -> None:
    del first(p, "member")["data"]["household_id"]


def _null_case_number(p: Payload) -> None:
    first(p, "household")["data"]["case_number"] = None


def _too_long_case_number(p: Payload) -> None:
    first(p, "household")["data"]["case_number"] = "N24-" + "1" * 40


def _allergens_not_a_list(p: Payload) -> None:
    first(p, "member")["data"]["allergens"] = "卵"


def _counter_past_integer(p: Payload) -> None:
    p["upto"] = 2**40


def _boolean_as_number(p: Payload) -> None:
    p["ack"] = True


def _unknown_top_level_field(p: Payload) -> None:
    p["note"] = "hello"


def _former_site_not_uuid(p: Payload) -> None:
    p["former_sites"] = ["yesterday"]


def _bases_not_stamps(p: Payload) -> None:
    p["changes"][0]["bases"] = {"name": "old"}


def _resolves_unknown_field(p: Payload) -> None:
    p["changes"][0]["resolves"] = [f"venue:{p['changes'][0]['row']}:nonsense"]


def _an_unknown_sender_role(p: Payload) -> None:
    p["sender_role"] = "root"


MALFORMED: dict[str, Callable[[Payload], None]] = {
    f.__name__.strip("_").replace("_", " "): f
    for f in (
        _non_uuid_sender, _no_changes, _unknown_entity, _lamport_as_text, _unknown_op,
        _change_without_row, _capacity_as_text, _time_without_zone, _the_same_change_twice,
        _nul_in_a_name, _snapshot_entry_in_a_full_package, _unknown_column, _local_column,
        _member_without_household, _null_case_number, _too_long_case_number,
        _allergens_not_a_list, _counter_past_integer, _boolean_as_number,
        _unknown_top_level_field, _former_site_not_uuid, _bases_not_stamps,
        _resolves_unknown_field, _an_unknown_sender_role,
    )
}  # fmt: skip


@pytest.mark.parametrize("spoil", list(MALFORMED.values()), ids=list(MALFORMED))
def test_a_malformed_package_is_one_line_and_changes_nothing(
    pair: tuple[Laptop, Laptop], spoil: Callable[[Payload], None]
) -> None:
    one, two = pair
    package = one.send(two)
    payload = payload_of(package)
    spoil(payload)
    reseal(package, payload)
    before = fingerprint(two.db)
    with pytest.raises(EvacError) as info:
        two.receive(package)
    text = str(info.value)
    assert info.value.code == "sync.malformed", text
    assert "中身が正しくない" in text and text.endswith("何も変更していません")
    assert "\n" not in text and "Traceback" not in text
    assert fingerprint(two.db) == before


def test_the_message_names_the_place_not_the_value(pair: tuple[Laptop, Laptop]) -> None:
    one, two = pair
    package = one.send(two)
    payload = payload_of(package)
    first(payload, "member")["data"]["family_name"] = "秘密\x00の名前"
    reseal(package, payload)
    set_language("en")
    with pytest.raises(EvacError) as info:
        two.receive(package)
    text = str(info.value)
    assert text.startswith("The package's contents are not what the app writes (changes[")
    assert ".data.family_name)" in text and "秘密" not in text
    assert text.endswith("Nothing was changed")


@pytest.mark.parametrize(
    "payload",
    [[1, 2, 3], "text", None, 7],
    ids=["a list", "a string", "null", "a number"],
)
def test_a_payload_that_is_not_an_object_is_refused(
    pair: tuple[Laptop, Laptop], payload: Any
) -> None:
    one, two = pair
    package = one.send(two)
    package.write_bytes(crypto.seal(payload, PASSPHRASE))  # seal() takes any JSON value
    before = fingerprint(two.db)
    with pytest.raises(EvacError) as info:
        two.receive(package, accept_unknown=True)
    assert info.value.code == "sync.malformed"
    assert fingerprint(two.db) == before


def test_a_package_of_a_newer_format_asks_to_update_the_app(pair: tuple[Laptop, Laptop]) -> None:
    one, two = pair
    package = one.send(two)
    payload = payload_of(package)
    payload["format"] = 2
    reseal(package, payload)
    with pytest.raises(EvacError) as info:
        two.receive(package, accept_unknown=True)
    assert str(info.value) == message("sync.unknown_format")


def test_a_record_pointing_at_one_that_is_not_here_is_refused_whole(
    pair: tuple[Laptop, Laptop],
) -> None:
    """Well formed, but the member's household is in no package: the database refuses it."""
    one, two = pair
    package = one.send(two)
    payload = payload_of(package)
    payload["changes"] = [c for c in payload["changes"] if c["entity"] != "household"]
    reseal(package, payload)
    before = fingerprint(two.db)
    with pytest.raises(EvacError) as info:
        two.receive(package, accept_unknown=True)
    assert info.value.code == "sync.inconsistent"
    assert "参照する記録がない" in str(info.value)
    assert fingerprint(two.db) == before


def test_change_ids_written_differently_are_still_the_same_change(
    pair: tuple[Laptop, Laptop],
) -> None:
    """Upper-case UUIDs are normalised: the second copy is recognised, not logged twice."""
    one, two = pair
    package = one.send(two)
    first_time = two.receive(package, accept_unknown=True)
    payload = payload_of(package)
    for change in payload["changes"]:
        change["id"] = change["id"].upper()
        change["row"] = change["row"].upper()
    reseal(package, payload)
    again = two.receive(package, accept_unknown=True)
    assert again.applied == 0 and again.already_had == first_time.received


def test_two_accounts_with_the_longest_name_both_survive(
    laptop: Callable[[str], Laptop], cheap_kdf: None
) -> None:
    """The newcomer's name is shortened to fit its suffix (it used to loop forever)."""
    one, two = laptop("one"), laptop("two")
    name = "a" * 64
    for side, password in ((one, "first-pass-1"), (two, "second-pass")):
        AccountService(side.db).create(name, password, "admin")
        signed_in(side.db, name, password)
    two.receive(one.send(two), accept_unknown=True)
    names = sorted(a.username for a in AccountService(two.db).accounts())
    assert len(names) == 2 and name in names
    assert all(len(n) <= 64 for n in names)
    assert count(two.db, "app_user") == 2


def test_every_synced_column_has_a_package_check() -> None:
    """A column of a type the checks do not know fails here, not on someone's package."""
    schema.check_tables()
