"""Refusing what the signed-in role may not do, in the services (so the CLI and GUI agree)."""

from __future__ import annotations

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
