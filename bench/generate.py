"""Reproducible benchmark data sets at disaster scale, built fast with set-based inserts.

Usage (from the repository folder)::

    .venv/bin/python bench/generate.py --size noto --out /tmp/noto.sqlite3
    .venv/bin/python bench/generate.py --size prefecture --out /tmp/pref.sqlite3 --seed 2

Sizes: ``small`` (200 households, CI smoke), ``noto`` (5,000 households, about 12,000 people,
150 venues, about 500,000 meal logs over one year) and ``prefecture`` (50,000 households,
1,500 venues, about 5,000,000 meal logs). The same size and seed always give the same data.

The database is opened once with :class:`evacsupport.db.Database` (so the migrations make the
schema) and the event and venues go through the services; households, members and a year of
activity are then written by ``executemany`` on one SQLite connection (synchronous=OFF for the
load only, WAL kept), a transaction per chunk, with the big tables' secondary indexes dropped
during the load and rebuilt after. The people, households and venues come from the demo
generator (:mod:`evacsupport.services.demo`), so the data obeys the same rules as typed data
and passes ``evacsupport check``.

Bulk rows bypass the ORM's sync capture and audit hooks on purpose: a generated data set is a
fresh database, not a series of edits (edits made later are captured as usual). It has no
accounts, so the window opens without a sign-in.

:func:`ensure` keeps each generated file in ``bench/.data`` (git-ignored), keyed by size, seed
and generator version, so the benchmarks reuse it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sqlite3
import sys
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from datetime import time as dtime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.db.facts import rebuild_facts  # noqa: E402
from evacsupport.domain import instruments  # noqa: E402
from evacsupport.domain.codes import VenueKind  # noqa: E402
from evacsupport.domain.schedule import Slot  # noqa: E402
from evacsupport.services import events  # noqa: E402
from evacsupport.services.demo import ALLERGEN_CHOICES, _Generator  # noqa: E402
from evacsupport.services.households import build_search_text  # noqa: E402
from evacsupport.services.places import locate  # noqa: E402
from evacsupport.services.venues import VenueInput, create_venue_in  # noqa: E402

GENERATOR_VERSION = 1
DATA_DIR = ROOT / "bench" / ".data"
# One year of activity, ending on the day before TODAY (the date the benchmarks run "on").
YEAR_START = date(2024, 2, 1)
TODAY = date(2025, 2, 1)
JST = timedelta(hours=9)
CHUNK = 50_000
STAFF = ["佐藤", "鈴木", "高橋", "伊藤", "田中", "渡辺"]
MEAL_TYPES = ["eat_in", "takeaway", "delivery", "pantry"]
MEAL_WEIGHTS = [72, 16, 4, 8]
KINDS = [
    (VenueKind.KODOMO_SHOKUDO, "こども食堂"),
    (VenueKind.KODOMO_SHOKUDO, "みんなの食堂"),
    (VenueKind.COMMUNITY_CAFE, "地域カフェ"),
    (VenueKind.SALON, "ふれあいサロン"),
    (VenueKind.FOOD_PANTRY, "フードパントリー"),
]


@dataclass(frozen=True)
class Size:
    households: int
    venues: int


SIZES = {
    "small": Size(200, 20),
    "noto": Size(5_000, 150),
    "prefecture": Size(50_000, 1_500),
}


@dataclass
class Summary:
    size: str
    seed: int
    households: int = 0
    members: int = 0
    venues: int = 0
    assignments: int = 0
    meals: int = 0
    visits: int = 0
    checkins: int = 0
    followups: int = 0
    seconds: float = 0.0

    def line(self) -> str:
        return (
            f"{self.size} (seed {self.seed}): {self.households:,} households, "
            f"{self.members:,} people, {self.venues:,} venues, {self.assignments:,} assignments, "
            f"{self.meals:,} meal logs, {self.visits:,} visits, {self.checkins:,} check-ins, "
            f"{self.followups:,} follow-ups in {self.seconds:.0f} s"
        )


# --- stored forms (as SQLAlchemy writes them on SQLite) ----------------------------------------
def _ts(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _at(day: date, hour: int, minute: int = 0) -> str:
    """A Japan-time moment on ``day`` as the stored UTC timestamp."""
    return (datetime.combine(day, dtime(hour, minute)) - JST).strftime("%Y-%m-%d %H:%M:%S.%f")


def _json(value: Any) -> str:
    return json.dumps(value)


class _Ids:
    """Reproducible UUIDs (as stored: 32 hex digits); meal ids are time-ordered (UUIDv7 layout),
    so a year of meals is appended to the primary key instead of scattered through it."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def new(self) -> str:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4).hex

    def timed(self, moment: datetime) -> str:
        ms = int(moment.timestamp() * 1000)
        value = (ms << 80) | (0x7 << 76) | (self.rng.getrandbits(12) << 64)
        value |= (0b10 << 62) | self.rng.getrandbits(62)
        return f"{value:032x}"


