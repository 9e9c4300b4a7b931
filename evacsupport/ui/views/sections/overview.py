"""Dashboard (today's numbers and who needs a call) and the caseload summary by origin."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import QFrame, QGridLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from evacsupport.domain.codes import EvacuationStatus, label
from evacsupport.domain.suppression import HIDDEN
from evacsupport.errors import EvacError
from evacsupport.services.activity import ActivityService, Overview
from evacsupport.services.caseload import CaseRow, load_caseload
from evacsupport.services.changes import Changes
from evacsupport.services.risk import RiskLevel
from evacsupport.services.summary import (
    OriginSummary,
    RiskPoint,
    WeeklyMeals,
    by_origin,
    meals_per_week,
    risk_history,
    summary_table,
)
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.tasks import Task, run_in_background
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.charts import LineChart


def _by_urgency(rows: list[CaseRow]) -> list[CaseRow]:
    """Highest level first, then the longest without contact."""
    return sorted(rows, key=lambda r: (-r.risk.level, r.last_contact or date.min, r.case_number))


class NumberTile(QFrame):
    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        caption = QLabel(title, self)
        caption.setStyleSheet("color: #444;")
        caption.setWordWrap(True)  # five tiles share a row even on a 1024 px wide window
        self.value = QLabel("—", self)
        self.value.setStyleSheet("font-size: 22pt; font-weight: bold;")
        self.value.setAlignment(Qt.AlignmentFlag.AlignRight)
        layout.addWidget(caption)
        layout.addWidget(self.value)


@dataclass(frozen=True)
class _Figures:
    overview: Overview
    at_risk: list[CaseRow]
    weekly: WeeklyMeals


class DashboardPage(QWidget):
    """Signals: household_activated(uuid.UUID) when a row of the at-risk list is opened;
    loaded() when the numbers, the at-risk list and the meals chart (read in the background)
    are shown; risk_loaded() when the risk history, read after them, reached its chart;
    rows_loaded() when a change to a few households reached the numbers and the list."""

    household_activated = Signal(uuid.UUID)
    loaded = Signal()
    risk_loaded = Signal()
    rows_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.activity = ActivityService(ctx.db)
        grid = QGridLayout()
        self.tiles = {
            "households": NumberTile(self.tr("支援中の世帯"), self),
            "people": NumberTile(self.tr("支援中の人数"), self),
            "meals": NumberTile(self.tr("今週の食事提供（回）"), self),
            "checkins": NumberTile(self.tr("チェックイン予定（30日以上未実施）"), self),
            "overdue": NumberTile(self.tr("期限切れのフォローアップ"), self),
        }
        for i, tile in enumerate(self.tiles.values()):
            grid.addWidget(tile, 0, i)
        heading = QLabel(self.tr("要注意の世帯（理由つき）"), self)
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.at_risk: RecordTableModel[CaseRow] = RecordTableModel(
            [
                Column(QCoreApplication.translate("Overview", "要注意"), self._level),
                Column(QCoreApplication.translate("Overview", "世帯番号"), lambda r: r.case_number),
                Column(QCoreApplication.translate("Overview", "世帯主"), lambda r: r.head_name),
                Column(
                    QCoreApplication.translate("Overview", "最終接触"), lambda r: r.last_contact
                ),
                Column(
                    QCoreApplication.translate("Overview", "理由"),
                    lambda r: "／".join(r.risk.reasons),
                ),
            ],
            self,
        )
        self.table = make_table(self.at_risk, self)
        self.table.activated.connect(
            lambda index: self.household_activated.emit(self.at_risk.rows()[index.row()].id)
        )
        self.meals_chart = LineChart(self.tr("週ごとの食事提供（回・会場別の上位6会場）"), self)
        self.risk_chart = LineChart(self.tr("要注意の世帯数の推移（週ごと）"), self)
        charts = QHBoxLayout()
        charts.addWidget(self.meals_chart)
        charts.addWidget(self.risk_chart)
        for chart in (self.meals_chart, self.risk_chart):
            chart.setMinimumHeight(220)
            chart.setMaximumHeight(300)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(charts)
        layout.addWidget(heading)
        layout.addWidget(self.table, 1)
        self._task: Task | None = None
        self._risk_task: Task | None = None
        self._rows_task: Task | None = None
        RefreshWhenShown(self, ctx.bus, self.op_executed)

    @staticmethod
    def _level(row: CaseRow) -> str:
        return (
            QCoreApplication.translate("Overview", "高")
            if row.risk.level == RiskLevel.HIGH
            else QCoreApplication.translate("Overview", "注意")
        )

    def op_executed(self, changes: Changes | None) -> None:
        """A few households changed (a check-in, a saved household): the numbers and their
        rows of the at-risk list are read again, not the caseload; the charts (whole weeks,
        the risk history) wait for the next full refresh, when the section is next shown."""
        named = None if changes is None else changes.few_households()
        if named is None or self._task is not None:
            self.refresh()
            return
        if self._rows_task is not None:
            self._rows_task.cancel()
        activity, db = self.activity, self.ctx.db
        settings = self.ctx.settings.risk_settings()
        self._rows_task = run_in_background(  # bound methods: none arrives once it is gone
            lambda: (
                activity.overview(),
                load_caseload(db, settings=settings, households=named),
                named,
            ),
            self._show_rows,
            self._failed,
        )

    def _show_rows(self, result: tuple[Overview, list[CaseRow], frozenset[uuid.UUID]]) -> None:
        self._rows_task = None
        overview, rows, ids = result
        self._show_tiles(overview)
        at_risk = [r for r in self.at_risk.rows() if r.id not in ids]
        at_risk += [r for r in rows if r.risk.level > RiskLevel.NONE]
        self.at_risk.set_rows(_by_urgency(at_risk))
        self.rows_loaded.emit()

    def refresh(self) -> None:
        """Read today's numbers, the at-risk list and the meals chart on a worker, then the
        risk history: the window stays responsive however large the caseload (a refresh used to
        read the whole caseload on the UI thread after every meal logged)."""
        for task in (self._task, self._risk_task, self._rows_task):
            if task is not None:
                task.cancel()
        self._risk_task = self._rows_task = None
        activity, db = self.activity, self.ctx.db
        settings = self.ctx.settings.risk_settings()
        last_sunday = date.today() - timedelta(days=date.today().weekday() + 1)

        def read() -> _Figures:
            rows = _by_urgency(
                [r for r in load_caseload(db, settings=settings) if r.risk.level > RiskLevel.NONE]
            )
            weekly = meals_per_week(db, today=last_sunday)  # whole weeks only
            return _Figures(activity.overview(), rows, weekly)

        self._task = run_in_background(read, self._show, self._failed)

    def _show(self, figures: _Figures) -> None:
        self._task = None
        self._show_tiles(figures.overview)
        self.at_risk.set_rows(figures.at_risk)
        self.meals_chart.set_data(figures.weekly.weeks, figures.weekly.by_venue)
        self.loaded.emit()
        db, settings = self.ctx.db, self.ctx.settings.risk_settings()
        self._risk_task = run_in_background(
            lambda: risk_history(db, settings=settings), self._show_risk, self._risk_failed
        )

    def _show_tiles(self, overview: Overview) -> None:
        self.tiles["households"].value.setText(f"{overview.active_households:,}")
        self.tiles["people"].value.setText(f"{overview.people:,}")
        self.tiles["meals"].value.setText(f"{overview.meals_this_week:,}")
        self.tiles["overdue"].value.setText(f"{overview.overdue_followups:,}")
        self.tiles["checkins"].value.setText(f"{overview.checkins_due:,}")

    def _failed(self, exc: EvacError) -> None:
        self._task = None
        self.ctx.prompter.error(self, error_text(exc, self.ctx.db))

    def _risk_failed(self, exc: EvacError) -> None:
        """The chart says it could not be drawn (a bug's details are in the log by now)."""
        self._risk_task = None
        self.risk_chart.show_problem(error_text(exc, self.ctx.db))

    def _show_risk(self, points: list[RiskPoint]) -> None:
        self._risk_task = None
        self.risk_chart.set_data(
            [p.day for p in points],
            {self.tr("高"): [p.high for p in points], self.tr("注意"): [p.watch for p in points]},
            colours=("#c62828", "#f9a825"),
        )
        self.risk_loaded.emit()


class SummaryPage(QWidget):
    """Active households and people by origin municipality and evacuation status.

    Counts print as the reports print them (``summary_table``): 1 to 4, and any count that
    would give one back from its row's households, show as "X"; rows follow the code list,
    not their size. The section is open to viewers, who see aggregates only."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._hidden: frozenset[tuple[str, str]] = frozenset()
        columns: list[Column[OriginSummary]] = [
            Column(QCoreApplication.translate("Overview", "避難元"), lambda s: s.name),
            Column(
                QCoreApplication.translate("Overview", "世帯"),
                self._shown("households", lambda s: s.households),
                numeric=True,
            ),
            Column(
                QCoreApplication.translate("Overview", "人数"),
                self._shown("people", lambda s: s.people),
                numeric=True,
            ),
        ]
        for status in EvacuationStatus:
            columns.append(Column(label(status), self._count(status), numeric=True))
        self.model: RecordTableModel[OriginSummary] = RecordTableModel(columns, self)
        heading = QLabel(self.tr("避難元別・避難形態別の支援中世帯数"), self)
        heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
        self.note = QLabel(
            self.tr(
                "個人の特定を防ぐため、1〜4の件数と、そこから逆算できる件数を、"
                "どちらも「X」と表示しています。"
            ),
            self,
        )
        self.note.setStyleSheet("color: #444;")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(make_table(self.model, self), 1)
        layout.addWidget(self.note)
        RefreshWhenShown(self, ctx.bus, lambda _changes: self.refresh())

    def _shown(
        self, column: str, count: Callable[[OriginSummary], int]
    ) -> Callable[[OriginSummary], str]:
        def text(s: OriginSummary) -> str:
            return HIDDEN if (s.code, column) in self._hidden else f"{count(s):,}"

        return text

    def _count(self, status: EvacuationStatus) -> Callable[[OriginSummary], str]:
        shown = self._shown(status.value, lambda s: s.by_status.get(status.value, 0))
        return lambda s: shown(s) if s.by_status.get(status.value, 0) else ""

    def refresh(self) -> None:
        table = summary_table(by_origin(self.ctx.db))
        self._hidden = table.hidden
        self.model.set_rows(table.rows)
