"""Visits, check-ins and the follow-up queue, driven as a coordinator would."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import CheckIn, FollowUp, Visit
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.contacts.checkin_dialog import CheckInDialog
from evacsupport.ui.views.contacts.followup_queue import FollowUpQueueView
from evacsupport.ui.views.contacts.visit_dialog import VisitDialog
from tests.factories import household
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def ctx(db: Database) -> AppContext:
    return AppContext(db, prompter=FakePrompter(), settings=Settings(staff_name="佐藤"))


@pytest.fixture
def saved_id(db: Database):  # type: ignore[no-untyped-def]
    return HouseholdService(db).create(household()).id


def test_record_a_phone_call_with_a_follow_up_date(
    qtbot: QtBot, ctx: AppContext, db: Database, saved_id
) -> None:  # type: ignore[no-untyped-def]
    dialog = VisitDialog(ctx, saved_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.kind.set_code("phone")
    type_japanese(dialog.summary, "仮設住宅での暮らしについて")
    type_japanese(dialog.concerns, "夜眠れていない")
    dialog.duration_minutes.setText("20")
    due = date.today() + timedelta(days=7)
    dialog.follow_up_due.set_date(due)
    dialog.summary.setFocus()
    qtbot.keyClick(dialog.summary, Qt.Key.Key_S, CTRL)
    assert not dialog.isVisible()
    with db.read() as session:
        (visit,) = session.query(Visit).all()
        (task,) = session.query(FollowUp).all()
    assert (visit.kind, visit.duration_minutes, visit.staff) == ("phone", 20, "佐藤")
    assert (task.due_on, task.reason, task.source) == (due, "夜眠れていない", "visit")


def test_a_future_visit_date_shows_the_message_and_saves_nothing(
    qtbot: QtBot, ctx: AppContext, db: Database, saved_id
) -> None:  # type: ignore[no-untyped-def]
    dialog = VisitDialog(ctx, saved_id)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.visited_on.set_date(date.today() + timedelta(days=2))
    assert not dialog.save()
    assert dialog.messages["visited_on"].text() == "未来の日付は入力できません"
    assert dialog.isVisible()
    with db.read() as session:
        assert session.query(Visit).count() == 0


def test_checkin_shows_the_computed_score_and_queues_a_follow_up(
    qtbot: QtBot, ctx: AppContext, db: Database, saved_id
) -> None:  # type: ignore[no-untyped-def]
    dialog = CheckInDialog(ctx, saved_id)
    qtbot.addWidget(dialog)
    dialog.show()
    k6 = dialog.boxes["k6"]
    assert k6.total.text() == "未回答"
    for combo, answer in zip(k6.items, [3, 2, 2, 2, 2, 1], strict=True):
        combo.setFocus()
        for _ in range(answer + 1):  # (未回答) is first; each Down moves one answer on
            qtbot.keyClick(combo, Qt.Key.Key_Down)
    assert k6.total.text() == "合計 12 点（0〜24）　10点以上：要確認"
    lonely = dialog.boxes["loneliness"]
    lonely.items[0].setCurrentIndex(lonely.items[0].findData("4"))
    assert lonely.total.text().startswith("合計 4 点")
    assert dialog.save()
    assert dialog.saved is not None and dialog.saved.k6 == 12
    assert "フォローアップに登録しました" in ctx.prompter.infos[0]  # type: ignore[attr-defined]
    with db.read() as session:
        (checkin,) = session.query(CheckIn).all()
        (task,) = session.query(FollowUp).all()
    assert (checkin.k6_score, checkin.loneliness, checkin.ucla3_score) == (12, 4, None)
    assert task.source == "checkin" and "K6が12点" in task.reason


def test_a_partly_answered_scale_is_refused_with_the_reason(
    qtbot: QtBot, ctx: AppContext, db: Database, saved_id
) -> None:  # type: ignore[no-untyped-def]
    dialog = CheckInDialog(ctx, saved_id)
    qtbot.addWidget(dialog)
    dialog.show()
    ucla = dialog.boxes["ucla3"]
    ucla.items[0].setCurrentIndex(2)
    assert ucla.total.text() == "すべての項目に回答すると合計が出ます"
    assert not dialog.save()
    assert "3問すべてに回答してください" in dialog.messages["ucla3"].text()
    with db.read() as session:
        assert session.query(CheckIn).count() == 0


def test_completing_a_follow_up_removes_it_from_the_queue(
    qtbot: QtBot, ctx: AppContext, db: Database, saved_id
) -> None:  # type: ignore[no-untyped-def]
    service = FollowUpService(db)
    service.add(saved_id, due_on=date.today() - timedelta(days=3), reason="電話が通じない")
    service.add(saved_id, due_on=date.today() + timedelta(days=3), reason="会場で様子を見る")
    view = FollowUpQueueView(ctx)
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    assert view.summary.text() == "未対応 2 件（うち期限切れ 1 件）"
    assert view.model.index(0, 4).data() == "電話が通じない"  # overdue first
    assert view.model.index(0, 1).data() == "3"
    view.table.setFocus()
    view.table.selectRow(0)
    view.complete_selected()
    assert view.message.text() == "入力してください"  # an outcome is required
    type_japanese(view.outcome, "訪問して無事を確認")
    qtbot.keyClick(view.outcome, Qt.Key.Key_Return)
    assert view.model.rowCount() == 1
    assert view.model.index(0, 4).data() == "会場で様子を見る"
    with db.read() as session:
        done = session.query(FollowUp).filter(FollowUp.status == "done").one()
    assert done.outcome == "訪問して無事を確認"
