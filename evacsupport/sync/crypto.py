"""Sealing a package with the team passphrase: scrypt for the key, AES-GCM for the contents.

The file is ``MAGIC``, one line of JSON header (KDF parameters, salt, nonce, a passphrase check)
and the ciphertext. The header is authenticated too (GCM associated data), so changing any byte
of the file makes opening fail. The passphrase check (a hash of a second derived key) tells a
wrong passphrase apart from a damaged or tampered file, so the message can say which.

Anyone can write a header, and the key is derived before anything is authenticated: the header
is therefore checked field by field first (:func:`read_header`), and only the exact parameters
this app writes are accepted. Otherwise a file saying ``p=65536`` would run scrypt for minutes and
``n=2**20, r=16`` would take 2 GB of memory before the passphrase was even checked.

``cryptography`` is imported inside the functions: it costs 0.3 s, which the window should not
pay at start for a package nobody is reading yet.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import zlib
from dataclasses import dataclass
from typing import Any

from evacsupport.errors import EvacError

MAGIC = b"EVSYNC1\n"
MIN_PASSPHRASE = 8
# scrypt at n=2**15, r=8: 32 MiB and about 0.1 s per package, far too slow to guess at scale.
KDF: dict[str, Any] = {"name": "scrypt", "n": 2**15, "r": 8, "p": 1}
"""The parameters every package is sealed with, and the only ones a package may name. Read at
each call, so the test suite can lower them for speed (``tests/sync/conftest.py``,
``cheap_kdf``); ``tests/sync/test_package_header.py`` pins the shipped values."""

SALT_BYTES, NONCE_BYTES, CHECK_BYTES, TAG_BYTES = 16, 12, 32, 16
MAX_HEADER = 512  # the app writes about 150 bytes
MAX_EXPANSION = 64  # JSON of changes compresses about 8:1; a zip bomb does 1000:1
MAX_PLAIN = 1 << 30  # 1 GiB of JSON: a prefecture-wide first package is well under
MIN_PLAIN_LIMIT = 16 << 20  # small packages may always expand to 16 MiB
MAX_PLAIN_BACKUP = 64 << 30  # a backup is a whole database; held in memory to restore it


@dataclass(frozen=True)
class Header:
    salt: bytes
    nonce: bytes
    check: bytes


def _keys(passphrase: str, salt: bytes, params: dict[str, Any]) -> tuple[bytes, bytes]:
    from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

    raw = Scrypt(salt=salt, length=64, n=params["n"], r=params["r"], p=params["p"]).derive(
        passphrase.encode("utf-8")
    )
    return raw[:32], hashlib.sha256(raw[32:]).digest()


def check_passphrase(passphrase: str) -> str:
    passphrase = passphrase.strip()
    if len(passphrase) < MIN_PASSPHRASE:
        raise EvacError("sync.passphrase_short", min=MIN_PASSPHRASE)
    return passphrase


class SealError(Exception):
    """Why sealed bytes cannot be opened; each caller says it in its own words."""


class NotSealed(SealError):
    """Not a file of this kind at all (another magic)."""


class Damaged(SealError):
    """A header not as this app writes it, a changed byte, or contents too large."""


class WrongPassphrase(SealError):
    """Sealed with another passphrase."""


def seal_bytes(plain: bytes, passphrase: str, magic: bytes) -> bytes:
    """``plain`` compressed and sealed with ``passphrase``: ``magic``, the header line, the
    ciphertext (header and magic authenticated too). Sync packages and encrypted backups alike.
    """
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    passphrase = check_passphrase(passphrase)
    salt, nonce = os.urandom(SALT_BYTES), os.urandom(NONCE_BYTES)
    key, check = _keys(passphrase, salt, KDF)
    header = json.dumps(
        {
            "kdf": KDF,
            "salt": base64.b64encode(salt).decode(),
            "nonce": base64.b64encode(nonce).decode(),
            "check": base64.b64encode(check).decode(),
        },
        separators=(",", ":"),
    ).encode()
    body = zlib.compress(plain, 6)
    return magic + header + b"\n" + AESGCM(key).encrypt(nonce, body, magic + header)


def open_bytes(
    blob: bytes, passphrase: str, magic: bytes, *, max_expansion: int | None = MAX_EXPANSION
) -> bytes:
    """The plain bytes :func:`seal_bytes` sealed. The header is checked before any key is
    derived (:func:`read_header`); ``max_expansion`` bounds how far the contents may inflate
    relative to the file (None: only :data:`MAX_PLAIN_BACKUP`, for backups, whose empty pages
    compress far better than JSON)."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not blob.startswith(magic):
        raise NotSealed()
    if b"\n" not in blob[len(magic) : len(magic) + MAX_HEADER + 1]:
        raise Damaged()
    header_bytes, ciphertext = blob[len(magic) :].split(b"\n", 1)
    header = read_header(header_bytes)
    if len(ciphertext) < TAG_BYTES:
        raise Damaged()
    key, expected = _keys(passphrase.strip(), header.salt, KDF)
    if not hmac.compare_digest(header.check, expected):
        raise WrongPassphrase()
    try:
        body = AESGCM(key).decrypt(header.nonce, ciphertext, magic + header_bytes)
        return _inflate(body, max_expansion)
    except (InvalidTag, zlib.error, ValueError) as exc:
        raise Damaged() from exc


