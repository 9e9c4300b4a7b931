"""``evacsupport backup`` as a user types it: signed in first, refused to roles without the
permission with one line naming the role, and nothing written then."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.services import demo
from evacsupport.services.households import HouseholdService
from tests.factories import household, signed_in
from tests.pg import sqlite_only

pytestmark = sqlite_only("backups copy this computer's SQLite file")


@pytest.fixture(scope="module")
def demo_with_accounts(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Demo data with the demo's accounts (admin, coordinator, venue, viewer; password demo)."""
    path = tmp_path_factory.mktemp("demo") / "office.sqlite3"
    db = Database(sqlite_url(path))
    demo.generate(db, households=30, seed=5, today=date(2024, 6, 30), accounts=True)
    db.close()
    return path


@pytest.fixture
def office(demo_with_accounts: Path, tmp_path: Path) -> Path:
    path = tmp_path / "office.sqlite3"
    shutil.copyfile(demo_with_accounts, path)
    return path


def as_user(monkeypatch: pytest.MonkeyPatch, user: str, password: str = "demo") -> None:
    monkeypatch.setenv("EVACSUPPORT_USER", user)
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", password)


def households(path: Path) -> int:
    db = signed_in(Database(sqlite_url(path)), "admin", "demo")
    try:
        return HouseholdService(db).count()
    finally:
        db.close()


def add_household(path: Path) -> None:
    db = signed_in(Database(sqlite_url(path)), "admin", "demo")
    try:
        HouseholdService(db).create(household())
    finally:
        db.close()


def make_backup(office: Path, folder: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert main(["--db", str(office), "backup", "--to", str(folder)]) == 0
    [made] = folder.iterdir()
    assert f"バックアップを作成しました：{made}" in capsys.readouterr().out
    return made


def error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1, err  # one line, no traceback
    return err.strip()


@pytest.mark.parametrize(("user", "role"), [("viewer", "閲覧者"), ("venue", "会場スタッフ")])
def test_backup_is_refused_to_viewers_and_venue_staff(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    user: str,
    role: str,
) -> None:
    as_user(monkeypatch, user)
    monkeypatch.setenv("EVACSUPPORT_PASSPHRASE", "team passphrase 1")
    folder = tmp_path / "backups"
    assert main(["--db", str(office), "backup", "--to", str(folder)]) == 1
    assert error_line(capsys) == (
        f"エラー：{role}の権限ではこの操作はできません。管理者に相談してください"
    )
    assert not folder.exists()


def test_a_coordinator_makes_a_backup(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    as_user(monkeypatch, "coordinator")
    made = make_backup(office, tmp_path / "backups", capsys)
    assert households(made) == 30


def test_messages_follow_the_language(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    as_user(monkeypatch, "viewer")
    assert main(["--lang", "en", "--db", str(office), "backup", "--to", str(tmp_path / "b")]) == 1
    line = error_line(capsys)
    assert line.startswith("Error: A ") and "may not do this; ask an administrator" in line
