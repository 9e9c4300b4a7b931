"""Caseload rows: what the household list shows, gathered set-based, and the in-memory filters."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import Assignment, CheckIn, FollowUp, MealLog, Venue, Visit
from evacsupport.services.caseload import CaseRow, filter_rows, load_caseload
from evacsupport.services.households import HouseholdService, MemberInput
from evacsupport.services.risk import RiskLevel, RiskSettings
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member
from tests.pg import PostgresDatabases

TODAY = date(2024, 6, 30)


def days_ago(n: int) -> date:
    return TODAY - timedelta(days=n)


@pytest.fixture
def service(db: Database) -> HouseholdService:
    return HouseholdService(db)


def make_venue(db: Database, name: str = "こども食堂かなざわ", **kw: object) -> Venue:
    return VenueService(db).create(VenueInput(name=name, capacity=30, **kw))  # type: ignore[arg-type]


def young_single(**kw: object) -> list[MemberInput]:
    return [member(birth_date="1990-04-01", **kw)]


def couple() -> list[MemberInput]:
    return [
        member(),
        member(given_name="太郎", given_kana="たろう", relation="spouse", sex="male"),
    ]


def add(db: Database, *records: object) -> None:
    with db.session() as s:
        s.add_all(records)


def head_id(service: HouseholdService, household_id: uuid.UUID) -> uuid.UUID:
    head = service.get(household_id).head
    assert head is not None
    return head.id


def checkin(
    hid: uuid.UUID, mid: uuid.UUID, on: date, *, k6: int | None = None, **kw: object
) -> CheckIn:
    return CheckIn(household_id=hid, member_id=mid, checked_on=on, k6_score=k6, **kw)


def rows_by_case(db: Database, **kw: object) -> dict[str, CaseRow]:
    return {r.case_number: r for r in load_caseload(db, today=TODAY, **kw)}  # type: ignore[arg-type]


def only_row(db: Database, **kw: object) -> CaseRow:
    rows = load_caseload(db, today=TODAY, **kw)  # type: ignore[arg-type]
    assert len(rows) == 1
    return rows[0]


# --- what a row carries -----------------------------------------------------------------------


def test_empty_database_gives_no_rows(db: Database) -> None:
    assert load_caseload(db, today=TODAY) == []


def test_row_carries_head_name_kana_member_count_and_origin(
    db: Database, service: HouseholdService
) -> None:
    saved = service.create(
        household(
            origin_municipality_code="172057",
            phone="0768-22-1234",
            evacuation_status="deemed_housing",
            members=[
                member(relation="child", given_name="一郎", given_kana="いちろう"),
                member(family_name="佐藤", family_kana="さとう", given_name="", given_kana=""),
                member(given_name="次郎", given_kana="じろう", relation="child"),
            ],
        )
    )
    # The head is listed second: the row names the head, not the first member.
    row = only_row(db)
    assert row.id == saved.id
    assert row.case_number == "N24-000001"
    assert row.head_name == "佐藤"
    assert row.head_kana == "サトウ"
    assert row.member_count == 3
    assert row.origin_municipality_code == "172057"
    assert row.origin_name == "珠洲市"
    assert row.evacuation_status == "deemed_housing"
    assert row.status == "active"
    assert row.phone == "0768221234"
    assert row.venue_id is None and row.venue_name == ""
    assert row.last_contact is None
    assert row.risk_level is RiskLevel.NONE


def test_head_name_and_kana_join_family_and_given(db: Database, service: HouseholdService) -> None:
    service.create(household())
    row = only_row(db)
    assert (row.head_name, row.head_kana) == ("山田 花子", "ヤマダ ハナコ")


def test_removed_members_are_not_counted(db: Database, service: HouseholdService) -> None:
    saved = service.create(household(members=couple()))
    head = service.get(saved.id).head
    assert head is not None
    service.update(saved.id, household(members=[member(id=head.id)]))
    assert only_row(db).member_count == 1


def test_unknown_origin_code_gives_empty_name(db: Database, service: HouseholdService) -> None:
    service.create(household(origin_municipality_code="", origin_address=""))
    row = only_row(db)
    assert row.origin_municipality_code == ""
    assert row.origin_name == ""


def test_rows_are_ordered_by_case_number_and_deleted_households_left_out(
    db: Database, service: HouseholdService
) -> None:
    first = service.create(household())
    second = service.create(household())
    service.create(household())
    service.soft_delete(second.id)
    assert [r.case_number for r in load_caseload(db, today=TODAY)] == [
        first.case_number,
        "N24-000003",
    ]


def test_venue_comes_from_the_active_assignment_only(
    db: Database, service: HouseholdService
) -> None:
    old = make_venue(db, "旧会場")
    current = make_venue(db, "こども食堂のと")
    assigned = service.create(household())
    ended_only = service.create(household())
    deleted_only = service.create(household())
    add(
        db,
        Assignment(
            household_id=assigned.id,
            venue_id=old.id,
            start_on=days_ago(100),
            end_on=days_ago(50),
            status="ended",
        ),
        Assignment(household_id=assigned.id, venue_id=current.id, start_on=days_ago(50)),
        Assignment(
            household_id=ended_only.id,
            venue_id=current.id,
            start_on=days_ago(100),
            end_on=days_ago(1),
            status="ended",
        ),
        Assignment(
            household_id=deleted_only.id,
            venue_id=current.id,
            start_on=days_ago(10),
            deleted_at=utcnow(),
        ),
    )
    rows = rows_by_case(db)
    assert (rows[assigned.case_number].venue_id, rows[assigned.case_number].venue_name) == (
        current.id,
        "こども食堂のと",
    )
    for other in (ended_only, deleted_only):
        assert rows[other.case_number].venue_id is None
        assert rows[other.case_number].venue_name == ""


# --- last contact -----------------------------------------------------------------------------


def test_last_contact_is_the_latest_of_meals_visits_and_checkins(
    db: Database, service: HouseholdService
) -> None:
    venue = make_venue(db)
    meal_last = service.create(household())
    visit_last = service.create(household())
    checkin_last = service.create(household())
    records: list[object] = []
    for h, (meal, visit, check) in (
        (meal_last, (3, 10, 20)),
        (visit_last, (10, 2, 20)),
        (checkin_last, (10, 20, 1)),
    ):
        records += [
            MealLog(
                venue_id=venue.id,
                household_id=h.id,
                served_on=days_ago(meal),
                meal_type="eat_in",
                adults=1,
            ),
            MealLog(
                venue_id=venue.id,
                household_id=h.id,
                served_on=days_ago(meal + 30),
                meal_type="eat_in",
                adults=1,
            ),
            Visit(household_id=h.id, visited_on=days_ago(visit), kind="home"),
            checkin(h.id, head_id(service, h.id), days_ago(check)),
        ]
    add(db, *records)
    rows = rows_by_case(db)
    assert rows[meal_last.case_number].last_contact == days_ago(3)
    assert rows[visit_last.case_number].last_contact == days_ago(2)
    assert rows[checkin_last.case_number].last_contact == days_ago(1)


def test_soft_deleted_contacts_and_anonymous_meals_are_ignored(
    db: Database, service: HouseholdService
) -> None:
    venue = make_venue(db)
    saved = service.create(household())
    deleted = utcnow()
    add(
        db,
        Visit(household_id=saved.id, visited_on=days_ago(20), kind="phone"),
        Visit(household_id=saved.id, visited_on=days_ago(1), kind="home", deleted_at=deleted),
        MealLog(
            venue_id=venue.id,
            household_id=saved.id,
            served_on=days_ago(2),
            meal_type="eat_in",
            deleted_at=deleted,
        ),
        checkin(saved.id, head_id(service, saved.id), days_ago(3), deleted_at=deleted),
        # Anonymous guests served today belong to no household.
        MealLog(venue_id=venue.id, served_on=TODAY, meal_type="takeaway", adults=4),
    )
    assert only_row(db).last_contact == days_ago(20)


def test_only_deleted_contacts_means_never_contacted(
    db: Database, service: HouseholdService
) -> None:
    saved = service.create(household())
    add(
        db,
        Visit(household_id=saved.id, visited_on=days_ago(1), kind="home", deleted_at=utcnow()),
    )
    row = only_row(db)
    assert row.last_contact is None
    # An older person living alone who was never (validly) contacted.
    assert row.risk_level is RiskLevel.HIGH


# --- risk -------------------------------------------------------------------------------------


def test_risk_comes_from_the_latest_checkin_only(db: Database, service: HouseholdService) -> None:
    saved = service.create(household(members=couple()))
    mid = head_id(service, saved.id)
    add(
        db,
        checkin(saved.id, mid, days_ago(30), k6=20, loneliness=5, ucla3_score=12),
        checkin(saved.id, mid, days_ago(5), k6=2, loneliness=1, ucla3_score=3),
    )
    row = only_row(db)
    assert row.risk_level is RiskLevel.NONE
    assert not any("K6" in r for r in row.risk.reasons)
    assert row.risk.reasons == []


def test_a_recent_bad_checkin_after_a_good_one_is_at_risk(
    db: Database, service: HouseholdService
) -> None:
    saved = service.create(household(members=couple()))
    mid = head_id(service, saved.id)
    add(
        db,
        checkin(saved.id, mid, days_ago(30), k6=2),
        checkin(saved.id, mid, days_ago(5), k6=14, loneliness=4, ucla3_score=10),
    )
    row = only_row(db)
    assert row.risk_level is RiskLevel.HIGH
    assert row.risk.reasons == [
        "K6が14点（13点以上：重い心理的苦痛）",
        "孤独感（直接質問）に「時々ある」と回答（「時々ある」以上：孤独感が高い）",
        "孤独感尺度（UCLA 3項目）が10点（10点以上：孤独感が高い）",
        "前回より悪化：山田 花子（K6 2→14）",  # the earlier check-in had no loneliness answers
    ]


def test_a_deleted_latest_checkin_falls_back_to_the_one_before(
    db: Database, service: HouseholdService
) -> None:
    saved = service.create(household(members=couple()))
    mid = head_id(service, saved.id)
    add(
        db,
        checkin(saved.id, mid, days_ago(30), k6=11),
        checkin(saved.id, mid, days_ago(5), k6=0, deleted_at=utcnow()),
    )
    assert only_row(db).risk.reasons == ["K6が11点（10〜12点：要確認）"]


def test_risk_settings_are_passed_through(db: Database, service: HouseholdService) -> None:
    saved = service.create(household(members=couple()))
    add(db, checkin(saved.id, head_id(service, saved.id), days_ago(5), k6=6))
    assert only_row(db).risk_level is RiskLevel.NONE
    row = only_row(db, settings=RiskSettings(k6_indicator=5))
    assert row.risk_level is RiskLevel.WATCH


def test_overdue_followups_are_counted(db: Database, service: HouseholdService) -> None:
    saved = service.create(household(members=couple()))
    add(
        db,
        FollowUp(household_id=saved.id, due_on=days_ago(3), reason="電話"),
        FollowUp(household_id=saved.id, due_on=days_ago(1), reason="訪問"),
        FollowUp(household_id=saved.id, due_on=TODAY, reason="due today: not overdue"),
        FollowUp(household_id=saved.id, due_on=days_ago(2), reason="done", status="done"),
        FollowUp(household_id=saved.id, due_on=days_ago(2), reason="deleted", deleted_at=utcnow()),
    )
    row = only_row(db)
    assert row.risk_level is RiskLevel.WATCH
    assert row.risk.reasons == ["期限切れのフォローアップが2件"]


def test_older_person_living_alone_vs_a_couple(db: Database, service: HouseholdService) -> None:
    alone = service.create(household())  # one member born 1945
    pair = service.create(household(members=couple()))
    young = service.create(household(members=young_single()))
    no_birth = service.create(household(members=[member(birth_date=None)]))
    rows = rows_by_case(db)
    assert rows[alone.case_number].risk_level is RiskLevel.HIGH
    assert rows[alone.case_number].risk.reasons == ["一人暮らしの高齢者で接触記録なし"]
    for other in (pair, young, no_birth):
        assert rows[other.case_number].risk_level is RiskLevel.NONE


def test_older_person_living_alone_recently_contacted_is_not_at_risk(
    db: Database, service: HouseholdService
) -> None:
    saved = service.create(household())
    add(db, Visit(household_id=saved.id, visited_on=days_ago(13), kind="phone"))
    assert only_row(db).risk_level is RiskLevel.NONE
    add(db, Visit(household_id=saved.id, visited_on=days_ago(14), kind="phone"))
    assert only_row(db).risk_level is RiskLevel.NONE  # the older visit does not count
    add(db, Visit(household_id=saved.id, visited_on=days_ago(40), kind="home"))
    assert only_row(db).last_contact == days_ago(13)


def test_older_person_living_alone_not_contacted_for_14_days(
    db: Database, service: HouseholdService
) -> None:
    saved = service.create(household())
    add(db, Visit(household_id=saved.id, visited_on=days_ago(14), kind="phone"))
    row = only_row(db)
    assert row.risk_level is RiskLevel.HIGH
    assert row.risk.reasons == ["一人暮らしの高齢者で14日間接触なし"]


@pytest.mark.parametrize(
    ("today", "birth", "older"),
    [
        (date(2024, 6, 30), "1959-06-30", True),  # 65 today
        (date(2024, 6, 30), "1959-07-01", False),  # 65 tomorrow
        (date(2024, 7, 31), "1959-07-31", True),  # 65 today, on a 31st
        (date(2024, 7, 31), "1959-07-29", True),
        (date(2024, 7, 31), "1959-08-01", False),
        (date(2024, 2, 29), "1959-02-28", True),  # leap day: turned 65 yesterday
        (date(2024, 2, 29), "1959-03-01", False),
    ],
)
def test_older_age_is_reached_on_the_birthday(
    db: Database, service: HouseholdService, today: date, birth: str, older: bool
) -> None:
    service.create(household(members=[member(birth_date=birth)]))
    (row,) = load_caseload(db, today=today)
    assert (row.risk_level is RiskLevel.HIGH) is older


def test_older_age_is_a_setting(db: Database, service: HouseholdService) -> None:
    service.create(household(members=young_single()))  # 34 on TODAY
    assert only_row(db).risk_level is RiskLevel.NONE
    assert only_row(db, settings=RiskSettings(older_age=30)).risk_level is RiskLevel.HIGH


def test_closed_households_get_no_risk(db: Database, service: HouseholdService) -> None:
    saved = service.create(household())
    add(
        db,
        checkin(saved.id, head_id(service, saved.id), days_ago(40), k6=20),
        FollowUp(household_id=saved.id, due_on=days_ago(10), reason="電話"),
    )
    assert only_row(db).risk_level is RiskLevel.HIGH
    service.close(saved.id, days_ago(1))
    row = only_row(db)
    assert row.status == "closed"
    assert row.risk_level is RiskLevel.NONE
    assert row.risk.reasons == []
    assert row.last_contact == days_ago(40)


def test_today_defaults_to_the_current_date(db: Database, service: HouseholdService) -> None:
    saved = service.create(household(members=couple()))
    add(db, FollowUp(household_id=saved.id, due_on=date.today() - timedelta(days=1), reason="x"))
    (row,) = load_caseload(db)
    assert row.risk.reasons == ["期限切れのフォローアップが1件"]


# --- filters ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def caseload(
    tmp_path_factory: pytest.TempPathFactory,
    _migrated_template: Path | str,
    postgres: PostgresDatabases | None,
) -> Iterator[dict[str, CaseRow]]:
    """Three households: 山田 (輪島, hotel, venue A, seen 3 days ago, at risk by K6),
    佐藤 (珠洲, deemed housing, venue B, seen 20 days ago), 田中 (輪島, relatives, never seen).

    Filtering is pure, so the rows are loaded once for the module's filter tests."""
    if postgres is not None:
        url = postgres.create(template=str(_migrated_template))
    else:
        path = tmp_path_factory.mktemp("caseload") / "filters.sqlite3"
        shutil.copyfile(_migrated_template, path)
        url = sqlite_url(path)
    db = Database(url)
    try:
        yield _filter_rows_fixture(db, HouseholdService(db))
    finally:
        db.close()
        if postgres is not None:
            postgres.drop(url)


