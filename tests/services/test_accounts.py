"""Accounts: hashed passwords, lock-out, and each role doing only what it should."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import AuditEntry, User
from evacsupport.errors import EvacError, ValidationError
from evacsupport.services.accounts import MAX_FAILURES, AccountService, sign_in
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.consents import record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import consent, household


@pytest.fixture
def accounts(db: Database) -> AccountService:
    service = AccountService(db)
    service.create("admin", "correct horse", "admin", display_name="管理者")
    sign_in(db, service.authenticate("admin", "correct horse"))
    return service


def test_the_first_account_must_be_an_administrator(db: Database) -> None:
    with pytest.raises(EvacError) as info:
        AccountService(db).create("sato", "long enough", "coordinator")
    assert info.value.code == "auth.first_must_be_admin"


def test_passwords_are_stored_as_scrypt_hashes(db: Database, accounts: AccountService) -> None:
    with db.read() as s:
        stored = s.scalar(select(User.password_hash))
    assert stored is not None and stored.startswith("scrypt$") and "correct" not in stored


def test_bad_account_input_is_refused_with_field_messages(accounts: AccountService) -> None:
    with pytest.raises(ValidationError) as info:
        accounts.create("佐藤 さん", "short", "coordinator", confirm="short")
    assert {e.field: e.code for e in info.value.errors} == {
        "username": "auth.username_format",
        "password": "auth.password_short",
    }
    with pytest.raises(ValidationError) as taken:
        accounts.create("Admin", "another one", "coordinator")
    assert taken.value.errors[0].code == "auth.username_taken"
    with pytest.raises(ValidationError) as venue:
        accounts.create("staff", "long enough", "venue_staff", venue="ない会場")
    assert venue.value.errors[0].code == "auth.venue_required"


def test_sign_in_and_lock_out_after_repeated_failures(
    db: Database, accounts: AccountService
) -> None:
    who = accounts.authenticate("ADMIN", "correct horse")
    assert (who.username, who.role) == ("admin", "admin")
    now = utcnow()
    for attempt in range(1, MAX_FAILURES):
        with pytest.raises(EvacError) as info:
            accounts.authenticate("admin", "wrong", now=now)
        assert info.value.code == "auth.failed_left"
        assert info.value.params["left"] == MAX_FAILURES - attempt
    with pytest.raises(EvacError) as locked:
        accounts.authenticate("admin", "wrong", now=now)
    assert locked.value.code == "auth.locked"
    with pytest.raises(EvacError) as still:
        accounts.authenticate("admin", "correct horse", now=now + timedelta(minutes=5))
    assert still.value.code == "auth.locked"  # even the right password, while locked
    assert accounts.authenticate("admin", "correct horse", now=now + timedelta(minutes=16))
    with pytest.raises(EvacError) as unknown:
        accounts.authenticate("nobody", "whatever")
    assert unknown.value.code == "auth.failed"  # no hint whether the name exists
    with db.read() as s:
        actions = [a for (a,) in s.execute(select(AuditEntry.action))]
    assert actions.count("login") == 3 and actions.count("login_failed") == MAX_FAILURES + 2


def test_a_disabled_account_cannot_sign_in(db: Database, accounts: AccountService) -> None:
    accounts.create("sato", "long enough", "coordinator")
    sign_in(db, accounts.authenticate("admin", "correct horse"))
    with pytest.raises(EvacError) as own:
        accounts.set_active("admin", False)
    assert own.value.code == "auth.cannot_disable_self"
    accounts.set_active("sato", False)
    with pytest.raises(EvacError):
        accounts.authenticate("sato", "long enough")
    accounts.set_active("sato", True)
    accounts.set_password("sato", "new password 1", "new password 1")
    assert accounts.authenticate("sato", "new password 1").role == "coordinator"


def test_each_role_does_only_what_it_should(db: Database, accounts: AccountService) -> None:
    here = "36.5613, 136.6562"
    mine = VenueService(db).create(
        VenueInput(name="こども食堂わじま", capacity=30, coordinates=here)
    )
    other = VenueService(db).create(VenueInput(name="みんなの食堂", capacity=30, coordinates=here))
    home = HouseholdService(db).create(household(coordinates=here))
    record_consent(db, home.id, consent())
    AssignmentService(db).assign(home.id, mine.id)
    elsewhere_home = HouseholdService(db).create(household(coordinates=here))
    accounts.create("sato", "long enough", "coordinator")
    accounts.create("staff", "long enough", "venue_staff", venue=mine.name)
    accounts.create("mayor", "long enough", "viewer")

    sign_in(db, accounts.authenticate("mayor", "long enough"))
    for call in (
        lambda: HouseholdService(db).search(""),
        lambda: HouseholdService(db).create(household()),
        lambda: MealService(db).log(MealEntry(venue_id=mine.id, code=home.case_number)),
        lambda: AssignmentService(db).plan(),
        lambda: accounts.accounts(),
    ):
        with pytest.raises(EvacError) as info:
            call()
        assert info.value.code == "auth.forbidden"
    assert "閲覧者" in str(info.value)

    sign_in(db, accounts.authenticate("staff", "long enough"))
    MealService(db).log(MealEntry(venue_id=mine.id, code=home.case_number))
    with pytest.raises(EvacError) as elsewhere:
        MealService(db).log(MealEntry(venue_id=other.id, code=home.case_number))
    assert elsewhere.value.code == "auth.other_venue"
    with pytest.raises(EvacError) as not_here:  # another venue's household: no name shown
        MealService(db).lookup(elsewhere_home.case_number)
    assert not_here.value.code == "meal.not_at_this_venue"
    assert "山田" not in str(not_here.value)
    assert [card.case_number for card, _ in MealService(db).roster(mine.id, date.today())] == [
        home.case_number
    ]
    with pytest.raises(EvacError):
        HouseholdService(db).get(home.id)

    sign_in(db, accounts.authenticate("sato", "long enough"))
    HouseholdService(db).create(household())
    with pytest.raises(EvacError):
        accounts.create("new", "long enough", "viewer")
