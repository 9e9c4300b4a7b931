"""Failures in the window: a message of our own on screen, the details in the log file.

Views show :func:`error_text` for whatever they caught, never ``str(exc)``: the text of a
database error holds the SQL parameters (names, phone numbers), and a traceback means nothing
to a coordinator. What no view catches (a bug in a slot, in a paint event, in a timer) reaches
:class:`ExceptionHook`, installed as ``sys.excepthook`` by the app's start-up: the traceback
goes to the log and the user gets the same "unexpected error, see the log file" message, so
the window neither shows a traceback nor fails without a word.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections.abc import Callable
from types import TracebackType

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from evacsupport.db.engine import Database
from evacsupport.errors import EvacError
from evacsupport.failures import explain

log = logging.getLogger(__name__)

Show = Callable[[QWidget | None, str], None]


def error_text(exc: BaseException, db: Database | None = None, *, where: str = "") -> str:
    """The text to show for a caught failure: our own message for our errors and the
    environment's faults, "unexpected, see the log file" (after logging it) for anything else.
    ``db`` names the database in messages about it; ``where`` goes to the log only."""
    return explain(exc, db.url if db is not None else None, where=where).message()


def show_failure(parent: QWidget | None, text: str) -> None:
    """A message box for a failure no view caught (not the prompter's "check your input");
    none once the application is gone (a failure while closing: the log has it)."""
    if QApplication.instance() is None:
        return
    QMessageBox.critical(parent, QCoreApplication.translate("Errors", "エラー"), text)


def _active_window() -> QWidget | None:
    return QApplication.activeWindow()


class ExceptionHook:
    """``sys.excepthook`` for the window: log, then tell the user once.

    A failure while its message is up (the box runs its own event loop, so a broken paint
    event fails again at once) and the same failure again within ``quiet_seconds`` are only
    logged: one broken repaint must not become an endless stream of message boxes.
    """

    def __init__(
        self,
        show: Show = show_failure,
        parent: Callable[[], QWidget | None] = _active_window,
        *,
        quiet_seconds: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.show = show
        self.parent = parent
        self.quiet_seconds = quiet_seconds
        self.clock = clock
        self._showing = False
        self._last: tuple[str, float] | None = None

    def __call__(
        self,
        exc_type: type[BaseException],
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt):  # Ctrl+C in the terminal that started us
            sys.__excepthook__(exc_type, exc or exc_type(), tb)
            return
        if exc is None:
            exc = exc_type()
        if exc.__traceback__ is None and tb is not None:
            exc = exc.with_traceback(tb)
        if isinstance(exc, EvacError):  # our own message, but no view caught it
            log.warning("uncaught %s: %s", type(exc).__name__, exc.code)
        error = explain(exc, where="uncaught")
        now = self.clock()
        repeated = (
            self._last is not None
            and self._last[0] == error.code
            and now - self._last[1] < self.quiet_seconds
        )
        if self._showing or repeated:
            return
        self._showing, self._last = True, (error.code, now)
        try:
            self.show(self.parent(), error.message())
        finally:
            self._showing = False


def _log_thread_failure(args: threading.ExceptHookArgs) -> None:
    """Threads outside Qt (a worker a service starts) cannot show a box: the log has it."""
    if args.exc_value is None or issubclass(args.exc_type, SystemExit):
        return
    thread = args.thread.name if args.thread is not None else "?"
    explain(args.exc_value, where=f"thread {thread}")


def install_exception_hook(show: Show = show_failure) -> ExceptionHook:
    """Make uncaught exceptions in the window log and show the generic message."""
    hook = ExceptionHook(show)
    sys.excepthook = hook
    threading.excepthook = _log_thread_failure
    return hook
