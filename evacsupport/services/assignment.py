"""Connecting households to venues they can reach and use: ranked suggestions for one household,
an optimal allocation for many, and the assignment history.

Hard constraints exclude a venue (inactive, full, an allergen of a member it cannot handle, no
wheelchair access for a member who needs it); soft ones rank the rest (distance first, then
whether it holds a session in the coming week, whether its kind suits the household, how full it
is). Every rank and exclusion carries its reason in words, because coordinators must be able to
explain a referral to the family and to the venue.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from evacsupport.db.engine import Database
from evacsupport.db.models import Assignment, Household, Member, Venue
from evacsupport.domain.codes import (
    AssignmentStatus,
    ConsentPurpose,
    ConsentRecipient,
    HouseholdStatus,
    VenueKind,
)
from evacsupport.domain.geo import haversine_km
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_text
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import EvacError, FieldErrors, NotFound
from evacsupport.i18n import current_language
from evacsupport.services.consents import allows
from evacsupport.services.households import load_household

NO_SESSION_PENALTY_KM = 5.0
KIND_PENALTY_KM = 1.0
FULLNESS_PENALTY_KM = 2.0
CHILD_AGE = 18


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


@dataclass(frozen=True)
class HouseholdNeeds:
    """What matching needs to know about a household, read once."""

    id: uuid.UUID
    case_number: str
    size: int
    latitude: float | None
    longitude: float | None
    allergens: frozenset[str]
    wheelchair: bool
    children: int
    consent_ok: bool
    current_venue_id: uuid.UUID | None


@dataclass(frozen=True)
class VenueFacts:
    id: uuid.UUID
    name: str
    kind: str
    latitude: float | None
    longitude: float | None
    capacity: int
    assigned_people: int
    assigned_households: int
    weekdays: frozenset[int]
    allergens: frozenset[str]
    wheelchair: bool
    active: bool

    @property
    def free(self) -> int:
        return self.capacity - self.assigned_people


@dataclass(frozen=True)
class Suggestion:
    venue: VenueFacts
    distance_km: float | None
    sessions_next_week: int
    excluded: bool
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class SuggestionResult:
    household: HouseholdNeeds
    suggestions: list[Suggestion]
    problem: str = ""  # why nothing can be suggested (no coordinates, no consent)

    @property
    def ranked(self) -> list[Suggestion]:
        return [s for s in self.suggestions if not s.excluded]


@dataclass(frozen=True)
class Placement:
    household: HouseholdNeeds
    venue: VenueFacts
    distance_km: float
    reason: str


@dataclass
class AllocationPlan:
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[tuple[HouseholdNeeds, str]] = field(default_factory=list)
    optimal: bool = True
    gap: float = 0.0

    @property
    def total_km(self) -> float:
        return sum(p.distance_km for p in self.placements)


# --- reading the facts --------------------------------------------------------------------------
def venue_facts(session: Session) -> list[VenueFacts]:
    people = (
        select(Member.household_id, func.count().label("n"))
        .where(Member.deleted_at.is_(None))
        .group_by(Member.household_id)
        .subquery()
    )
    loads = {
        venue_id: (int(n or 0), int(h or 0))
        for venue_id, n, h in session.execute(
            select(Assignment.venue_id, func.sum(people.c.n), func.count())
            .join(people, people.c.household_id == Assignment.household_id)
            .join(Household, Household.id == Assignment.household_id)
            .where(
                Assignment.status == AssignmentStatus.ACTIVE,
                Assignment.deleted_at.is_(None),
                Household.deleted_at.is_(None),
            )
            .group_by(Assignment.venue_id)
        )
    }
    venues = session.scalars(
        select(Venue).where(Venue.deleted_at.is_(None)).order_by(Venue.name)
    ).all()
    return [
        VenueFacts(
            id=v.id,
            name=v.name,
            kind=v.kind,
            latitude=v.latitude,
            longitude=v.longitude,
            capacity=v.capacity,
            assigned_people=loads.get(v.id, (0, 0))[0],
            assigned_households=loads.get(v.id, (0, 0))[1],
            weekdays=frozenset(int(s["weekday"]) for s in v.schedule),
            allergens=frozenset(v.allergens_handled),
            wheelchair=v.wheelchair_access,
            active=v.active,
        )
        for v in venues
    ]


def _needs(household: Household, today: date) -> HouseholdNeeds:
    members = household.current_members
    adult_born_before = date(today.year - CHILD_AGE, today.month, min(today.day, 28))
    active = household.active_assignment
    return HouseholdNeeds(
        id=household.id,
        case_number=household.case_number,
        size=len(members),
        latitude=household.latitude,
        longitude=household.longitude,
        allergens=frozenset(a for m in members for a in m.allergens),
        wheelchair=any(m.needs_wheelchair for m in members),
        children=sum(1 for m in members if m.birth_date and m.birth_date > adult_born_before),
        consent_ok=allows(
            household.current_consent,
            today,
            purpose=ConsentPurpose.VENUE_CONNECTION,
            recipient=ConsentRecipient.ASSIGNED_VENUE,
        ),
        current_venue_id=active.venue_id if active else None,
    )


def _household_query() -> object:
    return select(Household).options(
        selectinload(Household.members),
        selectinload(Household.consents),
        selectinload(Household.assignments),
    )


# --- the rules ---------------------------------------------------------------------------------
def sessions_in_week(venue: VenueFacts, today: date) -> int:
    """Sessions from tomorrow through the next seven days."""
    return sum(1 for i in range(1, 8) if (today + timedelta(days=i)).weekday() in venue.weekdays)


def hard_exclusions(household: HouseholdNeeds, venue: VenueFacts) -> list[str]:
    reasons = []
    if not venue.active:
        reasons.append(_t("休止中の会場", "The venue is paused"))
    already_here = household.current_venue_id == venue.id
    if not already_here and venue.free < household.size:
        reasons.append(
            _t(
                f"満員（定員{venue.capacity}人のうち{venue.assigned_people}人が利用中、"
                f"この世帯は{household.size}人）",
                f"Full ({venue.assigned_people} of {venue.capacity} places taken; "
                f"household of {household.size})",
            )
        )
    missing = sorted(household.allergens - venue.allergens)
    if missing:
        reasons.append(
            _t(
                f"アレルギーに対応できない：{'、'.join(missing)}",
                f"Cannot cater for allergens: {', '.join(missing)}",
            )
        )
    if household.wheelchair and not venue.wheelchair:
        reasons.append(_t("車椅子で利用できない", "Not wheelchair accessible"))
    if venue.latitude is None or venue.longitude is None:
        reasons.append(_t("会場の位置が未登録", "The venue has no coordinates"))
    return reasons


def rank(household: HouseholdNeeds, venue: VenueFacts, today: date) -> Suggestion:
    excluded = hard_exclusions(household, venue)
    distance = None
    if None not in (household.latitude, household.longitude, venue.latitude, venue.longitude):
        distance = haversine_km(
            household.latitude,
            household.longitude,
            venue.latitude,
            venue.longitude,  # type: ignore[arg-type]
        )
    sessions = sessions_in_week(venue, today)
    if excluded:
        return Suggestion(venue, distance, sessions, True, float("inf"), tuple(excluded))
    assert distance is not None
    score = distance
    reasons = [_t(f"直線距離 {distance:.1f} km", f"{distance:.1f} km in a straight line")]
    if sessions:
        reasons.append(
            _t(f"今後1週間に{sessions}回開催", f"{sessions} sessions in the coming week")
        )
    else:
        score += NO_SESSION_PENALTY_KM
        reasons.append(_t("今後1週間は開催なし", "No session in the coming week"))
    if household.children and venue.kind != VenueKind.KODOMO_SHOKUDO:
        score += KIND_PENALTY_KM
        reasons.append(_t("子どもがいる世帯にはこども食堂が優先", "Children: kodomo shokudo first"))
    elif household.children:
        reasons.append(_t("こども食堂（子どもがいる世帯向き）", "Kodomo shokudo suits children"))
    fullness = venue.assigned_people / venue.capacity if venue.capacity else 1.0
    score += FULLNESS_PENALTY_KM * fullness
    reasons.append(
        _t(
            f"空き{venue.free}人（定員{venue.capacity}人）",
            f"{venue.free} of {venue.capacity} places free",
        )
    )
    if household.allergens:
        reasons.append(_t("アレルギーに対応可", "Caters for the household's allergens"))
    if household.wheelchair:
        reasons.append(_t("車椅子で利用可", "Wheelchair accessible"))
    return Suggestion(venue, distance, sessions, False, score, tuple(reasons))


def suggestions_for(
    household: HouseholdNeeds, venues: Iterable[VenueFacts], today: date
) -> SuggestionResult:
    if household.latitude is None or household.longitude is None:
        problem = _t(
            "現住所の緯度経度が未登録のため、距離で会場を選べません。世帯の「緯度経度」を入力してください",
            "The household has no coordinates, so venues cannot be ranked by distance; "
            "enter its coordinates",
        )
        return SuggestionResult(household, [], problem)
    ranked = sorted(
        (rank(household, v, today) for v in venues),
        key=lambda s: (s.excluded, s.score, s.venue.name),
    )
    problem = ""
    if not household.consent_ok:
        problem = _t(
            "会場への紹介に同意がありません（利用目的「居場所への紹介」と提供先「利用する会場」が必要）",
            "No consent to refer this household to a venue (needs the purpose “connection to a "
            "community place” and the recipient “the assigned venue”)",
        )
    return SuggestionResult(household, ranked, problem)


def _why_none(options: Sequence[Suggestion]) -> str:
    """Why no venue fits, in one line: the nearest venue's reasons and how many others fail."""
    by_distance = sorted(options, key=lambda s: (s.distance_km is None, s.distance_km or 0.0))
    if not by_distance:
        return _t("会場が登録されていない", "No venues are registered")
    nearest = by_distance[0]
    where = f"{nearest.venue.name}" + (
        f"（{nearest.distance_km:.1f} km）" if nearest.distance_km is not None else ""
    )
    text = f"{where}：{'、'.join(nearest.reasons)}"
    if len(by_distance) > 1:
        text += _t(
            f"。ほか{len(by_distance) - 1}会場も条件に合わない",
            f"; {len(by_distance) - 1} other venues do not fit either",
        )
    return text


