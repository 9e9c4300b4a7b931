"""The venue session screen: log meals at the counter as fast as people arrive.

One input takes a typed case number or a QR scan (a USB scanner types it and presses Enter);
each Enter saves at once and shows who it was, with allergens large. Ctrl+Z undoes the last
entry. A past date turns the same screen into the paper-roster fallback.
"""

from __future__ import annotations

import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.codes import MealType
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import EvacError
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.meals import (
    AmbiguousCase,
    LoggedMeal,
    MealEntry,
    MealRefused,
    MealService,
    MealWarning,
)
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.operations import writer_pool
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.tasks import Task, run_in_background
from evacsupport.ui.views.counter.card_panel import CardPanel
from evacsupport.ui.views.counter.roster import RosterModel
from evacsupport.ui.views.counter.rules_dialog import MealRulesDialog
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.fields import ChoiceCombo, DateField

T = TypeVar("T")
LISTS_AFTER_MS = 500
"""After a meal, the session's log and the roster are read again once no other meal came
for this long."""


class CounterView(QWidget):
    """Attributes for tests: ``venue``, ``day``, ``meal_type``, ``staff``, ``scan``, ``card``,
    ``override_note``, ``log_model``, ``roster_model``, ``guests_adults``, ``guests_children``,
    ``last`` (the last LoggedMeal or None).

    Signals:
        lists_loaded(): the session's log and the roster (read in the background) are shown.
        settled(): every entry made here is saved (on the writer thread) and its answer shown.
    """

    lists_loaded = Signal()
    settled = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.meals = MealService(ctx.db)
        self.last: LoggedMeal | None = None
        self._pending: MealEntry | None = None
        self._lists_task: Task | None = None
        self._in_flight = 0  # writes sent to the writer, not answered yet
        self._answers: deque[tuple[Callable[[Any], None], Any]] = deque()
        self._asking = False
        self._undo_wanted = False
        self._lists_timer = QTimer(self)
        self._lists_timer.setSingleShot(True)
        self._lists_timer.setInterval(LISTS_AFTER_MS)
        self._lists_timer.timeout.connect(self.refresh_lists)

        self.venue = QComboBox(self)
        self.venue.setMinimumContentsLength(14)
        self.venue.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.day = DateField(self)
        self.day.set_date(date.today())
        self.meal_type = ChoiceCombo(MealType, self)
        self.staff = QLineEdit(ctx.settings.staff_name, self)
        self.staff.setPlaceholderText(self.tr("担当者名"))
        self.past_banner = QLabel(self.tr("過去の日付：紙の名簿からの入力です"), self)
        self.past_banner.setStyleSheet("background: #fff3cd; padding: 4px; font-weight: bold;")
        self.past_banner.hide()

        self.scan = QLineEdit(self)
        self.scan.setObjectName("counterScan")
        self.scan.setPlaceholderText(self.tr("世帯番号 → Enter"))
        self.scan.setStyleSheet("font-size: 20pt; padding: 6px;")
        self.card = CardPanel(self)
        self.override_note = QLineEdit(self)
        self.override_note.setPlaceholderText(
            self.tr("ルールの例外として記録する理由を書いて Enter（Escで取りやめ）")
        )
        self.override_note.hide()
        self.undo_button = QPushButton(self.tr("直前の記録を取り消す (Ctrl+Z)"), self)
        self.undo_button.setEnabled(False)

        self.guests_adults = QSpinBox(self)
        self.guests_children = QSpinBox(self)
        for spin in (self.guests_adults, self.guests_children):
            spin.setRange(0, 300)
        self.guests_button = QPushButton(self.tr("登録外の人数を記録(&G)"), self)
        self.rules_button = QPushButton(self.tr("この会場のルール(&U)…"), self)
        self.rules_button.clicked.connect(self.edit_rules)

        self.log_model: RecordTableModel[LoggedMeal] = RecordTableModel(
            [
                Column(
                    self.tr("時刻"),
                    lambda m: m.served_at.astimezone().strftime("%H:%M") if m.served_at else "",
                ),
                Column(self.tr("世帯・種別"), lambda m: m.label),
                Column(self.tr("大人"), lambda m: m.adults, numeric=True),
                Column(self.tr("子ども"), lambda m: m.children, numeric=True),
                Column(self.tr("例外の理由"), lambda m: m.override_note),
            ],
            self,
        )
        self.total = QLabel(self)
        self.total.setStyleSheet("font-size: 12pt; font-weight: bold;")
        self.roster_model = RosterModel(self)
        self.roster_model.tick.connect(self._roster_ticked)

        # Two lines, so a 1024 px window shows every field whole (the date read back is long).
        top = QHBoxLayout()
        fields: list[tuple[str, QWidget]] = [
            (self.tr("会場"), self.venue),
            (self.tr("日付"), self.day),
        ]
        for text, widget in fields:
            top.addWidget(QLabel(text, self))
            top.addWidget(widget)
        top.addWidget(self.day.hint)
        top.addStretch(1)
        top.addWidget(self.rules_button)
        second = QHBoxLayout()
        fields = [(self.tr("種別"), self.meal_type), (self.tr("担当"), self.staff)]
        for text, widget in fields:
            second.addWidget(QLabel(text, self))
            second.addWidget(widget)
        second.addStretch(1)
        guests = QHBoxLayout()
        guests.addWidget(QLabel(self.tr("登録外：大人"), self))
        guests.addWidget(self.guests_adults)
        guests.addWidget(QLabel(self.tr("子ども"), self))
        guests.addWidget(self.guests_children)
        guests.addWidget(self.guests_button)
        guests.addStretch(1)
        undo_row = QHBoxLayout()
        undo_row.addStretch(1)
        undo_row.addWidget(self.undo_button)

        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        hint = QLabel(self.tr("世帯番号を入力、または世帯カードのQRを読み取り → Enter"), left)
        hint.setStyleSheet("color: #444;")
        left_layout.addWidget(hint)
        left_layout.addWidget(self.scan)
        left_layout.addWidget(self.override_note)
        left_layout.addWidget(self.card, 1)
        left_layout.addLayout(guests)
        left_layout.addLayout(undo_row)
        tabs = QTabWidget(self)
        tabs.setUsesScrollButtons(False)  # both tab names whole: the splitter keeps the room
        log_box = QWidget(tabs)
        log_layout = QVBoxLayout(log_box)
        log_layout.addWidget(self.total)
        log_layout.addWidget(make_table(self.log_model, log_box))
        tabs.addTab(log_box, self.tr("この回の記録"))
        self.roster_table = make_table(self.roster_model, tabs)  # type: ignore[arg-type]
        tabs.addTab(self.roster_table, self.tr("名簿（来た人にチェック）"))
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(tabs)
        splitter.setSizes([620, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(second)
        layout.addWidget(self.past_banner)
        layout.addWidget(splitter, 1)

        undo = QAction(self)
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        undo.triggered.connect(self.undo_last)
        self.addAction(undo)
        self.scan.installEventFilter(self)  # Ctrl+Z in the scan box undoes the last meal
        self.scan.returnPressed.connect(self.submit)
        self.override_note.returnPressed.connect(self._override)
        self.undo_button.clicked.connect(self.undo_last)
        self.guests_button.clicked.connect(self.log_guests)
        self.card.members_changed.connect(self._members_changed)
        self.venue.currentIndexChanged.connect(self._venue_chosen)
        self.day.textChanged.connect(self._day_changed)
        RefreshWhenShown(
            self,
            ctx.bus,
            self.op_executed,
            (Kind.VENUE, Kind.HOUSEHOLD, Kind.ASSIGNMENT),  # the venues, the roster
            own=self,
        )

    # --- set-up ------------------------------------------------------------------------------
    def op_executed(self, changes: Changes | None) -> None:
        """A venue changed: the venue list too; else the session's lists (in the background)."""
        if changes is None or Kind.VENUE in changes.kinds:
            self.refresh()
        else:
            self.refresh_lists()

    def refresh(self) -> None:
        """Reload the venue list (keeping the choice) and the session's lists."""
        current = self.venue.currentData() or self.ctx.settings.venue_id or None
        self.venue.blockSignals(True)
        self.venue.clear()
        for venue in self.ctx.venues.list(include_inactive=False):
            self.venue.addItem(venue.name, str(venue.id))
        index = self.venue.findData(str(current)) if current else -1
        self.venue.setCurrentIndex(max(index, 0))
        self.venue.blockSignals(False)
        self.refresh_lists()
        self.scan.setFocus()

    def venue_id(self) -> uuid.UUID | None:
        data = self.venue.currentData()
        return uuid.UUID(data) if data else None

    def served_on(self) -> date:
        try:
            return parse_date(self.day.text()) or date.today()
        except EvacError:
            return date.today()

    def edit_rules(self) -> MealRulesDialog | None:
        venue_id = self.venue_id()
        if venue_id is None:
            return None
        dialog = MealRulesDialog(self.ctx, venue_id, self.venue.currentText(), self)
        dialog.show()
        return dialog

    def _venue_chosen(self) -> None:
        """This laptop's venue is remembered, so the counter opens on it next time."""
        data = self.venue.currentData()
        if data and data != self.ctx.settings.venue_id:
            self.ctx.settings.venue_id = data
            self.ctx.settings.save()
        self.refresh_lists()

    def refresh_lists(self) -> None:
        """Read this session's log and the venue's roster on a worker: after each meal the
        next person's number can be typed at once (read on the UI thread, the two lists held
        the counter for a tenth of a second and more at 5,000 households)."""
        self._lists_timer.stop()
        if self._lists_task is not None:
            self._lists_task.cancel()
            self._lists_task = None
        venue_id = self.venue_id()
        if venue_id is None:
            self._show_lists(([], []))
            return
        day, meals = self.served_on(), self.meals
        self._lists_task = run_in_background(
            lambda: (meals.session_log(venue_id, day), meals.roster(venue_id, day)),
            self._show_lists,
            self._lists_failed,
        )

    def _show_lists(self, lists: tuple[list[Any], list[Any]]) -> None:
        self._lists_task = None
        entries, roster = lists
        self.log_model.set_rows(entries)
        self._show_total(entries)
        self.roster_model.set_rows(roster)
        self.lists_loaded.emit()

    def _show_total(self, entries: list[LoggedMeal]) -> None:
        people = sum(m.adults + m.children for m in entries)
        self.total.setText(
            self.tr("%1 件・%2 人").replace("%1", str(len(entries))).replace("%2", str(people))
        )

    def _lists_failed(self, exc: EvacError) -> None:
        self._lists_task = None
        self.card.show_message(error_text(exc, self.ctx.db), error=True)

    def _day_changed(self) -> None:
        self.past_banner.setVisible(self.served_on() < date.today())
        self.refresh_lists()

    # --- logging -------------------------------------------------------------------------------
    def _entry(self, code: str) -> MealEntry | None:
        venue_id = self.venue_id()
        if venue_id is None:
            self.card.show_message(self.tr("会場を選んでください"), error=True)
            return None
        return MealEntry(
            venue_id=venue_id,
            code=code,
            served_on=self.day.text(),
            meal_type=self.meal_type.code(),
            staff=self.staff.text(),
        )

    def submit(self) -> None:
        """Enter in the scan box: the entry goes to the writer and the box is empty at once,
        ready for the next person's number while this one is saved."""
        code = self.scan.text().strip()
        if not code:
            return
        entry = self._entry(code)
        if entry is not None:
            self.scan.clear()
            self._log(entry)

    def idle(self) -> bool:
        """Every entry made here is saved and its answer shown."""
        return self._in_flight == 0 and not self._answers and not self._asking

    def _write(
        self,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[EvacError], None] | None = None,
    ) -> None:
        """Run one of the counter's writes on the writer thread (in the order they were made)
        and handle its answer in that order too, one at a time: a question to the staff
        (a second meal? which household?) holds the answers after it until it is answered."""
        self._in_flight += 1

        def arrived(handler: Callable[[Any], None], value: Any) -> None:
            if not shiboken6.isValid(self):  # the window closed while it was saved
                return
            self._in_flight -= 1
            self._answers.append((handler, value))
            self._drain()

        run_in_background(
            work,
            lambda result: arrived(on_done, result),
            lambda exc: arrived(on_error or self._show_error, exc),
            pool=writer_pool(),
        )

    def _drain(self) -> None:
        while self._answers and not self._asking:
            handler, value = self._answers.popleft()
            handler(value)
        if self.idle():
            if self._undo_wanted:
                self._undo_wanted = False
                self.undo_last()
            else:
                self.settled.emit()

    def _ask(self, question: Callable[[], T]) -> T:
        """A question to the staff; answers arriving meanwhile wait until it is answered."""
        self._asking = True
        try:
            return question()
        finally:
            self._asking = False

    def _log(self, entry: MealEntry, *, confirm: bool = False, override: str = "") -> None:
        meals = self.meals
        self._write(
            lambda: meals.log(entry, confirm_duplicate=confirm, override_note=override),
            self._saved,
            lambda exc: self._not_logged(entry, exc, confirm=confirm, override=override),
        )

    def _not_logged(
        self, entry: MealEntry, exc: EvacError, *, confirm: bool, override: str
    ) -> None:
        if isinstance(exc, MealWarning):
            title = self.tr("同じ世帯の2回目です")
            if self._ask(lambda: self.ctx.prompter.confirm(self, title, exc.message())):
                self._log(entry, confirm=True, override=override)
            else:
                self._refused(entry, exc.message())
        elif isinstance(exc, AmbiguousCase):
            chosen = self._ask(lambda: self._which(exc))
            if chosen is None:
                self._refused(entry, exc.message())
            else:
                self._log(replace(entry, code=chosen), confirm=confirm, override=override)
        elif isinstance(exc, MealRefused):
            self._pending = entry
            self._refused(entry, exc.message())
            self.override_note.show()
            self.override_note.setFocus()
        else:
            self._refused(entry, exc.message())

    def _which(self, ambiguous: AmbiguousCase) -> str | None:
        """A short number several households share: the staff pick one by name (the list holds
        only what this user may see), or cancel; the case number chosen, or None."""
        options = [f"{c.case_number}　{c.head_name}（{c.head_kana}）" for c in ambiguous.candidates]
        index = self.ctx.prompter.choose(
            self, self.tr("どの世帯ですか？"), ambiguous.message(), options
        )
        return None if index is None else ambiguous.candidates[index].case_number

    def _refused(self, entry: MealEntry, text: str) -> None:
        """The number comes back into the empty scan box, selected, so typing again replaces
        it; a number typed meanwhile is left alone (the message names the refused one)."""
        self.card.clear()
        self.card.show_message(text, error=True)
        self.scan.setFocus()
        if not self.scan.text():
            self.scan.setText(entry.code)
            self.scan.selectAll()

    def _show_error(self, error: EvacError) -> None:
        self.card.show_message(error.message(), error=True)

    def _saved(self, meal: LoggedMeal) -> None:
        self.last = meal
        self._pending = None
        self.override_note.clear()
        self.override_note.hide()
        self.card.show_message(
            self.tr("記録しました：%1").replace("%1", meal.label)
            + (
                self.tr("（例外：%1）").replace("%1", meal.override_note)
                if meal.override_note
                else ""
            )
        )
        if meal.household is not None:
            self.card.show_card(meal.household, meal)
        self.undo_button.setEnabled(True)
        self.scan.setFocus()
        self._show_logged(meal)
        self.ctx.bus.announce(meal.changes, self)

    def _show_logged(self, meal: LoggedMeal) -> None:
        """The meal joins this session's log and ticks its household on the roster at once;
        both are read again once the queue pauses (``LISTS_AFTER_MS``), not after every
        meal: reading them while the next meals are saved slowed the window down."""
        if self._lists_task is not None:  # read before this meal: the next read has it
            self._lists_task.cancel()
            self._lists_task = None
        if meal.venue_id == self.venue_id() and meal.served_on == self.served_on():
            entries = [meal, *self.log_model.rows()]
            self.log_model.set_rows(entries)
            self._show_total(entries)
            if meal.household is not None:
                self.roster_model.mark_served(meal.household.id)
        self.refresh_lists_soon()

    def refresh_lists_soon(self) -> None:
        self._lists_timer.start()

    def _override(self) -> None:
        if self._pending is None or not self.override_note.text().strip():
            return
        self._log(self._pending, confirm=True, override=self.override_note.text())

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """The scan box is emptied after every entry, so its own text undo is of no use there:
        Ctrl+Z takes back the last meal instead."""
        if (
            watched is self.scan
            and event.type() in (QEvent.Type.ShortcutOverride, QEvent.Type.KeyPress)
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Undo)
        ):
            if event.type() == QEvent.Type.KeyPress:
                self.undo_last()
            event.accept()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: object) -> None:
        if isinstance(event, QKeyEvent) and event.key() == Qt.Key.Key_Escape and self._pending:
            self._pending = None
            self.override_note.clear()
            self.override_note.hide()
            self.scan.setFocus()
            self.scan.selectAll()
            return
        super().keyPressEvent(event)  # type: ignore[arg-type]

    def _members_changed(self, member_ids: list[uuid.UUID]) -> None:
        if self.last is None or self.last.household is None:
            return
        meals, meal_id = self.meals, self.last.id

        def changed(meal: LoggedMeal) -> None:
            if self.last is not None and self.last.id == meal.id:
                self.last = meal
                self.card.show_counts(meal)
            self.refresh_lists()
            self.ctx.bus.announce(meal.changes, self)

        self._write(lambda: meals.set_members(meal_id, member_ids), changed)

    def undo_last(self) -> None:
        """Ctrl+Z: the last meal saved here is taken back; with entries still being saved,
        once they are (the last one is then the one to take back)."""
        if not self.idle():
            self._undo_wanted = True
            return
        if self.last is None:
            return
        meals, last = self.meals, self.last
        self.last = None
        self.undo_button.setEnabled(False)

        def undone(changes: Changes) -> None:
            self.card.clear()
            self.card.show_message(self.tr("取り消しました：%1").replace("%1", last.label))
            self.refresh_lists()
            self.ctx.bus.announce(changes, self)

        self._write(lambda: meals.undo(last.id), undone)
        self.scan.setFocus()

    def log_guests(self) -> None:
        venue_id = self.venue_id()
        if venue_id is None:
            return
        meals = self.meals
        adults, children = self.guests_adults.value(), self.guests_children.value()
        served_on, meal_type, staff = self.day.text(), self.meal_type.code(), self.staff.text()

        def logged(meal: LoggedMeal) -> None:
            self.guests_adults.setValue(0)
            self.guests_children.setValue(0)
            self.card.clear()
            self._saved(meal)

        self._write(
            lambda: meals.log_guests(
                venue_id,
                adults=adults,
                children=children,
                served_on=served_on,
                meal_type=meal_type,
                staff=staff,
            ),
            logged,
        )

    def _roster_ticked(self, case_number: str, ticked: bool) -> None:
        if ticked:
            entry = self._entry(case_number)
            if entry is not None:
                self._log(entry)
            return
        venue_id = self.venue_id()
        if venue_id is None:
            return
        meals, day = self.meals, self.served_on()

        def untick() -> Changes:
            changes = Changes.of(Kind.ACTIVITY, households=[], venues=[venue_id])
            for meal in meals.session_log(venue_id, day):
                if meal.household is not None and meal.household.case_number == case_number:
                    changes = changes | meals.undo(meal.id)
            return changes

        def unticked(changes: Changes) -> None:
            self.refresh_lists()
            self.ctx.bus.announce(changes, self)

        self._write(untick, unticked)
