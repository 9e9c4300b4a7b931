"""``evacsupport report …`` and ``evacsupport export …``: the Reports section, from a script."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from pathlib import Path

from evacsupport.cli_common import open_database
from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import EvacError
from evacsupport.i18n import current_language, message


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    report = commands.add_parser("report", help=_t("PDFの報告書を作る", "make a PDF report"))
    kinds = report.add_subparsers(dest="report_kind", metavar="REPORT", required=True)
    monthly = kinds.add_parser("monthly", help=_t("市町向け月次報告書", "monthly municipal report"))
    monthly.add_argument("--month", required=True, metavar="YYYY-MM")
    monthly.add_argument(
        "--by",
        choices=["origin", "host"],
        default="origin",
        help=_t("避難元（origin）か避難先（host）の市町別", "group by origin or host municipality"),
    )
    venue = kinds.add_parser("venue", help=_t("会場の活動報告", "venue activity report"))
    venue.add_argument("--venue", required=True, metavar="NAME")
    venue.add_argument("--from", dest="start", required=True, metavar="DATE")
    venue.add_argument("--to", dest="end", required=True, metavar="DATE")
    case = kinds.add_parser(
        "case", help=_t("世帯のケース概要（同意が必要）", "household case summary (needs consent)")
    )
    case.add_argument("case_number", metavar="CASE_NUMBER")
    cards = kinds.add_parser("cards", help=_t("世帯カード（QRつき）", "household ID cards"))
    cards.add_argument(
        "--case",
        dest="cases",
        action="append",
        metavar="CASE_NUMBER",
        help=_t(
            "この世帯のみ（繰り返し可）。省略時は支援中の全世帯",
            "only this household (repeatable); all active by default",
        ),
    )
    roster = kinds.add_parser("roster", help=_t("会場の名簿（紙の予備）", "venue roster sheet"))
    roster.add_argument("--venue", required=True, metavar="NAME")
    roster.add_argument("--date", metavar="DATE", help=_t("既定は今日", "today by default"))
    for sub in (monthly, venue):
        sub.add_argument(
            "--no-suppress",
            action="store_true",
            help=_t("1〜4の件数も数字で表示する", "print counts of 1 to 4 too"),
        )
    for sub in (monthly, venue, case, cards, roster):
        sub.add_argument("--out", required=True, metavar="FILE.pdf")

    export = commands.add_parser("export", help=_t("表計算用に書き出す", "export for spreadsheets"))
    export.add_argument("table", choices=["households", "members", "meals"])
    export.add_argument("--format", choices=["csv", "xlsx"], default="csv")
    export.add_argument("--out", required=True, metavar="FILE")
    export.add_argument("--from", dest="start", metavar="DATE")
    export.add_argument("--to", dest="end", metavar="DATE")


def _venue_id(db: Database, name: str) -> uuid.UUID:
    from evacsupport.services.venues import VenueService

    return VenueService(db).find(name).id


def _day(value: str | None) -> date | None:
    return parse_date(value, allow_empty=True) if value else None


def cmd_report(args: argparse.Namespace) -> int:
    from evacsupport.reports.jobs import ReportRequest, run_report
    from evacsupport.services.households import HouseholdService, card_ids

    db = open_database(args)
    try:
        request = ReportRequest(
            kind=args.report_kind,
            suppress_small=not getattr(args, "no_suppress", False),
            risk=Settings.load().risk_settings(),  # the thresholds the window uses
        )
        if args.report_kind == "monthly":
            from evacsupport.services.reporting import parse_month

            request.month, request.by = parse_month(args.month), args.by
        elif args.report_kind in ("venue", "roster"):
            request.venue_id = _venue_id(db, args.venue)
            if args.report_kind == "venue":
                request.start, request.end = _day(args.start), _day(args.end)
            else:
                request.served_on = _day(args.date) or date.today()
        elif args.report_kind == "case":
            request.household_id = HouseholdService(db).get_by_case_number(args.case_number).id
        elif args.report_kind == "cards" and args.cases:
            request.household_ids = card_ids(db, args.cases)
        path = run_report(db, request, Path(args.out), Settings.load().organisation)
    finally:
        db.close()
    print(_t(f"作成しました：{path}", f"Written: {path}"))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from evacsupport.exporters.tables import export_households, export_meals, export_members

    db = open_database(args)
    try:
        out = Path(args.out)
        if args.table == "households":
            result = export_households(db, args.format, out)
        elif args.table == "members":
            result = export_members(db, args.format, out)
        else:
            start, end = _day(args.start), _day(args.end)
            if start and end and end < start:
                raise EvacError("date.order")
            result = export_meals(db, args.format, out, start=start, end=end)
    finally:
        db.close()
    print(_t(f"{result.rows}行を書き出しました：{out}", f"{result.rows} rows written: {out}"))
    if result.skipped_no_consent:
        print(
            _t(
                f"同意がないため{result.skipped_no_consent}世帯を除きました",
                f"{result.skipped_no_consent} households left out for lack of consent",
            )
        )
    if result.blanked_no_consent:
        print(message("export.blanked_no_consent", count=result.blanked_no_consent))
    return 0
