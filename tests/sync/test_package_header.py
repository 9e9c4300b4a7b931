"""The package header is checked before any key is derived: a made-up header costs nothing.

Anyone can write the first line of a file. Before this check a header saying ``p=65536`` ran
scrypt for minutes, ``n=2**20, r=16`` took 2 GB of memory, and ``n=3`` or ``p=0`` gave a
traceback, all before the passphrase was even compared.
"""

from __future__ import annotations

import base64
import json
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from evacsupport.errors import EvacError
from evacsupport.i18n import message
from evacsupport.services.households import HouseholdService
from evacsupport.sync import crypto
from tests.factories import household
from tests.sync.conftest import PASSPHRASE, Laptop
from tests.sync.helpers import dump

GOOD_SALT = base64.b64encode(b"s" * 16).decode()
GOOD_NONCE = base64.b64encode(b"n" * 12).decode()
GOOD_CHECK = base64.b64encode(b"c" * 32).decode()


def header(**changes: Any) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "kdf": dict(crypto.KDF),
        "salt": GOOD_SALT,
        "nonce": GOOD_NONCE,
        "check": GOOD_CHECK,
    }
    for key, value in changes.items():
        if key.startswith("kdf_"):
            fields["kdf"][key[4:]] = value
        elif value is ...:
            del fields[key]
        else:
            fields[key] = value
    return fields


def with_header(line: bytes, body: bytes = b"\x00" * 64) -> bytes:
    return crypto.MAGIC + line + b"\n" + body


HOSTILE = {
    "n=3 (not a power of two)": header(kdf_n=3),
    "p=0": header(kdf_p=0),
    "p=65536 (minutes of scrypt)": header(kdf_p=65536),
    "n=2**20, r=16 (2 GB of memory)": header(kdf_n=2**20, kdf_r=16),
    "n weaker than shipped": header(kdf_n=2**10),
    "n as a float": header(kdf_n=float(2**15)),
    "p as true": header(kdf_p=True),
    "n as text": header(kdf_n="32768"),
    "another algorithm": header(kdf_name="argon2id"),
    "an extra kdf field": header(kdf_maxmem=1),
    "kdf not an object": header(kdf=[2**15, 8, 1]),
    "salt too short": header(salt=base64.b64encode(b"s" * 15).decode()),
    "salt of a megabyte": header(salt="A" * (1 << 20)),
    "salt not base64": header(salt="!" * 24),
    "salt a number": header(salt=16),
    "nonce too long": header(nonce=base64.b64encode(b"n" * 16).decode()),
    "check missing": header(check=...),
    "an unknown field": header(extra="x"),
}


@pytest.fixture
def package(laptop: Callable[[str], Laptop]) -> tuple[Laptop, Laptop, Path]:
    one, two = laptop("one"), laptop("two")
    HouseholdService(one.db).create(household())
    return one, two, one.send(two)


def no_key_derivation(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object) -> tuple[bytes, bytes]:
        raise AssertionError("a key was derived from an unchecked header")

    monkeypatch.setattr(crypto, "_keys", refuse)


def test_the_shipped_parameters_are_the_strong_ones() -> None:
    # The test suite may lower them for speed (see test_fuzz.py); the shipped ones never change
    # without a new package format.
    assert crypto.KDF == {"name": "scrypt", "n": 2**15, "r": 8, "p": 1}


@pytest.mark.parametrize("fields", list(HOSTILE.values()), ids=list(HOSTILE))
def test_a_hostile_header_is_refused_at_once_without_deriving_a_key(
    fields: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    no_key_derivation(monkeypatch)
    blob = with_header(json.dumps(fields).encode())
    start = time.perf_counter()
    with pytest.raises(EvacError) as info:
        crypto.open_sealed(blob, PASSPHRASE)
    assert time.perf_counter() - start < 0.5
    assert info.value.code == "sync.damaged"
    assert "壊れているか、書き換えられています" in str(info.value)


@pytest.mark.parametrize(
    "line",
    [
        b"",
        b"[]",
        b"null",
        b'{"kdf": NaN}',
        b"{" * 400,
        b"\xff\xfe not utf-8",
        json.dumps(header()).encode() + b" " * crypto.MAX_HEADER,
    ],
    ids=["empty", "a list", "null", "NaN", "deeply nested", "not UTF-8", "too long"],
)
def test_a_header_that_is_not_one_is_refused(line: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    no_key_derivation(monkeypatch)
    with pytest.raises(EvacError) as info:
        crypto.open_sealed(with_header(line), PASSPHRASE)
    assert info.value.code == "sync.damaged"


def test_a_good_header_with_no_room_for_a_tag_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    no_key_derivation(monkeypatch)
    with pytest.raises(EvacError) as info:
        crypto.open_sealed(with_header(json.dumps(header()).encode(), b"short"), PASSPHRASE)
    assert info.value.code == "sync.damaged"


def test_a_sealed_zip_bomb_is_refused_without_inflating_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Someone with the passphrase can still seal anything: 40 MB of zeros compress to 40 KB.
    Inflating stops at the bound for a package of that size."""
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    salt, nonce = b"s" * 16, b"n" * 12
    key, check = crypto._keys(PASSPHRASE, salt, crypto.KDF)
    line = json.dumps(
        header(check=base64.b64encode(check).decode()),
        separators=(",", ":"),
    ).encode()
    body = zlib.compress(b'{"x": "' + b"0" * (40 << 20) + b'"}', 9)
    blob = crypto.MAGIC + line + b"\n" + AESGCM(key).encrypt(nonce, body, crypto.MAGIC + line)
    start = time.perf_counter()
    with pytest.raises(EvacError) as info:
        crypto.open_sealed(blob, PASSPHRASE)
    assert time.perf_counter() - start < 2
    assert info.value.code == "sync.damaged"


def test_an_import_of_a_hostile_header_says_one_line_and_changes_nothing(
    package: tuple[Laptop, Laptop, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    _one, two, path = package
    _magic, _line, body = path.read_bytes().split(b"\n", 2)
    path.write_bytes(with_header(json.dumps(header(kdf_p=65536)).encode(), body))
    before = dump(two.db)
    no_key_derivation(monkeypatch)
    with pytest.raises(EvacError) as info:
        two.receive(path, accept_unknown=True)
    assert str(info.value) == message("sync.damaged")
    assert "\n" not in str(info.value)
    assert dump(two.db) == before


def test_the_real_header_still_opens(package: tuple[Laptop, Laptop, Path]) -> None:
    _one, two, path = package
    assert two.receive(path, accept_unknown=True).applied > 0
