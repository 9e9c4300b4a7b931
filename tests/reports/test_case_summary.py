"""The case summary: refused without a consent that covers referral today (and nothing written);
with one, the whole picture, and sensitive notes or contact details only when consented."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Assignment
from evacsupport.errors import EvacError, NotFound
from evacsupport.reports.case_summary import make_case_summary
from evacsupport.services.case_report import RECENT_VISITS, load_case_report
from evacsupport.services.consents import ConsentInput, record_consent, withdraw_consent
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.services.residences import MoveInput, record_move
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member
from tests.reports.test_cards_roster import embedded_fonts, pdf_text

TODAY = date(2024, 6, 30)
MEDICAL = "2型糖尿病でインスリン使用"
PHONE_DIGITS = "0762345678"


def consent(**overrides: Any) -> ConsentInput:
    values: dict[str, Any] = {
        "consented_on": date(2024, 2, 1),
        "purposes": ["support", "referral"],
        "recipients": ["social_welfare_council", "health_services"],
        "data_categories": ["basic", "contact"],
        "staff": "佐藤",
    }
    values.update(overrides)
    return ConsentInput(**values)


class Cases:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.ids: dict[str, uuid.UUID] = {}

    def add(self, key: str, given: ConsentInput | None) -> uuid.UUID:
        n = len(self.ids) + 1
        created = HouseholdService(self.db).create(
            household(
                case_number=f"N24-{n:06d}",
                phone=PHONE_DIGITS,
                members=[
                    member(medical_notes=MEDICAL),
                    member(
                        given_name="翔太",
                        given_kana="しょうた",
                        relation="grandchild",
                        birth_date="2015-04-01",
                        allergens="卵",
                        dietary_needs="刻み食",
                    ),
                ],
            )
        )
        if given is not None:
            record_consent(self.db, created.id, given)
        self.ids[key] = created.id
        return created.id


def add_history(db: Database, household_id: uuid.UUID) -> None:
    """A move, a venue, twelve visits (one with a follow-up), three check-ins, a task."""
    record_move(
        db,
        household_id,
        MoveInput(
            evacuation_status="deemed_housing", moved_on="2024-03-15", place="金沢市みなし仮設A"
        ),
    )
    venue = VenueService(db).create(VenueInput(name="こども食堂のとカフェ", capacity=30))
    with db.session() as s:
        s.add(
            Assignment(
                household_id=household_id,
                venue_id=venue.id,
                start_on=date(2024, 3, 20),
                reason="近くで通いやすい",
            )
        )
    contacts = ContactService(db)
    for i in range(12):
        contacts.record_visit(
            household_id,
            VisitInput(
                visited_on=date(2024, 3, 1) + timedelta(days=7 * i),
                staff="鈴木",
                summary=f"訪問記録{i + 1:02d}",
                follow_up_due="2024-07-10" if i == 11 else None,
                concerns="眠れていない様子" if i == 11 else "",
            ),
            today=TODAY,
        )
    head = HouseholdService(db).get(household_id).head
    assert head is not None
    for day, k6, ucla in (
        ("2024-04-01", [1, 1, 1, 1, 1, 1], [2, 2, 2]),
        ("2024-05-01", [2] * 6, [3, 3, 3]),
        ("2024-06-01", [1, 2, 1, 2, 1, 2], [2, 3, 2]),
    ):
        contacts.record_checkin(
            household_id,
            CheckInInput(member_id=head.id, checked_on=day, k6=k6, ucla3=ucla, loneliness=[3]),
            today=TODAY,
        )
    FollowUpService(db).add(
        household_id, due_on="2024-06-20", reason="社協へ生活福祉資金の相談をつなぐ"
    )


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cases]:
    db = Database(sqlite_url(tmp_path_factory.mktemp("case") / "case.sqlite3"))
    c = Cases(db)
    c.add("none", None)
    c.add("expired", consent(expires_on=date(2024, 5, 31)))
    withdrawn = c.add("withdrawn", consent())
    current = HouseholdService(db).get(withdrawn).current_consent
    assert current is not None
    withdraw_consent(db, current.id, date(2024, 6, 15))
    c.add("no_referral", consent(purposes=["support", "venue_connection"]))
    ok = c.add("ok", consent())
    add_history(db, ok)
    c.add("sensitive", consent(data_categories=["basic", "contact", "sensitive"]))
    c.add("basic_only", consent(data_categories=["basic"]))
    yield c
    db.close()


@pytest.mark.parametrize("key", ["none", "expired", "withdrawn", "no_referral"])
def test_refused_without_a_consent_covering_referral(
    cases: Cases, key: str, tmp_path: Path
) -> None:
    target = tmp_path / "case.pdf"
    with pytest.raises(EvacError) as refused:
        make_case_summary(cases.db, cases.ids[key], today=TODAY, target=target)
    assert refused.value.code == "report.no_consent"
    assert not target.exists()
    buffer = BytesIO()
    with pytest.raises(EvacError):
        make_case_summary(cases.db, cases.ids[key], today=TODAY, target=buffer)
    assert buffer.getvalue() == b""


def test_consent_counts_on_the_report_day(cases: Cases) -> None:
    """Expired on 31 May: still fine for a summary dated that day, refused the day after."""
    buffer = BytesIO()
    make_case_summary(cases.db, cases.ids["expired"], today=date(2024, 5, 31), target=buffer)
    assert buffer.getvalue().startswith(b"%PDF")
    with pytest.raises(EvacError):
        make_case_summary(cases.db, cases.ids["expired"], today=date(2024, 6, 1), target=BytesIO())


def test_refused_for_a_recipient_outside_the_consent(cases: Cases) -> None:
    with pytest.raises(EvacError) as refused:
        make_case_summary(
            cases.db, cases.ids["ok"], today=TODAY, recipient="municipality", target=BytesIO()
        )
    assert refused.value.code == "report.no_consent"
    make_case_summary(
        cases.db, cases.ids["ok"], today=TODAY, recipient="health_services", target=BytesIO()
    )


def test_unknown_household(cases: Cases) -> None:
    with pytest.raises(NotFound):
        make_case_summary(cases.db, uuid.uuid4(), today=TODAY, target=BytesIO())


@pytest.fixture(scope="module")
def summary(cases: Cases) -> bytes:
    buffer = BytesIO()
    make_case_summary(
        cases.db, cases.ids["ok"], organisation="NPO法人テスト", today=TODAY, target=buffer
    )
    return buffer.getvalue()


def test_summary_holds_the_whole_picture(summary: bytes) -> None:
    text = pdf_text(summary)
    # members
    for expected in ("山田花子", "ヤマダハナコ", "山田翔太", "ヤマダショウタ", "昭和20年5月3日"):
        assert expected in text
    assert "世帯主" in text and "孫" in text and "卵" in text and "刻み食" in text
    # status and residence history
    assert "みなし仮設" in text and "金沢市みなし仮設A" in text and "2024-03-15" in text
    # assignment history
    assert "こども食堂のとカフェ" in text and "近くで通いやすい" in text
    # the last ten visits only, newest first
    for i in range(12 - RECENT_VISITS + 1, 13):
        assert f"訪問記録{i:02d}" in text
    for i in range(1, 12 - RECENT_VISITS + 1):
        assert f"訪問記録{i:02d}" not in text
    # check-ins and open follow-ups
    assert "2024-04-01" in text and "2024-05-01" in text and "2024-06-01" in text
    assert "社協へ生活福祉資金の相談をつなぐ" in text and "期限超過" in text
    assert "眠れていない様子" in text  # the visit's follow-up
    # consent basis, contact details, the confidentiality footer
    assert "関係機関への紹介" in text
    assert "076-234-5678" in text
    assert "取扱注意" in text and "NPO法人テスト" in text


def test_medical_notes_left_out_without_sensitive_consent(summary: bytes) -> None:
    text = pdf_text(summary)
    assert MEDICAL not in text
    assert "同意に「要配慮個人情報」が含まれないため記載していません" in text


def test_medical_notes_shown_with_sensitive_consent(cases: Cases) -> None:
    buffer = BytesIO()
    make_case_summary(cases.db, cases.ids["sensitive"], today=TODAY, target=buffer)
    assert MEDICAL in pdf_text(buffer.getvalue())
    report = load_case_report(cases.db, cases.ids["sensitive"], today=TODAY)
    assert report.includes_sensitive
    assert report.members[0].medical_notes == MEDICAL


def test_contact_details_left_out_without_contact_consent(cases: Cases) -> None:
    buffer = BytesIO()
    make_case_summary(cases.db, cases.ids["basic_only"], today=TODAY, target=buffer)
    text = pdf_text(buffer.getvalue())
    assert "076-234-5678" not in text and "香林坊" not in text
    assert MEDICAL not in text
    assert "現住所・電話番号、既往歴・障害（同意の範囲外）" in text
    report = load_case_report(cases.db, cases.ids["basic_only"], today=TODAY)
    assert report.phone is None and report.current_address is None
    assert all(r.place is None for r in report.residences)


def test_summary_fonts_are_embedded_ipaex_subsets(summary: bytes) -> None:
    """The trend chart too: no stray Helvetica from the graphics renderer."""
    embedded_fonts(summary)


def test_summary_in_english(cases: Cases) -> None:
    from evacsupport.i18n import set_language

    set_language("en")
    buffer = BytesIO()
    make_case_summary(cases.db, cases.ids["ok"], today=TODAY, target=buffer)
    text = pdf_text(buffer.getvalue())
    assert "Casesummary" in text and "Openfollow-ups" in text
