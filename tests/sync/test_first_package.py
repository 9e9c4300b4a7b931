"""A first package into an empty laptop takes the fast paths of the merge (no look-ups on empty
tables, later changes of a row folded into its queued insert, search text and facts rebuilt in
bulk). A laptop that follows the same history package by package takes the slow ones (rows
already there, one UPDATE each): both must end with the same database."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from evacsupport.db.facts import stale_households, stored_rows
from evacsupport.db.models import CheckIn, FollowUp, Household, MealLog, Member, SyncChange, Visit
from evacsupport.services import demo
from evacsupport.services.households import HouseholdService
from evacsupport.sync.codec import SYNCED, table
from tests.factories import household, member
from tests.sync.conftest import Laptop
from tests.sync.helpers import dump

TODAY = date(2024, 6, 30)


def _synced(side: Laptop) -> dict[str, dict[Any, Any]]:
    """The synced values; a deletion as whether the row is deleted (a merge stamps its own
    time on a record the sender deleted outright)."""
    return {
        entity: {
            row: {**values, "deleted_at": values.get("deleted_at") is not None}
            for row, values in rows.items()
        }
        for entity, rows in dump(side.db).items()
    }


def _local_state(side: Laptop) -> dict[str, Any]:
    """What the merge derives or keeps for itself: versions, search text, facts, the log."""
    with side.db.read() as s:
        conn = s.connection()
        assert stale_households(conn) == []
        versions = {
            entity: dict(conn.execute(select(table(entity).c.id, table(entity).c.version)).all())
            for entity in SYNCED
        }
        search = dict(s.execute(select(Household.id, Household.search_text)).all())
        log = sorted(
            (str(r.id), str(r.origin), r.lamport, r.entity, str(r.row_id), r.op, repr(r.data))
            for r in s.scalars(select(SyncChange))
        )
        return {
            "versions": versions,
            "search": search,
            "facts": stored_rows(conn),
            "log": log,
        }


def _second_month(office: Laptop) -> None:
    """Edits of rows the first package carried, and a household made and edited since."""
    now = datetime(2024, 7, 1, 9, tzinfo=UTC)
    with office.db.session() as s:
        homes = list(s.scalars(select(Household).order_by(Household.case_number).limit(6)))
        for n, home in enumerate(homes):
            home.phone = f"0900000000{n}"
        homes[0].case_number = "N24-999999"
        first_member = s.scalars(select(Member).order_by(Member.id).limit(1)).one()
        first_member.given_name = "改名"
        meal = s.scalars(select(MealLog).order_by(MealLog.id).limit(1)).one()
        meal.deleted_at = now  # an undone meal
        visit = s.scalars(select(Visit).order_by(Visit.id).limit(1)).one()
        visit.household_id = homes[1].id  # moved to another household: both facts change
        checkin = s.scalars(select(CheckIn).order_by(CheckIn.id).limit(1)).one()
        checkin.loneliness = 3
        followup = s.scalars(select(FollowUp).order_by(FollowUp.id).limit(1)).first()
        if followup is not None:
            s.delete(followup)
    service = HouseholdService(office.db)
    made = service.create(household(members=[member(family_name="新規", given_name="花子")]))
    with office.db.session() as s:
        fresh = s.get(Household, made.id)
        assert fresh is not None
        fresh.notes = "作った後に直した"
        s.add(
            Visit(id=uuid.uuid4(), household_id=made.id, visited_on=TODAY, kind="home", summary="")
        )


def test_one_first_package_and_the_same_history_in_steps_give_the_same_database(
    laptop: Callable[[str], Laptop], cheap_kdf: None
) -> None:
    office, steps, whole = laptop("office"), laptop("steps"), laptop("whole")
    demo.generate(office.db, households=25, seed=4, today=TODAY)
    steps.receive(office.send(steps), accept_unknown=True)
    _second_month(office)
    steps.receive(office.send(steps), accept_unknown=True)
    merged = whole.receive(office.send(whole), accept_unknown=True)

    assert merged.conflicts == 0 and merged.applied == merged.received
    assert _synced(steps) == _synced(whole)
    assert dump(steps.db)["meal_log"] == dump(whole.db)["meal_log"]  # the undo's own time
    assert _local_state(steps) == _local_state(whole)
    with whole.db.read() as s:
        assert s.scalar(select(Household.notes).where(Household.notes == "作った後に直した"))
        assert s.scalar(select(Household.id).where(Household.case_number == "N24-999999"))
