"""``evacsupport init`` and ``evacsupport users …``: the first administrator, then accounts."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from evacsupport.cli_common import PASSWORD_VAR, USER_VAR, new_database_key, open_database, t
from evacsupport.config import resolve_database_url
from evacsupport.domain.codes import Role, label
from evacsupport.errors import EvacError
from evacsupport.services.accounts import AccountService


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    init = commands.add_parser(
        "init",
        help=t(
            "新しいデータベースと最初の管理者を作る",
            "create a database with its first administrator",
        ),
    )
    init.add_argument("--name", default="", metavar="NAME", help=t("表示名", "display name"))
    init.add_argument(
        "--encrypt",
        action="store_true",
        help=t(
            "新しいデータベースを暗号化して作る（鍵は EVACSUPPORT_DB_KEY か入力）",
            "create the new database encrypted (key from EVACSUPPORT_DB_KEY or asked)",
        ),
    )
    users = commands.add_parser("users", help=t("利用者の管理（管理者）", "accounts (admin)"))
    actions = users.add_subparsers(dest="users_action", metavar="ACTION", required=True)
    actions.add_parser("list", help=t("利用者の一覧", "list accounts"))
    add = actions.add_parser("add", help=t("利用者を追加する", "add an account"))
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=[str(r) for r in Role])
    add.add_argument(
        "--venue", default="", metavar="NAME", help=t("会場スタッフの担当会場", "venue")
    )
    add.add_argument("--name", default="", metavar="NAME", help=t("表示名", "display name"))
    passwd = actions.add_parser("passwd", help=t("パスワードを設定し直す", "reset a password"))
    passwd.add_argument("username")
    for verb in ("disable", "enable"):
        sub = actions.add_parser(verb, help=t("無効にする" if verb == "disable" else "有効にする",
                                             verb + " an account"))  # fmt: skip
        sub.add_argument("username")


def new_password(var: str = "EVACSUPPORT_NEW_PASSWORD") -> tuple[str, str]:
    """A new password and its confirmation: from ``var`` for scripts, else asked twice."""
    value = os.environ.get(var, "")
    if value:
        return value, value
    if not sys.stdin.isatty():
        raise EvacError("auth.credentials_needed")
    first = getpass.getpass(t("新しいパスワード: ", "New password: "))
    return first, getpass.getpass(t("もう一度: ", "Again: "))


def _create_encrypted(args: argparse.Namespace) -> None:
    """``init --encrypt``: a missing or empty file becomes an encrypted one first (its key
    from ``EVACSUPPORT_DB_KEY`` or asked twice); an encrypted one is used as it is."""
    from evacsupport.db import cipher
    from evacsupport.services.encryption import create_encrypted

    url = resolve_database_url(args.db, args.database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise EvacError("backup.server")
    if cipher.is_encrypted(url.database):
        return
    create_encrypted(url.database, *new_database_key(cipher.KEY_ENV))


def cmd_init(args: argparse.Namespace) -> int:
    if args.encrypt:
        _create_encrypted(args)
    db = open_database(args, sign_in=False)
    try:
        service = AccountService(db)
        if service.has_accounts():
            raise EvacError("auth.already_initialised")
        username = os.environ.get(USER_VAR, "").strip()
        if not username:
            if not sys.stdin.isatty():
                raise EvacError("auth.credentials_needed")
            username = input(t("管理者の利用者名: ", "Administrator user name: ")).strip()
        password, confirm = new_password(PASSWORD_VAR)
        made = service.create(username, password, Role.ADMIN, display_name=args.name,
                              confirm=confirm)  # fmt: skip
        print(t(f"管理者 {made.username} を作りました：{db.description}",
                f"Created administrator {made.username} in {db.description}"))  # fmt: skip
        return 0
    finally:
        db.close()


def cmd_users(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        service = AccountService(db)
        action = args.users_action
        if action == "list":
            for a in service.accounts():
                state = t("有効", "active") if a.active else t("無効", "disabled")
                print("\t".join([a.username, a.display_name, label(a.role), a.venue, state]))
        elif action == "add":
            password, confirm = new_password()
            made = service.create(args.username, password, args.role, display_name=args.name,
                                  venue=args.venue, confirm=confirm)  # fmt: skip
            print(t(f"{made.username}（{label(made.role)}）を追加しました",
                    f"Added {made.username} ({label(made.role)})"))  # fmt: skip
        elif action == "passwd":
            service.set_password(args.username, *new_password())
        else:
            service.set_active(args.username, action == "enable")
        return 0
    finally:
        db.close()
