"""Make resources/data/towns.zip: every town and koaza representative point of Japan, for the
offline geocoder (evacsupport/domain/geocode.py).

Source: the Geolonia 住所データ extract (``towns.csv.gz``: prefecture, city, town, koaza,
latitude, longitude; CC BY 4.0, built from 国土交通省「位置参照情報」). Regenerate when the
source changes::

    python tools/make_town_table.py [--source PATH/towns.csv.gz]

The zip holds, LZMA-compressed (why this format: see evacsupport/domain/towns.py):

- ``index.json``: the source and its attribution, the coordinate scale, and per prefecture (in
  JIS order) its member name, bounding box, municipalities with their representative point, and
  the designated cities whose wards are its municipalities (札幌市 for 札幌市中央区 ...);
- ``NN.tsv`` per prefecture (NN = JIS prefecture code): a ``#<municipality>`` line, then one line
  per town or koaza of it: ``town<TAB>koaza<TAB>lat<TAB>lon``, coordinates as integers of
  1e-5 degrees (about a metre: the points are the middle of an area, not a building).

A municipality's representative point is the town (not koaza) point nearest the mean of its
town points: the mean alone can fall outside a crescent-shaped municipality or in the sea between
its islands, a town point is always inside. Rows without coordinates are left out (469 in the
2024-01-15 snapshot) and counted on the output.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import math
import re
import zipfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = Path("/work/shared/data/japanese-towns/towns.csv.gz")
OUT = ROOT / "resources" / "data" / "towns.zip"
SCALE = 100_000
ATTRIBUTION = "Geolonia 住所データ (CC BY 4.0), 国土交通省 位置参照情報 をもとに作成"
NO_OAZA = "（大字なし）"  # the source's town name for koaza that belong to no 大字

# JIS X 0401 order: the member of 石川県 is 17.tsv.
# fmt: off
PREFECTURES = (
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県",
    "栃木県", "群馬県", "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県",
    "石川県", "福井県", "山梨県", "長野県", "岐阜県", "静岡県", "愛知県", "三重県",
    "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県", "鳥取県", "島根県",
    "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
)
# fmt: on
_WARD_RE = re.compile(r"(.+?市)(.+区)")

Row = tuple[str, str, int, int]  # town, koaza, lat, lon (scaled)


def representative(points: list[tuple[int, int]]) -> tuple[int, int]:
    """The point nearest the mean of ``points`` (see the module docstring)."""
    mean_lat = sum(p[0] for p in points) / len(points)
    mean_lon = sum(p[1] for p in points) / len(points)
    shrink = math.cos(math.radians(mean_lat / SCALE))  # a degree of longitude is shorter
    return min(points, key=lambda p: (p[0] - mean_lat) ** 2 + ((p[1] - mean_lon) * shrink) ** 2)


def town_points(rows: list[Row]) -> list[tuple[int, int]]:
    """The points of a municipality's towns (koaza and the 大字なし placeholder left out)."""
    towns = [(lat, lon) for town, koaza, lat, lon in rows if not koaza and town != NO_OAZA]
    return towns or [(lat, lon) for _, _, lat, lon in rows]


def read(source: Path) -> tuple[dict[str, dict[str, list[Row]]], int]:
    by_prefecture: dict[str, dict[str, list[Row]]] = defaultdict(lambda: defaultdict(list))
    skipped = 0
    with gzip.open(source, "rt", encoding="utf-8", newline="") as fh:
        for record in csv.DictReader(fh):
            if not record["latitude"] or not record["longitude"]:
                skipped += 1
                continue
            lat = round(float(record["latitude"]) * SCALE)
            lon = round(float(record["longitude"]) * SCALE)
            by_prefecture[record["prefecture"]][record["city"]].append(
                (record["town"], record["koaza"], lat, lon)
            )
    unknown = set(by_prefecture) - set(PREFECTURES)
    if unknown:
        raise SystemExit(f"prefectures not in the JIS list: {sorted(unknown)}")
    return by_prefecture, skipped


def member_text(cities: dict[str, list[Row]]) -> str:
    lines = []
    for city in sorted(cities):
        lines.append(f"#{city}")
        for town, koaza, lat, lon in sorted(cities[city]):
            lines.append(f"{town}\t{koaza}\t{lat}\t{lon}")
    return "\n".join(lines) + "\n"


def degrees(value: float) -> float:
    return round(value / SCALE, 5)


def prefecture_index(code: str, name: str, cities: dict[str, list[Row]]) -> dict[str, object]:
    every = [(lat, lon) for rows in cities.values() for _, _, lat, lon in rows]
    wards: dict[str, list[tuple[int, int]]] = defaultdict(list)
    municipalities = []
    for city in sorted(cities):
        lat, lon = representative(town_points(cities[city]))
        municipalities.append([city, degrees(lat), degrees(lon)])
        ward = _WARD_RE.fullmatch(city)
        if ward:
            wards[ward[1]] += town_points(cities[city])
    groups = []
    for parent in sorted(wards):
        lat, lon = representative(wards[parent])
        groups.append([parent, degrees(lat), degrees(lon)])
    return {
        "name": name,
        "member": f"{code}.tsv",
        "bbox": [
            degrees(min(p[0] for p in every)),
            degrees(min(p[1] for p in every)),
            degrees(max(p[0] for p in every)),
            degrees(max(p[1] for p in every)),
        ],
        "municipalities": municipalities,
        "designated_cities": groups,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=SOURCE)
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    by_prefecture, skipped = read(args.source)
    index: dict[str, object] = {
        "source": "Geolonia japanese-addresses (api/ja), snapshot 2024-01-15",
        "licence": "CC BY 4.0",
        "attribution": ATTRIBUTION,
        "scale": SCALE,
        "prefectures": [],
    }
    buffer = io.BytesIO()
    rows = 0
    # fixed timestamps, so the same source gives the same bytes
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:
        prefectures: list[dict[str, object]] = []
        for number, name in enumerate(PREFECTURES, start=1):
            code = f"{number:02d}"
            cities = by_prefecture[name]
            rows += sum(len(r) for r in cities.values())
            prefectures.append(prefecture_index(code, name, cities))
            info = zipfile.ZipInfo(f"{code}.tsv", date_time=(2024, 1, 15, 0, 0, 0))
            info.compress_type = zipfile.ZIP_LZMA
            archive.writestr(info, member_text(cities).encode("utf-8"))
        index["prefectures"] = prefectures
        info = zipfile.ZipInfo("index.json", date_time=(2024, 1, 15, 0, 0, 0))
        info.compress_type = zipfile.ZIP_LZMA
        text = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        archive.writestr(info, text.encode("utf-8"))
    args.out.write_bytes(buffer.getvalue())
    municipalities = sum(len(cities) for cities in by_prefecture.values())
    print(
        f"{rows:,} towns and koaza of {municipalities:,} municipalities written to {args.out} "
        f"({args.out.stat().st_size / 1e6:.2f} MB); {skipped} rows without coordinates left out"
    )


if __name__ == "__main__":
    main()
