"""Command line: ``evacsupport`` alone starts the window; subcommands work without a display.

Global options (``--db``, ``--database-url``, ``--lang``) come before the command, so every
command opens the database the same way. A user error prints one line and exits non-zero.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from sqlalchemy.exc import SQLAlchemyError

from evacsupport import __version__
from evacsupport.config import Settings, describe_url, resolve_database_url
from evacsupport.errors import EvacError
from evacsupport.i18n import current_language, message, set_language

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
    commands.add_parser("check", help=_t("データベースを点検する", "check the database"))
    return parser


def _open(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from evacsupport.db import Database

    return Database(resolve_database_url(args.db, args.database_url))


def cmd_demo(args: argparse.Namespace) -> int:
    from evacsupport.services import demo

    if not 1 <= args.households <= 100_000:
        raise EvacError("value.range", min=1, max=100_000)
    from evacsupport.services.households import HouseholdService

    db = _open(args)
    try:
        existing = HouseholdService(db).count()
        if existing and args.if_empty:
            print(message("cli.demo_skipped", count=existing, url=describe_url(db.url)))
            return EXIT_OK
        summary = demo.generate(db, households=args.households, seed=args.seed)
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
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from evacsupport.services.integrity import run_checks

    db = _open(args)
    try:
        report = run_checks(db)
    finally:
        db.close()
    for problem in report.problems:
        print(problem)
    if report.ok:
        print(message("cli.check_ok", checks=report.checks))
        return EXIT_OK
    print(message("cli.check_failed", count=len(report.problems)), file=sys.stderr)
    return EXIT_ERROR


def cmd_gui(args: argparse.Namespace) -> int:
    from evacsupport.app import run_gui

    return run_gui(resolve_database_url(args.db, args.database_url))


COMMANDS: dict[str | None, Callable[[argparse.Namespace], int]] = {
    None: cmd_gui,
    "gui": cmd_gui,
    "demo": cmd_demo,
    "check": cmd_check,
}


def main(argv: Sequence[str] | None = None) -> int:
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
    except SQLAlchemyError as exc:
        from evacsupport.db.engine import storage_error

        error = storage_error(exc, resolve_database_url(args.db, args.database_url))
        print(message("cli.error", detail=error.message()), file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
