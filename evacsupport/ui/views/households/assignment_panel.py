"""The household editor's 会場の利用 tab: where the family goes now, where it could go, and before.

Referring a family to a venue (or ending a referral) is written at once, apart from the editor's
Save: it is a decision taken with the family on the phone, not a correction of their record, so
it must neither wait for nor mark the rest of the form. One household's suggestions take a few
milliseconds (tens of venues), so they load on the UI thread.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.codes import AssignmentStatus
from evacsupport.errors import EvacError, ValidationError
from evacsupport.services.activity import ActivityService, AssignmentEntry
from evacsupport.services.assignment import AssignmentService, Suggestion, SuggestionResult
from evacsupport.services.casefile import CaseChanges
from evacsupport.services.changes import Changes, Kind
from evacsupport.ui.context import AppContext
from evacsupport.ui.models.assignment import SuggestionTableModel, join_reasons
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.operations import write_now
from evacsupport.ui.refresh import RefreshWhenShown
from evacsupport.ui.views.households.end_form import REASON_MAX, EndAssignmentForm
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.fields import ERROR_STYLE

HEADING_STYLE = "font-weight: bold; font-size: 12pt;"


class AssignmentPanel(QWidget):
    """Current venue with 利用を終了, ranked suggestions with 紹介する, and the history.

    Attributes:
        current_label: the venue in use (or 未割り当て); end_button opens end_form (an
            :class:`EndAssignmentForm`: end_date, end_reason, end_confirm, end_cancel,
            end_message).
        problem_label: why suggestions cannot be trusted (no coordinates, no consent), in red.
        suggestions_model / suggestions_table: ranked venues first, excluded ones greyed after.
        detail_label: the selected venue's reasons in full (the table's cell may be cut short).
        assign_button: refers the household to the selected venue at once (also Enter or a
            double-click on a row).
        history_model / history_table: every assignment, newest first.
        result: the last :class:`SuggestionResult`.

    Signals:
        assignment_changed(): an assignment was written from this panel.
    """

    assignment_changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        household_id: uuid.UUID | None,
        parent: QWidget | None = None,
        *,
        unsaved: Callable[[], CaseChanges] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household_id = household_id
        # The editor's form as it stands: suggestions follow what is typed, saved or not.
        self.unsaved = unsaved
        self.service = AssignmentService(ctx.db)
        self.result: SuggestionResult | None = None

        self.current_label = QLabel(self)
        self.current_label.setWordWrap(True)
        self.end_button = QPushButton(self.tr("利用を終了(&E)"), self)
        self.end_button.setAutoDefault(False)
        self.end_button.clicked.connect(self.start_ending)
        self.end_form = EndAssignmentForm(self)
        self.end_form.confirmed.connect(self.confirm_end)
        self.end_form.cancelled.connect(self.cancel_ending)
        form = self.end_form  # its fields, under the names tests and callers use
        self.end_date, self.end_reason, self.end_message = form.date, form.reason, form.message
        self.end_confirm, self.end_cancel = form.confirm, form.cancel

        self.problem_label = QLabel(self)
        self.problem_label.setWordWrap(True)
        self.problem_label.setStyleSheet(ERROR_STYLE)
        self.problem_label.hide()
        self.suggestions_model = SuggestionTableModel(self)
        self.suggestions_table = make_table(self.suggestions_model, self)
        self.suggestions_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.suggestions_table.setTabKeyNavigation(False)
        # doubleClicked, not activated: styles that activate on a single click must not refer a
        # family by a stray click. Enter is handled in eventFilter.
        self.suggestions_table.doubleClicked.connect(self._on_activated)
        self.suggestions_table.installEventFilter(self)
        self.suggestions_table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.detail_label = QLabel(self)
        self.detail_label.setWordWrap(True)
        self.detail_label.setMinimumHeight(self.detail_label.fontMetrics().lineSpacing() * 2)
        self.assign_button = QPushButton(self.tr("この会場に紹介する(&R)"), self)
        self.assign_button.setAutoDefault(False)
        self.assign_button.setToolTip(
            self.tr(
                "選んだ会場への紹介をすぐに登録します。世帯の「保存」とは別の操作で、"
                "利用中の会場があればその利用は今日で終わります。"
            )
        )
        self.assign_button.clicked.connect(self.assign_selected)

        self.history_model: RecordTableModel[AssignmentEntry] = RecordTableModel(
            [
                Column(self.tr("会場"), lambda a: a.venue),
                Column(self.tr("開始日"), lambda a: a.start_on),
                Column(self.tr("終了日"), lambda a: a.end_on),
                Column(self.tr("理由"), lambda a: a.reason),
            ],
            self,
        )
        self.history_table = make_table(self.history_model, self)
        self.history_table.setTabKeyNavigation(False)
        self._lay_out()
        # Ranked when first shown (opening a household never waits for it); again when another
        # window assigns this household or changes a venue, now if shown, else when next shown.
        self.watch = RefreshWhenShown(
            self, ctx.bus, lambda _changes: self.refresh(),
            (Kind.HOUSEHOLD, Kind.VENUE, Kind.ASSIGNMENT),
            wants=lambda changes: changes.concerns_household(self.household_id)
            or Kind.VENUE in changes.kinds,
            own=self, catch_up=True, stale=True,
        )  # fmt: skip

    def _lay_out(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self._heading(self.tr("現在の会場")))
        current = QHBoxLayout()
        current.addWidget(self.current_label, 1)
        current.addWidget(self.end_button)
        layout.addLayout(current)
        layout.addWidget(self.end_form)
        layout.addWidget(self._heading(self.tr("紹介先の候補（近い順）")))
        layout.addWidget(self.problem_label)
        layout.addWidget(self.suggestions_table, 5)
        layout.addWidget(self.detail_label)
        actions = QHBoxLayout()
        self.hint = QLabel(self.tr("紹介はすぐに登録されます（「保存」は不要です）"), self)
        self.hint.setStyleSheet("color: #555;")
        self.hint.setWordWrap(True)
        actions.addWidget(self.hint, 1)
        actions.addWidget(self.assign_button)
        layout.addLayout(actions)
        layout.addWidget(self._heading(self.tr("利用の履歴")))
        layout.addWidget(self.history_table, 2)
        self.history_table.setMinimumHeight(110)
        if self.household_id is None:  # a new household: nothing to refer or end yet
            self.hint.setText(
                self.tr("候補は入力中の内容から出しています。紹介は世帯を保存した後にできます")
            )

    def _heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setStyleSheet(HEADING_STYLE)
        return label

    # --- loading -------------------------------------------------------------------------------
    def form_changed(self) -> None:
        """The editor's form changed: rank again now if shown, else when next shown."""
        self.watch.changed()

    def _suggest(self) -> SuggestionResult:
        if self.unsaved is not None:
            try:
                return self.service.suggest_unsaved(self.unsaved(), self.household_id)
            except ValidationError:
                if self.household_id is None:
                    raise
        assert self.household_id is not None
        return self.service.suggest(self.household_id)

    def refresh(self) -> None:
        """Reload suggestions and history; a vanished household is said, not raised."""
        self.watch.stale = False
        try:
            result = self._suggest()
            history = (
                ActivityService(self.ctx.db).assignments(self.household_id)
                if self.household_id is not None
                else []
            )
        except ValidationError:
            self.problem_label.setText(
                self.tr("入力に誤りがあります。直すと、入力中の内容から候補を出します。")
            )
            self.problem_label.show()
            self.suggestions_model.set_rows([])
            self._update_buttons()
            return
        except EvacError as exc:
            self.problem_label.setText(exc.message())
            self.problem_label.show()
            self.suggestions_model.set_rows([])
            self._update_buttons()
            return
        self.result = result
        self.problem_label.setText(result.problem)
        self.problem_label.setVisible(bool(result.problem))
        current_id = result.household.current_venue_id
        self.suggestions_model.set_suggestions(result.suggestions, current_id)
        self.history_model.set_rows(history)
        active = next((a for a in history if a.status == AssignmentStatus.ACTIVE), None)
        if active is None:
            self.current_label.setText(self.tr("未割り当て"))
        else:
            self.current_label.setText(
                self.tr("%1（%2から利用中）")
                .replace("%1", active.venue)
                .replace("%2", active.start_on.isoformat())
            )
        if active is None:
            self.cancel_ending()
        self._update_buttons()

    def _update_buttons(self) -> None:
        has_current = self.result is not None and self.result.household.current_venue_id
        self.end_button.setEnabled(bool(has_current) and self.end_form.isHidden())
        suggestion = self.selected_suggestion()
        saved = self.household_id is not None  # a referral is of a saved household
        self.assign_button.setEnabled(saved and suggestion is not None and not suggestion.excluded)
        if not saved:
            self.assign_button.setToolTip(self.tr("世帯を保存すると、ここから紹介できます"))
        self.detail_label.setText(
            f"{suggestion.venue.name}：{self.suggestions_model.reasons_text(suggestion)}"
            if suggestion is not None
            else self.tr("会場を選ぶと、ここに理由がすべて表示されます。")
        )

    # --- referring -----------------------------------------------------------------------------
    def selected_suggestion(self) -> Suggestion | None:
        rows = self.suggestions_table.selectionModel().selectedRows()
        if not rows:
            return None
        suggestion = rows[0].data(SuggestionTableModel.ROW_ROLE)
        return suggestion if isinstance(suggestion, Suggestion) else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Enter on a suggestion refers at once, and goes no further: the editor must not see it
        (a default button there would act on the same key press)."""
        if (
            watched is self.suggestions_table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        ):
            current = self.suggestions_table.currentIndex()
            if current.isValid():
                self._on_activated(current)
            return True
        return super().eventFilter(watched, event)

    def _on_activated(self, index: QModelIndex) -> None:
        self.suggestions_table.selectRow(index.row())
        self.assign_selected()

    def assign_selected(self) -> bool:
        """Refer the household to the selected venue now; the service has the last word."""
        suggestion = self.selected_suggestion()
        if suggestion is None or self.household_id is None:
            return False
        reason = join_reasons(suggestion.reasons)
        if self.result is not None and self.result.household.current_venue_id is not None:
            reason = self.tr("「%1」へ変更：").replace("%1", suggestion.venue.name) + reason
        try:
            service, household_id, venue_id = self.service, self.household_id, suggestion.venue.id
            write_now(
                lambda: service.assign(household_id, venue_id, reason=reason[:REASON_MAX]),
                self,
                where="assignment",
            )
        except EvacError as exc:
            self.ctx.prompter.error(self, exc.message())
            return False
        self._written()
        return True

    # --- ending --------------------------------------------------------------------------------
    def start_ending(self) -> None:
        self.end_form.start(date.today())
        self.end_button.setEnabled(False)

    def cancel_ending(self) -> None:
        self.end_form.close_form()
        self._update_buttons()

    def confirm_end(self) -> bool:
        if self.household_id is None:
            return False
        try:
            service, household_id = self.service, self.household_id
            end_on, why = self.end_date.text(), self.end_reason.text()
            write_now(
                lambda: service.end(household_id, end_on=end_on, reason=why), self, where="end"
            )
        except ValidationError as exc:
            self.end_form.show_errors(exc.errors)
            return False
        except EvacError as exc:
            self.ctx.prompter.error(self, exc.message())
            return False
        self.end_form.hide()
        self._written()
        return True

    def _written(self) -> None:
        self.refresh()
        self.assignment_changed.emit()
        self.ctx.bus.announce(
            Changes.of(Kind.ASSIGNMENT, households=[self.household_id]), self
        )  # this panel is fresh already