def _filter_rows_fixture(db: Database, service: HouseholdService) -> dict[str, CaseRow]:
    venue_a = make_venue(db, "会場A")
    venue_b = make_venue(db, "会場B")
    yamada = service.create(household(members=couple()))
    sato = service.create(
        household(
            origin_municipality_code="172057",
            evacuation_status="deemed_housing",
            phone="076-222-3333",
            members=[
                member(
                    family_name="佐藤",
                    given_name="健",
                    family_kana="さとう",
                    given_kana="けん",
                    birth_date="1980-01-01",
                ),
                member(
                    family_name="佐藤",
                    given_name="美咲",
                    family_kana="さとう",
                    given_kana="みさき",
                    relation="spouse",
                    birth_date="1982-01-01",
                ),
            ],
        )
    )
    tanaka = service.create(
        household(
            evacuation_status="relatives",
            phone="",
            members=[
                member(
                    family_name="田中",
                    given_name="一",
                    family_kana="たなか",
                    given_kana="はじめ",
                    birth_date="1990-01-01",
                )
            ],
        )
    )
    add(
        db,
        Assignment(household_id=yamada.id, venue_id=venue_a.id, start_on=days_ago(30)),
        Assignment(household_id=sato.id, venue_id=venue_b.id, start_on=days_ago(30)),
        Assignment(
            household_id=tanaka.id,
            venue_id=venue_a.id,
            start_on=days_ago(60),
            end_on=days_ago(40),
            status="ended",
        ),
        checkin(yamada.id, head_id(service, yamada.id), days_ago(3), k6=15),
        Visit(household_id=sato.id, visited_on=days_ago(20), kind="home"),
    )
    rows = load_caseload(db, today=TODAY)
    by_head = {r.head_name.split()[0]: r for r in rows}
    assert set(by_head) == {"山田", "佐藤", "田中"}
    return by_head


