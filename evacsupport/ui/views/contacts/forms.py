"""Shared shape of the small record forms (visit, check-in): fields with their messages under
them, Ctrl+S to save, Esc to cancel, and a question before throwing away what was typed."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from evacsupport.errors import EvacError, ValidationError
from evacsupport.ui.context import AppContext
from evacsupport.ui.prompts import Discard
from evacsupport.ui.widgets.fields import (
    FieldMessage,
    align_captions,
    messages_under,
    reveal_messages,
)


class RecordDialog(QDialog):
    """Subclasses add rows with :meth:`add_row`, and implement ``snapshot`` and ``submit``."""

    def __init__(self, ctx: AppContext, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(title)
        self.messages: dict[str, FieldMessage] = {}
        self.form = QFormLayout()
        self.general = FieldMessage(self, wrap=True)
        self.save_button = QPushButton(self.tr("保存(&S)"), self)
        self.save_button.setAutoDefault(False)
        self.cancel_button = QPushButton(self.tr("キャンセル"), self)
        self.cancel_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        body = QWidget(self)
        body_layout = QVBoxLayout(body)
        body_layout.addLayout(self.form)
        body_layout.addStretch(1)
        scroll = QScrollArea(self)  # long forms (the check-in) still fit a small laptop screen
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(body)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(buttons)
        save = QAction(self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(self.save)
        self.addAction(save)
        self._pristine: object = None
        self._closing = False
        self._first_field: QWidget | None = None

    def add_row(
        self, title: str, field: QWidget | QLayout, names: tuple[str, ...], buddy: QWidget | None
    ) -> None:
        for name in names:
            self.messages[name] = FieldMessage(self)
        box = messages_under(field, [self.messages[name] for name in names])
        caption = QLabel(title, self)
        if buddy is not None:
            caption.setBuddy(buddy)
            self._first_field = self._first_field or buddy
        self.form.addRow(caption, box)
        align_captions(self.form)

    def showEvent(self, event: QShowEvent) -> None:
        """The first row holds the cursor unless a subclass put it elsewhere (the visit form
        puts it in its summary): never the Save button, where typing goes nowhere."""
        super().showEvent(event)
        focus = self.focusWidget()
        if self._first_field is not None and (focus is None or isinstance(focus, QPushButton)):
            self._first_field.setFocus(Qt.FocusReason.OtherFocusReason)

    def mark_pristine(self) -> None:
        self._pristine = self.snapshot()

    def snapshot(self) -> object:
        raise NotImplementedError

    def submit(self) -> None:
        """Call the service; raise ValidationError or EvacError to refuse."""
        raise NotImplementedError

    def save(self) -> bool:
        reveal_messages(self)
        for label in self.messages.values():
            label.show_message("")
        self.general.show_message("")
        try:
            self.submit()
        except ValidationError as exc:
            first: QWidget | None = None
            for error in exc.errors:
                name = error.field.split(".")[0]
                target = self.messages.get(name)
                if target is None:
                    self.general.show_message(error.message())
                    continue
                target.show_message(error.message())
                widget = getattr(self, name, None)
                if first is None and isinstance(widget, QWidget):
                    first = widget
            if first is not None:
                first.setFocus()
            return False
        except EvacError as exc:
            self.ctx.prompter.error(self, exc.message())
            return False
        self._closing = True
        self.accept()
        return True

    def reject(self) -> None:
        if self._closing or self.snapshot() == self._pristine:
            self._closing = True
            super().reject()
            return
        answer = self.ctx.prompter.ask_unsaved(self)
        if answer is Discard.SAVE:
            self.save()
        elif answer is Discard.DISCARD:
            self._closing = True
            super().reject()
