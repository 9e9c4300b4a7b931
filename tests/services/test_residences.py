"""Residence history: every move is kept, and the latest one is the household's current place."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Household, Residence
from evacsupport.errors import NotFound, ValidationError
from evacsupport.services.households import HouseholdService, build_search_text
from evacsupport.services.residences import MoveInput, record_move
from tests.factories import household

TOMORROW = date.today() + timedelta(days=1)
DEEMED_PLACE = "石川県白山市倉光3丁目5-1 コーポ倉光101"


def codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


@pytest.fixture
def service(db: Database) -> HouseholdService:
    return HouseholdService(db)


@pytest.fixture
def registered(service: HouseholdService) -> Household:
    """A household in a Kanazawa hotel since 2024-01-01 (its first residence)."""
    return service.create(household())


def residence_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Residence)) or 0


def history(service: HouseholdService, household_id: uuid.UUID) -> list[tuple[date, str, str]]:
    return [
        (r.moved_on, r.evacuation_status, r.place)
        for r in sorted(service.get(household_id).residences, key=lambda r: r.moved_on)
    ]


def test_a_move_is_added_and_becomes_current(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    before = service.get(registered.id)
    assert (before.evacuation_status, before.current_municipality_code) == ("hotel", "172014")
    moved = record_move(
        db,
        registered.id,
        MoveInput(
            evacuation_status="みなし仮設",
            moved_on="令和6年3月15日",
            place="　" + DEEMED_PLACE,
            notes=" 県の借上げ ",
        ),
    )
    assert moved.household_id == registered.id
    assert (moved.evacuation_status, moved.moved_on) == ("deemed_housing", date(2024, 3, 15))
    assert moved.place == DEEMED_PLACE
    assert moved.municipality_code == "172103"  # 白山市, read from the place
    assert moved.notes == "県の借上げ"
    after = service.get(registered.id)
    assert after.evacuation_status == "deemed_housing"
    assert after.current_address == DEEMED_PLACE
    assert after.current_municipality_code == "172103"
    assert after.version == before.version + 1
    assert history(service, registered.id) == [
        (date(2024, 1, 1), "hotel", "石川県金沢市香林坊1-1"),
        (date(2024, 3, 15), "deemed_housing", DEEMED_PLACE),
    ]
    assert [r.case_number for r in service.search(statuses=["deemed_housing"])] == [
        registered.case_number
    ]
    assert service.search(statuses=["hotel"]) == []


def test_the_whole_trail_hotel_to_deemed_housing_to_home(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    record_move(db, registered.id, MoveInput("deemed_housing", "2024-03-15", place=DEEMED_PLACE))
    record_move(
        db,
        registered.id,
        MoveInput("home", "2024-10-01", place="石川県輪島市河井町1-1", municipality_code="172049"),
    )
    after = service.get(registered.id)
    assert (after.evacuation_status, after.current_municipality_code) == ("home", "172049")
    assert [s for _, s, _ in history(service, registered.id)] == [
        "hotel",
        "deemed_housing",
        "home",
    ]


def test_a_given_municipality_code_wins_over_the_place(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    moved = record_move(
        db,
        registered.id,
        MoveInput("relatives", "2024-02-01", place=DEEMED_PLACE, municipality_code="17201"),
    )
    assert moved.municipality_code == "172014"  # check digit added to the five-digit code
    assert service.get(registered.id).current_municipality_code == "172014"


def test_a_move_without_a_place_changes_only_the_status(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    record_move(db, registered.id, MoveInput("その他", "2024-02-01"))
    after = service.get(registered.id)
    assert after.evacuation_status == "other"
    assert (after.current_address, after.current_municipality_code) == (
        "石川県金沢市香林坊1-1",
        "172014",
    )


def test_a_back_dated_move_is_history_only(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    record_move(db, registered.id, MoveInput("deemed_housing", "2024-03-15", place=DEEMED_PLACE))
    before = service.get(registered.id)
    late_entry = record_move(
        db,
        registered.id,
        MoveInput("1.5次避難所", "2024-01-20", place="石川県金沢市稚日野町"),
    )
    assert late_entry.evacuation_status == "shelter_1_5"
    after = service.get(registered.id)
    assert after.evacuation_status == "deemed_housing"
    assert after.current_address == DEEMED_PLACE
    assert after.current_municipality_code == "172103"
    assert after.version == before.version  # the household itself was not touched
    assert [(d, s) for d, s, _ in history(service, registered.id)] == [
        (date(2024, 1, 1), "hotel"),
        (date(2024, 1, 20), "shelter_1_5"),
        (date(2024, 3, 15), "deemed_housing"),
    ]


def test_a_move_on_the_same_day_as_the_latest_becomes_current(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    # registration put the household in the hotel on 2024-01-01 (the disaster's date)
    record_move(db, registered.id, MoveInput("relatives", "2024-01-01", place="石川県小松市園町"))
    assert service.get(registered.id).evacuation_status == "relatives"
    record_move(db, registered.id, MoveInput("hotel", "2024-01-01", place="石川県加賀市大聖寺"))
    after = service.get(registered.id)
    assert (after.evacuation_status, after.current_municipality_code) == ("hotel", "172065")
    assert len(after.residences) == 3


def test_search_still_finds_the_household_after_a_move(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    record_move(db, registered.id, MoveInput("deemed_housing", "2024-03-15", place=DEEMED_PLACE))
    after = service.get(registered.id)
    assert after.search_text == build_search_text(after)
    assert [r.id for r in service.search("ヤマダ")] == [registered.id]


def test_every_bad_field_is_reported_at_once_and_nothing_is_written(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    before = service.get(registered.id)
    with pytest.raises(ValidationError) as info:
        record_move(
            db,
            registered.id,
            MoveInput(
                evacuation_status="宇宙",
                moved_on="2024-02-30",
                place="あ" * 301,
                municipality_code="172048",
            ),
        )
    assert codes(info.value) == {
        "evacuation_status": "value.choice",
        "moved_on": "date.invalid",
        "place": "value.too_long",
        "municipality_code": "municipality.check_digit",
    }
    assert residence_count(db) == 1
    after = service.get(registered.id)
    assert (after.evacuation_status, after.current_address, after.version) == (
        before.evacuation_status,
        before.current_address,
        before.version,
    )


@pytest.mark.parametrize(
    ("moved_on", "code"),
    [
        (TOMORROW, "date.future"),
        (TOMORROW.isoformat(), "date.future"),
        ("", "value.required"),
        (None, "value.required"),
        ("来週", "date.invalid"),
        ("H31.5.1", "date.era_range"),
        ("2023-12-31", "date.too_old"),  # before the disaster: a typing slip
    ],
)
def test_bad_move_dates_are_refused(
    db: Database, registered: Household, moved_on: object, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        record_move(db, registered.id, MoveInput("home", moved_on))  # type: ignore[arg-type]
    assert codes(info.value) == {"moved_on": code}
    assert residence_count(db) == 1


# 仮設 alone is now an everyday word for 応急仮設住宅 (vocabulary.json); 仮住まい is no choice.
@pytest.mark.parametrize("status", ["", "hotels", "仮住まい"])
def test_bad_status_is_refused(db: Database, registered: Household, status: str) -> None:
    with pytest.raises(ValidationError) as info:
        record_move(db, registered.id, MoveInput(status, "2024-03-01"))
    assert set(codes(info.value)) == {"evacuation_status"}
    assert residence_count(db) == 1


@pytest.mark.parametrize(
    ("status", "code"),
    [
        ("1.5次避難所", "shelter_1_5"),
        ("2次避難（ホテル・旅館）", "hotel"),
        ("みなし仮設", "deemed_housing"),
        ("応急仮設住宅", "temporary_housing"),
        ("親族・知人宅", "relatives"),
        ("home", "home"),
        ("その他", "other"),
        ("自宅", "home"),
    ],
)
def test_status_accepts_codes_and_labels(
    db: Database, registered: Household, status: str, code: str
) -> None:
    assert record_move(db, registered.id, MoveInput(status, "2024-03-01")).evacuation_status == code


def test_a_move_for_a_missing_or_deleted_household(
    db: Database, service: HouseholdService, registered: Household
) -> None:
    with pytest.raises(NotFound):
        record_move(db, uuid.uuid4(), MoveInput("home", "2024-03-01"))
    service.soft_delete(registered.id)
    with pytest.raises(NotFound):
        record_move(db, registered.id, MoveInput("home", "2024-03-01"))
    assert residence_count(db) == 1
