"""Bulk imports leave one chained audit entry per record they create or change, beside the
summary entry with the counts, so which records an import made can be read from the audit."""

from __future__ import annotations

import uuid
from pathlib import Path

from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.audit_chain import verify
from evacsupport.db.models import AuditEntry, Consent, Household, MealLog, Member, Residence
from evacsupport.importers import import_households, import_meals, import_venues
from tests.importers.helpers import households, write_csv

VENUE = {"名称": "にこにこ食堂", "種類": "子ども食堂", "定員": "30", "住所": "輪島市河井町1-1"}


def audited(db: Database, action: str) -> dict[tuple[str, uuid.UUID], AuditEntry]:
    with db.read() as session:
        found = session.scalars(select(AuditEntry).where(AuditEntry.action == action))
        return {(e.entity, e.entity_id): e for e in found if e.entity_id is not None}


def ids(db: Database, model: type) -> set[uuid.UUID]:
    with db.read() as session:
        return set(session.scalars(select(model.id)))  # type: ignore[attr-defined]


def test_every_household_and_member_an_import_creates_has_its_entry(
    db: Database, tmp_path: Path
) -> None:
    db.actor = "佐藤"
    result = import_households(db, write_csv(tmp_path / "輪島市名簿.csv", households(4, per=2)))
    assert result.created == 4
    created = audited(db, "create")
    for entity, model in (
        ("household", Household),
        ("member", Member),
        ("residence", Residence),
        ("consent", Consent),
    ):
        for record_id in ids(db, model):
            assert (entity, record_id) in created, (entity, record_id)
    with db.read() as session:
        member = session.scalars(select(Member)).first()
        assert member is not None
        entry = created[("member", member.id)]
        summary = session.scalars(select(AuditEntry).where(AuditEntry.action == "import")).one()
    # which record, by the person who imported; its values are the record itself
    assert entry.changes == {}
    assert entry.username == "佐藤"
    assert summary.changes["created"] == 4  # the summary stays
    with db.read() as session:
        assert verify(session.connection()).ok


def test_an_update_by_import_is_audited_per_record_too(db: Database, tmp_path: Path) -> None:
    rows = households(2)
    import_households(db, write_csv(tmp_path / "a.csv", rows))
    rows[0] = {**rows[0], "電話番号": "0768-22-9999"}
    again = import_households(db, write_csv(tmp_path / "a.csv", rows))
    assert again.updated == 1
    updates = [e for (entity, _), e in audited(db, "update").items() if entity == "household"]
    assert len(updates) == 1 and "phone" in updates[0].changes


def test_every_meal_an_import_creates_has_its_entry(db: Database, tmp_path: Path) -> None:
    import_venues(db, write_csv(tmp_path / "venues.csv", [VENUE]))
    import_households(db, write_csv(tmp_path / "list.csv", households(2)))
    meal = {"日付": "R6.3.1", "会場": "にこにこ食堂", "世帯番号": "A00001", "種別": "会食",
            "大人": "1", "子ども": "２"}  # fmt: skip
    result = import_meals(db, write_csv(tmp_path / "meals.csv", [meal, {**meal, "大人": "2"}]))
    assert result.created == 2
    created = audited(db, "create")
    meals = ids(db, MealLog)
    assert len(meals) == 2 and all(("meal_log", m) in created for m in meals)


def test_a_dry_run_leaves_no_entry(db: Database, tmp_path: Path) -> None:
    import_households(db, write_csv(tmp_path / "list.csv", households(3)), dry_run=True)
    assert audited(db, "create") == {}
