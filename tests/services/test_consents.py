"""Consent records: who agreed to what, history kept, withdrawal, and when sharing is allowed."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Consent, Household
from evacsupport.errors import EvacError, NotFound, ValidationError
from evacsupport.services.consents import (
    ConsentInput,
    allows,
    is_valid_on,
    record_consent,
    withdraw_consent,
)
from evacsupport.services.households import HouseholdService
from tests.factories import household

TODAY = date.today()
TOMORROW = TODAY + timedelta(days=1)


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


@pytest.fixture
def household_id(db: Database) -> uuid.UUID:
    return HouseholdService(db).create(household()).id


def reload(db: Database, household_id: uuid.UUID) -> Household:
    return HouseholdService(db).get(household_id)


def consent_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Consent)) or 0


def make(**fields: object) -> Consent:
    """An unsaved record, for the pure date and scope rules."""
    values: dict[str, object] = {
        "consented_on": date(2024, 3, 1),
        "purposes": ["support"],
        "recipients": ["assigned_venue"],
        "data_categories": ["basic", "contact"],
        "expires_on": None,
        "withdrawn_on": None,
    }
    values.update(fields)
    return Consent(**values)


# --- recording -------------------------------------------------------------------------------


def test_record_consent_given_by_the_person(db: Database, household_id: uuid.UUID) -> None:
    saved = record_consent(
        db,
        household_id,
        consent(
            consented_on="令和6年3月1日",
            method="口頭",
            staff="　佐藤　花子 ",
            expires_on="R7.3.31",
            notes="  電話で確認  ",
        ),
    )
    assert saved.household_id == household_id
    assert saved.subject == "person"
    assert (saved.proxy_name, saved.proxy_relation) == ("", "")
    assert saved.consented_on == date(2024, 3, 1)
    assert saved.expires_on == date(2025, 3, 31)
    assert saved.withdrawn_on is None
    assert saved.method == "verbal"
    assert saved.staff == "佐藤 花子"
    assert saved.purposes == ["support", "venue_connection"]
    assert saved.recipients == ["assigned_venue"]
    assert saved.data_categories == ["basic", "contact"]  # the default
    assert saved.supersedes_id is None
    assert saved.notes == "電話で確認"
    assert reload(db, household_id).current_consent.id == saved.id  # type: ignore[union-attr]


def test_a_proxy_needs_a_name_and_a_relation(db: Database, household_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError) as info:
        record_consent(db, household_id, consent(subject="proxy"))
    assert codes(info.value) == {
        "proxy_name": "consent.proxy_needed",
        "proxy_relation": "consent.proxy_needed",
    }
    with pytest.raises(ValidationError) as info:
        record_consent(db, household_id, consent(subject="代理人", proxy_name="山田 一郎"))
    assert codes(info.value) == {"proxy_relation": "consent.proxy_needed"}
    with pytest.raises(ValidationError) as info:
        record_consent(db, household_id, consent(subject="proxy", proxy_relation="長男"))
    assert codes(info.value) == {"proxy_name": "consent.proxy_needed"}
    assert consent_count(db) == 0
    saved = record_consent(
        db, household_id, consent(subject="代理人", proxy_name="山田　一郎", proxy_relation="長男")
    )
    assert (saved.subject, saved.proxy_name, saved.proxy_relation) == (
        "proxy",
        "山田 一郎",
        "長男",
    )


def test_proxy_fields_are_dropped_when_the_person_consents(
    db: Database, household_id: uuid.UUID
) -> None:
    saved = record_consent(db, household_id, consent(proxy_name="山田", proxy_relation="長男"))
    assert (saved.proxy_name, saved.proxy_relation) == ("", "")


def test_too_long_names_are_refused(db: Database, household_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError) as info:
        record_consent(
            db,
            household_id,
            consent(
                subject="proxy", proxy_name="あ" * 101, proxy_relation="長男", staff="い" * 101
            ),
        )
    assert codes(info.value) == {"proxy_name": "value.too_long", "staff": "value.too_long"}


def test_at_least_one_purpose(db: Database, household_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError) as info:
        record_consent(db, household_id, consent(purposes=[]))
    assert codes(info.value) == {"purposes": "consent.no_purpose"}
    with pytest.raises(ValidationError) as info:
        record_consent(db, household_id, consent(purposes=["広告"]))
    # the unknown choice is the message; "choose one" on top of it would only add noise
    assert [(e.field, e.code) for e in info.value.errors] == [("purposes", "value.choice")]
    assert consent_count(db) == 0


def test_choices_accept_codes_and_japanese_labels(db: Database, household_id: uuid.UUID) -> None:
    saved = record_consent(
        db,
        household_id,
        consent(
            subject="本人",
            method="書面",
            purposes=["生活支援・見守り", "referral", "統計・報告（匿名）", "support"],
            recipients=["市町", "社会福祉協議会", "health_services"],
            data_categories=["基本情報", "要配慮個人情報（健康・障害）"],
        ),
    )
    assert saved.subject == "person"
    assert saved.method == "written"
    assert saved.purposes == ["support", "referral", "statistics"]  # duplicate dropped
    assert saved.recipients == ["municipality", "social_welfare_council", "health_services"]
    assert saved.data_categories == ["basic", "sensitive"]


def test_choices_typed_as_one_text(db: Database, household_id: uuid.UUID) -> None:
    saved = record_consent(
        db,
        household_id,
        consent(
            purposes="生活支援・見守り、居場所への紹介",
            recipients="assigned_venue, municipality",
            data_categories="basic",
        ),
    )
    assert saved.purposes == ["support", "venue_connection"]
    assert saved.recipients == ["assigned_venue", "municipality"]
    assert saved.data_categories == ["basic"]


def test_every_bad_field_is_reported_at_once_and_nothing_is_saved(
    db: Database, household_id: uuid.UUID
) -> None:
    with pytest.raises(ValidationError) as info:
        record_consent(
            db,
            household_id,
            ConsentInput(
                consented_on="2024-13-01",
                subject="隣人",
                method="メール",
                purposes=[],
                recipients=["新聞社"],
                data_categories=["趣味"],
                expires_on="いつか",
            ),
        )
    assert codes(info.value) == {
        "subject": "value.choice",
        "consented_on": "date.invalid",
        "expires_on": "date.invalid",
        "purposes": "consent.no_purpose",
        "method": "value.choice",
        "recipients": "value.choice",
        "data_categories": "value.choice",
    }
    assert consent_count(db) == 0


def test_a_consent_date_is_required_and_not_in_the_future(
    db: Database, household_id: uuid.UUID
) -> None:
    with pytest.raises(ValidationError) as info:
        record_consent(db, household_id, consent(consented_on=""))
    assert codes(info.value) == {"consented_on": "value.required"}
    with pytest.raises(ValidationError) as info:
        record_consent(db, household_id, consent(consented_on=TOMORROW))
    assert codes(info.value) == {"consented_on": "date.future"}
    assert record_consent(db, household_id, consent(consented_on=TODAY)).consented_on == TODAY


def test_expiry_before_the_consent_date_is_refused(db: Database, household_id: uuid.UUID) -> None:
    with pytest.raises(ValidationError) as info:
        record_consent(
            db, household_id, consent(consented_on="2024-03-01", expires_on="2024-02-29")
        )
    assert codes(info.value) == {"expires_on": "date.order"}
    assert consent_count(db) == 0
    # the expiry is the last day covered: a consent for that one day is possible
    one_day = record_consent(
        db, household_id, consent(consented_on="2024-03-01", expires_on="2024-03-01")
    )
    assert one_day.expires_on == date(2024, 3, 1)
    # an expiry in the future is the usual case
    assert record_consent(db, household_id, consent(expires_on=TOMORROW)).expires_on == TOMORROW


def test_consent_for_a_missing_or_deleted_household(db: Database) -> None:
    with pytest.raises(NotFound):
        record_consent(db, uuid.uuid4(), consent())
    service = HouseholdService(db)
    gone = service.create(household())
    service.soft_delete(gone.id)
    with pytest.raises(NotFound):
        record_consent(db, gone.id, consent())
    assert consent_count(db) == 0


# --- history ---------------------------------------------------------------------------------


def test_a_new_record_supersedes_and_keeps_the_old_one(
    db: Database, household_id: uuid.UUID
) -> None:
    first = record_consent(db, household_id, consent(consented_on="2024-03-01"))
    second = record_consent(
        db, household_id, consent(consented_on="2024-05-01", purposes=["support"])
    )
    third = record_consent(db, household_id, consent(consented_on="2024-05-01"))  # same day
    assert (second.supersedes_id, third.supersedes_id) == (first.id, second.id)
    stored = reload(db, household_id)
    assert [c.id for c in stored.consents] == [first.id, second.id, third.id]
    assert stored.consents[0].purposes == ["support", "venue_connection"]  # untouched
    assert stored.current_consent is not None
    assert stored.current_consent.id == third.id


def test_each_household_has_its_own_history(db: Database, household_id: uuid.UUID) -> None:
    other = HouseholdService(db).create(household()).id
    mine = record_consent(db, household_id, consent())
    theirs = record_consent(db, other, consent())
    assert theirs.supersedes_id is None
    assert reload(db, household_id).current_consent.id == mine.id  # type: ignore[union-attr]
    assert reload(db, other).current_consent.id == theirs.id  # type: ignore[union-attr]


def test_no_consent_means_no_sharing(db: Database, household_id: uuid.UUID) -> None:
    current = reload(db, household_id).current_consent
    assert current is None
    assert not is_valid_on(current, TODAY)
    assert not allows(current, TODAY, purpose="support")


# --- withdrawal ------------------------------------------------------------------------------


def test_withdraw_dates_the_record(db: Database, household_id: uuid.UUID) -> None:
    saved = record_consent(db, household_id, consent(consented_on="2024-03-01"))
    withdrawn = withdraw_consent(db, saved.id, "令和6年6月1日")
    assert withdrawn.withdrawn_on == date(2024, 6, 1)
    current = reload(db, household_id).current_consent
    assert current is not None and current.withdrawn_on == date(2024, 6, 1)
    assert is_valid_on(current, date(2024, 5, 31))
    assert not is_valid_on(current, date(2024, 6, 1))
    assert not allows(current, TODAY, purpose="support")


def test_withdraw_on_the_day_of_consent_and_today(db: Database, household_id: uuid.UUID) -> None:
    first = record_consent(db, household_id, consent(consented_on="2024-03-01"))
    assert withdraw_consent(db, first.id, date(2024, 3, 1)).withdrawn_on == date(2024, 3, 1)
    second = record_consent(db, household_id, consent(consented_on="2024-04-01"))
    assert withdraw_consent(db, second.id, TODAY).withdrawn_on == TODAY


def test_withdraw_cannot_happen_twice(db: Database, household_id: uuid.UUID) -> None:
    saved = record_consent(db, household_id, consent())
    withdraw_consent(db, saved.id, "2024-06-01")
    with pytest.raises(EvacError) as info:
        withdraw_consent(db, saved.id, "2024-07-01")
    assert info.value.code == "consent.already_withdrawn"
    assert reload(db, household_id).consents[0].withdrawn_on == date(2024, 6, 1)


def test_withdraw_before_the_consent_date_is_refused(db: Database, household_id: uuid.UUID) -> None:
    saved = record_consent(db, household_id, consent(consented_on="2024-03-01"))
    with pytest.raises(ValidationError) as info:
        withdraw_consent(db, saved.id, "2024-02-29")
    assert codes(info.value) == {"withdrawn_on": "date.order"}
    assert reload(db, household_id).consents[0].withdrawn_on is None


@pytest.mark.parametrize(
    ("on", "code"),
    [(TOMORROW, "date.future"), ("", "value.required"), ("2024-02-30", "date.invalid")],
)
def test_withdraw_date_must_be_a_real_past_date(
    db: Database, household_id: uuid.UUID, on: object, code: str
) -> None:
    saved = record_consent(db, household_id, consent())
    with pytest.raises(ValidationError) as info:
        withdraw_consent(db, saved.id, on)  # type: ignore[arg-type]
    assert codes(info.value) == {"withdrawn_on": code}
    assert reload(db, household_id).consents[0].withdrawn_on is None


def test_withdraw_a_missing_consent(db: Database) -> None:
    with pytest.raises(NotFound) as info:
        withdraw_consent(db, uuid.uuid4(), "2024-06-01")
    assert info.value.code == "consent.not_found"


def test_a_new_consent_after_a_withdrawal_restores_sharing(
    db: Database, household_id: uuid.UUID
) -> None:
    first = record_consent(db, household_id, consent(consented_on="2024-03-01"))
    withdraw_consent(db, first.id, "2024-04-01")
    again = record_consent(db, household_id, consent(consented_on="2024-05-01"))
    assert again.supersedes_id == first.id
    current = reload(db, household_id).current_consent
    assert current is not None and current.id == again.id
    assert allows(current, date(2024, 5, 1), purpose="support")


# --- when sharing is allowed -----------------------------------------------------------------


def test_valid_from_the_consent_date_on() -> None:
    record = make(consented_on=date(2024, 3, 1))
    assert not is_valid_on(record, date(2024, 2, 29))
    assert is_valid_on(record, date(2024, 3, 1))
    assert is_valid_on(record, date(2030, 1, 1))  # no expiry
    assert not is_valid_on(None, date(2024, 3, 1))


def test_expired_consent_stops_sharing_after_its_last_day() -> None:
    record = make(consented_on=date(2024, 3, 1), expires_on=date(2024, 12, 31))
    assert is_valid_on(record, date(2024, 12, 30))
    assert is_valid_on(record, date(2024, 12, 31))  # 有効期限: the last day covered
    assert not is_valid_on(record, date(2025, 1, 1))
    assert allows(record, date(2024, 12, 31), purpose="support")
    assert not allows(record, date(2025, 1, 1), purpose="support")


def test_withdrawn_consent_stops_sharing_on_the_day_of_withdrawal() -> None:
    record = make(consented_on=date(2024, 3, 1), withdrawn_on=date(2024, 6, 1))
    assert is_valid_on(record, date(2024, 5, 31))
    assert not is_valid_on(record, date(2024, 6, 1))
    assert not is_valid_on(record, date(2024, 6, 2))


def test_the_earlier_of_expiry_and_withdrawal_wins() -> None:
    record = make(
        consented_on=date(2024, 3, 1), expires_on=date(2024, 9, 30), withdrawn_on=date(2024, 6, 1)
    )
    assert is_valid_on(record, date(2024, 5, 31))
    assert not is_valid_on(record, date(2024, 7, 1))
    late_withdrawal = make(
        consented_on=date(2024, 3, 1), expires_on=date(2024, 5, 31), withdrawn_on=date(2024, 6, 1)
    )
    assert is_valid_on(late_withdrawal, date(2024, 5, 31))
    assert not is_valid_on(late_withdrawal, date(2024, 6, 1))


def test_allows_checks_purpose_recipient_and_category() -> None:
    record = make(
        purposes=["support", "venue_connection"],
        recipients=["assigned_venue", "social_welfare_council"],
        data_categories=["basic", "contact"],
    )
    day = date(2024, 4, 1)
    assert allows(record, day)
    assert allows(record, day, purpose="venue_connection", recipient="assigned_venue")
    assert allows(record, day, purpose="support", category="contact")
    assert allows(
        record,
        day,
        purpose="support",
        recipient="social_welfare_council",
        category="basic",
    )
    assert not allows(record, day, purpose="referral")
    assert not allows(record, day, recipient="municipality")
    assert not allows(record, day, category="sensitive")  # 要配慮個人情報 needs its own consent
    assert not allows(record, day, purpose="support", recipient="health_services")
    assert not allows(record, date(2024, 2, 1), purpose="support")  # before consent
    assert not allows(None, day)


def test_allows_on_stored_records(db: Database, household_id: uuid.UUID) -> None:
    record_consent(
        db,
        household_id,
        consent(
            consented_on="2024-03-01",
            expires_on="2024-08-31",
            purposes=["居場所への紹介"],
            recipients=["利用する会場"],
            data_categories=["基本情報", "連絡先"],
        ),
    )
    current = reload(db, household_id).current_consent
    assert allows(
        current, date(2024, 8, 31), purpose="venue_connection", recipient="assigned_venue"
    )
    assert not allows(current, date(2024, 9, 1), purpose="venue_connection")
    assert not allows(current, date(2024, 6, 1), purpose="statistics")
    assert not allows(current, date(2024, 6, 1), category="sensitive")
