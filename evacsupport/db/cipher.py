"""Encryption at rest (SQLCipher), and the one way the app opens an SQLite file directly.

An encrypted database is an SQLCipher 4 file: every page AES-256 encrypted and authenticated
(HMAC-SHA512), the file's first 16 bytes its salt, the key derived from the passphrase with
SQLCipher's own KDF (PBKDF2-HMAC-SHA512, 256,000 rounds). The app derives that key itself, once
per file, and hands SQLCipher the raw key and salt (``PRAGMA key = "x'…'"``): every new
connection (the pool, each backup, each check) then opens at once instead of deriving the key
again, and the file stays one SQLCipher opens with the passphrase alone (its command-line tool,
for an expert recovering data).

Keys live in this process only, by salt: a backup or restored copy of the same file has the
same salt and key, so it opens without asking again. Nothing here writes a key or passphrase
anywhere. Scripts give the passphrase in ``EVACSUPPORT_DB_KEY``; the window asks for it.

:func:`connect` is how everything outside the engine (backups, the start-up page check,
recovery, integrity checks, the benches) opens a file, so an encrypted one is read through the
same engine as the app's sessions and a plain one through Python's ``sqlite3``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import secrets
import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from evacsupport.db import private
from evacsupport.errors import StorageError

if TYPE_CHECKING:
    from types import ModuleType

    from sqlalchemy import URL

KEY_ENV = "EVACSUPPORT_DB_KEY"
SQLITE_MAGIC = b"SQLite format 3\x00"
SALT_BYTES = 16
KEY_BYTES = 32
KDF_ROUNDS = 256_000  # SQLCipher 4's default (PRAGMA kdf_iter)
KDF_HASH = "sha512"  # SQLCipher 4's default (PRAGMA cipher_kdf_algorithm)
MIN_PASSPHRASE = 8
PAGE_GRAIN = 512  # every SQLite page size is a multiple of this

_keys: dict[bytes, bytes] = {}  # salt -> derived key, for this process only
_lock = threading.Lock()
_quiet = False


def engine_module() -> ModuleType:
    """SQLCipher's DB-API module (imported only when an encrypted file is used)."""
    from sqlcipher3 import dbapi2

    global _quiet
    if not _quiet:  # SQLCipher logs a wrong key's failed pages on stderr (process-wide)
        dbapi2.connect(":memory:").execute("PRAGMA cipher_log_level = NONE")
        _quiet = True
    return dbapi2


def driver_errors() -> tuple[type[Exception], ...]:
    """The DB-API error base classes of both engines (SQLCipher's are not ``sqlite3``'s)."""
    try:
        return (sqlite3.Error, engine_module().Error)
    except ImportError:  # pragma: no cover - sqlcipher3 is a dependency
        return (sqlite3.Error,)


def is_operational(exc: BaseException) -> bool:
    """A lock, a missing folder or permission (the driver's ``OperationalError``): nothing
    said about damage. Both engines name the class the same."""
    return type(exc).__name__ == "OperationalError"


