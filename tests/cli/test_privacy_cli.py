"""``evacsupport erase`` and ``evacsupport purge``: nothing happens without --yes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Member
from evacsupport.services.households import HouseholdService
from tests.factories import admin_account, household, member


def _names(path: Path) -> set[str]:
    db = Database(sqlite_url(path))
    try:
        with db.read() as s:
            return set(s.scalars(select(Member.given_name)))
    finally:
        db.close()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    path = tmp_path / "cli.sqlite3"
    db = admin_account(Database(sqlite_url(path)))  # the commands below sign in as it
    try:
        people = HouseholdService(db)
        for name, closed in (("古子", "2020-01-10"), ("今子", None)):
            home = people.create(household(members=[member(given_name=name)]))
            if closed:
                people.close(home.id, closed)
    finally:
        db.close()
    return path


def test_erase_asks_for_yes_then_erases(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(path), "erase", "N24-000002", "--reason", "request"]) == 1
    assert "--yes" in capsys.readouterr().out
    assert _names(path) == {"古子", "今子"}

    assert main(["--db", str(path), "erase", "N24-000002", "--reason", "申し出", "--yes"]) == 1
    assert "申し出" in capsys.readouterr().err  # not a reason code: refused, nothing erased

    assert main(["--db", str(path), "erase", "n24-000002", "--reason", "request", "--yes"]) == 0
    assert "N24-000002" in capsys.readouterr().out
    assert _names(path) == {"古子", ""}


def test_purge_dry_run_lists_then_erases(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(path), "purge", "--months", "12", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "N24-000001" in out and "N24-000002" not in out
    assert _names(path) == {"古子", "今子"}
    assert main(["--db", str(path), "purge", "--months", "12"]) == 1  # no --yes
    assert _names(path) == {"古子", "今子"}

    assert main(["--lang", "en", "--db", str(path), "purge", "--months", "12", "--yes"]) == 0
    assert "Erased 1 households" in capsys.readouterr().out
    assert _names(path) == {"", "今子"}
    assert main(["--db", str(path), "purge", "--months", "12", "--yes"]) == 0  # none left
