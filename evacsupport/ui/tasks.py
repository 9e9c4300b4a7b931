"""Running service calls off the UI thread and handing the result back to it.

A worker only calls services (which open their own sessions); the result travels back through
a queued signal, so widgets are touched on the UI thread alone. Each task can be cancelled: its
result is then dropped (the service call itself finishes in the background).
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal


class _Signals(QObject):
    done = Signal(object)
    failed = Signal(object)
    finished = Signal()


class Task(QRunnable):
    """One background call; ``cancel()`` drops its result."""

    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.setAutoDelete(False)
        self.fn = fn
        self.signals = _Signals()
        self.cancelled = False

    def run(self) -> None:
        try:
            result = self.fn()
        except Exception as exc:
            exc.__traceback_text__ = traceback.format_exc()  # type: ignore[attr-defined]
            self._emit(self.signals.failed, exc)
        else:
            self._emit(self.signals.done, result)
        self._emit(self.signals.finished)

    def _emit(self, signal: Any, *args: Any) -> None:
        if self.cancelled and signal is not self.signals.finished:
            return
        with contextlib.suppress(RuntimeError):  # the app closed and took the receiver with it
            signal.emit(*args)

    def cancel(self) -> None:
        self.cancelled = True


_running: set[Task] = set()


def run_in_background(
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[Exception], None],
    *,
    pool: QThreadPool | None = None,
) -> Task:
    task = Task(fn)
    task.signals.done.connect(on_done)
    task.signals.failed.connect(on_error)
    task.signals.finished.connect(lambda: _running.discard(task))
    _running.add(task)  # keep Python's reference alive until the result is delivered
    (pool or QThreadPool.globalInstance()).start(task)
    return task
