"""A consistent copy of the open SQLite database, taken while the app keeps running, and the
way back from one.

SQLite's online backup API copies a live database page by page (WAL included) without stopping
writers, unlike copying the file, which can catch it half-written.

Automatic backups (on exit, once a day, ``evacsupport backup``) go to a folder as dated copies,
checked, sealed with the team passphrase when one is set (scrypt + AES-GCM, as sync packages),
optionally copied to a second folder (a USB stick), and rotated: the newest of each of the last
7 days and 4 weeks stay. PostgreSQL is refused: the server's own backups (pg_dump) apply.

What keeps the copies as private as the database:

- Making a backup needs ``Permission.BACKUP`` (the window's automatic ones excepted, see
  :func:`automatic_backup`) and restoring one ``Permission.RESTORE``. A restore leaves an audit
  entry, written into the restored copy before it is put in place, so the swap cannot lose it.
  Backups leave none: writing one would wait for the writer that the online backup exists not
  to wait for (an import, the counter).
- An encrypted backup never exists in plain form on disk: the live database is copied into
  memory (the backup API into an in-memory database), checked there, then compressed and
  sealed. A crash at any moment leaves at most an encrypted ``.partial``.
- Every file written here is created 0600 (``db.private``); the restore's decrypted copy lives
  beside the database (it must, to be renamed into place) and is removed whatever happens;
  what a killed process leaves is deleted by :func:`remove_leftovers` at the next start.
- A backup without accounts is refused over a database that has them (it would open the
  database to anyone), and a database too damaged to sign into is restored only with the
  credentials of an administrator in the backup being restored.
"""

from __future__ import annotations

import contextlib
import glob
import logging
import os
import re
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from evacsupport.config import data_dir, login_name, sqlite_url
from evacsupport.db import cipher, migrate, private
from evacsupport.db.engine import Database, storage_error
from evacsupport.domain.roles import Permission, allowed
from evacsupport.errors import EvacError, StorageError
from evacsupport.i18n import message
from evacsupport.services import audit
from evacsupport.services.authz import gate, has_accounts, role_name, ungated
from evacsupport.sync import crypto

if TYPE_CHECKING:
    from evacsupport.config import Settings

# How long to wait for a source locked by another program before giving up with a message.
LOCK_TIMEOUT_S = 10.0
SQLITE_BUSY, SQLITE_LOCKED = 5, 6  # the backup step's status codes, in either engine


class _Locked(Exception):
    """Raised from the progress callback to stop a backup that cannot get its lock."""


# --- copying the live database ------------------------------------------------------------------


def _file_of(db: Database) -> str:
    if not db.is_sqlite or not db.url.database or db.url.database == ":memory:":
        raise EvacError("backup.sqlite_only")
    return db.url.database


@contextlib.contextmanager
def _copying(source: str) -> Iterator[tuple[Any, Callable[[int, int, int], None]]]:
    """A connection to the live file and the backup API's progress callback; SQLite's errors
    come out as the message a user can act on (locked, damaged, disk full)."""
    deadline = time.monotonic() + LOCK_TIMEOUT_S

    def give_up_when_locked(status: int, _remaining: int, _total: int) -> None:
        # Python retries a busy step forever: a lock held elsewhere must end in a message.
        if status in (SQLITE_BUSY, SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Locked

    try:
        conn = cipher.connect(source, timeout=LOCK_TIMEOUT_S)
        try:
            yield conn, give_up_when_locked
        finally:
            conn.close()
    except _Locked as exc:
        raise StorageError("db.locked") from exc
    except cipher.driver_errors() as exc:
        raise storage_error(exc, sqlite_url(source)) from exc


def _checked(copy: Any, shown: Path | str) -> None:
    if copy.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
        raise EvacError("db.damaged", path=str(shown))


def _copy_to_file(source: str, target: Path) -> None:
    """A checked copy of ``source`` under ``target`` (0600), or nothing at all: the copy is
    made as ``target.partial`` and gets its name only once complete and checked."""
    partial = target.with_name(target.name + ".partial")
    try:
        private.make_folder(target.parent)
        private.create_file(partial)  # empties a crashed attempt's leftover; 0600 from the start
        with _copying(source) as (live, progress):
            dest = cipher.connect_like(source, partial)  # an encrypted file's copy is too
            try:
                live.backup(dest, progress=progress)
                _checked(dest, target)
            finally:
                dest.close()
        partial.replace(target)
    except OSError as exc:
        raise EvacError(
            "backup.cannot_write", path=str(target.parent), detail=exc.strerror or ""
        ) from exc
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)  # a failed attempt leaves nothing behind


