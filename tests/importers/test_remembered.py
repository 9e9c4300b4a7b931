"""Value mappings remembered per kind of list and file name, in the user's config folder."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest

from evacsupport.db import Database
from evacsupport.db.private import POSIX
from evacsupport.importers import import_venues, remembered
from evacsupport.importers.choices import Unmatched
from tests.importers.helpers import write_csv
from tests.importers.test_venues_meals import VENUE

KINDS = (("kodomo_shokudo", "こども食堂"), ("other", "その他の居場所"))


def entry(value: str, target: str = "", column: str = "種別") -> Unmatched:
    return Unmatched(column, "kind", value, 1, KINDS, target)


def test_a_mapping_is_remembered_for_the_name_whatever_the_folder_or_extension(
    tmp_path: Path,
) -> None:
    assert remembered.load("venues", tmp_path / "会場一覧.csv") == {}
    assert remembered.remember("venues", tmp_path / "会場一覧.csv", [entry("居場所2", "other")])
    assert remembered.load("venues", Path("/elsewhere/会場一覧.xlsx")) == {
        "種別": {"居場所2": "other"}
    }
    assert remembered.load("households", tmp_path / "会場一覧.csv") == {}  # another kind
    assert remembered.load("venues", tmp_path / "会場一覧2.csv") == {}  # another name


def test_a_value_left_refused_is_forgotten_and_others_kept(tmp_path: Path) -> None:
    path = tmp_path / "list.csv"
    remembered.remember("venues", path, [entry("a", "other"), entry("b", "other")])
    remembered.remember("venues", path, [entry("Ａ")])  # the same value, refused this time
    assert remembered.load("venues", path) == {"種別": {"b": "other"}}
    remembered.remember("venues", path, [entry("b", "kodomo_shokudo")])
    assert remembered.load("venues", path) == {"種別": {"b": "kodomo_shokudo"}}
    remembered.remember("venues", path, [entry("b")])
    assert remembered.load("venues", path) == {}
    assert remembered.path().exists()


@pytest.mark.skipif(not POSIX, reason="POSIX file modes")
def test_the_file_is_private_and_written_whole(tmp_path: Path) -> None:
    remembered.remember("venues", tmp_path / "list.csv", [entry("a", "other")])
    target = remembered.path()
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert [p.name for p in target.parent.iterdir() if p.name.endswith(".tmp")] == []
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data == {"version": 1, "kinds": {"venues": {"list": {"種別": {"a": "other"}}}}}


def test_nothing_is_written_when_nothing_changes(tmp_path: Path) -> None:
    assert remembered.remember("venues", tmp_path / "list.csv", [entry("a")])
    assert not remembered.path().exists()


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        "[]",
        '{"version": 99, "kinds": {}}',
        '{"version": 1, "kinds": {"venues": {"list": {"種別": {"a": 1}, "x": []}}}}',
    ],
)
def test_a_damaged_or_edited_file_is_an_empty_memory(tmp_path: Path, content: str) -> None:
    remembered.path().parent.mkdir(parents=True, exist_ok=True)
    remembered.path().write_text(content, encoding="utf-8")
    assert remembered.load("venues", tmp_path / "list.csv") == {}
    assert remembered.remember("venues", tmp_path / "list.csv", [entry("b", "other")])
    assert remembered.load("venues", tmp_path / "list.csv") == {"種別": {"b": "other"}}


def test_a_file_that_cannot_be_written_is_said_not_raised(tmp_path: Path) -> None:
    remembered.path().parent.mkdir(parents=True, exist_ok=True)
    remembered.path().mkdir()  # a folder where the file should be: the rename fails
    try:
        assert not remembered.remember("venues", tmp_path / "list.csv", [entry("a", "other")])
        assert [p.name for p in remembered.path().parent.iterdir()] == [remembered.FILE_NAME]
    finally:
        remembered.path().rmdir()


def test_the_round_trip_through_an_import(db: Database, tmp_path: Path) -> None:
    """map → remembered → the next import of the same name finds it (and says so)."""
    rows = [{**VENUE, "種別": "地域の拠点"}]
    first = import_venues(db, write_csv(tmp_path / "a" / "会場.csv", rows), dry_run=True)
    assert [u.target for u in first.unmatched] == [""]
    mapped = import_venues(
        db, tmp_path / "a" / "会場.csv", mapping={"種別": {"地域の拠点": "other"}}
    )
    remembered.remember("venues", tmp_path / "a" / "会場.csv", mapped.unmatched)
    later = tmp_path / "b" / "会場.csv"
    write_csv(later, [{**rows[0], "定員": "40"}])
    again = import_venues(db, later, remembered=remembered.load("venues", later))
    assert (again.updated, again.rejected) == (1, [])
    assert [(u.value, u.target, u.remembered) for u in again.unmatched] == [
        ("地域の拠点", "other", True)
    ]


@pytest.fixture(autouse=True)
def _folders(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
