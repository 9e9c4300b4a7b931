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
from typing import Any, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QObject, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QApplication, QProgressDialog, QWidget

from evacsupport.errors import EvacError
from evacsupport.ui.tasks import Task, run_in_background

Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]
Work = Callable[[Progress, Cancelled], Any]
T = TypeVar("T")

WAIT_NOTICE_MS = 600
"""A save still waiting after this long says so (it is queued behind an import or a merge)."""

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


def write_now(write: Callable[[], T], parent: QWidget | None = None, *, where: str = "") -> T:
    """Run one short write (a form's save) on the writer and return its answer, or raise its
    failure as an :class:`EvacError`.

    The form's code reads as if the save ran in place; meanwhile the window repaints and its
    timers run, and the keys and clicks of the person wait until the save is done (they are
    delivered then, not lost). Queued behind a long write (an import), the save waits its
    turn instead of failing on the database's lock, and after a moment a notice says so.
    ``where`` names the write in the log should it fail unexpectedly (no personal data).
    """
    if where:
        write.__qualname__ = where
    loop = QEventLoop()
    answer: dict[str, Any] = {}

    def finished(key: str, value: Any) -> None:
        answer[key] = value
        loop.quit()

    run_in_background(
        write,
        lambda result: finished("result", result),
        lambda exc: finished("error", exc),
        pool=writer_pool(),
    )
    notice: list[QProgressDialog] = []

    def tell() -> None:
        dialog = QProgressDialog(
            QCoreApplication.translate(
                "Operations", "保存しています…（取り込みなど、先の書き込みの終わりを待っています）"
            ),
            "",
            0,
            0,
            parent,
        )
        dialog.setCancelButton(None)  # type: ignore[arg-type]
        dialog.setWindowTitle(QCoreApplication.translate("Operations", "保存を待っています"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.show()
        notice.append(dialog)

    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(tell)
    timer.start(WAIT_NOTICE_MS)
    QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
    try:
        if not answer:
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    finally:
        timer.stop()
        QApplication.restoreOverrideCursor()
        for dialog in notice:
            dialog.close()
            dialog.deleteLater()
    if "error" in answer:
        raise answer["error"]
    return answer["result"]  # type: ignore[no-any-return]
