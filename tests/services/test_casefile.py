"""One Save for a household with its consent, withdrawal and move: all of it or none of it."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Consent, Household, Member, Residence
from evacsupport.errors import EvacError, NotFound, ValidationError
from evacsupport.services.casefile import CaseChanges, save_case, validate_case
from evacsupport.services.consents import ConsentInput, record_consent, withdraw_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.residences import MoveInput
from tests.factories import household, member

DEEMED_PLACE = "石川県白山市倉光3丁目5-1 コーポ倉光101"


def codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def consent(**overrides: object) -> ConsentInput:
    values: dict[str, object] = {
        "consented_on": "2024-03-01",
        "purposes": ["support", "venue_connection"],
        "recipients": ["assigned_venue"],
        "staff": "佐藤",
    }
    values.update(overrides)
    return ConsentInput(**values)  # type: ignore[arg-type]


def move(**overrides: object) -> MoveInput:
    values: dict[str, object] = {
        "evacuation_status": "deemed_housing",
        "moved_on": "2024-04-15",
        "place": DEEMED_PLACE,
    }
    values.update(overrides)
    return MoveInput(**values)  # type: ignore[arg-type]


def count(db: Database, model: type) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def table_counts(db: Database) -> tuple[int, int, int, int]:
    return tuple(count(db, m) for m in (Household, Member, Consent, Residence))  # type: ignore[return-value]


def snapshot(db: Database, household_id: uuid.UUID) -> tuple[object, ...]:
    """Everything a half-written save could have touched."""
    h = HouseholdService(db).get(household_id)
    return (
        h.version,
        h.phone,
        h.evacuation_status,
        h.current_address,
        h.current_municipality_code,
        h.search_text,
        [(m.id, m.family_name, m.given_name, m.relation, m.deleted_at) for m in h.members],
        [
            (c.id, c.consented_on, c.withdrawn_on, c.purposes, c.supersedes_id, c.deleted_at)
            for c in h.consents
        ],
        [(r.id, r.evacuation_status, r.moved_on, r.place) for r in h.residences],
        table_counts(db),
    )


@pytest.fixture
def existing(db: Database) -> Household:
    """A household in a hotel since 2024-01-01, with consent given on 2024-03-01."""
    saved = HouseholdService(db).create(household())
    record_consent(db, saved.id, consent())
    return HouseholdService(db).get(saved.id)


def edited(existing: Household, **overrides: object) -> CaseChanges:
    """The existing household's form with a new phone, an edited head and a new child."""
    head = existing.head
    assert head is not None
    form = household(
        phone="076-222-3333",
        members=[
            member(id=head.id, given_name="華子"),
            member(given_name="太郎", given_kana="たろう", relation="child", birth_date="H2.4.1"),
        ],
    )
    return CaseChanges(form, **overrides)  # type: ignore[arg-type]


# --- creating ---------------------------------------------------------------------------------


def test_a_new_household_with_consent_and_move_is_created_in_one_save(db: Database) -> None:
    saved = save_case(db, None, CaseChanges(household(), consent=consent(), move=move()))
    assert saved.case_number == "N24-000001"
    assert [m.full_name for m in saved.current_members] == ["山田 花子"]
    (given,) = saved.consents
    assert given.consented_on == date(2024, 3, 1)
    assert given.purposes == ["support", "venue_connection"]
    assert given.supersedes_id is None
    assert saved.current_consent is not None and saved.current_consent.id == given.id
    assert [(r.evacuation_status, r.moved_on) for r in saved.residences] == [
        ("hotel", date(2024, 1, 1)),
        ("deemed_housing", date(2024, 4, 15)),
    ]
    assert saved.evacuation_status == "deemed_housing"
    assert saved.current_address == DEEMED_PLACE
    assert saved.current_municipality_code == "172103"  # 白山市, from the place
    assert table_counts(db) == (1, 1, 1, 2)


def test_a_new_household_alone(db: Database) -> None:
    saved = save_case(db, None, CaseChanges(household()))
    assert saved.consents == []
    assert [r.evacuation_status for r in saved.residences] == ["hotel"]
    assert table_counts(db) == (1, 1, 0, 1)


