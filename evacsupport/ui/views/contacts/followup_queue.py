"""The follow-up queue: who to contact, most overdue first; done with a note of what happened."""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.codes import FollowUpSource, label
from evacsupport.errors import EvacError, ValidationError
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.followups import FollowUpService, QueueItem
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.operations import write_now
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.fields import FieldMessage


class QueueModel(RecordTableModel[QueueItem]):
    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            item = self.rows()[index.row()]
            if item.overdue:
                return QBrush(QColor("#f8d0d0"))
        return super().data(index, role)


class FollowUpQueueView(QWidget):
    """Signals: household_activated(uuid.UUID) when a task's household is opened."""

    household_activated = Signal(uuid.UUID)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = FollowUpService(ctx.db)
        self.model = QueueModel(
            [
                Column(self.tr("期限"), lambda f: f.due_on),
                Column(
                    self.tr("遅れ(日)"), lambda f: f.overdue_days if f.overdue else "", numeric=True
                ),
                Column(self.tr("世帯番号"), lambda f: f.case_number),
                Column(self.tr("世帯主"), lambda f: f.head_name),
                Column(self.tr("理由"), lambda f: f.reason),
                Column(self.tr("担当"), lambda f: f.owner),
                Column(self.tr("きっかけ"), lambda f: label(FollowUpSource(f.source))),
            ],
            self,
        )
        self.table = make_table(self.model, self)
        self.table.activated.connect(self._open)
        self.summary = QLabel(self)
        self.summary.setStyleSheet("font-weight: bold;")
        self.outcome = QLineEdit(self)
        self.outcome.setPlaceholderText(
            self.tr("選んだフォローアップの結果（例：電話で様子を確認、来週会場で会う約束）")
        )
        self.done_button = QPushButton(self.tr("完了にする(&D)"), self)
        self.message = FieldMessage(self, wrap=True)
        self.from_risk = QPushButton(self.tr("要注意の世帯からフォローアップを作成(&R)"), self)
        self.done_button.clicked.connect(self.complete_selected)
        self.outcome.returnPressed.connect(self.complete_selected)
        self.from_risk.clicked.connect(self.queue_from_risk)
        done_row = QHBoxLayout()
        done_row.addWidget(QLabel(self.tr("結果"), self))
        done_row.addWidget(self.outcome, 1)
        done_row.addWidget(self.done_button)
        top = QHBoxLayout()
        top.addWidget(self.summary)
        top.addStretch(1)
        top.addWidget(self.from_risk)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(done_row)
        layout.addWidget(self.message)
        RefreshWhenShown(self, ctx.bus, lambda _changes: self.refresh(), own=self)

    def refresh(self) -> None:
        items = self.service.queue(date.today())
        self.model.set_rows(items)
        overdue = sum(1 for i in items if i.overdue)
        self.summary.setText(
            self.tr("未対応 %1 件（うち期限切れ %2 件）")
            .replace("%1", str(len(items)))
            .replace("%2", str(overdue))
        )

    def selected(self) -> QueueItem | None:
        index = self.table.currentIndex()
        return self.model.rows()[index.row()] if index.isValid() else None

    def complete_selected(self) -> None:
        item = self.selected()
        if item is None:
            self.message.show_message(self.tr("完了にするフォローアップを一覧で選んでください"))
            return
        try:
            service, outcome = self.service, self.outcome.text()
            write_now(lambda: service.complete(item.id, outcome), self, where="follow-up")
        except ValidationError as exc:
            self.message.show_message(exc.errors[0].message())
            self.outcome.setFocus()
            return
        except EvacError as exc:
            self.message.show_message(exc.message())
            return
        self.message.show_message("")
        self.outcome.clear()
        self.ctx.bus.announce(Changes.of(Kind.ACTIVITY, households=[item.household_id]), self)
        self.refresh()

    def queue_from_risk(self) -> None:
        service, settings = self.service, self.ctx.settings.risk_settings()
        created = write_now(
            lambda: service.queue_from_risk(settings=settings), self, where="follow-ups"
        )
        self.ctx.prompter.info(
            self,
            self.tr("フォローアップを作成しました"),
            self.tr("要注意（高）の世帯に %1 件のフォローアップを作成しました。").replace(
                "%1", str(created)
            ),
        )
        self.ctx.bus.announce(Changes.of(Kind.ACTIVITY), self)
        self.refresh()

    def _open(self, index: object) -> None:
        item = self.selected()
        if item is not None:
            self.household_activated.emit(item.household_id)
