"""``evacsupport backup`` and ``restore`` as a user types them: signed in first, refused to
roles without the permission with one line naming the role, and nothing written then."""

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
from tests.services.backup_helpers import audit_actions

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


@pytest.mark.parametrize(
    ("user", "role"), [("viewer", "閲覧者"), ("coordinator", "コーディネーター")]
)
def test_restore_is_refused_to_anyone_but_an_administrator(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    user: str,
    role: str,
) -> None:
    made = make_backup(office, tmp_path / "backups", capsys)
    add_household(office)
    as_user(monkeypatch, user)
    assert main(["--db", str(office), "restore", str(made), "--yes"]) == 1
    assert error_line(capsys) == (
        f"エラー：{role}の権限ではこの操作はできません。管理者に相談してください"
    )
    assert households(office) == 31  # not restored
    assert not list(tmp_path.glob("*before-restore*"))
    assert "restore" not in [action for action, _, _ in audit_actions(office)]


def test_restore_without_a_sign_in_is_refused(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = make_backup(office, tmp_path / "backups", capsys)
    add_household(office)
    monkeypatch.delenv("EVACSUPPORT_USER")
    monkeypatch.delenv("EVACSUPPORT_PASSWORD")
    assert main(["--db", str(office), "restore", str(made), "--yes"]) == 1
    assert "EVACSUPPORT_USER" in error_line(capsys)
    assert households(office) == 31
    as_user(monkeypatch, "admin", "wrong password")
    assert main(["--db", str(office), "restore", str(made), "--yes"]) == 1
    assert "パスワードが違います" in error_line(capsys)
    assert households(office) == 31


def test_an_administrator_restores_and_the_trail_says_so(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    made = make_backup(office, tmp_path / "backups", capsys)
    add_household(office)
    assert main(["--db", str(office), "restore", str(made), "--yes"]) == 0
    out = capsys.readouterr().out
    assert f"「{made}」から復元しました：{office}" in out
    [aside] = tmp_path.glob("office.sqlite3.before-restore-*")
    assert f"復元前のファイルは「{aside}」として残しました" in out
    assert households(office) == 30 and households(aside) == 31
    [(user, changes)] = [(u, c) for a, u, c in audit_actions(office) if a == "restore"]
    assert (user, changes["file"], changes["kept_aside"]) == ("admin", made.name, aside.name)


def test_a_backup_without_accounts_is_refused(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bare = tmp_path / "bare.sqlite3"
    Database(sqlite_url(bare)).close()  # no accounts: restoring it would open the office's data
    assert main(["--db", str(office), "restore", str(bare), "--yes"]) == 1
    assert "このバックアップには利用者アカウントがありません" in error_line(capsys)
    assert households(office) == 30 and not list(tmp_path.glob("*before-restore*"))


def test_a_damaged_database_is_restored_with_an_administrator_of_the_backup(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made = make_backup(office, tmp_path / "backups", capsys)
    office.write_bytes(b"a failing disk wrote this" * 400)
    for user, password, expected in (
        ("viewer", "demo", "閲覧者の権限ではこの操作はできません"),
        ("admin", "wrong password", "バックアップの中のものと合いません"),
    ):
        as_user(monkeypatch, user, password)
        assert main(["--db", str(office), "restore", str(made), "--yes"]) == 1
        assert expected in error_line(capsys)
        assert office.read_bytes().startswith(b"a failing disk")
    as_user(monkeypatch, "admin")
    assert main(["--db", str(office), "restore", str(made), "--yes"]) == 0
    assert "から復元しました" in capsys.readouterr().out
    assert households(office) == 30
    [aside] = tmp_path.glob("office.sqlite3.before-restore-*")
    assert aside.read_bytes().startswith(b"a failing disk")


def test_a_new_laptop_is_started_from_a_backup(
    office: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """No database yet, so nothing to sign into: the backup's administrator is asked for."""
    made = make_backup(office, tmp_path / "backups", capsys)
    laptop = tmp_path / "laptop" / "evacsupport.sqlite3"
    as_user(monkeypatch, "coordinator")
    assert main(["--db", str(laptop), "restore", str(made), "--yes"]) == 1
    assert "コーディネーターの権限" in error_line(capsys)
    assert not laptop.exists()
    as_user(monkeypatch, "admin")
    assert main(["--db", str(laptop), "restore", str(made), "--yes"]) == 0
    assert households(laptop) == 30
    assert "復元前のファイル" not in capsys.readouterr().out  # there was none


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
