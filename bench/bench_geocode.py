"""Benchmark of the offline geocoder: the first use (reading the table) and 10,000 addresses.

Usage (from the repository folder)::

    .venv/bin/python bench/bench_geocode.py            # 10,000 addresses
    .venv/bin/python bench/bench_geocode.py --write    # and update docs/PERFORMANCE.md
    .venv/bin/python bench/bench_geocode.py --smoke    # 500 addresses

The addresses are made from the town table itself the way lists write them: mostly Noto and
Kanazawa-area towns (and some of Toyama, Fukui and Tokyo), with and without the prefecture or
the 郡, chome as 2丁目/２丁目/二丁目/2-3-1, lot numbers as 3番1号 or 3-1, koaza as ヨ部10, a
building and room after the number, spaces, 〒 codes inside; some rows carry only a postal code,
some are a municipality alone, some are not addresses at all. The first use is measured in
fresh processes (median of 3; nothing read before); the 10,000 after the prefectures they touch
are loaded (as in an app that has geocoded before), with the postal-area cache emptied first.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run_all import machine  # noqa: E402
from evacsupport.domain import geocode as geocoder  # noqa: E402
from evacsupport.domain import (  # noqa: E402
    geocode_match,
    postal,
    towns,
)

TARGET_S = 2.0
TARGET_LOAD_S = 1.0
WIDE = str.maketrans("0123456789-", "０１２３４５６７８９－")
KANJI = "〇一二三四五六七八九"
PREFECTURES = {"石川県": 0.82, "富山県": 0.06, "福井県": 0.04, "東京都": 0.04, "新潟県": 0.04}
BUILDINGS = ["", "", "", " 金沢ビル3F", "　ハイツ能登101号室", " コーポ香林坊 202", "ホテル和倉"]
GARBAGE = [
    "123 Main Street, Springfield",
    "不明",
    "未定",
    "避難所（体育館）",
    "??",
    "東京",
    "Calle Mayor 5, Madrid",
    "住所なし",
]
LOAD_SCRIPT = """
import sys, time
sys.path.insert(0, {root!r})
t0 = time.perf_counter()
from evacsupport.domain.geocode import geocode
t1 = time.perf_counter()
geocode("石川県金沢市香林坊2-1-1")
t2 = time.perf_counter()
geocode(None, "928-0001")
t3 = time.perf_counter()
geocode("富山県富山市新桜町7-38")
t4 = time.perf_counter()
from evacsupport.domain import towns
for prefecture in towns.index().prefectures.values():
    towns.ensure_loaded(prefecture)
