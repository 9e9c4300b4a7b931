"""A wellbeing check-in for one member: the validated questions with their answer choices; the
totals are computed and shown as the answers are picked, never typed."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from evacsupport.domain import instruments
from evacsupport.errors import InvalidValue
from evacsupport.i18n import current_language
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.contacts import CheckInInput, CheckInResult, ContactService
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import write_now
from evacsupport.ui.views.contacts.forms import RecordDialog
from evacsupport.ui.widgets.fields import DateField
from evacsupport.ui.widgets.screen_fit import fit_to_screen


class InstrumentBox(QGroupBox):
    """One questionnaire: a choice list per item, the live result and the bands it is read by.

    The bands, their words and which of them is followed up are ``instruments.Cutoffs`` (as
    set for the team), the same definition the follow-up this check-in creates and the
    household list's risk reasons are worded from.
    """

    def __init__(
        self,
        instrument: instruments.Instrument,
        parent: QWidget | None = None,
        cutoffs: instruments.Cutoffs = instruments.DEFAULT_CUTOFFS,
    ) -> None:
        self.lang = current_language()
        name = instrument.name_ja if self.lang == "ja" else instrument.name_en
        super().__init__(name, parent)
        self.instrument = instrument
        self.cutoffs = cutoffs
        self.items: list[QComboBox] = []
        form = QFormLayout(self)
        # each question on its own line above its answers, so long questions are never squeezed
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        for number, text in enumerate(instrument.items, start=1):
            combo = QComboBox(self)
            combo.addItem(self.tr("（未回答）"), "")
            for value, label in instrument.choices:
                combo.addItem(f"{value}　{label}", str(value))
            combo.currentIndexChanged.connect(self._update)
            self.items.append(combo)
            caption = QLabel(f"{number}. {text}", self)
            form.addRow(caption, combo)
        self.total = QLabel(self)
        self.total.setStyleSheet("font-weight: bold;")
        form.addRow(self.total)
        self.legend = QLabel(self)
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #555;")
        self.legend.setText(
            "　／　".join(self.band_texts()) + "　" + self.tr("＊フォローアップの対象")
        )
        form.addRow(self.legend)
        self._update()

    def band_texts(self) -> list[str]:
        """Every band as the legend shows it, 「10〜12点：要確認＊」 (＊: followed up)."""
        return [
            self.cutoffs.band_text(self.instrument, band, self.lang)
            + ("＊" if band.follow_up else "")
            for band in self.cutoffs.bands(self.instrument)
        ]

    def answers(self) -> list[str]:
        values = [combo.currentData() for combo in self.items]
        return [] if all(v == "" for v in values) else values

    def score(self) -> int | None:
        try:
            return instruments.score(self.instrument, self.answers()) if self.answers() else None
        except InvalidValue:
            return None

    def _update(self) -> None:
        answers = self.answers()
        score = self.score()
        if not answers:
            self.total.setText(self.tr("未回答"))
            return
        if score is None:
            self.total.setText(self.tr("すべての項目に回答すると合計が出ます"))
            return
        if len(self.instrument.items) == 1:  # a single question has an answer, not a total
            text = self.tr("回答：%1").replace(
                "%1", self.cutoffs.result_text(self.instrument, score, self.lang)
            )
        else:
            text = (
                self.tr("合計 %1 点（%2〜%3）")
                .replace("%1", str(score))
                .replace("%2", str(self.instrument.min_total))
                .replace("%3", str(self.instrument.max_total))
            )
        band = self.cutoffs.band(self.instrument, score)
        text += "　" + self.cutoffs.band_text(self.instrument, band, self.lang)
        if band.follow_up:
            text += self.tr("（フォローアップの対象）")
        self.total.setText(text)


class CheckInDialog(RecordDialog):
    """Attributes: ``member``, ``checked_on``, ``staff``, ``boxes`` (instrument key → box),
    ``sleep``, ``appetite``, ``health_worries``, ``note``, ``saved`` (the result, once saved)."""

    def __init__(
        self, ctx: AppContext, household_id: uuid.UUID, parent: QWidget | None = None
    ) -> None:
        super().__init__(ctx, "", parent)
        self.setWindowTitle(self.tr("チェックイン（見守りの尺度）"))
        self.household_id = household_id
        self.saved: CheckInResult | None = None
        household = ctx.households.get(household_id)
        self.member = QComboBox(self)
        for m in household.current_members:
            self.member.addItem(m.full_name, str(m.id))
        self.checked_on = DateField(self)
        self.checked_on.set_date(date.today())
        self.staff = QLineEdit(ctx.settings.staff_name or ctx.user, self)
        cutoffs = ctx.settings.risk_settings().cutoffs()  # as the follow-up will be worded
        self.boxes = {
            i.key: InstrumentBox(i, self, cutoffs)
            for i in (instruments.LONELINESS_DIRECT, instruments.UCLA3, instruments.K6)
        }
        self.sleep = self._condition()
        self.appetite = self._condition()
        self.health_worries = QLineEdit(self)
        self.note = QPlainTextEdit(self)
        self.note.setTabChangesFocus(True)
        self.note.setMaximumHeight(60)
        day = QHBoxLayout()
        day.addWidget(self.checked_on)
        day.addWidget(self.checked_on.hint)
        conditions = QHBoxLayout()
        conditions.addWidget(QLabel(self.tr("睡眠"), self))
        conditions.addWidget(self.sleep)
        conditions.addWidget(QLabel(self.tr("食欲"), self))
        conditions.addWidget(self.appetite)
        conditions.addStretch(1)
        self.add_row(self.tr("対象者(&P)"), self.member, ("member",), self.member)
        self.add_row(self.tr("日付(&D)"), day, ("checked_on",), self.checked_on)
        self.add_row(self.tr("担当(&T)"), self.staff, ("staff",), self.staff)
        for key, box in self.boxes.items():
            self.add_row("", box, (key,), None)
        self.add_row(self.tr("体調"), conditions, ("sleep", "appetite"), self.sleep)
        self.add_row(
            self.tr("健康の心配"), self.health_worries, ("health_worries",), self.health_worries
        )
        self.add_row(self.tr("メモ"), self.note, ("note",), self.note)
        fit_to_screen(self)
        self.mark_pristine()

    def _condition(self) -> QComboBox:
        combo = QComboBox(self)
        for code, text in (
            ("", self.tr("（未記入）")),
            ("good", self.tr("良い")),
            ("fair", self.tr("ふつう")),
            ("poor", self.tr("悪い")),
        ):
            combo.addItem(text, code)
        return combo

    def data(self) -> CheckInInput:
        return CheckInInput(
            member_id=uuid.UUID(self.member.currentData()),
            checked_on=self.checked_on.text(),
            staff=self.staff.text(),
            loneliness=self.boxes["loneliness"].answers(),
            ucla3=self.boxes["ucla3"].answers(),
            k6=self.boxes["k6"].answers(),
            sleep=self.sleep.currentData(),
            appetite=self.appetite.currentData(),
            health_worries=self.health_worries.text(),
            note=self.note.toPlainText(),
        )

    def snapshot(self) -> object:
        return asdict(self.data())

    def submit(self) -> None:
        service = ContactService(self.ctx.db, self.ctx.settings.risk_settings())
        household_id, data = self.household_id, self.data()
        self.saved = write_now(
            lambda: service.record_checkin(household_id, data), self, where="check-in"
        )
        self.ctx.bus.announce(Changes.of(Kind.ACTIVITY, households=[self.household_id]), self)
        if self.saved.alerts:
            self.ctx.prompter.info(
                self,
                self.tr("フォローアップに登録しました"),
                self.tr(
                    "次の点が基準を超えたため、3日以内の確認をフォローアップに登録しました：\n%1"
                ).replace("%1", "\n".join(self.saved.alerts)),
            )