# --- the load ----------------------------------------------------------------------------------
class _Loader:
    def __init__(self, path: Path) -> None:
        self.conn = sqlite3.connect(path, isolation_level=None)
        self.conn.execute("PRAGMA journal_mode=WAL")
        self.conn.execute("PRAGMA synchronous=OFF")
        self.conn.execute("PRAGMA cache_size=-262144")  # 256 MB for the index rebuilds
        self.conn.execute("PRAGMA temp_store=MEMORY")
        self._dropped: list[str] = []
        self._columns: dict[str, list[str]] = {}

    def drop_indexes(self, tables: Iterable[str]) -> None:
        """Secondary indexes are rebuilt once after the load (a sort) instead of row by row."""
        for table in tables:
            for name, sql in self.conn.execute(
                "SELECT name, sql FROM sqlite_master WHERE type='index' AND tbl_name=? "
                "AND sql IS NOT NULL",
                (table,),
            ).fetchall():
                self._dropped.append(sql)
                self.conn.execute(f'DROP INDEX "{name}"')

    def rebuild_indexes(self) -> None:
        self.conn.execute("BEGIN")
        for sql in self._dropped:
            self.conn.execute(sql)
        self.conn.execute("COMMIT")
        self._dropped = []

    def insert(self, table: str, rows: Iterable[dict[str, Any]]) -> int:
        """Insert in chunks, one transaction each; returns the row count."""
        count = 0
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= CHUNK:
                count += self._flush(table, batch)
                batch = []
        if batch:
            count += self._flush(table, batch)
        return count

    def _flush(self, table: str, batch: list[dict[str, Any]]) -> int:
        names = list(batch[0])
        sql = (
            f'INSERT INTO "{table}" ({", ".join(names)}) '
            f"VALUES ({', '.join(':' + n for n in names)})"
        )
        self.conn.execute("BEGIN")
        self.conn.executemany(sql, batch)
        self.conn.execute("COMMIT")
        return len(batch)

    def close(self) -> None:
        self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        self.conn.close()


def _record(ids: str, created: str) -> dict[str, Any]:
    return {
        "id": ids,
        "created_at": created,
        "updated_at": created,
        "deleted_at": None,
        "version": 1,
        "updated_by": "",
    }


def _venue_inputs(gen: _Generator, count: int) -> list[VenueInput]:
    """The demo's named venues first, then more around the host areas' towns."""
    rng = gen.rng
    inputs = gen.venue_inputs()[:count]
    areas = gen.names["host_areas"]
    n = 0
    while len(inputs) < count:
        n += 1
        area = rng.choices(areas, weights=[a["weight"] for a in areas])[0]
        town, postal = rng.choice(area["towns"])
        kind, word = rng.choice(KINDS)
        days = rng.sample(range(7), rng.choice([3, 4, 4, 5]))
        start = rng.choice([dtime(11, 30), dtime(17, 0), dtime(17, 30)])
        end = dtime(start.hour + 2, start.minute)
        host = {a["code"]: a for a in areas}[area["code"]]
        inputs.append(
            VenueInput(
                name=f"{word} {town} {n}",
                kind=kind,
                operator=f"{town}{word}の会",
                postal_code=postal,
                municipality_code=area["code"],
                address=f"{town}{rng.randint(1, 5)}-{rng.randint(1, 30)}",
                coordinates=f"{host['lat'] + rng.gauss(0, 0.02):.5f}, "
                f"{host['lon'] + rng.gauss(0, 0.025):.5f}",
                capacity=rng.choice([60, 80, 100, 120, 150]),
                schedule=[Slot(d, start, end) for d in sorted(days)],
                allergens_handled=rng.sample(ALLERGEN_CHOICES, rng.randint(2, 7)),
                wheelchair_access=rng.random() < 0.6,
                contact_name=rng.choice(gen.names["family"])[0],
                phone=f"076{rng.randint(200, 299)}{rng.randint(1000, 9999)}",
            )
        )
    return inputs


