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

    db = Database(resolve_database_url(args.db, args.database_url))
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
