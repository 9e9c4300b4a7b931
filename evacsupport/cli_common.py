"""What every command shares: opening the database the global options name, as whom."""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from evacsupport.config import login_name, resolve_database_url
from evacsupport.i18n import current_language

if TYPE_CHECKING:
    from evacsupport.db import Database


def t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def open_database(args: argparse.Namespace) -> Database:
    """The database of ``--db``/``--database-url``; saves are recorded under the user's name."""
    from evacsupport.db import Database

    db = Database(resolve_database_url(args.db, args.database_url))
    db.actor = os.environ.get("EVACSUPPORT_USER", "").strip() or login_name()
    return db
