"""Visits, check-ins and the follow-up queue, driven as a coordinator would."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import CheckIn, FollowUp, Visit
from evacsupport.domain.instruments import K6
from evacsupport.reports.jobs import ReportRequest, run_report
from evacsupport.services.consents import record_consent
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.contacts.checkin_dialog import CheckInDialog
from evacsupport.ui.views.contacts.followup_queue import FollowUpQueueView
from evacsupport.ui.views.contacts.visit_dialog import VisitDialog
from evacsupport.ui.views.contacts.visits_page import VisitsPage
from tests.factories import consent, household, member
from tests.reports.test_cards_roster import pdf_text
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
    assert k6.total.text() == "合計 12 点（0〜24）　10〜12点：要確認（フォローアップの対象）"
    lonely = dialog.boxes["loneliness"]
    lonely.items[0].setCurrentIndex(lonely.items[0].findData("4"))
    # a single question has no total: its answer is shown
    assert lonely.total.text() == (
        "回答：「時々ある」　「時々ある」以上：孤独感が高い（フォローアップの対象）"
    )
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


def test_one_definition_of_the_cut_offs_for_the_form_the_follow_up_and_the_report(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    """The check-in form's bands, the follow-up it creates and the case summary all read the
    team's cut-offs (here moved from the defaults) the same way, in the same words."""
    settings = Settings(staff_name="佐藤", risk={"k6_indicator": 12, "k6_serious": 16})
    ctx = AppContext(db, prompter=FakePrompter(), settings=settings)
    created = HouseholdService(db).create(household())
    record_consent(
        db,
        created.id,
        consent(purposes=["support", "referral"], recipients=["social_welfare_council"]),
    )
    cutoffs = settings.risk_settings().cutoffs()
    dialog = CheckInDialog(ctx, created.id)
    qtbot.addWidget(dialog)
    k6 = dialog.boxes["k6"]
    expected = [
        "0〜4点：低い",
        "5〜11点：中程度",
        "12〜15点：要確認＊",
        "16点以上：重い心理的苦痛＊",
    ]
    assert k6.band_texts() == expected
    assert [cutoffs.band_text(K6, b) for b in cutoffs.bands(K6)] == [
        t.rstrip("＊") for t in expected
    ]
    for combo, answer in zip(k6.items, [3, 3, 2, 2, 2, 2], strict=True):  # 14
        combo.setCurrentIndex(combo.findData(str(answer)))
    band = "12〜15点：要確認"
    assert band in k6.total.text()
    assert dialog.save()
    with db.read() as session:
        (task,) = session.query(FollowUp).all()
    assert task.reason.endswith(f"K6が14点（{band}）")  # the dialog's band, word for word

    out = tmp_path / "case.pdf"
    run_report(
        db, ReportRequest(kind="case", household_id=created.id, risk=settings.risk_settings()), out
    )
    text = pdf_text(out.read_bytes())
    for line in expected:
        assert line in text
    assert "K612点以上" in text  # the chart's dashed line where follow-ups start


def test_the_queue_keeps_its_columns_when_a_follow_up_is_completed(
    qtbot: QtBot, ctx: AppContext, db: Database, saved_id
) -> None:  # type: ignore[no-untyped-def]
    service = FollowUpService(db)
    service.add(
        saved_id,
        due_on=date.today() - timedelta(days=3),
        reason="電話が通じない。昨日も一昨日も留守電で、近所の方も最近見かけないとのこと",
        owner="佐藤",
    )
    service.add(saved_id, due_on=date.today() + timedelta(days=3), reason="会場で様子を見る")
    view = FollowUpQueueView(ctx)
    qtbot.addWidget(view)
    view.resize(1200, 500)
    view.show()
    qtbot.waitExposed(view)
    view.refresh()
    header = view.table.horizontalHeader()

    def columns() -> list[tuple[int, int, int]]:
        return [
            (header.visualIndex(c), header.sectionPosition(c), header.sectionSize(c))
            for c in range(view.model.columnCount())
        ]

    before = columns()
    view.table.selectRow(0)  # the long one, overdue first
    type_japanese(view.outcome, "訪問して無事を確認")
    view.complete_selected()
    assert view.model.rowCount() == 1
    assert columns() == before
    view.refresh()
    assert columns() == before


def test_the_visits_section_names_households_and_records_a_visit_for_one_found_by_name(
    qtbot: QtBot, ctx: AppContext, db: Database
) -> None:
    service = HouseholdService(db)
    service.create(household())
    sato = service.create(
        household(
            members=[
                member(family_name="佐藤", given_name="健", family_kana="さとう", given_kana="けん")
            ]
        )
    )
    page = VisitsPage(ctx)
    qtbot.addWidget(page)
    page.show()
    page.refresh()
    assert page.visit_button.isVisible() and page.checkin_button.isVisible()

    qtbot.mouseClick(page.visit_button, Qt.MouseButton.LeftButton)
    picker = page.picker
    assert picker is not None and picker.model.rowCount() == 2
    type_japanese(picker.search, "サトウ")
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert picker.chosen == sato.id
    dialog = page.dialog
    assert isinstance(dialog, VisitDialog) and dialog.household_id == sato.id
    dialog.summary.setPlainText("電話で様子を確認")
    assert dialog.save()

    visits, _checkins = page.models
    qtbot.waitUntil(lambda: visits[0].rowCount() == 1)
    header = [visits[0].headerData(c, Qt.Orientation.Horizontal) for c in range(4)]
    assert header == ["日付", "世帯番号", "世帯主", "フリガナ"]
    row = [visits[0].index(0, c).data() for c in range(1, 4)]
    assert row == [sato.case_number, "佐藤 健", "サトウ ケン"]

    picker = page.record_checkin()
    qtbot.keyClicks(picker.search, sato.case_number)
    qtbot.keyClick(picker.search, Qt.Key.Key_Return)
    assert isinstance(page.dialog, CheckInDialog) and page.dialog.household_id == sato.id
    page.dialog._closing = True
    page.dialog.close()
