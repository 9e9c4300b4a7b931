"""Benchmark of importing a municipal household list (one row per person) into a fresh database.

Usage (from the repository folder)::

    .venv/bin/python bench/bench_import.py            # 10,000 rows, about 4,000 households
    .venv/bin/python bench/bench_import.py --write    # and update docs/PERFORMANCE.md
    .venv/bin/python bench/bench_import.py --smoke    # 300 rows

The file is CP932 CSV as Excel in Japan writes it, with wareki dates and full-width digits, so
the timing includes decoding, validation with the forms' rules, matching and the writes.
"""

from __future__ import annotations

import argparse
import csv
import io
import platform
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.importers import import_households, template  # noqa: E402

TARGET_S = 5.0
FAMILY = [
    ("能登", "ノト"),
    ("輪島", "ワジマ"),
    ("珠洲", "スズ"),
    ("七尾", "ナナオ"),
    ("穴水", "アナミズ"),
]
GIVEN = [("太郎", "タロウ"), ("花子", "ハナコ"), ("一郎", "イチロウ"), ("幸子", "サチコ")]
TOWNS = ["輪島市河井町", "珠洲市宝立町", "鳳珠郡能登町宇出津", "鳳珠郡穴水町川島", "七尾市府中町"]
STATUSES = ["2次避難", "みなし仮設", "応急仮設住宅", "親族・知人宅"]
# Where the households live now, written as lists write it (no coordinates: the import places
# each from its address, so the geocoder is part of what is timed).
HOSTS = [
    ("石川県金沢市香林坊{b}-{l}", "920-0961"),
    ("金沢市広岡{b}丁目{l}番地", ""),
    ("金沢市駅西本町{w}－{l}", "920-0025"),
    ("石川県白山市倉光{b}-{l} ホテル白山", ""),
    ("野々市市本町{b}丁目{l}", "921-8815"),
    ("小松市土居原町{l}", ""),
    ("", "920-0853"),
    ("加賀市山代温泉{l} 旅館", ""),
]
WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


def generate(path: Path, rows: int, rng: random.Random) -> int:
    """A CP932 list of ``rows`` people in households of 1 to 4; returns the household count."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(template("households"))
    n, household = 0, 0
    while n < rows:
        household += 1
        size = min(rng.choice([1, 2, 2, 3, 4]), rows - n)
        family, kana = rng.choice(FAMILY)
        town = rng.choice(TOWNS)
        status = rng.choice(STATUSES)
        host, postal = rng.choice(HOSTS)
        block, lot = rng.randint(1, 3), rng.randint(1, 30)
        for i in range(size):
            given, gkana = rng.choice(GIVEN)
            year = rng.randint(25, 63)
            birth = f"昭和{year}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日"
            if i:
                birth = f"{1990 + i}/{rng.randint(1, 12)}/{rng.randint(1, 28)}"
            writer.writerow(
                [
                    str(household).translate(WIDE),
                    f"{family}\u3000{given}{i or ''}",
                    f"{kana} {gkana}{'ア' * i}",
                    birth,
                    "男性" if rng.random() < 0.5 else "女性",
                    "" if i == 0 else "子",
                    f"090-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                    f"石川県{town}{rng.randint(1, 30)}-{rng.randint(1, 9)}",
                    host.format(b=block, l=lot, w=str(block).translate(WIDE)),
                    postal,
                    status,
                    "卵、乳" if rng.random() < 0.05 else "",
                    "",
                    "令和6年2月1日" if i == 0 and rng.random() < 0.5 else "",
                ]
            )
            n += 1
    path.write_bytes(out.getvalue().encode("cp932"))
    return household


def measure(rows: int) -> dict[str, float]:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "名簿.csv"
        households = generate(path, rows, rng)
        db = Database(sqlite_url(Path(tmp) / "bench.sqlite3"))
        start = time.perf_counter()
        first = import_households(db, path)
        first_s = time.perf_counter() - start
        start = time.perf_counter()
        again = import_households(db, path)
        again_s = time.perf_counter() - start
        db.close()
    assert not first.rejected and first.created == households, first.rejected[:3]
    assert again.created == 0 and again.unchanged == households
    return {"rows": rows, "households": households, "first": first_s, "again": again_s}


def table(result: dict[str, float]) -> str:
    return "\n".join(
        [
            f"File: {int(result['rows']):,} rows (CP932 CSV), {int(result['households']):,} "
            f"households. Machine: {platform.platform()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}.",
            "",
            "| measure | target | time |",
            "| --- | --- | --- |",
            f"| first import into a fresh database | < {TARGET_S:.0f} s "
            f"| {result['first']:.2f} s |",
            f"| re-import of the same file (all unchanged) | — | {result['again']:.2f} s |",
        ]
    )


def write(section: str) -> None:
    from bench.perfdoc import write_section

    write_section(
        "bench_import",
        "## Household list import\n\nReproduce: `.venv/bin/python bench/bench_import.py "
        f"--write`\n\n{section}",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.rows = 300
    result = measure(args.rows)
    section = table(result)
    print(section)
    if args.write and not args.smoke:
        write(section)


if __name__ == "__main__":
    main()
