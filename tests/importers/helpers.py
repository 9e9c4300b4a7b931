"""Writing import files the way Excel and municipal systems produce them."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.base import Base

HEADER = ["世帯番号", "氏名", "フリガナ", "生年月日", "性別", "続柄", "電話番号", "避難元住所",
          "現住所", "郵便番号", "避難形態", "アレルギー", "配慮事項"]  # fmt: skip


def person(ref: str, i: int = 0, **over: str) -> dict[str, str]:
    row = {
        "世帯番号": ref,
        "氏名": f"能登 太郎{i}" if i else "能登 太郎",
        "フリガナ": f"ノト タロウ{'ア' * i}",
        "生年月日": "昭和30年4月1日",
        "性別": "男性",
        "続柄": "",
        "電話番号": "090-1234-5678",
        "避難元住所": "石川県輪島市河井町1-1",
        "現住所": "石川県金沢市香林坊1-1",
        "郵便番号": "920-0961",
        "避難形態": "2次避難",
        "アレルギー": "",
        "配慮事項": "",
    }
    row.update(over)
    return row


def csv_text(rows: Sequence[dict[str, str]], header: Sequence[str] | None = None) -> str:
    """The rows as Excel writes CSV (CRLF), under ``header`` (default: the first row's keys)."""
    header = list(header or rows[0].keys())
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header])
    return buf.getvalue()


def write_csv(
    path: Path, rows: Sequence[dict[str, str]], *, encoding: str = "utf-8-sig",
    header: Sequence[str] | None = None,
) -> Path:  # fmt: skip
    path.write_bytes(csv_text(rows, header).encode(encoding))
    return path


def row_counts(db: Database) -> dict[str, int]:
    """Rows in every table, to show that a refused import wrote nothing."""
    with db.read() as s:
        return {
            t.name: s.scalar(select(func.count()).select_from(t)) or 0
            for t in Base.metadata.sorted_tables
        }


def households(n: int, per: int = 1) -> list[dict[str, str]]:
    rows = []
    for h in range(1, n + 1):
        for i in range(per):
            rows.append(person(f"A{h:05d}", i, 生年月日=f"19{50 + i}-0{1 + h % 9}-1{h % 10}"))
    return rows