# --- allocation --------------------------------------------------------------------------------
def solve_allocation(
    households: Sequence[HouseholdNeeds],
    venues: Sequence[VenueFacts],
    today: date,
    *,
    candidates: int = 12,
    time_limit: float = 10.0,
) -> AllocationPlan:
    """Place as many people as possible, then minimise the total distance, never overfilling.

    Households are whole (a family is never split between venues), which makes this a
    generalised assignment problem: it is solved as a 0/1 integer programme by HiGHS (through
    ``scipy.optimize.milp``). Small and ordinary caseloads are solved to proven optimality; a huge
    oversubscribed one may stop at ``time_limit`` with the best plan found and its proven gap.
    """
    import numpy as np
    from scipy.optimize import Bounds, LinearConstraint, milp
    from scipy.sparse import coo_matrix

    plan = AllocationPlan()
    edges: list[tuple[int, int, float]] = []
    placeable: list[HouseholdNeeds] = []
    for household in households:
        if not household.consent_ok:
            plan.unplaced.append(
                (household, _t("会場への紹介に同意がない", "No consent for referral"))
            )
            continue
        if household.latitude is None or household.longitude is None:
            plan.unplaced.append((household, _t("緯度経度が未登録", "No coordinates")))
            continue
        options = [rank(household, v, today) for v in venues]
        usable = sorted((s for s in options if not s.excluded), key=lambda s: s.score)
        if not usable:
            plan.unplaced.append((household, _why_none(options)))
            continue
        index = len(placeable)
        placeable.append(household)
        for suggestion in usable[:candidates]:
            edges.append((index, venues.index(suggestion.venue), suggestion.score))
    if not edges:
        return plan
    rows = np.array([e[0] for e in edges])
    cols = np.array([e[1] for e in edges])
    score = np.array([e[2] for e in edges])
    size = np.array([h.size for h in placeable], dtype=float)
    big = float(score.max()) + 1.0
    # Each placed person is worth more than any distance saved, so the solver first places as
    # many people as fit and only then shortens the journeys.
    cost = (score - big) * size[rows]
    n = len(edges)
    one_venue = coo_matrix((np.ones(n), (rows, np.arange(n))), shape=(len(placeable), n))
    seats = coo_matrix((size[rows], (cols, np.arange(n))), shape=(len(venues), n))
    free = np.array([max(v.free, 0) for v in venues], dtype=float)
    result = milp(
        cost,
        constraints=[
            LinearConstraint(one_venue.tocsr(), 0, 1),
            LinearConstraint(seats.tocsr(), 0, free),
        ],
        integrality=np.ones(n),
        bounds=Bounds(0, 1),
        options={"time_limit": time_limit, "mip_rel_gap": 0.0, "disp": False},
    )
    if result.x is None:
        raise EvacError("assignment.solver_failed", detail=str(result.message))
    plan.optimal = result.status == 0
    plan.gap = float(getattr(result, "mip_gap", 0.0) or 0.0)
    chosen = result.x > 0.5
    placed: set[int] = set()
    for (h, v, _score), take in zip(edges, chosen, strict=True):
        if not take:
            continue
        placed.add(h)
        household, venue = placeable[h], venues[v]
        suggestion = rank(household, venue, today)
        plan.placements.append(
            Placement(
                household, venue, suggestion.distance_km or 0.0, "、".join(suggestion.reasons)
            )
        )
    for index, household in enumerate(placeable):
        if index not in placed:
            plan.unplaced.append(
                (
                    household,
                    _t("近くの会場に空きがない", "No free places at the venues within reach"),
                )
            )
    plan.placements.sort(key=lambda p: p.household.case_number)
    plan.unplaced.sort(key=lambda u: u[0].case_number)
    return plan


