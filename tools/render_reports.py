"""Render every PDF report from a demo database and turn its pages into PNGs to look at.

    .venv/bin/python tools/render_reports.py [--out /tmp/reports] [--lang en] [--only monthly]
        [--households 300] [--all-pages]

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


def previous_month(today: date | None = None) -> date:
    first = (today or date.today()).replace(day=1)
    return (first - timedelta(days=1)).replace(day=1)


def monthly_by_origin(db: Database, target: Path) -> None:
    from evacsupport.reports.monthly import make_monthly_report

    make_monthly_report(db, previous_month(), by="origin", organisation=ORGANISATION, target=target)


def monthly_by_host(db: Database, target: Path) -> None:
    from evacsupport.reports.monthly import make_monthly_report

    make_monthly_report(db, previous_month(), by="host", organisation=ORGANISATION, target=target)


RENDERERS: dict[str, Callable[[Database, Path], None]] = {
    "monthly": monthly_by_origin,
    "monthly_host": monthly_by_host,
}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "reports")
    parser.add_argument("--lang", choices=["ja", "en"], default="ja")
    parser.add_argument("--only", action="append", choices=sorted(RENDERERS))
    parser.add_argument("--households", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--all-pages", action="store_true", help="PNGs of every page, not page 1")
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
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
