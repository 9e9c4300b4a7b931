"""Sealing a package with the team passphrase: scrypt for the key, AES-GCM for the contents.

The file is ``MAGIC``, one line of JSON header (KDF parameters, salt, nonce, a passphrase check)
and the ciphertext. The header is authenticated too (GCM associated data), so changing any byte
of the file makes opening fail. The passphrase check (a hash of a second derived key) tells a
wrong passphrase apart from a damaged or tampered file, so the message can say which.

``cryptography`` is imported inside the functions: it costs 0.3 s, which the window should not
pay at start for a package nobody is reading yet.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import zlib
from typing import Any

from evacsupport.errors import EvacError

MAGIC = b"EVSYNC1\n"
MIN_PASSPHRASE = 8
# scrypt at n=2**15, r=8: 32 MiB and about 0.1 s per package, far too slow to guess at scale.
KDF: dict[str, Any] = {"name": "scrypt", "n": 2**15, "r": 8, "p": 1}


def _keys(passphrase: str, salt: bytes, params: dict[str, int]) -> tuple[bytes, bytes]:
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


def seal(payload: dict[str, Any], passphrase: str) -> bytes:
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    passphrase = check_passphrase(passphrase)
    salt, nonce = os.urandom(16), os.urandom(12)
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
    body = zlib.compress(json.dumps(payload, ensure_ascii=False).encode("utf-8"), 6)
    return MAGIC + header + b"\n" + AESGCM(key).encrypt(nonce, body, MAGIC + header)


def open_sealed(blob: bytes, passphrase: str) -> dict[str, Any]:
    """The package contents; refuses a wrong passphrase or any change to the file."""
    from cryptography.exceptions import InvalidTag
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    if not blob.startswith(MAGIC) or b"\n" not in blob[len(MAGIC) :]:
        raise EvacError("sync.not_a_package")
    header_bytes, ciphertext = blob[len(MAGIC) :].split(b"\n", 1)
    try:
        header = json.loads(header_bytes)
        params = {k: int(header["kdf"][k]) for k in ("n", "r", "p")}
        salt = base64.b64decode(header["salt"], validate=True)
        nonce = base64.b64decode(header["nonce"], validate=True)
        check = base64.b64decode(header["check"], validate=True)
        if header["kdf"].get("name") != "scrypt" or params["n"] > 2**20 or params["r"] > 16:
            raise ValueError("unknown key derivation")
    except (ValueError, KeyError, TypeError, AttributeError) as exc:
        raise EvacError("sync.damaged") from exc
    key, expected = _keys(passphrase.strip(), salt, params)
    if not hmac.compare_digest(check, expected):
        raise EvacError("sync.wrong_passphrase")
    try:
        body = AESGCM(key).decrypt(nonce, ciphertext, MAGIC + header_bytes)
        payload = json.loads(zlib.decompress(body).decode("utf-8"))
    except (InvalidTag, zlib.error, ValueError) as exc:
        raise EvacError("sync.damaged") from exc
    if not isinstance(payload, dict):
        raise EvacError("sync.damaged")
    return payload
