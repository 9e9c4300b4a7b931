"""A user action that takes time, run off the UI thread: progress, cancel, and one writer.

Anki's ``CollectionOp``/``QueryOp`` are the model: the view says what to run and what to do with
the answer; this module decides where it runs. Writes (an import, a sync merge) go to one
single-thread pool, so two of them never run side by side and queue in the order the user
started them; reads share the global pool. The function gets a ``progress(done, total)`` to
report through and a ``cancelled()`` to poll, the two a service's long calls take.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThreadPool, Signal

from evacsupport.errors import EvacError
from evacsupport.ui.tasks import Task, run_in_background

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Work = Callable[[Progress, Cancelled], Any]

_writer: QThreadPool | None = None


def writer_pool() -> QThreadPool:
    """The one thread every background write runs on, in the order they were started."""
    global _writer
    if _writer is None:
        _writer = QThreadPool()
        _writer.setMaxThreadCount(1)
        _writer.setExpiryTimeout(-1)  # the thread stays: no start-up cost per write
    return _writer


class Operation(QObject):
    """One run of ``work``; ``cancel()`` asks it to stop (the service rolls back) and drops
    its answer.

    Signals:
        progressed(int, int): done and total, as the work reports them (queued to the UI).
    """

    progressed = Signal(int, int)

    def __init__(self, work: Work, *, write: bool, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.work = work
        self.write = write
        self._stop = threading.Event()
        self._task: Task | None = None

    def start(
        self, on_done: Callable[[Any], None], on_error: Callable[[EvacError], None]
    ) -> Operation:
        self._stop.clear()
        work, stop, report = self.work, self._stop, self.progressed.emit

        def run() -> Any:
            return work(lambda done, total: report(done, total), stop.is_set)

        run.__qualname__ = getattr(work, "__qualname__", "work")  # the log names the work

        def done(result: Any) -> None:
            self._task = None
            on_done(result)

        def failed(exc: EvacError) -> None:
            self._task = None
            on_error(exc)

        self._task = run_in_background(
            run, done, failed, pool=writer_pool() if self.write else None
        )
        return self

    def running(self) -> bool:
        return self._task is not None

    def stop(self) -> None:
        """Ask the work to stop at its next step; its failure ("cancelled") still arrives."""
        self._stop.set()

    def cancel(self) -> None:
        """Stop and forget: neither answer nor failure arrives."""
        self._stop.set()
        if self._task is not None:
            self._task.cancel()
            self._task = None
