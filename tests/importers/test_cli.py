from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from evacsupport import cli_import
from evacsupport.db import Database
from evacsupport.i18n import set_language
from tests.factories import admin_account
from tests.importers.helpers import households, write_csv


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--database-url")
    commands = parser.add_subparsers(dest="command")
    cli_import.add_parsers(commands)
    return parser.parse_args(list(argv))


@pytest.fixture(autouse=True)
def _japanese() -> None:
    set_language("ja")


def db_path(db: Database) -> str:
    assert db.url.database
    return db.url.database


def test_template(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_import.cmd_import(parse("import", "template", "meals")) == 0
    assert capsys.readouterr().out.strip() == "日付,会場,世帯番号,種別,大人,子ども"


def test_households_rejected_row_exit_1_then_skip(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = households(40)
    rows[35]["生年月日"] = "昭和99年13月1日"
    path = write_csv(tmp_path / "list.csv", rows)
    path_db = db_path(admin_account(db))  # once it holds households, commands sign in
    db.close()
    args = parse("--db", path_db, "import", "households", str(path))
    assert cli_import.cmd_import(args) == 1
    out = capsys.readouterr().out
    assert "新規 0件" in out and "行37 生年月日: " in out
    args = parse("--db", path_db, "import", "households", str(path), "--skip-invalid")
    assert cli_import.cmd_import(args) == 0
    out = capsys.readouterr().out
    assert "新規 39件" in out and "list.rejected.csv" in out
    args = parse("--db", path_db, "import", "households", str(path), "--dry-run")
    assert cli_import.cmd_import(args) == 1
    assert "確認のみ" in capsys.readouterr().out