@dataclass
class _Household:
    id: str
    lat: float
    lon: float
    registered: date
    people: int
    adults: int
    head_id: str
    head_old: bool
    consent: bool
    closed_on: date | None


def _households(
    gen: _Generator, ids: _Ids, event_id: str, event_code: str, count: int, summary: Summary
) -> tuple[
    list[_Household],
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[dict[str, Any]],
    list[dict[str, Any]],
]:
    rng = gen.rng
    occurred = date(2024, 1, 1)
    made: list[_Household] = []
    households, members, residences, consents = [], [], [], []
    for n in range(1, count + 1):
        data = gen.household(f"{event_code}-{n:06d}")
        # Households that came from a list as an address only are placed as the app places
        # them on import: the geocoder's point for the address.
        typed = data.latitude is not None and data.longitude is not None
        where = locate(
            (float(data.latitude), float(data.longitude)) if typed else None,  # type: ignore[arg-type]
            data.current_address,
            data.postal_code,
        )
        assert where.latitude is not None and where.longitude is not None  # demo towns all place
        registered = occurred + timedelta(days=rng.randint(14, 120))
        created = _at(registered, 9)
        hid = ids.new()
        closed_on = (
            registered + timedelta(days=rng.randint(150, 360)) if rng.random() < 0.05 else None
        )
        if closed_on is not None and closed_on >= TODAY:
            closed_on = None
        people = []
        for position, m in enumerate(data.members):
            mid = ids.new()
            people.append(
                {
                    **_record(mid, created),
                    "household_id": hid,
                    "position": position,
                    "family_name": m.family_name,
                    "given_name": m.given_name,
                    "family_kana": m.family_kana,
                    "given_kana": m.given_kana,
                    "birth_date": m.birth_date.isoformat(),  # type: ignore[union-attr]
                    "sex": str(m.sex),
                    "relation": str(m.relation),
                    "allergens": _json(list(m.allergens)),
                    "dietary_needs": "",
                    "care_level": m.care_level,
                    "needs_wheelchair": int(m.needs_wheelchair),
                    "medical_notes": "",
                    "language": "ja",
                    "phone": "",
                }
            )
        members.extend(people)
        search_text = build_search_text(
            SimpleNamespace(  # type: ignore[arg-type]
                case_number=data.case_number,
                phone=data.phone,
                current_members=[SimpleNamespace(**p) for p in people],
            )
        )
        households.append(
            {
                **_record(hid, created),
                "event_id": event_id,
                "case_number": data.case_number,
                "status": "closed" if closed_on else "active",
                "closed_on": closed_on.isoformat() if closed_on else None,
                "origin_municipality_code": data.origin_municipality_code,
                "origin_address": data.origin_address,
                "evacuation_status": str(data.evacuation_status),
                "current_municipality_code": data.current_municipality_code,
                "current_address": data.current_address,
                "postal_code": data.postal_code,
                "latitude": where.latitude,
                "longitude": where.longitude,
                "location_precision": where.precision,
                "phone": data.phone,
                "notes": "",
                "search_text": search_text,
                "source": "",
                "source_ref": "",
            }
        )
        residences.append(
            {
                **_record(ids.new(), created),
                "household_id": hid,
                "evacuation_status": str(data.evacuation_status),
                "moved_on": registered.isoformat(),
                "place": data.current_address,
                "municipality_code": data.current_municipality_code,
                "notes": "",
            }
        )
        consent = rng.random() < 0.9
        if consent:
            consents.append(
                {
                    **_record(ids.new(), created),
                    "household_id": hid,
                    "subject": "person",
                    "proxy_name": "",
                    "proxy_relation": "",
                    "consented_on": registered.isoformat(),
                    "method": rng.choice(["written", "written", "verbal"]),
                    "staff": rng.choice(STAFF),
                    "purposes": _json(["support", "venue_connection", "statistics"]),
                    "data_categories": _json(["basic", "contact"]),
                    "recipients": _json(["assigned_venue", "social_welfare_council"]),
                    "expires_on": None,
                    "withdrawn_on": None,
                    "supersedes_id": None,
                    "notes": "",
                }
            )
        head = data.members[0]
        adults = sum(
            1
            for m in data.members
            if (TODAY - m.birth_date).days >= 18 * 365  # type: ignore[operator]
        )
        made.append(
            _Household(
                id=hid,
                lat=where.latitude,
                lon=where.longitude,
                registered=registered,
                people=len(people),
                adults=adults,
                head_id=people[0]["id"],
                head_old=len(people) == 1 and (TODAY - head.birth_date).days >= 65 * 365,  # type: ignore[operator]
                consent=consent,
                closed_on=closed_on,
            )
        )
    summary.households = len(households)
    summary.members = len(members)
    return made, households, members, residences, consents


