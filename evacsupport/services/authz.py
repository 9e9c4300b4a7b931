"""Refusing what the signed-in role may not do, in the services (so the CLI and GUI agree)."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from evacsupport.db.engine import Database
from evacsupport.domain.codes import Role, label
from evacsupport.domain.roles import Permission, allowed
from evacsupport.errors import EvacError


def can(db: Database, permission: Permission) -> bool:
    return allowed(db.role, permission)


def require(db: Database, permission: Permission) -> None:
    """Raise ``auth.forbidden`` naming the role when the signed-in user may not do this."""
    if not allowed(db.role, permission):
        role = label(Role(db.role)) if db.role in set(Role) else str(db.role)
        raise EvacError("auth.forbidden", role=role)


def require_venue(db: Database, venue_id: uuid.UUID | None) -> None:
    """Venue staff work only at their own venue's counter and roster."""
    if db.venue_scope is not None and venue_id != db.venue_scope:
        raise EvacError("auth.other_venue")


class _HasDb(Protocol):
    db: Database


P = ParamSpec("P")
R = TypeVar("R")
S = TypeVar("S", bound=_HasDb)


def requires(
    permission: Permission,
) -> Callable[[Callable[Concatenate[S, P], R]], Callable[Concatenate[S, P], R]]:
    """Method decorator for service classes holding ``self.db``."""

    def wrap(method: Callable[Concatenate[S, P], R]) -> Callable[Concatenate[S, P], R]:
        @functools.wraps(method)
        def checked(self: S, /, *args: P.args, **kwargs: P.kwargs) -> R:
            require(self.db, permission)
            return method(self, *args, **kwargs)

        return checked

    return wrap
