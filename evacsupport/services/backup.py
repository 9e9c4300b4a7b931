"""A consistent copy of the open SQLite database, taken while the app keeps running.

SQLite's online backup API copies a live database page by page (WAL included) without stopping
writers, unlike copying the file, which can catch it half-written.

Automatic backups (on exit, once a day, ``evacsupport backup``) go to a folder as dated copies,
checked, sealed with the team passphrase when one is set (scrypt + AES-GCM, as sync packages),
optionally copied to a second folder (a USB stick), and rotated: the newest of each of the last
7 days and 4 weeks stay. Restoring checks the backup first and keeps the current file aside.
PostgreSQL is refused: the server's own backups (pg_dump) apply.
"""

from __future__ import annotations

import base64
import contextlib
import hmac
import json
import logging
import os
import re
import shutil
import sqlite3
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import create_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.pool import NullPool

from evacsupport.config import data_dir, sqlite_url
from evacsupport.db import migrate
from evacsupport.db.engine import Database, storage_error
from evacsupport.errors import EvacError, StorageError
from evacsupport.i18n import message
from evacsupport.sync import crypto

if TYPE_CHECKING:
    from evacsupport.config import Settings

# How long to wait for a source locked by another program before giving up with a message.
LOCK_TIMEOUT_S = 10.0


class _Locked(Exception):
    """Raised from the progress callback to stop a backup that cannot get its lock."""


def backup_to(db: Database, target: Path | str) -> Path:
    if not db.is_sqlite or not db.url.database or db.url.database == ":memory:":
        raise EvacError("backup.sqlite_only")
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".partial")
    deadline = time.monotonic() + LOCK_TIMEOUT_S

    def give_up_when_locked(status: int, _remaining: int, _total: int) -> None:
        # Python retries a busy step forever: a lock held elsewhere must end in a message.
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise _Locked

    try:
        partial.unlink(missing_ok=True)  # a crashed attempt's leftover is no database
        source = sqlite3.connect(db.url.database, timeout=LOCK_TIMEOUT_S)
        try:
            dest = sqlite3.connect(partial)
            try:
                source.backup(dest, progress=give_up_when_locked)
                checked = dest.execute("PRAGMA integrity_check").fetchone()[0]
            finally:
                dest.close()
        finally:
            source.close()
        if checked != "ok":
            raise EvacError("db.damaged", path=str(target))
        partial.replace(target)  # only a complete, checked copy ever gets the chosen name
    except _Locked as exc:
        raise StorageError("db.locked") from exc
    except sqlite3.Error as exc:
        raise storage_error(exc, db.url) from exc
    finally:
        partial.unlink(missing_ok=True)  # a failed attempt leaves nothing behind
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


def seal_file(source: Path, target: Path, passphrase: str) -> None:
    """Write ``source`` compressed and encrypted to ``target`` (header authenticated too)."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    passphrase = crypto.check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
    key, check = crypto._keys(passphrase, salt, crypto.KDF)
    header = json.dumps(
        {
            "kdf": crypto.KDF,
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "check": base64.b64encode(check).decode(),
        },
        separators=(",", ":"),
    ).encode()
    body = zlib.compress(source.read_bytes(), 6)  # the plain bytes are dropped right away
    sealed = AESGCM(key).encrypt(nonce, body, BACKUP_MAGIC + header)
    del body
    with target.open("wb") as f:
        f.write(BACKUP_MAGIC + header + b"\n")
        f.write(sealed)
        f.flush()
        os.fsync(f.fileno())


def open_sealed_file(source: Path, target: Path, passphrase: str) -> None:
    """Decrypt a sealed backup to ``target``; refuses a wrong passphrase or any changed byte."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    with source.open("rb") as f:
        if f.read(len(BACKUP_MAGIC)) != BACKUP_MAGIC:
            raise EvacError("backup.damaged", path=str(source))
        header_bytes = f.readline(4096).rstrip(b"\n")
        ciphertext = f.read()
    try:
        header = json.loads(header_bytes)
        params = {k: int(header["kdf"][k]) for k in ("n", "r", "p")}
        salt = base64.b64decode(header["salt"], validate=True)
        nonce = base64.b64decode(header["nonce"], validate=True)
        check = base64.b64decode(header["check"], validate=True)
        if header["kdf"].get("name") != "scrypt" or params["n"] > 2**20 or params["r"] > 16:
            raise ValueError("unknown key derivation")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EvacError("backup.damaged", path=str(source)) from exc
    key, expected = crypto._keys(passphrase.strip(), salt, params)
    if not hmac.compare_digest(check, expected):
        raise EvacError("backup.wrong_passphrase")
    try:
        body = AESGCM(key).decrypt(nonce, ciphertext, BACKUP_MAGIC + header_bytes)
        del ciphertext
        plain = zlib.decompress(body)
    except (InvalidTag, zlib.error, ValueError) as exc:
        raise EvacError("backup.damaged", path=str(source)) from exc
    del body
    with target.open("wb") as f:
        f.write(plain)
        f.flush()
        os.fsync(f.fileno())


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
    sqlite_path(db)
    now = now or datetime.now()
    stamp = now.strftime(STAMP)
    name = f"{policy.name}-{stamp}{SEALED_SUFFIX if passphrase else SUFFIX}"
    folder = policy.folder
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    plain = folder / f".{policy.name}-{stamp}.plain"  # hidden: never listed as a backup
    try:
        backup_to(db, plain)  # online copy + integrity check on the copy
        if passphrase:
            partial = target.with_name(target.name + ".partial")
            try:
                seal_file(plain, partial, passphrase)
                partial.replace(target)
            finally:
                partial.unlink(missing_ok=True)
        else:
            plain.replace(target)
    except OSError as exc:
        raise EvacError("backup.cannot_write", path=str(folder), detail=exc.strerror or "") from exc
    finally:
        plain.unlink(missing_ok=True)
    if policy.second_folder is not None:
        _copy_to_second(target, policy.second_folder, on_warning)
    return target


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
        shutil.copyfile(backup, partial)
        partial.replace(copy)
    except OSError as exc:
        _warn(
            on_warning,
            message("backup.second_failed", path=str(folder), detail=exc.strerror or str(exc)),
        )
        return None
    finally:
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


