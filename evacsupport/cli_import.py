"""``evacsupport import …``: municipal household lists, venue lists and meal logs from files.

A value of a choice column that is no choice (種別「地域の拠点」) is listed with how many rows
have it and the ``--map`` that would take it (``--map 種別=地域の拠点:other``, repeatable); a
mapping given is remembered for the next file of the same name, as the window's mapping step
remembers it, and applied (and listed) then. ``--dry-run`` remembers nothing.
"""

from __future__ import annotations

import argparse
import csv
import io
import shlex
from pathlib import Path

from evacsupport.cli_common import open_database
from evacsupport.errors import EvacError
from evacsupport.i18n import current_language, message
from evacsupport.importers import ImportResult, remembered, template
from evacsupport.importers.choices import Unmatched, describe_choices

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
            "--map",
            action="append",
            default=[],
            metavar=_t("列=値:取り込む値", "COLUMN=VALUE:CHOICE"),
            help=_t(
                "選択肢にない値を選択肢に対応付ける（例：--map 種別=居場所:other、複数指定可）",
                "map a value that is not a choice to one (e.g. --map 種別=居場所:other; "
                "repeatable)",
            ),
        )
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
    lines += _unmatched_lines(result.unmatched)
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


def parse_map(items: list[str]) -> dict[str, dict[str, str]]:
    """``["種別=居場所:other", …]`` as ``{"種別": {"居場所": "other"}}``.

    The value is everything between the first ``=`` and the last ``:``, so a value may hold a
    colon (時間=12:00:other); full-width ＝ and ： are read as = and :.
    """
    mapping: dict[str, dict[str, str]] = {}
    for item in items:
        text = item.replace("＝", "=").replace("：", ":")
        column, equals, rest = text.partition("=")
        value, colon, target = rest.rpartition(":")
        if not (equals and colon and column.strip() and value.strip() and target.strip()):
            raise EvacError("import.map_syntax", value=item)
        mapping.setdefault(column.strip(), {})[value.strip()] = target.strip()
    return mapping


# What a shell would split or expand; Japanese text is safe without quotes.
_SHELL_SPECIAL = frozenset(" \t\n\"'$`\\!*?;&|<>()[]{}#~")


def _example(entry: Unmatched) -> str:
    """A --map argument for the value, quoted only where a shell needs it."""
    codes = [code for code, _label in entry.choices]
    target = "other" if "other" in codes else (codes[0] if codes else "")
    word = f"{entry.column}={entry.value}:{target}"
    return shlex.quote(word) if _SHELL_SPECIAL & set(word) else word


def _unmatched_lines(unmatched: list[Unmatched]) -> list[str]:
    """Mapped values (and how), then the values still refused with the --map that would take
    each and, once per column, what it may be mapped to."""
    lines = [
        message(
            "import.mapped_line",
            column=u.column,
            value=u.value,
            rows=u.rows,
            target=u.target_label,
            how=message("import.mapped_remembered" if u.remembered else "import.mapped_by_map"),
        )
        for u in unmatched
        if u.target
    ]
    refused = [u for u in unmatched if not u.target]
    if refused:
        lines.append(message("import.unmatched_head"))
    for i, entry in enumerate(refused):
        lines.append(
            message(
                "import.unmatched_line",
                column=entry.column,
                value=entry.value,
                rows=entry.rows,
                example=_example(entry),
            )
        )
        if i + 1 == len(refused) or refused[i + 1].column != entry.column:
            lines.append(
                message(
                    "import.unmatched_choices",
                    column=entry.column,
                    choices=describe_choices(entry.choices),
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
    mapping = parse_map(args.map)  # a mistyped --map is refused before the database opens
    path = Path(args.file)
    kind = args.import_kind
    given = {
        "dry_run": args.dry_run,
        "skip_invalid": args.skip_invalid,
        "mapping": mapping,
        "remembered": remembered.load(kind, path),
    }
    db = open_database(args)
    try:
        if kind == "households":
            result = import_households(db, path, source=args.source, **given)
        elif kind == "venues":
            result = import_venues(db, path, **given)
        else:
            result = import_meals(db, path, **given)
    finally:
        db.close()
    lines = summary(result)
    if not args.dry_run and not remembered.remember(kind, path, result.unmatched):
        lines.append(message("import.map_not_saved", path=remembered.path()))
    for line in lines:
        print(line)
    return EXIT_REJECTED if result.rejected and not args.skip_invalid else 0
