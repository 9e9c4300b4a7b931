"""One entry point for every report, shared by the command line and the Reports section.

A request names the report and its parameters; :func:`run_report` builds it into a temporary
file beside the target and renames it only when complete, so a failed or cancelled report never
leaves half a PDF under the name the user chose.
"""

from __future__ import annotations

import os
import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import BinaryIO

from evacsupport.db.engine import Database
from evacsupport.domain.roles import Permission, counts_permission
from evacsupport.errors import EvacError
from evacsupport.services import audit
from evacsupport.services.authz import gate
from evacsupport.services.risk import RiskSettings

KINDS = ("monthly", "venue", "case", "cards", "roster")


@dataclass
class ReportRequest:
    kind: str
    month: date | None = None
    by: str = "origin"
    suppress_small: bool = True
    venue_id: uuid.UUID | None = None
    start: date | None = None
    end: date | None = None
    served_on: date | None = None
    household_id: uuid.UUID | None = None
    household_ids: list[uuid.UUID] | None = field(default=None)
    # the team's thresholds (Settings.risk_settings()): the monthly report's risk counts and the
    # case summary's bands read them as the household list and the check-in form do
    risk: RiskSettings | None = None

    @property
    def permission(self) -> Permission:
        """What the signed-in role needs for this report: names need more than counts."""
        if self.kind in ("cards", "roster"):
            return Permission.ROSTER
        if self.kind == "case":
            return Permission.PERSONAL_REPORTS
        return counts_permission(self.suppress_small)


def _needs(_db: Database, request: ReportRequest, *_args: object, **_kwargs: object) -> Permission:
    return request.permission


@gate(_needs)
def run_report(db: Database, request: ReportRequest, target: Path, organisation: str = "") -> Path:
    """Build the report into ``target`` (atomically); returns the path written."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    try:
        with partial.open("wb") as out:
            _build(db, request, out, organisation)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    _audit(db, request, target)
    return target


def _audit(db: Database, request: ReportRequest, target: Path) -> None:
    """One ``report`` entry: which report, the file and the parameters it was made with."""
    params: dict[str, object] = {}
    for name, value in vars(request).items():
        if name == "kind" or value is None:
            continue
        if name == "household_ids":
            params["households"] = len(value)
        else:
            params[name] = value if isinstance(value, bool | str) else str(value)
    with db.session() as session:
        audit.record(
            session,
            "report",
            entity="household" if request.household_id else "",
            entity_id=request.household_id,
            changes={"kind": request.kind, "file": target.name, **params},
        )


def _build(db: Database, request: ReportRequest, out: BinaryIO, organisation: str) -> None:
    kind = request.kind
    if kind == "monthly":
        from evacsupport.reports.monthly import make_monthly_report

        if request.month is None:
            raise EvacError("value.required")
        make_monthly_report(
            db,
            request.month,
            by=request.by,
            suppress_small=request.suppress_small,
            organisation=organisation,
            settings=request.risk,
            target=out,
        )
    elif kind == "venue":
        from evacsupport.reports.venue_activity import make_venue_activity_report

        if request.venue_id is None or request.start is None or request.end is None:
            raise EvacError("value.required")
        if request.end < request.start:
            raise EvacError("date.order")
        make_venue_activity_report(
            db,
            request.venue_id,
            request.start,
            request.end,
            organisation=organisation,
            suppress_small=request.suppress_small,
            target=out,
        )
    elif kind == "case":
        from evacsupport.reports.case_summary import make_case_summary

        if request.household_id is None:
            raise EvacError("value.required")
        make_case_summary(
            db, request.household_id, organisation=organisation, risk=request.risk, target=out
        )
    elif kind == "cards":
        from evacsupport.reports.cards import make_id_cards

        make_id_cards(db, request.household_ids, organisation=organisation, target=out)
    elif kind == "roster":
        from evacsupport.reports.roster import make_roster

        if request.venue_id is None:
            raise EvacError("value.required")
        make_roster(
            db,
            request.venue_id,
            request.served_on or date.today(),
            organisation=organisation,
            target=out,
        )
    else:
        raise EvacError("value.choice", value=kind)
