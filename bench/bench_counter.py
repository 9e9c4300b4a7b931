"""Benchmark of one meal logged at the counter (case number in, meal saved), next to a raw
SQLite insert and commit, on a caseload with a year of meal history.

Usage (from the repository folder)::

    .venv/bin/python bench/bench_counter.py            # 5,000 households, 150,000 past meals
    .venv/bin/python bench/bench_counter.py --write    # and update docs/PERFORMANCE.md
    .venv/bin/python bench/bench_counter.py --smoke    # 200 households, 2,000 meals

The ratio app/raw shows the app's own overhead (lookup, rules, duplicate check, ORM) apart from
the machine's disk speed.
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
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
from evacsupport.services import events  # noqa: E402
from evacsupport.services.meals import MealEntry, MealService  # noqa: E402

TARGET_MS = 50.0
TODAY = date(2024, 12, 1)


def build(db: Database, households: int, meals: int, rng: random.Random) -> list[str]:
    with db.session() as session:
        event = events.get_or_default(session)
        venue_ids = [uuid.uuid4() for _ in range(20)]
        session.execute(
            insert(Venue),
            [
                {
                    "id": v,
                    "name": f"会場{i:03d}",
                    "kind": "kodomo_shokudo",
                    "capacity": 60,
                    "latitude": 36.56,
                    "longitude": 136.65,
                    "schedule": [],
                    "allergens_handled": [],
                    "meal_rules": {},
                }
                for i, v in enumerate(venue_ids)
            ],
        )
        rows, people, cases = [], [], []
        for i in range(households):
            hid = uuid.uuid4()
            case = f"N24-{i + 1:06d}"
            cases.append(case)
            rows.append(
                {
                    "id": hid,
                    "event_id": event.id,
                    "case_number": case,
                    "evacuation_status": "hotel",
                    "search_text": search_key(case) + "|ヤマダ",
                }
            )
            for j in range(rng.choice([1, 1, 2, 3, 4])):
                people.append(
                    {
                        "household_id": hid,
                        "family_name": "山田",
                        "given_name": f"{j}",
                        "family_kana": "ヤマダ",
                        "given_kana": "ハナコ",
                        "relation": "head" if j == 0 else "child",
                        "birth_date": date(1950 + j * 20, 1, 1),
                        "allergens": [],
                    }
                )
        session.execute(insert(Household), rows)
        session.execute(insert(Member), people)
        ids = [r["id"] for r in rows]
        session.execute(
            insert(MealLog),
            [
                {
                    "venue_id": rng.choice(venue_ids),
                    "household_id": rng.choice(ids),
                    "served_on": TODAY - timedelta(days=rng.randint(1, 365)),
                    "meal_type": "eat_in",
                    "adults": 1,
                    "children": 0,
                }
                for _ in range(meals)
            ],
        )
    return cases


def measure(households: int, meals: int, runs: int) -> dict[str, float]:
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.sqlite3"
        db = Database(sqlite_url(path))
        cases = build(db, households, meals, rng)
        service = MealService(db)
        with db.read() as session:
            venue_id = session.query(Venue.id).first()[0]  # type: ignore[index]
        now = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=8)
        timings = []
        for n, case in enumerate(rng.sample(cases, runs)):
            start = time.perf_counter()
            service.log(
                MealEntry(venue_id, case.lower(), served_on=TODAY), now=now + timedelta(minutes=n)
            )
            timings.append((time.perf_counter() - start) * 1000)
        db.close()
        raw = sqlite3.connect(path)
        raw.execute("PRAGMA journal_mode=WAL")
        raw.execute("PRAGMA synchronous=NORMAL")
        raw_times = []
        for _ in range(runs):
            start = time.perf_counter()
            raw.execute(
                "INSERT INTO meal_log (id, venue_id, served_on, meal_type, adults, children,"
                " member_ids, staff, note, override_note, created_at, updated_at, version)"
                " VALUES (?, ?, ?, 'eat_in', 1, 0, '[]', '', '', '', ?, ?, 1)",
                (
                    uuid.uuid4().hex,
                    venue_id.hex,
                    TODAY.isoformat(),
                    now.isoformat(),
                    now.isoformat(),
                ),
            )
            raw.commit()
            raw_times.append((time.perf_counter() - start) * 1000)
        raw.close()
    timings.sort()
    return {
        "p50": statistics.median(timings),
        "p95": timings[int(len(timings) * 0.95) - 1],
        "raw_p50": statistics.median(raw_times),
    }


def table(households: int, meals: int, result: dict[str, float]) -> str:
    ratio = result["p50"] / result["raw_p50"] if result["raw_p50"] else float("nan")
    return "\n".join(
        [
            f"Caseload: {households:,} households, {meals:,} past meal logs. "
            f"Machine: {platform.platform()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}.",
            "",
            "| measure | target | p50 | p95 | raw SQLite p50 | app/raw |",
            "| --- | --- | --- | --- | --- | --- |",
            f"| one meal logged at the counter (lookup, rules, duplicate check, save) "
            f"| < {TARGET_MS:.0f} ms | {result['p50']:.1f} ms | {result['p95']:.1f} ms "
            f"| {result['raw_p50']:.2f} ms | {ratio:.0f}× |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5000)
    parser.add_argument("--meals", type=int, default=150_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.households, args.meals, args.runs = 200, 2000, 20
    result = measure(args.households, args.meals, args.runs)
    section = table(args.households, args.meals, result)
    print(section)
    if args.write and not args.smoke:
        write_section(
            "bench_counter",
            f"## Meal counter\n\nReproduce: "
            f"`.venv/bin/python bench/bench_counter.py --write`\n\n{section}",
        )


if __name__ == "__main__":
    main()