def seal(payload: Any, passphrase: str) -> bytes:
    """``payload`` (a package: JSON-able, in practice a dict) sealed with ``passphrase``."""
    return seal_bytes(json.dumps(payload, ensure_ascii=False).encode("utf-8"), passphrase, MAGIC)


def _exact_kdf(found: Any) -> bool:
    """The header names exactly :data:`KDF`: same keys, same values, same JSON types (``1.0``
    and ``true`` compare equal to ``1`` in Python, so types are checked too)."""
    if not isinstance(found, dict) or found.keys() != KDF.keys():
        return False
    return all(type(found[k]) is type(v) and found[k] == v for k, v in KDF.items())


def _fixed_bytes(text: Any, size: int) -> bytes:
    """Strict base64 of exactly ``size`` bytes (the length is checked before decoding)."""
    if not isinstance(text, str) or len(text) != 4 * ((size + 2) // 3):
        raise ValueError("wrong length")
    raw = base64.b64decode(text, validate=True)
    if len(raw) != size:
        raise ValueError("wrong length")
    return raw


def read_header(header_bytes: bytes) -> Header:
    """The salt, nonce and check of a header, refused (:class:`Damaged`) unless every field is
    exactly what :func:`seal` writes. Nothing here is expensive, so a made-up header costs
    nothing to refuse; only after it passes is a key derived."""
    try:
        if len(header_bytes) > MAX_HEADER:
            raise ValueError("header too long")
        header = json.loads(header_bytes, parse_constant=_no_constant)
        if not isinstance(header, dict) or header.keys() != {"kdf", "salt", "nonce", "check"}:
            raise ValueError("unknown header")
        if not _exact_kdf(header["kdf"]):
            raise ValueError("unknown key derivation")
        return Header(
            _fixed_bytes(header["salt"], SALT_BYTES),
            _fixed_bytes(header["nonce"], NONCE_BYTES),
            _fixed_bytes(header["check"], CHECK_BYTES),
        )
    except (ValueError, RecursionError, binascii.Error) as exc:
        raise Damaged() from exc


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _inflate(body: bytes, max_expansion: int | None) -> bytes:
    """zlib-decompress, but refuse to grow past a bound tied to the package's size, so a
    sealed zip bomb is refused in milliseconds instead of filling the memory."""
    if max_expansion is None:
        limit = MAX_PLAIN_BACKUP
    else:
        limit = min(MAX_PLAIN, max(MIN_PLAIN_LIMIT, max_expansion * len(body)))
    inflater = zlib.decompressobj()
    plain = inflater.decompress(body, limit)
    if inflater.unconsumed_tail or not inflater.eof:
        raise ValueError("too large or truncated")
    return plain


def open_sealed(blob: bytes, passphrase: str) -> Any:
    """The JSON value inside (``schema.parse`` checks it is a package); refuses a wrong
    passphrase or any change to the file."""
    try:
        plain = open_bytes(blob, passphrase, MAGIC)
        return json.loads(plain.decode("utf-8"), parse_constant=_no_constant)
    except NotSealed as exc:
        raise EvacError("sync.not_a_package") from exc
    except WrongPassphrase as exc:
        raise EvacError("sync.wrong_passphrase") from exc
    except (Damaged, ValueError, RecursionError) as exc:
        raise EvacError("sync.damaged") from exc
