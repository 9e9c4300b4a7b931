"""The command line as a user runs it: global options, demo, check, errors as one line."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from evacsupport import __version__
from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database


def test_demo_then_check_exit_zero(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "30", "--seed", "3"]) == 0
    out = capsys.readouterr().out
    assert "世帯 30" in out and str(path) in out
    assert main(["--db", str(path), "check"]) == 0
    assert "問題は見つかりませんでした" in capsys.readouterr().out


def test_demo_refuses_a_database_that_has_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite3"
    main(["--db", str(path), "demo", "--households", "5"])
    capsys.readouterr()
    assert main(["--db", str(path), "demo", "--households", "5"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("エラー：") and "5件" in err[0]


def test_english_messages_with_lang(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "x.sqlite3"
    assert main(["--lang", "en", "--db", str(path), "check"]) == 0
    assert "No problems found" in capsys.readouterr().out


def test_check_reports_problems_and_fails(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite3"
    main(["--db", str(path), "demo", "--households", "10"])
    db = Database(sqlite_url(path))
    with db.session() as session:
        session.execute(text("UPDATE member SET relation = 'head'"))
    db.close()
    capsys.readouterr()
    assert main(["--db", str(path), "check"]) == 1
    captured = capsys.readouterr()
    assert "世帯主が" in captured.out
    assert "件の問題が見つかりました" in captured.err


def test_damaged_database_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "broken.sqlite3"
    path.write_bytes(b"garbage" * 1000)
    assert main(["--db", str(path), "check"]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert err == [f"エラー：データベースファイルが壊れています：{path}"]


def test_database_url_option_and_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    by_url = tmp_path / "by-url.sqlite3"
    assert main(["--database-url", f"sqlite:///{by_url}", "demo", "--households", "3"]) == 0
    assert by_url.exists()
    by_env = tmp_path / "by-env.sqlite3"
    monkeypatch.setenv("EVACSUPPORT_DATABASE_URL", f"sqlite:///{by_env}")
    assert main(["demo", "--households", "3"]) == 0
    assert by_env.exists()


def test_default_database_lives_in_the_user_data_folder(capsys: pytest.CaptureFixture[str]) -> None:
    from evacsupport.config import default_database_path

    assert main(["check"]) == 0
    assert default_database_path().exists()
    assert str(default_database_path()).startswith(os.environ["XDG_DATA_HOME"])


def test_bad_household_count_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "x.sqlite3"), "demo", "--households", "0"]) == 1
    assert "1から100000" in capsys.readouterr().err


def test_db_and_database_url_exclude_each_other(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["--db", "a", "--database-url", "sqlite://", "check"])
    assert info.value.code == 2


def test_python_dash_m_runs_the_same_cli(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "evacsupport", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"evacsupport {__version__}"


def test_demo_if_empty_leaves_existing_data_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "4", "--if-empty"]) == 0
    capsys.readouterr()
    assert main(["--db", str(path), "demo", "--households", "9", "--if-empty"]) == 0
    assert "デモデータは追加しません" in capsys.readouterr().out
    from evacsupport.services.demo import existing_households

    db = Database(sqlite_url(path))
    assert existing_households(db) == 4
    db.close()


def test_report_and_export_commands(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from openpyxl import load_workbook
    from pypdf import PdfReader

    path = tmp_path / "demo.sqlite3"
    main(["--db", str(path), "demo", "--households", "20", "--seed", "4"])
    capsys.readouterr()
    pdf = tmp_path / "monthly.pdf"
    assert (
        main(
            [
                "--db",
                str(path),
                "report",
                "monthly",
                "--month",
                "令和6年3月",
                "--by",
                "host",
                "--out",
                str(pdf),
            ]
        )
        == 0
    )
    assert f"作成しました：{pdf}" in capsys.readouterr().out
    assert "月次報告書" in PdfReader(pdf).pages[0].extract_text()
    cards = tmp_path / "cards.pdf"
    assert (
        main(["--db", str(path), "report", "cards", "--case", "N24-000001", "--out", str(cards)])
        == 0
    )
    assert "N24-000001" in PdfReader(cards).pages[0].extract_text()
    xlsx = tmp_path / "meals.xlsx"
    assert main(["--db", str(path), "export", "meals", "--format", "xlsx", "--out", str(xlsx)]) == 0
    assert load_workbook(xlsx).active.cell(1, 1).value == "日付"
    capsys.readouterr()
    assert (
        main(
            [
                "--db",
                str(path),
                "report",
                "venue",
                "--venue",
                "存在しない会場",
                "--from",
                "2024-01-01",
                "--to",
                "2024-02-01",
                "--out",
                str(tmp_path / "v.pdf"),
            ]
        )
        == 1
    )
    assert "会場「存在しない会場」が見つかりません" in capsys.readouterr().err
    assert not (tmp_path / "v.pdf").exists()


def test_starting_the_window_without_a_display_says_so(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    for var in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(var, raising=False)
    assert main(["--db", str(tmp_path / "x.sqlite3")]) == 1
    assert "画面を表示できません" in capsys.readouterr().err


def test_check_finds_stale_activity_facts_and_repair_rebuilds_them(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "20", "--seed", "3"]) == 0
    db = Database(sqlite_url(path))
    with db.engine.begin() as conn:  # as a write around the services would leave it
        conn.execute(text("DELETE FROM household_facts"))
    db.close()
    capsys.readouterr()
    assert main(["--db", str(path), "--lang", "en", "check"]) == 1
    assert "activity facts" in capsys.readouterr().out
    assert main(["--db", str(path), "--lang", "en", "check", "--repair"]) == 0
    out = capsys.readouterr().out
    assert "Rebuilt the activity facts" in out and "No problems found" in out
