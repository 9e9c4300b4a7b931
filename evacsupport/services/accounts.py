"""Accounts: who may sign in, with which role, and the checks around a sign-in.

Passwords are stored as scrypt hashes (memory-hard, in Python's standard library) at today's
recommended cost, and a hash made at a lower one is raised at its next successful sign-in; five
wrong passwords in a row lock the account for fifteen minutes, so a lost laptop cannot be opened
by guessing. A database with no accounts yet is open (first start, tests): the first account made
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
from typing import cast

from sqlalchemy import Table, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.failures import unique_violation
from evacsupport.db.models import Household, Member, User, Venue
from evacsupport.domain.codes import Role, parse_choice
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_name, clean_text
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, FieldErrors, ValidationError
from evacsupport.services import audit
from evacsupport.services.authz import gate, ungated

MIN_PASSWORD = 8
DISPLAY_NAME_MAX = 100  # the width of app_user.display_name
MAX_FAILURES = 5
LOCK_MINUTES = 15
LOCK_FOR = timedelta(minutes=LOCK_MINUTES)


@dataclass(frozen=True)
class ScryptCost:
    """scrypt's work factors, as each stored hash records them: ``n`` (CPU and memory, a power
    of two), ``r`` (block size), ``p`` (parallelism)."""

    n: int
    r: int
    p: int

    @property
    def memory(self) -> int:
        """Bytes one hash needs, OpenSSL's own sum (its ``maxmem`` check): 128·r·(n + p + 2).
        hashlib refuses anything over 32 MiB unless told, and the recommended cost is 128."""
        return 128 * self.r * (self.n + self.p + 2)

    def below(self, other: ScryptCost) -> bool:
        """Weaker than ``other`` in any factor: a hash at this cost is raised at sign-in."""
        return self.n < other.n or self.r < other.r or self.p < other.p

    def __str__(self) -> str:
        return f"{self.n}${self.r}${self.p}"


RECOMMENDED = ScryptCost(n=2**17, r=8, p=1)
"""OWASP's password storage recommendation for scrypt: 128 MiB and about half a second a hash
here, eight times the work and memory of the n=2**14 (16 MiB) of earlier versions, whose hashes
still sign in and are raised then. Guessing from a stolen database file gets that much slower."""

MAX_MEMORY = 4 * RECOMMENDED.memory
"""The most a stored hash may ask for (512 MiB): room for a later, stronger default, but a
damaged or hostile hash (from a merged package) cannot make one sign-in take gigabytes."""

HASH_COST: ScryptCost = RECOMMENDED
"""The cost of every new hash, and the cost older hashes are raised to at their next sign-in.

