"""Household and member rules: normalisation, validation, search, duplicates, updates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from evacsupport.db import Database
from evacsupport.errors import EvacError, NotFound, ValidationError
from evacsupport.i18n import set_language
from evacsupport.services.households import HouseholdService
from tests.factories import household, member


@pytest.fixture
def service(db: Database) -> HouseholdService:
    return HouseholdService(db)


def codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def test_create_normalises_every_field(service: HouseholdService) -> None:
    saved = service.create(
        household(
            phone="０９０－１２３４－５６７８",
            postal_code="〒９２０－０９６１",
            members=[
                member(family_kana="ﾔﾏﾀﾞ", given_kana="はなこ", birth_date="S20.5.3"),
                member(
                    given_name="太郎",
                    given_kana="タロウ",
                    relation="子",
                    sex="男性",
                    birth_date="平成2年4月1日",
                    allergens="卵、小麦",
                ),
            ],
        )
    )
    assert saved.case_number == "N24-000001"
    assert saved.phone == "09012345678"
    assert saved.postal_code == "9200961"
    assert saved.current_municipality_code == "172014"  # derived from the address
    head, son = saved.current_members
    assert (head.family_kana, head.given_kana, head.birth_date) == (
        "ヤマダ",
        "ハナコ",
        date(1945, 5, 3),
    )
    assert head.is_head and saved.head is head
    assert (son.relation, son.sex, son.birth_date) == ("child", "male", date(1990, 4, 1))
    assert son.allergens == ["小麦", "卵"] or son.allergens == ["卵", "小麦"]
    assert saved.event.code == "N24"
    assert [r.evacuation_status for r in saved.residences] == ["hotel"]


def test_case_numbers_count_up_and_a_taken_one_is_refused(service: HouseholdService) -> None:
    service.create(household())
    second = service.create(household())
    assert second.case_number == "N24-000002"
    with pytest.raises(ValidationError) as info:
        service.create(household(case_number="n24-000002"))
    assert codes(info.value) == {"case_number": "household.case_number_taken"}


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(
    service: HouseholdService,
) -> None:
    tomorrow = date.today() + timedelta(days=1)
    bad = household(
        case_number="123",
        evacuation_status="宇宙",
        origin_municipality_code="999997",  # valid check digit, not a known code
        phone="12345",
        postal_code="92009",
        members=[member(family_name=" ", family_kana="山田", birth_date=tomorrow)],
    )
    with pytest.raises(ValidationError) as info:
        service.create(bad)
    assert codes(info.value) == {
        "case_number": "household.case_number_format",
        "evacuation_status": "value.choice",
        "origin_municipality_code": "municipality.unknown",
        "phone": "phone.invalid",
        "postal_code": "postal.invalid",
        "members.0.family_name": "value.required",
        "members.0.family_kana": "kana.invalid",
        "members.0.birth_date": "date.future",
    }
    assert service.count() == 0


def test_messages_name_the_field_in_japanese_and_in_english(service: HouseholdService) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(household(phone="12345"))
    assert "電話番号" in info.value.message()
    set_language("en")
    assert "Phone" in info.value.message()


@pytest.mark.parametrize(
    ("birth_date", "code"),
    [
        ("令和99年13月1日", "date.invalid"),
        ("H31.5.1", "date.era_range"),
        ("1899-12-31", "date.too_old"),
    ],
)
def test_impossible_birth_dates_are_refused(
    service: HouseholdService, birth_date: str, code: str
) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(household(members=[member(birth_date=birth_date)]))
    assert codes(info.value)["members.0.birth_date"] == code


def test_a_household_needs_members_and_exactly_one_head(service: HouseholdService) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(household(members=[]))
    assert codes(info.value) == {"members": "household.no_members"}
    with pytest.raises(ValidationError) as info:
        service.create(household(members=[member(), member(given_name="次郎")]))
    assert codes(info.value) == {"members": "household.head_count"}
    with pytest.raises(ValidationError):
        service.create(household(members=[member(relation="spouse")]))


def test_coordinates_from_a_map_link_or_a_pair(service: HouseholdService) -> None:
    saved = service.create(
        household(coordinates="https://www.google.com/maps/@36.5613,136.6562,17z")
    )
    assert (saved.latitude, saved.longitude) == (36.5613, 136.6562)
    with pytest.raises(ValidationError) as info:
        service.create(household(latitude="36.5", longitude=None))
    assert codes(info.value) == {"coordinates": "coordinates.pair"}


def test_update_edits_adds_and_removes_members(service: HouseholdService) -> None:
    saved = service.create(
        household(
            members=[member(), member(given_name="次郎", given_kana="ジロウ", relation="child")]
        )
    )
    head, son = saved.current_members
    edited = household(
        members=[
            member(id=head.id, given_name="花江", given_kana="ハナエ"),
            member(given_name="三郎", given_kana="サブロウ", relation="child", birth_date=None),
        ]
    )
    updated = service.update(saved.id, edited, expected_version=saved.version)
    names = [m.given_name for m in updated.current_members]
    assert names == ["花江", "三郎"]
    assert updated.current_members[0].id == head.id  # same person, edited in place
    assert any(m.id == son.id and m.deleted_at is not None for m in updated.members)
    assert service.search("ジロウ") == []
    assert [r.case_number for r in service.search("サブロウ")] == [saved.case_number]


def test_a_stale_save_is_refused_instead_of_overwriting(service: HouseholdService) -> None:
    saved = service.create(household())
    head = saved.current_members[0]
    service.update(saved.id, household(members=[member(id=head.id, given_name="A")]))
    with pytest.raises(EvacError) as info:
        service.update(
            saved.id,
            household(members=[member(id=head.id, given_name="B")]),
            expected_version=saved.version,
        )
    assert info.value.code == "household.changed_elsewhere"
    assert service.get(saved.id).current_members[0].given_name == "A"


def test_a_failed_update_changes_nothing(service: HouseholdService) -> None:
    saved = service.create(household())
    with pytest.raises(ValidationError):
        service.update(saved.id, household(phone="bad", members=[member(given_name="X")]))
    again = service.get(saved.id)
    assert again.phone == "09012345678"
    assert again.current_members[0].given_name == "花子"


@pytest.mark.parametrize(
    "query",
    [
        "やまだ",
        "ヤマダ",
        "ﾔﾏﾀﾞ ﾊﾅｺ",
        "やまだ　はなこ",
        "山田 花子",
        "山田",
        "n24-000001",
        "Ｎ２４－０００００１",
        "000001",
        "090-1234",
        "０９０１２３４５６７８",
    ],
)
def test_search_ignores_width_kana_spaces_and_hyphens(
    service: HouseholdService, query: str
) -> None:
    service.create(household())
    service.create(household(phone="", members=[member(family_name="佐藤", family_kana="サトウ")]))
    assert [r.case_number for r in service.search(query)] == ["N24-000001"]


def test_search_rows_carry_what_the_list_shows(service: HouseholdService) -> None:
    service.create(household(members=[member(), member(given_name="一郎", relation="spouse")]))
    (row,) = service.search("")
    assert (row.head_name, row.head_kana, row.member_count) == ("山田 花子", "ヤマダ ハナコ", 2)
    assert row.origin_municipality_name == "輪島市"


def test_search_treats_like_wildcards_as_text(service: HouseholdService) -> None:
    service.create(household())
    assert service.search("%") == []
    assert service.search("_") == []


def test_search_filters(service: HouseholdService) -> None:
    service.create(household())
    service.create(household(evacuation_status="みなし仮設", origin_municipality_code="172057"))
    assert len(service.search(statuses=["deemed_housing"])) == 1
    assert len(service.search(origin_codes=["172049"])) == 1
    closed = service.search(origin_codes=["172057"])[0]
    service.close(closed.id, "2024-06-01")
    assert len(service.search(include_closed=False)) == 1


def test_soft_deleted_households_disappear_but_stay_stored(
    service: HouseholdService, db: Database
) -> None:
    saved = service.create(household())
    service.soft_delete(saved.id)
    assert service.search("") == []
    with pytest.raises(NotFound):
        service.get(saved.id)
    from evacsupport.db.models import Household

    with db.read() as session:
        assert session.get(Household, saved.id) is not None


def test_get_by_case_number_accepts_what_people_type(service: HouseholdService) -> None:
    saved = service.create(household())
    assert service.get_by_case_number(" ｎ２４－０００００１ ").id == saved.id
    with pytest.raises(NotFound) as info:
        service.get_by_case_number("N24-999999")
    assert "N24-999999" in info.value.message()


def test_duplicate_person_warning_on_same_furigana_and_birth_date(
    service: HouseholdService,
) -> None:
    first = service.create(household())
    twin = household(
        members=[member(family_name="山田", family_kana="ﾔﾏﾀﾞ", birth_date="1945-05-03")]
    )
    (match,) = service.find_duplicates(twin)
    assert (match.case_number, match.name, match.member_index) == (
        first.case_number,
        "山田 花子",
        0,
    )
    assert service.find_duplicates(twin, exclude_household=first.id) == []
    assert service.find_duplicates(household(members=[member(birth_date="1946-05-03")])) == []


def test_municipality_code_with_a_wrong_check_digit_is_refused(service: HouseholdService) -> None:
    with pytest.raises(ValidationError) as info:
        service.create(household(origin_municipality_code="172048"))
    assert codes(info.value) == {"origin_municipality_code": "municipality.check_digit"}
    five_digits = service.create(household(origin_municipality_code="17204"))
    assert five_digits.origin_municipality_code == "172049"