def _header(path: Path | str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read(SALT_BYTES)
    except OSError:
        return b""


def is_encrypted(path: Path | str) -> bool:
    """True for a file that is not a plain SQLite database but has the shape of an encrypted
    one (whole pages). An empty or missing file is neither; a document picked by mistake is
    almost never a whole number of pages, and is refused as "not a database" when opened."""
    header = _header(path)
    if len(header) < SALT_BYTES or header == SQLITE_MAGIC:
        return False
    try:
        size = os.path.getsize(path)
    except OSError:
        return False
    return size % PAGE_GRAIN == 0


def derive(passphrase: str, salt: bytes) -> bytes:
    """SQLCipher 4's key for ``passphrase`` and a file's salt."""
    return hashlib.pbkdf2_hmac(KDF_HASH, passphrase.encode("utf-8"), salt, KDF_ROUNDS, KEY_BYTES)


def _pragma(key: bytes, salt: bytes) -> str:
    return f"x'{key.hex()}{salt.hex()}'"


def _open_keyed(path: Path | str, key: bytes, salt: bytes, **options: Any) -> Any:
    """A SQLCipher connection with the key set and the key checked (a wrong key or a
    damaged first page fails here, not at a later statement)."""
    dbapi = engine_module()
    conn = dbapi.connect(str(path), **options)
    try:
        conn.execute(f'PRAGMA key = "{_pragma(key, salt)}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except BaseException:
        conn.close()
        raise
    return conn


def _works(path: Path | str, key: bytes, salt: bytes) -> bool:
    dbapi = engine_module()
    try:
        _open_keyed(path, key, salt, timeout=5).close()
    except dbapi.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == 26:  # SQLITE_NOTADB: the key is wrong
            return False
        raise
    return True


def unlock(path: Path | str, passphrase: str) -> None:
    """Remember the key of the encrypted file at ``path``; ``db.wrong_key`` when the
    passphrase is not its own."""
    salt = _header(path)
    if not is_encrypted(path):
        return
    key = derive(passphrase, salt)
    if not _works(path, key, salt):
        raise StorageError("db.wrong_key", path=str(path))
    with _lock:
        _keys[salt] = key


def forget_keys() -> None:
    """Drop every key this process holds (the window's lock, tests)."""
    with _lock:
        _keys.clear()


def _key_of(path: Path | str) -> tuple[bytes, bytes] | None:
    """(key, salt) of the file at ``path``; None for a plain or new file.

    The key comes from an earlier :func:`unlock` of this file (or a copy of it), else from
    ``EVACSUPPORT_DB_KEY``. ``db.key_needed`` when neither has it, ``db.wrong_key`` when
    the environment's passphrase is not the file's."""
    if not is_encrypted(path):
        return None
    salt = _header(path)
    with _lock:
        key = _keys.get(salt)
    if key is None:
        passphrase = os.environ.get(KEY_ENV, "")
        if not passphrase:
            raise StorageError("db.key_needed", path=str(path))
        unlock(path, passphrase)
        with _lock:
            key = _keys[salt]
    return key, salt


def pragma_for(path: Path | str) -> str | None:
    """The ``PRAGMA key`` value of the file at ``path``; None for a plain or new file."""
    found = _key_of(path)
    return _pragma(*found) if found else None


def has_key(path: Path | str) -> bool:
    """True when the file is plain, new, or its key is known (no passphrase to ask for)."""
    try:
        _key_of(path)
    except StorageError:
        return False
    return True


def connect(path: Path | str, *, read_only: bool = False, **options: Any) -> Any:
    """A DB-API connection to the file: SQLCipher with its key for an encrypted one, Python's
    ``sqlite3`` for a plain one. ``read_only`` opens it without writing anything (a damaged
    file and its WAL stay as they are)."""
    found = _key_of(path)
    target: Path | str = path
    if read_only:
        target, options = f"{Path(path).resolve().as_uri()}?mode=ro", {**options, "uri": True}
    if found is None:
        return sqlite3.connect(target, **options)
    return _open_keyed(target, *found, **options)


def connect_like(source: Path | str, target: Path | str) -> Any:
    """A connection to a new file ``target`` under the key and salt of ``source`` (plain when
    ``source`` is): where the backup API copies ``source``, so its copies stay encrypted
    and open with the same passphrase."""
    found = _key_of(source)
    if found is None:
        return sqlite3.connect(target)
    return _open_keyed(target, *found)


def engine_url(url: URL) -> URL:
    """``url`` as the engine opens it: SQLCipher's dialect with the key for an encrypted file
    (the only URL that carries the key; it never leaves the engine)."""
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return url
    pragma = pragma_for(url.database)
    if pragma is None:
        return url
    return url.set(drivername="sqlite+pysqlcipher", password=pragma)


def create(path: Path | str, passphrase: str) -> None:
    """A new, empty encrypted database at ``path`` (which must not hold a database yet); its
    key is remembered, so opening it next asks nothing."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = derive(passphrase, salt)
    private.prepare_database_file(str(path))
    conn = _open_keyed(path, key, salt)
    try:
        conn.execute("CREATE TABLE evacsupport_new (x)")  # the first page: salt and header
        conn.execute("DROP TABLE evacsupport_new")
        conn.commit()
    finally:
        conn.close()
    with _lock:
        _keys[salt] = key


def key_like(passphrase: str) -> None:
    """Refuse a passphrase too short to protect the file (``db.passphrase_short``)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise StorageError("db.passphrase_short", count=str(MIN_PASSPHRASE))


def export(source: Path | str, target: Path | str, passphrase: str) -> None:
    """A copy of the database at ``source`` (plain or encrypted, its key known) as a new
    encrypted file at ``target`` under ``passphrase`` (``sqlcipher_export``), checked page by
    page before this returns. ``target`` must not exist."""
    salt = secrets.token_bytes(SALT_BYTES)
    key = derive(passphrase, salt)
    private.prepare_database_file(str(target))
    src = _source(source)
    try:
        src.execute("ATTACH DATABASE ? AS encrypted KEY ?", (str(target), _pragma(key, salt)))
        src.execute("SELECT sqlcipher_export('encrypted')").fetchall()
        version = src.execute("PRAGMA main.user_version").fetchone()[0]
        src.execute(f"PRAGMA encrypted.user_version = {int(version)}")
        src.execute("DETACH DATABASE encrypted")
    finally:
        src.close()
    check = _open_keyed(target, key, salt)
    try:
        if check.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise StorageError("db.damaged", path=str(target))
    finally:
        check.close()
    with _lock:
        _keys[salt] = key


def _source(path: Path | str) -> Any:
    """A SQLCipher connection to ``path`` (sqlcipher_export exists only there), keyed when the
    file is encrypted."""
    if is_encrypted(path):
        return connect(path)
    dbapi = engine_module()
    conn = dbapi.connect(str(path))
    conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    return conn


def replace_with(path: Path, new: Path) -> None:
    """Put the file ``new`` in place of ``path`` and overwrite the old file's bytes first, so
    the plain (or old-key) pages do not stay readable on the disk under a deleted name.

    Overwriting in place is what can be done from an application; a journaling filesystem or
    an SSD may still keep old blocks, which is why full-disk encryption stays advised."""
    old = path.with_name(path.name + ".old")
    os.replace(path, old)
    for extra in private.SQLITE_COMPANIONS:
        with contextlib.suppress(FileNotFoundError):
            _shred(path.with_name(path.name + extra))
    os.replace(new, path)
    _shred(old)


def _shred(path: Path) -> None:
    size, chunk = path.stat().st_size, 1 << 20
    with open(path, "r+b", buffering=0) as f:
        for start in range(0, size, chunk):
            f.write(bytes(min(chunk, size - start)))
        os.fsync(f.fileno())
    path.unlink()
