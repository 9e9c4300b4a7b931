"""Writing import files the way Excel and municipal systems produce them."""

from __future__ import annotations

import csv
import io
import struct
import zipfile
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


# ---- workbooks by hand, for files openpyxl would never write --------------------------------

_PARTS = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.'
    'openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType='
    '"application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
    '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override '
    'PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
    'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://'
    'schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target='
    '"xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.'
    'openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/'
    'officeDocument/2006/relationships"><sheets><sheet name="名簿" sheetId="1" r:id="rId1"/>'
    "</sheets></workbook>",
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns='
    '"http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/></Relationships>',
}
SHEET = "xl/worksheets/sheet1.xml"


def sheet_xml(rows: Sequence[str], dimension: str = "") -> bytes:
    """A worksheet part around ``rows`` (each a ``<row>`` element), with an optional
    ``<dimension>`` claim of its size."""
    claim = f'<dimension ref="{dimension}"/>' if dimension else ""
    return (
        '<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats'
        f'.org/spreadsheetml/2006/main">{claim}<sheetData>{"".join(rows)}</sheetData></worksheet>'
    ).encode()


def xml_row(number: int, cells: Sequence[str], *, columns: str = "ABCDEFGHIJKLMN") -> str:
    """One sheet row of inline strings, in columns A, B, C... unless told otherwise."""
    body = "".join(
        f'<c r="{col}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
        for col, text in zip(columns, cells, strict=False)
    )
    return f'<row r="{number}">{body}</row>'


def workbook_bytes(sheet: bytes, **extra: bytes) -> bytes:
    """An .xlsx holding the smallest workbook openpyxl reads, with ``sheet`` as its only sheet
    (plus any ``extra`` parts, by name)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, text in _PARTS.items():
            archive.writestr(name, text)
        archive.writestr(SHEET, sheet)
        for name, data in extra.items():
            archive.writestr(name, data)
    return buf.getvalue()


def declare_size(data: bytes, name: str, size: int) -> bytes:
    """The zip with the uncompressed size of part ``name`` changed in its directory entry and
    its local header, as a hand-made zip bomb would lie about it."""
    out = bytearray(data)
    encoded = name.encode()
    for signature, offset in ((b"PK\x01\x02", 24), (b"PK\x03\x04", 22)):
        at = 0
        while (at := out.find(signature, at)) >= 0:
            name_at = at + (46 if signature == b"PK\x01\x02" else 30)
            if out[name_at : name_at + len(encoded)] == encoded:
                struct.pack_into("<I", out, at + offset, size)
            at += 4
    return bytes(out)
