"""Erasure on request and the retention purge: personal data goes everywhere, counts stay."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.base import Base
from evacsupport.db.models import Assignment, AuditEntry, Household, MealLog, Member
from evacsupport.errors import EvacError, InvalidValue
from evacsupport.services import audit
from evacsupport.services.consents import record_consent
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.erasure import (
    ERASED,
    erase_household,
    parse_reason,
    purge_candidates,
    purge_closed,
)
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.services.reporting import monthly_figures
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import consent, household, member

# Values that must not survive anywhere in the database once the household is erased.
SECRETS = (
    "花子",
    "太郎",
    "ハナコ",
    "タロウ",
    "12345678",
    "輪島市河井町",
    "金沢市香林坊",
    "秘密のメモ",
    "インスリン注射",
    "えび",
    "訪問で聞いた話",
    "近所とのトラブル",
    "眠れない",
    "山田さんに電話",
    "代理の山田次郎",
    "同意時のメモ",
)
MAY = date(2024, 5, 1)


@dataclass
class Case:
    household_id: uuid.UUID
    case_number: str
    head_id: uuid.UUID
    other_id: uuid.UUID  # a second household, never erased


def _make(db: Database) -> Case:
    venue = VenueService(db).create(VenueInput(name="こども食堂わじま", capacity=30))
    people = HouseholdService(db)
    home = people.create(
        household(
            notes="秘密のメモ",
            members=[
                member(medical_notes="インスリン注射あり", allergens=["えび"]),
                member(
                    given_name="太郎",
                    given_kana="たろう",
                    relation="spouse",
                    sex="male",
                    birth_date="1950-02-02",
                    dietary_needs="えびを避ける",
                ),
            ],
        )
    )
    other = people.create(
        household(
            phone="0762251111",
            origin_address="石川県珠洲市1-1",
            current_address="石川県白山市1-1",
            members=[
                member(
                    family_name="佐藤",
                    family_kana="さとう",
                    given_name="一郎",
                    given_kana="いちろう",
                )
            ],
        )
    )
    record_consent(
        db,
        home.id,
        consent(
            subject="proxy", proxy_name="代理の山田次郎", proxy_relation="子", notes="同意時のメモ"
        ),
    )
    with db.session() as s:
        s.add(Assignment(household_id=home.id, venue_id=venue.id, start_on=date(2024, 4, 1)))
    contacts = ContactService(db)
    contacts.record_visit(
        home.id,
        VisitInput(visited_on="2024-05-20", summary="訪問で聞いた話", concerns="近所とのトラブル"),
        today=date(2024, 5, 20),
    )
    head = home.current_members[0]  # type: ignore[attr-defined]
    contacts.record_checkin(
        home.id,
        CheckInInput(
            member_id=head.id,
            checked_on="2024-05-21",
            k6=[0, 1, 0, 1, 0, 0],
            health_worries="眠れない",
            note="眠れない日が続く",
        ),
        today=date(2024, 5, 21),
    )
    FollowUpService(db).add(home.id, due_on="2024-06-15", reason="山田さんに電話する")
    with db.session() as s:
        registered = datetime(2024, 4, 1, 1, tzinfo=UTC)
        for hid in (home.id, other.id):
            found = s.get(Household, hid)
            assert found is not None
            found.created_at = registered
        s.add_all(
            MealLog(
                venue_id=venue.id,
                household_id=home.id,
                served_on=date(2024, 5, day),
                meal_type="eat_in",
                adults=2,
                note="山田さんに電話",
            )
            for day in (8, 15, 29)
        )
    return Case(home.id, home.case_number, head.id, other.id)


def _everything(db: Database) -> str:
    """Every value in every table, as one text to search."""
    parts: list[str] = []
    with db.read() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)):
                parts += [json.dumps(v, ensure_ascii=False, default=str) for v in row]
    return "\n".join(parts)


def test_erasure_clears_every_personal_value_everywhere(db: Database) -> None:
    case = _make(db)
    with db.session() as s:  # an older audit entry naming the person
        audit.record(
            s,
            "update",
            entity="member",
            entity_id=case.head_id,
            changes={"family_name": ["山本", "山田"], "given_name": ["花子", "花子"], "sex": "x"},
        )
    text = _everything(db)
    assert all(secret in text for secret in SECRETS)

    result = erase_household(db, case.household_id, "request", today=date(2024, 7, 1))

    assert result.case_number == case.case_number and result.members == 2
    text = _everything(db)
    assert [secret for secret in SECRETS if secret in text] == []
    with db.read() as s:
        home = s.get(Household, case.household_id)
        assert home is not None
        assert (home.status, home.closed_on) == ("closed", date(2024, 7, 1))
        assert home.case_number == case.case_number and home.origin_municipality_code == "172049"
        assert home.phone == home.current_address == home.notes == ""
        members = s.scalars(select(Member).where(Member.household_id == home.id)).all()
        assert {(m.family_name, m.given_name, m.birth_date, m.phone) for m in members} == {
            (ERASED, "", None, "")
        }
        assert {m.relation for m in members} == {"head", "spouse"}  # kept for the counts
        assert all(m.deleted_at is None for m in members)
        other = s.get(Household, case.other_id)
        assert other is not None and other.status == "active" and other.phone == "0762251111"
        entries = s.scalars(
            select(AuditEntry).where(
                AuditEntry.entity_id == case.head_id, AuditEntry.action == "update"
            )
        ).all()
        older = next(e for e in entries if "sex" in e.changes)
        assert older.changes == {
            "family_name": [ERASED, ERASED],
            "given_name": [ERASED, ERASED],
            "sex": "x",
        }
        [erase] = s.scalars(select(AuditEntry).where(AuditEntry.action == "erase")).all()
        assert (erase.entity, erase.entity_id) == ("household", case.household_id)
        assert erase.changes == {"reason_code": "request"}
    assert "佐藤" in text  # the other household is untouched


def test_erasure_keeps_the_counts_of_the_month(db: Database) -> None:
    case = _make(db)
    before = monthly_figures(db, MAY, today=date(2024, 6, 30))
    by_host = monthly_figures(db, MAY, by="host", today=date(2024, 6, 30))
    assert before.total.active_households == 2 and before.total.active_people == 3
    assert before.total.meal_logs == 3 and before.total.visit_total == 1
    assert before.total.checkins == 1

    erase_household(db, case.household_id, "request", today=date(2024, 7, 1))

    assert monthly_figures(db, MAY, today=date(2024, 6, 30)) == before
    assert monthly_figures(db, MAY, by="host", today=date(2024, 6, 30)) == by_host


def test_only_an_administrator_may_erase(db: Database) -> None:
    case = _make(db)
    db.role = "coordinator"
    with pytest.raises(EvacError) as info:
        erase_household(db, case.household_id, "request")
    assert info.value.code == "auth.forbidden"
    for call in (lambda: purge_candidates(db, 12), lambda: purge_closed(db, 12)):
        with pytest.raises(EvacError):
            call()
    db.role = "admin"
    erase_household(db, case.household_id, "request")


def test_the_reason_is_a_code_never_free_text() -> None:
    assert parse_reason("request") == "request"
    assert parse_reason("本人・代理人の申し出") == "request"
    with pytest.raises(InvalidValue):
        parse_reason("山田さんに頼まれて")


def test_purge_erases_only_households_closed_longer_than_the_period(db: Database) -> None:
    people = HouseholdService(db)
    old, recent, _active = (
        people.create(household(members=[member(given_name=name)]))
        for name in ("古子", "新子", "今子")
    )
    people.close(old.id, "2023-01-10")
    people.close(recent.id, "2024-05-01")
    today = date(2024, 6, 30)

    [candidate] = purge_candidates(db, 12, today)
    assert (candidate.case_number, candidate.closed_on) == (old.case_number, date(2023, 1, 10))
    assert "古子" in _everything(db)  # the dry run changed nothing

    assert purge_closed(db, 12, today) == [old.case_number]
    text = _everything(db)
    assert "古子" not in text and "新子" in text and "今子" in text
    assert purge_candidates(db, 12, today) == []  # erased once is enough
    assert purge_closed(db, 1, today) == [recent.case_number]
    with pytest.raises(EvacError):
        purge_candidates(db, 0, today)
