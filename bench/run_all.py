"""The whole benchmark suite on the generated data sets, in one command.

Usage (from the repository folder)::

    .venv/bin/python bench/run_all.py                       # "noto" and "prefecture"
    .venv/bin/python bench/run_all.py --size noto --write   # and rewrite its table in
                                                            # docs/PERFORMANCE.md
    .venv/bin/python bench/run_all.py --smoke               # the "small" set, nothing written

Each data set is made once by ``bench/generate.py`` and kept in ``bench/.data``. Measures that
write (a meal, an import, sync) run on copies, so the cached set stays as generated. Where raw
SQLite does the same core work (search, the monthly aggregate, inserting rows) it is timed in
the same run and the ratio app/raw shown, which separates the app's overhead from machine noise.
"""

from __future__ import annotations

import argparse
import gc
import io
import os
import platform
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from sqlalchemy import func, select  # noqa: E402

from bench import bench_sync, bench_ui_stall, generate  # noqa: E402
from bench.perfdoc import write_section  # noqa: E402
from evacsupport.config import Settings, sqlite_url  # noqa: E402
from evacsupport.db import Database, cipher  # noqa: E402
from evacsupport.db.models import Assignment, CheckIn, Household, MealLog, Member, Visit  # noqa: E402
from evacsupport.domain.normalize import search_key  # noqa: E402

TODAY = generate.TODAY
MONTH = date(2024, 6, 1)
MONTH_END = date(2024, 6, 30)
PASSPHRASE = "bench-passphrase"
SECTION = "run_all"


@dataclass
class Row:
    measure: str
    target: str
    value: str
    raw: str = ""
    ratio: str = ""
    note: str = ""
    ok: bool | None = None


@dataclass
class Report:
    size: str
    summary: str
    rows: list[Row] = field(default_factory=list)
    details: list[str] = field(default_factory=list)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 1 else f"{seconds:.2f} s"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def settle() -> None:
    """Start a measure from a collected heap: what an earlier measure left for the garbage
    collector is not charged to this one (suggestions ran 41 or 60 ms by that alone)."""
    gc.collect()


def timed(fn: Callable[[], Any], repeat: int) -> list[float]:
    settle()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return times


def _app() -> Any:
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication([sys.argv[0]])


def _context(db: Database) -> Any:
    from evacsupport.ui.context import AppContext
    from evacsupport.ui.prompts import QtPrompter

    return AppContext(db, prompter=QtPrompter(), settings=Settings(), user="bench")


# --- measures ----------------------------------------------------------------------------------
def cold_start(path: Path, runs: int, typed: str) -> tuple[dict[str, list[float]], int]:
    """Whole process: spawn → window on screen with the household list painted ("painted"),
    then holding every household ("all-rows", only for a caseload shown first page first) and
    with its activity columns complete ("complete"). Also the peak RSS (KB) of the process,
    which then types a search before it quits."""
    times: dict[str, list[float]] = {"painted": [], "all-rows": [], "complete": []}
    peak = 0
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "bench" / "gui_start.py"), str(path), "--type", typed],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
        )
        assert proc.stdout is not None
        seen: dict[str, float] = {}
        for line in proc.stdout:
            word = line.split(" ", 1)[0]
            if word in times and word not in seen:
                seen[word] = time.perf_counter() - start
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        if "painted" not in seen or proc.returncode != 0:
            raise RuntimeError(f"gui_start failed ({proc.returncode})")
        for word, elapsed in seen.items():
            times[word].append(elapsed)
        peak = max(peak, usage.ru_maxrss)
    return times, peak


