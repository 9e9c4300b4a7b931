"""A municipal list as municipalities send it — addresses and postal codes, no coordinates, in
CP932 with everyday spellings — imported, then allocated: every household whose address is in
Japan is placed near its town and referred to a venue; the one whose address cannot be read is
imported without a point and said why, never given a wrong one."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select

from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Assignment, Household
from evacsupport.domain.geo import haversine_km
from tests.factories import admin_account
from tests.importers.helpers import write_csv

# (世帯番号, 氏名, フリガナ, 現住所, 郵便番号, precision, the town's point in towns.csv)
LIST = [
    ("W-001", "能登 ハナ", "ノト ハナ", "金沢市香林坊２丁目４－１　ホテル金沢　５０５号室", "",
     "town", (36.564157, 136.653091)),
    ("W-002", "珠洲 一郎", "スズ イチロウ", "石川県金沢市広岡三丁目3番1号", "920-0031", "town",
     (36.58129, 136.645169)),
    ("W-003", "輪島 春子", "ワジマ ハルコ", "", "920-0961", "postal", None),
    ("W-004", "穴水 太郎", "アナミズ タロウ", "白山市倉光１－１", "", "town",
     (36.512669, 136.56915)),
    ("W-005", "七尾 次郎", "ナナオ ジロウ", "七尾市和倉町ヨ部10", "", "koaza", (37.0892, 136.9142)),
    ("W-006", "志賀 三郎", "シカ サブロウ", "避難所（体育館）", "", "", None),
]  # fmt: skip
VENUES = [
    {"名称": "こども食堂かなざわ", "種別": "子ども食堂", "住所": "石川県金沢市広坂2丁目1-1",
     "定員": "30", "開催曜日": "水、土", "開催時間": "17:00-19:00"},
    {"名称": "はくさん食堂", "種別": "子ども食堂", "住所": "石川県白山市倉光2丁目",
     "定員": "20", "開催曜日": "金", "開催時間": "17:00-19:00"},
    {"名称": "わくらの家", "種別": "居場所", "住所": "七尾市和倉町",
     "定員": "10", "開催曜日": "日", "開催時間": "11:00-13:00"},
]  # fmt: skip


@pytest.fixture
def office(tmp_path: Path) -> Path:
    path = tmp_path / "office.sqlite3"
    admin_account(Database(sqlite_url(path))).close()
    return path


def test_a_list_without_coordinates_is_placed_and_allocated(
    office: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    venues = write_csv(tmp_path / "会場一覧.csv", VENUES, encoding="cp932")
    assert main(["--db", str(office), "import", "venues", str(venues)]) == 0
    assert "位置：町丁目 3件" in capsys.readouterr().out
    rows = [
        {"世帯番号": ref, "氏名": name, "フリガナ": kana, "生年月日": "昭和25年4月1日",
         "現住所": address, "郵便番号": postal, "同意日": "2024-03-01"}
        for ref, name, kana, address, postal, _p, _t in LIST
    ]  # fmt: skip
    listing = write_csv(tmp_path / "金沢市_二次避難者名簿.csv", rows, encoding="cp932")
    assert main(["--db", str(office), "import", "households", str(listing)]) == 0
    out = capsys.readouterr().out
    assert "位置：小字 1件、町丁目 3件、郵便番号の区域 1件" in out
    assert "住所から場所を特定できません" in out and "位置なしで取り込みます" in out

    db = Database(sqlite_url(office))
    try:
        with db.read() as session:
            stored = {h.source_ref: h for h in session.scalars(select(Household))}
        for ref, _n, _k, _a, _p, precision, near in LIST:
            assert stored[ref].location_precision == precision, ref
            if near is not None:
                point = (stored[ref].latitude, stored[ref].longitude)
                assert haversine_km(*point, *near) < 0.4, ref  # type: ignore[arg-type]
        assert stored["W-006"].latitude is None  # no wrong point for an unreadable address
    finally:
        db.close()

    assert main(["--db", str(office), "assign", "auto"]) == 0
    out = capsys.readouterr().out
    assert "およその位置（郵便番号の区域・市区町村の代表点）で配置した世帯 1件" in out
    assert "住所から場所を特定できません" in out  # W-006 is listed with the reason
    db = Database(sqlite_url(office))
    try:
        with db.read() as session:
            placed = {
                ref: venue
                for ref, venue in session.execute(
                    select(Household.source_ref, Assignment.venue_id).join(
                        Assignment, Assignment.household_id == Household.id
                    )
                )
            }
        assert set(placed) == {"W-001", "W-002", "W-003", "W-004", "W-005"}
    finally:
        db.close()
