"""The household list: search-as-you-type and filters over the whole caseload, held in memory.

From the search box the keyboard never has to leave it: Up/Down move the selection in the list
(typing goes on narrowing it), and Enter opens the selected household, or the first one.
"""

from __future__ import annotations

import gc
import uuid
from collections.abc import Collection
from datetime import date

from PySide6.QtCore import QEvent, QItemSelectionModel, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain import municipalities
from evacsupport.domain.codes import EvacuationStatus
from evacsupport.errors import EvacError
from evacsupport.services.caseload import CaseRow, household_count, load_caseload
from evacsupport.services.changes import Changes, Kind
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.models.households import HouseholdTableModel
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.tasks import Task, run_in_background
from evacsupport.ui.widgets.fields import ChoiceCombo

NOT_SEEN_DAYS = 14  # "not seen for two weeks": the usual point at which a link worker calls
# From this many households the list first paints FIRST_PAGE rows (by case number) and loads the
# rest, then the activity columns, in the background.
SHOW_FIRST_FROM = 2_000
FIRST_PAGE = 200
# Keys in the search box that move the list's selection, by how many rows.
SEARCH_MOVES = {
    Qt.Key.Key_Down: 1,
    Qt.Key.Key_Up: -1,
    Qt.Key.Key_PageDown: 10,
    Qt.Key.Key_PageUp: -10,
}


FILTER_CHARACTERS = 12
FIRST_COLUMNS = (0, 8, 7)  # 世帯番号, 要注意, 最終接触: what a link worker looks for first
COLUMN_TEXT = {0: "N24-000000", 3: "00", 7: "2026-12-31", 8: "支援終了"}
"""Sample contents for columns whose width is their content (the rest have a fixed share)."""
COLUMN_WIDTH = {1: 110, 2: 130, 4: 80, 5: 170, 6: 170}


def _arrange_columns(table: QTableView) -> None:
    """The columns that matter first, each at least as wide as its heading in the current
    language (and the short ones as their content); the last, the venue, takes the rest.

    The order is the header's (visual) one: the model keeps its columns, so the sort column,
    the tests and the exports read them where they always were."""
    header = table.horizontalHeader()
    for place, column in enumerate(FIRST_COLUMNS):
        header.moveSection(header.visualIndex(column), place)
    metrics = table.fontMetrics()
    padding = 2 * metrics.horizontalAdvance("0") + 24  # cell margins and the sort arrow
    model = table.model()
    for column in range(model.columnCount()):
        heading = str(model.headerData(column, Qt.Orientation.Horizontal))
        width = header.fontMetrics().horizontalAdvance(heading) + padding
        sample = COLUMN_TEXT.get(column)
        if sample is not None:
            width = max(width, metrics.horizontalAdvance(sample) + padding)
        table.setColumnWidth(column, max(width, COLUMN_WIDTH.get(column, 0)))


