"""Bulk allocation: a plan for every household without a venue, previewed before it is written.

The plan is an integer programme that can take seconds on a large caseload, so it runs on a
worker thread with a 中止 button; cancelling drops the result. Nothing reaches the database until
確定して登録, and the service refuses the whole plan if venues or households changed meanwhile.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QModelIndex, QSize, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evacsupport.errors import EvacError
from evacsupport.services.assignment import (
    AllocationPlan,
    AssignmentService,
    HouseholdNeeds,
    Placement,
    VenueFacts,
)
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.places import MapPlace, map_places
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.models.assignment import placement_columns, unplaced_columns
from evacsupport.ui.models.records import RecordTableModel
from evacsupport.ui.operations import write_now
from evacsupport.ui.tasks import Task, run_in_background
from evacsupport.ui.views.assignment.map_panel import MapPanel, legend_html
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.screen_fit import fit_to_screen

HEADING_STYLE = "font-weight: bold; font-size: 12pt;"
DEFAULT_TIME_LIMIT = 10.0


def _households(plan: AllocationPlan) -> list[HouseholdNeeds]:
    return [p.household for p in plan.placements] + [h for h, _ in plan.unplaced]


def _plan_with_places(
    service: AssignmentService, today: date | None, limit: float
) -> tuple[AllocationPlan, list[VenueFacts], list[MapPlace]]:
    """On the worker: the plan, the venues, and the place names around them for the map."""
    plan = service.plan(today, time_limit=limit)
    venues = service.venues()
    points = [
        (lat, lon)
        for lat, lon in [(v.latitude, v.longitude) for v in venues]
        + [(h.latitude, h.longitude) for h in _households(plan)]
        if lat is not None and lon is not None
    ]
    return plan, venues, map_places(points)


class AllocateDialog(QDialog):
    """案を作成 → preview → 確定して登録.

    Attributes:
        plan_button, cancel_button (中止, shown while planning), progress (indeterminate),
        confirm_button (enabled once a plan with placements is shown), close_button.
        summary: one line about the plan shown.
        placements_model, unplaced_model: the preview tables' models.
        plan: the last :class:`AllocationPlan` shown, or None.
        tabs: the preview's pages: the two tables, and ``map`` (a :class:`MapPanel`).

    Signals:
        planned(): a plan reached the preview.
    """

    planned = Signal()

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
        time_limit: float = DEFAULT_TIME_LIMIT,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = AssignmentService(ctx.db)
        self.today = today
        self.time_limit = time_limit
        self.plan: AllocationPlan | None = None
        self._task: Task | None = None
        self.setWindowTitle(self.tr("会場への一括割り当て"))

        intro = QLabel(
            self.tr(
                "会場が決まっていない世帯（支援中）を、定員を超えないように近い会場へ割り当てる案を"
                "作ります。家族は分けません。「確定して登録」を押すまで何も登録されません。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.plan_button = QPushButton(self.tr("案を作成(&P)"), self)
        self.plan_button.clicked.connect(self.start_planning)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)  # indeterminate: the solver cannot say how far it is
        self.progress.setFixedWidth(220)
        self.progress.setTextVisible(False)
        self.progress.hide()
        self.cancel_button = QPushButton(self.tr("中止"), self)
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.cancel_planning)
        self.cancel_button.hide()
        self.status = QLabel(self)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setStyleSheet("font-weight: bold;")

        self.placements_model = RecordTableModel(placement_columns(), self)
        self.unplaced_model: RecordTableModel[tuple[HouseholdNeeds, str]] = RecordTableModel(
            unplaced_columns(), self
        )
        self.placements_heading = QLabel(self.tr("割り当てる世帯"), self)
        self.unplaced_heading = QLabel(self.tr("割り当てられない世帯"), self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._tables(), self.tr("一覧"))
        self.map = MapPanel(self)
        self._map_tab = self._map_page()
        self.tabs.addTab(self._map_tab, self.tr("地図"))

        self.confirm_button = QPushButton(self.tr("確定して登録(&C)"), self)
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.setEnabled(False)
        self.confirm_button.setToolTip(self.tr("この案のとおりに割り当てを登録します"))
        self.confirm_button.clicked.connect(self.confirm)
        self.close_button = QPushButton(self.tr("閉じる"), self)
        self.close_button.setAutoDefault(False)
        self.close_button.clicked.connect(self.reject)
        self._lay_out(intro)
        fit_to_screen(self, QSize(1100, 720))  # the plan's table and map use any room there is
        self.plan_button.setFocus()

    def _tables(self) -> QWidget:
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for heading, model in (
            (self.placements_heading, self.placements_model),
            (self.unplaced_heading, self.unplaced_model),
        ):
            box = QWidget(splitter)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            heading.setStyleSheet(HEADING_STYLE)
            inner.addWidget(heading)
            table = make_table(model, box)
            table.setToolTip(self.tr("Enter またはダブルクリックで地図に表示"))
            table.activated.connect(self._on_row_activated)
            inner.addWidget(table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        return splitter

    def _on_row_activated(self, index: QModelIndex) -> None:
        row = index.data(RecordTableModel.ROW_ROLE)
        household = row.household if isinstance(row, Placement) else row[0]
        self.show_on_map(household.id)

    def show_on_map(self, household_id: uuid.UUID) -> None:
        """Switch to the map with the household selected and its usable venues outlined."""
        self.tabs.setCurrentIndex(self.tabs.indexOf(self._map_tab))
        self.map.select_household(household_id)

    def _map_page(self) -> QWidget:
        page = QWidget(self)
        legend = QLabel(legend_html(), page)
        legend.setWordWrap(True)
        inner = QVBoxLayout(page)
        inner.setContentsMargins(0, 4, 0, 0)
        inner.addWidget(legend)
        inner.addWidget(self.map, 1)
        return page

    def _lay_out(self, intro: QLabel) -> None:
        run = QHBoxLayout()
        run.addWidget(self.plan_button)
        run.addWidget(self.progress)
        run.addWidget(self.cancel_button)
        run.addWidget(self.status, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.confirm_button)
        buttons.addWidget(self.close_button)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(run)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

    # --- planning ------------------------------------------------------------------------------
    def start_planning(self) -> None:
        """Plan on a worker thread; the previous preview stays greyed until the new one arrives."""
        if self._task is not None:
            return
        self._set_busy(True)
        service, today, limit = self.service, self.today, self.time_limit
        self._task = run_in_background(
            lambda: _plan_with_places(service, today, limit),
            self._on_planned,
            self._on_failed,
        )

    def cancel_planning(self) -> None:
        """Drop the running plan's result (the solver itself stops at its time limit)."""
        if self._task is None:
            return
        self._task.cancel()
        self._task = None
        self._set_busy(False)
        self.status.setText(self.tr("中止しました"))

    def _set_busy(self, busy: bool) -> None:
        self.plan_button.setEnabled(not busy)
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy)
        self.confirm_button.setEnabled(not busy and self._can_confirm())
        self.tabs.setEnabled(not busy)
        self.status.setText(self.tr("計算中…") if busy else "")
        if busy:
            self.cancel_button.setFocus()
        else:
            self.plan_button.setFocus()

    def _on_planned(self, result: tuple[AllocationPlan, list[VenueFacts], list[MapPlace]]) -> None:
        if self._task is None:  # cancelled after the worker had already answered
            return
        self._task = None
        plan, venues, places = result
        self.show_plan(plan)
        self.map.show_points(venues, _households(plan), plan.placements, places)
        self._set_busy(False)
        self.planned.emit()

    def _on_failed(self, exc: EvacError) -> None:
        if self._task is None:
            return
        self._task = None
        self._set_busy(False)
        self.ctx.prompter.error(self, error_text(exc, self.ctx.db))

    def show_plan(self, plan: AllocationPlan | None) -> None:
        self.plan = plan
        placements = plan.placements if plan else []
        unplaced = plan.unplaced if plan else []
        self.placements_model.set_rows(placements)
        self.unplaced_model.set_rows(unplaced)
        self.placements_heading.setText(
            self.tr("割り当てる世帯（%1）").replace("%1", str(len(placements)))
        )
        self.unplaced_heading.setText(
            self.tr("割り当てられない世帯（%1）").replace("%1", str(len(unplaced)))
        )
        self.summary.setText(self.summary_text(plan) if plan else "")
        self.confirm_button.setEnabled(self._can_confirm())

    def summary_text(self, plan: AllocationPlan) -> str:
        quality = (
            self.tr("最適解")
            if plan.optimal
            else self.tr("時間内の最良解（差 %1%）").replace("%1", f"{plan.gap * 100:.1f}")
        )
        text = (
            self.tr("配置 %1 世帯・%2 人、合計距離 %3 km、%4")
            .replace("%1", str(len(plan.placements)))
            .replace("%2", str(sum(p.household.size for p in plan.placements)))
            .replace("%3", f"{plan.total_km:.1f}")
            .replace("%4", quality)
        )
        approximate = sum(p.household.approximate for p in plan.placements)
        if approximate:
            text += self.tr(
                "。うち %1 世帯は住所からおよその位置しか分からず、距離もおよそです（「位置」列）"
            ).replace("%1", str(approximate))
        return text

    def _can_confirm(self) -> bool:
        return self._task is None and self.plan is not None and bool(self.plan.placements)

    # --- writing -------------------------------------------------------------------------------
    def confirm(self) -> bool:
        """Write the plan shown, in one transaction; a stale plan is refused and cleared."""
        if not self._can_confirm() or self.plan is None:
            return False
        try:
            service, plan, today = self.service, self.plan, self.today
            count = write_now(lambda: service.apply(plan, today), self, where="allocation")
        except EvacError as exc:
            if exc.code == "assignment.plan_stale":
                self.show_plan(None)
                self.status.setText(self.tr("案を作り直してください"))
            self.ctx.prompter.error(self, exc.message())
            return False
        self.ctx.prompter.info(
            self,
            self.tr("一括割り当て"),
            self.tr("%1 世帯を会場に割り当てました。").replace("%1", str(count)),
        )
        self.ctx.bus.announce(Changes.of(Kind.ASSIGNMENT), self)
        self.accept()
        return True

    def done(self, result: int) -> None:
        """Closing in any way drops a plan still being made."""
        self.cancel_planning()
        super().done(result)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.cancel_planning()
        super().closeEvent(event)