def heads(rows: list[CaseRow]) -> set[str]:
    return {r.head_name.split()[0] for r in rows}


def test_no_filter_keeps_every_row(caseload: dict[str, CaseRow]) -> None:
    rows = list(caseload.values())
    assert filter_rows(rows) == rows
    assert filter_rows(rows, "  ") == rows


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("やまだ", {"山田"}),  # hiragana
        ("ﾔﾏﾀﾞ", {"山田"}),  # half-width katakana
        ("ヤマダ", {"山田"}),  # katakana
        ("ヤマダ　タロウ", {"山田"}),  # full-width space between family and given name
        ("山田", {"山田"}),
        ("佐藤美咲", {"佐藤"}),  # any member, not only the head
        ("みさき", {"佐藤"}),
        ("n24-000002", {"佐藤"}),  # case number, lower case with hyphen
        ("076-222", {"佐藤"}),  # phone with hyphens
        ("０９０１２３４", {"山田"}),  # full-width digits
        ("た", {"山田", "田中"}),  # ヤマダ and タナカ both contain タ
        ("鈴木", set()),
    ],
)
def test_filter_by_text(caseload: dict[str, CaseRow], text: str, expected: set[str]) -> None:
    assert heads(filter_rows(list(caseload.values()), text)) == expected


def test_filter_by_evacuation_status(caseload: dict[str, CaseRow]) -> None:
    rows = list(caseload.values())
    assert heads(filter_rows(rows, status="hotel")) == {"山田"}
    assert heads(filter_rows(rows, status="deemed_housing")) == {"佐藤"}
    assert heads(filter_rows(rows, status="home")) == set()