def backup_and_rotate(
    db: Database,
    policy: BackupPolicy,
    passphrase: str | None = None,
    now: datetime | None = None,
    *,
    on_warning: Callable[[str], None] | None = None,
) -> Path:
    """What the app does on exit, once a day, and for ``evacsupport backup``."""
    now = now or datetime.now()
    made = make_backup(db, policy, passphrase, now, on_warning=on_warning)
    rotate(policy.folder, policy, now)
    if policy.second_folder is not None and policy.second_folder.is_dir():
        rotate(policy.second_folder, policy, now)
    return made


# --- restoring ----------------------------------------------------------------------------------


def check_copy(path: Path, shown: Path) -> None:
    """Refuse a file that is not a sound SQLite database or was written by a newer app."""
    try:
        conn = sqlite3.connect(path)
        try:
            result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise EvacError("backup.damaged", path=str(shown)) from exc
    if result != ["ok"]:
        raise EvacError("backup.damaged", path=str(shown))
    engine = create_engine(sqlite_url(path), poolclass=NullPool)
    try:
        migrate.check_not_newer(engine)
    except StorageError as exc:
        raise EvacError("backup.too_new", revision=exc.params.get("revision", "")) from exc
    except SQLAlchemyError as exc:
        raise EvacError("backup.damaged", path=str(shown)) from exc
    finally:
        engine.dispose()


def restore(
    db_path: Path | str, backup_path: Path | str, passphrase: str | None = None
) -> Path | None:
    """Put a checked backup in place of the database file, which must be closed.

    The current file (with its WAL, if any) is kept aside as ``<name>.before-restore-<stamp>``;
    that path is returned (None when there was no file). A damaged backup, a wrong passphrase
    or a backup from a newer app is refused and the current file is left untouched.
    """
    db_path, backup_path = Path(db_path), Path(backup_path)
    if not backup_path.is_file():
        raise EvacError("backup.not_found", path=str(backup_path))
    db_path.parent.mkdir(parents=True, exist_ok=True)
    temp = db_path.with_name(f".{db_path.name}.restoring")
    try:
        if is_sealed(backup_path):
            if not passphrase:
                raise EvacError("backup.passphrase_needed")
            open_sealed_file(backup_path, temp, passphrase)
        else:
            shutil.copyfile(backup_path, temp)
        check_copy(temp, backup_path)
        aside: Path | None = None
        stamp = datetime.now().strftime(STAMP)
        if db_path.exists():
            aside = db_path.with_name(f"{db_path.name}.before-restore-{stamp}")
            try:
                os.link(db_path, aside)  # the current file stays in place until the swap
            except OSError:
                shutil.copy2(db_path, aside)
        for extra in ("-wal", "-shm", "-journal"):  # the old file's log must not meet the new one
            leftover = db_path.with_name(db_path.name + extra)
            if leftover.exists():
                if aside is not None:
                    leftover.replace(aside.with_name(aside.name + extra))
                else:
                    leftover.unlink()
        temp.replace(db_path)
    except OSError as exc:
        raise EvacError(
            "backup.cannot_write", path=str(db_path), detail=exc.strerror or ""
        ) from exc
    finally:
        temp.unlink(missing_ok=True)
    _fork_sync_identity(db_path)
    return aside


def _fork_sync_identity(db_path: Path) -> None:
    """The restored file lacks what was saved after the backup, though peers may have it: it
    goes on syncing under a new identity, so they resend it (see sync.site.start_new_identity)."""
    from evacsupport.config import sqlite_url
    from evacsupport.sync import site

    restored = Database(sqlite_url(db_path))
    try:
        # Not SyncService.after_restore: that is gated, and nobody is signed in to the file
        # just put in place (the restore itself was the administrator's act).
        with restored.session() as session:
            site.start_new_identity(session.connection())
    finally:
        restored.close()


def restore_latest_good(
    db_path: Path | str, policy: BackupPolicy, passphrase: str | None = None
) -> tuple[BackupInfo, Path | None]:
    """Restore the newest backup that passes its checks (start-up recovery of a damaged file).

    Returns the backup used and where the damaged file was kept aside.
    """
    for info in list_backups(policy):
        try:
            return info, restore(db_path, info.path, passphrase)
        except EvacError as exc:
            if exc.code == "backup.cannot_write":
                raise
            log.warning("backup %s not used: %s", info.path, exc.message("en"))
    raise EvacError("backup.none_good", path=str(policy.folder))