def test_a_new_household_with_a_move_before_the_disaster_is_not_created(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        save_case(
            db, None, CaseChanges(household(), consent=consent(), move=move(moved_on="2023-12-31"))
        )
    assert codes(info.value) == {"move.moved_on": "date.too_old"}
    assert info.value.errors[0].params == {"min": "2024-01-01"}
    assert table_counts(db) == (0, 0, 0, 0)


def test_a_new_household_cannot_withdraw_consent_it_does_not_have(db: Database) -> None:
    with pytest.raises(NotFound) as info:
        save_case(db, None, CaseChanges(household(), withdraw_on="2024-04-01"))
    assert info.value.code == "consent.not_found"
    assert table_counts(db) == (0, 0, 0, 0)


# --- updating ---------------------------------------------------------------------------------


def test_an_existing_household_is_updated_with_withdrawal_new_consent_and_move(
    db: Database, existing: Household
) -> None:
    old_consent = existing.current_consent
    assert old_consent is not None
    changes = edited(
        existing,
        withdraw_on="2024-04-01",
        consent=consent(consented_on="2024-04-10", purposes=["support"], recipients=[]),
        move=move(),
    )
    saved = save_case(db, existing.id, changes, expected_version=existing.version)
    assert saved.phone == "0762223333"
    assert [(m.full_name, m.relation) for m in saved.current_members] == [
        ("山田 華子", "head"),
        ("山田 太郎", "child"),
    ]
    assert saved.current_members[0].id == existing.current_members[0].id  # edited, not replaced
    withdrawn = next(c for c in saved.consents if c.id == old_consent.id)
    assert withdrawn.withdrawn_on == date(2024, 4, 1)
    current = saved.current_consent
    assert current is not None and current.id != old_consent.id
    assert (current.consented_on, current.purposes, current.withdrawn_on) == (
        date(2024, 4, 10),
        ["support"],
        None,
    )
    assert current.supersedes_id == old_consent.id
    assert [r.moved_on for r in saved.residences] == [date(2024, 1, 1), date(2024, 4, 15)]
    assert saved.evacuation_status == "deemed_housing"
    assert saved.current_address == DEEMED_PLACE
    assert "タロウ" in saved.search_text and "0762223333" in saved.search_text
    assert saved.version > existing.version
    assert table_counts(db) == (1, 2, 2, 2)


def test_withdrawal_alone(db: Database, existing: Household) -> None:
    saved = save_case(db, existing.id, CaseChanges(household(), withdraw_on="2024-05-01"))
    (only,) = saved.consents
    assert only.withdrawn_on == date(2024, 5, 1)


def test_a_new_consent_alone_supersedes_the_current_one(db: Database, existing: Household) -> None:
    old = existing.current_consent
    assert old is not None
    saved = save_case(
        db, existing.id, CaseChanges(household(), consent=consent(consented_on="2024-05-01"))
    )
    current = saved.current_consent
    assert current is not None
    assert current.supersedes_id == old.id
    assert next(c for c in saved.consents if c.id == old.id).withdrawn_on is None


def test_an_unknown_household_is_not_found(db: Database) -> None:
    with pytest.raises(NotFound) as info:
        save_case(db, uuid.uuid4(), CaseChanges(household(), consent=consent()))
    assert info.value.code == "household.not_found"
    assert table_counts(db) == (0, 0, 0, 0)


# --- every problem at once --------------------------------------------------------------------


def test_errors_in_every_part_are_reported_at_once_with_prefixed_fields(
    db: Database, existing: Household
) -> None:
    before = snapshot(db, existing.id)
    changes = CaseChanges(
        household(phone="12345", members=[member(family_name=" ")]),
        consent=consent(purposes=[], consented_on="2024-03-01"),
        withdraw_on="そのうち",
        move=move(moved_on="not a date", evacuation_status="宇宙"),
    )
    with pytest.raises(ValidationError) as info:
        save_case(db, existing.id, changes)
    assert codes(info.value) == {
        "phone": "phone.invalid",
        "members.0.family_name": "value.required",
        "consent.purposes": "consent.no_purpose",
        "withdrawn_on": "date.invalid",
        "move.evacuation_status": "value.choice",
        "move.moved_on": "date.invalid",
    }
    assert snapshot(db, existing.id) == before
    # The message names each field by its own label, whatever the prefix.
    text = info.value.message()
    assert "利用目的" in text and "転居日" in text and "撤回日" in text


def test_only_the_parts_given_are_checked(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        save_case(db, None, CaseChanges(household(members=[])))
    assert codes(info.value) == {"members": "household.no_members"}


def test_validate_case_touches_no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_database(*_args: object, **_kw: object) -> None:
        raise AssertionError("validate_case opened the database")

    monkeypatch.setattr(Database, "session", no_database)
    monkeypatch.setattr(Database, "read", no_database)
    monkeypatch.setattr(Database, "__init__", no_database)
    good = CaseChanges(household(), consent=consent(), withdraw_on="2024-04-01", move=move())
    validate_case(good)  # no error
    # A move before the disaster needs the household's event: only the save can tell.
    validate_case(CaseChanges(household(), move=move(moved_on="2023-12-31")))
    with pytest.raises(ValidationError) as info:
        validate_case(
            CaseChanges(household(), consent=consent(purposes=[]), move=move(place="x" * 301))
        )
    assert codes(info.value) == {
        "consent.purposes": "consent.no_purpose",
        "move.place": "value.too_long",
    }


# --- nothing half-written ---------------------------------------------------------------------


def test_a_move_before_the_disaster_leaves_the_household_as_it_was(
    db: Database, existing: Household
) -> None:
    before = snapshot(db, existing.id)
    changes = edited(
        existing,
        withdraw_on="2024-04-01",
        consent=consent(consented_on="2024-04-10"),
        move=move(moved_on="2023-12-31"),  # passes validation, refused inside the transaction
    )
    with pytest.raises(ValidationError) as info:
        save_case(db, existing.id, changes, expected_version=existing.version)
    assert codes(info.value) == {"move.moved_on": "date.too_old"}
    assert snapshot(db, existing.id) == before


def test_withdrawing_without_a_consent_leaves_the_household_as_it_was(db: Database) -> None:
    saved = HouseholdService(db).create(household())
    before = snapshot(db, saved.id)
    with pytest.raises(NotFound) as info:
        save_case(db, saved.id, edited(saved, withdraw_on="2024-04-01", move=move()))
    assert info.value.code == "consent.not_found"
    assert snapshot(db, saved.id) == before


def test_withdrawing_before_the_consent_date_leaves_the_household_as_it_was(
    db: Database, existing: Household
) -> None:
    before = snapshot(db, existing.id)
    with pytest.raises(ValidationError) as info:
        save_case(db, existing.id, edited(existing, withdraw_on="2024-02-01", move=move()))
    assert codes(info.value) == {"withdrawn_on": "date.order"}
    assert snapshot(db, existing.id) == before


def test_withdrawing_twice_leaves_the_household_as_it_was(
    db: Database, existing: Household
) -> None:
    current = existing.current_consent
    assert current is not None
    withdraw_consent(db, current.id, "2024-04-01")
    before = snapshot(db, existing.id)
    with pytest.raises(EvacError) as info:
        save_case(db, existing.id, edited(existing, withdraw_on="2024-05-01"))
    assert info.value.code == "consent.already_withdrawn"
    assert snapshot(db, existing.id) == before


def test_a_taken_case_number_leaves_both_households_as_they_were(
    db: Database, existing: Household
) -> None:
    other = HouseholdService(db).create(household())
    before = snapshot(db, existing.id), snapshot(db, other.id)
    with pytest.raises(ValidationError) as info:
        save_case(
            db,
            existing.id,
            CaseChanges(household(case_number=other.case_number), consent=consent(), move=move()),
        )
    assert codes(info.value) == {"case_number": "household.case_number_taken"}
    assert (snapshot(db, existing.id), snapshot(db, other.id)) == before


# --- someone else saved first -----------------------------------------------------------------


def test_a_stale_version_is_refused(db: Database, existing: Household) -> None:
    stale = existing.version
    HouseholdService(db).update(existing.id, household(phone="0768-22-0000"))
    before = snapshot(db, existing.id)
    with pytest.raises(EvacError) as info:
        save_case(
            db,
            existing.id,
            edited(existing, consent=consent(consented_on="2024-04-10"), move=move()),
            expected_version=stale,
        )
    assert info.value.code == "household.changed_elsewhere"
    assert snapshot(db, existing.id) == before
    assert before[1] == "0768220000"  # the other save is kept


def test_the_current_version_is_accepted_and_then_becomes_stale(
    db: Database, existing: Household
) -> None:
    saved = save_case(
        db,
        existing.id,
        CaseChanges(household(phone="0768-22-0000")),
        expected_version=existing.version,
    )
    assert saved.version == existing.version + 1
    with pytest.raises(EvacError) as info:
        save_case(
            db,
            existing.id,
            CaseChanges(household(phone="0768-22-1111")),
            expected_version=existing.version,
        )
    assert info.value.code == "household.changed_elsewhere"
    assert HouseholdService(db).get(existing.id).phone == "0768220000"
