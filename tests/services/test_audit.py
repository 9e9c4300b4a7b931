"""The audit trail: every change with old and new values, one entry per import, report and sync,
and the administrators' search and CSV export."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.models import AuditEntry, User
from evacsupport.errors import EvacError
from evacsupport.importers import import_households
from evacsupport.reports.jobs import ReportRequest, run_report
from evacsupport.services import audit
from evacsupport.services.audit import AuditQuery
from evacsupport.services.households import HouseholdService
from evacsupport.sync.service import SyncService
from tests import factories
from tests.importers.helpers import households, write_csv

PASSPHRASE = "noto-team-2024"


def entries(db: Database, **where: Any) -> list[AuditEntry]:
    with db.read() as session:
        query = select(AuditEntry).filter_by(**where).order_by(AuditEntry.at, AuditEntry.entity)
        return list(session.scalars(query))


def two_members() -> Any:
    return factories.household(
        members=[
            factories.member(),
            factories.member(given_name="太郎", given_kana="たろう", relation="spouse"),
        ]
    )


def test_household_create_update_delete_leave_old_and_new_values(db: Database) -> None:
    db.actor = "佐藤"
    service = HouseholdService(db)
    household = service.create(two_members())
    created = entries(db, action="create")
    assert {e.entity for e in created} >= {"household", "member", "residence"}
    row = next(e for e in created if e.entity == "household")
    assert row.entity_id == household.id and row.username == "佐藤"
    assert row.changes["case_number"] == [None, household.case_number]
    assert row.changes["phone"] == [None, "09012345678"]
    assert "version" not in row.changes and "search_text" not in row.changes
    members = [e for e in created if e.entity == "member"]
    assert sorted(e.changes["given_name"][1] for e in members) == ["太郎", "花子"]

    head, spouse = household.members
    service.update(
        household.id,
        factories.household(
            phone="090-9999-8888",
            members=[factories.member(id=head.id, given_name="春子", given_kana="はるこ")],
        ),
    )
    updated = entries(db, action="update")
    by_entity = {e.entity: e for e in updated}
    assert by_entity["household"].changes == {"phone": ["09012345678", "09099998888"]}
    assert by_entity["member"].entity_id == head.id
    assert by_entity["member"].changes["given_name"] == ["花子", "春子"]
    # the member left out of the form is soft-deleted: that is a "delete"
    (removed,) = entries(db, action="delete")
    assert removed.entity == "member" and removed.entity_id == spouse.id
    assert removed.changes["deleted_at"][0] is None and removed.changes["deleted_at"][1]

    service.soft_delete(household.id)
    deleted = entries(db, action="delete", entity="household")
    assert len(deleted) == 1 and deleted[0].entity_id == household.id
    assert list(deleted[0].changes) == ["deleted_at"]


def test_a_save_that_changes_nothing_leaves_no_entry(db: Database) -> None:
    service = HouseholdService(db)
    household = service.create(factories.household())
    before = len(entries(db))
    same = factories.household(members=[factories.member(id=household.members[0].id)])
    service.update(household.id, same)
    assert len(entries(db)) == before


def test_password_hash_is_masked(db: Database) -> None:
    with db.session() as session:
        user = User(username="admin", role="admin", password_hash="scrypt$secret")
        session.add(user)
    with db.session() as session:
        stored = session.get(User, user.id)
        assert stored is not None
        stored.password_hash = "scrypt$other"
    (created,) = entries(db, entity="app_user", action="create")
    assert created.changes["password_hash"] == [None, "***"]
    assert created.changes["username"] == [None, "admin"]
    (updated,) = entries(db, entity="app_user", action="update")
    assert updated.changes == {"password_hash": ["***", "***"]}
    with db.read() as session:
        dump = str([e.changes for e in session.scalars(select(AuditEntry))])
    assert "secret" not in dump and "other" not in dump


def test_an_import_leaves_one_entry_and_a_dry_run_none(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "輪島市名簿.csv", households(5))
    import_households(db, path, dry_run=True)
    assert entries(db, action="import") == []
    result = import_households(db, path)
    assert result.created == 5
    (entry,) = entries(db, action="import")
    assert entry.entity == "household"
    assert entry.changes == {"file": "輪島市名簿.csv", "created": 5, "updated": 0}


def test_a_report_leaves_one_entry(db: Database, tmp_path: Path) -> None:
    target = run_report(db, ReportRequest("monthly", month=date(2024, 3, 1)), tmp_path / "m.pdf")
    assert target.exists()
    (entry,) = entries(db, action="report")
    assert entry.changes["kind"] == "monthly" and entry.changes["file"] == "m.pdf"
    assert entry.changes["month"] == "2024-03-01"


def test_sync_export_and_import_leave_a_summary_entry_each(
    make_db: Callable[[str], Database], tmp_path: Path
) -> None:
    a, b = make_db("a"), make_db("b")
    SyncService(a).rename_site("本部")
    SyncService(b).rename_site("会場")
    HouseholdService(a).create(factories.household())
    package = tmp_path / "to-b.evsync"
    exported = SyncService(a).export("会場", package, PASSPHRASE)
    (out,) = entries(a, action="sync_export")
    assert out.changes == {"peer": "会場", "changes": exported.changes, "scope": ""}
    before = len(entries(b))
    result = SyncService(b).import_(package, PASSPHRASE, accept_unknown=True)  # first contact
    assert result.applied > 0
    after = entries(b)
    # one entry per record the merge created or changed, and the summary
    assert len(after) == before + result.applied + 1
    (entry,) = entries(b, action="sync_import")
    assert entry.changes == {
        "peer": "本部",
        "received": result.received,
        "applied": result.applied,
        "conflicts": 0,
    }


def test_search_filters_pages_and_labels(db: Database) -> None:
    db.actor = "佐藤"
    service = HouseholdService(db)
    household = service.create(factories.household())
    db.actor = "鈴木"
    service.update(
        household.id,
        factories.household(
            notes="山田さんに連絡", members=[factories.member(id=household.members[0].id)]
        ),
    )
    for i in range(3):
        with db.session() as session:
            audit.record(session, "login", username=f"user{i}")

    everything = audit.search(db, AuditQuery())
    assert [r.action for r in everything[:3]] == ["login"] * 3  # newest first
    assert [r.username for r in everything[:3]] == ["user2", "user1", "user0"]
    page = audit.search(db, AuditQuery(action="login"), limit=2, offset=1)
    assert [r.username for r in page] == ["user1", "user0"]

    (update,) = audit.search(db, AuditQuery(user="鈴木", action="update"))
    assert update.entity == "household" and update.record == household.case_number
    assert update.action_label == "更新" and update.entity_label == "世帯"
    (change,) = update.field_changes()
    assert (change.label, change.old, change.new) == ("備考", "", "山田さんに連絡")

    members = audit.search(db, AuditQuery(entity="member"))
    assert members and all(r.record == household.case_number for r in members)
    by_id = audit.search(db, AuditQuery(entity_id=household.id))
    assert {r.action for r in by_id} == {"create", "update"}

    found = audit.search(db, AuditQuery(text="山田さん"))  # Japanese inside the changed values
    assert [r.id for r in found] == [update.id]
    by_case = audit.search(db, AuditQuery(text=household.case_number, entity="household"))
    assert {r.action for r in by_case} == {"create", "update"}
    assert audit.search(db, AuditQuery(text="100%_!")) == []

    today = date.today()
    assert len(audit.search(db, AuditQuery(date_from=today, date_to=today))) == len(everything)
    assert audit.search(db, AuditQuery(date_to=today - timedelta(days=1))) == []
    assert audit.search(db, AuditQuery(date_from=today + timedelta(days=1))) == []
    assert audit.users(db) == ["user0", "user1", "user2", "佐藤", "鈴木"]


def test_csv_export(db: Database, tmp_path: Path) -> None:
    db.actor = "佐藤"
    household = HouseholdService(db).create(factories.household(notes="=1+1"))
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "audit.csv"
    rows = audit.export_csv(db, AuditQuery(entity="household"), target)
    assert rows == 1
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM: Excel in Japan reads it as UTF-8
    lines = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert lines[0] == ["日時", "利用者", "操作", "対象", "記録", "変更内容"]
    (row,) = lines[1:]
    assert row[1:5] == ["佐藤", "作成", "世帯", household.case_number]
    assert f"世帯番号: {household.case_number}" in row[5] and "備考: =1+1" in row[5]
    assert list(target.parent.iterdir()) == [target]  # no temporary file left
    (entry,) = entries(db, action="export")
    assert entry.changes == {"kind": "audit", "file": "audit.csv", "rows": 1, "entity": "household"}


def test_a_viewer_may_not_read_the_trail(db: Database, tmp_path: Path) -> None:
    db.role = "viewer"
    with pytest.raises(EvacError) as info:
        audit.search(db, AuditQuery())
    assert info.value.code == "auth.forbidden"
    with pytest.raises(EvacError) as info:
        audit.export_csv(db, None, tmp_path / "x.csv")
    assert info.value.code == "auth.forbidden"
    assert not (tmp_path / "x.csv").exists()
    db.role = "admin"
    assert audit.search(db, AuditQuery(action="export")) == []
