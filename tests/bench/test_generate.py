"""The benchmark data generator: reproducible, and its bulk-loaded data obeys the app's rules."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.generate import generate
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.services.caseload import load_caseload
from evacsupport.services.integrity import run_checks


def _digest(path: Path) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            "SELECT h.case_number, h.search_text, count(m.id), "
            "(SELECT count(*) FROM meal_log l WHERE l.household_id = h.id) "
            "FROM household h JOIN member m ON m.household_id = h.id "
            "GROUP BY h.id ORDER BY h.case_number"
        ).fetchall()
    finally:
        conn.close()


def test_small_set_passes_the_integrity_check_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "small.sqlite3"
    summary = generate("small", path, seed=3)
    assert summary.households == 200 and summary.venues == 20
    assert summary.meals > 5_000 and summary.visits and summary.checkins
    db = Database(sqlite_url(path))
    try:
        report = run_checks(db)
        assert report.ok, [str(p) for p in report.problems[:5]]
        rows = load_caseload(db)
        assert len(rows) == 200
        assert sum(1 for r in rows if r.venue_id) > 100
    finally:
        db.close()


def test_same_seed_same_data(tmp_path: Path) -> None:
    generate("small", tmp_path / "a.sqlite3", seed=5)
    generate("small", tmp_path / "b.sqlite3", seed=5)
    assert _digest(tmp_path / "a.sqlite3") == _digest(tmp_path / "b.sqlite3")
