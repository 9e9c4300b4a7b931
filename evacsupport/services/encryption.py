"""Encrypting a database at rest, changing its key, and making a new encrypted one.

The file work is :mod:`evacsupport.db.cipher`'s; here are the rules around it: who may (an
administrator, as for a restore: the file is replaced), what a passphrase must be, and the
audit entry, written into the database before it is copied so the new file holds it.

Encrypting or changing the key writes a new file under the new key (``sqlcipher_export``),
checks every page of it, puts it in place of the old one and overwrites the old one's bytes.
The database is closed for this: open it again (with the new key) to go on. Backups made
before keep the key they were made under; restoring one asks for that key.
"""

from __future__ import annotations

import os
from pathlib import Path

from evacsupport.db import cipher
from evacsupport.db.engine import Database
from evacsupport.domain.roles import Permission
from evacsupport.errors import StorageError
from evacsupport.services import audit
from evacsupport.services.authz import gate, ungated
from evacsupport.services.backup import sqlite_path


def check_new_passphrase(passphrase: str, confirm: str) -> None:
    """Refuse a passphrase too short, or one typed differently the second time."""
    cipher.key_like(passphrase)
    if passphrase != confirm:
        raise StorageError("db.passphrase_mismatch")


@ungated("makes a new, empty file: there is nothing in it to protect yet")
def create_encrypted(path: Path | str, passphrase: str, confirm: str) -> None:
    """A new encrypted database file at ``path`` (which must be missing or empty); opening it
    next (``Database``) builds its tables under that key."""
    check_new_passphrase(passphrase, confirm)
    path = Path(path)
    if path.exists() and path.stat().st_size:
        if cipher.is_encrypted(path):
            raise StorageError("db.already_encrypted", path=str(path))
        raise StorageError("db.exists_plain", path=str(path))
    cipher.create(path, passphrase)


def _rewrite(db: Database, passphrase: str, action: str) -> Path:
    path = sqlite_path(db)
    with db.session() as session:
        audit.record(session, action, changes={"database": path.name})
    db.close()
    new = path.with_name(f".{path.name}.{action}ing-{os.getpid()}")
    try:
        cipher.export(path, new, passphrase)
        cipher.replace_with(path, new)
    finally:
        new.unlink(missing_ok=True)
    return path


@gate(Permission.RESTORE)
def encrypt(db: Database, passphrase: str, confirm: str) -> Path:
    """Replace ``db``'s plain file with an encrypted copy under ``passphrase``; ``db`` is
    closed. Refused for a file already encrypted and for a server database."""
    check_new_passphrase(passphrase, confirm)
    path = sqlite_path(db)
    if cipher.is_encrypted(path):
        raise StorageError("db.already_encrypted", path=str(path))
    return _rewrite(db, passphrase, "encrypt")


@gate(Permission.RESTORE)
def rekey(db: Database, current: str, passphrase: str, confirm: str) -> Path:
    """Give ``db``'s encrypted file a new key; ``current`` must be its present passphrase
    (someone at an unlocked laptop cannot change it alone). ``db`` is closed."""
    path = sqlite_path(db)
    if not cipher.is_encrypted(path):
        raise StorageError("db.not_encrypted", path=str(path))
    check_new_passphrase(passphrase, confirm)
    cipher.unlock(path, current)  # db.wrong_key when it is not
    return _rewrite(db, passphrase, "rekey")


@ungated("says only whether the open file is encrypted; reads no record")
def is_encrypted(db: Database) -> bool:
    """True for an SQLite file under SQLCipher; a server database says False (its own
    encryption, on the server's disk, is the server's)."""
    if not db.is_sqlite or db.in_memory or not db.url.database:
        return False
    return cipher.is_encrypted(db.url.database)
