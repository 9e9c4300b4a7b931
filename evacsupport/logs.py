"""The log file: where the details of a failure go instead of the screen.

The window and the command line show a short message of our own for every failure (see
:mod:`evacsupport.failures`); what a developer needs to find a bug (the exception, its
traceback) is written here. A driver's exception carries the SQL statement and its parameters,
so a traceback in this file can hold personal data: names, phone numbers, health notes. That is
accepted only because the file lives in the user's own state folder (platformdirs'
``user_log_dir``: ``~/.local/state/evacsupport/log`` on Linux, ``%LOCALAPPDATA%`` on Windows)
and is created readable and writable by its owner alone (0600; rotated files too). Our own log
lines never add personal data: they name error codes, exception classes and driver error names,
never a message's parameters or a record's values.
"""

from __future__ import annotations

import io
import logging
import logging.handlers
import os
import sys
from pathlib import Path

import platformdirs

from evacsupport.config import APP_NAME

FILE_NAME = "evacsupport.log"
MAX_BYTES = 1_000_000
BACKUP_COUNT = 5
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(threadName)s] %(message)s"

_handler: PrivateRotatingFileHandler | None = None


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_log_path() -> Path:
    return log_dir() / FILE_NAME


def current_log_file() -> Path | None:
    """The file this process writes its log to, or None before :func:`setup` (or when the
    folder could not be written)."""
    return Path(_handler.baseFilename) if _handler is not None else None


class PrivateRotatingFileHandler(logging.handlers.RotatingFileHandler):
    """A rotating log whose every file is created 0600, whatever the umask says.

    ``RotatingFileHandler`` opens each new file with ``open()``, which follows the umask
    (usually 0644: readable by every account on a shared laptop). Rotation renames files, so
    creating each one private is enough for the old ones to stay private too.
    """

    def _open(self) -> io.TextIOWrapper:
        fd = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if hasattr(os, "fchmod"):  # a file left by an older version may be wider
            os.fchmod(fd, 0o600)
        return os.fdopen(fd, "a", encoding=self.encoding or "utf-8", errors=self.errors)


def setup(path: Path | None = None) -> Path | None:
    """Send the app's log to the rotating file; returns its path.

    Called by the command line for every command and by the window's start-up, so both write
    to the same file. Without ``path`` a log already set up is kept; a ``path`` moves the log
    there (tests). A folder that cannot be written leaves logging to stderr: the app must still
    start on a laptop whose home folder is full.
    """
    global _handler
    if path is None:
        if _handler is not None:
            return current_log_file()
        path = default_log_path()
    if _handler is not None and _handler.baseFilename == os.path.abspath(path):
        return path
    try:
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        handler = PrivateRotatingFileHandler(
            path, maxBytes=MAX_BYTES, backupCount=BACKUP_COUNT, encoding="utf-8"
        )
    except OSError as exc:
        print(f"evacsupport: cannot write the log file {path}: {exc.strerror}", file=sys.stderr)
        return current_log_file()
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.setLevel(logging.INFO)
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    logging.getLogger(APP_NAME).setLevel(logging.INFO)
    _handler = handler
    return path


def stop() -> None:
    """Stop writing the log file (a test that pointed it elsewhere puts things back)."""
    global _handler
    if _handler is not None:
        logging.getLogger().removeHandler(_handler)
        _handler.close()
        _handler = None
