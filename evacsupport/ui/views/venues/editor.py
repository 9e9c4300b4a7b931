"""The venue editor: register a new venue or edit one, with every problem shown at its field.

Saving goes through :class:`VenueService`, which validates the whole form at once; its field
errors come back here and sit under their fields, so nothing half-valid reaches the database.
Leaving with unsaved changes (Esc, キャンセル, closing the window) asks first, through the
context's prompter so tests answer without a modal loop.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evacsupport.db.models import Venue
from evacsupport.errors import EvacError, FieldError, ValidationError
from evacsupport.i18n import CATALOG, message
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.venues import VenueInput
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.operations import write_now
from evacsupport.ui.prompts import Discard
from evacsupport.ui.views.venues.form import VenueForm
from evacsupport.ui.widgets.fields import FieldMessage, reveal_messages, set_tab_order
from evacsupport.ui.widgets.screen_fit import fit_to_screen


class VenueEditor(QDialog):
    """A dialog over one venue; ``venue_id`` None registers a new one.

    Attributes:
        form: the :class:`VenueForm` with the inputs and their messages.
        general_message: red label at the top for the error count and field-less errors.
        save_button, cancel_button: the dialog's buttons (保存(&S) also on Ctrl+S).
        venue: the venue as loaded or last saved; None until a new venue is saved.
    """

    def __init__(
        self, ctx: AppContext, venue_id: uuid.UUID | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        # Raises NotFound before any widget exists if the venue was deleted meanwhile.
        self.venue: Venue | None = ctx.venues.get(venue_id) if venue_id is not None else None
        self.general_message = FieldMessage(self, wrap=True, reserve=True)  # above the form
        self.form = VenueForm(self)
        scroll = QScrollArea(self)
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._scroll = scroll

        self.save_button = QPushButton(self.tr("保存(&S)"), self)
        self.save_button.setToolTip(self.tr("保存（Ctrl+S）"))
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("キャンセル"), self)
        self.cancel_button.setToolTip(self.tr("閉じる（Esc）"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        save_action = QAction(self.tr("保存"), self)
        save_action.setShortcut(QKeySequence.StandardKey.Save)
        save_action.triggered.connect(self.save)
        self.addAction(save_action)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.general_message)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        set_tab_order([*self.form.focus_chain(), self.save_button, self.cancel_button])

        if self.venue is not None:
            self.form.fill(self.venue)
            self.setWindowTitle(self.tr("会場の編集：%1").replace("%1", self.venue.name))
        else:
            self.setWindowTitle(self.tr("会場の登録"))
        self._loaded = self._input()
        fit_to_screen(self)
        self.form.name.setFocus()

    def is_dirty(self) -> bool:
        """Whether anything differs from what was loaded (or last saved)."""
        return self._input() != self._loaded

    def save(self) -> bool:
        """Validate and store; on success announce the change and close. Returns success."""
        reveal_messages(self)
        data = self._input()
        try:
            venues, venue = self._ctx.venues, self.venue
            if venue is None:
                saved = write_now(lambda: venues.create(data), self, where="venue save")
            else:
                saved = write_now(
                    lambda: venues.update(venue.id, data, expected_version=venue.version),
                    self,
                    where="venue save",
                )
        except ValidationError as exc:
            self._show_errors(exc.errors)
            return False
        except EvacError as exc:
            self._ctx.prompter.error(self, exc.message())
            return False
        except Exception as exc:  # a bug: the form stays as typed, the details go to the log
            self._ctx.prompter.error(self, error_text(exc, self._ctx.db, where="venue save"))
            return False
        self.venue = saved
        self.form.clear_messages()
        self.general_message.show_message("")
        self._loaded = self._input()
        self._ctx.bus.announce(Changes.of(Kind.VENUE, venues=[saved.id]), self)
        self.accept()
        return True

    def reject(self) -> None:
        """Esc, キャンセル and closing the window all come here (QDialog.closeEvent calls it)."""
        if self.is_dirty():
            answer = self._ctx.prompter.ask_unsaved(self)
            if answer is Discard.CANCEL:
                return
            if answer is Discard.SAVE:
                self.save()  # closes only if it worked; a refused save leaves the messages up
                return
        super().reject()

    def _input(self) -> VenueInput:
        return self.form.values(self._municipality_code())

    def _municipality_code(self) -> str:
        """Keep the stored municipality while the address is unchanged; else let the service
        read it from the new address (the form has no field for it)."""
        if self.venue is None or self.form.address.text() != self.venue.address:
            return ""
        return self.venue.municipality_code

    def _show_errors(self, errors: list[FieldError]) -> None:
        first, unplaced = self.form.show_errors(errors)
        lines = [message("validation.failed", count=len(errors))]
        for error in unplaced:
            key = "field." + error.field.split(".")[-1]
            prefix = f"{message(key)}: " if key in CATALOG else ""
            lines.append(prefix + error.message())
        self.general_message.show_message("\n".join(lines))
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self._scroll.ensureWidgetVisible(first)
