"""Accounts travel only as far as the people involved may take them.

Before these rules a viewer's ``sync import`` of a package that carried accounts added an
administrator account, and it worked: anyone can start a fresh laptop, become its first
administrator, add more and send the lot with the team passphrase.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from evacsupport.db.models import User
from evacsupport.domain.codes import Role, label
from evacsupport.errors import EvacError
from evacsupport.services.accounts import AccountService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync import crypto
from tests.factories import signed_in
from tests.sync.conftest import PASSPHRASE, Laptop
from tests.sync.helpers import fingerprint

PASSWORD = {name: f"{name}-pass-1" for name in ("admin", "sato", "kato", "mika", "intruder",
                                                 "helper")}  # fmt: skip
AS_ROLE = {Role.ADMIN: "admin", Role.COORDINATOR: "sato", Role.VENUE_STAFF: "kato",
           Role.VIEWER: "mika"}  # fmt: skip
VENUE = "こども食堂わじま"
NEED_ADMIN = (
    "この同期ファイルには利用者アカウントの追加や変更が含まれているため、管理者だけが"
    "取り込めます。管理者が取り込んでください。何も変更していません"
)
ABOVE_SENDER = (
    "この同期ファイルは管理者以外が作ったため、会場スタッフ以外のアカウントや、アカウントの"
    "権限を上げる変更は取り込めません。管理者に同期ファイルを作ってもらってください。"
    "何も変更していません"
)


def sign(laptop: Laptop, name: str) -> Laptop:
    signed_in(laptop.db, name, PASSWORD[name])
    return laptop


def role_of(laptop: Laptop, name: str) -> tuple[str, bool] | None:
    with laptop.db.read() as s:
        row = s.execute(select(User.role, User.active).where(User.username == name)).first()
    return (row[0], row[1]) if row else None


def can_sign_in(laptop: Laptop, name: str) -> bool:
    try:
        AccountService(laptop.db).authenticate(name, PASSWORD[name])
    except EvacError:
        return False
    return True


@pytest.fixture
def office(laptop: Callable[[str], Laptop], cheap_kdf: None) -> Laptop:
    """One account per role; kato is venue staff of こども食堂わじま."""
    one = laptop("office")
    accounts = AccountService(one.db)
    accounts.create("admin", PASSWORD["admin"], "admin")
    sign(one, "admin")
    VenueService(one.db).create(VenueInput(name=VENUE, capacity=30))
    accounts.create("sato", PASSWORD["sato"], "coordinator")
    accounts.create("kato", PASSWORD["kato"], "venue_staff", venue=VENUE)
    accounts.create("mika", PASSWORD["mika"], "viewer")
    return one


def intruders(laptop: Callable[[str], Laptop], office: Laptop, *, sent_by: str) -> Path:
    """A fresh laptop whose first account (an administrator, as every first account is) and a
    coordinator it adds, sent to the office by ``sent_by``."""
    elsewhere = laptop("elsewhere")
    accounts = AccountService(elsewhere.db)
    accounts.create("intruder", PASSWORD["intruder"], "admin")
    sign(elsewhere, "intruder")
    accounts.create("helper", PASSWORD["helper"], "coordinator")
    return sign(elsewhere, sent_by).send(office)


EXPECTED = {
    Role.VIEWER: "閲覧者の権限ではこの操作はできません。管理者に相談してください",
    Role.VENUE_STAFF: (
        "会場スタッフのアカウントでは、担当会場の会場用端末でだけ同期できます。"
        "この端末ではコーディネーターか管理者がサインインしてください"
    ),
    Role.COORDINATOR: NEED_ADMIN,
    Role.ADMIN: ABOVE_SENDER,  # the package was made by the coordinator it carries
}


@pytest.mark.parametrize("role", list(Role), ids=[str(r) for r in Role])
def test_an_administrator_account_from_elsewhere_is_refused_for_each_role(
    office: Laptop, laptop: Callable[[str], Laptop], role: Role
) -> None:
    package = intruders(laptop, office, sent_by="helper")
    sign(office, AS_ROLE[role])
    before = fingerprint(office.db)
    with pytest.raises(EvacError) as info:
        office.receive(package, accept_unknown=True)
    assert str(info.value) == EXPECTED[role], label(role)
    assert fingerprint(office.db) == before
    assert role_of(office, "intruder") is None and not can_sign_in(office, "intruder")
    assert role_of(office, "helper") is None


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.VENUE_STAFF, Role.VIEWER])
def test_even_an_administrators_package_of_accounts_needs_an_administrator_here(
    office: Laptop, laptop: Callable[[str], Laptop], role: Role
) -> None:
    package = intruders(laptop, office, sent_by="intruder")
    sign(office, AS_ROLE[role])
    with pytest.raises(EvacError):
        office.receive(package, accept_unknown=True)
    assert role_of(office, "intruder") is None


def test_an_administrator_takes_accounts_as_the_sending_administrator_gave_them(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    package = intruders(laptop, office, sent_by="intruder")
    sign(office, "admin")
    office.receive(package, accept_unknown=True)
    assert role_of(office, "intruder") == ("admin", True)
    assert role_of(office, "helper") == ("coordinator", True)


def test_a_package_from_an_older_app_counts_as_not_made_by_an_administrator(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    package = intruders(laptop, office, sent_by="intruder")
    payload = crypto.open_sealed(package.read_bytes(), PASSPHRASE)
    del payload["sender_role"]
    package.write_bytes(crypto.seal(payload, PASSPHRASE))
    sign(office, "admin")
    with pytest.raises(EvacError) as info:
        office.receive(package, accept_unknown=True)
    assert info.value.code == "sync.accounts_above_sender"


def test_a_coordinators_venue_package_brings_the_venues_staff(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    venue = laptop("venue")
    sign(office, "sato")
    venue.receive(office.send(venue, scope=f"venue:{VENUE}"), accept_unknown=True)
    assert can_sign_in(venue, "kato")
    assert {role_of(venue, n) for n in ("admin", "sato", "mika")} == {None}


def _seal_with_extra_account(package: Path, **account: Any) -> None:
    payload = crypto.open_sealed(package.read_bytes(), PASSPHRASE)
    [staff] = [c for c in payload["changes"] if c["entity"] == "app_user"]
    extra = {**staff, "id": "6f1de5a2-3c4b-4e8f-9a01-b2c3d4e5f600",
             "row": "6f1de5a2-3c4b-4e8f-9a01-b2c3d4e5f601"}  # fmt: skip
    extra["data"] = {**staff["data"], "username": "extra", **account}
    payload["changes"].append(extra)
    package.write_bytes(crypto.seal(payload, PASSPHRASE))


@pytest.mark.parametrize(
    "account",
    [{"role": "admin", "venue_id": None}, {"role": "coordinator", "venue_id": None}, "elsewhere"],
    ids=["an administrator", "a coordinator", "staff of another venue"],
)
def test_a_venue_package_may_carry_only_that_venues_staff(
    office: Laptop, laptop: Callable[[str], Laptop], account: Any
) -> None:
    """Even an administrator's venue package: a venue laptop holds its own staff, no one else."""
    if account == "elsewhere":
        other = VenueService(office.db).create(VenueInput(name="みんなの食堂", capacity=20))
        account = {"venue_id": str(other.id)}
    venue = laptop("venue")
    package = office.send(venue, scope=f"venue:{VENUE}")
    _seal_with_extra_account(package, **account)
    before = fingerprint(venue.db)
    with pytest.raises(EvacError) as info:
        venue.receive(package, accept_unknown=True)
    assert str(info.value) == (
        "会場用の同期ファイルには、その会場の会場スタッフのアカウントしか含められません。"
        "事務所で作り直してもらってください。何も変更していません"
    )
    assert fingerprint(venue.db) == before


