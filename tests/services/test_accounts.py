"""Accounts: hashed passwords, lock-out, and each role doing only what it should."""

from __future__ import annotations

from datetime import date, datetime, timedelta

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


def _refusal(
    accounts: AccountService, username: str, password: str, now: datetime | None = None
) -> EvacError:
    with pytest.raises(EvacError) as info:
        accounts.authenticate(username, password, now=now)
    return info.value


def test_sign_in_and_lock_out_after_repeated_failures(
    db: Database, accounts: AccountService
) -> None:
    who = accounts.authenticate("ADMIN", "correct horse")
    assert (who.username, who.role) == ("admin", "admin")
    now = utcnow()
    for _attempt in range(MAX_FAILURES):
        assert _refusal(accounts, "admin", "wrong", now=now).code == "auth.failed"
    with db.read() as s:
        user = s.scalars(select(User)).one()
    assert user.locked_until is not None and user.locked_until > now  # the lock holds
    locked = _refusal(accounts, "admin", "correct horse", now=now + timedelta(minutes=5))
    assert locked.code == "auth.failed"  # even the right password, while locked
    assert accounts.authenticate("admin", "correct horse", now=now + timedelta(minutes=16))
    with db.read() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.at)).all()
    actions = [e.action for e in entries]
    assert actions.count("login") == 3 and actions.count("login_failed") == MAX_FAILURES + 1
    # The audit trail keeps what the person at the keyboard is not told.
    failed = [e.changes for e in entries if e.action == "login_failed"]
    assert [c.get("failures") for c in failed[: MAX_FAILURES - 1]] == [1, 2, 3, 4]
    assert failed[MAX_FAILURES - 1]["reason"] == "wrong_password"
    assert "locked_until" in failed[MAX_FAILURES - 1]
    assert failed[MAX_FAILURES]["reason"] == "locked"


def test_a_wrong_password_reads_the_same_whether_the_name_exists_or_not(
    db: Database, accounts: AccountService
) -> None:
    """A guesser learns nothing from the words: no tries left, no "locked", for anyone."""
    accounts.create("sato", "long enough", "coordinator")
    accounts.set_active("sato", False)
    now = utcnow()
    seen: dict[str, set[str]] = {"admin": set(), "nobody": set(), "sato": set()}
    for _attempt in range(MAX_FAILURES + 2):  # past the lock-out of the real account
        for name in seen:
            for lang in ("ja", "en"):
                seen[name].add(_refusal(accounts, name, "wrong", now=now).message(lang))
    # "admin" is locked by now; the right password gets the same words as a wrong one.
    seen["admin"].add(_refusal(accounts, "admin", "correct horse", now=now).message("ja"))
    assert seen["admin"] == seen["nobody"] == seen["sato"]
    assert len(seen["admin"]) == 2  # one text per language, nothing that varies per try
    ja = next(t for t in seen["admin"] if "利用者名かパスワードが違います" in t)
    assert "あと" not in ja and "以降" not in ja and "5回" in ja and "15分間" in ja
    en = next(t for t in seen["admin"] if t.startswith("Wrong user name or password"))
    assert "more tries" not in en and "after" not in en
    with db.read() as s:
        reasons = {
            (e.username, e.changes["reason"])
            for e in s.scalars(select(AuditEntry).where(AuditEntry.action == "login_failed"))
        }
    assert reasons == {
        ("admin", "wrong_password"),
        ("admin", "locked"),
        ("nobody", "unknown_user"),
        ("sato", "disabled"),
    }


