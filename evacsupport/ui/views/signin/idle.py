"""Locking the window after a while with no keyboard or mouse use.

An application-wide event filter restarts the timer on every key press, click or wheel turn;
when it runs out the lock dialog covers the window until the same person's password is given.
Giving up at the lock closes the app (unsaved forms ask first, as on any close).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

ACTIVITY = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    def __init__(self, timeout_ms: int, on_idle: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.on_idle = on_idle
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._fire)
        self.locked = False
        self._filtering = False
        self.set_timeout(timeout_ms)

    def set_timeout(self, timeout_ms: int) -> None:
        """0 switches the lock off (and stops watching the app's events)."""
        self.timer.stop()
        app = QApplication.instance()
        if timeout_ms > 0:
            self.timer.setInterval(timeout_ms)
            self.timer.start()
            if app is not None and not self._filtering:
                app.installEventFilter(self)
                self._filtering = True
        elif app is not None and self._filtering:
            app.removeEventFilter(self)
            self._filtering = False

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if not self.locked and event.type() in ACTIVITY and self.timer.interval() > 0:
            self.timer.start()
        return False

    def _fire(self) -> None:
        self.locked = True
        try:
            self.on_idle()
        finally:
            self.locked = False
            if self.timer.interval() > 0:
                self.timer.start()

    def stop(self) -> None:
        self.set_timeout(0)
