"""Benchmark of sync packages: one month of a caseload's changes, exported and merged.

Usage (from the repository folder)::

    .venv/bin/python bench/bench_sync.py            # 5,000 households (about 40,000 meals/month)
    .venv/bin/python bench/bench_sync.py --write    # and update docs/PERFORMANCE.md
    .venv/bin/python bench/bench_sync.py --smoke    # 150 households

The office laptop holds demo data; a second coordinator's laptop is brought level with it by a
first full package. Then a month of work happens at the office (a meal most days for a quarter
of the households, visits, check-ins and phone-number edits), and the package of that month is
timed: export (read, seal) and import (open, merge in one transaction), and a re-import that
must change nothing.
"""

from __future__ import annotations

import argparse
import platform
import random
import sqlite3
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.db.models import (  # noqa: E402
    Assignment,
    CheckIn,
    Household,
    MealLog,
    Member,
    Venue,
    Visit,
)
from evacsupport.services import demo  # noqa: E402
from evacsupport.sync.service import SyncService  # noqa: E402

PASSPHRASE = "bench-passphrase"
EXPORT_TARGET_S = 10.0
IMPORT_TARGET_S = 20.0
START = date(2024, 9, 1)


def one_month(db: Database, rng: random.Random) -> dict[str, int]:
    """A month of office work, saved through the ORM as the app's services save it."""
    counts = {"meals": 0, "visits": 0, "checkins": 0, "edits": 0}
    with db.session() as session:
        venues = list(session.scalars(select(Venue.id)))
        assigned = dict(
            session.execute(
                select(Assignment.household_id, Assignment.venue_id).where(
                    Assignment.status == "active", Assignment.deleted_at.is_(None)
                )
            ).all()
        )
        # Every active household eats somewhere: its assigned venue, or a nearby one.
        pairs = [
            (hid, assigned.get(hid) or rng.choice(venues))
            for hid in session.scalars(select(Household.id).where(Household.status == "active"))
        ]
        heads = dict(
            session.execute(
                select(Member.household_id, Member.id).where(Member.relation == "head")
            ).all()
        )
        for day in range(30):
            served = START + timedelta(days=day)
            for household_id, venue_id in pairs:
                if rng.random() < 0.25:
                    session.add(
                        MealLog(
                            id=uuid.uuid4(),
                            venue_id=venue_id,
                            household_id=household_id,
                            served_on=served,
                            meal_type="eat_in",
                            adults=1,
                            children=0,
                        )
                    )
                    counts["meals"] += 1
            session.flush()
        for household_id, _ in pairs:
            if rng.random() < 0.1:
                session.add(Visit(household_id=household_id, visited_on=START, kind="home",
                                  summary="定期訪問"))  # fmt: skip
                counts["visits"] += 1
            if rng.random() < 0.1 and household_id in heads:
                session.add(CheckIn(household_id=household_id, member_id=heads[household_id],
                                    checked_on=START, loneliness=1))  # fmt: skip
                counts["checkins"] += 1
        session.flush()
        for household in session.scalars(select(Household).limit(len(pairs) // 20)):
            household.phone = f"090{rng.randint(10000000, 99999999)}"
            counts["edits"] += 1
    return counts


FIRST_IMPORT_TARGET_S = 10.0


@dataclass
class FirstPackage:
    """An office with a demo caseload and a new laptop brought level by its first package."""

    office: Database
    other: Database
    office_sync: SyncService
    other_sync: SyncService
    changes: int
    export_s: float
    import_s: float


def _first_package_in(folder: Path, households: int) -> FirstPackage:
    office = Database(sqlite_url(folder / "office.sqlite3"))
    other = Database(sqlite_url(folder / "other.sqlite3"))
    demo.generate(office, households=households, seed=5, today=START - timedelta(days=1))
    office_sync, other_sync = SyncService(office), SyncService(other)
    office_sync.rename_site("office")
    other_sync.this_site()  # the new laptop's identity, made before the clock starts
    start = time.perf_counter()
    first = office_sync.export("other", folder / "first.evsync", PASSPHRASE)
    export_s = time.perf_counter() - start
    start = time.perf_counter()
    other_sync.import_(folder / "first.evsync", PASSPHRASE, accept_unknown=True)
    import_s = time.perf_counter() - start
    return FirstPackage(office, other, office_sync, other_sync, first.changes, export_s, import_s)


def first_package(households: int) -> dict[str, float]:
    """A demo caseload's first full package, exported and merged into an empty laptop (the
    suite's row: a generated data set has no sync log to send)."""
    with tempfile.TemporaryDirectory() as tmp:
        first = _first_package_in(Path(tmp), households)
        first.office.close()
        first.other.close()
    return {"changes": first.changes, "export": first.export_s, "import": first.import_s}


def measure(households: int) -> dict[str, float]:
    rng = random.Random(11)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        first = _first_package_in(folder, households)
        office, other = first.office, first.other
        office_sync, other_sync = first.office_sync, first.other_sync
        office_sync.import_(
            other_sync.export("office", folder / "ack.evsync", PASSPHRASE).path, PASSPHRASE
        )

        counts = one_month(office, rng)
        package = folder / "month.evsync"
        start = time.perf_counter()
        month = office_sync.export("other", package, PASSPHRASE)
        export_s = time.perf_counter() - start
        start = time.perf_counter()
        merged = other_sync.import_(package, PASSPHRASE)
        import_s = time.perf_counter() - start
        start = time.perf_counter()
        again = other_sync.import_(package, PASSPHRASE)
        again_s = time.perf_counter() - start
        assert again.applied == 0 and merged.conflicts == 0
        with other.read() as s:
            meals = s.scalar(select(func.count()).select_from(MealLog))
        with office.read() as s:
            assert meals == s.scalar(select(func.count()).select_from(MealLog))
        size = package.stat().st_size
        office.close()
        other.close()
    return {
        "households": households, "first_changes": first.changes,
        "first_export": first.export_s, "first_import": first.import_s,
        "month_changes": month.changes, "export": export_s,
        "import": import_s, "again": again_s, "bytes": size, **counts,
    }  # fmt: skip


def table(r: dict[str, float]) -> str:
    return "\n".join(
        [
            f"Caseload: {int(r['households']):,} households (demo data). One month: "
            f"{int(r['meals']):,} meals, {int(r['visits']):,} visits, {int(r['checkins']):,} "
            f"check-ins, {int(r['edits']):,} edited households = {int(r['month_changes']):,} "
            f"changes, package {r['bytes'] / 1e6:.1f} MB sealed. Machine: {platform.platform()}, "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}.",
            "",
            "| measure | target | time |",
            "| --- | --- | --- |",
            f"| export of one month's package | < {EXPORT_TARGET_S:.0f} s | {r['export']:.2f} s |",
            f"| import (merge) of one month's package | < {IMPORT_TARGET_S:.0f} s "
            f"| {r['import']:.2f} s |",
            f"| re-import of the same package (no-op) | — | {r['again']:.2f} s |",
            f"| first full package ({int(r['first_changes']):,} changes): export | — "
            f"| {r['first_export']:.2f} s |",
            f"| first full package: import into an empty laptop | < {FIRST_IMPORT_TARGET_S:.0f} s "
            f"| {r['first_import']:.2f} s |",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=5_000)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.households = 150
    section = table(measure(args.households))
    print(section)
    if args.write and not args.smoke:
        from bench.perfdoc import write_section

        write_section(
            "bench_sync",
            "## Sync packages\n\nReproduce: `.venv/bin/python bench/bench_sync.py --write`\n\n"
            + section,
        )


if __name__ == "__main__":
    main()