def _nearest_venues(
    households: Sequence[_Household], venues: Sequence[dict[str, Any]], k: int = 6
) -> list[list[int]]:
    """Indexes of each household's ``k`` nearest venues (planar distance is enough here)."""
    import numpy as np

    vlat = np.array([v["lat"] for v in venues])
    vlon = np.array([v["lon"] for v in venues]) * math.cos(math.radians(36.5))
    out: list[list[int]] = []
    k = min(k, len(venues))
    for start in range(0, len(households), 2000):
        part = households[start : start + 2000]
        hlat = np.array([h.lat for h in part])[:, None]
        hlon = np.array([h.lon for h in part])[:, None] * math.cos(math.radians(36.5))
        dist = (hlat - vlat) ** 2 + (hlon - vlon) ** 2
        best = np.argpartition(dist, k - 1, axis=1)[:, :k]
        order = np.take_along_axis(dist, best, axis=1).argsort(axis=1)
        out.extend(np.take_along_axis(best, order, axis=1).tolist())
    return out


def _activity(
    rng: random.Random,
    ids: _Ids,
    households: list[_Household],
    venues: list[dict[str, Any]],
    loader: _Loader,
    summary: Summary,
) -> None:
    nearest = _nearest_venues(households, venues)
    load = [0] * len(venues)
    assignments: list[dict[str, Any]] = []
    # per venue: (household, since, until, regularity)
    regulars: list[list[tuple[_Household, date, date, float]]] = [[] for _ in venues]
    last = TODAY - timedelta(days=1)
    for h, near in zip(households, nearest, strict=True):
        if not h.consent or rng.random() < 0.15:
            continue
        v = next((i for i in near if load[i] + h.people <= venues[i]["capacity"]), None)
        if v is None:
            continue
        load[v] += h.people
        since = h.registered + timedelta(days=rng.randint(0, 45))
        until = h.closed_on or last
        if h.closed_on is None and rng.random() < 0.1:  # drifted away: a risk signal
            until = last - timedelta(days=rng.randint(15, 40))
        ended = h.closed_on is not None
        assignments.append(
            {
                **_record(ids.new(), _at(since, 10)),
                "household_id": h.id,
                "venue_id": venues[v]["id"],
                "start_on": since.isoformat(),
                "end_on": h.closed_on.isoformat() if ended else None,  # type: ignore[union-attr]
                "status": "ended" if ended else "active",
                "reason": "最寄りの会場",
                "end_reason": "帰宅" if ended else "",
            }
        )
        regulars[v].append((h, since, until, rng.choice([0.5, 0.7, 0.8, 0.9])))
    summary.assignments = loader.insert("assignment", assignments)

    def meals() -> Iterator[dict[str, Any]]:
        day = YEAR_START
        while day < TODAY:
            weekday = day.weekday()
            iso = day.isoformat()
            for v, venue in enumerate(venues):
                slot = venue["slots"].get(weekday)
                if slot is None:
                    continue
                hour, minute = slot
                base = datetime.combine(day, dtime(hour, minute), UTC) - JST
                for h, since, until, regularity in regulars[v]:
                    if since <= day <= until and rng.random() < regularity:
                        at = base + timedelta(seconds=rng.randint(0, 5400))
                        stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
                        yield {
                            **_record(ids.timed(at), stamp),
                            "venue_id": venue["id"],
                            "household_id": h.id,
                            "served_on": iso,
                            "served_at": stamp,
                            "meal_type": rng.choices(MEAL_TYPES, weights=MEAL_WEIGHTS)[0],
                            "adults": h.adults,
                            "children": h.people - h.adults,
                            "member_ids": "[]",
                            "staff": rng.choice(STAFF),
                            "note": "",
                            "override_note": "",
                            "dedup_key": None,
                        }
                # neighbours and walk-ins who are not registered: anonymous counts
                for _ in range(rng.choice([0, 1, 1, 2])):
                    at = base + timedelta(seconds=rng.randint(0, 5400))
                    stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
                    yield {
                        **_record(ids.timed(at), stamp),
                        "venue_id": venue["id"],
                        "household_id": None,
                        "served_on": iso,
                        "served_at": stamp,
                        "meal_type": "eat_in",
                        "adults": rng.randint(1, 4),
                        "children": rng.randint(0, 4),
                        "member_ids": "[]",
                        "staff": rng.choice(STAFF),
                        "note": "",
                        "override_note": "",
                        "dedup_key": None,
                    }
            day += timedelta(days=1)

    summary.meals = loader.insert("meal_log", meals())

    visits: list[dict[str, Any]] = []
    followups: list[dict[str, Any]] = []
    checkins: list[dict[str, Any]] = []
    for h in households:
        first = max(YEAR_START, h.registered)
        end = h.closed_on or (TODAY - timedelta(days=1))
        span = (end - first).days
        if span < 0:
            continue
        # Older people living alone are whom link workers call most (6 to 12 a quarter).
        calls = rng.randint(24, 48) if h.head_old and rng.random() < 0.85 else None
        for _ in range(calls or rng.choice([0, 2, 4, 6, 8])):
            on = first + timedelta(days=rng.randint(0, span))
            vid = ids.new()
            due = on + timedelta(days=14) if rng.random() < (0.05 if calls else 0.3) else None
            staff = rng.choice(STAFF)
            visits.append(
                {
                    **_record(vid, _at(on, 14)),
                    "household_id": h.id,
                    "member_id": h.head_id,
                    "visited_on": on.isoformat(),
                    "kind": rng.choice(["home", "phone", "phone", "venue"]),
                    "staff": staff,
                    "duration_minutes": rng.choice([10, 20, 30, 45]),
                    "summary": "体調と生活の様子を確認",
                    "concerns": "",
                    "referral": None,
                    "follow_up_due": due.isoformat() if due else None,
                }
            )
            if due:
                done = due < TODAY and rng.random() < 0.8
                followups.append(
                    {
                        **_record(ids.new(), _at(on, 14)),
                        "household_id": h.id,
                        "due_on": due.isoformat(),
                        "owner": staff,
                        "reason": "訪問時の気がかりを再確認",
                        "source": "visit",
                        "source_id": vid,
                        "status": "done" if done else "open",
                        "done_on": due.isoformat() if done else None,
                        "outcome": "電話で様子を確認" if done else "",
                    }
                )
        for _ in range(rng.choice([0, 2, 4, 6, 8])):
            on = first + timedelta(days=rng.randint(0, span))
            worry = rng.random() < 0.1
            lone = [rng.randint(3, 5) if worry else rng.randint(1, 3)]
            ucla = [rng.randint(2, 4) if worry else rng.randint(1, 3) for _ in range(3)]
            k6 = [rng.randint(1, 3) if worry else rng.randint(0, 2) for _ in range(6)]
            checkins.append(
                {
                    **_record(ids.new(), _at(on, 15)),
                    "household_id": h.id,
                    "member_id": h.head_id,
                    "checked_on": on.isoformat(),
                    "staff": rng.choice(STAFF),
                    "answers": _json({"loneliness": lone, "ucla3": ucla, "k6": k6}),
                    "loneliness": instruments.score(instruments.LONELINESS_DIRECT, lone),
                    "ucla3_score": instruments.score(instruments.UCLA3, ucla),
                    "k6_score": instruments.score(instruments.K6, k6),
                    "sleep": rng.choice(["good", "fair", "poor"]),
                    "appetite": rng.choice(["good", "fair", "poor"]),
                    "health_worries": "",
                    "note": "",
                }
            )
    summary.visits = loader.insert("visit", visits)
    summary.followups = loader.insert("followup", followups)
    summary.checkins = loader.insert("checkin", checkins)


