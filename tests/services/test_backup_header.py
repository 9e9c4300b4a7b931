"""A sealed backup's header is checked before any key is derived, as a sync package's is: a
made-up one cannot make a restore run scrypt for minutes or take gigabytes, nor crash it."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from evacsupport.errors import EvacError
from evacsupport.services import backup
from evacsupport.sync import crypto

PASSPHRASE = "noto-team-2024"


def _sealed(tmp_path: Path) -> Path:
    path = tmp_path / "b.sqlite3.evbak"
    path.write_bytes(backup.seal_bytes(b"SQLite format 3\x00" + b"\x00" * 4080, PASSPHRASE))
    return path


def _with_kdf(path: Path, **kdf: object) -> Path:
    blob = path.read_bytes()
    head, rest = blob[len(backup.BACKUP_MAGIC) :].split(b"\n", 1)
    header = json.loads(head)
    header["kdf"] = {**header["kdf"], **kdf}
    out = path.with_name("changed.evbak")
    out.write_bytes(backup.BACKUP_MAGIC + json.dumps(header).encode() + b"\n" + rest)
    return out


def test_a_sealed_backup_opens_with_its_passphrase(tmp_path: Path) -> None:
    assert backup.open_sealed(_sealed(tmp_path), PASSPHRASE).startswith(b"SQLite format 3")
    with pytest.raises(EvacError) as wrong:
        backup.open_sealed(_sealed(tmp_path), "another passphrase")
    assert wrong.value.code == "backup.wrong_passphrase"


@pytest.mark.parametrize(
    "kdf",
    [{"n": 3}, {"p": 0}, {"p": 65536}, {"n": 2**20, "r": 16}, {"n": 32768.0}, {"name": "argon"}],
)
def test_made_up_key_derivations_are_refused_at_once(
    tmp_path: Path, kdf: dict[str, object]
) -> None:
    changed = _with_kdf(_sealed(tmp_path), **kdf)
    started = time.monotonic()
    with pytest.raises(EvacError) as refused:
        backup.open_sealed(changed, PASSPHRASE)
    assert refused.value.code == "backup.damaged"
    assert time.monotonic() - started < 1.0


def test_a_sync_package_is_not_a_backup(tmp_path: Path) -> None:
    package = tmp_path / "p.evsync"
    package.write_bytes(crypto.seal({"format": 1}, PASSPHRASE))
    with pytest.raises(EvacError) as refused:
        backup.open_sealed(package, PASSPHRASE)
    assert refused.value.code == "backup.damaged"