def _copy_to_memory(source: str) -> bytes:
    """The whole database as bytes, through an in-memory copy checked before it is returned:
    what an encrypted backup seals, so no plain copy is ever written to disk.

    An encrypted database (whose pages SQLCipher will not copy into a plain one) goes through
    a checked copy under its own key beside the database, read and deleted at once."""
    if cipher.is_encrypted(source):
        temp = Path(source).with_name(f".{Path(source).name}.sealing-{os.getpid()}")
        try:
            _copy_to_file(source, temp)
            return temp.read_bytes()
        finally:
            temp.unlink(missing_ok=True)
    with _copying(source) as (live, progress):
        dest = sqlite3.connect(":memory:")
        try:
            live.backup(dest, progress=progress)
            _checked(dest, source)
            return dest.serialize()
        finally:
            dest.close()


@gate(Permission.BACKUP)
def backup_to(db: Database, target: Path | str) -> Path:
    """A checked, unencrypted copy at a path the user chose (File → バックアップを保存)."""
    target = Path(target)
    _copy_to_file(_file_of(db), target)
    return target


# --- automatic backups: a folder of dated copies, rotated, optionally sealed --------------------

SUFFIX = ".sqlite3"
SEALED_SUFFIX = ".sqlite3.evbak"
BACKUP_MAGIC = b"EVBAK1\n"
STAMP = "%Y%m%d-%H%M%S"
_NAME = re.compile(r"^(?P<name>.+)-(?P<stamp>\d{8}-\d{6})\.sqlite3(?P<sealed>\.evbak)?$")

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BackupPolicy:
    """Where automatic backups go and how many are kept.

    ``name`` is the database file's stem: backups of different databases can share a folder
    and are listed, rotated and restored separately.
    """

    folder: Path = field(default_factory=lambda: data_dir() / "backups")
    second_folder: Path | None = None
    keep_daily: int = 7
    keep_weekly: int = 4
    name: str = "evacsupport"


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    made_at: datetime
    size: int
    encrypted: bool


def _count(value: object, default: int) -> int:
    """A whole number >= 1 from the hand-editable settings file; anything else is the default."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        return default
    text = str(value).strip()
    return int(text) if text.isdecimal() and int(text) >= 1 else default


def _folder(value: object) -> Path | None:
    return Path(value).expanduser() if isinstance(value, str) and value.strip() else None


def policy_from_settings(settings: Settings, db_path: Path | str | None = None) -> BackupPolicy:
    """The user's backup settings for one database file; junk in the file gives the defaults."""
    return BackupPolicy(
        folder=_folder(settings.backup_folder) or data_dir() / "backups",
        second_folder=_folder(settings.backup_second_folder),
        keep_daily=_count(settings.backup_keep_daily, 7),
        keep_weekly=_count(settings.backup_keep_weekly, 4),
        name=Path(db_path).stem if db_path else "evacsupport",
    )


@ungated("only says which file the database is; reads and writes nothing")
def sqlite_path(db: Database) -> Path:
    """The database's file; a server database is refused (its own backups apply: pg_dump)."""
    if not db.is_sqlite:
        raise EvacError("backup.server")
    if not db.url.database or db.url.database == ":memory:":
        raise EvacError("backup.sqlite_only")
    return Path(db.url.database)


# --- sealing a backup file with the team passphrase (the sync packages' scrypt + AES-GCM) -------