def search_queries(db: Database, count: int, rng: random.Random) -> list[str]:
    """What a worker types: a head's furigana (as hiragana), name in kanji, or case number."""
    with db.read() as session:
        heads = session.execute(
            select(
                Household.case_number,
                Member.family_name,
                Member.given_name,
                Member.family_kana,
                Member.given_kana,
            )
            .join(Member, Member.household_id == Household.id)
            .where(Member.relation == "head")
            .order_by(Household.case_number)
        ).all()
    import jaconv

    queries = []
    for case, fam, giv, fam_k, giv_k in rng.sample(heads, min(count, len(heads))):
        kind = rng.choice(["kana", "kana", "kanji", "case"])
        if kind == "kana":
            queries.append(jaconv.kata2hira(fam_k + giv_k))
        elif kind == "kanji":
            queries.append(fam + giv)
        else:
            queries.append(case.split("-")[1].lstrip("0") or case)
    return queries


def search(db: Database, queries: list[str]) -> tuple[list[float], list[float], int]:
    """Per keystroke through the search box's own path (textChanged → the model's filter), and
    raw SQLite finding the same households' ids for each prefix."""
    from evacsupport.ui.views.households.list_view import HouseholdListView

    app = _app()
    view = HouseholdListView(_context(db))
    view.resize(1200, 700)
    view.show()
    view.reload_now()
    while view._task is not None:  # a large caseload completes its columns in the background
        app.processEvents()
        time.sleep(0.01)
    app.processEvents()
    total = view.model.total()
    app_times: list[float] = []
    settle()
    for text in queries:
        for i in range(1, len(text) + 1):
            start = time.perf_counter()
            view.search_box.setText(text[:i])
            app.processEvents()  # paint the filtered table
            app_times.append(time.perf_counter() - start)
        view.search_box.clear()
        app.processEvents()
    view.close()
    view.deleteLater()
    app.processEvents()
    raw = cipher.connect(db.url.database)
    fts = (
        raw.execute("SELECT 1 FROM sqlite_master WHERE name='household_search'").fetchone()
        is not None
    )
    raw_times: list[float] = []
    for text in queries:
        for i in range(1, len(text) + 1):
            key = search_key(text[:i])
            start = time.perf_counter()
            if fts and len(key) >= 3:
                raw.execute(
                    "SELECT rowid FROM household_search WHERE search_text MATCH ?",
                    ('"' + key.replace('"', '""') + '"',),
                ).fetchall()
            else:
                raw.execute(
                    "SELECT id FROM household WHERE deleted_at IS NULL AND instr(search_text, ?)",
                    (key,),
                ).fetchall()
            raw_times.append(time.perf_counter() - start)
    raw.close()
    return app_times, raw_times, total


def busiest_household(db: Database) -> uuid.UUID:
    with db.read() as session:
        return session.scalar(
            select(MealLog.household_id)
            .where(MealLog.household_id.is_not(None))
            .group_by(MealLog.household_id)
            .order_by(func.count().desc())
            .limit(1)
        )


def open_household(
    db: Database, household_id: uuid.UUID, repeat: int
) -> tuple[list[float], list[float]]:
    """The editor shown on its first tab; then, apart, its meals tab shown for the first time
    (the year of meals and the check-in chart load on first view)."""
    from evacsupport.ui.views.households.editor import HouseholdEditor

    app = _app()
    ctx = _context(db)
    opened: list[float] = []
    meals_tab: list[float] = []

    def once() -> None:
        start = time.perf_counter()
        editor = HouseholdEditor(ctx, household_id)
        editor.show()
        app.processEvents()
        opened.append(time.perf_counter() - start)
        page = editor.activity.pages()[0][0]
        start = time.perf_counter()
        editor.tabs.setCurrentWidget(page)
        app.processEvents()
        meals_tab.append(time.perf_counter() - start)
        editor.hide()
        editor.deleteLater()

    once()  # the first one also imports and builds Qt's caches: not what a worker waits for
    opened.clear()
    settle()
    meals_tab.clear()
    for _ in range(repeat):
        once()
    app.processEvents()
    return opened, meals_tab


