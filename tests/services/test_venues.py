"""Venue rules: normalisation of what staff paste, validation, unique names, updates, listing."""

from __future__ import annotations

import uuid
from datetime import time

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Venue
from evacsupport.domain.schedule import Slot
from evacsupport.errors import EvacError, NotFound, ValidationError
from evacsupport.i18n import set_language
from evacsupport.services.venues import CAPACITY_MAX, VenueInput, VenueService


@pytest.fixture
def service(db: Database) -> VenueService:
    return VenueService(db)


def codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def venue(**overrides: object) -> VenueInput:
    values: dict[str, object] = {
        "name": "こども食堂 ひだまり",
        "kind": "kodomo_shokudo",
        "operator": "NPO法人ひだまりネット",
        "address": "石川県金沢市広坂2丁目1-1",
        "capacity": 30,
    }
    values.update(overrides)
    return VenueInput(**values)  # type: ignore[arg-type]


def stored_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Venue)) or 0


def test_create_normalises_what_staff_type_and_paste(service: VenueService) -> None:
    saved = service.create(
        venue(
            name="　こども食堂　ひだまり ",
            kind="こども食堂",
            phone="０７６－２２０－１２３４",
            postal_code="〒９２０－０９６２",
            capacity="３０",
            allergens_handled="卵、乳",
            schedule="土 11:30-13:30、水 17:00-19:00",
            coordinates="https://www.google.com/maps/place/X/@36.5613,136.6562,17z",
            email=" info@example.jp ",
            contact_name="山本　和子",
            wheelchair_access=True,
        )
    )
    assert saved.name == "こども食堂 ひだまり"
    assert saved.kind == "kodomo_shokudo"
    assert saved.phone == "0762201234"
    assert saved.postal_code == "9200962"
    assert saved.capacity == 30
    assert saved.allergens_handled == ["卵", "乳"]
    # sorted by weekday whatever the order typed
    assert saved.schedule == [
        {"weekday": 2, "start": "17:00", "end": "19:00"},
        {"weekday": 5, "start": "11:30", "end": "13:30"},
    ]
    assert (saved.latitude, saved.longitude) == (36.5613, 136.6562)
    assert saved.municipality_code == "172014"  # 金沢市, from the address
    assert saved.email == "info@example.jp"
    assert saved.contact_name == "山本 和子"
    assert saved.wheelchair_access is True
    assert saved.active is True
    assert saved.version == 1


@pytest.mark.parametrize(
    "text",
    [
        "36.5613, 136.6562",
        "36.5613,136.6562",
        "３６．５６１３、１３６．６５６２",
        "https://www.google.com/maps/place/X/@36.5613,136.6562,17z",
        "北緯36.5613 東経136.6562",
    ],
)
def test_coordinates_as_a_pair_or_a_map_link(service: VenueService, text: str) -> None:
    saved = service.create(venue(coordinates=text))
    assert (saved.latitude, saved.longitude) == (36.5613, 136.6562)


def test_no_coordinates_is_allowed(service: VenueService) -> None:
    saved = service.create(venue(coordinates="  ", address=""))
    assert (saved.latitude, saved.longitude, saved.location_precision) == (None, None, "")


def test_without_coordinates_the_address_gives_the_point(service: VenueService) -> None:
    saved = service.create(venue(coordinates=""))  # 石川県金沢市広坂2丁目1-1
    assert saved.location_precision == "town"
    assert saved.latitude == pytest.approx(36.561, abs=0.01)
    typed = service.update(saved.id, venue(coordinates="36.5, 136.6"))
    assert (typed.latitude, typed.location_precision) == (36.5, "manual")


def test_schedule_as_slots_is_kept_in_order(service: VenueService) -> None:
    saved = service.create(
        venue(schedule=[Slot(5, time(11, 30), time(13, 30)), Slot(2, time(17), time(19))])
    )
    assert [s["weekday"] for s in saved.schedule] == [2, 5]
    assert service.create(venue(name="B", schedule="")).schedule == []


@pytest.mark.parametrize(
    ("address", "given_code", "expected"),
    [
        ("石川県金沢市広坂2丁目1-1", "", "172014"),
        ("白山市倉光3丁目", "", "172103"),
        ("石川県かほく市宇野気", "", "172090"),
        ("東京都千代田区1-1", "", ""),  # not an Ishikawa municipality: left empty
        ("石川県金沢市広坂2丁目1-1", "17210", "172103"),  # a given code wins, check digit added
    ],
)
def test_municipality_from_the_address_unless_given(
    service: VenueService, address: str, given_code: str, expected: str
) -> None:
    saved = service.create(venue(address=address, municipality_code=given_code))
    assert saved.municipality_code == expected


