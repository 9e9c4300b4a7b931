"""What every command shares: opening the database the global options name, and signing in.

A database with accounts needs a sign-in for every command: ``EVACSUPPORT_USER`` and
``EVACSUPPORT_PASSWORD`` for scripts, or a prompt at a terminal. The services then refuse what
the account's role may not do, exactly as in the window.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from evacsupport.config import login_name, resolve_database_url
from evacsupport.errors import EvacError
from evacsupport.i18n import current_language

if TYPE_CHECKING:
    from sqlalchemy import URL

    from evacsupport.db import Database

USER_VAR, PASSWORD_VAR = "EVACSUPPORT_USER", "EVACSUPPORT_PASSWORD"


def t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def credentials() -> tuple[str, str]:
    """From the environment, else asked at the terminal; refused when neither is possible."""
    user, password = os.environ.get(USER_VAR, "").strip(), os.environ.get(PASSWORD_VAR, "")
    if user and password:
        return user, password
    if not sys.stdin.isatty():
        raise EvacError("auth.credentials_needed")
    user = user or input(t("利用者名: ", "User name: ")).strip()
    return user, password or getpass.getpass(t("パスワード: ", "Password: "))


def database_key(url: URL, *, prompt: str = "") -> str | None:
    """The key of an encrypted database file, remembered for this process: from
    ``EVACSUPPORT_DB_KEY``, else asked at a terminal. None for a plain, new or server
    database; without a terminal the open that follows says a key is needed, in one line."""
    from evacsupport.db import cipher

    path = url.database if url.get_backend_name() == "sqlite" else None
    if not path or path == ":memory:" or not cipher.is_encrypted(path):
        return None
    passphrase = os.environ.get(cipher.KEY_ENV, "")
    if not passphrase and sys.stdin.isatty():
        asked = prompt or t("データベースの鍵（パスフレーズ）: ", "Database key: ")
        passphrase = getpass.getpass(asked)
    if passphrase:
        cipher.unlock(path, passphrase)
    return passphrase or None


def new_database_key(var: str) -> tuple[str, str]:
    """A new database key and its confirmation: from ``var`` for scripts, else asked twice."""
    value = os.environ.get(var, "")
    if value:
        return value, value
    if not sys.stdin.isatty():
        raise EvacError("db.key_needed_new", var=var)
    first = getpass.getpass(t("新しい鍵（パスフレーズ、8文字以上）: ", "New key (8+ characters): "))
    return first, getpass.getpass(t("もう一度: ", "Again: "))


def open_database(args: argparse.Namespace, *, sign_in: bool = True) -> Database:
    """The database of ``--db``/``--database-url``, signed in when it has accounts.

    Without accounts only an empty database opens (the first start: ``demo``, ``sync import``
    on a new venue laptop, an import into a new file). One that holds households or members but
    no account is refused until ``evacsupport init`` gives it an administrator: the role gate
    lets everything through while there is no account, which is only harmless with nothing to
    read. ``sign_in=False`` is for the two commands that settle this themselves: ``init``
    (which makes that administrator) and ``demo`` (which counts, and fills only an empty
    database, writing its accounts with its data).
    """
    from evacsupport.db import Database
    from evacsupport.services.accounts import AccountService
    from evacsupport.services.accounts import sign_in as sign_in_as

    url = resolve_database_url(args.db, args.database_url)
    database_key(url)
    db = Database(url)
    db.actor = os.environ.get(USER_VAR, "").strip() or login_name()
    if sign_in:
        try:
            accounts = AccountService(db)
            if accounts.has_accounts():
                sign_in_as(db, accounts.authenticate(*credentials()))
            elif accounts.holds_personal_data():
                raise EvacError("auth.init_needed")
        except BaseException:
            db.close()
            raise
    return db
