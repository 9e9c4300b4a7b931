"""Control characters: refused in names, cleaned out of free text, by every service alike.

The services are where the window, the CLI and the importers meet, so these tests go through
them: a name with ESC or BEL is a field message naming the character; notes keep their line
breaks, one-line text does not; neither stores a control character.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import CheckIn, Household, User, Venue
from evacsupport.domain.normalize import find_control
from evacsupport.errors import ValidationError
from evacsupport.services.accounts import AccountService
from evacsupport.services.consents import validate_consent
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import consent, household, member


def codes(exc: ValidationError) -> dict[str, tuple[str, dict[str, object]]]:
    return {e.field: (e.code, e.params) for e in exc.errors}


def count(db: Database, model: type[object]) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_a_member_name_or_furigana_with_a_control_character_is_refused(db: Database) -> None:
    with pytest.raises(ValidationError) as info:
        HouseholdService(db).create(
            household(
                members=[
                    member(family_name="能登\x1b[2J"),  # a scanner's escape sequence
                    member(
                        given_name="太郎\a",
                        given_kana="たろう",
                        relation="child",
                        family_kana="の\tと",  # two cells pasted into one box
                    ),
                ]
            )
        )
    assert codes(info.value) == {
        "members.0.family_name": ("name.control", {"char": "U+001B"}),
        "members.1.given_name": ("name.control", {"char": "U+0007"}),
        "members.1.family_kana": ("name.control", {"char": "U+0009"}),
    }
    assert "U+001B" in info.value.message("ja") and "control character" in info.value.message("en")
    assert count(db, Household) == 0


def test_household_free_text_is_cleaned_and_notes_keep_their_lines(db: Database) -> None:
    saved = HouseholdService(db).create(
        household(
            current_address="石川県金沢市\t香林坊1-1\x00",
            notes="長男が週末に来訪。\r\n\tエレベーターなしの3階\x1b",
            members=[
                member(
                    dietary_needs="きざみ食\x07\n（誤嚥に注意）",
                    medical_notes="高血圧\r\n服薬：朝\x7f・夕",
                )
            ],
        )
    )
    assert saved.current_address == "石川県金沢市 香林坊1-1"
    assert saved.notes == "長男が週末に来訪。\n エレベーターなしの3階"  # the tab indents
    (head,) = saved.current_members
    assert head.dietary_needs == "きざみ食 (誤嚥に注意)"
    assert head.medical_notes == "高血圧\n服薬：朝・夕"


def test_a_venue_name_or_contact_with_a_control_character_is_refused(db: Database) -> None:
    venues = VenueService(db)
    with pytest.raises(ValidationError) as info:
        venues.create(
            VenueInput(
                name="にこにこ食堂\x1b",
                capacity=30,
                contact_name="佐藤\n花子",
                notes="第2・第4土曜\r\n駐車場なし\x00",
            )
        )
    assert codes(info.value) == {
        "name": ("name.control", {"char": "U+001B"}),
        "contact_name": ("name.control", {"char": "U+000A"}),
    }
    assert count(db, Venue) == 0
    saved = venues.create(
        VenueInput(
            name="にこにこ食堂",
            capacity=30,
            operator="NPO法人\tにこにこ",
            notes="第2土曜\r\n駐車場なし\x00",
        )
    )
    assert (saved.operator, saved.notes) == ("NPO法人 にこにこ", "第2土曜\n駐車場なし")


def test_an_account_display_name_with_a_control_character_is_refused(db: Database) -> None:
    accounts = AccountService(db)
    with pytest.raises(ValidationError) as info:
        accounts.create("admin", "correct horse", "admin", display_name="管理者\x1b[1m")
    assert codes(info.value) == {"display_name": ("name.control", {"char": "U+001B"})}
    with pytest.raises(ValidationError) as long:
        accounts.create("admin", "correct horse", "admin", display_name="長" * 101)
    assert codes(long.value) == {"display_name": ("value.too_long", {"max": 100})}
    assert count(db, User) == 0
    made = accounts.create("admin", "correct horse", "admin", display_name=" 管理者　佐藤 ")
    assert made.display_name == "管理者 佐藤"


def test_a_proxy_name_with_a_control_character_is_refused() -> None:
    with pytest.raises(ValidationError) as info:
        validate_consent(consent(subject="proxy", proxy_name="能登\x1b花子", proxy_relation="長女"))
    assert codes(info.value) == {"proxy_name": ("name.control", {"char": "U+001B"})}
    values = validate_consent(
        consent(subject="proxy", proxy_name="能登 花子", proxy_relation="長女\t", notes="口頭\r\n")
    )
    assert (values["proxy_name"], values["proxy_relation"], values["notes"]) == (
        "能登 花子",
        "長女",
        "口頭",
    )


def test_visit_and_check_in_texts_keep_lines_only_where_the_box_has_them(db: Database) -> None:
    home = HouseholdService(db).create(household())
    assert home.head is not None
    contacts = ContactService(db)
    visit = contacts.record_visit(
        home.id,
        VisitInput(
            visited_on="2024-06-01",
            kind="home",
            summary="玄関先で話した。\r\n\x1b表情は明るい",
            concerns="夜眠れない\tとのこと",
        ),
        today=date(2024, 6, 30),
    )
    assert (visit.summary, visit.concerns) == (
        "玄関先で話した。\n表情は明るい",
        "夜眠れない とのこと",
    )
    result = contacts.record_checkin(
        home.id,
        CheckInInput(
            member_id=home.head.id,
            checked_on="2024-06-02",
            health_worries="腰痛\n通院中\x07",  # a one-line box
            note="本人より電話\r\n次回は訪問",
        ),
        today=date(2024, 6, 30),
    )
    with db.read() as s:
        stored = s.get(CheckIn, result.checkin_id)
        assert stored is not None
        assert (stored.health_worries, stored.note) == ("腰痛 通院中", "本人より電話\n次回は訪問")
        assert find_control(stored.health_worries) is None