def is_sealed(path: Path) -> bool:
    with path.open("rb") as f:
        return f.read(len(BACKUP_MAGIC)) == BACKUP_MAGIC


def seal_bytes(plain: bytes, passphrase: str) -> bytes:
    """``plain`` compressed and encrypted, with its header (authenticated too) in front: the
    same sealing as sync packages (:mod:`evacsupport.sync.crypto`), under the backup's magic."""
    return crypto.seal_bytes(plain, passphrase, BACKUP_MAGIC)


def open_sealed(source: Path, passphrase: str) -> bytes:
    """The plain database inside a sealed backup, in memory; refuses a wrong passphrase or
    any changed byte. The header is checked before a key is derived, so a made-up one (a
    minutes-long or gigabyte-hungry key derivation) is refused at once."""
    try:
        blob = source.read_bytes()
    except OSError as exc:
        raise EvacError("backup.damaged", path=str(source)) from exc
    try:
        return crypto.open_bytes(blob, passphrase, BACKUP_MAGIC, max_expansion=None)
    except crypto.WrongPassphrase as exc:
        raise EvacError("backup.wrong_passphrase") from exc
    except crypto.SealError as exc:
        raise EvacError("backup.damaged", path=str(source)) from exc


def _write_private(target: Path, data: bytes) -> None:
    """``data`` as ``target`` (0600), complete or not at all."""
    partial = target.with_name(target.name + ".partial")
    try:
        with os.fdopen(private.open_for_writing(partial), "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        partial.replace(target)
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)


# --- making, listing, rotating ------------------------------------------------------------------


def _parse(path: Path, name: str) -> BackupInfo | None:
    match = _NAME.match(path.name)
    if match is None or match["name"] != name:
        return None
    try:
        made_at = datetime.strptime(match["stamp"], STAMP)
        size = path.stat().st_size
    except (ValueError, OSError):
        return None
    return BackupInfo(path, made_at, size, bool(match["sealed"]))


def _in_folder(folder: Path, name: str) -> list[BackupInfo]:
    try:
        paths = list(folder.iterdir())
    except OSError:  # a missing folder or an unplugged USB stick holds no backups
        return []
    found = [info for p in paths if p.is_file() and (info := _parse(p, name)) is not None]
    return sorted(found, key=lambda b: (b.made_at, b.path.name), reverse=True)


def list_backups(policy: BackupPolicy) -> list[BackupInfo]:
    """This database's backups, newest first; copies only on the second folder are included."""
    found = _in_folder(policy.folder, policy.name)
    if policy.second_folder is not None:
        names = {b.path.name for b in found}
        extra = [
            b for b in _in_folder(policy.second_folder, policy.name) if b.path.name not in names
        ]
        found = sorted(found + extra, key=lambda b: (b.made_at, b.path.name), reverse=True)
    return found


def due(policy: BackupPolicy, now: datetime | None = None) -> bool:
    """True while the backup folder holds no backup of this database made today."""
    today = (now or datetime.now()).date()
    return not any(b.made_at.date() == today for b in _in_folder(policy.folder, policy.name))


def _make(
    db: Database,
    policy: BackupPolicy,
    passphrase: str | None,
    now: datetime | None,
    on_warning: Callable[[str], None] | None,
) -> Path:
    source = str(sqlite_path(db))
    stamp = (now or datetime.now()).strftime(STAMP)
    target = policy.folder / f"{policy.name}-{stamp}{SEALED_SUFFIX if passphrase else SUFFIX}"
    if passphrase:
        sealed = seal_bytes(_copy_to_memory(source), passphrase)  # the plain copy: memory only
        try:
            private.make_folder(policy.folder)
            _write_private(target, sealed)
        except OSError as exc:
            raise EvacError(
                "backup.cannot_write", path=str(policy.folder), detail=exc.strerror or ""
            ) from exc
    else:
        _copy_to_file(source, target)
    if policy.second_folder is not None:
        _copy_to_second(target, policy.second_folder, on_warning)
    return target


