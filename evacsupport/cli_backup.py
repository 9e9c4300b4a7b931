"""``evacsupport backup``, ``backups`` and ``restore FILE``: the SQLite file's safety copies.

Backups follow the settings (folder, second folder, how many to keep, encryption). An encrypted
backup needs the team passphrase: ``EVACSUPPORT_PASSPHRASE`` for scripts, else a prompt.

``backup`` and ``restore`` sign in first, as every command does, and are refused (before any
question is asked) to roles without the permission. A database that cannot be opened (damaged)
or is not there yet cannot be signed into: ``restore`` then checks the credentials against an
administrator account in the backup being restored. ``backups`` only lists file names and
sizes, so it needs no sign-in and works on a damaged database too.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from evacsupport.cli_common import (
    PASSWORD_VAR,
    USER_VAR,
    credentials,
    new_database_key,
    open_database,
    t,
)
from evacsupport.cli_sync import PASSPHRASE_VAR, _passphrase
from evacsupport.config import Settings, resolve_database_url
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, StorageError
from evacsupport.i18n import message
from evacsupport.services import backup
from evacsupport.services.authz import require

if TYPE_CHECKING:
    from evacsupport.db import Database


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    make = commands.add_parser(
        "backup", help=t("バックアップを今すぐ作る", "make a backup of the database now")
    )
    make.add_argument(
        "--to", metavar="FOLDER", help=t("保存先フォルダ（既定は設定のフォルダ）", "folder")
    )
    commands.add_parser("backups", help=t("バックアップの一覧", "list the backups"))
    restore = commands.add_parser(
        "restore", help=t("バックアップから復元する", "restore the database from a backup")
    )
    restore.add_argument("file", metavar="FILE")
    restore.add_argument(
        "--yes", action="store_true", help=t("確認せずに復元する", "do not ask for confirmation")
    )

    for name, help_text in (
        ("encrypt", t("データベースを暗号化する（管理者）", "encrypt the database (admin)")),
        ("rekey", t("データベースの鍵を変える（管理者）", "change the database key (admin)")),
    ):
        command = commands.add_parser(name, help=help_text)
        command.add_argument(
            "file", metavar="FILE", nargs="?", help=t("既定は --db のファイル", "default: --db")
        )


NEW_KEY_VAR = "EVACSUPPORT_NEW_DB_KEY"


def cmd_encrypt(args: argparse.Namespace) -> int:
    """``evacsupport encrypt [FILE]``: the plain file becomes an encrypted one (signed in as
    an administrator); the new key from ``EVACSUPPORT_NEW_DB_KEY`` or asked twice."""
    from evacsupport.services import encryption

    if args.file:
        args.db = args.file
    db = open_database(args)
    try:
        require(db, Permission.RESTORE)  # refused before a key is asked for
        path = encryption.encrypt(db, *new_database_key(NEW_KEY_VAR))
    finally:
        db.close()
    print(t(f"暗号化しました：{path}", f"Encrypted {path}"))
    return 0


def cmd_rekey(args: argparse.Namespace) -> int:
    """``evacsupport rekey [FILE]``: the current key (``EVACSUPPORT_DB_KEY`` or asked), then
    the new one (``EVACSUPPORT_NEW_DB_KEY`` or asked twice)."""
    from evacsupport.cli_common import database_key
    from evacsupport.services import encryption

    if args.file:
        args.db = args.file
    current = database_key(resolve_database_url(args.db, args.database_url))
    db = open_database(args)
    try:
        require(db, Permission.RESTORE)
        if current is None and not encryption.is_encrypted(db):
            raise StorageError("db.not_encrypted", path=db.description)
        path = encryption.rekey(db, current or "", *new_database_key(NEW_KEY_VAR))
    finally:
        db.close()
    print(t(f"鍵を変更しました：{path}", f"Changed the key of {path}"))
    return 0


def _database_path(args: argparse.Namespace) -> Path:
    url = resolve_database_url(args.db, args.database_url)
    if url.get_backend_name() != "sqlite":
        raise EvacError("backup.server")
    if not url.database or url.database == ":memory:":
        raise EvacError("backup.sqlite_only")
    return Path(url.database)


def _policy(args: argparse.Namespace, path: Path) -> backup.BackupPolicy:
    policy = backup.policy_from_settings(Settings.load(), path)
    if getattr(args, "to", None):
        return backup.BackupPolicy(
            Path(args.to).expanduser(), None, policy.keep_daily, policy.keep_weekly, policy.name
        )
    return policy


def _size(size: int) -> str:
    return f"{size / 1_048_576:.1f} MB" if size >= 1_048_576 else f"{size / 1024:.0f} KB"


def cmd_backup(args: argparse.Namespace) -> int:
    path = _database_path(args)
    policy = _policy(args, path)
    backup.remove_leftovers(path, policy)
    db = open_database(args)
    try:
        require(db, Permission.BACKUP)  # refused before the passphrase is asked for
        encrypt = Settings.load().backup_encrypt or bool(os.environ.get(PASSPHRASE_VAR))
        passphrase = _passphrase() if encrypt else None
        made = backup.backup_and_rotate(
            db, policy, passphrase, on_warning=lambda text: print(text, file=sys.stderr)
        )
    finally:
        db.close()
    print(message("cli.backup_done", path=str(made)))
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    policy = _policy(args, _database_path(args))
    found = backup.list_backups(policy)
    if not found:
        print(message("cli.backup_none", path=str(policy.folder)))
    for info in found:
        sealed = t("暗号化", "encrypted") if info.encrypted else ""
        print(f"{info.made_at:%Y-%m-%d %H:%M}  {_size(info.size):>9}  {sealed:<9}  {info.path}")
    return 0


def _confirmed(args: argparse.Namespace, path: Path, source: Path) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise EvacError("cli.restore_needs_yes")
    answer = input(message("cli.restore_confirm", db=str(path), backup=str(source)))
    return answer.strip().lower() in {"y", "yes", "はい"}


def _open_to_restore(args: argparse.Namespace, path: Path) -> Database | None:
    """The database signed in, or None when it cannot be signed into (missing or damaged)."""
    if not path.exists():
        return None
    try:
        return open_database(args)
    except StorageError as exc:
        if exc.code != "db.damaged":
            raise
        return None


def _recover(path: Path, source: Path, passphrase: str | None) -> backup.Restored:
    """Over a file nobody can sign into: an administrator of the backup, asked only when the
    backup has accounts (the environment's credentials are used when they are set)."""
    given = None
    if os.environ.get(USER_VAR, "").strip() and os.environ.get(PASSWORD_VAR, ""):
        given = credentials()
    try:
        return backup.recover(path, source, passphrase, given)
    except EvacError as exc:
        if exc.code != "backup.credentials_needed" or given is not None:
            raise
    return backup.recover(path, source, passphrase, credentials())


def cmd_restore(args: argparse.Namespace) -> int:
    path = _database_path(args)
    source = Path(args.file).expanduser()
    db = _open_to_restore(args, path)
    try:
        if db is not None:
            require(db, Permission.RESTORE)  # refused before any question, nothing written
        if not source.is_file():
            raise EvacError("backup.not_found", path=str(source))
        backup.remove_leftovers(path, _policy(args, path))
        passphrase = _passphrase() if backup.is_sealed(source) else None
        if not _confirmed(args, path, source):
            print(message("cli.restore_cancelled"))
            return 1
        if db is not None:
            done = backup.restore(db, source, passphrase)
        else:
            done = _recover(path, source, passphrase)
    finally:
        if db is not None:
            db.close()
    print(message("cli.restore_done", db=str(path), backup=str(source)))
    if done.kept_aside is not None:
        print(message("cli.restore_kept", path=str(done.kept_aside)))
    return 0
