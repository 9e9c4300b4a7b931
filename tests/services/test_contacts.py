"""Visits and wellbeing check-ins: validation, computed scores, alerts and automatic follow-ups."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import CheckIn, FollowUp, Household, Visit
from evacsupport.errors import NotFound, ValidationError
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.households import HouseholdService
from evacsupport.services.risk import RiskSettings
from tests.factories import household, member

TODAY = date(2024, 6, 30)


@pytest.fixture
def contacts(db: Database) -> ContactService:
    return ContactService(db)


@pytest.fixture
def home(db: Database) -> Household:
    """A couple: the head 山田 花子 and her husband 山田 太郎."""
    return HouseholdService(db).create(
        household(
            members=[
                member(),
                member(given_name="太郎", given_kana="たろう", relation="spouse", sex="male"),
            ]
        )
    )


def codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def count(db: Database, model: type[object]) -> int:
    with db.read() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def followups(db: Database) -> list[FollowUp]:
    with db.read() as s:
        return list(s.scalars(select(FollowUp).order_by(FollowUp.created_at)))


def head_id(home: Household) -> uuid.UUID:
    assert home.head is not None
    return home.head.id


def spouse_id(home: Household) -> uuid.UUID:
    return home.current_members[1].id


# --- visits -----------------------------------------------------------------------------------


def test_visit_is_saved_with_every_field(
    db: Database, contacts: ContactService, home: Household
) -> None:
    visit = contacts.record_visit(
        home.id,
        VisitInput(
            visited_on="R6.6.28",
            kind="home",
            staff=" 佐藤 ",
            duration_minutes="４５",
            summary=" 元気そう ",
            concerns="",
            referral="social_welfare_council",
            member_id=spouse_id(home),
        ),
        today=TODAY,
    )
    with db.read() as s:
        saved = s.get(Visit, visit.id)
        assert saved is not None
        assert (saved.household_id, saved.member_id) == (home.id, spouse_id(home))
        assert (saved.visited_on, saved.kind, saved.staff) == (date(2024, 6, 28), "home", "佐藤")
        assert (saved.duration_minutes, saved.summary) == (45, "元気そう")
        assert (saved.referral, saved.follow_up_due) == ("social_welfare_council", None)
    assert followups(db) == []  # no due date, no task


@pytest.mark.parametrize(
    ("kind", "referral", "expected"),
    [
        ("電話", "保健師", ("phone", "public_health_nurse")),
        ("会場で面談", "社会福祉協議会", ("venue", "social_welfare_council")),
        ("online", "community_nurse", ("online", "community_nurse")),
        ("家庭訪問", "", ("home", None)),
    ],
)
def test_visit_kind_and_referral_by_code_or_label(
    db: Database,
    contacts: ContactService,
    home: Household,
    kind: str,
    referral: str,
    expected: tuple[str, str | None],
) -> None:
    visit = contacts.record_visit(
        home.id, VisitInput(visited_on=TODAY, kind=kind, referral=referral), today=TODAY
    )
    assert (visit.kind, visit.referral) == expected


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"kind": "手紙"}, {"kind": "value.choice"}),
        ({"referral": "警察"}, {"referral": "value.choice"}),
        ({"duration_minutes": 0}, {"duration_minutes": "value.range"}),
        ({"duration_minutes": "601"}, {"duration_minutes": "value.range"}),
        ({"duration_minutes": "半日"}, {"duration_minutes": "value.integer"}),
        ({"visited_on": TODAY + timedelta(days=1)}, {"visited_on": "date.future"}),
        ({"visited_on": ""}, {"visited_on": "value.required"}),
        ({"follow_up_due": TODAY - timedelta(days=1)}, {"follow_up_due": "date.order"}),
        ({"follow_up_due": "来週"}, {"follow_up_due": "date.invalid"}),
        ({"staff": "あ" * 101}, {"staff": "value.too_long"}),
        ({"summary": "あ" * 2001}, {"summary": "value.too_long"}),
    ],
)
def test_bad_visits_are_refused_and_nothing_is_written(
    db: Database, contacts: ContactService, home: Household, data: dict[str, object], expected: dict
) -> None:
    values: dict[str, object] = {"visited_on": TODAY, "follow_up_due": TODAY + timedelta(days=7)}
    values.update(data)
    with pytest.raises(ValidationError) as info:
        contacts.record_visit(home.id, VisitInput(**values), today=TODAY)  # type: ignore[arg-type]
    assert codes(info.value) == expected
    assert (count(db, Visit), count(db, FollowUp)) == (0, 0)


def test_duration_bounds_are_accepted(contacts: ContactService, home: Household) -> None:
    for minutes in (1, 600, "", None):
        visit = contacts.record_visit(
            home.id, VisitInput(visited_on=TODAY, duration_minutes=minutes), today=TODAY
        )
        assert visit.duration_minutes == (minutes or None)


def test_a_follow_up_date_creates_a_task_from_the_visit(
    db: Database, contacts: ContactService, home: Household
) -> None:
    visit = contacts.record_visit(
        home.id,
        VisitInput(
            visited_on=TODAY,
            staff="佐藤",
            summary="部屋は片付いている",
            concerns="食欲がない",
            follow_up_due="R6.7.7",
        ),
        today=TODAY,
    )
    (task,) = followups(db)
    assert (task.household_id, task.due_on, task.owner) == (home.id, date(2024, 7, 7), "佐藤")
    assert (task.source, task.source_id, task.status) == ("visit", visit.id, "open")
    assert task.reason == "食欲がない"
    assert visit.follow_up_due == date(2024, 7, 7)


def test_follow_up_reason_falls_back_to_summary_then_a_default(
    db: Database, contacts: ContactService, home: Household
) -> None:
    contacts.record_visit(
        home.id, VisitInput(visited_on=TODAY, summary="元気", follow_up_due=TODAY), today=TODAY
    )
    contacts.record_visit(home.id, VisitInput(visited_on=TODAY, follow_up_due=TODAY), today=TODAY)
    assert [t.reason for t in followups(db)] == ["元気", "訪問後の確認"]


def test_visit_member_must_belong_to_the_household(
    db: Database, contacts: ContactService, home: Household
) -> None:
    other = HouseholdService(db).create(household())
    assert other.head is not None
    for member_id in (other.head.id, uuid.uuid4()):
        with pytest.raises(NotFound) as info:
            contacts.record_visit(
                home.id,
                VisitInput(visited_on=TODAY, member_id=member_id, follow_up_due=TODAY),
                today=TODAY,
            )
        assert info.value.code == "member.not_found"
    assert (count(db, Visit), count(db, FollowUp)) == (0, 0)


def test_visit_to_an_unknown_household_is_not_found(contacts: ContactService) -> None:
    with pytest.raises(NotFound) as info:
        contacts.record_visit(uuid.uuid4(), VisitInput(visited_on=TODAY), today=TODAY)
    assert info.value.code == "household.not_found"


# --- check-ins: scores ------------------------------------------------------------------------


def checkin(home: Household, **kw: object) -> CheckInInput:
    values: dict[str, object] = {"member_id": head_id(home), "checked_on": TODAY}
    values.update(kw)
    return CheckInInput(**values)  # type: ignore[arg-type]


def test_scores_are_computed_from_the_answers(
    db: Database, contacts: ContactService, home: Household
) -> None:
    result = contacts.record_checkin(
        home.id,
        checkin(home, loneliness=[2], ucla3=[1, 2, 1], k6=[0, 1, 0, 1, 1, 0], staff="佐藤"),
        today=TODAY,
    )
    assert (result.loneliness, result.ucla3, result.k6, result.k6_band) == (2, 4, 3, "low")
    assert (result.alerts, result.follow_up_id) == ([], None)
    with db.read() as s:
        row = s.get(CheckIn, result.checkin_id)
        assert row is not None
        assert (row.loneliness, row.ucla3_score, row.k6_score) == (2, 4, 3)
        assert row.answers == {"loneliness": [2], "ucla3": [1, 2, 1], "k6": [0, 1, 0, 1, 1, 0]}
        assert (row.member_id, row.household_id, row.staff) == (head_id(home), home.id, "佐藤")
    assert followups(db) == []


def test_full_width_and_spaced_answers_are_accepted(
    db: Database, contacts: ContactService, home: Household
) -> None:
    result = contacts.record_checkin(
        home.id,
        checkin(
            home,
            loneliness=["３"],
            ucla3=["２", " 3 ", "１"],
            k6=["０", "１", "２", "\u3000３", "４", "0"],
        ),
        today=TODAY,
    )
    assert (result.loneliness, result.ucla3, result.k6) == (3, 6, 10)
    with db.read() as s:
        row = s.get(CheckIn, result.checkin_id)
        assert row is not None
        assert row.answers == {"loneliness": [3], "ucla3": [2, 3, 1], "k6": [0, 1, 2, 3, 4, 0]}


def test_each_instrument_is_optional(
    db: Database, contacts: ContactService, home: Household
) -> None:
    only_k6 = contacts.record_checkin(home.id, checkin(home, k6=[0] * 6), today=TODAY)
    assert (only_k6.loneliness, only_k6.ucla3, only_k6.k6) == (None, None, 0)
    only_lonely = contacts.record_checkin(
        home.id, checkin(home, loneliness=["1"], ucla3=["", "", ""]), today=TODAY
    )
    assert (only_lonely.loneliness, only_lonely.ucla3, only_lonely.k6) == (1, None, None)
    with db.read() as s:
        row = s.get(CheckIn, only_lonely.checkin_id)
        assert row is not None and row.answers == {"loneliness": [1]}


def test_a_note_alone_is_a_check_in(contacts: ContactService, home: Household) -> None:
    result = contacts.record_checkin(home.id, checkin(home, note="電話に出なかった"), today=TODAY)
    assert (result.loneliness, result.ucla3, result.k6, result.k6_band) == (None,) * 4
    worries = contacts.record_checkin(home.id, checkin(home, health_worries="腰痛"), today=TODAY)
    assert worries.alerts == []


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({}, {"k6": "checkin.empty"}),
        ({"note": " \u3000 "}, {"k6": "checkin.empty"}),
        ({"k6": [1, 2, 3]}, {"k6": "instrument.count"}),
        ({"k6": [1, 1, 1, 1, 1, 1, 1]}, {"k6": "instrument.count"}),
        ({"k6": [1, 2, "", 1, 1, 1]}, {"k6": "instrument.count"}),
        ({"k6": [1, 2, 5, 1, 1, 1]}, {"k6": "instrument.answer"}),
        ({"k6": [1, 2, -1, 1, 1, 1]}, {"k6": "instrument.answer"}),
        ({"ucla3": [0, 1, 1]}, {"ucla3": "instrument.answer"}),
        ({"ucla3": [1, 2]}, {"ucla3": "instrument.count"}),
        ({"ucla3": ["1", "2", "ときどき"]}, {"ucla3": "instrument.answer"}),
        ({"loneliness": [6]}, {"loneliness": "instrument.answer"}),
        ({"loneliness": [1, 2]}, {"loneliness": "instrument.count"}),
        ({"note": "x", "sleep": "bad"}, {"sleep": "value.choice"}),
        ({"note": "x", "appetite": "ふつう"}, {"appetite": "value.choice"}),
        ({"note": "x", "checked_on": TODAY + timedelta(days=1)}, {"checked_on": "date.future"}),
        ({"note": "x", "checked_on": "昨日"}, {"checked_on": "date.invalid"}),
        ({"note": "あ" * 2001}, {"note": "value.too_long"}),
    ],
)
def test_bad_check_ins_are_refused_and_nothing_is_written(
    db: Database, contacts: ContactService, home: Household, data: dict[str, object], expected: dict
) -> None:
    with pytest.raises(ValidationError) as info:
        contacts.record_checkin(home.id, checkin(home, **data), today=TODAY)
    assert codes(info.value) == expected
    assert (count(db, CheckIn), count(db, FollowUp)) == (0, 0)


def test_problems_in_several_instruments_are_reported_together(
    contacts: ContactService, home: Household
) -> None:
    with pytest.raises(ValidationError) as info:
        contacts.record_checkin(
            home.id, checkin(home, loneliness=[9], ucla3=[1], k6=[9] * 6), today=TODAY
        )
    assert codes(info.value) == {
        "loneliness": "instrument.answer",
        "ucla3": "instrument.count",
        "k6": "instrument.answer",
    }


@pytest.mark.parametrize(
    ("answers", "band"),
    [
        ([0, 0, 0, 0, 0, 0], "low"),
        ([1, 1, 1, 1, 0, 0], "low"),
        ([1, 1, 1, 1, 1, 0], "moderate"),
        ([2, 2, 2, 1, 1, 1], "moderate"),
        ([2, 2, 2, 2, 1, 1], "high"),
        ([3, 2, 2, 2, 2, 1], "high"),
        ([3, 2, 2, 2, 2, 2], "serious"),
        ([4, 4, 4, 4, 4, 4], "serious"),
    ],
)
def test_k6_band(contacts: ContactService, home: Household, answers: list[int], band: str) -> None:
    result = contacts.record_checkin(home.id, checkin(home, k6=answers), today=TODAY)
    assert result.k6 == sum(answers)
    assert result.k6_band == band


# --- check-ins: alerts and follow-ups ---------------------------------------------------------


def k6_answers(total: int) -> list[int]:
    """Six answers adding up to ``total`` (0..24)."""
    return [min(4, max(0, total - 4 * i)) for i in range(6)]


def ucla_answers(total: int) -> list[int]:
    return [min(4, max(1, total - 2 - 3 * i)) for i in range(3)]


@pytest.mark.parametrize(
    ("data", "alert"),
    [
        ({"k6": k6_answers(9)}, None),
        ({"k6": k6_answers(10)}, "K6が10点（10〜12点：要確認）"),
        ({"k6": k6_answers(24)}, "K6が24点（13点以上：重い心理的苦痛）"),
        ({"loneliness": [3]}, None),
        (
            {"loneliness": [4]},
            "孤独感（直接質問）に「時々ある」と回答（「時々ある」以上：孤独感が高い）",
        ),
        (
            {"loneliness": [5]},
            "孤独感（直接質問）に「しばしばある・常にある」と回答（「時々ある」以上：孤独感が高い）",
        ),
        ({"ucla3": ucla_answers(9)}, None),
        ({"ucla3": ucla_answers(10)}, "孤独感尺度（UCLA 3項目）が10点（10点以上：孤独感が高い）"),
        ({"ucla3": ucla_answers(12)}, "孤独感尺度（UCLA 3項目）が12点（10点以上：孤独感が高い）"),
    ],
)
def test_alerts_and_a_follow_up_at_the_cut_offs(
    db: Database,
    contacts: ContactService,
    home: Household,
    data: dict[str, Sequence[int]],
    alert: str | None,
) -> None:
    result = contacts.record_checkin(
        home.id, checkin(home, checked_on="2024-06-20", staff="佐藤", **data), today=TODAY
    )
    if alert is None:
        assert (result.alerts, result.follow_up_id) == ([], None)
        assert followups(db) == []
        return
    assert result.alerts == [alert]
    (task,) = followups(db)
    assert task.id == result.follow_up_id
    assert (task.household_id, task.owner, task.status) == (home.id, "佐藤", "open")
    assert (task.source, task.source_id) == ("checkin", result.checkin_id)
    assert task.due_on == date(2024, 6, 23)  # three days after the check-in, not after today
    assert task.reason == f"チェックイン（山田 花子）：{alert}"


def test_helpers_give_the_intended_totals() -> None:
    assert [sum(k6_answers(n)) for n in (0, 9, 10, 24)] == [0, 9, 10, 24]
    assert all(0 <= a <= 4 for n in range(25) for a in k6_answers(n))
    assert [sum(ucla_answers(n)) for n in (3, 9, 10, 12)] == [3, 9, 10, 12]
    assert all(1 <= a <= 4 for n in range(3, 13) for a in ucla_answers(n))


def test_every_alert_goes_into_one_follow_up(
    db: Database, contacts: ContactService, home: Household
) -> None:
    result = contacts.record_checkin(
        home.id,
        checkin(
            home,
            member_id=spouse_id(home),
            loneliness=[5],
            ucla3=[4, 4, 4],
            k6=[4] * 6,
        ),
        today=TODAY,
    )
    assert result.alerts == [
        "K6が24点（13点以上：重い心理的苦痛）",
        "孤独感（直接質問）に「しばしばある・常にある」と回答（「時々ある」以上：孤独感が高い）",
        "孤独感尺度（UCLA 3項目）が12点（10点以上：孤独感が高い）",
    ]
    (task,) = followups(db)
    assert (
        task.reason == "チェックイン（山田 太郎）：K6が24点（13点以上：重い心理的苦痛）、"
        "孤独感（直接質問）に「しばしばある・常にある」と回答（「時々ある」以上：孤独感が高い）、"
        "孤独感尺度（UCLA 3項目）が12点（10点以上：孤独感が高い）"
    )


def test_cut_offs_come_from_the_risk_settings(db: Database, home: Household) -> None:
    strict = ContactService(db, RiskSettings(k6_indicator=5, k6_serious=8, loneliness_high=3))
    result = strict.record_checkin(home.id, checkin(home, k6=k6_answers(8)), today=TODAY)
    assert result.alerts == ["K6が8点（8点以上：重い心理的苦痛）"]  # as its band says
    assert result.k6_band == "serious"
    assert strict.record_checkin(home.id, checkin(home, loneliness=[3]), today=TODAY).alerts
    assert len(followups(db)) == 2


def test_a_member_of_another_household_is_refused_and_nothing_is_written(
    db: Database, contacts: ContactService, home: Household
) -> None:
    other = HouseholdService(db).create(household())
    assert other.head is not None
    for member_id in (other.head.id, uuid.uuid4()):
        with pytest.raises(NotFound) as info:
            contacts.record_checkin(
                home.id, checkin(home, member_id=member_id, k6=[4] * 6), today=TODAY
            )
        assert info.value.code == "member.not_found"
    assert (count(db, CheckIn), count(db, FollowUp)) == (0, 0)


def test_a_removed_member_is_refused(
    db: Database, contacts: ContactService, home: Household
) -> None:
    HouseholdService(db).update(home.id, household(members=[member(id=head_id(home))]))
    with pytest.raises(NotFound):
        contacts.record_checkin(
            home.id, checkin(home, member_id=spouse_id(home), note="x"), today=TODAY
        )
    assert count(db, CheckIn) == 0


def test_english_alerts(contacts: ContactService, home: Household) -> None:
    from evacsupport.i18n import set_language

    set_language("en")
    result = contacts.record_checkin(
        home.id, checkin(home, loneliness=[4], ucla3=[4, 3, 3], k6=k6_answers(10)), today=TODAY
    )
    assert result.alerts == [
        "K6 score 10 (10–12: needs attention)",
        "Loneliness (direct question) “時々ある” (“時々ある” or more: high loneliness)",
        "UCLA-3 loneliness score 10 (≥ 10: high loneliness)",
    ]


# --- history ----------------------------------------------------------------------------------


def test_member_checkins_are_oldest_first_and_only_that_member(
    contacts: ContactService, home: Household
) -> None:
    for day, k6 in (("2024-06-01", 1), ("2024-06-20", 3), ("2024-06-10", 2)):
        contacts.record_checkin(
            home.id, checkin(home, checked_on=day, k6=k6_answers(k6)), today=TODAY
        )
    contacts.record_checkin(
        home.id, checkin(home, member_id=spouse_id(home), k6=k6_answers(9)), today=TODAY
    )
    history = contacts.member_checkins(head_id(home))
    assert [(c.checked_on, c.k6_score) for c in history] == [
        (date(2024, 6, 1), 1),
        (date(2024, 6, 10), 2),
        (date(2024, 6, 20), 3),
    ]
    assert [c.k6_score for c in contacts.member_checkins(spouse_id(home))] == [9]
    assert contacts.member_checkins(uuid.uuid4()) == []