def test_a_bad_municipality_code_is_not_replaced_by_the_address(service: VenueService) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(municipality_code="172015"))
    assert codes(info.value) == {"municipality_code": "municipality.check_digit"}


def test_name_and_capacity_are_required(service: VenueService, db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(name="  ", capacity=""))
    assert codes(info.value) == {"name": "value.required", "capacity": "value.required"}
    with pytest.raises(ValidationError) as info:
        service.create(venue(capacity="　"))
    assert codes(info.value) == {"capacity": "value.required"}
    assert stored_count(db) == 0


@pytest.mark.parametrize(
    ("capacity", "code"),
    [
        (0, "value.range"),
        ("0", "value.range"),
        (-5, "value.range"),
        (CAPACITY_MAX + 1, "value.range"),
        ("５０１", "value.range"),
        ("abc", "value.integer"),
        ("30人", "value.integer"),
        ("3.5", "value.integer"),
        (True, "value.integer"),
    ],
)
def test_capacity_bounds(service: VenueService, capacity: object, code: str) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(capacity=capacity))
    assert codes(info.value) == {"capacity": code}


@pytest.mark.parametrize(
    ("capacity", "stored"), [(1, 1), ("1", 1), (CAPACITY_MAX, 500), ("５００", 500), (" 25 ", 25)]
)
def test_capacity_limits_themselves_are_accepted(
    service: VenueService, capacity: object, stored: int
) -> None:
    assert service.create(venue(capacity=capacity)).capacity == stored


def test_range_message_names_the_limits(service: VenueService) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(capacity=501))
    assert "定員" in info.value.message()
    assert "500" in info.value.message()
    set_language("en")
    assert "Capacity" in info.value.message()


def test_a_duplicate_name_is_refused(service: VenueService, db: Database) -> None:
    service.create(venue())
    with pytest.raises(ValidationError) as info:
        service.create(venue(name="こども食堂　ひだまり"))  # same after normalisation
    assert codes(info.value) == {"name": "venue.name_taken"}
    assert "こども食堂 ひだまり" in info.value.message()
    assert stored_count(db) == 1


def test_a_duplicate_name_is_reported_with_the_other_errors(service: VenueService) -> None:
    service.create(venue())
    with pytest.raises(ValidationError) as info:
        service.create(venue(capacity="abc"))
    assert codes(info.value) == {"name": "venue.name_taken", "capacity": "value.integer"}


@pytest.mark.parametrize(
    "email",
    [
        "info",
        "info@",
        "@example.jp",
        "info@example",
        "in fo@example.jp",
        "info@@example.jp",
        "info@exa mple.jp",
        "info@example.jp, other@example.jp",
    ],
)
def test_bad_email_is_refused(service: VenueService, email: str) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(email=email))
    assert codes(info.value) == {"email": "email.invalid"}


@pytest.mark.parametrize(
    ("email", "stored"),
    [
        ("info@example.jp", "info@example.jp"),
        ("ｉｎｆｏ＠ｅｘａｍｐｌｅ．ｊｐ", "info@example.jp"),
        ("first.last+tag@sub.example.or.jp", "first.last+tag@sub.example.or.jp"),
        ("", ""),
    ],
)
def test_good_email_is_accepted(service: VenueService, email: str, stored: str) -> None:
    assert service.create(venue(email=email)).email == stored


@pytest.mark.parametrize(
    "schedule",
    [
        "水曜",
        "水 19:00-17:00",
        "水 17:00-17:00",
        "水 25:00-26:00",
        "毎週水曜 夕方",
        "水 17:00-19:00、金",
    ],
)
def test_bad_schedule_is_refused(service: VenueService, schedule: str) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(schedule=schedule))
    assert codes(info.value) == {"schedule": "schedule.invalid"}


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(
    service: VenueService, db: Database
) -> None:
    bad = venue(
        name="",
        kind="レストラン",
        capacity="abc",
        postal_code="92009",
        phone="12345",
        email="nope",
        schedule="水曜の夕方",
        coordinates="somewhere",
        allergens_handled="卵、ピスタチオ",
        municipality_code="999997",
    )
    with pytest.raises(ValidationError) as info:
        service.create(bad)
    assert codes(info.value) == {
        "name": "value.required",
        "kind": "value.choice",
        "capacity": "value.integer",
        "postal_code": "postal.invalid",
        "phone": "phone.invalid",
        "email": "email.invalid",
        "schedule": "schedule.invalid",
        "coordinates": "coordinates.invalid",
        "allergens_handled": "allergen.unknown",
        "municipality_code": "municipality.unknown",
    }
    assert stored_count(db) == 0


