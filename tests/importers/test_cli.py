from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from evacsupport import cli_import
from evacsupport.db import Database
from evacsupport.errors import EvacError
from evacsupport.i18n import set_language
from evacsupport.importers import remembered
from tests.factories import admin_account
from tests.importers.helpers import households, write_csv
from tests.importers.test_venues_meals import VENUE


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


def test_unknown_values_are_listed_with_the_map_that_takes_them(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """map → remembered → the next run applies it (and says so); --dry-run remembers nothing."""
    rows = [{**VENUE, "名称": "a", "種別": "地域の拠点"}, {**VENUE, "名称": "b", "種別": "居場所"},
            {**VENUE, "名称": "c", "種別": "地域の拠点"}]  # fmt: skip
    path = write_csv(tmp_path / "会場一覧.csv", rows)
    path_db = db_path(admin_account(db))
    db.close()
    assert cli_import.cmd_import(parse("--db", path_db, "import", "venues", str(path))) == 1
    out = capsys.readouterr().out
    assert "選択肢にない値があります。--map 列=値:取り込む値 で対応付けると" in out
    assert "  種別「地域の拠点」 2行　例：--map 種別=地域の拠点:other\n" in out
    assert "  「種別」で選べる値：kodomo_shokudo（こども食堂）、" in out
    assert "行2 種別: 「地域の拠点」は選択肢にありません" in out

    dry = parse("--db", path_db, "import", "venues", str(path), "--dry-run",
                "--map", "種別=地域の拠点:salon")  # fmt: skip
    assert cli_import.cmd_import(dry) == 0
    assert "→ ふれあいサロン（--map で指定）" in capsys.readouterr().out
    assert remembered.load("venues", path) == {}  # a dry run writes nothing, anywhere

    args = parse("--db", path_db, "import", "venues", str(path), "--map", "種別＝地域の拠点：other")
    assert cli_import.cmd_import(args) == 0
    out = capsys.readouterr().out
    assert "種別「地域の拠点」（2行）→ その他の居場所（--map で指定）" in out
    assert "新規 3件" in out
    assert remembered.load("venues", path) == {"種別": {"地域の拠点": "other"}}

    rows[0]["定員"] = "40"
    write_csv(path, rows)
    assert cli_import.cmd_import(parse("--db", path_db, "import", "venues", str(path))) == 0
    out = capsys.readouterr().out
    assert "（2行）→ その他の居場所（前回の対応付け。変えるには --map）" in out
    assert "更新 1件" in out


def test_the_hint_in_english_quotes_what_the_shell_would_split(
    db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    set_language("en")
    path = write_csv(tmp_path / "v.csv", [{**VENUE, "種別": "地域 の 拠点"}])
    path_db = db_path(admin_account(db))
    db.close()
    assert cli_import.cmd_import(parse("--db", path_db, "import", "venues", str(path))) == 1
    out = capsys.readouterr().out
    assert "  種別 “地域 の 拠点” (rows: 1); e.g. --map '種別=地域 の 拠点:other'" in out
    assert "Choices for “種別”: kodomo_shokudo（こども食堂）" not in out  # labels in English
    assert "Choices for “種別”: kodomo_shokudo（Kodomo shokudo）" in out


@pytest.mark.parametrize("given", ["種別", "種別=居場所", "=居場所:other", "種別=:other"])
def test_a_mistyped_map_is_refused_before_the_database_opens(tmp_path: Path, given: str) -> None:
    args = parse("--db", str(tmp_path / "none.sqlite3"), "import", "venues", "x.csv",
                 "--map", given)  # fmt: skip
    with pytest.raises(EvacError) as info:
        cli_import.cmd_import(args)
    assert info.value.code == "import.map_syntax" and "--map 列=ファイルの値:取り込む値" in str(
        info.value
    )
    assert not (tmp_path / "none.sqlite3").exists()


def test_a_map_for_a_column_the_file_lacks_names_its_choice_columns(
    db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "v.csv", [VENUE])
    path_db = db_path(admin_account(db))
    db.close()
    args = parse("--db", path_db, "import", "venues", str(path), "--map", "避難形態=ホテル:hotel")
    with pytest.raises(EvacError) as info:
        cli_import.cmd_import(args)
    assert "（このファイルの選択肢の列：種別、対応アレルゲン）" in str(info.value)
