"""Accounts: who may sign in, with which role, and the checks around a sign-in.

Passwords are stored as scrypt hashes (memory-hard, in Python's standard library); five wrong
passwords in a row lock the account for fifteen minutes, so a lost laptop cannot be opened by
guessing. A database with no accounts yet is open (first start, tests): the first account made
must be an administrator, and from then on everyone signs in.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.models import User, Venue
from evacsupport.domain.codes import Role, parse_choice
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_name, clean_text
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, FieldErrors
from evacsupport.services import audit
from evacsupport.services.authz import gate, ungated

MIN_PASSWORD = 8
DISPLAY_NAME_MAX = 100  # the width of app_user.display_name
MAX_FAILURES = 5
LOCK_FOR = timedelta(minutes=15)
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # 16 MiB, about 50 ms per try


def hash_password(password: str) -> str:
    salt = os.urandom(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, dklen=32, **_SCRYPT)
    params = f"{_SCRYPT['n']}${_SCRYPT['r']}${_SCRYPT['p']}"
    salt_text, digest_text = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"scrypt${params}${salt_text}${digest_text}"


def verify_password(password: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(
            password.encode("utf-8"), salt=base64.b64decode(salt), dklen=len(expected),
            n=int(n), r=int(r), p=int(p),
        )  # fmt: skip
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


@dataclass(frozen=True)
class Principal:
    """The signed-in person."""

    username: str
    display_name: str
    role: Role
    venue_id: uuid.UUID | None


@dataclass(frozen=True)
class AccountInfo:
    id: uuid.UUID
    username: str
    display_name: str
    role: Role
    venue: str
    active: bool
    locked_until: datetime | None


@ungated("records who authenticate() let in; a Principal comes only from authenticate()")
def sign_in(db: Database, who: Principal) -> None:
    """From now on this database saves as ``who`` and refuses what the role may not do."""
    db.actor = who.username
    db.role = who.role
    db.venue_scope = who.venue_id if who.role == Role.VENUE_STAFF else None


def check_new_password(errors: FieldErrors, password: str, confirm: str | None = None) -> None:
    if len(password) < MIN_PASSWORD:
        errors.add("password", "auth.password_short", min=MIN_PASSWORD)
    elif confirm is not None and password != confirm:
        errors.add("confirm", "auth.password_mismatch")


def add_account(
    session: Session,
    username: str,
    password: str,
    role: str,
    *,
    display_name: str = "",
    venue: str = "",
    confirm: str | None = None,
    enforce_policy: bool = True,
) -> AccountInfo:
    """Validate and add an account inside the caller's transaction (the demo writes its
    accounts with its data, so a demo cut short leaves neither)."""
    errors = FieldErrors()
    name = clean_text(username).lower()
    if not name:
        errors.add("username", "value.required")
    elif len(name) > 64 or not all(c.isalnum() or c in "._-" for c in name):
        errors.add("username", "auth.username_format")
    shown = errors.check("display_name", clean_name, display_name)
    if shown:
        errors.check("display_name", limit_length, shown, DISPLAY_NAME_MAX)
    chosen = errors.check("role", parse_choice, Role, role)
    if enforce_policy:
        check_new_password(errors, password, confirm)
    errors.raise_if_any()
    first = not session.scalar(select(func.count()).select_from(User))
    if first and chosen != Role.ADMIN:
        raise EvacError("auth.first_must_be_admin")
    if session.scalar(select(User.id).where(User.username == name)):
        errors.add("username", "auth.username_taken", value=name)
        errors.raise_if_any()
    venue_id = None
    if chosen == Role.VENUE_STAFF:
        venue_id = session.scalar(select(Venue.id).where(Venue.name == clean_text(venue)))
        if venue_id is None:
            errors.add("venue", "auth.venue_required")
            errors.raise_if_any()
    user = User(
        username=name,
        display_name=shown or name,
        role=str(chosen),
        password_hash=hash_password(password),
        venue_id=venue_id,
        active=True,
        failed_logins=0,
    )
    session.add(user)
    session.flush()
    return AccountService._info(user, clean_text(venue) if venue_id else "")


class AccountService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @ungated("asked before anyone can sign in: whether there is anyone to sign in as")
    def has_accounts(self) -> bool:
        with self.db.read() as session:
            return bool(session.scalar(select(func.count()).select_from(User)))

    @gate(Permission.ACCOUNTS)
    def create(
        self,
        username: str,
        password: str,
        role: str,
        *,
        display_name: str = "",
        venue: str = "",
        confirm: str | None = None,
        enforce_policy: bool = True,
    ) -> AccountInfo:
        """A new account; the first one must be an administrator, later ones need one signed in
        (the gate lets a database without accounts make its first).

        ``enforce_policy=False`` only for the demo accounts, whose password is the word "demo".
        """
        with self.db.session() as session:
            return add_account(
                session, username, password, role, display_name=display_name, venue=venue,
                confirm=confirm, enforce_policy=enforce_policy,
            )  # fmt: skip

    @ungated("signing in itself")
    def authenticate(self, username: str, password: str, now: datetime | None = None) -> Principal:
        """The account, if the password is right; counts failures and locks after five."""
        now = now or utcnow()
        name = clean_text(username).lower()
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == name))
            if user is None or not user.active or user.deleted_at is not None:
                verify_password(password, hash_password("timing"))  # same work either way
                audit.record(session, "login_failed", changes={"username": name[:64]},
                             username=name)  # fmt: skip
                failure = EvacError("auth.failed")
            elif user.locked_until is not None and user.locked_until > now:
                audit.record(session, "login_failed", entity="app_user", entity_id=user.id,
                             username=name)  # fmt: skip
                failure = EvacError(
                    "auth.locked", until=user.locked_until.astimezone().strftime("%H:%M")
                )
            elif not verify_password(password, user.password_hash):
                user.failed_logins += 1
                left = MAX_FAILURES - user.failed_logins
                if left <= 0:
                    user.locked_until = now + LOCK_FOR
                    user.failed_logins = 0
                    failure = EvacError(
                        "auth.locked", until=user.locked_until.astimezone().strftime("%H:%M")
                    )
                else:
                    failure = EvacError("auth.failed_left", left=left)
                audit.record(session, "login_failed", entity="app_user", entity_id=user.id,
                             username=name)  # fmt: skip
            else:
                if user.failed_logins or user.locked_until:
                    user.failed_logins, user.locked_until = 0, None
                audit.record(session, "login", entity="app_user", entity_id=user.id,
                             username=name)  # fmt: skip
                return Principal(user.username, user.display_name, Role(user.role), user.venue_id)
        raise failure

    @gate(Permission.ACCOUNTS)
    def accounts(self) -> list[AccountInfo]:
        with self.db.read() as session:
            venues = {v: n for v, n in session.execute(select(Venue.id, Venue.name))}
            return [
                self._info(u, venues.get(u.venue_id, "") if u.venue_id else "")
                for u in session.scalars(select(User).order_by(User.username))
            ]

    @gate(Permission.ACCOUNTS)
    def set_password(self, username: str, password: str, confirm: str | None = None) -> None:
        """An administrator resets anyone's password (and lifts a lock)."""
        errors = FieldErrors()
        check_new_password(errors, password, confirm)
        errors.raise_if_any()
        with self.db.session() as session:
            user = self._get(session, username)
            user.password_hash = hash_password(password)
            user.failed_logins, user.locked_until = 0, None

    @gate(Permission.ACCOUNTS)
    def set_active(self, username: str, active: bool) -> None:
        with self.db.session() as session:
            user = self._get(session, username)
            if not active and user.username == self.db.actor:
                raise EvacError("auth.cannot_disable_self")
            user.active = active

    @staticmethod
    def _get(session: object, username: str) -> User:
        from sqlalchemy.orm import Session

        assert isinstance(session, Session)
        user = session.scalar(select(User).where(User.username == clean_text(username).lower()))
        if user is None:
            raise EvacError("auth.no_such_user", value=username)
        return user

    @staticmethod
    def _info(user: User, venue: str) -> AccountInfo:
        return AccountInfo(
            user.id, user.username, user.display_name, Role(user.role), venue, user.active,
            user.locked_until,
        )  # fmt: skip
