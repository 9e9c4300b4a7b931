"""Merging packages: idempotent, all or nothing, refused when wrong, conflicts kept and settled."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from evacsupport.db.models import AuditEntry
from evacsupport.errors import EvacError
from evacsupport.i18n import set_language
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync import merge
from evacsupport.sync.service import SyncService
from tests.factories import household, member
from tests.sync.conftest import Laptop
from tests.sync.helpers import count, dump, meal_ids

HERE = "36.5613, 136.6562"


def _register(db_laptop: Laptop, given: str = "花子", **overrides: object) -> object:
    return HouseholdService(db_laptop.db).create(
        household(members=[member(given_name=given)], **overrides)
    )


def test_importing_the_same_package_twice_changes_nothing(laptop: Callable[[str], Laptop]) -> None:
    one, two = laptop("one"), laptop("two")
    _register(one)
    package = one.send(two)
    first = two.receive(package, accept_unknown=True)
    assert first.applied > 0 and first.already_had == 0
    before = dump(two.db)
    again = two.receive(package, accept_unknown=True)
    assert (again.applied, again.already_had, again.conflicts) == (0, first.received, 0)
    assert dump(two.db) == before


def test_a_tampered_package_and_a_wrong_passphrase_are_refused(
    laptop: Callable[[str], Laptop],
) -> None:
    one, two = laptop("one"), laptop("two")
    _register(one)
    package = one.send(two)
    before = dump(two.db)
    set_language("en")
    with pytest.raises(EvacError) as wrong:
        two.sync.import_(package, "not-the-team-passphrase")
    assert wrong.value.code == "sync.wrong_passphrase"
    assert "Wrong passphrase" in str(wrong.value)
    blob = bytearray(package.read_bytes())
    blob[-20] ^= 0x01  # one bit in the ciphertext
    package.write_bytes(bytes(blob))
    with pytest.raises(EvacError) as tampered:
        two.receive(package)
    assert tampered.value.code == "sync.damaged"
    package.write_bytes(b"hello")
    with pytest.raises(EvacError) as other:
        two.receive(package)
    assert other.value.code == "sync.not_a_package"
    assert dump(two.db) == before


def test_a_short_passphrase_is_refused_before_anything_is_written(
    laptop: Callable[[str], Laptop],
) -> None:
    one = laptop("one")
    with pytest.raises(EvacError) as info:
        one.sync.export("two", one.folder / "x.evsync", "short")
    assert info.value.code == "sync.passphrase_short"
    assert not (one.folder / "x.evsync").exists()


def test_an_interrupted_import_leaves_the_database_as_before(
    laptop: Callable[[str], Laptop], monkeypatch: pytest.MonkeyPatch
) -> None:
    one, two = laptop("one"), laptop("two")
    for i in range(5):
        _register(one, given=f"花子{i}")
    package = one.send(two)
    before, logged = dump(two.db), count(two.db, "sync_change")
    applied = 0
    original = merge.Merger.apply

    def crash_midway(self: merge.Merger, change: dict[str, object]) -> None:
        nonlocal applied
        applied += 1
        if applied == 6:
            raise OSError("power cut")
        original(self, change)

    monkeypatch.setattr(merge.Merger, "apply", crash_midway)
    with pytest.raises(OSError):
        two.receive(package, accept_unknown=True)
    assert dump(two.db) == before
    assert count(two.db, "sync_change") == logged  # the log rolled back with the data
    monkeypatch.setattr(merge.Merger, "apply", original)
    two.receive(package, accept_unknown=True)
    assert count(two.db, "household") == 5


def test_a_package_for_another_laptop_is_refused(laptop: Callable[[str], Laptop]) -> None:
    one, two, three = laptop("one"), laptop("two"), laptop("three")
    _register(one)
    two.receive(one.send(two), accept_unknown=True)  # now "one" knows which laptop "two" is
    one.receive(two.send(one))
    package = one.send(two)
    with pytest.raises(EvacError) as info:
        three.receive(package)
    assert info.value.code == "sync.wrong_recipient"
    with pytest.raises(EvacError) as own:
        one.receive(package)
    assert own.value.code == "sync.own_package"


def test_households_numbered_alike_offline_get_distinct_case_numbers(
    laptop: Callable[[str], Laptop],
) -> None:
    one, two = laptop("one"), laptop("two")
    a = _register(one, given="一郎")
    b = _register(two, given="次郎")
    assert a.case_number == b.case_number == "N24-000001"  # type: ignore[attr-defined]
    result = two.receive(one.send(two), accept_unknown=True)
    assert result.renumbered == (("N24-000001", "N24-000002"),)
    one.receive(two.send(one))
    for side in (one, two):
        numbers = {h.id: h.case_number for h in HouseholdService(side.db).search("")}
        assert numbers == {a.id: "N24-000002", b.id: "N24-000001"}  # type: ignore[attr-defined]
    assert dump(one.db) == dump(two.db)


def test_deletions_travel_as_tombstones(laptop: Callable[[str], Laptop]) -> None:
    one, two = laptop("one"), laptop("two")
    venue = VenueService(one.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    home = HouseholdService(one.db).create(
        household(members=[member(), member(given_name="太郎", relation="spouse")])
    )
    meal = MealService(one.db).log(MealEntry(venue_id=venue.id, code=home.case_number))
    two.receive(one.send(two), accept_unknown=True)
    head = home.current_members[0]
    HouseholdService(one.db).update(home.id, household(members=[member(id=head.id)]))
    MealService(one.db).undo(meal.id)
    two.receive(one.send(two), accept_unknown=True)
    assert [m.given_name for m in HouseholdService(two.db).get(home.id).current_members] == ["花子"]
    assert meal_ids(two.db) == []
    assert dump(one.db) == dump(two.db)


def test_concurrent_edits_become_a_conflict_that_a_coordinator_settles(
    laptop: Callable[[str], Laptop],
) -> None:
    one, two = laptop("one"), laptop("two")
    venue = VenueService(one.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    two.receive(one.send(two), accept_unknown=True)
    one.receive(two.send(one))
    VenueService(one.db).update(venue.id, VenueInput(name=venue.name, capacity=40))
    VenueService(two.db).update(venue.id, VenueInput(name=venue.name, capacity=25))
    one.receive(two.send(one))
    two.receive(one.send(two))
    # Both keep the same (later) value meanwhile, and both list the conflict with both values.
    assert dump(one.db)["venue"] == dump(two.db)["venue"]
    for side in (one, two):
        [conflict] = side.sync.conflicts()
        assert (conflict.entity, conflict.field, conflict.record) == (
            "venue",
            "capacity",
            venue.name,
        )
        assert {conflict.mine, conflict.theirs} == {40, 25}
    [mine] = one.sync.conflicts()
    with pytest.raises(EvacError) as info:
        one.sync.resolve(mine.id, "edit", "35")
    assert info.value.code == "sync.edit_text_only"
    one.sync.resolve(mine.id, "mine")
    assert one.sync.conflicts() == []
    with one.db.read() as session:
        [entry] = session.scalars(
            select(AuditEntry).where(AuditEntry.action == "sync_resolve")
        ).all()
    assert entry.entity_id == venue.id and entry.changes["choice"] == "mine"
    two.receive(one.send(two), accept_unknown=True)
    assert two.sync.conflicts() == []  # settled everywhere by the resolution itself
    assert VenueService(two.db).get(venue.id).capacity == 40
    [settled] = two.sync.conflicts(include_resolved=True)
    assert settled.resolution == "elsewhere"
    one.receive(two.send(one))
    assert dump(one.db) == dump(two.db)


def test_a_conflict_can_be_settled_by_typing_a_value(laptop: Callable[[str], Laptop]) -> None:
    one, two = laptop("one"), laptop("two")
    home = _register(one)
    two.receive(one.send(two), accept_unknown=True)
    one.receive(two.send(one))
    head = home.current_members[0]  # type: ignore[attr-defined]
    HouseholdService(one.db).update(
        home.id, household(notes="月曜に訪問", members=[member(id=head.id)])
    )  # type: ignore[attr-defined]
    HouseholdService(two.db).update(
        home.id, household(notes="火曜に電話", members=[member(id=head.id)])
    )  # type: ignore[attr-defined]
    one.receive(two.send(one))
    [conflict] = one.sync.conflicts()
    assert conflict.record == home.case_number  # type: ignore[attr-defined]
    one.sync.resolve(conflict.id, "edit", "月曜に訪問、火曜に電話")
    with pytest.raises(EvacError):
        one.sync.resolve(conflict.id, "mine")  # settled already
    two.receive(one.send(two))
    assert HouseholdService(two.db).get(home.id).notes == "月曜に訪問、火曜に電話"  # type: ignore[attr-defined]


def test_a_venue_package_starts_only_an_empty_laptop(laptop: Callable[[str], Laptop]) -> None:
    office, busy = laptop("office"), laptop("busy")
    venue = VenueService(office.db).create(VenueInput(name="こども食堂わじま", capacity=30))
    _register(busy)
    package = office.send(busy, scope=f"venue:{venue.name}")
    with pytest.raises(EvacError) as info:
        busy.receive(package)
    assert info.value.code == "sync.venue_needs_empty"


def test_peers_show_when_each_last_synced(laptop: Callable[[str], Laptop]) -> None:
    one, two = laptop("one"), laptop("two")
    _register(one)
    two.receive(one.send(two), accept_unknown=True)
    [peer] = one.sync.peers()
    assert peer.name == "two" and peer.last_export_at is not None and peer.last_import_at is None
    assert peer.waiting > 0  # not acknowledged until "two" answers
    one.receive(two.send(one))
    [peer] = one.sync.peers()
    assert peer.last_import_at is not None and peer.waiting == 0
    [back] = two.sync.peers()
    assert back.name == "one"
    assert SyncService(two.db).this_site().name == "two"
