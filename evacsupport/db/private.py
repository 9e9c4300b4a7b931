"""Files that hold personal data are readable by their owner alone (0600 on POSIX).

The database, its backups and the temporary files on the way there hold health and other
sensitive data (要配慮個人情報). On a laptop shared through several operating-system accounts,
a file created with the usual 0644 can be read by all of them.

A process-wide umask was considered and not used: it would also change the reports and
exports the user means to hand on, it stays in force for everything else in the process
(tests included), and it cannot tighten a database created 0644 by an earlier version. What
covers SQLite's own files is the main file's mode: SQLite creates the ``-wal``, ``-shm`` and
``-journal`` files with exactly the permissions of the database file (it ``fchmod``s them to
match, whatever the umask). So the main file is created 0600 before SQLite opens it, an
existing one is tightened on open, and files this app writes itself are created 0600.

On Windows the POSIX modes mean nothing (files in the user's profile are private by the
folder's access list); these functions then do nothing beyond creating the file.
"""

from __future__ import annotations

import contextlib
import os
import stat
from pathlib import Path

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700
SQLITE_COMPANIONS = ("-wal", "-shm", "-journal")
"""The files SQLite keeps beside a database while it is open (WAL mode) or writing."""

POSIX = os.name == "posix"


def tighten(path: Path | str) -> None:
    """Take group and other access away from an existing file; quietly nothing when the file
    is not there or its folder does not keep POSIX modes (a FAT-formatted USB stick)."""
    if not POSIX:
        return
    with contextlib.suppress(OSError):
        mode = os.stat(path).st_mode
        if stat.S_ISREG(mode) and mode & 0o077:
            os.chmod(path, stat.S_IMODE(mode) & ~0o077)


def create_file(path: Path | str) -> None:
    """Make ``path`` an empty private file, or empty an existing one and make it private.

    Used before SQLite (or ``shutil``) writes into a new file, which they would create 0644.
    """
    os.close(open_for_writing(path))


def open_for_writing(path: Path | str) -> int:
    """A file descriptor for a new private file (``os.fdopen`` it); an existing file is
    emptied and made private first."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE)
    tighten(path)
    return fd


def make_folder(path: Path | str) -> None:
    """``mkdir -p``; the folders it creates are the user's alone (an existing one is left as
    it is: it may be a shared drive the user chose)."""
    Path(path).mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)


def prepare_database_file(path: Path | str) -> None:
    """Before SQLite opens ``path``: create it empty and private when it does not exist (an
    empty file is an empty SQLite database), tighten it and its companions when they do.

    Errors are left to SQLite, which says what is wrong when it opens the file.
    """
    path = Path(path)
    with contextlib.suppress(OSError):
        make_folder(path.parent)
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        except FileExistsError:
            pass
        else:
            os.close(fd)
    for name in ("", *SQLITE_COMPANIONS):
        tighten(path.with_name(path.name + name))