def meal_logged(db: Database, runs: int) -> tuple[list[float], list[float]]:
    from evacsupport.services.meals import MealEntry, MealService

    with db.read() as session:
        pairs = session.execute(
            select(Assignment.venue_id, Household.case_number)
            .join(Household, Household.id == Assignment.household_id)
            .where(Assignment.status == "active")
            .order_by(Household.case_number)
            .limit(runs)
        ).all()
    service = MealService(db)
    now = datetime.combine(TODAY, datetime.min.time(), UTC) + timedelta(hours=8)
    times = []
    settle()
    for n, (venue_id, case) in enumerate(pairs):
        start = time.perf_counter()
        service.log(MealEntry(venue_id, case.lower(), served_on=TODAY),
                    now=now + timedelta(minutes=n), confirm_duplicate=True)  # fmt: skip
        times.append(time.perf_counter() - start)
    raw = cipher.connect(db.url.database)
    raw.execute("PRAGMA journal_mode=WAL")
    raw.execute("PRAGMA synchronous=NORMAL")
    raw_times = []
    for venue_id, _ in pairs:
        start = time.perf_counter()
        raw.execute(
            "INSERT INTO meal_log (id, venue_id, served_on, meal_type, adults, children,"
            " member_ids, staff, note, override_note, created_at, updated_at, version, updated_by)"
            " VALUES (?, ?, ?, 'eat_in', 1, 0, '[]', '', '', '', ?, ?, 1, '')",
            (uuid.uuid4().hex, venue_id.hex, TODAY.isoformat(), now.isoformat(), now.isoformat()),
        )
        raw.commit()
        raw_times.append(time.perf_counter() - start)
    raw.close()
    return times, raw_times


def suggestions(db: Database, household_id: uuid.UUID, repeat: int) -> tuple[list[float], int]:
    from evacsupport.services.assignment import AssignmentService

    service = AssignmentService(db)
    result = service.suggest(household_id, TODAY)
    return timed(lambda: service.suggest(household_id, TODAY), repeat), len(result.suggestions)


def allocation(smoke: bool) -> tuple[float, str]:
    """The stated measure: 5,000 households to 150 venues (bench_allocation's caseload)."""
    from bench import bench_allocation
    from evacsupport.services.assignment import AssignmentService

    households, venues = (200, 20) if smoke else (5000, 150)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(sqlite_url(Path(tmp) / "alloc.sqlite3"))
        bench_allocation.generate(db, households, venues)
        start = time.perf_counter()
        plan = AssignmentService(db).plan(bench_allocation.TODAY)
        elapsed = time.perf_counter() - start
        db.close()
    return elapsed, f"{households:,} households to {venues} venues, {len(plan.placements):,} placed"


MONTH_SQL = (
    "SELECT venue_id, meal_type, count(*), sum(adults), sum(children),"
    " count(DISTINCT household_id) FROM meal_log WHERE deleted_at IS NULL AND"
    " served_on BETWEEN ? AND ? GROUP BY venue_id, meal_type"
)


def monthly_report(db: Database, repeat: int) -> tuple[list[float], list[float]]:
    from evacsupport.reports.monthly import make_monthly_report

    def once() -> None:
        make_monthly_report(db, MONTH, target=io.BytesIO(), today=MONTH_END + timedelta(days=15))

    once()  # fonts and imports
    times = timed(once, repeat)
    raw = cipher.connect(db.url.database)
    args = (MONTH.isoformat(), MONTH_END.isoformat())
    raw_times = timed(lambda: raw.execute(MONTH_SQL, args).fetchall(), repeat)
    raw.close()
    return times, raw_times


