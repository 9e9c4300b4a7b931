"""The household editor's activity tabs: meals, visits, check-ins (with the score trend) and
follow-ups. Visits and check-ins are recorded through their own dialogs and saved at once, apart
from the editor's Save, like referrals to a venue."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from evacsupport.db.models import Household
from evacsupport.services.activity import ActivityService
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.contacts import ContactService
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.records import RecordTableModel
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.views.contacts.checkin_dialog import CheckInDialog
from evacsupport.ui.views.contacts.visit_dialog import VisitDialog
from evacsupport.ui.views.sections.activity import (
    checkin_columns,
    followup_columns,
    make_table,
    meal_columns,
    visit_columns,
)
from evacsupport.ui.widgets.charts import LineChart


class ActivityTabs(QWidget):
    """Not shown itself: it owns the pages the editor puts in its tabs (see :meth:`pages`)."""

    def __init__(
        self, ctx: AppContext, household: Household | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household = household
        self.hide()
        self.meal_model = RecordTableModel(meal_columns(with_case=False), self)
        self.visit_model = RecordTableModel(visit_columns(with_case=False), self)
        self.checkin_model = RecordTableModel(checkin_columns(with_case=False), self)
        self.followup_model = RecordTableModel(followup_columns(with_case=False), self)
        self._pages: list[tuple[QWidget, str]] = [
            (make_table(self.meal_model, self), self.tr("食事"))
        ]
        # Visits and check-ins are saved at once by their own dialogs, apart from Save.
        self.visit_button = QPushButton(self.tr("訪問・電話を記録(&V)…"), self)
        self.checkin_button = QPushButton(self.tr("チェックインを記録(&K)…"), self)
        self.visit_button.clicked.connect(self.record_visit)
        self.checkin_button.clicked.connect(self.record_checkin)
        self.trend_member = QComboBox(self)
        self.trend_chart = LineChart(self.tr("尺度の推移"), self)
        self.trend_chart.setMinimumHeight(200)
        self.trend_member.currentIndexChanged.connect(self._show_trend)
        for title, model, button, extra in (
            (self.tr("訪問"), self.visit_model, self.visit_button, None),
            (self.tr("チェックイン"), self.checkin_model, self.checkin_button, self.trend_chart),
        ):
            page = QWidget(self)
            page_layout = QVBoxLayout(page)
            row = QHBoxLayout()
            row.addWidget(button)
            if extra is not None:
                row.addWidget(QLabel(self.tr("推移を見る人"), page))
                row.addWidget(self.trend_member)
            row.addStretch(1)
            page_layout.addLayout(row)
            page_layout.addWidget(make_table(model, page), 1)
            if extra is not None:
                page_layout.addWidget(extra)
            button.setEnabled(self.household is not None)
            self._pages.append((page, title))
        self._pages.append((make_table(self.followup_model, self), self.tr("フォローアップ")))
        # Loaded when one of its tabs is first shown (a year of meals and the chart are not what
        # opening waits for), and again after a meal, visit or check-in while one is shown.
        self.watch = RefreshWhenShown(
            [page for page, _ in self._pages], ctx.bus, lambda _changes: self.load(),
            (Kind.ACTIVITY,), wants=self._concerns,
            catch_up=True, stale=True,
        )  # fmt: skip

    def _concerns(self, changes: Changes) -> bool:
        return self.household is None or changes.concerns_household(self.household.id)

    def pages(self) -> list[tuple[QWidget, str]]:
        return list(self._pages)

    def owns(self, page: QWidget | None) -> bool:
        return any(page is mine for mine, _ in self._pages)

    def load(self) -> None:
        if self.household is None:
            return
        activity = ActivityService(self.ctx.db)
        self.meal_model.set_rows(activity.meals(self.household.id))
        self.visit_model.set_rows(activity.visits(self.household.id))
        self.checkin_model.set_rows(activity.checkins(self.household.id))
        self.followup_model.set_rows(activity.followups(self.household.id))
        current = self.trend_member.currentData()
        self.trend_member.blockSignals(True)
        self.trend_member.clear()
        for m in self.household.current_members:
            self.trend_member.addItem(m.full_name, str(m.id))
        self.trend_member.setCurrentIndex(max(self.trend_member.findData(current), 0))
        self.trend_member.blockSignals(False)
        self._show_trend()

    def _show_trend(self) -> None:
        data = self.trend_member.currentData()
        if not data:
            self.trend_chart.set_data([], {})  # says 記録がありません
            return
        checkins = ContactService(self.ctx.db).member_checkins(uuid.UUID(data))
        self.trend_chart.set_data(
            [c.checked_on for c in checkins],
            {
                "K6": [c.k6_score if c.k6_score is not None else float("nan") for c in checkins],
                "UCLA-3": [
                    c.ucla3_score if c.ucla3_score is not None else float("nan") for c in checkins
                ],
                self.tr("孤独感"): [
                    c.loneliness if c.loneliness is not None else float("nan") for c in checkins
                ],
            },
            colours=("#c62828", "#1565c0", "#2e7d32"),
        )

    def record_visit(self) -> VisitDialog | None:
        if self.household is None:
            return None
        dialog = VisitDialog(self.ctx, self.household.id, self)
        dialog.show()
        return dialog

    def record_checkin(self) -> CheckInDialog | None:
        if self.household is None:
            return None
        dialog = CheckInDialog(self.ctx, self.household.id, self)
        dialog.show()
        return dialog
