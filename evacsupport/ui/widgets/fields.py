"""Reusable inputs: inline error labels, wareki-aware dates, choice lists, allergen checklist."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from datetime import date
from enum import StrEnum

from PySide6.QtCore import QSize, Qt, Signal, SignalInstance
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QApplication,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QTextEdit,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain import allergens
from evacsupport.domain.codes import label
from evacsupport.domain.wareki import format_wareki, parse_date
from evacsupport.errors import InvalidValue

ERROR_COLOR = "#b00020"
ERROR_STYLE = f"color: {ERROR_COLOR};"


class FieldMessage(QLabel):
    """A field's error, in red on the line reserved right under the field.

    The line is there whether or not there is something to say, so a message appearing or
    going away never moves the rows below it (a click aimed at the next check box would land
    on another one). A field message is one line: a longer text is elided and given whole in
    the tooltip. ``wrap=True`` is for a form's general or status line, which may take several
    lines and, unless ``reserve=True`` (a line above a form's rows), takes no room while empty:
    a section's status line under everything else moves nothing, and the window's smallest
    height is that of its tallest section.

    A message that follows its field (:meth:`follow`) waits until the user has *touched* the field
    (changed it, then moved the focus out of it) or the form asked for every message with
    :func:`reveal_messages` (on saving): a new form is not red before anything was typed, and
    a field being typed into is not told off after the first character.
    """

    def __init__(
        self, parent: QWidget | None = None, *, wrap: bool = False, reserve: bool | None = None
    ) -> None:
        super().__init__(parent)
        self.setStyleSheet(ERROR_STYLE)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.WindowText, QColor(ERROR_COLOR))
        self.setPalette(palette)
        self._wrap = wrap
        self.setWordWrap(wrap)
        self._reserve = not wrap if reserve is None else reserve
        policy = self.sizePolicy()
        policy.setRetainSizeWhenHidden(self._reserve)
        if not wrap:
            policy.setHorizontalPolicy(QSizePolicy.Policy.Ignored)
            policy.setVerticalPolicy(QSizePolicy.Policy.Fixed)
        self.setSizePolicy(policy)
        self._pending = ""
        self._fields: tuple[QWidget, ...] = ()
        self._edited = False
        self._touched = False
        self._revealed = False
        self.hide()

    # --- size: one line, always -----------------------------------------------------------------
    def _line_height(self) -> int:
        margins = self.contentsMargins()
        return _line_height(self.font()) + margins.top() + margins.bottom()

    def sizeHint(self) -> QSize:
        if self._wrap:
            hint = super().sizeHint()
            return QSize(hint.width(), max(hint.height(), self._reserved()))
        # no width of its own: the field above decides it, a long text is elided
        return QSize(0, self._line_height())

    def minimumSizeHint(self) -> QSize:
        if self._wrap:
            hint = super().minimumSizeHint()
            return QSize(hint.width(), max(hint.height(), self._reserved()))
        return QSize(0, self._line_height())

    def heightForWidth(self, width: int) -> int:
        if self._wrap:
            return max(super().heightForWidth(width), self._reserved())
        return self._line_height()

    def _reserved(self) -> int:
        return self._line_height() if self._reserve else 0

    def paintEvent(self, event: QPaintEvent) -> None:
        if self._wrap:
            super().paintEvent(event)
            return
        painter = QPainter(self)
        rect = self.contentsRect()
        text = self.fontMetrics().elidedText(self.text(), Qt.TextElideMode.ElideRight, rect.width())
        self.style().drawItemText(
            painter,
            rect,
            int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter),
            self.palette(),
            self.isEnabled(),
            text,
            QPalette.ColorRole.WindowText,
        )

    # --- when to speak ----------------------------------------------------------------------------
    def follow(self, *fields: QWidget) -> None:
        """Speak about ``fields`` only once one of them was touched (or the form revealed all).

        A change counts while the focus is inside the field, so values a form fills in itself
        (loading a record, a default date) do not touch it.
        """
        self._fields = fields
        for field in fields:
            for widget in (field, *field.findChildren(QWidget)):
                for signal in _change_signals(widget):
                    signal.connect(self._changed)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)

    def _inside(self, widget: QWidget | None) -> bool:
        return widget is not None and any(
            widget is field or field.isAncestorOf(widget) for field in self._fields
        )

    def _changed(self, *_: object) -> None:
        if self._inside(QApplication.focusWidget()):
            self._edited = True

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        # Focus going nowhere is another window taking over (a message box): not leaving.
        if self._edited and new is not None and self._inside(old) and not self._inside(new):
            self._touched = True
            self._refresh()

    def reveal(self) -> None:
        """Show the message whether or not the field was touched (the form is being saved)."""
        self._revealed = True
        self._refresh()

    def reset(self) -> None:
        """Forget that the field was touched: it now shows another record (another member).
        A form already saved once keeps speaking."""
        self._edited = self._touched = False
        self._refresh()

    @property
    def pending(self) -> str:
        """The last message given, shown or still waiting for the field to be touched."""
        return self._pending

    def show_message(self, text: str) -> None:
        self._pending = text
        self._refresh()

    def _refresh(self) -> None:
        speak = not self._fields or self._touched or self._revealed
        text = self._pending if speak else ""
        self.setText(text)
        self.setToolTip(text if text and not self._wrap else "")
        self.setVisible(bool(text))


_LINE_HEIGHTS: dict[str, int] = {}


def _line_height(font: QFont) -> int:
    """The height of one line of Japanese text as a label draws it: the kanji come from a
    fallback font that may be taller than the font's own metrics say."""
    key = font.key()
    if key not in _LINE_HEIGHTS:
        probe = QLabel("漢あAg")
        probe.setFont(font)
        _LINE_HEIGHTS[key] = max(probe.sizeHint().height(), QFontMetrics(font).height())
    return _LINE_HEIGHTS[key]


def _change_signals(widget: QWidget) -> list[SignalInstance]:
    """The signals saying the user changed ``widget``'s value."""
    if isinstance(widget, QLineEdit):
        return [widget.textEdited]
    if isinstance(widget, QAbstractButton):
        return [widget.clicked]
    if isinstance(widget, QComboBox):
        return [widget.activated, widget.editTextChanged]
    if isinstance(widget, QPlainTextEdit | QTextEdit):
        return [widget.textChanged]
    if isinstance(widget, QAbstractSpinBox):
        return [widget.editingFinished]
    return []


def reveal_messages(form: QWidget) -> None:
    """Every field message of ``form`` speaks from now on, touched or not (on saving)."""
    for message in form.findChildren(FieldMessage):
        message.reveal()


def messages_under(
    field: QWidget | QLayout, messages: Sequence[FieldMessage], *, spacing: int = 1
) -> QVBoxLayout:
    """``field`` with the line of its messages under it, side by side when it has several
    (氏名's family and given name), so a row's height never depends on what is said."""
    box = QVBoxLayout()
    box.setSpacing(spacing)
    if isinstance(field, QWidget):
        box.addWidget(field)
    else:
        box.addLayout(field)
    if len(messages) == 1:
        box.addWidget(messages[0])
    elif messages:
        line = QHBoxLayout()
        line.setSpacing(8)
        for message in messages:
            line.addWidget(message, 1)
        box.addLayout(line)
    return box


class DateField(QLineEdit):
    """A date typed as 2024-01-01, 令和6年1月1日, R6.1.1 or S45.3.2; shows how it was read."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(self.tr("例：S20.5.3、昭和20年5月3日、1945-05-03"))
        # a whole date, however narrow its row: a squeezed field showed "-12-03"
        self.setMinimumWidth(self.fontMetrics().horizontalAdvance("0000-00-00") + 24)
        # no parent: the hint shows only where a form places it in a layout
        self.hint = QLabel()
        self.hint.setStyleSheet("color: #555;")
        self.textChanged.connect(self._update_hint)

    def _update_hint(self, text: str) -> None:
        try:
            parsed = parse_date(text, allow_empty=True)
        except InvalidValue:
            self.hint.setText("")
            return
        self.hint.setText(f"＝ {parsed:%Y-%m-%d}（{format_wareki(parsed)}）" if parsed else "")

    def set_date(self, value: date | None) -> None:
        self.setText(value.isoformat() if value else "")


class ChoiceCombo(QComboBox):
    """The labels of a code list; ``code()`` gives the stored code of the chosen label."""

    def __init__(
        self, enum: type[StrEnum], parent: QWidget | None = None, *, blank: bool = False
    ) -> None:
        super().__init__(parent)
        if blank:
            self.addItem("", "")
        for member in enum:
            self.addItem(label(member), member.value)

    def code(self) -> str:
        return str(self.currentData() or "")

    def set_code(self, code: str) -> None:
        index = self.findData(code)
        self.setCurrentIndex(max(index, 0))


class AllergenPicker(QWidget):
    """The Japanese labelling list as check boxes: the 8 mandatory ones first, then the 20 others.

    Signals:
        changed(): a box was ticked or unticked.
    """

    changed = Signal()
    COLUMNS = 7

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for title, names in (
            (self.tr("特定原材料（表示義務）"), allergens.mandatory()),
            (self.tr("特定原材料に準ずるもの"), allergens.recommended()),
        ):
            heading = QLabel(title, self)
            heading.setStyleSheet("font-weight: bold;")
            layout.addWidget(heading)
            grid = QGridLayout()
            for i, name in enumerate(names):
                box = QCheckBox(allergens.display(name), self)  # kept by its Japanese name
                box.toggled.connect(self.changed)
                self.boxes[name] = box
                grid.addWidget(box, i // self.COLUMNS, i % self.COLUMNS)
            layout.addLayout(grid)

    def values(self) -> list[str]:
        return [name for name, box in self.boxes.items() if box.isChecked()]

    def set_values(self, names: Iterable[str]) -> None:
        wanted = set(names)
        for name, box in self.boxes.items():
            box.blockSignals(True)
            box.setChecked(name in wanted)
            box.blockSignals(False)
        self.changed.emit()


def set_tab_order(widgets: Sequence[QWidget]) -> None:
    for first, second in itertools.pairwise(widgets):
        QWidget.setTabOrder(first, second)


def align_captions(form: QFormLayout) -> None:
    """Each caption beside its field's first line, not the middle of field and message line.

    A row's field cell holds the field and, under it, the line its message keeps (see
    :func:`messages_under`); a caption centred on that cell sat half a line below its field.
    Captions go to the top of their rows, lowered by half the difference between a line edit's
    height and their own, so their text lines up with a one-line field's text.
    """
    form.setLabelAlignment(
        (form.labelAlignment() & ~Qt.AlignmentFlag.AlignVertical_Mask) | Qt.AlignmentFlag.AlignTop
    )
    line = QLineEdit().sizeHint().height()
    for row in range(form.rowCount()):
        caption = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
        label = caption.widget() if caption is not None else None
        if isinstance(label, QLabel):
            top = max(0, (line - label.sizeHint().height()) // 2)
            label.setContentsMargins(0, top, 0, 0)
            label.setAlignment(  # the row may stretch the caption: its text stays at the top
                (label.alignment() & ~Qt.AlignmentFlag.AlignVertical_Mask)
                | Qt.AlignmentFlag.AlignTop
            )