@gate(Permission.BACKUP)
def make_backup(
    db: Database,
    policy: BackupPolicy,
    passphrase: str | None = None,
    now: datetime | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """One checked backup in the policy's folder (sealed when a passphrase is given), copied to
    the second folder when that is reachable; a missing USB stick is a warning, not a failure."""
    return _make(db, policy, passphrase, now, on_warning)


def _warn(on_warning: Callable[[str], None] | None, text: str) -> None:
    log.warning("%s", text)
    if on_warning is not None:
        on_warning(text)


def _copy_to_second(
    backup: Path, folder: Path, on_warning: Callable[[str], None] | None
) -> Path | None:
    if not folder.is_dir():
        _warn(on_warning, message("backup.second_missing", path=str(folder)))
        return None
    copy = folder / backup.name
    partial = copy.with_name(copy.name + ".partial")
    try:
        private.create_file(partial)  # shutil would create it 0644; it keeps this mode
        shutil.copyfile(backup, partial)
        partial.replace(copy)
    except OSError as exc:
        _warn(
            on_warning,
            message("backup.second_failed", path=str(folder), detail=exc.strerror or str(exc)),
        )
        return None
    finally:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
    return copy


def rotate(folder: Path, policy: BackupPolicy, now: datetime | None = None) -> list[Path]:
    """Keep the newest backup of each of the last ``keep_daily`` days and of each of the last
    ``keep_weekly`` ISO weeks (days and weeks that have a backup, so a laptop left off for a
    month still keeps its history); delete the rest. The newest backup is never deleted, nor
    any dated after ``now`` (a wrong clock). Returns the deleted files."""
    now = now or datetime.now()
    backups = _in_folder(folder, policy.name)
    if not backups:
        return []
    keep = {backups[0].path}
    days: list[date] = []
    weeks: list[tuple[int, int]] = []
    for b in backups:  # newest first: the first seen of a day or week is its newest
        if b.made_at > now:
            keep.add(b.path)
            continue
        day = b.made_at.date()
        week = day.isocalendar()[:2]
        if day not in days and len(days) < policy.keep_daily:
            days.append(day)
            keep.add(b.path)
        if week not in weeks and len(weeks) < policy.keep_weekly:
            weeks.append((week[0], week[1]))
            keep.add(b.path)
    deleted = []
    for b in backups:
        if b.path not in keep:
            with contextlib.suppress(OSError):
                b.path.unlink()
                deleted.append(b.path)
    return deleted


def _make_and_rotate(
    db: Database,
    policy: BackupPolicy,
    passphrase: str | None,
    now: datetime | None,
    on_warning: Callable[[str], None] | None,
) -> Path:
    now = now or datetime.now()
    made = _make(db, policy, passphrase, now, on_warning)
    rotate(policy.folder, policy, now)
    if policy.second_folder is not None and policy.second_folder.is_dir():
        rotate(policy.second_folder, policy, now)
    return made


@gate(Permission.BACKUP)
def backup_and_rotate(
    db: Database,
    policy: BackupPolicy,
    passphrase: str | None = None,
    now: datetime | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """``evacsupport backup``: a backup now (into ``--to`` or the settings' folder), rotated."""
    return _make_and_rotate(db, policy, passphrase, now, on_warning)


@ungated(
    "the app's own safety net, whoever is signed in (a venue laptop's staff too): made when "
    "the app decides (once a day, on exit) into the folders the settings name, which only "
    "administrators and coordinators may change; nobody chooses when or where"
)
def automatic_backup(
    db: Database,
    settings: Settings,
    passphrase: str | None = None,
    now: datetime | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """The window's daily and on-exit backup, rotated.

    It takes the settings rather than a folder on purpose: the one thing that makes it safe to
    leave open to every role is that the caller cannot say where the copy goes."""
    policy = policy_from_settings(settings, sqlite_path(db))
    return _make_and_rotate(db, policy, passphrase, now, on_warning)


# --- what a killed process leaves behind --------------------------------------------------------


def _leftover_patterns(name: str) -> list[re.Pattern[str]]:
    stem = re.escape(name)
    return [
        re.compile(rf"^{stem}-\d{{8}}-\d{{6}}\.sqlite3(\.evbak)?\.partial$"),  # a copy cut short
        re.compile(rf"^\.{stem}-\d{{8}}-\d{{6}}\.plain$"),  # earlier versions' plain copies
    ]


@ungated(
    "deletes only crash leftovers (unfinished copies, earlier versions' plain copies, an "
    "interrupted restore's decrypted file), never a backup or a database; runs before sign-in"
)
def remove_leftovers(db_path: Path | str | None, policy: BackupPolicy) -> list[Path]:
    """At start: delete the temporary files a killed backup or restore left behind.

    They are no backups (never listed, never restored) but may hold the whole database, an
    earlier version's ``.NAME-STAMP.plain`` in plain text. Returns what was deleted."""
    found: list[Path] = []
    patterns = _leftover_patterns(policy.name)
    for folder in (policy.folder, policy.second_folder):
        if folder is None:
            continue
        with contextlib.suppress(OSError):
            found += [p for p in folder.iterdir() if any(r.match(p.name) for r in patterns)]
    if db_path is not None:
        db_path = Path(db_path)
        with contextlib.suppress(OSError):
            for kind in ("restoring", "sealing", "encrypting", "rekeying"):
                found += list(db_path.parent.glob(f".{glob.escape(db_path.name)}.{kind}*"))
    deleted = []
    for path in found:
        try:
            path.unlink()
        except OSError as exc:
            log.warning("could not delete the leftover %s: %s", path, exc.strerror)
        else:
            log.info("deleted the leftover %s", path)
            deleted.append(path)
    return deleted


# --- restoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Restored:
    """A restore that happened: which backup, the database it replaced, where the file that was
    there before is kept (None when there was none), and who did it (as in the audit entry)."""

    backup: Path
    database: Path
    kept_aside: Path | None
    username: str


def check_copy(path: Path, shown: Path) -> None:
    """Refuse a file that is not a sound SQLite database or was written by a newer app."""
    try:
        conn = cipher.connect(path)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except cipher.driver_errors() as exc:
        raise EvacError("backup.damaged", path=str(shown)) from exc
    if result != ["ok"]:
        raise EvacError("backup.damaged", path=str(shown))
    engine = create_engine(cipher.engine_url(sqlite_url(path)), poolclass=NullPool)
    try:
        migrate.check_not_newer(engine)
    except StorageError as exc:
        raise EvacError("backup.too_new", revision=exc.params.get("revision", "")) from exc
    except SQLAlchemyError as exc:
        raise EvacError("backup.damaged", path=str(shown)) from exc
    finally:
        engine.dispose()


@contextlib.contextmanager
def _unpacked(db_path: Path, backup_path: Path, passphrase: str | None) -> Iterator[Path]:
    """The backup as a checked plain database in a private (0600) file beside ``db_path``,
    where it can be renamed into place; removed at the end whatever happens (and, after a
    crash, by :func:`remove_leftovers`)."""
    if not backup_path.is_file():
        raise EvacError("backup.not_found", path=str(backup_path))
    sealed = is_sealed(backup_path)
    if sealed and not passphrase:
        raise EvacError("backup.passphrase_needed")
    private.make_folder(db_path.parent)
    fd, name = tempfile.mkstemp(dir=db_path.parent, prefix=f".{db_path.name}.restoring-")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            if sealed:
                assert passphrase is not None
                out.write(open_sealed(backup_path, passphrase))
            else:
                with backup_path.open("rb") as source:
                    shutil.copyfileobj(source, out)
            out.flush()
            os.fsync(out.fileno())
        check_copy(temp, backup_path)
        yield temp
    finally:
        for extra in ("", *private.SQLITE_COMPANIONS):
            with contextlib.suppress(OSError):
                temp.with_name(temp.name + extra).unlink(missing_ok=True)


def _aside_name(db_path: Path) -> Path | None:
    """Where the current file goes: a name no earlier restore used (never overwrite one)."""
    if not db_path.exists():
        return None
    base = f"{db_path.name}.before-restore-{datetime.now().strftime(STAMP)}"
    aside, n = db_path.with_name(base), 1
    while any(aside.with_name(aside.name + e).exists() for e in ("", *private.SQLITE_COMPANIONS)):
        n += 1
        aside = db_path.with_name(f"{base}-{n}")
    return aside


def _stamp_copy(
    copy: Database, username: str, backup_path: Path, db_path: Path, aside: Path | None
) -> None:
    """In the copy, before it replaces the database: the audit entry of this restore, and a new
    sync identity (peers resend what the backup lacks; see sync.site.start_new_identity)."""
    from evacsupport.sync import site

    with copy.session() as session:
        site.start_new_identity(session.connection())
        audit.record(
            session,
            "restore",
            changes={
                "file": backup_path.name,
                "folder": str(backup_path.parent),
                "database": db_path.name,
                "kept_aside": aside.name if aside else "",
            },
            username=username,
        )


def _self_contained(path: Path) -> None:
    """Fold the copy's WAL into the file: a WAL left under the temporary name would be lost in
    the rename (the app turns WAL on again when it opens the database)."""
    conn = cipher.connect(path)
    try:
        conn.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        conn.close()


def _sync_folder(folder: Path) -> None:
    """Make a rename durable across a power cut (POSIX; Windows commits renames itself)."""
    if not private.POSIX:
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _swap_in(copy: Path, db_path: Path, aside: Path | None) -> None:
    """Keep the current file (and its WAL) aside, then rename the copy into place."""
    if aside is not None:
        try:
            os.link(db_path, aside)  # the current file stays in place until the swap
        except OSError:
            shutil.copy2(db_path, aside)
        private.tighten(aside)
    moved: list[str] = []
    for extra in private.SQLITE_COMPANIONS:  # the old file's log must not meet the new one
        leftover = db_path.with_name(db_path.name + extra)
        if leftover.exists():
            if aside is not None:
                leftover.replace(aside.with_name(aside.name + extra))
                moved.append(extra)
            else:
                leftover.unlink()
    try:
        copy.replace(db_path)
    except OSError:
        if aside is not None:  # the current file stays in use, with its own log
            for extra in moved:
                aside.with_name(aside.name + extra).replace(db_path.with_name(db_path.name + extra))
        raise
    _sync_folder(db_path.parent)


def _put_in_place(
    db_path: Path,
    backup_path: Path,
    passphrase: str | None,
    authorise: Callable[[Database], str],
    close_current: Callable[[], None],
) -> Restored:
    """What both ways of restoring share: unpack and check the backup, let ``authorise`` refuse
    it (or say who restores), write the audit entry into the copy, then swap the files."""
    try:
        with _unpacked(db_path, backup_path, passphrase) as temp:
            copy = Database(sqlite_url(temp))  # an older backup's schema is brought up to date
            try:
                username = authorise(copy)
                aside = _aside_name(db_path)
                _stamp_copy(copy, username, backup_path, db_path, aside)
            finally:
                copy.close()
            _self_contained(temp)
            close_current()
            _swap_in(temp, db_path, aside)
    except OSError as exc:
        raise EvacError(
            "backup.cannot_write", path=str(db_path), detail=exc.strerror or ""
        ) from exc
    except SQLAlchemyError as exc:
        raise storage_error(exc, sqlite_url(db_path)) from exc
    except cipher.driver_errors() as exc:
        raise storage_error(exc, sqlite_url(db_path)) from exc
    return Restored(backup_path, db_path, aside, username)


def _accounts_in_copy(copy: Database) -> bool:
    from evacsupport.services.accounts import AccountService

    return AccountService(copy).has_accounts()


@gate(Permission.RESTORE)
def restore(db: Database, backup_path: Path | str, passphrase: str | None = None) -> Restored:
    """Put a checked backup in place of the open database ``db`` (signed in as an administrator,
    or a database without accounts), and close ``db``: open the file again to go on.

    A damaged backup, a wrong passphrase, a backup from a newer app, or a backup without
    accounts over a database that has them is refused before anything is touched, and ``db``
    stays open. The current file (with its WAL, if any) is kept aside as
    ``<name>.before-restore-<stamp>``. The restored database holds an audit entry naming
    ``db.actor``, the backup and the kept file.
    """
    db_path, backup_path = sqlite_path(db), Path(backup_path)
    current_has_accounts = has_accounts(db)

    def authorise(copy: Database) -> str:
        if current_has_accounts and not _accounts_in_copy(copy):
            raise EvacError("backup.no_accounts")
        return db.actor or login_name()

    return _put_in_place(db_path, backup_path, passphrase, authorise, db.close)


def _accounts_in_file(path: Path) -> int | None:
    """How many accounts a database file holds, read as far as a damaged file allows; None when
    that cannot be told."""
    if not path.exists():
        return 0
    try:  # read-only: the damaged file and its WAL are kept aside as they are
        conn = cipher.connect(path, read_only=True, timeout=5)
        try:
            return int(conn.execute("SELECT count(*) FROM app_user").fetchone()[0])
        finally:
            conn.close()
    except StorageError:  # its key unknown
        return None
    except cipher.driver_errors():  # too damaged
        return None


@ungated(
    "a damaged or missing file cannot be signed into: the credentials of an administrator in "
    "the backup being restored are checked against that backup instead"
)
def recover(
    db_path: Path | str,
    backup_path: Path | str,
    passphrase: str | None = None,
    credentials: tuple[str, str] | None = None,
) -> Restored:
    """Restore over a database that cannot be opened (damaged) or is not there yet.

    ``credentials`` (user name, password) must be those of an active administrator in the
    backup; a wrong one, or none when the backup has accounts (``backup.credentials_needed``),
    is refused before anything is touched. A backup without accounts needs none, but only when
    the file it replaces demonstrably had none either.
    """
    from evacsupport.services.accounts import AccountService

    db_path, backup_path = Path(db_path), Path(backup_path)

    def authorise(copy: Database) -> str:
        if not _accounts_in_copy(copy):
            if _accounts_in_file(db_path) != 0:
                raise EvacError("backup.no_accounts_damaged")
            return login_name()
        if credentials is None:
            raise EvacError("backup.credentials_needed")
        try:  # the copy is thrown away on refusal: its failure count and entry with it
            who = AccountService(copy).authenticate(*credentials)
        except EvacError as exc:
            if exc.code in ("auth.failed", "auth.failed_left"):
                raise EvacError("backup.wrong_credentials") from exc
            raise
        if not allowed(who.role, Permission.RESTORE):
            raise EvacError("auth.forbidden", role=role_name(who.role))
        return who.username

    return _put_in_place(db_path, backup_path, passphrase, authorise, lambda: None)


# Refusals that are the backup's fault: the next older backup may do. Any other refusal (a
# wrong passphrase or sign-in, a backup without accounts) would be the same or worse with an
# older one, and silently restoring further back would lose more.
_TRY_OLDER = {"backup.damaged", "backup.too_new", "backup.passphrase_needed", "backup.not_found"}


@ungated("start-up recovery of a damaged file; recover() checks who may restore")
def recover_latest_good(
    db_path: Path | str,
    policy: BackupPolicy,
    passphrase: str | None = None,
    credentials: tuple[str, str] | None = None,
) -> Restored:
    """Restore the newest backup that passes its checks (start-up recovery of a damaged file)."""
    for info in list_backups(policy):
        try:
            return recover(db_path, info.path, passphrase, credentials)
        except EvacError as exc:
            if exc.code not in _TRY_OLDER:
                raise
            log.warning("backup %s not used: %s", info.path, exc.message("en"))
    raise EvacError("backup.none_good", path=str(policy.folder))
