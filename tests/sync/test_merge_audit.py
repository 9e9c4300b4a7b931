"""A merged package leaves one chained audit entry per record it creates or changes, beside
the ``sync_import`` summary, so what a merge brought in can be read from the audit."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from sqlalchemy import select

from evacsupport.db.audit_chain import verify
from evacsupport.db.models import AuditEntry, Household, Member
from evacsupport.services.households import HouseholdService
from tests.factories import household, member
from tests.sync.conftest import Laptop


def entries(lap: Laptop, action: str) -> list[AuditEntry]:
    with lap.db.read() as session:
        return list(session.scalars(select(AuditEntry).where(AuditEntry.action == action)))


def test_every_record_a_merge_creates_or_changes_has_its_entry(
    laptop: Callable[[str], Laptop],
) -> None:
    one, two = laptop("one"), laptop("two")
    service = HouseholdService(one.db)
    made = [service.create(household(members=[member(given_name=g)])) for g in ("花子", "次郎")]
    two.receive(one.send(two), accept_unknown=True)
    created = {(e.entity, e.entity_id): e for e in entries(two, "create")}
    with two.db.read() as session:
        household_ids: set[uuid.UUID] = set(session.scalars(select(Household.id)))
        member_ids: set[uuid.UUID] = set(session.scalars(select(Member.id)))
    assert household_ids == {h.id for h in made}
    assert all(("household", h) in created for h in household_ids)
    assert all(("member", m) in created for m in member_ids)
    hanako = created[("member", made[0].members[0].id)]
    assert hanako.username == "two" and hanako.changes == {}  # who merged; the record is the values
    (summary,) = entries(two, "sync_import")
    assert summary.changes["applied"] >= len(created)

    target = made[0]
    with one.db.session() as session:
        row = session.get(Household, target.id)
        assert row is not None
        row.phone = "0768229999"
    two.receive(one.send(two), accept_unknown=True)
    updates = [e for e in entries(two, "update") if e.entity_id == target.id]
    assert updates and updates[-1].changes["phone"] == [None, "0768229999"]
    with two.db.read() as session:
        assert verify(session.connection()).ok
