"""Windows sized from their content and kept on the screen they open on.

Coordinators use 1366×768 laptops, often at 125 % scaling (a 1093×614 desktop) with a taskbar.
A dialog given a fixed size in pixels is taller than that screen and hides its Save button, so
every dialog asks :func:`fit_to_screen` instead: as large as its content wants (or the size it
prefers, for dialogs whose tables and maps can use any room), never larger than the screen's
*available* area less the window frame, and placed over its parent on that screen. Long content
belongs in a ``QScrollArea`` with the buttons outside it, so a capped dialog scrolls its form,
never its buttons.
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QScrollArea, QWidget

FRAME = QSize(16, 44)
"""Room for the window manager's title bar and borders, which a window does not know about
before it is first shown (Windows 11 and openbox both stay within this at 100–125 %)."""


def available_geometry(widget: QWidget) -> QRect:
    """The desktop area (without taskbars and panels) of the screen ``widget`` opens on: its
    parent window's screen, else its own, else the primary one."""
    parent = widget.parentWidget()
    screen = (parent.window().screen() if parent is not None else None) or widget.screen()
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry()


def fit_to_screen(window: QWidget, preferred: QSize | None = None) -> None:
    """Size ``window`` to ``preferred`` (else its ``sizeHint``), capped to the available screen
    area less the frame, and centre it over its parent (else the screen), wholly on the screen.

    Call it at the end of the constructor, once the layout holds all its widgets."""
    area = available_geometry(window)
    room = QSize(max(1, area.width() - FRAME.width()), max(1, area.height() - FRAME.height()))
    fit_labels(window)
    layout = window.layout()
    if layout is not None:
        layout.activate()  # sizeHint and the minimum size reflect every widget added so far
    wanted = preferred if preferred is not None else window.sizeHint() + _scrolled_away(window)
    size = wanted.expandedTo(window.minimumSizeHint()).boundedTo(room)
    if window.minimumWidth() > room.width() or window.minimumHeight() > room.height():
        window.setMinimumSize(window.minimumSize().boundedTo(room))
    window.resize(size)
    window.move(_place(window, size + FRAME, area))


def label_width(label: QLabel) -> int:
    """The width a one-line label needs to show its text whole.

    A mnemonic (``&Telephone``) is drawn underlined, as a run of its own, so the letters either
    side of it are not kerned together as they are when the label measures itself: "Te" drawn
    apart is wider, and the last letter was cut. Measured here in the three runs it is drawn in.
    """
    text = label.text()
    hint = label.sizeHint().width()
    if label.buddy() is None or label.wordWrap() or "&" not in text or "<" in text:
        return hint  # no mnemonic (a label shows one only with a buddy), or not plain text
    at = text.replace("&&", "\0\0").find("&")  # "&&" is a literal ampersand
    if at < 0 or at + 1 >= len(text):
        return hint
    metrics = label.fontMetrics()
    before, key, after = (
        part.replace("&&", "&") for part in (text[:at], text[at + 1], text[at + 2 :])
    )
    drawn = sum(metrics.horizontalAdvance(run) for run in (before, key, after))
    return hint + max(0, drawn - metrics.horizontalAdvance(before + key + after))


def fit_labels(root: QWidget) -> None:
    """Every one-line label under ``root`` at least as wide as :func:`label_width` says (for
    pages built after their window was fitted)."""
    for label in root.findChildren(QLabel):
        width = label_width(label)
        if width > label.sizeHint().width():
            label.setMinimumWidth(width)


def _scrolled_away(window: QWidget) -> QSize:
    """How much more room the window's scroll areas would need to show all they hold: a
    ``QScrollArea`` hints at a few hundred pixels whatever its content, so a form in one would
    open small, and scroll, on any screen."""
    grow = QSize(0, 0)
    for area in window.findChildren(QScrollArea):
        content = area.widget()
        if content is None or area.window() is not window or not area.isVisibleTo(window):
            continue
        hint = content.sizeHint()
        if area.verticalScrollBarPolicy() != Qt.ScrollBarPolicy.ScrollBarAlwaysOff:
            hint.setWidth(hint.width() + area.verticalScrollBar().sizeHint().width())
        grow = grow.expandedTo(hint - area.sizeHint() + QSize(2, 2) * area.frameWidth())
    return grow


def _place(window: QWidget, frame: QSize, area: QRect) -> QPoint:
    parent = window.parentWidget()
    over = parent.window().frameGeometry() if parent is not None else area
    if not over.intersects(area):
        over = area
    x = over.x() + (over.width() - frame.width()) // 2
    y = over.y() + (over.height() - frame.height()) // 2
    x = max(area.left(), min(x, area.right() + 1 - frame.width()))
    y = max(area.top(), min(y, area.bottom() + 1 - frame.height()))
    return QPoint(x, y)


def wrappable(path: str) -> str:
    """A file path a word-wrapped label may break after any separator (a zero-width space
    there): a path has no spaces, so it would otherwise widen its window past the screen."""
    return path.replace("/", "/\u200b").replace("\\", "\\\u200b")
