"""The gate every entry point passes: the signed-in role against ``domain.roles.GRANTS``.

One style everywhere: a public function or service method that reads personal data or writes
anything is decorated with :func:`gate` (the permission it needs), or with :func:`ungated` and
the reason it may stay open (signing in, say). The decorator checks before the body runs, so a
refused call has read and written nothing, and it records the permission on the function, so
``tests/services/test_role_matrix.py`` can find every entry point and try it with every role: a
new entry point without a gate fails the suite.

``db.role is None`` means nobody signed in. That is allowed only while the database has no
accounts at all (the first start of an empty database, and most tests); once an account exists,
an unsigned call is refused like a forbidden one.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy import func, select

from evacsupport.db.engine import Database
from evacsupport.domain.codes import Role, label
from evacsupport.domain.roles import Permission, allowed
from evacsupport.errors import EvacError

F = TypeVar("F", bound=Callable[..., Any])

GATE_ATTRIBUTE = "__evacsupport_gate__"
"""Set on every gated or deliberately ungated entry point: its :class:`Gate`."""


class Gate:
    """What an entry point needs: one permission, or (``permission is None``) nothing, because
    ``reason``. ``venue_scoped`` says that venue staff pass only for their own venue, which the
    body checks with :func:`require_venue` once it knows the venue; ``signed_in`` that any role
    passes but a call without a sign-in does not."""

    __slots__ = ("permission", "reason", "signed_in", "venue_scoped")

    def __init__(
        self,
        permission: Permission | Callable[..., Permission] | None,
        *,
        reason: str = "",
        venue_scoped: bool = False,
        signed_in: bool = False,
    ) -> None:
        self.permission = permission
        self.reason = reason
        self.venue_scoped = venue_scoped
        self.signed_in = signed_in or permission is not None

    def __repr__(self) -> str:
        return f"Gate({self.permission or 'open: ' + self.reason})"


def has_accounts(db: Database) -> bool:
    """Whether any account exists; remembered once true (accounts are never all removed)."""
    if db.accounts_exist:
        return True
    from evacsupport.db.models import User

    with db.read() as session:
        db.accounts_exist = bool(session.scalar(select(func.count()).select_from(User)))
    return db.accounts_exist


def role_name(role: str | None) -> str:
    return label(Role(role)) if role in set(Role) else str(role or "")


def can(db: Database, permission: Permission) -> bool:
    if db.role is None:
        return not has_accounts(db)
    return allowed(db.role, permission)


def require(db: Database, permission: Permission) -> None:
    """Raise ``auth.forbidden`` naming the role (or ``auth.sign_in_needed``) unless allowed.

    For checks that depend on the call's arguments (``--no-suppress``, a report's kind); the
    entry point itself carries a :func:`gate`."""
    if db.role is None:
        if has_accounts(db):
            raise EvacError("auth.sign_in_needed")
        return
    if not allowed(db.role, permission):
        raise EvacError("auth.forbidden", role=role_name(db.role))


def require_venue(db: Database, venue_id: uuid.UUID | None) -> None:
    """Venue staff work only at their own venue's counter and roster."""
    if db.venue_scope is not None and venue_id != db.venue_scope:
        raise EvacError("auth.other_venue")


def _database_of(target: object) -> Database:
    if isinstance(target, Database):
        return target
    db = getattr(target, "db", None)
    if isinstance(db, Database):
        return db
    raise TypeError(f"a gated entry point needs a Database or an object with .db, not {target!r}")


Needs = Permission | Callable[..., Permission]


def gate(permission: Needs, *, venue_scoped: bool = False) -> Callable[[F], F]:
    """Decorate an entry point whose first argument is the ``Database`` (or a service holding it
    as ``self.db``): the role is checked before the body runs.

    ``permission`` may be a function of the call's arguments (the same ones the entry point
    gets) when what is needed depends on them: a report's kind, say."""

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            needed = (
                permission if isinstance(permission, Permission) else permission(*args, **kwargs)
            )
            require(_database_of(args[0]), needed)
            return function(*args, **kwargs)

        if inspect.isgeneratorfunction(function):  # pragma: no cover - none today
            raise TypeError("gate a function that returns, not a generator")
        setattr(checked, GATE_ATTRIBUTE, Gate(permission, venue_scoped=venue_scoped))
        return checked  # type: ignore[return-value]

    return wrap


def any_role(reason: str) -> Callable[[F], F]:
    """An entry point every signed-in role may use (venues, say: no personal data, and venue
    staff see only their own): it still refuses a call nobody signed in for."""

    def wrap(function: F) -> F:
        @functools.wraps(function)
        def checked(*args: Any, **kwargs: Any) -> Any:
            db = _database_of(args[0])
            if db.role is None and has_accounts(db):
                raise EvacError("auth.sign_in_needed")
            return function(*args, **kwargs)

        setattr(checked, GATE_ATTRIBUTE, Gate(None, reason=reason, signed_in=True))
        return checked  # type: ignore[return-value]

    return wrap


def ungated(reason: str) -> Callable[[F], F]:
    """Mark an entry point that is open on purpose (signing in, the laptop's own name), with
    the reason, so the role matrix knows it was considered rather than forgotten."""

    def wrap(function: F) -> F:
        setattr(function, GATE_ATTRIBUTE, Gate(None, reason=reason))
        return function

    return wrap


def gate_of(function: object) -> Gate | None:
    return getattr(function, GATE_ATTRIBUTE, None)
