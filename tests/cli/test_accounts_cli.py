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
