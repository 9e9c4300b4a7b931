"""Who may do what. One table, read by the services (which refuse) and the UI (which hides).

Roles follow the people who use the app: administrators (accounts, audit, erasure, restore),
coordinators (the casework), venue staff (the counter and roster of their own venue, seeing only
case number, name and allergens) and viewers (aggregate reports only, no names).
"""

from __future__ import annotations

from enum import StrEnum

from evacsupport.domain.codes import Role


class Permission(StrEnum):
    CASEWORK = "casework"  # households, members, consent, visits, check-ins, follow-ups
    VENUES = "venues"  # the venue registry
    ASSIGN = "assign"
    COUNTER = "counter"  # log meals (own venue only for venue staff)
    ROSTER = "roster"  # venue roster and household cards of a venue
    AGGREGATE_REPORTS = "aggregate_reports"  # monthly and venue reports (no names)
    PERSONAL_REPORTS = "personal_reports"  # case summaries, personal-data exports
    IMPORT = "import"
    SYNC = "sync"
    BACKUP = "backup"
    RESTORE = "restore"
    ACCOUNTS = "accounts"
    AUDIT = "audit"
    ERASE = "erase"  # erasure on request and the retention purge


_COORDINATOR = {
    Permission.CASEWORK, Permission.VENUES, Permission.ASSIGN, Permission.COUNTER,
    Permission.ROSTER, Permission.AGGREGATE_REPORTS, Permission.PERSONAL_REPORTS,
    Permission.IMPORT, Permission.SYNC, Permission.BACKUP,
}  # fmt: skip

GRANTS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.COORDINATOR: frozenset(_COORDINATOR),
    Role.VENUE_STAFF: frozenset({Permission.COUNTER, Permission.ROSTER, Permission.SYNC}),
    Role.VIEWER: frozenset({Permission.AGGREGATE_REPORTS}),
}


def counts_permission(suppress_small: bool) -> Permission:
    """Counts of 1 to 4 can point at a person in a small town: printing them unsuppressed is
    personal data, not an aggregate."""
    return Permission.AGGREGATE_REPORTS if suppress_small else Permission.PERSONAL_REPORTS


def allowed(role: Role | str | None, permission: Permission) -> bool:
    """``None`` is a database with no accounts yet (first start, tests): everything is open."""
    if role is None:
        return True
    try:
        return permission in GRANTS[Role(role)]
    except ValueError:
        return False
