"""Benchmark of the monthly municipal report PDF on a "noto"-sized caseload, next to the raw
SQLite query that does the same core aggregation (one month's meals by venue and meal type).

Usage (from the repository folder)::

    .venv/bin/python bench/bench_reports.py            # 5,000 households, 500,000 meal logs
    .venv/bin/python bench/bench_reports.py --write    # and update docs/PERFORMANCE.md
    .venv/bin/python bench/bench_reports.py --smoke    # 200 households, 5,000 meal logs
"""

from __future__ import annotations

import argparse
import io
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import insert  # noqa: E402

from bench.perfdoc import write_section  # noqa: E402
from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.db.models import Household, MealLog, Member, Venue  # noqa: E402
from evacsupport.domain.normalize import search_key  # noqa: E402
from evacsupport.reports.monthly import make_monthly_report  # noqa: E402
from evacsupport.services import events  # noqa: E402

TARGET_S = 2.0
MONTH = date(2024, 6, 1)
ORIGINS = ["172049", "172057", "174637", "174611", "172022", "173843"]
TYPES = ["eat_in"] * 6 + ["takeaway"] * 2 + ["delivery", "pantry"]


def build(db: Database, households: int, meals: int, venues: int = 150) -> None:
    rng = random.Random(11)
    with db.session() as session:
        event = events.get_or_default(session)
        venue_ids = [uuid.uuid4() for _ in range(venues)]
        session.execute(
            insert(Venue),
            [
                {
                    "id": v,
                    "name": f"会場{i:03d}",
                    "kind": "kodomo_shokudo",
                    "capacity": 60,
                    "schedule": [],
                    "allergens_handled": [],
                    "meal_rules": {},
                }
                for i, v in enumerate(venue_ids)
            ],
        )
        rows, people = [], []
        for i in range(households):
            hid = uuid.uuid4()
            case = f"N24-{i + 1:06d}"
            rows.append(
                {
                    "id": hid,
                    "event_id": event.id,
                    "case_number": case,
                    "evacuation_status": "deemed_housing",
                    "origin_municipality_code": rng.choice(ORIGINS),
                    "current_municipality_code": "172014",
                    "search_text": search_key(case),
                }
            )
            for j in range(rng.choice([1, 1, 2, 3, 4])):
                people.append(
                    {
                        "household_id": hid,
                        "family_name": "能登",
                        "given_name": str(j),
                        "family_kana": "ノト",
                        "given_kana": "",
                        "allergens": [],
                        "relation": "head" if j == 0 else "child",
                    }
                )
        session.execute(insert(Household), rows)
        session.execute(insert(Member), people)
        ids = [r["id"] for r in rows]
        year_start = MONTH - timedelta(days=300)
        batch = []
        for n in range(meals):
            guest = rng.random() < 0.05
            batch.append(
                {
                    "venue_id": rng.choice(venue_ids),
                    "household_id": None if guest else rng.choice(ids),
                    "served_on": year_start + timedelta(days=rng.randint(0, 364)),
                    "meal_type": rng.choice(TYPES),
                    "adults": rng.randint(1, 2),
                    "children": rng.randint(0, 2),
                }
            )
            if len(batch) == 50_000 or n == meals - 1:
                session.execute(insert(MealLog), batch)
                batch = []


def measure(households: int, meals: int, repeat: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = Database(sqlite_url(path))
        started = time.perf_counter()
        build(db, households, meals)
        built = time.perf_counter() - started
        report = []
        for _ in range(repeat):
            start = time.perf_counter()
            make_monthly_report(db, MONTH, target=io.BytesIO(), today=date(2024, 7, 15))
            report.append(time.perf_counter() - start)
        db.close()
        raw = sqlite3.connect(path)
        raw_times = []
        for _ in range(repeat):
            start = time.perf_counter()
            raw.execute(
                "SELECT venue_id, meal_type, count(*), sum(adults), sum(children),"
                " count(DISTINCT household_id) FROM meal_log WHERE deleted_at IS NULL AND"
                " served_on BETWEEN ? AND ? GROUP BY venue_id, meal_type",
                (MONTH.isoformat(), date(2024, 6, 30).isoformat()),
            ).fetchall()
            raw_times.append(time.perf_counter() - start)
        raw.close()
    return {
        "build": built,
        "report": statistics.median(report),
        "raw": statistics.median(raw_times),
    }


def table(households: int, meals: int, result: dict[str, float]) -> str:
    return "\n".join(
        [
            f"Caseload: {households:,} households, {meals:,} meal logs over a year, 150 venues "
            f"(built in {result['build']:.0f} s). Machine: {platform.platform()}, Python "
            f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}.",
            "",
            "| measure | target | measured | raw SQLite (one month's meals by venue and type) "
            "| app/raw |",
            "| --- | --- | --- | --- | --- |",
            f"| monthly municipal report PDF (June 2024, by origin) | < {TARGET_S:.0f} s "
            f"| {result['report']:.2f} s | {result['raw'] * 1000:.0f} ms "
            f"| {result['report'] / result['raw']:.0f}× |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--meals", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.households, args.meals, args.repeat = 200, 5000, 1
    result = measure(args.households, args.meals, args.repeat)
    section = table(args.households, args.meals, result)
    print(section)
    if args.write and not args.smoke:
        write_section(
            "bench_reports",
            f"## Monthly report\n\nReproduce: "
            f"`.venv/bin/python bench/bench_reports.py --write`\n\n{section}",
        )


if __name__ == "__main__":
    main()
