"""The 監査ログ section: who did what, when, to which record, with each field's old and new value.

Administrators filter by user, action, kind of record, date range and free text; the list loads
a page at a time as it scrolls, the pane below shows the selected entry's fields (old → new), and
「CSVに書き出す…」 writes the filtered trail for Excel (that export is itself audited).

Below the list, the trail's hash chain is verified each time the section is shown (検証済み：
N件目まで, or the first broken link, see :mod:`evacsupport.db.audit_chain`). That reads the
whole trail, so it runs on a worker (:func:`evacsupport.ui.tasks.run_in_background`); the
pages of rows, a few hundred at a time, are read on the UI thread as they scroll in.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QDate, QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evacsupport.config import data_dir
from evacsupport.errors import EvacError
from evacsupport.services import audit
from evacsupport.services.audit import AuditQuery, AuditRow, ChainStatus
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.tasks import Task, run_in_background
from evacsupport.ui.views.audit.model import AuditModel


class AuditPage(QWidget):
    """Attributes for tests: ``user_filter``, ``action_filter``, ``entity_filter``,
    ``use_dates``, ``date_from``, ``date_to``, ``text_filter``, ``search_button``, ``model``,
    ``table``, ``details`` (field, old, new per row), ``export_button``, ``status``,
    ``chain`` (the verification of the hash chain, filled in by a worker)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = AuditModel(ctx.db, self)

        self.user_filter = QComboBox(self)
        self.user_filter.setMinimumWidth(120)
        self.action_filter = QComboBox(self)
        self.action_filter.addItem(self.tr("すべての操作"), "")
        for code in audit.ACTIONS:
            self.action_filter.addItem(self.model.action_label(code), code)
        self.entity_filter = QComboBox(self)
        self.entity_filter.addItem(self.tr("すべての対象"), "")
        for code in (*audit.ENTITIES, "audit_entry"):
            self.entity_filter.addItem(self.model.entity_label(code), code)
        self.use_dates = QCheckBox(self.tr("期間(&D)"), self)
        today = QDate.currentDate()
        self.date_from = QDateEdit(today.addDays(-30), self)
        self.date_to = QDateEdit(today, self)
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
            edit.setEnabled(False)
        self.use_dates.toggled.connect(self.date_from.setEnabled)
        self.use_dates.toggled.connect(self.date_to.setEnabled)
        self.text_filter = QLineEdit(self)
        self.text_filter.setPlaceholderText(self.tr("世帯番号・氏名・変更内容など"))
        self.text_filter.setClearButtonEnabled(True)
        self.search_button = QPushButton(self.tr("絞り込む(&R)"), self)
        self.export_button = QPushButton(self.tr("CSVに書き出す…"), self)

        filters = QHBoxLayout()
        user_label = QLabel(self.tr("利用者(&U)"), self)
        user_label.setBuddy(self.user_filter)
        action_label = QLabel(self.tr("操作(&O)"), self)
        action_label.setBuddy(self.action_filter)
        entity_label = QLabel(self.tr("対象(&T)"), self)
        entity_label.setBuddy(self.entity_filter)
        text_label = QLabel(self.tr("検索(&S)"), self)
        text_label.setBuddy(self.text_filter)
        # Two rows, so the section fits a 1366-pixel laptop screen at 125 % scaling.
        for widget in (
            user_label,
            self.user_filter,
            action_label,
            self.action_filter,
            entity_label,
            self.entity_filter,
        ):
            filters.addWidget(widget)
        filters.addStretch(1)
        second = QHBoxLayout()
        for item in (
            self.use_dates,
            self.date_from,
            QLabel("〜", self),
            self.date_to,
            text_label,
        ):
            second.addWidget(item)
        second.addWidget(self.text_filter, 1)
        second.addWidget(self.search_button)

        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.selectionModel().currentRowChanged.connect(self._selected)

        self.details_title = QLabel(self)
        self.details = QTableWidget(0, 3, self)
        self.details.setHorizontalHeaderLabels(
            [self.tr("項目"), self.tr("変更前"), self.tr("変更後")]
        )
        self.details.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.details.verticalHeader().setVisible(False)
        self.details.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        details = QWidget(self)
        details_layout = QVBoxLayout(details)
        details_layout.setContentsMargins(0, 0, 0, 0)
        details_layout.addWidget(self.details_title)
        details_layout.addWidget(self.details, 1)
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.table)
        splitter.addWidget(details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)

        self.status = QLabel(self)
        self.chain = QLabel(self)
        self.chain.setToolTip(
            self.tr("監査ログが後から書き換えられていないかを、記録の連鎖で確かめた結果です")
        )
        self._chain_task: Task | None = None
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(self.chain)
        bottom.addWidget(self.export_button)

        title = QLabel(self.tr("監査ログ"), self)
        title.setStyleSheet("font-size: 16px; font-weight: bold;")
        note = QLabel(
            self.tr("記録の作成・更新・削除、出力、帳票、取込、同期、ログインの履歴です。"), self
        )
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(note)
        layout.addLayout(filters)
        layout.addLayout(second)
        layout.addWidget(splitter, 1)
        layout.addLayout(bottom)

        self.search_button.clicked.connect(self.apply_filters)
        self.text_filter.returnPressed.connect(self.apply_filters)
        for combo in (self.user_filter, self.action_filter, self.entity_filter):
            combo.activated.connect(lambda _i: self.apply_filters())
        self.export_button.clicked.connect(self.choose_export)

    # --- filters ---------------------------------------------------------------------------
    def query(self) -> AuditQuery:
        use_dates = self.use_dates.isChecked()
        return AuditQuery(
            user=self.user_filter.currentData() or "",
            action=self.action_filter.currentData() or "",
            entity=self.entity_filter.currentData() or "",
            date_from=self.date_from.date().toPython() if use_dates else None,  # type: ignore[arg-type]
            date_to=self.date_to.date().toPython() if use_dates else None,  # type: ignore[arg-type]
            text=self.text_filter.text().strip(),
        )

    def set_action(self, action: str) -> None:
        self.action_filter.setCurrentIndex(max(0, self.action_filter.findData(action)))

    def refresh(self) -> None:
        """Reload the user list and the entries (called when the section is shown)."""
        try:
            users = audit.users(self.ctx.db)
        except EvacError as exc:
            self.status.setText(exc.message())
            return
        current = self.user_filter.currentData() or ""
        self.user_filter.blockSignals(True)
        self.user_filter.clear()
        self.user_filter.addItem(self.tr("すべての利用者"), "")
        for name in users:
            self.user_filter.addItem(name, name)
        self.user_filter.setCurrentIndex(max(0, self.user_filter.findData(current)))
        self.user_filter.blockSignals(False)
        self.apply_filters()
        self.verify_chain()

    # --- the hash chain ----------------------------------------------------------------------
    def verify_chain(self) -> None:
        """Verify the trail's chain on a worker; the label says so until the answer comes."""
        if self._chain_task is not None:
            self._chain_task.cancel()
        self.chain.setStyleSheet("color: #555;")
        self.chain.setText(self.tr("監査ログを検証中…"))
        db = self.ctx.db
        self._chain_task = run_in_background(
            lambda: audit.verify_chain(db),
            self._chain_verified,  # bound methods: none arrives once the page is gone
            self._chain_failed,
        )

    def _chain_verified(self, status: ChainStatus) -> None:
        self._chain_task = None
        self.chain.setStyleSheet("" if status.ok else "color: #b00020; font-weight: bold;")
        self.chain.setText(status.text)

    def _chain_failed(self, exc: EvacError) -> None:
        self._chain_task = None
        self.chain.setStyleSheet("color: #b00020;")
        self.chain.setText(exc.message())

    def apply_filters(self) -> None:
        try:
            self.model.load(self.query())
        except EvacError as exc:
            self.status.setText(exc.message())
            return
        self._show(None)
        count = len(self.model.rows)
        more = self.model.canFetchMore()
        self.status.setText(
            (self.tr("%1件以上") if more else self.tr("%1件")).replace("%1", str(count))
        )
        if count:
            self.table.resizeColumnToContents(0)  # the date and time, never cut off
            self.table.selectRow(0)

    # --- details ---------------------------------------------------------------------------
    def _selected(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.rows[current.row()] if current.isValid() else None
        self._show(row)

    def _show(self, row: AuditRow | None) -> None:
        changes = row.field_changes() if row is not None else []
        self.details.setRowCount(len(changes))
        for i, change in enumerate(changes):
            old = change.old if change.paired else ""
            for column, text in enumerate((change.label, old, change.new)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.details.setItem(i, column, item)
        if row is None:
            self.details_title.setText(self.tr("変更内容（項目ごとの変更前 → 変更後）"))
            return
        what = " ".join(t for t in (self.model.entity_label(row.entity), row.record) if t)
        self.details_title.setText(
            self.tr("%1　%2　%3 %4")
            .replace("%1", row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"))
            .replace("%2", row.username)
            .replace("%3", self.model.action_label(row.action))
            .replace("%4", what)
        )

    # --- export ----------------------------------------------------------------------------
    def choose_export(self) -> None:
        default = data_dir() / f"audit-{QDate.currentDate().toString('yyyyMMdd')}.csv"
        path, _ = QFileDialog.getSaveFileName(
            self, self.tr("監査ログをCSVに書き出す"), str(default), self.tr("CSV (*.csv)")
        )
        if path:
            self.export_to(path)

    def export_to(self, path: str | Path) -> int | None:
        try:
            rows = audit.export_csv(self.ctx.db, self.query(), path)
        except (EvacError, OSError) as exc:
            self.ctx.prompter.error(self, error_text(exc, self.ctx.db))
            return None
        self.status.setText(
            self.tr("%1件を書き出しました：%2").replace("%1", str(rows)).replace("%2", str(path))
        )
        return rows
