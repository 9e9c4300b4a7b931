"""Command line: ``evacsupport`` alone starts the window; subcommands work without a display.

Global options (``--db``, ``--database-url``, ``--lang``) come before the command, so every
command opens the database the same way. A user error prints one line and exits non-zero; so
does anything unexpected, whose traceback goes to the log file the line names (never to the
terminal: a database error's text holds the SQL parameters, names and phone numbers).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import URL

from evacsupport import (
    __version__,
    cli_accounts,
    cli_backup,
    cli_import,
    cli_privacy,
    cli_reports,
    cli_sync,
    logs,
)
from evacsupport.cli_common import credentials, open_database
from evacsupport.config import Settings, describe_url, resolve_database_url
from evacsupport.errors import EvacError
from evacsupport.failures import explain
from evacsupport.i18n import current_language, message, set_language

if TYPE_CHECKING:
    from evacsupport.db import Database
    from evacsupport.services.assignment import AssignmentService

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="evacsupport",
        description=_t(
            "避難者支援（居場所・こども食堂へのつなぎ）のケース管理。コマンドなしで画面を開きます。",
            "Case management for supporting evacuees. Without a command the window opens.",
        ),
    )
    parser.add_argument("--version", action="version", version=f"evacsupport {__version__}")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--db", metavar="PATH", help=_t("SQLiteファイルのパス", "path of an SQLite file")
    )
    where.add_argument(
        "--database-url",
        metavar="URL",
        help=_t(
            "データベースURL（例：postgresql+psycopg://…）。EVACSUPPORT_DATABASE_URL でも可",
            "database URL (e.g. postgresql+psycopg://…); or EVACSUPPORT_DATABASE_URL",
        ),
    )
    parser.add_argument("--lang", choices=["ja", "en"], help=_t("表示言語", "language"))
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("gui", help=_t("画面を開く（既定）", "open the window (default)"))
    demo = commands.add_parser("demo", help=_t("デモデータを作成する", "fill with demo data"))
    demo.add_argument(
        "--households", type=int, default=200, metavar="N", help=_t("世帯数", "households")
    )
    demo.add_argument("--seed", type=int, default=1, metavar="S", help=_t("乱数の種", "seed"))
    demo.add_argument(
        "--if-empty",
        action="store_true",
        help=_t(
            "世帯がすでにあれば何もせずに終了する",
            "do nothing (and succeed) when the database already holds households",
        ),
    )
    check = commands.add_parser("check", help=_t("データベースを点検する", "check the database"))
    check.add_argument(
        "--repair",
        action="store_true",
        help=_t(
            "点検の前に、記録から求める集計（要注意・最終接触）を作り直す",
            "first rebuild what is derived from the records (risk, last contact)",
        ),
    )
    assign = commands.add_parser(
        "assign", help=_t("世帯を近くの会場につなぐ", "connect households to nearby venues")
    )
    actions = assign.add_subparsers(dest="assign_command", metavar="ACTION", required=True)
    suggest = actions.add_parser(
        "suggest",
        help=_t("1世帯に合う会場を近い順に示す", "rank the venues that suit one household"),
    )
    suggest.add_argument("case_number", metavar="CASE_NUMBER", help=_t("世帯番号", "case number"))
    auto = actions.add_parser(
        "auto",
        help=_t(
            "会場のない世帯をまとめて割り当てる（最適化）",
            "allocate every household without a venue (optimised)",
        ),
    )
    auto.add_argument(
        "--dry-run",
        action="store_true",
        help=_t("案を示すだけで保存しない", "show the plan without saving it"),
    )
    places = commands.add_parser(
        "places",
        help=_t("住所から世帯・会場の位置を補う", "fill households' and venues' points"),
    )
    place_actions = places.add_subparsers(dest="places_command", metavar="ACTION", required=True)
    fill = place_actions.add_parser(
        "fill",
        help=_t(
            "位置がなく住所のある世帯・会場に、住所の位置を入れる",
            "give households and venues with an address but no point the address's point",
        ),
    )
    fill.add_argument(
        "--dry-run", action="store_true", help=_t("数えるだけで保存しない", "count, save nothing")
    )
    cli_reports.add_parsers(commands)
    cli_import.add_parsers(commands)
    cli_sync.add_parsers(commands)
    cli_privacy.add_parsers(commands)
    cli_accounts.add_parsers(commands)
    cli_backup.add_parsers(commands)
    return parser


def cmd_demo(args: argparse.Namespace) -> int:
    from evacsupport.services import demo
    from evacsupport.services.accounts import AccountService, sign_in

    if not 1 <= args.households <= 100_000:
        raise EvacError("value.range", min=1, max=100_000)
    # Counting needs no sign-in, so the README's start command works again and again; adding
    # demo data to a database that has accounts does.
    db = open_database(args, sign_in=False)
    try:
        existing = demo.existing_households(db)
        if existing and args.if_empty:
            print(message("cli.demo_skipped", count=existing, url=describe_url(db.url)))
            return EXIT_OK
        if AccountService(db).has_accounts():
            sign_in(db, AccountService(db).authenticate(*credentials()))
        summary = demo.generate(db, households=args.households, seed=args.seed, accounts=True)
        accounts = summary.accounts
    finally:
        db.close()
    print(
        message(
            "cli.demo_done",
            households=summary.households,
            members=summary.members,
            venues=summary.venues,
            meals=summary.meals,
            visits=summary.visits,
            checkins=summary.checkins,
            url=describe_url(db.url),
        )
    )
    if accounts:
        print(message("cli.demo_accounts", accounts="、".join(accounts), password=demo.PASSWORD))
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from evacsupport.services.integrity import run_checks

    db = open_database(args)
    try:
        report = run_checks(db, repair=args.repair)
    finally:
        db.close()
    if args.repair:
        print(message("cli.check_repaired", rows=report.repaired))
    for problem in report.problems:
        print(problem)
    for origin, seq, head in report.audit_heads:
        # to be noted down apart from the file: a chain rebuilt whole would end elsewhere
        print(message("cli.check_audit_head", origin=origin, seq=seq, hash=head[:16]))
    if report.ok:
        print(message("cli.check_ok", checks=report.checks))
        return EXIT_OK
    print(message("cli.check_failed", count=len(report.problems)), file=sys.stderr)
    return EXIT_ERROR


def _km(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f} km"


def cmd_assign(args: argparse.Namespace) -> int:
    from evacsupport.services.assignment import AssignmentService

    db = open_database(args)
    try:
        service = AssignmentService(db)
        if args.assign_command == "suggest":
            return _assign_suggest(db, service, args.case_number)
        return _assign_auto(service, dry_run=args.dry_run)
    finally:
        db.close()


def _assign_suggest(db: Database, service: AssignmentService, case_number: str) -> int:
    from evacsupport.services.households import HouseholdService
    from evacsupport.services.places import precision_label

    household = HouseholdService(db).get_by_case_number(case_number)
    result = service.suggest(household.id)
    needs = result.household
    print(
        _t(
            f"{needs.case_number}（{needs.size}人）に合う会場",
            f"Venues for {needs.case_number} ({needs.size} people)",
        )
    )
    current = next(
        (s.venue for s in result.suggestions if s.venue.id == needs.current_venue_id), None
    )
    if current is not None:
        print(_t(f"現在の会場：{current.name}", f"Current venue: {current.name}"))
    if needs.precision and needs.precision != "manual":  # found from the address: say how
        where = precision_label(needs.precision)
        approximate = _t("（およその位置）", " (approximate)") if needs.approximate else ""
        print(_t(f"世帯の位置：{where}{approximate}", f"Household's point: {where}{approximate}"))
    if result.problem:
        print(result.problem)
    join = _t("、", "; ")
    for number, s in enumerate(result.ranked, 1):
        # the first reason is the distance, shown in its own column
        print(
            f"{number:>3}. {s.venue.name}  {_km(s.distance_km)}  "
            f"{_t(f'空き{s.venue.free}人', f'{s.venue.free} free')}  {join.join(s.reasons[1:])}"
        )
    if result.suggestions and not result.ranked:
        print(_t("条件に合う会場がありません", "No venue suits this household"))
    excluded = result.excluded
    if excluded:
        print(_t("対象外の会場：", "Excluded venues:"))
        for s in excluded:
            where = (
                ""
                if s.distance_km is None
                else _t(f"（{_km(s.distance_km)}）", f" ({_km(s.distance_km)})")
            )
            print(f"  - {s.venue.name}{where}{_t('：', ': ')}{join.join(s.reasons)}")
    return EXIT_OK


def _assign_auto(service: AssignmentService, *, dry_run: bool) -> int:
    plan = service.plan()
    if plan.placements:
        print(_t("割り当て案：", "Plan:"))
    for p in plan.placements:
        size = _t(f"{p.household.size}人", f"{p.household.size} people")
        about = _t("（およそ）", " (approx.)") if p.household.approximate else ""
        print(f"  {p.household.case_number}  {size}  {p.venue.name}  {_km(p.distance_km)}{about}")
    approximate = [p.household.case_number for p in plan.placements if p.household.approximate]
    if approximate:
        print(
            _t(
                "およその位置（郵便番号の区域・市区町村の代表点）で配置した世帯 "
                f"{len(approximate)}件：" + "、".join(approximate),
                f"Placed from an approximate point (postal area or municipality), "
                f"{len(approximate)}: " + ", ".join(approximate),
            )
        )
    if plan.unplaced:
        print(_t("割り当てられない世帯：", "Not placed:"))
    for household, why in plan.unplaced:
        print(f"  {household.case_number}  {why}")
    households, people = len(plan.placements), plan.placed_people
    if plan.optimal:
        quality = _t("最適解", "optimal")
    else:
        quality = _t(
            f"時間内の最良解（最適解との差 最大{plan.gap:.2%}）",
            f"best found within the time limit (at most {plan.gap:.2%} from optimal)",
        )
    scope = ""
    if plan.candidates is not None:
        scope = _t(
            f"、各世帯の近い{plan.candidates}会場から",
            f", from each household's {plan.candidates} nearest suitable venues",
        )
    print(
        _t(
            f"配置：{households}世帯・{people}人、合計 {plan.total_km:.1f} km、"
            f"未配置 {len(plan.unplaced)}世帯（{quality}{scope}）",
            f"Placed {households} households ({people} people), total {plan.total_km:.1f} km, "
            f"{len(plan.unplaced)} not placed ({quality}{scope})",
        )
    )
    if dry_run:
        print(_t("試行のため保存していません（--dry-run）", "Dry run: nothing was saved"))
        return EXIT_OK
    written = service.apply(plan)
    print(_t(f"{written}世帯を会場に割り当てました", f"Assigned {written} households to venues"))
    return EXIT_OK


def cmd_places(args: argparse.Namespace) -> int:
    from evacsupport.services.places import fill_missing, precision_label

    db = open_database(args)
    try:
        result = fill_missing(db, dry_run=args.dry_run)
    finally:
        db.close()
    for kind, counts in ((_t("世帯", "households"), result.households),
                         (_t("会場", "venues"), result.venues)):  # fmt: skip
        for precision, count in sorted(counts.items()):
            print(f"{kind}  {precision_label(precision)}  {count}")
    for name, why in result.unplaced:
        print(_t(f"位置なし：{name}  {why}", f"no point: {name}  {why}"))
    done = _t(f"{result.placed}件に位置を入れました", f"Gave {result.placed} records a point")
    if result.dry_run:
        done = _t(
            f"{result.placed}件に位置を入れられます（試行のため保存していません）",
            f"{result.placed} records can be given a point (dry run: nothing saved)",
        )
    print(done)
    return EXIT_OK


def cmd_gui(args: argparse.Namespace) -> int:
    import os

    from evacsupport.app import run_gui

    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY")
        or os.environ.get("WAYLAND_DISPLAY")
        or os.environ.get("QT_QPA_PLATFORM")
    )
    if headless:  # Qt would abort with a message about platform plugins; say what to do
        print(message("cli.no_display"), file=sys.stderr)
        return EXIT_ERROR

    return run_gui(resolve_database_url(args.db, args.database_url))


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "gui": cmd_gui,
    "demo": cmd_demo,
    "check": cmd_check,
    "assign": cmd_assign,
    "places": cmd_places,
    "report": cli_reports.cmd_report,
    "export": cli_reports.cmd_export,
    "import": cli_import.cmd_import,
    "sync": cli_sync.cmd_sync,
    "erase": cli_privacy.cmd_erase,
    "purge": cli_privacy.cmd_purge,
    "init": cli_accounts.cmd_init,
    "users": cli_accounts.cmd_users,
    "backup": cli_backup.cmd_backup,
    "backups": cli_backup.cmd_backups,
    "restore": cli_backup.cmd_restore,
    "encrypt": cli_backup.cmd_encrypt,
    "rekey": cli_backup.cmd_rekey,
}


def main(argv: Sequence[str] | None = None) -> int:
    logs.setup()
    settings = Settings.load()
    set_language(settings.language)
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--lang" in argv[:-1]:  # the help texts themselves should follow --lang
        set_language(argv[argv.index("--lang") + 1])
    args = build_parser().parse_args(argv)
    if args.lang:
        set_language(args.lang)
    try:
        return COMMANDS[args.command](args)
    except EvacError as exc:
        print(message("cli.error", detail=exc.message()), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # a bug or the environment: one line here, the details in the log
        error = explain(exc, _database_url(args), where=f"command {args.command or 'gui'}")
        print(message("cli.error", detail=error.message()), file=sys.stderr)
        return EXIT_ERROR


def _database_url(args: argparse.Namespace) -> URL | None:
    """The database the command used, to name it in a message; None if the options are bad."""
    try:
        return resolve_database_url(args.db, args.database_url)
    except Exception:  # an unreadable URL is not worth a second failure
        return None


if __name__ == "__main__":
    sys.exit(main())
