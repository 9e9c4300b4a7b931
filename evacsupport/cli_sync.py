"""``evacsupport sync …``: packages between laptops, the peers, and conflicts to settle.

The passphrase is asked for at a prompt (not echoed); scripts give it in
``EVACSUPPORT_PASSPHRASE``. Nothing else about a package is ever printed in clear.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from datetime import datetime
from pathlib import Path

from evacsupport.cli_common import open_database, t
from evacsupport.errors import EvacError
from evacsupport.sync.service import ImportResult, SyncService, UnknownRecipient

PASSPHRASE_VAR = "EVACSUPPORT_PASSPHRASE"


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    parser = commands.add_parser(
        "sync", help=t("端末間の同期（USBメモリ・メール）", "sync with other laptops by file")
    )
    actions = parser.add_subparsers(dest="sync_action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export", help=t("相手の端末に渡す同期ファイルを作る", "write a package for a peer")
    )
    export.add_argument("--to", required=True, metavar="PEER", help=t("相手の端末名", "peer"))
    export.add_argument(
        "--scope",
        default="",
        metavar="venue:NAME",
        help=t(
            "会場用端末には、その会場に必要な最小限だけを渡す",
            "a venue laptop gets only what that venue needs",
        ),
    )
    export.add_argument("--out", required=True, metavar="FILE")
    imp = actions.add_parser("import", help=t("同期ファイルを取り込む", "merge a package"))
    imp.add_argument("file", metavar="FILE")
    imp.add_argument(
        "--accept-unknown",
        action="store_true",
        help=t(
            "この端末をまだ知らない送り手からのファイル（最初の同期）も取り込む",
            "also merge a package from a laptop that has never had one from here (first sync)",
        ),
    )
    actions.add_parser("peers", help=t("同期の相手と最終同期日時", "peers and last sync"))
    conflicts = actions.add_parser(
        "conflicts", help=t("両方の端末で編集された項目", "fields edited on two laptops")
    )
    conflicts.add_argument(
        "--all", action="store_true", help=t("解決済みも表示", "include settled")
    )
    resolve = actions.add_parser("resolve", help=t("食い違いを解決する", "settle a conflict"))
    resolve.add_argument("conflict", metavar="ID", help=t("ID（先頭8文字で可）", "id or prefix"))
    resolve.add_argument("choice", choices=["mine", "theirs"])
    name = actions.add_parser("name", help=t("この端末の名前を付ける", "name this laptop"))
    name.add_argument("name", metavar="NAME")


def _passphrase() -> str:
    value = os.environ.get(PASSPHRASE_VAR, "")
    if value:
        return value
    if not sys.stdin.isatty():
        raise EvacError("sync.passphrase_needed", var=PASSPHRASE_VAR)
    return getpass.getpass(t("合言葉（パスフレーズ）: ", "Passphrase: "))


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else "—"


def import_summary(result: ImportResult) -> list[str]:
    lines = [
        t(
            f"{result.peer} から {result.received}件（新規反映 {result.applied}件、"
            f"取り込み済み {result.already_had}件、重複 {result.duplicates}件）",
            f"from {result.peer}: {result.received} changes ({result.applied} applied, "
            f"{result.already_had} already here, {result.duplicates} duplicates)",
        )
    ]
    for old, new in result.renumbered:
        lines.append(t(f"世帯番号 {old} が重なったため {new} にしました",
                       f"case number {old} was taken; renumbered {new}"))  # fmt: skip
    if result.conflicts:
        lines.append(
            t(
                f"両方で編集された項目が {result.conflicts}件あります（sync conflicts で確認）",
                f"{result.conflicts} fields were edited on both laptops (see: sync conflicts)",
            )
        )
    return lines


def cmd_sync(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        service = SyncService(db)
        action = args.sync_action
        if action == "export":
            result = service.export(args.to, Path(args.out), _passphrase(), scope_venue=args.scope)
            scope = t(f"（会場：{result.scope_venue}）", f" (venue: {result.scope_venue})")
            print(
                t(
                    f"{result.peer} 宛て {result.changes}件を {result.path} に書き出しました",
                    f"wrote {result.changes} changes for {result.peer} to {result.path}",
                )
                + (scope if result.scope_venue else "")
            )
        elif action == "import":
            try:
                imported = service.import_(
                    Path(args.file), _passphrase(), accept_unknown=args.accept_unknown
                )
            except UnknownRecipient as exc:
                # No one to ask at a command line: say what was found and how to go on.
                raise EvacError("sync.unknown_recipient_cli", **exc.params) from exc
            for line in import_summary(imported):
                print(line)
        elif action == "peers":
            me = service.this_site()
            print(t(f"この端末：{me.name}", f"this laptop: {me.name}"))
            for p in service.peers():
                print(
                    "\t".join(
                        [
                            p.name,
                            p.scope_venue or t("全件", "all"),
                            t("送信 ", "sent ") + _when(p.last_export_at),
                            t("受信 ", "received ") + _when(p.last_import_at),
                            t(f"未確認 {p.waiting}件", f"unacknowledged {p.waiting}"),
                        ]
                    )
                )
        elif action == "conflicts":
            for c in service.conflicts(include_resolved=args.all):
                print(
                    "\t".join(
                        [
                            str(c.id)[:8], c.record, c.field,
                            t(f"こちら={c.mine}", f"mine={c.mine}"),
                            t(f"相手={c.theirs}", f"theirs={c.theirs}"), c.peer,
                            c.resolution or c.status,
                        ]
                    )
                )  # fmt: skip
        elif action == "resolve":
            matches = [
                c for c in service.conflicts() if str(c.id).startswith(args.conflict.lower())
            ]
            if len(matches) != 1:
                raise EvacError("sync.conflict_not_found")
            service.resolve(matches[0].id, args.choice)
            print(t("解決しました。次の同期で他の端末にも伝わります",
                    "Settled; other laptops learn it at the next sync"))  # fmt: skip
        elif action == "name":
            service.rename_site(args.name)
        return 0
    finally:
        db.close()
