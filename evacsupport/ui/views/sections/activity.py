"""Sections that list what has been logged so far: meals, visits and check-ins, follow-ups."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.codes import FollowUpSource, FollowUpStatus, MealType, Referral, VisitKind
from evacsupport.domain.codes import label as code_label
from evacsupport.services.activity import (
    ActivityService,
    CheckInEntry,
    FollowUpEntry,
    MealEntry,
    VisitEntry,
)
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.refresh import RefreshWhenShown


def code(enum: Any) -> Callable[[str | None], str]:
    def show(value: str | None) -> str:
        try:
            return code_label(enum(value)) if value else ""
        except ValueError:
            return str(value)

    return show


def _with_case(columns: list[Column[Any]]) -> list[Column[Any]]:
    """Lists across households show the case number second, after the date."""
    case: Column[Any] = Column(
        QCoreApplication.translate("Records", "世帯番号"), lambda r: r.case_number
    )
    return [columns[0], case, *columns[1:]]


def _with_head(columns: list[Column[Any]]) -> list[Column[Any]]:
    """The case number, then whose household it is: a coordinator knows people by name."""
    case: Column[Any] = Column(
        QCoreApplication.translate("Records", "世帯番号"), lambda r: r.case_number
    )
    head: Column[Any] = Column(
        QCoreApplication.translate("Records", "世帯主"), lambda r: r.household_name
    )
    kana: Column[Any] = Column(
        QCoreApplication.translate("Records", "フリガナ"), lambda r: r.household_kana
    )
    return [columns[0], case, head, kana, *columns[1:]]


def meal_columns(with_case: bool = True) -> list[Column[MealEntry]]:
    columns: list[Column[MealEntry]] = [
        Column(QCoreApplication.translate("Records", "日付"), lambda m: m.served_on),
        Column(QCoreApplication.translate("Records", "会場"), lambda m: m.venue),
        Column(
            QCoreApplication.translate("Records", "種別"), lambda m: code(MealType)(m.meal_type)
        ),
        Column(QCoreApplication.translate("Records", "大人"), lambda m: m.adults, numeric=True),
        Column(QCoreApplication.translate("Records", "子ども"), lambda m: m.children, numeric=True),
        Column(QCoreApplication.translate("Records", "担当"), lambda m: m.staff),
    ]
    return _with_case(columns) if with_case else columns


def visit_columns(with_case: bool = True, with_head: bool = False) -> list[Column[VisitEntry]]:
    columns: list[Column[VisitEntry]] = [
        Column(QCoreApplication.translate("Records", "日付"), lambda v: v.visited_on),
        Column(QCoreApplication.translate("Records", "種別"), lambda v: code(VisitKind)(v.kind)),
        Column(QCoreApplication.translate("Records", "担当"), lambda v: v.staff),
        Column(
            QCoreApplication.translate("Records", "分"), lambda v: v.duration_minutes, numeric=True
        ),
        Column(
            QCoreApplication.translate("Records", "紹介先"), lambda v: code(Referral)(v.referral)
        ),
        Column(QCoreApplication.translate("Records", "次回確認日"), lambda v: v.follow_up_due),
        Column(QCoreApplication.translate("Records", "内容"), lambda v: v.summary),
    ]
    if with_head:
        return _with_head(columns)
    return _with_case(columns) if with_case else columns


def checkin_columns(with_case: bool = True, with_head: bool = False) -> list[Column[CheckInEntry]]:
    columns: list[Column[CheckInEntry]] = [
        Column(QCoreApplication.translate("Records", "日付"), lambda c: c.checked_on),
        Column(QCoreApplication.translate("Records", "対象者"), lambda c: c.member),
        Column(
            QCoreApplication.translate("Records", "孤独感(1-5)"),
            lambda c: c.loneliness,
            numeric=True,
        ),
        Column(
            QCoreApplication.translate("Records", "UCLA(3-12)"), lambda c: c.ucla3, numeric=True
        ),
        Column(QCoreApplication.translate("Records", "K6(0-24)"), lambda c: c.k6, numeric=True),
        Column(QCoreApplication.translate("Records", "担当"), lambda c: c.staff),
    ]
    if with_head:
        return _with_head(columns)
    return _with_case(columns) if with_case else columns


def followup_columns(with_case: bool = True) -> list[Column[FollowUpEntry]]:
    columns: list[Column[FollowUpEntry]] = [
        Column(QCoreApplication.translate("Records", "期限"), lambda f: f.due_on),
        Column(
            QCoreApplication.translate("Records", "状態"), lambda f: code(FollowUpStatus)(f.status)
        ),
        Column(QCoreApplication.translate("Records", "理由"), lambda f: f.reason),
        Column(QCoreApplication.translate("Records", "担当"), lambda f: f.owner),
        Column(
            QCoreApplication.translate("Records", "きっかけ"),
            lambda f: code(FollowUpSource)(f.source),
        ),
        Column(QCoreApplication.translate("Records", "結果"), lambda f: f.outcome),
    ]
    return _with_case(columns) if with_case else columns


def make_table(model: RecordTableModel[Any], parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(26)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    table.horizontalHeader().setStretchLastSection(True)
    keep_columns_steady(table)
    return table


MAX_COLUMN_WIDTH = 360  # a long reason or summary is cut (its tooltip or the record has it all)


def keep_columns_steady(table: QTableView) -> None:
    """Size the columns from the first rows shown, then keep them across reloads.

    Sized to contents on every reload, the columns jumped whenever a long row came or went
    (completing a follow-up moved 担当 and きっかけ under the pointer). The user can still widen
    a column by hand; a reload leaves it as it is.
    """
    model = table.model()

    def size_once() -> None:
        if table.property("columns_sized") or model.rowCount() == 0:
            return
        table.resizeColumnsToContents()
        for column in range(model.columnCount() - 1):  # the last one stretches
            table.setColumnWidth(column, min(table.columnWidth(column), MAX_COLUMN_WIDTH))
        table.setProperty("columns_sized", True)

    model.modelReset.connect(size_once)
    model.rowsInserted.connect(size_once)


class RecordsPage(QWidget):
    """A titled list of records, reloaded when activity changes."""

    def __init__(
        self,
        ctx: AppContext,
        parts: Sequence[tuple[str, Sequence[Column[Any]], Callable[[ActivityService], list[Any]]]],
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.activity = ActivityService(ctx.db)
        self.models: list[tuple[RecordTableModel[Any], Callable[[ActivityService], list[Any]]]] = []
        layout = QVBoxLayout(self)
        if note:
            hint = QLabel(note, self)
            hint.setWordWrap(True)
            hint.setStyleSheet("color: #555;")
            layout.addWidget(hint)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for title, columns, fetch in parts:
            box = QWidget(splitter)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            heading = QLabel(title, box)
            heading.setStyleSheet("font-weight: bold; font-size: 12pt;")
            model: RecordTableModel[Any] = RecordTableModel(columns, box)
            inner.addWidget(heading)
            inner.addWidget(make_table(model, box))
            self.models.append((model, fetch))
        layout.addWidget(splitter, 1)
        RefreshWhenShown(self, ctx.bus, lambda _changes: self.refresh())

    def refresh(self) -> None:
        for model, fetch in self.models:
            model.set_rows(fetch(self.activity))
