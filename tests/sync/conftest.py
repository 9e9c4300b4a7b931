"""Several laptops' databases in one test, and helpers to pass packages between them."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from evacsupport.db import Database
from evacsupport.sync import crypto
from evacsupport.sync.service import ImportResult, SyncService

PASSPHRASE = "noto-team-2024"


class Laptop:
    """One laptop: its database and the sync service on it."""

    def __init__(self, name: str, db: Database, folder: Path) -> None:
        self.name, self.db, self.sync, self.folder = name, db, SyncService(db), folder
        db.actor = name
        self.sync.rename_site(name)
        self._sent = 0

    def reopen(self) -> None:
        """Open the laptop's database afresh (after its file was replaced)."""
        self.db.close()
        self.db = Database(self.db.url)
        self.db.actor = self.name
        self.sync = SyncService(self.db)

    def send(self, to: Laptop, *, scope: str = "") -> Path:
        self._sent += 1
        out = self.folder / f"{self.name}-to-{to.name}-{self._sent}.evsync"
        self.sync.export(to.name, out, PASSPHRASE, scope_venue=scope)
        return out

    def receive(self, package: Path, *, accept_unknown: bool = False) -> ImportResult:
        """Import ``package``; ``accept_unknown`` as the person confirming a first contact."""
        return self.sync.import_(package, PASSPHRASE, accept_unknown=accept_unknown)


@pytest.fixture
def cheap_kdf(monkeypatch: pytest.MonkeyPatch) -> None:
    """Seal and open with a tiny scrypt cost, for tests that seal hundreds of packages.

    Both sides read ``crypto.KDF``, so packages still open only with the parameters in force;
    the shipped parameters are pinned by test_package_header.py."""
    monkeypatch.setattr(crypto, "KDF", {"name": "scrypt", "n": 2**4, "r": 8, "p": 1})


@pytest.fixture
def laptop(make_db: Callable[[str], Database], tmp_path: Path) -> Callable[[str], Laptop]:
    def make(name: str) -> Laptop:
        return Laptop(name, make_db(name), tmp_path)

    return make
