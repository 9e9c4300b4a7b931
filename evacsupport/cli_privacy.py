"""``evacsupport erase …`` and ``evacsupport purge …``: erasure on request and the retention purge.

Both need the administrator's permission (``Permission.ERASE``) and change nothing without
``--yes``: without it they say what would be erased and stop. What is removed and what is kept is
described in :mod:`evacsupport.services.erasure`.
"""

from __future__ import annotations

import argparse

from evacsupport.cli_common import open_database, t
from evacsupport.i18n import message
from evacsupport.services.erasure import REASONS


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    erase = commands.add_parser(
        "erase",
        help=t(
            "1世帯の個人情報を消去する（件数は残す）",
            "erase one household's personal data (counts are kept)",
        ),
    )
    erase.add_argument("case_number", metavar="CASE_NUMBER")
    erase.add_argument(
        "--reason",
        required=True,
        metavar="REASON",
        help=t(
            f"消去の理由（{'、'.join(REASONS)}、または日本語の名前）",
            f"why: one of {', '.join(REASONS)}",
        ),
    )
    erase.add_argument("--yes", action="store_true", help=t("確認なしで実行", "do it"))
    purge = commands.add_parser(
        "purge",
        help=t(
            "支援終了から一定期間が過ぎた世帯の個人情報を消去する",
            "erase households closed longer than the retention period",
        ),
    )
    purge.add_argument(
        "--months",
        type=int,
        required=True,
        metavar="N",
        help=t("支援終了からの月数", "months since closing"),
    )
    purge.add_argument(
        "--dry-run", action="store_true", help=t("対象を示すだけ", "only list who would go")
    )
    purge.add_argument("--yes", action="store_true", help=t("確認なしで実行", "do it"))


def cmd_erase(args: argparse.Namespace) -> int:
    from evacsupport.domain.roles import Permission
    from evacsupport.services.authz import require
    from evacsupport.services.erasure import erase_household, parse_reason
    from evacsupport.services.households import HouseholdService

    db = open_database(args)
    try:
        require(db, Permission.ERASE)
        reason = parse_reason(args.reason)
        household = HouseholdService(db).get_by_case_number(args.case_number)
        if not args.yes:
            print(
                t(
                    f"{household.case_number}（世帯員{len(household.members)}人）の個人情報を"
                    "消去します。元に戻せません。",
                    f"This erases the personal data of {household.case_number} "
                    f"({len(household.members)} members) for good.",
                )
            )
            print(message("erase.confirm_needed"))
            return 1
        result = erase_household(db, household.id, reason)
    finally:
        db.close()
    print(
        message(
            "erase.done",
            case_number=result.case_number,
            members=result.members,
            records=result.records,
            audit=result.audit_scrubbed,
        )
    )
    return 0


def cmd_purge(args: argparse.Namespace) -> int:
    from evacsupport.services.erasure import purge_candidates, purge_closed

    db = open_database(args)
    try:
        candidates = purge_candidates(db, args.months)
        if not candidates:
            print(message("erase.purge_none", months=args.months))
            return 0
        if args.dry_run or not args.yes:
            print(message("erase.purge_would", count=len(candidates)))
            for c in candidates:
                print(f"  {c.case_number}  {c.closed_on.isoformat()}")
            if not args.dry_run:
                print(message("erase.confirm_needed"))
                return 1
            return 0
        done = purge_closed(db, args.months)
    finally:
        db.close()
    for case_number in done:
        print(f"  {case_number}")
    print(message("erase.purge_done", count=len(done)))
    return 0