def test_filter_by_origin(caseload: dict[str, CaseRow]) -> None:
    rows = list(caseload.values())
    assert heads(filter_rows(rows, origin="172049")) == {"山田", "田中"}
    assert heads(filter_rows(rows, origin="172057")) == {"佐藤"}


def test_filter_by_venue(caseload: dict[str, CaseRow]) -> None:
    rows = list(caseload.values())
    venue_a = caseload["山田"].venue_id
    assert venue_a is not None
    # 田中's assignment to venue A has ended.
    assert heads(filter_rows(rows, venue_id=venue_a)) == {"山田"}
    assert heads(filter_rows(rows, venue_id=uuid.uuid4())) == set()


def test_filter_at_risk(caseload: dict[str, CaseRow]) -> None:
    rows = list(caseload.values())
    assert heads(filter_rows(rows, at_risk=True)) == {"山田"}


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (None, {"山田", "佐藤", "田中"}),
        (3, {"山田", "佐藤", "田中"}),  # seen exactly 3 days ago counts as not seen for 3
        (4, {"佐藤", "田中"}),
        (20, {"佐藤", "田中"}),
        (21, {"田中"}),  # never seen is always included
    ],
)
def test_filter_not_seen_for_days(
    caseload: dict[str, CaseRow], days: int | None, expected: set[str]
) -> None:
    rows = list(caseload.values())
    assert heads(filter_rows(rows, not_seen_days=days, today=TODAY)) == expected