@pytest.fixture
def two_offices(office: Laptop, laptop: Callable[[str], Laptop]) -> tuple[Laptop, Laptop]:
    """A second office laptop that has every account (from the administrator) and has
    answered, so packages between the two are addressed by identity."""
    second = laptop("second")
    second.receive(office.send(second), accept_unknown=True)
    sign(second, "admin")
    office.receive(second.send(office))
    return office, second


def _promote(laptop: Laptop, name: str, **values: Any) -> None:
    """An account edited at the office (as a future role editor, or a tampered file, would)."""
    with laptop.db.session() as session:
        user = session.scalar(select(User).where(User.username == name))
        assert user is not None
        for key, value in values.items():
            setattr(user, key, value)


def test_no_role_is_raised_by_a_package_an_administrator_did_not_make(
    two_offices: tuple[Laptop, Laptop],
) -> None:
    office, second = two_offices
    _promote(office, "kato", role="coordinator", venue_id=None)
    package = sign(office, "sato").send(second)
    with pytest.raises(EvacError) as info:
        second.receive(package)
    assert str(info.value) == ABOVE_SENDER
    assert role_of(second, "kato") == ("venue_staff", True)
    # The same change made into a package by an administrator is the administrator's call.
    second.receive(sign(office, "admin").send(second))
    assert role_of(second, "kato") == ("coordinator", True)


