"""Import a venue list; venues match on their name, so a re-imported list updates them."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select

from evacsupport.db.engine import Database
from evacsupport.db.models import Venue
from evacsupport.domain.codes import VenueKind
from evacsupport.domain.normalize import clean_text
from evacsupport.domain.roles import Permission
from evacsupport.errors import ValidationError
from evacsupport.i18n import message
from evacsupport.importers import choices
from evacsupport.importers._common import (
    Cancelled,
    ImportResult,
    Progress,
    Rollback,
    RowError,
    Ticker,
    location_notices,
    read_table,
    split_list,
    write_rejected,
)
from evacsupport.services import audit
from evacsupport.services.authz import gate
from evacsupport.services.places import MANUAL, why_no_point
from evacsupport.services.venues import VenueInput, validate_venue

ALIASES: dict[str, Sequence[str]] = {
    "name": ("名称", "会場名", "name"),
    "kind": ("種別", "kind"),
    "operator": ("運営団体", "operator"),
    "address": ("住所", "address"),
    "latitude": ("緯度", "latitude"),
    "longitude": ("経度", "longitude"),
    "capacity": ("定員", "capacity"),
    "days": ("開催曜日", "days"),
    "hours": ("開催時間", "hours"),
    "allergens_handled": ("対応アレルゲン", "allergens_handled"),
    "wheelchair_access": ("車椅子対応", "wheelchair_access"),
    "phone": ("電話番号", "phone"),
}
REQUIRED = (("name",), ("capacity",))
TEMPLATE = [
    "名称",
    "種別",
    "運営団体",
    "住所",
    "緯度",
    "経度",
    "定員",
    "開催曜日",
    "開催時間",
    "対応アレルゲン",
    "車椅子対応",
    "電話番号",
]
# Columns whose values are choices (everyday words in resources/data/vocabulary.json).
CHOICES = [
    choices.ChoiceColumn.of("kind", VenueKind),
    choices.ChoiceColumn.allergen_list("allergens_handled"),
]
_TRUE = {"○", "〇", "◯", "はい", "あり", "有", "可", "true", "yes", "y", "1"}
_FIELD_COLUMN = {"coordinates": "latitude", "schedule": "days", "municipality_code": "address"}
_COMPARED = {
    "kind": "kind",
    "operator": "operator",
    "address": "address",
    "municipality_code": "address",
    "capacity": "capacity",
    "schedule": "days",
    "allergens_handled": "allergens_handled",
    "wheelchair_access": "wheelchair_access",
    "phone": "phone",
}


def _follow(venue: Venue, values: dict[str, Any]) -> bool:
    """Coordinates in the file are the venue's point; without them the address's point is, but
    never over a point a person typed or picked. True when the point changed."""
    incoming = (values["latitude"], values["longitude"], values["location_precision"])
    typed = values["location_precision"] == MANUAL
    if not typed and (venue.location_precision == MANUAL or values["latitude"] is None):
        return False
    if (venue.latitude, venue.longitude, venue.location_precision) == incoming:
        return False
    venue.latitude, venue.longitude, venue.location_precision = incoming
    return True


_DAY_SUFFIX = re.compile(r"曜日?$")  # 「日曜日」「日曜」→「日」 (the suffix only: 日 is Sunday)


def _schedule(days: str, hours: str) -> str:
    """「水、土」 and 「17:00-19:00」 → 「水 17:00-19:00、土 17:00-19:00」."""
    if not days:
        return ""
    if not hours:
        return days  # let the schedule rule say what is missing
    return "、".join(f"{_DAY_SUFFIX.sub('', d)} {hours}" for d in split_list(days))


def _input(v: dict[str, str]) -> VenueInput:
    lat, lon = v.get("latitude", ""), v.get("longitude", "")
    return VenueInput(
        name=v.get("name", ""),
        kind=v.get("kind") or VenueKind.KODOMO_SHOKUDO,
        operator=v.get("operator", ""),
        address=v.get("address", ""),
        coordinates=f"{lat},{lon}" if lat or lon else "",
        capacity=v.get("capacity", ""),
        schedule=_schedule(v.get("days", ""), v.get("hours", "")),
        allergens_handled=split_list(v.get("allergens_handled", "")),
        wheelchair_access=clean_text(v.get("wheelchair_access", "")).lower() in _TRUE,
        phone=v.get("phone", ""),
    )


@gate(Permission.IMPORT)
def import_venues(
    db: Database,
    path: str | Path,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    mapping: choices.ValueMap | None = None,
    remembered: choices.ValueMap | None = None,
) -> ImportResult:
    """Import a venue list; ``mapping`` and ``remembered`` as for households."""
    table = read_table(Path(path), ALIASES, REQUIRED)
    result = ImportResult(notices=list(table.notices), dry_run=dry_run)
    result.unmatched = choices.apply(table, CHOICES, mapping, remembered)
    ticker = Ticker(len(table.rows), progress, cancelled)
    valid: list[tuple[int, dict[str, Any]]] = []
    bad_rows = []
    seen: dict[str, int] = {}
    for row in table.rows:
        try:
            values = validate_venue(_input(row.values))
        except ValidationError as exc:
            bad_rows.append(row)
            for e in exc.errors:
                key = _FIELD_COLUMN.get(e.field, e.field)
                column = table.columns.get(key) or message("field." + e.field)
                result.rejected.append(RowError(row.number, column, e.message()))
            continue
        if values["name"] in seen:
            bad_rows.append(row)
            result.rejected.append(
                RowError(
                    row.number,
                    table.columns["name"],
                    message("venue.name_taken", value=values["name"]),
                )
            )
            continue
        seen[values["name"]] = row.number
        valid.append((row.number, values))
    if result.rejected and not skip_invalid:
        return result
    result.notices += location_notices(
        [
            (
                number,
                values["location_precision"],
                ""
                if values["location_precision"]
                else why_no_point(values["address"], values["postal_code"]),
            )
            for number, values in valid
        ]
    )
    try:
        with db.session() as session:
            existing = {v.name: v for v in session.scalars(select(Venue))}
            for _number, values in valid:
                venue = existing.get(values["name"])
                if venue is None:
                    session.add(Venue(**values))
                    result.created += 1
                else:
                    changes = []
                    for key, column in _COMPARED.items():
                        if column not in table.columns:
                            continue
                        old, new = getattr(venue, key), values[key]
                        if old != new:
                            changes.append(f"{venue.name} {message('field.' + key)}: {old} → {new}")
                            setattr(venue, key, new)
                    if _follow(venue, values):
                        changes.append(f"{venue.name} {message('field.coordinates')}")
                    if venue.deleted_at is not None:
                        venue.deleted_at = None
                        changes.append(f"{venue.name}: +")
                    result.updated_fields += changes
                    if changes:
                        result.updated += 1
                    else:
                        result.unchanged += 1
                ticker.step()
            session.flush()
            if dry_run:
                raise Rollback
            audit.record(
                session,
                "import",
                entity="venue",
                changes={
                    "file": Path(path).name,
                    "created": result.created,
                    "updated": result.updated,
                },
            )
    except Rollback:
        pass
    if result.rejected and not dry_run:
        errors: dict[int, list[str]] = {}
        for r in result.rejected:
            errors.setdefault(r.row, []).append(f"{r.column}: {r.message}")
        result.rejected_file = write_rejected(table, bad_rows, errors)
    return result
