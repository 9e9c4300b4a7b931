"""The follow-up queue: order, adding and completing tasks, and tasks made from the risk rules."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import CheckIn, FollowUp
from evacsupport.errors import EvacError, NotFound, ValidationError
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdInput, HouseholdService
from evacsupport.services.risk import RiskSettings
from tests.factories import household, member

TODAY = date(2024, 6, 30)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def tasks(db: Database) -> FollowUpService:
    return FollowUpService(db)


@pytest.fixture
def households(db: Database) -> HouseholdService:
    return HouseholdService(db)


def codes(exc: ValidationError) -> dict[str, str]:
    return {e.field: e.code for e in exc.errors}


def young(**kw: object) -> HouseholdInput:
    """Not at risk by itself: a 34-year-old living alone."""
    return household(members=[member(birth_date="1990-04-01", **kw)])


def stored(db: Database) -> list[FollowUp]:
    with db.read() as s:
        return list(s.scalars(select(FollowUp).order_by(FollowUp.created_at)))


# --- the queue --------------------------------------------------------------------------------


def test_queue_is_overdue_first_then_by_due_date(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    a = households.create(young(family_name="青木", family_kana="あおき"))
    b = households.create(young(family_name="馬場", family_kana="ばば"))
    later = tasks.add(a.id, due_on=days(3), reason="来週の確認", owner="佐藤")
    today = tasks.add(b.id, due_on=TODAY, reason="今日の電話")
    most_overdue = tasks.add(b.id, due_on=days(-5), reason="訪問の予定", owner="佐藤")
    overdue = tasks.add(a.id, due_on=days(-1), reason="昨日の電話")
    queue = tasks.queue(TODAY)
    assert [q.id for q in queue] == [most_overdue.id, overdue.id, today.id, later.id]
    assert [q.overdue_days for q in queue] == [5, 1, 0, -3]
    assert [q.overdue for q in queue] == [True, True, False, False]
    first = queue[0]
    assert (first.household_id, first.case_number, first.head_name) == (
        b.id,
        b.case_number,
        "馬場 花子",
    )
    assert (first.reason, first.owner, first.source, first.due_on) == (
        "訪問の予定",
        "佐藤",
        "manual",
        days(-5),
    )


def test_same_due_date_is_ordered_by_case_number(
    tasks: FollowUpService, households: HouseholdService
) -> None:
    first = households.create(young())
    second = households.create(young())
    tasks.add(second.id, due_on=TODAY, reason="b")
    tasks.add(first.id, due_on=TODAY, reason="a")
    assert [q.case_number for q in tasks.queue(TODAY)] == [first.case_number, second.case_number]


def test_done_deleted_and_deleted_households_tasks_are_left_out(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    kept = households.create(young())
    gone = households.create(young())
    open_task = tasks.add(kept.id, due_on=TODAY, reason="open")
    done = tasks.add(kept.id, due_on=days(-3), reason="done")
    tasks.complete(done.id, "話せた", done_on=days(-2))
    deleted = tasks.add(kept.id, due_on=days(-3), reason="deleted")
    with db.session() as s:
        task = s.get(FollowUp, deleted.id)
        assert task is not None
        task.deleted_at = utcnow()
    tasks.add(gone.id, due_on=days(-3), reason="household deleted")
    households.soft_delete(gone.id)
    assert [q.id for q in tasks.queue(TODAY)] == [open_task.id]


def test_queue_for_one_owner(tasks: FollowUpService, households: HouseholdService) -> None:
    saved = households.create(young())
    mine = tasks.add(saved.id, due_on=TODAY, reason="a", owner="佐藤")
    tasks.add(saved.id, due_on=TODAY, reason="b", owner="鈴木")
    tasks.add(saved.id, due_on=TODAY, reason="c")
    assert [q.id for q in tasks.queue(TODAY, owner="佐藤")] == [mine.id]
    assert [q.id for q in tasks.queue(TODAY, owner=" 佐藤\u3000")] == [mine.id]
    assert len(tasks.queue(TODAY, owner="")) == 3
    assert tasks.queue(TODAY, owner="田中") == []


def test_empty_queue(tasks: FollowUpService) -> None:
    assert tasks.queue(TODAY) == []


# --- adding -----------------------------------------------------------------------------------


def test_add_normalises_and_stores(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    saved = households.create(young())
    source_id = uuid.uuid4()
    task = tasks.add(
        saved.id,
        due_on="R6.7.1",
        reason="　食料の\u3000受け取り ",
        owner=" 佐藤 ",
        source="visit",
        source_id=source_id,
    )
    (row,) = stored(db)
    assert row.id == task.id
    assert (row.due_on, row.reason, row.owner) == (date(2024, 7, 1), "食料の 受け取り", "佐藤")
    assert (row.source, row.source_id, row.status, row.outcome) == ("visit", source_id, "open", "")


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"reason": ""}, {"reason": "value.required"}),
        ({"reason": " \u3000 "}, {"reason": "value.required"}),
        ({"reason": "あ" * 1001}, {"reason": "value.too_long"}),
        ({"due_on": ""}, {"due_on": "value.required"}),
        ({"due_on": "来週"}, {"due_on": "date.invalid"}),
        ({"owner": "あ" * 101}, {"owner": "value.too_long"}),
        ({"source": "gossip"}, {"source": "value.choice"}),
        (
            {"reason": "", "due_on": "2024-02-30"},
            {"reason": "value.required", "due_on": "date.invalid"},
        ),
    ],
)
def test_add_refuses_bad_input_and_saves_nothing(
    db: Database,
    tasks: FollowUpService,
    households: HouseholdService,
    kw: dict[str, str],
    expected: dict[str, str],
) -> None:
    saved = households.create(young())
    values = {"due_on": "2024-07-01", "reason": "確認"}
    values.update(kw)
    with pytest.raises(ValidationError) as info:
        tasks.add(saved.id, **values)  # type: ignore[arg-type]
    assert codes(info.value) == expected
    assert stored(db) == []


def test_add_to_an_unknown_or_deleted_household_is_not_found(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    saved = households.create(young())
    households.soft_delete(saved.id)
    for hid in (saved.id, uuid.uuid4()):
        with pytest.raises(NotFound) as info:
            tasks.add(hid, due_on=TODAY, reason="確認")
        assert info.value.code == "household.not_found"
    assert stored(db) == []


# --- completing -------------------------------------------------------------------------------


def test_complete_needs_an_outcome_and_keeps_the_task_with_it(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    saved = households.create(young())
    task = tasks.add(saved.id, due_on=TODAY, reason="確認")
    for blank in ("", " \u3000 "):
        with pytest.raises(ValidationError) as info:
            tasks.complete(task.id, blank)
        assert codes(info.value) == {"outcome": "value.required"}
    with pytest.raises(ValidationError) as info:
        tasks.complete(task.id, "話せた", done_on=date.today() + timedelta(days=1))
    assert codes(info.value) == {"done_on": "date.future"}
    assert len(tasks.queue(TODAY)) == 1
    done = tasks.complete(task.id, " 電話で話せた。\n来月また連絡 ", done_on="R6.6.30")
    assert (done.status, done.done_on) == ("done", TODAY)
    assert tasks.queue(TODAY) == []
    (row,) = stored(db)
    assert (row.status, row.done_on, row.outcome) == ("done", TODAY, "電話で話せた。\n来月また連絡")
    assert row.reason == "確認"


def test_complete_defaults_to_today(tasks: FollowUpService, households: HouseholdService) -> None:
    saved = households.create(young())
    task = tasks.add(saved.id, due_on=TODAY, reason="確認")
    assert tasks.complete(task.id, "済み").done_on == date.today()


def test_complete_twice_is_refused(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    saved = households.create(young())
    task = tasks.add(saved.id, due_on=TODAY, reason="確認")
    tasks.complete(task.id, "済み", done_on=TODAY)
    with pytest.raises(EvacError) as info:
        tasks.complete(task.id, "もう一度", done_on=TODAY)
    assert info.value.code == "followup.already_done"
    (row,) = stored(db)
    assert row.outcome == "済み"


def test_complete_an_unknown_task_is_not_found(tasks: FollowUpService) -> None:
    with pytest.raises(NotFound) as info:
        tasks.complete(uuid.uuid4(), "済み", done_on=TODAY)
    assert info.value.code == "followup.not_found"


# --- tasks from the risk rules ----------------------------------------------------------------


def test_queue_from_risk_makes_one_task_per_high_risk_household(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    # The factory's default is a 79-year-old living alone, never contacted: HIGH.
    high = households.create(household())
    busy = households.create(household())
    closed = households.create(household())
    watch = households.create(young())
    households.create(young())  # nothing to flag
    existing = tasks.add(busy.id, due_on=days(5), reason="予定済み")
    households.close(closed.id, TODAY)
    watch_member = households.get(watch.id).current_members[0]
    with db.session() as s:
        s.add(
            CheckIn(household_id=watch.id, member_id=watch_member.id, checked_on=TODAY, k6_score=11)
        )
    assert tasks.queue_from_risk(TODAY) == 1
    made = [t for t in stored(db) if t.id != existing.id]
    assert len(made) == 1
    (task,) = made
    assert (task.household_id, task.source, task.status) == (high.id, "rule", "open")
    assert task.due_on == days(2)
    assert task.reason == "一人暮らしの高齢者で接触記録なし"
    assert task.source_id is None
    assert {t.household_id for t in stored(db)} == {high.id, busy.id}
    # A second run finds an open task for every high-risk household.
    assert tasks.queue_from_risk(TODAY) == 0
    assert len(stored(db)) == 2


def test_queue_from_risk_again_after_the_task_is_done(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    households.create(household())
    assert tasks.queue_from_risk(TODAY) == 1
    (task,) = stored(db)
    tasks.complete(task.id, "不在", done_on=TODAY)
    # Still never contacted (a follow-up is not a contact): a new task.
    assert tasks.queue_from_risk(TODAY) == 1
    assert len(stored(db)) == 2


def test_queue_from_risk_uses_the_settings(
    db: Database, tasks: FollowUpService, households: HouseholdService
) -> None:
    households.create(household())
    assert tasks.queue_from_risk(TODAY, RiskSettings(older_age=90)) == 0
    assert tasks.queue_from_risk(TODAY) == 1


def test_queue_from_risk_with_nobody_at_risk(
    tasks: FollowUpService, households: HouseholdService
) -> None:
    households.create(young())
    assert tasks.queue_from_risk(TODAY) == 0