BULK_TABLES = ("household", "member", "residence", "consent", "assignment", "meal_log", "visit",
               "followup", "checkin")  # fmt: skip


def generate(size: str, out: Path, seed: int = 1) -> Summary:
    """Build the data set ``size`` into the new file ``out`` (refuses an existing file)."""
    spec = SIZES[size]
    out = Path(out)
    if out.exists():
        raise SystemExit(f"{out} exists: choose another path or delete it")
    started = time.perf_counter()
    summary = Summary(size, seed)
    gen = _Generator(seed, TODAY)
    ids = _Ids(random.Random(seed * 7919 + 1))
    db = Database(sqlite_url(out))  # migrations make the schema
    try:
        with db.session() as session:
            event = events.get_or_default(session)
            event_id, event_code = event.id.hex, event.code
            venues = []
            for data in _venue_inputs(gen, spec.venues):
                v = create_venue_in(session, data)
                venues.append(
                    {
                        "id": v.id.hex,
                        "lat": v.latitude,
                        "lon": v.longitude,
                        "capacity": v.capacity,
                        "slots": {
                            s["weekday"]: tuple(int(p) for p in s["start"].split(":"))
                            for s in v.schedule
                        },
                    }
                )
    finally:
        db.close()
    summary.venues = len(venues)
    made, households, members, residences, consents = _households(
        gen, ids, event_id, event_code, spec.households, summary
    )
    loader = _Loader(out)
    try:
        loader.drop_indexes(BULK_TABLES)
        loader.insert("household", households)
        loader.insert("member", members)
        loader.insert("residence", residences)
        loader.insert("consent", consents)
        del households, members, residences, consents
        _activity(gen.rng, ids, made, venues, loader, summary)
        loader.rebuild_indexes()
        # each copy of the set makes its own sync identity on first use, as a new laptop does
        loader.conn.execute("DELETE FROM sync_state")
    finally:
        loader.close()
    # the rows went in around the ORM: the household facts are made from them once, here
    db = Database(sqlite_url(out))
    try:
        with db.session() as session:
            rebuild_facts(session.connection())
    finally:
        db.close()
    summary.seconds = time.perf_counter() - started
    return summary


