"""Import a meal log kept on paper or in a spreadsheet at a venue.

Each row gets a ``dedup_key`` made from its content only (not the file name), counting identical
rows within the file, so re-importing the same file, or a copy of it, adds nothing.
"""

from __future__ import annotations

import hashlib
import unicodedata
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from evacsupport.db.engine import Database
from evacsupport.db.models import Household, MealLog, Venue
from evacsupport.domain.codes import MealType, parse_choice
from evacsupport.domain.normalize import clean_text, parse_int
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import check_not_future, parse_date
from evacsupport.errors import FieldErrors
from evacsupport.i18n import message
from evacsupport.importers import choices
from evacsupport.importers._common import (
    Cancelled,
    ImportResult,
    Progress,
    Rollback,
    RowError,
    Ticker,
    read_table,
    write_rejected,
)
from evacsupport.services import audit
from evacsupport.services.authz import gate
from evacsupport.services.meals import MAX_GUESTS
from evacsupport.sync import capture

ALIASES: dict[str, Sequence[str]] = {
    "date": ("日付", "date", "served_on"),
    "venue": ("会場", "venue"),
    "case_number": ("世帯番号", "case_number"),
    "meal_type": ("種別", "meal_type", "type"),
    "adults": ("大人", "adults"),
    "children": ("子ども", "子供", "こども", "children"),
}
REQUIRED = (("date",), ("venue",), ("meal_type",))
# Columns whose values are choices (everyday words in resources/data/vocabulary.json).
CHOICES = [choices.ChoiceColumn.of("meal_type", MealType)]
TEMPLATE = ["日付", "会場", "世帯番号", "種別", "大人", "子ども"]


def dedup_key(
    served_on: object,
    venue_id: object,
    household_id: object,
    meal_type: str,
    adults: int,
    children: int,
    occurrence: int,
) -> str:
    text = "|".join(
        str(p)
        for p in (
            served_on,
            venue_id,
            household_id or "guest",
            meal_type,
            adults,
            children,
            occurrence,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()


@gate(Permission.IMPORT)
def import_meals(
    db: Database,
    path: str | Path,
    *,
    source: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    mapping: choices.ValueMap | None = None,
    remembered: choices.ValueMap | None = None,
) -> ImportResult:
    """Import a meal log; ``mapping`` and ``remembered`` as for households."""
    table = read_table(Path(path), ALIASES, REQUIRED)
    result = ImportResult(notices=list(table.notices), dry_run=dry_run)
    result.unmatched = choices.apply(table, CHOICES, mapping, remembered)
    ticker = Ticker(len(table.rows), progress, cancelled)
    try:
        with db.session() as session:
            venues = {
                unicodedata.normalize("NFKC", v.name).strip(): v.id
                for v in session.scalars(select(Venue).where(Venue.deleted_at.is_(None)))
            }
            households: dict[str, uuid.UUID] = {}
            refs: dict[str, set[uuid.UUID]] = {}
            query = select(
                Household.id, Household.case_number, Household.source_ref, Household.source
            )
            query = query.where(Household.deleted_at.is_(None))
            for hid, case, ref, src in session.execute(query):
                households[case] = hid
                if ref and (source is None or src == source):
                    refs.setdefault(ref, set()).add(hid)
            rows: list[dict[str, Any]] = []
            bad_rows = []
            counts: dict[tuple[object, ...], int] = {}
            for row in table.rows:
                errors = FieldErrors()
                v = row.values
                served = errors.check("date", parse_date, v.get("date", ""))
                if served is not None:
                    errors.check("date", check_not_future, served)
                venue_id = venues.get(unicodedata.normalize("NFKC", v.get("venue", "")).strip())
                if venue_id is None:
                    errors.add("venue", "import.venue_unknown", value=v.get("venue", ""))
                ref = clean_text(v.get("case_number", ""))
                household_id = None
                if ref:
                    household_id = households.get(ref.upper().replace(" ", ""))
                    if household_id is None:
                        found = refs.get(ref, set())
                        if len(found) == 1:
                            household_id = next(iter(found))
                        else:
                            errors.add("case_number", "household.not_found", value=ref)
                meal_type = errors.check("meal_type", parse_choice, MealType, v.get("meal_type"))
                counts_ok = []
                for key in ("adults", "children"):
                    text = v.get(key, "") or "0"
                    counts_ok.append(
                        errors.check(key, parse_int, text, minimum=0, maximum=MAX_GUESTS)
                    )
                adults, children = counts_ok
                if not errors.errors and (adults or 0) + (children or 0) == 0:
                    errors.add(
                        "adults" if "adults" in table.columns else "children", "import.no_people"
                    )
                if errors.errors:
                    bad_rows.append(row)
                    for e in errors.errors:
                        column = table.columns.get(e.field) or e.field
                        result.rejected.append(RowError(row.number, column, e.message()))
                    continue
                content = (served, venue_id, household_id, str(meal_type), adults, children)
                counts[content] = counts.get(content, 0) + 1
                assert venue_id is not None and adults is not None and children is not None
                rows.append(
                    {
                        "id": uuid.uuid4(),
                        "venue_id": venue_id,
                        "household_id": household_id,
                        "served_on": served,
                        "meal_type": str(meal_type),
                        "adults": adults,
                        "children": children,
                        "member_ids": [],
                        "note": message("import.meal_note", file=Path(path).name),
                        "dedup_key": dedup_key(*content, counts[content]),
                    }
                )
                ticker.step()
            if result.rejected and not skip_invalid:
                raise Rollback
            keys = [r["dedup_key"] for r in rows]
            known: set[str] = set()
            for start in range(0, len(keys), 500):
                known.update(
                    k
                    for k in session.scalars(
                        select(MealLog.dedup_key).where(
                            MealLog.dedup_key.in_(keys[start : start + 500])
                        )
                    )
                    if k
                )
            new = [r for r in rows if r["dedup_key"] not in known]
            result.created = len(new)
            result.unchanged = len(rows) - len(new)
            if new:
                capture.insert_logged(session, "meal_log", new)
            if dry_run:
                raise Rollback
            audit.record(
                session,
                "import",
                entity="meal_log",
                changes={
                    "file": Path(path).name,
                    "created": result.created,
                    "updated": result.updated,
                },
            )
    except Rollback:
        pass
    if result.rejected and skip_invalid and not dry_run:
        errs: dict[int, list[str]] = {}
        for r in result.rejected:
            errs.setdefault(r.row, []).append(f"{r.column}: {r.message}")
        result.rejected_file = write_rejected(table, bad_rows, errs)
    return result
