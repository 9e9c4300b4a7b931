"""A small office database with one account per role, built once per run and copied per test.

Two venues (the venue staff account works at the first), a household at each with consent, a
meal, a visit, a check-in, a follow-up and a consent to withdraw: enough for every entry point
to be called with real arguments.
"""

from __future__ import annotations

import shutil
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Consent, MealLog
from evacsupport.domain.codes import Role
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.consents import record_consent
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import consent, household, member

PASSWORD = "role-matrix-1"
TODAY = date.today()
USERS: dict[Role, str] = {
    Role.ADMIN: "admin",
    Role.COORDINATOR: "sato",
    Role.VENUE_STAFF: "kato",
    Role.VIEWER: "mayor",
}
"""The account of each role in the world; venue staff ``kato`` works at ``World.venue``."""


@dataclass(frozen=True)
class World:
    """What lives in the copied database: ids to call the entry points with."""

    venue: uuid.UUID  # the venue staff's venue
    other_venue: uuid.UUID
    household: uuid.UUID  # assigned to ``venue``, consenting
    case_number: str
    member: uuid.UUID
    other_household: uuid.UUID  # assigned to ``other_venue``
    other_case_number: str
    meal: uuid.UUID  # at ``venue``
    other_meal: uuid.UUID  # at ``other_venue``
    followup: uuid.UUID
    consent: uuid.UUID
    folder: Path  # a scratch folder beside the copy, for files the calls write
    backup: Path | None = None  # a sound backup of the world (see with_files)
    package: Path | None = None  # a sync package from a laptop the world never met


def with_files(w: World, template: Path, folder: Path) -> World:
    """The world with a backup of itself and a package from a stranger laptop, made once."""
    from dataclasses import replace

    from evacsupport.sync.service import SyncService

    folder.mkdir(parents=True, exist_ok=True)
    backup = copy(template, folder / "backup.sqlite3")
    stranger = Database(sqlite_url(folder / "stranger.sqlite3"))
    try:
        SyncService(stranger).rename_site("仮設の集会所")
        VenueService(stranger).create(VenueInput(name="集会所の食堂", capacity=12))
        package = folder / "from-stranger.evsync"
        SyncService(stranger).export("事務所", package, PASSPHRASE)
    finally:
        stranger.close()
    return replace(w, backup=backup, package=package)


PASSPHRASE = "noto-team-2024"


def build(path: Path, *, accounts: bool = True) -> World:
    """Make the world in a new file at ``path``; ``accounts=False`` leaves it without any."""
    db = Database(sqlite_url(path))
    try:
        here = "36.5613, 136.6562"
        venues = VenueService(db)
        mine = venues.create(VenueInput(name="こども食堂わじま", capacity=30, coordinates=here))
        other = venues.create(VenueInput(name="みんなの食堂すず", capacity=30, coordinates=here))
        people = HouseholdService(db)
        home = people.create(household(coordinates=here))
        away = people.create(
            household(coordinates=here, members=[member(family_name="能登", given_name="一郎")])
        )
        given = record_consent(
            db, home.id, consent(purposes=["support", "venue_connection", "referral"])
        )
        record_consent(db, away.id, consent())
        AssignmentService(db).assign(home.id, mine.id)
        AssignmentService(db).assign(away.id, other.id)
        meals = MealService(db)
        meal = meals.log(MealEntry(venue_id=mine.id, code=home.case_number))
        other_meal = meals.log(MealEntry(venue_id=other.id, code=away.case_number))
        member_id = home.current_members[0].id
        contacts = ContactService(db)
        contacts.record_visit(home.id, VisitInput(visited_on=TODAY, summary="元気そう"))
        contacts.record_checkin(
            home.id, CheckInInput(member_id=member_id, checked_on=TODAY, loneliness=[3])
        )
        followup = FollowUpService(db).add(home.id, due_on=TODAY, reason="電話で様子を聞く")
        if accounts:
            service = AccountService(db)
            service.create(USERS[Role.ADMIN], PASSWORD, Role.ADMIN)
            sign_in(db, service.authenticate(USERS[Role.ADMIN], PASSWORD))
            for role, name in USERS.items():
                if role != Role.ADMIN:
                    service.create(name, PASSWORD, role, venue=mine.name)
        with db.read() as session:
            consent_id = session.scalar(select(Consent.id).where(Consent.id == given.id))
            assert session.get(MealLog, meal.id) is not None
        assert consent_id is not None
        return World(
            venue=mine.id,
            other_venue=other.id,
            household=home.id,
            case_number=home.case_number,
            member=member_id,
            other_household=away.id,
            other_case_number=away.case_number,
            meal=meal.id,
            other_meal=other_meal.id,
            followup=followup.id,
            consent=consent_id,
            folder=path.parent,
        )
    finally:
        db.close()


def copy(template: Path, to: Path) -> Path:
    """A private copy of the world's file (the template is closed, so it is the whole db)."""
    to.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, to)
    return to