class HouseholdListView(QWidget):
    """Search box and filters over a table of households.

    Signals:
        household_activated(uuid.UUID): the user opened a household (double-click or Enter).
        new_requested(): the user asked for a new household (the button; Ctrl+N is the
            main window's, which knows which section is showing).
        loaded(): a (re)load of the caseload reached the table, complete.
        rows_loaded(): the rows of the households a change named were read again and shown.
    """

    household_activated = Signal(uuid.UUID)
    new_requested = Signal()
    loaded = Signal()
    rows_loaded = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._task: Task | None = None
        self._rows_task: Task | None = None  # rows of a few households, read again
        self._rows_ids: set[uuid.UUID] = set()
        self._pending = ""  # what a background load is still bringing, shown beside the count
        self.search_box = QLineEdit(self)
        self.search_box.setObjectName("householdSearch")
        self.search_box.setPlaceholderText(
            self.tr("氏名・フリガナ・世帯番号・電話番号で検索（ひらがな・半角も可）")
        )
        self.search_box.setClearButtonEnabled(True)
        self.count_label = QLabel(self)
        self.new_button = QPushButton(self.tr("新しい世帯(&N)"), self)
        self.new_button.clicked.connect(self.new_requested)

        self.status_filter = ChoiceCombo(EvacuationStatus, self, blank=True)
        self.status_filter.setItemText(0, self.tr("避難形態：すべて"))
        self.origin_filter = QComboBox(self)
        self.origin_filter.addItem(self.tr("避難元：すべて"), "")
        for m in municipalities.by_role("origin"):
            self.origin_filter.addItem(m.name, m.code)
        self.venue_filter = QComboBox(self)
        self.risk_filter = QCheckBox(self.tr("要注意のみ(&R)"), self)
        self.unseen_filter = QCheckBox(
            self.tr("%1日以上接触なし(&U)").replace("%1", str(NOT_SEEN_DAYS)), self
        )

        self.model = HouseholdTableModel(self)
        self.table = QTableView(self)
        self.table.setObjectName("householdTable")
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        _arrange_columns(self.table)
        self.table.activated.connect(self._on_activated)

        search_row = QHBoxLayout()
        search_label = QLabel(self.tr("検索(&F)"), self)
        search_label.setBuddy(self.search_box)
        search_row.addWidget(search_label)
        search_row.addWidget(self.search_box, 1)
        search_row.addWidget(self.count_label)
        search_row.addWidget(self.new_button)
        filter_row = QHBoxLayout()
        for widget in (self.status_filter, self.origin_filter, self.venue_filter):
            # narrow enough for a 1024 px window, as wide as the row allows; the list is whole
            widget.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            widget.setMinimumContentsLength(FILTER_CHARACTERS)
            filter_row.addWidget(widget, 1)
        filter_row.addWidget(self.risk_filter)
        filter_row.addWidget(self.unseen_filter)
        layout = QVBoxLayout(self)
        layout.addLayout(search_row)
        layout.addLayout(filter_row)
        layout.addWidget(self.table, 1)

        self.search_box.textChanged.connect(self._apply_filter)
        self.search_box.returnPressed.connect(self._open_from_search)
        self.search_box.installEventFilter(self)
        for combo in (self.status_filter, self.origin_filter, self.venue_filter):
            combo.currentIndexChanged.connect(self._apply_filter)
        self.risk_filter.toggled.connect(self._apply_filter)
        self.unseen_filter.toggled.connect(self._apply_filter)
        # no refresh(): the window does not reload it on showing, so it catches up itself
        RefreshWhenShown(
            self,
            ctx.bus,
            self.op_executed,
            (Kind.HOUSEHOLD, Kind.VENUE, Kind.ASSIGNMENT, Kind.ACTIVITY),
            catch_up=True,
        )

    # --- loading -------------------------------------------------------------------------------
    def op_executed(self, changes: Changes | None) -> None:
        """Read again what changed: the rows of the households named (a meal, a saved
        household), or every household when none are named (an import, a sync merge)."""
        named = None if changes is None else changes.few_households()
        if named is None or self._task is not None:
            self.reload()  # a load under way may have read before the change: it starts again
        elif named:
            self._reload_rows(named)

    def _reload_rows(self, ids: Collection[uuid.UUID]) -> None:
        if self._rows_task is not None:  # its rows come along with these
            self._rows_task.cancel()
            ids = self._rows_ids | set(ids)
        self._rows_ids = set(ids)
        db, wanted = self.ctx.db, frozenset(ids)
        self._rows_task = run_in_background(  # bound methods: none arrives once it is gone
            lambda: (load_caseload(db, households=wanted), wanted),
            self._on_rows_loaded,
            self._on_failed,
        )

    def _on_rows_loaded(self, result: tuple[list[CaseRow], frozenset[uuid.UUID]]) -> None:
        rows, ids = result
        self._rows_task, self._rows_ids = None, set()
        self.model.replace_rows(rows, ids)
        self._show_count()
        self.rows_loaded.emit()

    def reload(self) -> None:
        """Load the caseload in the background; the table keeps showing the old rows meanwhile."""
        self._pending = ""  # replaces any staged load still running
        self._load_in_background()

    def reload_now(self) -> None:
        """Load on the calling thread (start-up, tests). A large caseload shows its first page
        at once; the background then brings every household with its last contact and risk
        (read from the stored activity facts), so the window never waits for them. One stage:
        a first stage without the activity columns made every household searchable a little
        sooner but read every household twice, the columns complete seconds later."""
        db = self.ctx.db
        if household_count(db) < SHOW_FIRST_FROM:
            self._on_loaded((load_caseload(db), self.ctx.venues.list()))
            return
        first = load_caseload(db, with_facts=False, first=FIRST_PAGE)
        # the venue filter's choices (1,500 venues at prefecture scale) come with the rest
        self._on_loaded((first, []), pending=self.tr("全件を読み込み中…"))
        self._load_in_background()

    def _load_in_background(self) -> None:
        """Every household with its activity columns, and the venue filter's choices."""
        for task in (self._task, self._rows_task):  # the whole caseload has their rows too
            if task is not None:
                task.cancel()
        self._rows_task, self._rows_ids = None, set()
        db, venues = self.ctx.db, self.ctx.venues
        if not self._pending:  # a first page already says what is coming
            self.count_label.setText(self.tr("読み込み中…"))
        self._task = run_in_background(  # bound methods: none arrives once it is gone
            lambda: (load_caseload(db), venues.list()), self._on_loaded, self._on_failed
        )

    def _on_loaded(self, result: tuple[list[CaseRow], list | None], pending: str = "") -> None:  # type: ignore[type-arg]
        """Show the rows; ``pending`` says what is still being loaded (shown beside the count);
        venues None keeps the venue filter's choices."""
        rows, venues = result
        self._task = None
        self._pending = pending
        self.model.set_rows(rows)
        # Tens of thousands of rows stay alive for the session: moved out of the collector's
        # generations, a full collection no longer walks them (pauses of 200–500 ms while
        # typing at 50,000 households). Reference counting still frees them when replaced.
        gc.freeze()
        if venues is not None:
            self._set_venue_choices(venues)
        self._apply_filter()
        if not pending:
            self.loaded.emit()

    def _set_venue_choices(self, venues: list) -> None:  # type: ignore[type-arg]
        current = self.venue_filter.currentData()
        self.venue_filter.blockSignals(True)
        self.venue_filter.clear()
        self.venue_filter.addItem(self.tr("会場：すべて"), None)
        for venue in venues:
            self.venue_filter.addItem(venue.name, venue.id)
        self.venue_filter.setCurrentIndex(max(self.venue_filter.findData(current), 0))
        self.venue_filter.blockSignals(False)

    def _on_failed(self, exc: EvacError) -> None:
        self._task = None
        self.count_label.setText("")
        self.ctx.prompter.error(self, error_text(exc, self.ctx.db))

    # --- filtering -----------------------------------------------------------------------------
    def _apply_filter(self) -> None:
        self.model.set_filter(
            text=self.search_box.text(),
            status=self.status_filter.code(),
            origin=self.origin_filter.currentData() or "",
            venue_id=self.venue_filter.currentData(),
            at_risk=self.risk_filter.isChecked(),
            not_seen_days=NOT_SEEN_DAYS if self.unseen_filter.isChecked() else None,
            today=date.today(),
        )
        self._show_count()

    def _show_count(self) -> None:
        count = (
            self.tr("%1 / %2 世帯")
            .replace("%1", str(self.model.rowCount()))
            .replace("%2", str(self.model.total()))
        )
        self.count_label.setText(f"{count}　{self._pending}" if self._pending else count)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Up/Down (and PageUp/PageDown) in the search box move in the list."""
        if (
            watched is self.search_box
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() == Qt.KeyboardModifier.NoModifier
            and event.key() in SEARCH_MOVES
        ):
            self._move_selection(SEARCH_MOVES[Qt.Key(event.key())])
            return True
        return super().eventFilter(watched, event)

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def _move_selection(self, step: int) -> None:
        count = self.model.rowCount()
        if not count:
            return
        current = self._selected_row()
        row = 0 if current < 0 else max(0, min(count - 1, current + step))
        index = self.model.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.table.scrollTo(index)

    def _open_from_search(self) -> None:
        """Enter in the search box: open the selected household, else the first one listed."""
        if not self.model.rowCount():
            return
        row = max(self._selected_row(), 0)
        self.table.selectRow(row)
        self.household_activated.emit(self.model.row_at(row).id)

    def _on_activated(self, index: QModelIndex) -> None:
        self.household_activated.emit(self.model.row_at(index.row()).id)