The app never changes it. The test suite lowers it, in ``tests/conftest.py`` (as Django's test
settings swap in a fast hasher): hundreds of tests create accounts and sign in, each demo
database has four accounts, and at the real cost every one of those hashes would take half a
second and 128 MiB. ``tests/services/test_accounts.py`` puts :data:`RECOMMENDED` back for the
test of the real parameters."""


def _scrypt(password: str, salt: bytes, cost: ScryptCost, length: int = 32) -> bytes:
    return hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=cost.n, r=cost.r, p=cost.p, dklen=length,
        maxmem=cost.memory,
    )  # fmt: skip


def _encode(cost: ScryptCost, salt: bytes, digest: bytes) -> str:
    salt_text, digest_text = base64.b64encode(salt).decode(), base64.b64encode(digest).decode()
    return f"scrypt${cost}${salt_text}${digest_text}"


def _decode(stored: str) -> tuple[ScryptCost, bytes, bytes] | None:
    """``scrypt$n$r$p$salt$digest`` taken apart; None when it is not one of ours."""
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return None
        return ScryptCost(int(n), int(r), int(p)), base64.b64decode(salt), base64.b64decode(digest)
    except (ValueError, TypeError):  # binascii.Error is a ValueError
        return None


def hash_password(password: str) -> str:
    """A new hash at :data:`HASH_COST` with a fresh salt; the cost travels inside the string."""
    salt = os.urandom(16)
    return _encode(HASH_COST, salt, _scrypt(password, salt, HASH_COST))


def _decoy_hash() -> str:
    """A hash no password matches, at today's cost: checking a password against it takes the
    same time as against a real account's, so the time to answer says nothing either."""
    return _encode(HASH_COST, os.urandom(16), os.urandom(32))


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` made ``stored``, at the cost ``stored`` names (old hashes too)."""
    parts = _decode(stored)
    if parts is None:
        return False
    cost, salt, expected = parts
    if not expected or cost.memory > MAX_MEMORY:
        return False
    try:
        got = _scrypt(password, salt, cost, len(expected))
    except (ValueError, MemoryError):  # n not a power of two, r·p too large, out of memory
        return False
    return hmac.compare_digest(got, expected)


def needs_rehash(stored: str) -> bool:
    """True for a hash made at a lower cost than :data:`HASH_COST` (raised at sign-in)."""
    parts = _decode(stored)
    return parts is not None and parts[0].below(HASH_COST)


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
    try:
        session.flush()
    except IntegrityError as exc:  # the same name added meanwhile (two administrators at once)
        if unique_violation(exc) != "app_user.username":
            raise
        errors.add("username", "auth.username_taken", value=name)
        raise ValidationError(errors.errors) from exc
    return AccountService._info(user, clean_text(venue) if venue_id else "")


class AccountService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @ungated("asked before anyone can sign in: whether there is anyone to sign in as")
    def has_accounts(self) -> bool:
        with self.db.read() as session:
            return bool(session.scalar(select(func.count()).select_from(User)))

    @ungated("asked before anyone can sign in: a yes or no, no record is read out")
    def holds_personal_data(self) -> bool:
        """Whether anyone's records are stored: households or members, removed ones included
        (removal keeps the row). With no account yet, such a database must get its first
        administrator before anything opens it; only an empty one is a first start."""
        with self.db.read() as session:
            return any(
                session.scalar(select(model.id).limit(1)) is not None
                for model in (Household, Member)
            )

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

    @ungated("signing in itself: the password is the check, with lock-out and audit")
    def authenticate(self, username: str, password: str, now: datetime | None = None) -> Principal:
        """The account, if the password is right; counts failures and locks after five.

        Every refusal gives the person at the keyboard the same words, and takes the same
        work (one scrypt), whether the name is unknown, the account disabled or locked, or the
        password wrong: a count of tries left, or "locked", only for names that exist would
        tell a guesser which names do. The lock itself still holds (even the right password is
        refused while it lasts), and the audit trail keeps why each attempt failed.
        """
        now = now or utcnow()
        name = clean_text(username).lower()
        with self.db.session() as session:
            user = session.scalar(select(User).where(User.username == name))
            right = verify_password(password, user.password_hash if user else _decoy_hash())
            if user is None:
                audit.record(session, "login_failed", username=name,
                             changes={"username": name[:64], "reason": "unknown_user"})  # fmt: skip
            elif not user.active or user.deleted_at is not None:
                self._failed(session, user, "disabled")
            elif user.locked_until is not None and user.locked_until > now:
                self._failed(session, user, "locked", locked_until=user.locked_until)
            elif not right:
                user.failed_logins += 1
                if user.failed_logins >= MAX_FAILURES:
                    user.locked_until = now + LOCK_FOR
                    user.failed_logins = 0
                    self._failed(session, user, "wrong_password", locked_until=user.locked_until)
                else:
                    self._failed(session, user, "wrong_password", failures=user.failed_logins)
            else:
                if user.failed_logins or user.locked_until:
                    user.failed_logins, user.locked_until = 0, None
                raised = self._raise_cost(session, user, password)
                audit.record(session, "login", entity="app_user", entity_id=user.id,
                             username=name, changes=raised)  # fmt: skip
                return Principal(user.username, user.display_name, Role(user.role), user.venue_id)
        raise EvacError("auth.failed", tries=MAX_FAILURES, minutes=LOCK_MINUTES)

    @staticmethod
    def _raise_cost(session: Session, user: User, password: str) -> dict[str, str]:
        """Rehash a password stored at a lower cost than today's, now that it is known to be
        right; what changed, for the sign-in's audit entry (nothing when it was current).

        Written past the ORM on purpose, so the sync capture does not log it: the account on
        each laptop is raised at its own next sign-in there. Logged, the new hash would travel
        as an edit of the password, and a venue laptop's sign-in stamped after an office reset
        of the same password (not yet seen there) would win the merge and bring the old
        password back.
        """
        old = _decode(user.password_hash)
        if old is None or not old[0].below(HASH_COST):
            return {}
        new = hash_password(password)
        table = cast(Table, User.__table__)
        session.connection().execute(
            update(table).where(table.c.id == user.id).values(password_hash=new)
        )
        set_committed_value(user, "password_hash", new)
        return {"hash_cost": f"{old[0]} → {HASH_COST}"}

    @staticmethod
    def _failed(session: Session, user: User, reason: str, **detail: object) -> None:
        """The audit entry of a refused sign-in: why, for the administrator's eyes only."""
        changes: dict[str, object] = {"reason": reason}
        for key, value in detail.items():
            changes[key] = value.isoformat() if isinstance(value, datetime) else value
        audit.record(session, "login_failed", entity="app_user", entity_id=user.id,
                     username=user.username, changes=changes)  # fmt: skip

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