def test_an_account_switched_off_travels_from_anyone_but_back_on_only_from_an_administrator(
    two_offices: tuple[Laptop, Laptop],
) -> None:
    office, second = two_offices
    sign(office, "admin")
    AccountService(office.db).set_active("kato", False)
    second.receive(sign(office, "sato").send(second))  # switching off lowers: fine
    assert role_of(second, "kato") == ("venue_staff", False)
    office.receive(second.send(office))
    sign(office, "admin")
    AccountService(office.db).set_active("kato", True)
    with pytest.raises(EvacError) as info:
        second.receive(sign(office, "sato").send(second))
    assert info.value.code == "sync.accounts_above_sender"
    assert role_of(second, "kato") == ("venue_staff", False)
    second.receive(sign(office, "admin").send(second))
    assert role_of(second, "kato") == ("venue_staff", True)


def test_an_account_added_and_promoted_in_one_package_is_judged_promoted(
    two_offices: tuple[Laptop, Laptop],
) -> None:
    office, second = two_offices
    sign(office, "admin")
    AccountService(office.db).create("newbie", "newbie-pass-1", "venue_staff", venue=VENUE)
    _promote(office, "newbie", role="admin", venue_id=None)
    with pytest.raises(EvacError) as info:
        second.receive(sign(office, "sato").send(second))
    assert info.value.code == "sync.accounts_above_sender"
    assert role_of(second, "newbie") is None


def test_a_coordinator_imports_packages_whose_accounts_are_already_here(
    two_offices: tuple[Laptop, Laptop],
) -> None:
    """Accounts relayed again (the log resends what was not acknowledged) change nothing, so
    they do not need an administrator."""
    office, second = two_offices
    from evacsupport.services.households import HouseholdService
    from tests.factories import household

    HouseholdService(sign(office, "sato").db).create(household())
    sign(second, "sato")
    result = second.receive(office.send(second))
    assert result.applied >= 1
    assert HouseholdService(second.db).count() == 1


def test_a_coordinator_may_not_take_new_staff_accounts_but_an_administrator_may(
    two_offices: tuple[Laptop, Laptop],
) -> None:
    office, second = two_offices
    sign(office, "admin")
    AccountService(office.db).create("kimura", "kimura-pass-1", "venue_staff", venue=VENUE)
    package = office.send(second)
    sign(second, "sato")
    with pytest.raises(EvacError) as info:
        second.receive(package)
    assert str(info.value) == NEED_ADMIN
    sign(second, "admin")
    second.receive(package)
    assert role_of(second, "kimura") == ("venue_staff", True)


def test_venue_staff_on_their_laptop_take_their_venues_staff_changes(
    office: Laptop, laptop: Callable[[str], Laptop]
) -> None:
    """A venue laptop has no administrator: its own venue's packages bring staff changes,
    within the same limits (a coordinator's package may not switch an account back on)."""
    venue = laptop("venue")
    venue.receive(sign(office, "sato").send(venue, scope=f"venue:{VENUE}"), accept_unknown=True)
    sign(venue, "kato")
    sign(office, "admin")
    AccountService(office.db).create("kimura", "kimura-pass-1", "venue_staff", venue=VENUE)
    AccountService(office.db).set_active("kimura", False)
    venue.receive(sign(office, "sato").send(venue), accept_unknown=True)
    assert role_of(venue, "kimura") == ("venue_staff", False)
    sign(office, "admin")
    AccountService(office.db).set_active("kimura", True)
    with pytest.raises(EvacError) as info:
        venue.receive(sign(office, "sato").send(venue), accept_unknown=True)
    assert info.value.code == "sync.accounts_above_sender"
    venue.receive(sign(office, "admin").send(venue), accept_unknown=True)
    assert role_of(venue, "kimura") == ("venue_staff", True)
