"""Render every PDF report from a demo database and turn its pages into PNGs to look at.

    .venv/bin/python tools/render_reports.py [--out /tmp/reports] [--lang en] [--only monthly]
        [--households 300] [--all-pages] [--docs]

``--docs`` also writes page 1 of each report to docs/reports/<name>.png.

Each report is one entry of RENDERERS (a name and a function writing the PDF to a path); add a
report by adding an entry. Needs ``pdftoppm`` (poppler-utils) for the PNGs.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.i18n import set_language  # noqa: E402
from evacsupport.services import demo  # noqa: E402

ORGANISATION = "NPO法人 のと・かなざわ つなぐ会"
DOCS = ROOT / "docs" / "reports"


def previous_month(today: date | None = None) -> date:
    first = (today or date.today()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def monthly_by_origin(db: Database, target: Path) -> None:
    from evacsupport.reports.monthly import make_monthly_report

    make_monthly_report(db, previous_month(), by="origin", organisation=ORGANISATION, target=target)


def monthly_by_host(db: Database, target: Path) -> None:
    from evacsupport.reports.monthly import make_monthly_report

    make_monthly_report(db, previous_month(), by="host", organisation=ORGANISATION, target=target)


def id_cards(db: Database, target: Path) -> None:
    from evacsupport.reports.cards import make_id_cards

    make_id_cards(db, None, organisation=ORGANISATION, target=target)


def _busiest_venue(db: Database) -> uuid.UUID:
    from sqlalchemy import func, select

    from evacsupport.db.models import Assignment

    with db.read() as session:
        venue_id = session.scalar(
            select(Assignment.venue_id)
            .where(Assignment.status == "active", Assignment.deleted_at.is_(None))
            .group_by(Assignment.venue_id)
            .order_by(func.count().desc())
        )
    assert venue_id is not None, "the demo data assigns households to venues"
    return venue_id


def roster(db: Database, target: Path) -> None:
    from evacsupport.reports.roster import make_roster

    make_roster(db, _busiest_venue(db), date.today(), organisation=ORGANISATION, target=target)


def case_summary(db: Database, target: Path) -> None:
    """The household at a venue with the most check-ins, once it has consented to a referral
    (demo consents do not cover referral), sensitive data included."""
    from sqlalchemy import func, select

    from evacsupport.db.models import Assignment, CheckIn
    from evacsupport.reports.case_summary import make_case_summary
    from evacsupport.services.consents import ConsentInput, record_consent

    with db.read() as session:
        household_id = session.scalar(
            select(CheckIn.household_id)
            .join(Assignment, Assignment.household_id == CheckIn.household_id)
            .where(Assignment.status == "active")
            .group_by(CheckIn.household_id)
            .order_by(func.count().desc(), CheckIn.household_id)
        )
    assert household_id is not None, "the demo data has check-ins"
    record_consent(
        db,
        household_id,
        ConsentInput(
            consented_on=date.today(),
            purposes=["support", "venue_connection", "referral"],
            recipients=["assigned_venue", "social_welfare_council", "health_services"],
            data_categories=["basic", "contact", "sensitive"],
            staff="佐藤",
        ),
    )
    make_case_summary(db, household_id, organisation=ORGANISATION, target=target)


# One entry per report: add new reports here (the monthly and venue activity reports too).
def venue_activity(db: Database, target: Path) -> None:
    """The venue that served the most meals in the last 30 days, over those 30 days."""
    from sqlalchemy import func, select

    from evacsupport.db.models import MealLog
    from evacsupport.reports.venue_activity import make_venue_activity_report

    end = date.today()
    start = end - timedelta(days=29)
    with db.read() as session:
        venue_id = session.scalar(
            select(MealLog.venue_id)
            .where(MealLog.deleted_at.is_(None), MealLog.served_on.between(start, end))
            .group_by(MealLog.venue_id)
            .order_by(func.count().desc(), MealLog.venue_id)
        )
    assert venue_id is not None, "the demo data logs meals"
    make_venue_activity_report(db, venue_id, start, end, organisation=ORGANISATION, target=target)


RENDERERS: dict[str, Callable[[Database, Path], None]] = {
    "monthly": monthly_by_origin,
    "monthly_host": monthly_by_host,
    "id_cards": id_cards,
    "roster": roster,
    "case_summary": case_summary,
    "venue_activity": venue_activity,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "reports")
    parser.add_argument("--lang", choices=["ja", "en"], default="ja")
    parser.add_argument("--only", action="append", choices=sorted(RENDERERS))
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--all-pages", action="store_true", help="PNGs of every page, not page 1")
    parser.add_argument(
        "--docs", action="store_true", help="also page 1 of each to docs/reports/<name>.png"
    )
    args = parser.parse_args()
    set_language(args.lang)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(sqlite_url(Path(tmp) / "demo.sqlite3"))
        try:
            demo.generate(db, households=args.households, seed=args.seed)
            for name in args.only or RENDERERS:
                target = args.out / f"{name}_{args.lang}.pdf"
                start = time.perf_counter()
                RENDERERS[name](db, target)
                seconds = time.perf_counter() - start
                print(f"{target}  {seconds:.2f} s")
                if shutil.which("pdftoppm"):
                    pages = [] if args.all_pages else ["-f", "1", "-l", "1"]
                    prefix = args.out / f"{name}_{args.lang}"
                    subprocess.run(
                        ["pdftoppm", "-png", "-r", "80", *pages, str(target), str(prefix)],
                        check=True,
                    )
                if args.docs:  # the pictures in the documentation
                    DOCS.mkdir(parents=True, exist_ok=True)
                    first = ["-f", "1", "-l", "1", "-singlefile"]
                    subprocess.run(
                        ["pdftoppm", "-png", "-r", "80", *first, str(target), str(DOCS / name)],
                        check=True,
                    )
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