def test_every_refusal_costs_one_password_check(
    accounts: AccountService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The time to answer must not tell either: an unknown name, a disabled or locked account
    each check the password once, as a wrong password does."""
    from evacsupport.services import accounts as module

    accounts.create("sato", "long enough", "coordinator")
    accounts.set_active("sato", False)
    now = utcnow()
    for _attempt in range(MAX_FAILURES):
        _refusal(accounts, "admin", "wrong", now=now)  # locks admin
    calls: list[str] = []
    real = module.verify_password
    monkeypatch.setattr(module, "verify_password", lambda p, h: calls.append(h) or real(p, h))
    monkeypatch.setattr(module, "hash_password", lambda p: pytest.fail("hashed on a refusal"))
    for name in ("nobody", "sato", "admin"):
        calls.clear()
        _refusal(accounts, name, "correct horse", now=now)
        assert len(calls) == 1 and calls[0].startswith("scrypt$"), name


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


def _stored_hash(db: Database, username: str) -> str:
    with db.read() as s:
        stored = s.scalar(select(User.password_hash).where(User.username == username))
    assert stored is not None
    return stored


def test_an_old_hash_signs_in_and_is_raised_to_the_recommended_cost(
    db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one test at the real cost (the suite runs at a token one, see tests/conftest.py):
    N=2^17, r=8, p=1 needs 128 MiB, past hashlib's default memory cap."""
    from evacsupport.db.models import SyncChange
    from evacsupport.services import accounts as module

    assert module.ScryptCost(n=2**17, r=8, p=1) == module.RECOMMENDED
    monkeypatch.setattr(module, "HASH_COST", module.ScryptCost(n=2**14, r=8, p=1))
    AccountService(db).create("admin", "correct horse", "admin")  # as earlier versions stored it
    old = _stored_hash(db, "admin")
    assert old.startswith("scrypt$16384$8$1$") and module.needs_rehash(old) is False

    with pytest.raises(EvacError):
        AccountService(db).authenticate("admin", "wrong")  # a failure for the sign-in to clear

    def hash_edits() -> tuple[int, int]:
        """Changes of password_hash in the sync log and the audit trail."""
        with db.read() as s:
            logged = [c.data for c in s.scalars(select(SyncChange))]
            audited = [e.changes for e in s.scalars(select(AuditEntry))]
        return (
            sum("password_hash" in (d or {}) for d in logged),
            sum("password_hash" in (c or {}) for c in audited),
        )

    edits = hash_edits()
    monkeypatch.setattr(module, "HASH_COST", module.RECOMMENDED)
    assert module.needs_rehash(old)
    assert AccountService(db).authenticate("admin", "correct horse").role == "admin"
    new = _stored_hash(db, "admin")
    assert new.startswith("scrypt$131072$8$1$") and not module.needs_rehash(new)
    with db.read() as s:
        user = s.scalars(select(User)).one()
        login = s.scalars(select(AuditEntry).where(AuditEntry.action == "login")).one()
    assert user.failed_logins == 0  # the sign-in's own update kept the new hash
    assert login.changes == {"hash_cost": "16384$8$1 → 131072$8$1"}
    # Not logged as an edit of the password: each laptop raises its own copy at its next
    # sign-in there, so a raise can never outrun a reset of the password made elsewhere.
    assert hash_edits() == edits

    assert AccountService(db).authenticate("admin", "correct horse")  # the new hash verifies
    assert _stored_hash(db, "admin") == new  # current now: left alone


def test_a_hash_at_the_current_cost_is_left_alone(accounts: AccountService, db: Database) -> None:
    before = _stored_hash(db, "admin")
    accounts.authenticate("admin", "correct horse")
    assert _stored_hash(db, "admin") == before


@pytest.mark.parametrize(
    "stored",
    [
        "",
        "pbkdf2$1$2$3$c2FsdA==$ZGlnZXN0",
        "scrypt$16$8$1$not base64!$ZGlnZXN0",
        "scrypt$15$8$1$c2FsdA==$ZGlnZXN0",  # n not a power of two
        "scrypt$16$8$1$c2FsdA==$",
        "scrypt$4194304$8$1$c2FsdA==$ZGlnZXN0",  # 4 GiB: refused before any work
    ],
)
def test_a_malformed_or_excessive_hash_never_matches(stored: str) -> None:
    from evacsupport.services.accounts import verify_password

    assert verify_password("password", stored) is False
