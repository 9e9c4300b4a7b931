from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import MealLog, Venue
from evacsupport.importers import import_households, import_meals, import_venues
from tests.importers.helpers import households, write_csv

VENUE = {
    "名称": "にこにこ食堂",
    "種別": "子ども食堂",
    "運営団体": "NPO法人テスト",
    "住所": "石川県金沢市香林坊1-1",
    "緯度": "36.56",
    "経度": "136.65",
    "定員": "３０",
    "開催曜日": "水、土",
    "開催時間": "17:00-19:00",
    "対応アレルゲン": "卵、乳",
    "車椅子対応": "○",
    "電話番号": "076-222-3333",
}


def test_venues_import_and_update(db: Database, tmp_path: Path) -> None:
    other = {**VENUE, "名称": "みんなのカフェ", "車椅子対応": "", "開催曜日": "", "開催時間": ""}
    path = write_csv(tmp_path / "venues.csv", [VENUE, other], encoding="cp932")
    result = import_venues(db, path)
    assert result.rejected == [] and result.created == 2
    with db.read() as s:
        v = s.scalars(select(Venue).where(Venue.name == "にこにこ食堂")).one()
        assert v.capacity == 30 and v.wheelchair_access is True
        assert len(v.schedule) == 2 and v.municipality_code == "172014"
    again = import_venues(db, path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    path = write_csv(tmp_path / "venues.csv", [{**VENUE, "定員": "40"}, other])
    changed = import_venues(db, path)
    assert (changed.updated, changed.unchanged) == (1, 1)
    assert changed.updated_fields == ["にこにこ食堂 定員: 30 → 40"]


def test_venue_errors_name_row_and_column(db: Database, tmp_path: Path) -> None:
    path = write_csv(tmp_path / "v.csv", [VENUE, {**VENUE, "名称": "b", "定員": "多い"}])
    result = import_venues(db, path)
    assert [(e.row, e.column) for e in result.rejected] == [(3, "定員")]
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(Venue)) == 0


def test_meals_import_is_idempotent(db: Database, tmp_path: Path) -> None:
    import_venues(db, write_csv(tmp_path / "venues.csv", [VENUE]))
    import_households(db, write_csv(tmp_path / "list.csv", households(3)))
    meal = {"日付": "R6.3.1", "会場": "にこにこ食堂", "世帯番号": "A00001", "種別": "会食",
            "大人": "1", "子ども": "２"}  # fmt: skip
    rows = [
        meal,
        dict(meal),  # the same household twice: two meals, both kept
        {**meal, "世帯番号": "N24-000002", "種別": "弁当"},
        {**meal, "世帯番号": "", "大人": "3", "子ども": "0"},
    ]
    path = write_csv(tmp_path / "meals.csv", rows)
    dry = import_meals(db, path, dry_run=True)
    assert dry.created == 4 and dry.rejected == []
    first = import_meals(db, path)
    assert first.created == 4
    second = import_meals(db, write_csv(tmp_path / "copy.csv", rows))
    assert (second.created, second.unchanged) == (0, 4)
    with db.read() as s:
        assert s.scalar(select(func.count()).select_from(MealLog)) == 4
        assert s.scalar(select(func.count()).where(MealLog.household_id.is_(None))) == 1


def test_meal_errors(db: Database, tmp_path: Path) -> None:
    import_venues(db, write_csv(tmp_path / "venues.csv", [VENUE]))
    rows = [
        {"日付": "2024-03-01", "会場": "ないよ", "世帯番号": "", "種別": "会食", "大人": "1"},
        {
            "日付": "2024-03-01",
            "会場": "にこにこ食堂",
            "世帯番号": "X9",
            "種別": "会食",
            "大人": "1",
        },
    ]
    path = write_csv(tmp_path / "m.csv", rows, header=["日付", "会場", "世帯番号", "種別", "大人"])
    result = import_meals(db, path, skip_invalid=True)
    assert [(e.row, e.column) for e in result.rejected] == [(2, "会場"), (3, "世帯番号")]
    assert result.created == 0 and result.rejected_file is not None


def test_a_control_character_in_a_venue_name_is_a_row_error(db: Database, tmp_path: Path) -> None:
    rows = [VENUE, {**VENUE, "名称": "みんなの\x07カフェ", "運営団体": "NPO法人\x1bテスト"}]
    result = import_venues(db, write_csv(tmp_path / "venues.csv", rows))
    assert [(e.row, e.column) for e in result.rejected] == [(3, "名称")]
    assert "U+0007" in result.rejected[0].message
    result = import_venues(db, write_csv(tmp_path / "venues.csv", rows), skip_invalid=True)
    assert result.created == 1


def test_weekdays_are_read_with_or_without_their_suffix() -> None:
    """「日」 is Sunday: stripping 曜日 as characters once turned it into nothing."""
    from evacsupport.importers.venues import _schedule

    assert _schedule("日", "11:00-13:00") == "日 11:00-13:00"
    assert _schedule("日曜日、水曜", "17:00-19:00") == "日 17:00-19:00、水 17:00-19:00"
