"""Where data lives and which database to open.

One place decides the data folder (platformdirs, so tests can redirect it with XDG variables) and
how the ``--db`` / ``--database-url`` / ``EVACSUPPORT_DATABASE_URL`` choices combine, so the GUI,
the CLI and the tests all open the same database for the same inputs.
"""

from __future__ import annotations

import getpass
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import platformdirs
from sqlalchemy import URL, make_url

if TYPE_CHECKING:
    from evacsupport.services.risk import RiskSettings

APP_NAME = "evacsupport"
ENV_DATABASE_URL = "EVACSUPPORT_DATABASE_URL"
ENV_LANG = "EVACSUPPORT_LANG"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def login_name() -> str:
    """The operating-system account, for "who saved this" until app accounts exist."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return ""


def config_dir() -> Path:
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return data_dir() / "evacsupport.sqlite3"


def sqlite_url(path: Path | str) -> URL:
    return URL.create("sqlite", database=str(Path(path).expanduser().resolve()))


def resolve_database_url(
    db_path: str | None = None,
    database_url: str | None = None,
    environ: dict[str, str] | None = None,
) -> URL:
    """An explicit path or URL wins over the environment, which wins over the default file."""
    env = os.environ if environ is None else environ
    if db_path:
        return sqlite_url(db_path)
    if database_url:
        return make_url(database_url)
    if env.get(ENV_DATABASE_URL):
        return make_url(env[ENV_DATABASE_URL])
    return sqlite_url(default_database_path())


def describe_url(url: URL) -> str:
    """A form of the URL safe to show on screen: a file path, or the URL without its password."""
    if url.get_backend_name() == "sqlite":
        return url.database or ":memory:"
    return url.render_as_string(hide_password=True)


@dataclass
class Settings:
    """User preferences (not window state); grows as later features need settings."""

    language: str = "ja"
    organisation: str = ""
    venue_id: str = ""  # this laptop's venue: the meal counter opens on it
    staff_name: str = ""  # who is at this laptop, written on meals and contacts
    retention_months: int = 0  # erase households closed longer than this (0 = off)
    idle_lock_minutes: int = 10  # the window locks after this long untouched; 0 = never
    risk: dict[str, int] = field(default_factory=dict)  # overrides of RiskSettings thresholds
    # automatic backups (services/backup.py reads these through policy_from_settings)
    backup_folder: str = ""  # "" = the data folder's backups/
    backup_second_folder: str = ""  # e.g. a USB stick; a missing one is only a warning
    backup_keep_daily: int = 7
    backup_keep_weekly: int = 4
    backup_encrypt: bool = False  # seal backups with the team passphrase (asked once per run)

    def idle_lock_ms(self) -> int:
        """Milliseconds before the idle lock (0 = off); junk in the file means the default."""
        value = self.idle_lock_minutes
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 24 * 60:
            value = 10
        return value * 60_000

    def risk_settings(self) -> RiskSettings:
        """The risk thresholds with this user's overrides; unknown or bad entries are ignored."""
        from evacsupport.services.risk import RiskSettings

        known: dict[str, int] = {}
        # The file is hand-editable: anything but a whole number >= 0 for a known name is junk.
        for key, value in (self.risk if isinstance(self.risk, dict) else {}).items():
            if key not in RiskSettings.__dataclass_fields__ or isinstance(value, bool):
                continue
            text = str(value).strip()
            if isinstance(value, int | str) and text.isdecimal():  # "１０" too; never "²" or "-1"
                known[key] = int(text)
        return RiskSettings(**known)

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls) -> Settings:
        """A missing or unreadable settings file gives the defaults, never a crash."""
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
        except (OSError, ValueError):
            raw = {}
        known = {k: v for k, v in raw.items() if k in cls.__dataclass_fields__}
        settings = cls(**known)
        if os.environ.get(ENV_LANG):
            settings.language = os.environ[ENV_LANG]
        return settings

    def save(self) -> None:
        path = self.path()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