def test_filters_combine(caseload: dict[str, CaseRow]) -> None:
    rows = list(caseload.values())
    assert heads(filter_rows(rows, "さとう", origin="172049")) == set()
    assert heads(filter_rows(rows, origin="172049", not_seen_days=10, today=TODAY)) == {"田中"}
    assert heads(filter_rows(rows, "た", at_risk=True)) == {"山田"}


def test_the_rows_of_named_households_come_from_their_stored_facts_alone(
    db: Database, service: HouseholdService, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A view of an earlier day, with another household's meal after it: the rows the change
    names are read from their own stored facts (the history is for households with activity
    after that day), and equal the rows of the whole caseload read from the history."""
    from evacsupport.services import caseload

    venue = make_venue(db)
    quiet = service.create(household(members=young_single()))
    busy = service.create(household(members=young_single(given_name="次郎")))
    add(
        db,
        MealLog(venue_id=venue.id, household_id=quiet.id, served_on=days_ago(10),
                meal_type="eat_in", adults=1),
        MealLog(venue_id=venue.id, household_id=busy.id, served_on=days_ago(1),
                meal_type="eat_in", adults=1),
    )  # fmt: skip
    day = TODAY - timedelta(days=5)
    whole = {r.id: r for r in load_caseload(db, today=day)}  # from the history: busy is ahead
    history = caseload.compute_facts
    monkeypatch.setattr(caseload, "compute_facts", lambda *a, **k: pytest.fail("history read"))
    assert load_caseload(db, today=day, households=[quiet.id]) == [whole[quiet.id]]
    monkeypatch.setattr(caseload, "compute_facts", history)
    assert load_caseload(db, today=day, households=[busy.id]) == [whole[busy.id]]
