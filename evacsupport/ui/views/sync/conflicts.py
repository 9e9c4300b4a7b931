"""Fields edited on two laptops before they synced: both values side by side, and a coordinator
keeps this laptop's, takes the other's, or types the right one. The choice travels to every
laptop with the next sync."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QItemSelection, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evacsupport.errors import EvacError
from evacsupport.sync.service import ConflictInfo, SyncService
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.sync import ConflictModel, field_label, kept_value
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.fields import FieldMessage


def _editable(conflict: ConflictInfo) -> bool:
    """Whether typing a value can settle it: text fields only (the service checks again)."""
    return all(isinstance(v, str) or v is None for v in (conflict.mine, conflict.theirs))


class ConflictPanel(QWidget):
    """Attributes for tests: ``model``, ``table``, ``show_resolved``, ``keep_mine_button``,
    ``take_theirs_button``, ``edit_button``, ``message``, ``count_label``.

    Signals: resolved(str) with the kind of record that changed ("household", "venue", …).
    """

    resolved = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.service = SyncService(ctx.db)
        self.model = ConflictModel(self)
        self.table = make_table(self.model, self)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("font-weight: bold;")
        self.show_resolved = QCheckBox(self.tr("解決済みも表示"), self)
        self.keep_mine_button = QPushButton(self.tr("こちらを残す"), self)
        self.take_theirs_button = QPushButton(self.tr("相手を採用"), self)
        self.edit_button = QPushButton(self.tr("編集…"), self)
        self.message = FieldMessage(self, wrap=True)
        note = QLabel(
            self.tr(
                "同期の前に両方の端末で編集された項目です。どちらの値も消えていません。"
                "正しい方を選ぶと、次の同期で他の端末にも伝わります。"
            ),
            self,
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        self.show_resolved.toggled.connect(lambda _c: self.refresh())
        self.keep_mine_button.clicked.connect(lambda: self.settle("mine"))
        self.take_theirs_button.clicked.connect(lambda: self.settle("theirs"))
        self.edit_button.clicked.connect(self.edit)
        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit())

        top = QHBoxLayout()
        top.addWidget(self.count_label)
        top.addStretch(1)
        top.addWidget(self.show_resolved)
        buttons = QHBoxLayout()
        buttons.addWidget(self.keep_mine_button)
        buttons.addWidget(self.take_theirs_button)
        buttons.addWidget(self.edit_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(note)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._update_buttons()

    def refresh(self) -> None:
        chosen = self.selected()
        rows = self.service.conflicts(include_resolved=self.show_resolved.isChecked())
        self.model.set_rows(rows)
        open_count = sum(1 for c in rows if c.status == "open")
        self.count_label.setText(self.tr("未解決の食い違い：%1 件").replace("%1", str(open_count)))
        if chosen is not None:
            for row, conflict in enumerate(rows):
                if conflict.id == chosen.id:
                    self.table.selectRow(row)
                    break
        self._update_buttons()

    def selected(self) -> ConflictInfo | None:
        index = self.table.currentIndex()
        rows = self.model.rows()
        if not index.isValid() or not self.table.selectionModel().hasSelection():
            return None
        return rows[index.row()] if index.row() < len(rows) else None

    def select(self, row: int) -> None:
        self.table.selectRow(row)

    def _selection_changed(self, _new: QItemSelection, _old: QItemSelection) -> None:
        self.message.show_message("")
        self._update_buttons()

    def _update_buttons(self) -> None:
        conflict = self.selected()
        usable = conflict is not None and conflict.status == "open"
        for button in (self.keep_mine_button, self.take_theirs_button, self.edit_button):
            button.setEnabled(usable)

    def settle(self, choice: str, value: str | None = None) -> bool:
        conflict = self.selected()
        if conflict is None:
            self.message.show_message(self.tr("一覧で食い違いを選んでください"))
            return False
        try:
            self.service.resolve(conflict.id, choice, value)
        except EvacError as exc:
            self.message.show_message(exc.message())
            self.refresh()
            return False
        self.message.show_message("")
        self.refresh()
        self.resolved.emit("venue" if conflict.entity == "venue" else "household")
        return True

    def edit(self) -> None:
        conflict = self.selected()
        if conflict is None:
            self.message.show_message(self.tr("一覧で食い違いを選んでください"))
            return
        if conflict.status != "open":
            return
        if not _editable(conflict):
            self.message.show_message(EvacError("sync.edit_text_only").message())
            return
        current: Any = kept_value(conflict)
        label = (
            self.tr("%1（%2）の正しい値")
            .replace("%1", field_label(conflict.field))
            .replace("%2", conflict.record)
        )
        value = self.ctx.prompter.ask_text(
            self, self.tr("値を編集"), label, "" if current is None else str(current)
        )
        if value is not None:
            self.settle("edit", value)
