"""Who may sync: every SyncService entry point behind its permission, and venue staff only on
their own venue's laptop."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evacsupport.domain.codes import Role, label
from evacsupport.domain.roles import GRANTS, Permission
from evacsupport.errors import EvacError
from evacsupport.services.accounts import AccountService, Principal, sign_in
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync.service import SyncService
from tests.factories import household, signed_in
from tests.sync.conftest import PASSPHRASE, Laptop
from tests.sync.helpers import fingerprint

PASSWORDS = {"admin": "admin-pass-1", "sato": "sato-pass-1", "kato": "kato-pass-1",
             "mika": "mika-pass-1"}  # fmt: skip
AS_ROLE = {Role.ADMIN: "admin", Role.COORDINATOR: "sato", Role.VENUE_STAFF: "kato",
           Role.VIEWER: "mika"}  # fmt: skip
VENUE = "こども食堂わじま"


class Team:
    """An office laptop with one account per role, and a peer that has sent it a package."""

    def __init__(self, laptop: Callable[[str], Laptop]) -> None:
        self.office, self.peer = laptop("office"), laptop("peer")
        accounts = AccountService(self.office.db)
        accounts.create("admin", PASSWORDS["admin"], "admin")
        signed_in(self.office.db, "admin", PASSWORDS["admin"])
        self.venue = VenueService(self.office.db).create(VenueInput(name=VENUE, capacity=30))
        accounts.create("sato", PASSWORDS["sato"], "coordinator")
        accounts.create("kato", PASSWORDS["kato"], "venue_staff", venue=VENUE)
        accounts.create("mika", PASSWORDS["mika"], "viewer")
        HouseholdService(self.office.db).create(household())
        HouseholdService(self.peer.db).create(household())
        self.package = self.peer.send(self.office)

    def become(self, role: Role) -> SyncService:
        name = AS_ROLE[role]
        signed_in(self.office.db, name, PASSWORDS[name])
        return self.office.sync


@pytest.fixture
def team(laptop: Callable[[str], Laptop], cheap_kdf: None) -> Team:
    return Team(laptop)


CALLS: dict[str, tuple[Permission, Callable[[SyncService, Team], Any]]] = {
    "rename_site": (Permission.SYNC, lambda s, _t: s.rename_site("事務所")),
    "peers": (Permission.SYNC, lambda s, _t: s.peers()),
    "export": (
        Permission.SYNC,
        lambda s, t: s.export("peer", t.office.folder / "out.evsync", PASSPHRASE),
    ),
    "import_": (
        Permission.SYNC,
        lambda s, t: s.import_(t.package, PASSPHRASE, accept_unknown=True),
    ),
    "conflicts": (Permission.CASEWORK, lambda s, _t: s.conflicts()),
    "resolve": (Permission.CASEWORK, lambda s, _t: s.resolve(uuid.uuid4(), "mine")),
    "after_restore": (Permission.RESTORE, lambda s, _t: s.after_restore()),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("call", list(CALLS))
def test_each_entry_point_is_gated_by_the_role(team: Team, role: Role, call: str) -> None:
    permission, run = CALLS[call]
    service = team.become(role)
    if permission in GRANTS[role]:
        if role == Role.VENUE_STAFF and call in ("export", "import_"):
            with pytest.raises(EvacError) as info:
                run(service, team)
            assert info.value.code == "sync.venue_staff_elsewhere"  # see below
        elif call == "resolve":
            with pytest.raises(EvacError) as info:
                run(service, team)
            assert info.value.code == "sync.conflict_not_found"  # past the gate
        else:
            run(service, team)
        return
    before = fingerprint(team.office.db)
    with pytest.raises(EvacError) as info:
        run(service, team)
    assert str(info.value) == (
        f"{label(role)}の権限ではこの操作はできません。管理者に相談してください"
    )
    assert fingerprint(team.office.db) == before
    assert not (team.office.folder / "out.evsync").exists()


def test_this_laptops_name_is_open_to_everyone(team: Team) -> None:
    for role in Role:
        assert team.become(role).this_site().name == "office"
    team.office.db.role = None  # signed out: accounts exist, still the name shows
    assert team.office.sync.this_site().name == "office"


def test_nobody_signed_in_is_refused_once_accounts_exist(team: Team) -> None:
    team.office.db.role = None
    for call, (_permission, run) in CALLS.items():
        with pytest.raises(EvacError) as info:
            run(team.office.sync, team)
        assert info.value.code == "auth.sign_in_needed", call


def test_venue_staff_cannot_carry_the_caseload_away_from_an_office_laptop(team: Team) -> None:
    """kato's account travelled to the office laptop with the others; signed in there, kato
    may not write a package of the whole caseload nor pour one into the office's data."""
    service = team.become(Role.VENUE_STAFF)
    before = fingerprint(team.office.db)
    out = team.office.folder / "everything.evsync"
    for attempt in (
        lambda: service.export("usb", out, PASSPHRASE),
        lambda: service.export("usb", out, PASSPHRASE, scope_venue=f"venue:{VENUE}"),
        lambda: service.import_(team.package, PASSPHRASE, accept_unknown=True),
    ):
        with pytest.raises(EvacError) as info:
            attempt()
        assert str(info.value) == (
            "会場スタッフのアカウントでは、担当会場の会場用端末でだけ同期できます。"
            "この端末ではコーディネーターか管理者がサインインしてください"
        )
    assert not out.exists()
    assert fingerprint(team.office.db) == before


def test_venue_staff_sync_on_their_own_venue_laptop_only(
    team: Team, laptop: Callable[[str], Laptop]
) -> None:
    other = VenueService(team.office.db).create(VenueInput(name="みんなの食堂", capacity=20))
    venue_laptop = laptop("venue")
    team.become(Role.ADMIN)
    venue_laptop.receive(
        team.office.send(venue_laptop, scope=f"venue:{VENUE}"), accept_unknown=True
    )

    signed_in(venue_laptop.db, "kato", PASSWORDS["kato"])
    sent = venue_laptop.sync.export("office", venue_laptop.folder / "back.evsync", PASSPHRASE)
    assert sent.peer == "office"
    # Staff of another venue (an account that came some other way) are refused here too.
    sign_in(venue_laptop.db, Principal("mori", "mori", Role.VENUE_STAFF, other.id))
    with pytest.raises(EvacError) as info:
        venue_laptop.sync.export("office", venue_laptop.folder / "x.evsync", PASSPHRASE)
    assert info.value.code == "sync.venue_staff_elsewhere"
    assert not (venue_laptop.folder / "x.evsync").exists()


def test_a_refused_export_leaves_no_peer_behind(team: Team) -> None:
    service = team.become(Role.VENUE_STAFF)
    with pytest.raises(EvacError):
        service.export("a-new-peer", team.office.folder / "out.evsync", PASSPHRASE)
    team.become(Role.ADMIN)
    assert [p.name for p in team.office.sync.peers()] == []


def test_the_package_path_is_not_touched_when_refused(team: Team, tmp_path: Path) -> None:
    """The role is checked before the file is read: a viewer learns nothing about it."""
    service = team.become(Role.VIEWER)
    with pytest.raises(EvacError) as info:
        service.import_(tmp_path / "does-not-exist.evsync", PASSPHRASE)
    assert info.value.code == "auth.forbidden"
