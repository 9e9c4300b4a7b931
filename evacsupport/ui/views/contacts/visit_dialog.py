"""Record a home visit, phone call, meeting at a venue or online call."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date

from PySide6.QtCore import QSize
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit, QWidget

from evacsupport.domain.codes import Referral, VisitKind
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.contacts import ContactService, VisitInput
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import write_now
from evacsupport.ui.views.contacts.forms import RecordDialog
from evacsupport.ui.widgets.fields import ChoiceCombo, DateField
from evacsupport.ui.widgets.screen_fit import fit_to_screen


class VisitDialog(RecordDialog):
    def __init__(
        self, ctx: AppContext, household_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "", parent)
        self.setWindowTitle(self.tr("訪問・電話の記録"))
        self.household_id = household_id
        self.visited_on = DateField(self)
        self.visited_on.set_date(date.today())
        self.kind = ChoiceCombo(VisitKind, self)
        self.staff = QLineEdit(ctx.settings.staff_name or ctx.user, self)
        self.duration_minutes = QLineEdit(self)
        self.duration_minutes.setPlaceholderText(self.tr("分（例：30）"))
        self.summary = QPlainTextEdit(self)
        self.summary.setTabChangesFocus(True)
        self.summary.setPlaceholderText(self.tr("話したこと"))
        self.concerns = QPlainTextEdit(self)
        self.concerns.setTabChangesFocus(True)
        self.concerns.setPlaceholderText(self.tr("気がかりなこと"))
        for edit in (self.summary, self.concerns):
            edit.setMaximumHeight(80)
        self.referral = ChoiceCombo(Referral, self, blank=True)
        self.follow_up_due = DateField(self)
        self.follow_up_due.setPlaceholderText(
            self.tr("次に連絡する日（入力するとフォローアップに登録）")
        )
        day = QHBoxLayout()
        day.addWidget(self.visited_on)
        day.addWidget(self.visited_on.hint)
        due = QHBoxLayout()
        due.addWidget(self.follow_up_due)
        due.addWidget(self.follow_up_due.hint)
        self.add_row(self.tr("日付(&D)"), day, ("visited_on",), self.visited_on)
        self.add_row(self.tr("種別(&K)"), self.kind, ("kind",), self.kind)
        self.add_row(self.tr("担当(&T)"), self.staff, ("staff",), self.staff)
        self.add_row(
            self.tr("時間"), self.duration_minutes, ("duration_minutes",), self.duration_minutes
        )
        self.add_row(self.tr("内容(&C)"), self.summary, ("summary",), self.summary)
        self.add_row(self.tr("気がかり"), self.concerns, ("concerns",), self.concerns)
        self.add_row(self.tr("紹介先(&R)"), self.referral, ("referral",), self.referral)
        self.add_row(self.tr("次回確認日(&F)"), due, ("follow_up_due",), self.follow_up_due)
        fit_to_screen(self, QSize(620, 520))
        self.mark_pristine()
        self.summary.setFocus()

    def data(self) -> VisitInput:
        return VisitInput(
            visited_on=self.visited_on.text(),
            kind=self.kind.code(),
            staff=self.staff.text(),
            duration_minutes=self.duration_minutes.text(),
            summary=self.summary.toPlainText(),
            concerns=self.concerns.toPlainText(),
            referral=self.referral.code(),
            follow_up_due=self.follow_up_due.text() or None,
        )

    def snapshot(self) -> object:
        return asdict(self.data())

    def submit(self) -> None:
        service = ContactService(self.ctx.db, self.ctx.settings.risk_settings())
        household_id, data = self.household_id, self.data()
        write_now(lambda: service.record_visit(household_id, data), self, where="visit")
        self.ctx.bus.announce(Changes.of(Kind.ACTIVITY, households=[self.household_id]), self)
