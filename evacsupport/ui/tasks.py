"""Running service calls off the UI thread and handing the result back to it.

A worker only calls services (which open their own sessions); the result travels back through
a queued signal, so widgets are touched on the UI thread alone. Each task can be cancelled: its
result is then dropped (the service call itself finishes in the background).

A failure reaches ``on_error`` as an :class:`~evacsupport.errors.EvacError` only, already sorted
by :func:`evacsupport.failures.explain`: our own errors as raised, the environment's faults as
their message, anything else logged with its traceback and replaced by "unexpected, see the
log file". So no view can show a driver's text (SQL parameters: names, phone numbers) or a
traceback, whatever it does with the error.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from evacsupport.errors import EvacError
from evacsupport.failures import explain


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
            where = getattr(self.fn, "__qualname__", type(self.fn).__name__)
            self._emit(self.signals.failed, explain(exc, where=f"background task {where}"))
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
    on_error: Callable[[EvacError], None],
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
