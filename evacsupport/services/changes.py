"""What a write changed, said precisely enough that a page refreshes only that.

A meal logged at the counter changes the activity of one household at one venue; the household
list then reloads that household's row and the dashboard its counters, not the whole caseload.
A bulk write (an import, a sync merge, a retention run) says which kinds of record changed with
no households named: every page showing those kinds reloads.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    HOUSEHOLD = "household"
    """A household's record, its members, consent or residence (and creation, erasure)."""
    VENUE = "venue"
    """A venue's record or its meal rules."""
    ASSIGNMENT = "assignment"
    """Who goes to which venue."""
    ACTIVITY = "activity"
    """Meals, visits, check-ins and follow-ups."""
    ACCOUNT = "account"
    """Accounts and roles."""


ALL_KINDS = frozenset(Kind)
FEW_HOUSEHOLDS = 500
"""Up to this many households named, a page reads their rows again; more, it reloads whole."""


@dataclass(frozen=True)
class Changes:
    """Kinds of record a write changed, and which households and venues it touched.

    ``households`` (or ``venues``) None means any of them may have changed.
    """

    kinds: frozenset[Kind]
    households: frozenset[uuid.UUID] | None = None
    venues: frozenset[uuid.UUID] | None = None

    @classmethod
    def of(
        cls,
        *kinds: Kind,
        households: Iterable[uuid.UUID | None] | None = None,
        venues: Iterable[uuid.UUID | None] | None = None,
    ) -> Changes:
        """``households``/``venues`` as written; None entries (a guest meal has no household)
        are left out."""
        return cls(
            frozenset(kinds),
            None if households is None else frozenset(h for h in households if h is not None),
            None if venues is None else frozenset(v for v in venues if v is not None),
        )

    @classmethod
    def everything(cls) -> Changes:
        """Anything may have changed (a restore, a sync merge, the window's reload)."""
        return cls(ALL_KINDS)

    def __or__(self, other: Changes) -> Changes:
        return Changes(
            self.kinds | other.kinds,
            _union(self.households, other.households),
            _union(self.venues, other.venues),
        )

    def concerns(self, kinds: Collection[Kind] | None) -> bool:
        """Whether a page showing ``kinds`` (every kind when None) has something to reload."""
        return bool(self.kinds) if kinds is None else not self.kinds.isdisjoint(kinds)

    def few_households(self) -> frozenset[uuid.UUID] | None:
        """The households named, when few enough to read again one by one; None when any or
        too many may have changed (reload the whole)."""
        named = self.households
        return named if named is not None and len(named) <= FEW_HOUSEHOLDS else None

    def concerns_household(self, household_id: uuid.UUID | None) -> bool:
        """Whether this household may be among those changed."""
        return self.households is None or household_id in self.households


def _union(
    a: frozenset[uuid.UUID] | None, b: frozenset[uuid.UUID] | None
) -> frozenset[uuid.UUID] | None:
    return None if a is None or b is None else a | b