# --- the service -------------------------------------------------------------------------------
class AssignmentService:
    def __init__(self, db: Database) -> None:
        self.db = db

    def venues(self) -> list[VenueFacts]:
        with self.db.read() as session:
            return venue_facts(session)

    def suggest(self, household_id: uuid.UUID, today: date | None = None) -> SuggestionResult:
        today = today or date.today()
        with self.db.read() as session:
            household = load_household(session, household_id)
            return suggestions_for(_needs(household, today), venue_facts(session), today)

    def plan(self, today: date | None = None, *, time_limit: float = 10.0) -> AllocationPlan:
        """A dry run: who would go where and why; nothing is written."""
        today = today or date.today()
        with self.db.read() as session:
            households = session.scalars(
                _household_query()
                .where(  # type: ignore[attr-defined]
                    Household.deleted_at.is_(None),
                    Household.status == HouseholdStatus.ACTIVE,
                    ~Household.assignments.any(
                        (Assignment.status == AssignmentStatus.ACTIVE)
                        & Assignment.deleted_at.is_(None)
                    ),
                )
                .order_by(Household.case_number)
            ).all()
            needs = [_needs(h, today) for h in households]
            venues = venue_facts(session)
        return solve_allocation(needs, venues, today, time_limit=time_limit)

    def apply(self, plan: AllocationPlan, today: date | None = None, reason: str = "") -> int:
        """Write a confirmed plan in one transaction; refused whole if anything changed since."""
        today = today or date.today()
        with self.db.session() as session:
            venues = {v.id: v for v in venue_facts(session)}
            used: dict[uuid.UUID, int] = {}
            for placement in plan.placements:
                venue = venues.get(placement.venue.id)
                used[placement.venue.id] = (
                    used.get(placement.venue.id, 0) + placement.household.size
                )
                if venue is None or used[venue.id] > venue.free:
                    raise EvacError("assignment.plan_stale")
                household = load_household(session, placement.household.id)
                if household.active_assignment is not None:
                    raise EvacError("assignment.plan_stale")
                session.add(
                    Assignment(
                        household=household,
                        venue_id=venue.id,
                        start_on=today,
                        reason=reason
                        or _t("一括割り当て：", "Bulk allocation: ") + placement.reason,
                    )
                )
        return len(plan.placements)

    def assign(
        self,
        household_id: uuid.UUID,
        venue_id: uuid.UUID,
        *,
        start_on: date | str | None = None,
        reason: str = "",
        today: date | None = None,
    ) -> Assignment:
        """Assign (or reassign: the current assignment ends the day the new one starts)."""
        today = today or date.today()
        errors = FieldErrors()
        start = errors.check("start_on", parse_date, start_on or today)
        if start is not None and start > today + timedelta(days=60):
            errors.add("start_on", "date.future")
        reason = clean_text(reason)
        errors.check("reason", limit_length, reason, 500)
        errors.raise_if_any()
        assert start is not None
        with self.db.session() as session:
            household = load_household(session, household_id)
            needs = _needs(household, today)
            if not needs.consent_ok:
                raise EvacError("assignment.no_consent")
            venue = next((v for v in venue_facts(session) if v.id == venue_id), None)
            if venue is None:
                raise NotFound("venue.not_found", value=str(venue_id))
            blocking = hard_exclusions(needs, venue)
            if blocking:
                raise EvacError("assignment.not_suitable", reasons="、".join(blocking))
            current = household.active_assignment
            if current is not None:
                if current.venue_id == venue_id:
                    raise EvacError("assignment.already", venue=venue.name)
                if start < current.start_on:
                    raise EvacError("date.order")
                current.status = AssignmentStatus.ENDED
                current.end_on = start
                current.end_reason = reason or _t("別の会場へ変更", "Moved to another venue")
            assignment = Assignment(
                household=household, venue_id=venue_id, start_on=start, reason=reason
            )
            session.add(assignment)
            session.flush()
            return assignment

    def end(
        self, household_id: uuid.UUID, *, end_on: date | str | None = None, reason: str = ""
    ) -> Assignment:
        errors = FieldErrors()
        end = errors.check("end_on", parse_date, end_on or date.today())
        reason = clean_text(reason)
        if not reason:
            errors.add("reason", "value.required")
        errors.raise_if_any()
        assert end is not None
        with self.db.session() as session:
            household = load_household(session, household_id)
            current = household.active_assignment
            if current is None:
                raise EvacError("assignment.none")
            if end < current.start_on:
                raise EvacError("date.order")
            current.status = AssignmentStatus.ENDED
            current.end_on = end
            current.end_reason = reason
            return current