BENCH_KEY = "bench-key-2024"  # the encrypted sets' passphrase (EVACSUPPORT_DB_KEY for children)


def cached_path(size: str, seed: int = 1, *, encrypted: bool = False) -> Path:
    tail = "-encrypted" if encrypted else ""
    return DATA_DIR / f"{size}-seed{seed}-v{GENERATOR_VERSION}{tail}.sqlite3"


def ensure_encrypted(size: str, seed: int = 1, *, quiet: bool = False) -> Path:
    """The cached set as an SQLCipher file (``sqlcipher_export`` of the plain one, made once);
    its key is put in the environment, so the app's opens and child processes find it."""
    from evacsupport.db import cipher

    os.environ[cipher.KEY_ENV] = BENCH_KEY
    path = cached_path(size, seed, encrypted=True)
    if path.exists():
        return path
    plain = ensure(size, seed, quiet=quiet)
    partial = path.with_suffix(".partial")
    partial.unlink(missing_ok=True)
    started = time.perf_counter()
    cipher.export(plain, partial, BENCH_KEY)
    partial.rename(path)
    if not quiet:
        print(f"encrypted {plain.name} in {time.perf_counter() - started:.0f} s", file=sys.stderr)
    return path


def ensure(size: str, seed: int = 1, *, quiet: bool = False) -> Path:
    """The cached data set, generated on first use (into a temporary name, then renamed)."""
    path = cached_path(size, seed)
    if path.exists():
        return path
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    for leftover in DATA_DIR.glob(partial.name + "*"):
        leftover.unlink()
    summary = generate(size, partial, seed)
    for suffix in ("-wal", "-shm"):
        Path(str(partial) + suffix).unlink(missing_ok=True)
    partial.rename(path)
    if not quiet:
        print(summary.line(), file=sys.stderr)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="noto")
    parser.add_argument("--out", type=Path, help="new SQLite file (default: the bench cache)")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if args.out is None:
        path = ensure(args.size, args.seed)
        print(path)
        return 0
    print(generate(args.size, args.out, args.seed).line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
