"""The household facts: the caseload's activity columns read from ``household_facts`` against the
whole-history path they replaced (still the answer for a past day), on a generated data set.

Usage (from the repository folder)::

    .venv/bin/python bench/bench_facts.py --size noto        # or prefecture; --repeat N

Both paths run in the same process on the same file, so the comparison holds on a machine whose
speed swings. Also timed: recomputing the facts of 1, 500 and 25,000 households (what a meal,
an import and a month's sync merge add to their transaction) and rebuilding the whole table
(``check --repair``, the upgrade to revision 0009); those writes are rolled back.
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import sys
import time
from collections.abc import Callable
from contextlib import ExitStack
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from bench import generate  # noqa: E402
from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.db.facts import rebuild_facts, refresh_facts  # noqa: E402
from evacsupport.db.models import Household  # noqa: E402
from evacsupport.services import caseload, reporting  # noqa: E402
from evacsupport.services.caseload import load_caseload  # noqa: E402
from evacsupport.services.reporting import monthly_figures  # noqa: E402


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def history_only() -> ExitStack:
    """The path before the stored facts: everything aggregated from the history."""
    stack = ExitStack()
    for module in (caseload, reporting):
        stack.enter_context(mock.patch.object(module, "stored_facts", return_value=None))
    return stack


def show(label: str, times: list[float]) -> None:
    runs = ", ".join(f"{t:.2f}" for t in times)
    print(f"{label}: median {statistics.median(times):.2f} s ({runs})", flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["noto", "prefecture", "small"], default="noto")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    path = generate.ensure(args.size, args.seed)
    db = Database(sqlite_url(path))
    today = generate.TODAY
    month = today.replace(day=1)
    try:

        def rows() -> None:
            load_caseload(db, today=today)

        def risk() -> None:
            monthly_figures(db, month, today=today)

        show("load_caseload, stored facts", timed(rows, args.repeat))
        with history_only():
            show("load_caseload, from the history", timed(rows, args.repeat))
        show("risk figures of the running month, stored facts", timed(risk, args.repeat))
        with history_only():
            show("risk figures of the running month, from the history", timed(risk, args.repeat))
        with db.read() as session:
            ids = list(session.scalars(select(Household.id)))
        rng = random.Random(args.seed)
        for n in (1, 500, 25_000):
            pick = rng.sample(ids, min(n, len(ids)))
            with db.session() as session:
                refresh_facts(session.connection(), pick[:1])  # statements compiled
                start = time.perf_counter()
                refresh_facts(session.connection(), pick)
                elapsed = time.perf_counter() - start
                session.rollback()
            print(f"refresh_facts of {len(pick):,} households: {elapsed * 1000:.1f} ms", flush=True)
        with db.session() as session:
            start = time.perf_counter()
            count = rebuild_facts(session.connection())
            elapsed = time.perf_counter() - start
            session.rollback()
        print(f"rebuild_facts ({count:,} rows): {elapsed:.2f} s", flush=True)
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
