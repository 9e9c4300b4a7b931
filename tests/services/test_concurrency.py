"""Two users editing the same household from two app instances (two engines, one database).

Runs on SQLite and, with ``EVACSUPPORT_TEST_DATABASE_URL`` set, on the shared PostgreSQL server:
the second save, made from a copy read before the first save, is refused instead of overwriting.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from evacsupport.db import Database
from evacsupport.errors import EvacError
from evacsupport.i18n import set_language
from evacsupport.services.households import HouseholdService
from tests.factories import household, member


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """A second app instance: its own engine and connections on the same database."""
    database = Database(db.url)
    assert database.engine is not db.engine
    yield database
    database.close()


def test_the_second_save_of_the_same_household_is_refused(db: Database, other: Database) -> None:
    db.actor, other.actor = "山田", "佐藤"
    alice, bob = HouseholdService(db), HouseholdService(other)
    created = alice.create(household())
    head = created.current_members[0]

    # Both open the household's editor and see the same version.
    seen_by_alice = alice.get(created.id)
    seen_by_bob = bob.get(created.id)
    assert seen_by_alice.version == seen_by_bob.version == created.version

    saved = alice.update(
        created.id,
        household(phone="076-111-1111", members=[member(id=head.id, given_name="A")]),
        expected_version=seen_by_alice.version,
    )
    assert saved.version == created.version + 1

    set_language("en")
    with pytest.raises(EvacError) as info:
        bob.update(
            created.id,
            household(phone="076-222-2222", members=[member(id=head.id, given_name="B")]),
            expected_version=seen_by_bob.version,
        )
    assert info.value.code == "household.changed_by"
    when = saved.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
    assert str(info.value) == f"This household was changed by 山田 at {when}; reload it"
    set_language("ja")
    assert str(info.value) == f"この世帯は{when}に山田さんが変更しました。読み込み直してください"

    # Alice's save is kept, as both instances see it; Bob can reload and save on top of it.
    for service in (alice, bob):
        current = service.get(created.id)
        assert (current.phone, current.current_members[0].given_name) == ("0761111111", "A")
        assert current.version == saved.version
    reloaded = bob.get(created.id)
    again = bob.update(
        created.id,
        household(phone="076-222-2222", members=[member(id=head.id, given_name="B")]),
        expected_version=reloaded.version,
    )
    assert again.version == saved.version + 1
    assert alice.get(created.id).current_members[0].given_name == "B"
    assert alice.get(created.id).updated_by == "佐藤"
