"""Importing municipal and partner lists (households), venue lists and meal logs.

Files are CSV (UTF-8, UTF-8 with BOM or CP932 from Excel, detected automatically; a BOM before
CP932 text too) or XLSX (the first sheet), told apart by their first bytes. Any other encoding,
an old .xls or a damaged workbook is one message, never a traceback. Headers may be Japanese or
English, in any order; unknown columns are ignored with a notice, and a missing required column
is an error naming it before any row is read. The apostrophe the app's own CSV export puts
before a cell starting with =, +, - or @ is taken off again, so an export reads back as it was.

A file is held to the limits in :mod:`evacsupport.importers.limits` (size on disk, rows, cells,
a cell's length, a workbook's unpacked size and compression ratio, reading time) while it is
read, and refused before anything is written when it passes one.

Choice columns take the everyday words of ``resources/data/vocabulary.json``; a value that
is no choice is listed in ``ImportResult.unmatched`` with its row count and may be mapped to a
choice for every row (``mapping=``, ``remembered=``; :mod:`evacsupport.importers.choices`,
remembered per file name by :mod:`evacsupport.importers.remembered`). A household list's
配慮事項 is read word by word into the person's fields (:mod:`evacsupport.domain.needs`).

Every row goes through the same validation as the forms. By default an import is all or nothing;
``skip_invalid=True`` imports what is valid and writes the refused rows to
``<name>.rejected.csv`` beside the file, with an エラー column, ready to fix and re-import.
``dry_run=True`` reports what would happen and writes nothing. Each import is one transaction.

Households match on (source, source_ref): the source is the file's name without its extension
unless given, the source_ref the file's 世帯番号 (or the app's own case number when the file
uses it). People match on furigana and birth date. A re-import therefore creates no duplicates
and lists every changed field.
"""

from __future__ import annotations

from evacsupport.importers import households as _households
from evacsupport.importers import meals as _meals
from evacsupport.importers import venues as _venues
from evacsupport.importers._common import ImportResult, RowError
from evacsupport.importers.households import import_households
from evacsupport.importers.meals import import_meals
from evacsupport.importers.venues import import_venues

KINDS = ("households", "venues", "meals")


def template(kind: str) -> list[str]:
    """The header row of an import file of ``kind`` (households, venues or meals)."""
    templates = {
        "households": _households.TEMPLATE,
        "venues": _venues.TEMPLATE,
        "meals": _meals.TEMPLATE,
    }
    if kind not in templates:
        raise ValueError(kind)
    return list(templates[kind])


__all__ = [
    "KINDS",
    "ImportResult",
    "RowError",
    "import_households",
    "import_meals",
    "import_venues",
    "template",
]
