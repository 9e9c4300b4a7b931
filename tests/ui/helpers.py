"""Driving widgets the way a user does, including Japanese text through the input method."""

from __future__ import annotations

from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication, QWidget


def type_japanese(widget: QWidget, text: str) -> None:
    """Commit ``text`` as an input method does (``qtbot.keyClicks`` aborts on non-ASCII text)."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