def test_coordinates_out_of_range(service: VenueService) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(coordinates="136.6562, 36.5613"))
    assert codes(info.value) == {"coordinates": "coordinates.range"}


@pytest.mark.parametrize(
    ("field", "length"),
    [
        ("name", 200),
        ("operator", 200),
        ("address", 300),
        ("contact_name", 100),
    ],
)
def test_too_long_text_is_a_message_not_a_database_error(
    service: VenueService, field: str, length: int
) -> None:
    def make(text: str, name: str) -> VenueInput:
        return venue(**{"name": name, field: text})

    assert service.create(make("あ" * length, "ok"))
    with pytest.raises(ValidationError) as info:
        service.create(make("い" * (length + 1), "ng"))
    assert codes(info.value) == {field: "value.too_long"}


def test_too_long_email_is_refused(service: VenueService) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(venue(email="a" * 190 + "@example.jp"))
    assert codes(info.value) == {"email": "value.too_long"}


def test_update_changes_fields_and_bumps_the_version(service: VenueService) -> None:
    saved = service.create(venue())
    updated = service.update(
        saved.id,
        venue(capacity="４０", schedule="金 17:00-19:00", active=False),
        expected_version=saved.version,
    )
    assert updated.id == saved.id
    assert updated.capacity == 40
    assert updated.schedule == [{"weekday": 4, "start": "17:00", "end": "19:00"}]
    assert updated.active is False
    assert updated.version == saved.version + 1
    again = service.get(saved.id)
    assert (again.capacity, again.version) == (40, saved.version + 1)


def test_update_keeps_its_own_name_but_not_another_venues(service: VenueService) -> None:
    first = service.create(venue())
    second = service.create(venue(name="みんなの食堂 えがお"))
    service.update(first.id, venue(capacity=35))  # own name is not "taken"
    with pytest.raises(ValidationError) as info:
        service.update(second.id, venue())
    assert codes(info.value) == {"name": "venue.name_taken"}
    assert service.get(second.id).name == "みんなの食堂 えがお"


def test_a_stale_update_is_refused(service: VenueService) -> None:
    saved = service.create(venue())
    service.update(saved.id, venue(capacity=40), expected_version=saved.version)
    with pytest.raises(EvacError) as info:
        service.update(saved.id, venue(capacity=50), expected_version=saved.version)
    assert info.value.code == "venue.changed_elsewhere"
    assert "読み込み直して" in info.value.message()
    assert service.get(saved.id).capacity == 40


def test_a_failed_update_changes_nothing(service: VenueService) -> None:
    saved = service.create(venue())
    with pytest.raises(ValidationError):
        service.update(saved.id, venue(capacity=40, phone="bad"))
    again = service.get(saved.id)
    assert (again.capacity, again.phone, again.version) == (30, "", saved.version)


def test_update_of_a_missing_venue(service: VenueService) -> None:
    with pytest.raises(NotFound) as info:
        service.update(uuid.uuid4(), venue())
    assert info.value.code == "venue.not_found"


def test_list_orders_by_name_and_can_hide_inactive(service: VenueService) -> None:
    service.create(venue(name="C食堂"))
    service.create(venue(name="A食堂", active=False))
    service.create(venue(name="B食堂"))
    assert [v.name for v in service.list()] == ["A食堂", "B食堂", "C食堂"]
    assert [v.name for v in service.list(include_inactive=False)] == ["B食堂", "C食堂"]


def test_soft_delete_hides_but_keeps_the_row(service: VenueService, db: Database) -> None:
    saved = service.create(venue())
    other = service.create(venue(name="B食堂"))
    service.soft_delete(saved.id)
    assert [v.id for v in service.list()] == [other.id]
    with pytest.raises(NotFound):
        service.get(saved.id)
    with pytest.raises(NotFound):
        service.update(saved.id, venue(capacity=10))
    with pytest.raises(NotFound):
        service.soft_delete(saved.id)
    with db.read() as session:
        row = session.get(Venue, saved.id)
        assert row is not None and row.deleted_at is not None
    # the name stays reserved (the column is unique): refused with a message, not a crash
    with pytest.raises(ValidationError) as info:
        service.create(venue())
    assert codes(info.value) == {"name": "venue.name_taken"}


def test_get_of_a_missing_venue_raises_not_found(service: VenueService) -> None:
    missing = uuid.uuid4()
    with pytest.raises(NotFound) as info:
        service.get(missing)
    assert info.value.code == "venue.not_found"
    assert str(missing) in info.value.message()
