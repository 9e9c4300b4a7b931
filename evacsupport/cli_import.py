"""``evacsupport import …``: municipal household lists, venue lists and meal logs from files."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from evacsupport.cli_common import open_database
from evacsupport.i18n import current_language
from evacsupport.importers import ImportResult, template

EXIT_REJECTED = 1


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "import", help=_t("名簿・会場・食事記録を取り込む", "import lists from CSV or XLSX")
    )
    kinds = parser.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    households = kinds.add_parser(
        "households", help=_t("世帯名簿（1行1人、世帯番号でまとめる）", "household list")
    )
    venues = kinds.add_parser("venues", help=_t("会場一覧", "venue list"))
    meals = kinds.add_parser("meals", help=_t("食事の記録", "meal log"))
    for sub in (households, venues, meals):
        sub.add_argument("file", metavar="FILE", help=_t("CSVまたはXLSX", "CSV or XLSX"))
        sub.add_argument(
            "--dry-run",
            action="store_true",
            help=_t("確認だけして保存しない", "check and report without saving"),
        )
    for sub in (households, venues, meals):
        sub.add_argument(
            "--skip-invalid",
            action="store_true",
            help=_t(
                "正しい行だけ取り込み、誤りのある行を .rejected.csv に書き出す",
                "import the valid rows and write the others to .rejected.csv",
            ),
        )
    households.add_argument(
        "--source",
        metavar="NAME",
        help=_t("名簿の出典名（既定はファイル名）", "name of the source list (file name)"),
    )
    tmpl = kinds.add_parser("template", help=_t("見出し行を表示する", "print the header line"))
    tmpl.add_argument("template_kind", choices=["households", "venues", "meals"])


def summary(result: ImportResult) -> list[str]:
    """The lines the CLI prints: counts, notices, changed fields, then each refused row."""
    head = _t("確認のみ（保存していません）", "Dry run (nothing saved)") if result.dry_run else ""
    lines = [head] if head else []
    lines.append(
        _t(
            f"新規 {result.created}件、更新 {result.updated}件、変更なし {result.unchanged}件",
            f"created {result.created}, updated {result.updated}, unchanged {result.unchanged}",
        )
    )
    lines += result.notices
    lines += result.updated_fields
    for e in result.rejected:
        lines.append(
            _t(f"行{e.row} {e.column}: {e.message}", f"row {e.row} {e.column}: {e.message}")
        )
    if result.rejected and result.rejected_file is None and not result.dry_run:
        lines.append(
            _t(
                "誤りがあるため何も保存していません（--skip-invalid で正しい行だけ取り込めます）",
                "Nothing saved because of errors (--skip-invalid imports the valid rows)",
            )
        )
    if result.rejected_file is not None:
        lines.append(
            _t(
                f"取り込めなかった行：{result.rejected_file}",
                f"Rejected rows written to {result.rejected_file}",
            )
        )
    return lines


def cmd_import(args: argparse.Namespace) -> int:
    from evacsupport.importers import import_households, import_meals, import_venues

    if args.import_kind == "template":
        buf = io.StringIO()
        csv.writer(buf, lineterminator="").writerow(template(args.template_kind))
        print(buf.getvalue())
        return 0
    db = open_database(args)
    try:
        path = Path(args.file)
        if args.import_kind == "households":
            result = import_households(
                db,
                path,
                source=args.source,
                dry_run=args.dry_run,
                skip_invalid=args.skip_invalid,
            )
        elif args.import_kind == "venues":
            result = import_venues(db, path, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
        else:
            result = import_meals(db, path, dry_run=args.dry_run, skip_invalid=args.skip_invalid)
    finally:
        db.close()
    for line in summary(result):
        print(line)
    return EXIT_REJECTED if result.rejected and not args.skip_invalid else 0