def import_csv(db: Database, rows: int) -> tuple[float, float, int]:
    """A 10,000-row list into the data set, and raw SQLite inserting as many rows."""
    from bench import bench_import
    from evacsupport.importers import import_households

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "名簿.csv"
        households = bench_import.generate(path, rows, random.Random(7))
        start = time.perf_counter()
        result = import_households(db, path)
        elapsed = time.perf_counter() - start
    assert not result.rejected, result.rejected[:3]
    raw = cipher.connect(db.url.database)
    raw.execute("PRAGMA synchronous=NORMAL")
    now = datetime.now(UTC).isoformat()
    event_id = raw.execute("SELECT id FROM disaster_event LIMIT 1").fetchone()[0]
    hids = [uuid.uuid4().hex for _ in range(households)]
    start = time.perf_counter()
    with raw:  # the same rows as plain inserts: households, then their members
        raw.executemany(
            "INSERT INTO household (id, event_id, case_number, status, origin_municipality_code,"
            " origin_address, evacuation_status, current_municipality_code, current_address,"
            " postal_code, phone, notes, search_text, source, source_ref, created_at, updated_at,"
            " version, updated_by) VALUES (?, ?, ?, 'active', '172049', '', 'hotel', '172014',"
            " '', '', '', '', ?, '', '', ?, ?, 1, '')",
            [(h, event_id, f"RAW-{i:06d}", h, now, now) for i, h in enumerate(hids)],
        )
        raw.executemany(
            "INSERT INTO member (id, household_id, position, family_name, given_name,"
            " family_kana, given_kana, sex, relation, allergens, dietary_needs, care_level,"
            " needs_wheelchair, medical_notes, language, phone, created_at, updated_at, version,"
            " updated_by) VALUES (?, ?, 0, '能登', '太郎', 'ノト', 'タロウ', 'male', 'other', '[]',"
            " '', 'none', 0, '', 'ja', '', ?, ?, 1, '')",
            [(uuid.uuid4().hex, hids[i % households], now, now) for i in range(rows)],
        )
    raw_s = time.perf_counter() - start
    raw.close()
    return elapsed, raw_s, households


