"""Accounts at the command line: init, the demo accounts, credentials and roles."""

from __future__ import annotations

from pathlib import Path

import pytest

from evacsupport.cli import main


def test_init_creates_the_first_administrator_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "new.sqlite3"
    monkeypatch.setenv("EVACSUPPORT_USER", "tanaka")
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", "short")
    assert main(["--db", str(path), "init"]) != 0
    assert "8文字以上" in capsys.readouterr().err
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", "a long passphrase")
    assert main(["--db", str(path), "init", "--name", "田中"]) == 0
    assert "管理者 tanaka を作りました" in capsys.readouterr().out
    assert main(["--db", str(path), "init"]) != 0
    assert "すでに利用者がいます" in capsys.readouterr().err
    assert main(["--db", str(path), "users", "list"]) == 0
    assert "tanaka\t田中\t管理者" in capsys.readouterr().out


def test_demo_prints_its_accounts_and_commands_need_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "20"]) == 0
    out = capsys.readouterr().out
    assert "admin、coordinator、venue、viewer" in out and "「demo」" in out

    monkeypatch.delenv("EVACSUPPORT_USER")
    monkeypatch.delenv("EVACSUPPORT_PASSWORD")
    assert main(["--db", str(path), "check"]) != 0  # no terminal to ask at, no variables
    assert "EVACSUPPORT_USER" in capsys.readouterr().err

    monkeypatch.setenv("EVACSUPPORT_USER", "viewer")
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", "wrong")
    assert main(["--db", str(path), "check"]) != 0
    assert "パスワードが違います" in capsys.readouterr().err

    monkeypatch.setenv("EVACSUPPORT_PASSWORD", "demo")
    assert main(["--db", str(path), "assign", "auto", "--dry-run"]) != 0
    assert "閲覧者の権限ではこの操作はできません" in capsys.readouterr().err
    assert main(["--db", str(path), "users", "list"]) != 0
    capsys.readouterr()

    monkeypatch.setenv("EVACSUPPORT_USER", "admin")
    monkeypatch.setenv("EVACSUPPORT_NEW_PASSWORD", "welcome to noto")
    assert main(["--db", str(path), "users", "add", "sato", "--role", "coordinator"]) == 0
    monkeypatch.setenv("EVACSUPPORT_USER", "sato")
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", "welcome to noto")
    assert main(["--db", str(path), "assign", "auto", "--dry-run"]) == 0


def _households_without_accounts(path: Path) -> None:
    """A database as an earlier version, an import into a new file or a venue package without
    staff accounts leaves it: households, nobody to sign in as."""
    from evacsupport.config import sqlite_url
    from evacsupport.db import Database
    from evacsupport.services.households import HouseholdService
    from tests.factories import household

    db = Database(sqlite_url(path))
    try:
        HouseholdService(db).create(household())
    finally:
        db.close()


def _accounts(path: Path) -> list[str]:
    from sqlalchemy import select

    from evacsupport.config import sqlite_url
    from evacsupport.db import Database
    from evacsupport.db.models import User

    db = Database(sqlite_url(path))
    try:
        with db.read() as s:
            return list(s.scalars(select(User.username).order_by(User.username)))
    finally:
        db.close()


def test_households_without_accounts_open_only_for_init(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "records.sqlite3"
    _households_without_accounts(path)
    out = tmp_path / "households.csv"
    for command in (
        ["check"],
        ["export", "households", "--format", "csv", "--out", str(out)],
        ["users", "list"],
        ["erase", "N24-000001", "--reason", "request", "--yes"],
    ):
        assert main(["--db", str(path), *command]) == 1, command
        seen = capsys.readouterr()
        assert seen.out == ""
        assert seen.err.count("\n") == 1 and "evacsupport init を実行" in seen.err, command
        assert "山田" not in seen.err and "Traceback" not in seen.err
    assert not out.exists()
    assert main(["--db", str(path), "--lang", "en", "check"]) == 1
    assert "run evacsupport init on it" in capsys.readouterr().err

    # The demo neither fills it nor gives it the demo's well-known passwords.
    assert main(["--db", str(path), "demo", "--households", "3"]) == 1
    assert main(["--db", str(path), "demo", "--households", "3", "--if-empty"]) == 0
    assert _accounts(path) == []
    capsys.readouterr()

    monkeypatch.setenv("EVACSUPPORT_USER", "tanaka")
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", "a long passphrase")
    assert main(["--db", str(path), "init"]) == 0
    assert "管理者 tanaka を作りました" in capsys.readouterr().out
    assert main(["--db", str(path), "check"]) == 0  # signed in as tanaka now
    assert "問題は見つかりませんでした" in capsys.readouterr().out
    assert _accounts(path) == ["tanaka"]


def test_an_empty_database_opens_without_accounts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first start: nothing to protect yet, so commands run before any account exists."""
    monkeypatch.delenv("EVACSUPPORT_USER")
    monkeypatch.delenv("EVACSUPPORT_PASSWORD")
    path = tmp_path / "new.sqlite3"
    assert main(["--db", str(path), "check"]) == 0
    assert main(["--db", str(path), "sync", "peers"]) == 0
    assert main(["--db", str(path), "demo", "--households", "3"]) == 0  # writes its accounts
    assert "admin、coordinator、venue、viewer" in capsys.readouterr().out
    assert main(["--db", str(path), "check"]) == 1  # from now on a sign-in is needed
    assert "EVACSUPPORT_USER" in capsys.readouterr().err
