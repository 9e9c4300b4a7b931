"""Failures at the command line: one line of our own on stderr, the details in the log file."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from evacsupport import cli
from evacsupport.cli import main

PHONE = "09012345678"


def failing_command(_args: object) -> int:
    """A command with a bug: a database error whose text holds a person's name and phone."""
    raise IntegrityError(
        "INSERT INTO member (family_name, phone) VALUES (?, ?)",
        ("能登", PHONE),
        sqlite3.IntegrityError("CHECK constraint failed: member"),
    )


def test_an_unexpected_exception_prints_one_line_and_exits_non_zero(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    log_file: Path,
) -> None:
    monkeypatch.setitem(cli.COMMANDS, "check", failing_command)
    assert main(["--db", str(tmp_path / "x.sqlite3"), "check"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        f"エラー：予期しないエラーが起きました。詳しい内容はログファイル {log_file} "
        "に書き込みました"
    ]
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error (command check)" in logged
    assert "Traceback (most recent call last)" in logged and PHONE in logged

    assert main(["--lang", "en", "--db", str(tmp_path / "x.sqlite3"), "check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Error: An unexpected error occurred; the details were written to the log file at "
        f"{log_file}"
    ]


def test_a_damaged_database_is_one_line_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"not a database" * 500)
    assert main(["--db", str(path), "check"]) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"エラー：データベースファイルが壊れています：{path}"
    ]


def test_the_installed_command_writes_only_the_line_and_a_private_log(tmp_path: Path) -> None:
    """As a user runs it: nothing but the one line on the terminal (no traceback from any
    handler), and the log file, created 0600 in the state folder, has the details."""
    probe = (
        "import sys, sqlite3\n"
        "from sqlalchemy.exc import IntegrityError\n"
        "from evacsupport import cli\n"
        "def boom(_args):\n"
        "    raise IntegrityError('INSERT', ('能登', '09012345678'),"
        " sqlite3.IntegrityError('CHECK constraint failed'))\n"
        "cli.COMMANDS['check'] = boom\n"
        f"sys.exit(cli.main(['--db', {str(tmp_path / 'x.sqlite3')!r}, 'check']))\n"
    )
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env=env, timeout=120
    )
    assert result.returncode == 1
    log = tmp_path / "state" / "evacsupport" / "log" / "evacsupport.log"
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"エラー：予期しないエラーが起きました。詳しい内容はログファイル {log} に書き込みました"
    ]
    assert PHONE in log.read_text(encoding="utf-8")
    if sys.platform != "win32":
        assert stat.S_IMODE(log.stat().st_mode) == 0o600