def month_of_changes(db: Database, rng: random.Random, households: int) -> dict[str, int]:
    """A month at the office through the ORM (captured for sync as every save is): a meal for
    each household, visits and check-ins for a few, notes edited on some."""
    counts = {"meals": 0, "visits": 0, "checkins": 0, "edits": 0}
    with db.session() as session:
        pairs = session.execute(
            select(Assignment.household_id, Assignment.venue_id).where(
                Assignment.status == "active"
            )
        ).all()
        heads = dict(
            session.execute(
                select(Member.household_id, Member.id).where(Member.relation == "head")
            ).all()
        )
        for n in range(households):
            hid, vid = pairs[n % len(pairs)]
            session.add(MealLog(venue_id=vid, household_id=hid, meal_type="eat_in", adults=1,
                                served_on=TODAY + timedelta(days=n % 28)))  # fmt: skip
            counts["meals"] += 1
            if rng.random() < 0.05:
                session.add(Visit(household_id=hid, visited_on=TODAY, kind="phone",
                                  summary="定期連絡"))  # fmt: skip
                counts["visits"] += 1
            if rng.random() < 0.05 and hid in heads:
                session.add(CheckIn(household_id=hid, member_id=heads[hid], checked_on=TODAY,
                                    loneliness=2))  # fmt: skip
                counts["checkins"] += 1
            if n % 500 == 499:
                session.flush()
        for household in session.scalars(select(Household).limit(max(1, households // 50))):
            household.notes = "月次の見直し済み"
            counts["edits"] += 1
    return counts


def sync_month(office_path: Path, other_path: Path, households: int) -> dict[str, float]:
    from evacsupport.sync.service import SyncService

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        office, other = Database(sqlite_url(office_path)), Database(sqlite_url(other_path))
        office_sync, other_sync = SyncService(office), SyncService(other)
        office_sync.rename_site("office")
        other_sync.import_(office_sync.export("other", folder / "first.evsync", PASSPHRASE).path,
                           PASSPHRASE, accept_unknown=True)  # fmt: skip
        office_sync.import_(other_sync.export("office", folder / "ack.evsync", PASSPHRASE).path,
                            PASSPHRASE)  # fmt: skip
        counts = month_of_changes(office, random.Random(3), households)
        package = folder / "month.evsync"
        start = time.perf_counter()
        month = office_sync.export("other", package, PASSPHRASE)
        export_s = time.perf_counter() - start
        start = time.perf_counter()
        merged = other_sync.import_(package, PASSPHRASE)
        import_s = time.perf_counter() - start
        assert merged.conflicts == 0
        office.close()
        other.close()
    return {"export": export_s, "import": import_s, "changes": month.changes, **counts}


# --- one data set ------------------------------------------------------------------------------
def counts(path: Path) -> dict[str, int]:
    raw = cipher.connect(path)
    out = {
        t: raw.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("household", "member", "venue", "meal_log", "visit", "checkin")
    }
    raw.close()
    return out


def prepare(size: str, seed: int, encrypted: bool = False) -> Path:
    """The cached set, brought up to the current schema (so no run times a migration)."""
    path = generate.ensure_encrypted(size, seed) if encrypted else generate.ensure(size, seed)
    Database(sqlite_url(path)).close()
    raw = cipher.connect(path)
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw.close()
    return path


def run(
    size: str, seed: int, smoke: bool, log: Callable[[str], None], encrypted: bool = False
) -> Report:
    started = time.perf_counter()
    path = prepare(size, seed, encrypted)
    n = counts(path)
    report = Report(
        size,
        f"{n['household']:,} households, {n['member']:,} people, {n['venue']:,} venues, "
        f"{n['meal_log']:,} meal logs, {n['visit']:,} visits, {n['checkin']:,} check-ins "
        f"(`bench/generate.py --size {size} --seed {seed}`)"
        + ("; encrypted with SQLCipher, the raw baselines too" if encrypted else ""),
    )
    rows = report.rows
    rng = random.Random(seed)
    repeat = 1 if smoke else 5

    from evacsupport.ui.views.households.list_view import FIRST_PAGE, SHOW_FIRST_FROM

    log(f"[{size}] cold start")
    marks, peak_kb = cold_start(path, 1 if smoke else 3, "やまもと")
    starts = marks["painted"]
    first_page = n["household"] >= SHOW_FIRST_FROM
    rows.append(Row("GUI cold start to the first painted household list (whole process)",
                    "< 2 s", ms(statistics.median(starts)),
                    note=f"median of {len(starts)}, warm OS file cache"
                    + (f"; the first {FIRST_PAGE} households by case number" if first_page else ""),
                    ok=statistics.median(starts) < 2))  # fmt: skip
    if marks["complete"]:
        complete = statistics.median(marks["complete"])
        rows.append(Row("… every household with its risk and last-contact columns (background)",
                        "< 2 s" if size == "prefecture" else "—", ms(complete),
                        note="one background load after the first page; the window stays usable",
                        ok=complete < 2 if size == "prefecture" else None))  # fmt: skip
    rows.append(Row("peak RSS with the window open (start, list, one search)",
                    "< 300 MB" if size == "prefecture" else "—", f"{peak_kb / 1024:.0f} MB",
                    note="ru_maxrss of the child process",
                    ok=peak_kb / 1024 < 300 if size == "prefecture" else None))  # fmt: skip

    db = Database(sqlite_url(path))
    try:
        log(f"[{size}] search")
        queries = search_queries(db, 5 if smoke else 40, rng)
        app_t, raw_t, total = search(db, queries)
        p95 = pct(app_t, 0.95)
        rows.append(Row(f"search-as-you-type in the household list ({total:,} households), p50",
                        "—", ms(statistics.median(app_t)), ms(statistics.median(raw_t)),
                        f"{statistics.median(app_t) / statistics.median(raw_t):.0f}×",
                        note=f"{len(app_t)} keystrokes of {len(queries)} names, furigana and "
                        "case numbers; filter, sort and repaint"))  # fmt: skip
        rows.append(Row("search-as-you-type, p95 per keystroke", "< 30 ms", ms(p95),
                        ms(pct(raw_t, 0.95)), f"{p95 / pct(raw_t, 0.95):.0f}×",
                        ok=p95 < 0.030))  # fmt: skip

        log(f"[{size}] household open")
        busiest = busiest_household(db)
        opened, meals_tab = open_household(db, busiest, repeat)
        with db.read() as s:
            history = s.scalar(select(func.count()).select_from(MealLog)
                               .where(MealLog.household_id == busiest))  # fmt: skip
        rows.append(Row("opening a household with a year of history (editor shown)", "< 200 ms",
                        ms(statistics.median(opened)),
                        note=f"median of {len(opened)}; {history} meals in its history",
                        ok=statistics.median(opened) < 0.2))  # fmt: skip
        rows.append(Row("… then its meals tab, first shown (a year of meals, check-in chart)",
                        "—", ms(statistics.median(meals_tab)),
                        note=f"median of {len(meals_tab)}"))  # fmt: skip

        log(f"[{size}] suggestions")
        sugg, ranked = suggestions(db, busiest, 5 if smoke else 20)
        rows.append(Row("ranked venue suggestions for one household", "< 50 ms",
                        ms(statistics.median(sugg)), note=f"median of {len(sugg)}; "
                        f"{ranked} venues ranked", ok=statistics.median(sugg) < 0.05))  # fmt: skip

        log(f"[{size}] monthly report")
        rep, rep_raw = monthly_report(db, 1 if smoke else 3)
        limit = 3.0 if size == "prefecture" else 2.0  # #18: 3 s at prefecture scale
        rows.append(Row("monthly municipal report PDF (June 2024, by origin)",
                        f"< {limit:.0f} s", ms(statistics.median(rep)),
                        ms(statistics.median(rep_raw)),
                        f"{statistics.median(rep) / statistics.median(rep_raw):.0f}×",
                        note="raw: one month's meals by venue and type",
                        ok=statistics.median(rep) < limit))  # fmt: skip
    finally:
        db.close()

    log(f"[{size}] allocation")
    alloc_s, alloc_note = allocation(smoke)
    rows.append(Row("bulk allocation (plan only)", "< 10 s", ms(alloc_s), note=alloc_note,
                    ok=alloc_s < 10))  # fmt: skip

    with tempfile.TemporaryDirectory(dir=generate.DATA_DIR) as tmp:
        office, other = bench_ui_stall.two_laptops(path, Path(tmp))
        db = Database(sqlite_url(office))
        try:
            log(f"[{size}] meal logged")
            meal_t, meal_raw = meal_logged(db, 10 if smoke else 100)
            rows.append(Row("one meal logged at the counter (scan to saved), p50",
                            "< 50 ms", ms(statistics.median(meal_t)),
                            ms(statistics.median(meal_raw)),
                            f"{statistics.median(meal_t) / statistics.median(meal_raw):.0f}×",
                            note=f"p95 {ms(pct(meal_t, 0.95))}; raw: one insert and commit",
                            ok=pct(meal_t, 0.95) < 0.05))  # fmt: skip
        finally:
            db.close()
        log(f"[{size}] counter in the window")
        stall, ready, shown = bench_ui_stall.measure(office, 5 if smoke else 20)
        rows.append(Row("UI stall while logging meals at the counter (the window, heartbeat)",
                        "< 100 ms", f"{stall} ms",
                        note=f"{len(ready)} meals from the keyboard; bench_ui_stall.py",
                        ok=stall < 100))  # fmt: skip
        rows.append(Row("… scan → ready for the next scan, median", "< 50 ms",
                        f"{statistics.median(ready):.0f} ms",
                        note=f"worst {max(ready):.0f} ms",
                        ok=statistics.median(ready) < 50))  # fmt: skip
        rows.append(Row("… scan → the meal saved and its card shown, median", "—",
                        f"{statistics.median(shown):.0f} ms",
                        note=f"worst {max(shown):.0f} ms; saved on the writer thread"))  # fmt: skip
        log(f"[{size}] the window while a sync merges")
        with tempfile.TemporaryDirectory(dir=generate.DATA_DIR) as merging:
            merge_stall, merge_s, merged = bench_ui_stall.merge_stall(path, Path(merging))
        rows.append(Row("UI stall while a month's sync package merges (the window, heartbeat)",
                        "< 100 ms", f"{merge_stall} ms",
                        note=f"{merged:,} changes merged in {merge_s:.1f} s; bench_ui_stall.py",
                        ok=merge_stall < 100))  # fmt: skip
        log(f"[{size}] sync")
        month = sync_month(office, other, 200 if smoke else n["household"] // 2)
        rows.append(Row("sync: export of one month's package", "—", ms(month["export"]),
                        note=f"{int(month['changes']):,} changes: {month['meals']:,} meals, "
                        f"{month['visits']:,} visits, {month['checkins']:,} check-ins, "
                        f"{month['edits']:,} edited households"))  # fmt: skip
        rows.append(Row("sync: import (merge) of that package on a second laptop", "—",
                        ms(month["import"])))  # fmt: skip
        log(f"[{size}] sync: first full package")
        first = bench_sync.first_package(150 if smoke else 5_000)
        rows.append(Row("sync: first full package into an empty laptop",
                        f"< {bench_sync.FIRST_IMPORT_TARGET_S:.0f} s", ms(first["import"]),
                        note=f"demo caseload of {150 if smoke else 5_000:,} households "
                        f"(bench_sync.py), {int(first['changes']):,} changes; export "
                        f"{ms(first['export'])}",
                        ok=first["import"] < bench_sync.FIRST_IMPORT_TARGET_S))  # fmt: skip
        db = Database(sqlite_url(office))
        try:
            log(f"[{size}] import")
            imp, imp_raw, imported = import_csv(db, 300 if smoke else 10_000)
            rows.append(Row(f"importing a {300 if smoke else 10_000:,}-row CSV household list",
                            "< 5 s", ms(imp), ms(imp_raw), f"{imp / imp_raw:.0f}×",
                            note=f"{imported:,} households into this data set; raw: "
                            "executemany of as many household and member rows",
                            ok=imp < 5))  # fmt: skip
        finally:
            db.close()
    report.details.append(f"Suite time {time.perf_counter() - started:.0f} s.")
    return report


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return (
        f"{platform.platform()}, {cpu or platform.machine()}, {os.cpu_count()} CPUs{mem}; "
        f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    )


def table(report: Report) -> str:
    mark = {True: "met", False: "**missed**", None: ""}
    lines = [
        f"### {report.size}",
        "",
        f"Data: {report.summary}. {' '.join(report.details)}",
        "",
        "| measure | target | measured | raw SQLite | app/raw | | notes |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in report.rows:
        lines.append(
            f"| {r.measure} | {r.target} | {r.value} | {r.raw} | {r.ratio} | {mark[r.ok]} "
            f"| {r.note} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=["noto", "prefecture", "small"], action="append")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--smoke", action="store_true", help="the small set; writes nothing")
    parser.add_argument("--write", action="store_true", help="rewrite docs/PERFORMANCE.md")
    parser.add_argument(
        "--encrypted", action="store_true", help="on an SQLCipher copy of the set (made once)"
    )
    args = parser.parse_args(argv)
    sizes = ["small"] if args.smoke else (args.size or ["noto", "prefecture"])

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    for size in sizes:
        report = run(size, args.seed, args.smoke, log, args.encrypted)
        text = table(report)
        print(f"Machine: {machine()}\n\n{text}\n", flush=True)
        if args.write and not args.smoke and size != "small":
            flag, named = (" --encrypted", ", encrypted") if args.encrypted else ("", "")
            write_section(
                f"run_all_{size}{'_encrypted' if args.encrypted else ''}",
                f'## Suite on the "{size}" data set{named}\n\n'
                f"Reproduce: `.venv/bin/python bench/run_all.py --size {size}{flag} --write` "
                f"(measured {date.today().isoformat()}).\n\nMachine: {machine()}.\n\n{text}",
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
