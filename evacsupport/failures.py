"""What the user is told when something fails, and what goes to the log file instead.

Every place that shows a failure (the window's message boxes and status lines, background
tasks, the global exception hook, the command line) asks :func:`explain` for the message, so
a user never sees an exception's own text. That text is not ours to show: a SQLAlchemy error
holds the SQL statement and its parameters (a member's name, a phone number), an OSError the
OS's English. The sorting follows qutebrowser's ``misc/sql.py``:

- our own errors (:class:`EvacError`) carry their message already;
- the environment's fault (a locked or damaged database, a full disk, a read-only folder, an
  unreachable server, a file that cannot be written) gets a short message saying what to do,
  and one line in the log (the error code and the driver's error name, no values);
- anything else is a bug: the traceback goes to the log file and the user is told where it is.
"""

from __future__ import annotations

import errno
import logging

from sqlalchemy import URL

from evacsupport import logs
from evacsupport.db.failures import driver_code, environment_fault
from evacsupport.errors import EvacError, FileProblem, UnexpectedError
from evacsupport.i18n import message

log = logging.getLogger(__name__)

_FILE_REASONS = {
    getattr(errno, name): key
    for name, key in (
        ("ENOSPC", "file.no_space"),
        ("EDQUOT", "file.no_space"),  # not on every OS
        ("EACCES", "file.permission"),
        ("EPERM", "file.permission"),
        ("ENOENT", "file.not_found"),
        ("EROFS", "file.read_only"),
        ("EISDIR", "file.is_folder"),
    )
    if hasattr(errno, name)
}


def unexpected() -> UnexpectedError:
    """The message for a bug, naming the log file the details went to."""
    path = logs.current_log_file()
    if path is None:
        return UnexpectedError("error.unexpected_no_log")
    return UnexpectedError("error.unexpected", path=str(path))


def _file_problem(exc: OSError) -> FileProblem:
    key = _FILE_REASONS.get(exc.errno or 0)
    reason = message(key) if key else (exc.strerror or type(exc).__name__)
    if exc.filename:
        return FileProblem("file.failed", path=str(exc.filename), reason=reason)
    return FileProblem("file.failed_unnamed", reason=reason)


def explain(exc: BaseException, url: URL | None = None, *, where: str = "") -> EvacError:
    """The error to show for ``exc``; bugs and environment faults are logged on the way.

    ``url`` is the database in use, named in messages about it when known. ``where`` says in
    the log what was being done ("import dialog"); it must not hold personal data.
    """
    if isinstance(exc, EvacError):
        return exc
    context = f" ({where})" if where else ""
    fault = environment_fault(exc, url)
    if fault is not None:
        log.warning("database fault%s: %s, %s", context, fault.code, driver_code(exc))
        return fault
    if isinstance(exc, OSError):
        problem = _file_problem(exc)
        name = errno.errorcode.get(exc.errno or 0, "no errno")
        log.warning("file problem%s: %s %s", context, type(exc).__name__, name)
        return problem
    log.error("unexpected error%s", context, exc_info=(type(exc), exc, exc.__traceback__))
    return unexpected()