t5 = time.perf_counter()
print(t1 - t0, t2 - t1, t3 - t2, t4 - t3, t5 - t4)
"""
LOAD_RUNS = 3
HOW = (
    "The addresses are made from the town table the way lists write them (mostly Noto and "
    "Kanazawa-area towns; chome, lot numbers, koaza, 郡, buildings, spaces and 〒 codes in "
    "their usual forms; 5 % postal codes only, 2 % a municipality alone, 3 % not addresses). "
    "First use: fresh processes, median of 3; the 10,000: one pass after the prefectures they "
    "touch were read, postal-area cache emptied. Table format (2024-01-15 data, 277,207 points): "
    "a gzip'd CSV of the whole country is 3.5 MB and takes 3.4 s to parse and index; a "
    "read-only SQLite file (municipality ids, one index) is 17.5 MB; the shipped zip of one "
    "LZMA member per prefecture is 2.4 MB and is read a prefecture at a time "
    "(`evacsupport/domain/towns.py`)."
)


def load_average() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "unknown"


def kanji_number(n: int) -> str:
    """3 → 三, 12 → 十二, 24 → 二十四: how the table and some lists write chome."""
    tens, ones = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else KANJI[tens] + "十")
    return head + (KANJI[ones] if ones else "")


def spelled_town(name: str, rng: random.Random) -> tuple[str, bool]:
    """A town name as a person writes it; True when its chome became a leading number."""
    for n in range(30, 0, -1):
        suffix = kanji_number(n) + "丁目"
        if name.endswith(suffix):
            base = name[: -len(suffix)]
            form = rng.choice(["kanji", "digit", "wide", "dash"])
            if form == "kanji":
                return name, False
            if form == "digit":
                return f"{base}{n}丁目", False
            if form == "wide":
                return f"{base}{str(n).translate(WIDE)}丁目", False
            return f"{base}{n}", True
    return name, False


def lot(rng: random.Random, dash_first: bool) -> str:
    a, b = rng.randint(1, 40), rng.randint(1, 30)
    forms = [f"{a}-{b}", f"{a}番{b}号", f"{a}番地{b}", f"{a}－{b}", f"{a}番地の{b}"]
    text = rng.choice(forms)
    return ("-" + text) if dash_first else text


def addresses(count: int, rng: random.Random) -> list[tuple[str | None, str | None]]:
    ix = towns.index()
    pool: dict[str, list[tuple[towns.City, towns.Town]]] = {}
    for name in PREFECTURES:
        loaded = towns.ensure_loaded(ix.prefectures[name])
        pool[name] = [
            (city, town)
            for city in loaded.cities.values()
            for town in {id(t): t for t in city.towns.values() if t is not None}.values()
            if town.own_row
        ]
    codes = [
        code
        for code in (f"9{n:06d}" for n in range(200000, 300000))
        if (found := postal.lookup(code)) is not None and found.prefecture == "石川県"
    ]
    names, weights = list(PREFECTURES), list(PREFECTURES.values())
    rows: list[tuple[str | None, str | None]] = []
    while len(rows) < count:
        kind = rng.random()
        if kind < 0.05:
            rows.append((None, rng.choice(codes)))
            continue
        if kind < 0.08:
            rows.append((rng.choice(GARBAGE), None))
            continue
        prefecture = rng.choices(names, weights)[0]
        city, town = rng.choice(pool[prefecture])
        city_name = city.name
        if "郡" in city_name and rng.random() < 0.5:
            city_name = city_name.split("郡", 1)[1]
        head = (prefecture if rng.random() < 0.6 else "") + city_name
        if kind < 0.10:
            rows.append((head, None))
            continue
        written, dash_first = spelled_town(town.name, rng)
        koaza = ""
        if town.koaza and rng.random() < 0.6:
            koaza_name = rng.choice([p.name for p in town.koaza.values() if p is not None])
            koaza = koaza_name if koaza_name.endswith("部") else f"{koaza_name}部"
        number = lot(rng, dash_first and not koaza)
        if rng.random() < 0.3:
            number = number.translate(WIDE)
        space = rng.choice(["", "", " ", "　"])
        text = f"{head}{space}{written}{koaza}{number}{rng.choice(BUILDINGS)}"
        if rng.random() < 0.1:
            text = f"〒{rng.choice(codes)[:3]}-{rng.choice(codes)[3:]} {text}"
        code = rng.choice(codes) if rng.random() < 0.2 else None
        rows.append((text, code))
    return rows


def measure_load() -> list[float]:
    """Import, first Ishikawa address, first postal code, first Toyama address, then every
    other prefecture: each the median of fresh processes."""
    runs = []
    for _ in range(LOAD_RUNS):
        result = subprocess.run(
            [sys.executable, "-c", LOAD_SCRIPT.format(root=str(ROOT))],
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append([float(x) for x in result.stdout.split()])
    return [statistics.median(column) for column in zip(*runs, strict=True)]


def measure(count: int, seed: int) -> dict[str, object]:
    rng = random.Random(seed)
    rows = addresses(count, rng)
    for address, code in rows:  # read every prefecture and postal part the rows touch
        geocoder.geocode(address, code)
    geocode_match.postal_area.cache_clear()
    start = time.perf_counter()
    results = [geocoder.geocode(address, code) for address, code in rows]
    elapsed = time.perf_counter() - start
    precision = Counter(r.place.precision.value if r.place else "none" for r in results)
    return {"count": count, "elapsed": elapsed, "precision": precision}


def table(load: list[float], result: dict[str, object]) -> str:
    imported, first, first_postal, other, everything = load
    elapsed = float(result["elapsed"])  # type: ignore[arg-type]
    count = int(result["count"])  # type: ignore[call-overload]
    precision: Counter[str] = result["precision"]  # type: ignore[assignment]
    spread = ", ".join(
        f"{name} {precision[name]:,}" for name in ("koaza", "town", "postal", "city", "none")
    )
    return "\n".join(
        [
            f"Machine: {machine()}. Load average at the start: {load_average()}.",
            "",
            "| measure | target | time |",
            "| --- | --- | --- |",
            f"| first address (index and 石川県's towns read; fresh process) "
            f"| < {TARGET_LOAD_S:.0f} s | {first * 1000:.0f} ms |",
            f"| first postal code (the 9xx part of the postal table) | — "
            f"| {first_postal * 1000:.0f} ms |",
            f"| first address of another prefecture (富山県) | — | {other * 1000:.0f} ms |",
            f"| the other 45 prefectures read too (never needed at once in practice) | — "
            f"| {everything:.2f} s |",
            f"| import of the geocoder module | — | {imported * 1000:.0f} ms |",
            f"| {count:,} addresses, tables loaded | < {TARGET_S:.0f} s | {elapsed:.2f} s "
            f"({elapsed / count * 1e6:.0f} µs each) |",
            "",
            f"Precision of the {count:,}: {spread}.",
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args()
    if args.smoke:
        args.count = 500
    load = measure_load()
    result = measure(args.count, args.seed)
    section = table(load, result)
    print(section)
    if args.write and not args.smoke:
        from bench.perfdoc import write_section

        write_section(
            "bench_geocode",
            "## Geocoder\n\nReproduce: `.venv/bin/python bench/bench_geocode.py --write`\n\n"
            + section
            + "\n\n"
            + HOW,
        )


if __name__ == "__main__":
    main()
