"""Connecting households to venues they can reach and use: ranked suggestions for one household,
an optimal allocation for many, and the assignment history.

Hard constraints exclude a venue (inactive, full, an allergen of a member it cannot handle, no
wheelchair access for a member who needs it, no coordinates); soft ones rank the rest (distance
first, then whether it holds a session in the coming week, whether its kind suits the household,
how full it is). Every rank and exclusion carries its reason in words, because coordinators must
be able to explain a referral to the family and to the venue.
"""

from __future__ import annotations

import math
import time
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any, cast

from sqlalchemy import Select, and_, case, func, select
from sqlalchemy.orm import Session, selectinload

from evacsupport.db.engine import Database
from evacsupport.db.models import Assignment, Consent, Household, Member, Venue
from evacsupport.domain.codes import (
    AssignmentStatus,
    ConsentPurpose,
    ConsentRecipient,
    HouseholdStatus,
    VenueKind,
)
from evacsupport.domain.geo import EARTH_RADIUS_KM, haversine_km
from evacsupport.domain.geocode import explain
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import clean_text
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import EvacError, FieldErrors, NotFound
from evacsupport.i18n import current_language
from evacsupport.services.authz import gate
from evacsupport.services.casefile import CaseChanges
from evacsupport.services.consents import allows, validate_consent
from evacsupport.services.households import load_household, validate_household
from evacsupport.services.places import (
    APPROXIMATE,
    Location,
    precision_label,
    why_no_point,
)

if TYPE_CHECKING:
    import numpy as np
    from numpy.typing import NDArray

NO_SESSION_PENALTY_KM = 5.0
KIND_PENALTY_KM = 1.0
FULLNESS_PENALTY_KM = 2.0
CHILD_AGE = 18
# The bulk allocation offers each household its CANDIDATES best suitable venues once the caseload
# has more than ALL_VENUES_UP_TO household–venue pairs; below that every suitable venue is offered.
CANDIDATES = 12
ALL_VENUES_UP_TO = 30_000
# Up to this many household–venue edges, a plan the relaxation does not prove optimal is solved
# exactly; when rounding, each venue with places left is offered its cheapest REPAIR_PER_VENUE
# unplaced households.
EXACT_EDGES = 3_000
REPAIR_PER_VENUE = 20
# Then, up to IMPROVE_EDGES edges (beyond, it was measured to gain nothing at a 5,000-household
# scale), neighbourhoods of NEIGHBOURHOOD venues are re-solved, each for at most IMPROVE_STEP
# seconds, for IMPROVE_SECONDS at most and not after IMPROVE_UNTIL of the time limit.
IMPROVE_EDGES = 30_000
NEIGHBOURHOOD = 6
IMPROVE_STEP = 0.5
IMPROVE_SECONDS = 1.5
IMPROVE_UNTIL = 0.7
# Solver time for the bulk allocation, kept under the 10 s target for the whole plan.
TIME_LIMIT = 8.0
# One household's suggestions: its SUGGESTIONS best suitable venues (with the unsuitable ones
# nearer than those); venues are read outwards from the household, first within FIRST_RADIUS_KM.
SUGGESTIONS = 30
FIRST_RADIUS_KM = 2.0
# Ids per IN (...) list: under SQLite's and PostgreSQL's parameter limits.
IN_CHUNK = 500


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
    # why consent does not allow a referral: "missing", "withdrawn", "expired", "not_covered"
    consent_issue: str = ""
    precision: str = ""  # where the point came from (services.places)
    no_point: str = ""  # why there is no point, in words (what the address lacks)

    @property
    def approximate(self) -> bool:
        """A point that stands for a postal area or a municipality, not a town."""
        return self.precision in APPROXIMATE


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

    @property
    def excluded(self) -> list[Suggestion]:
        return [s for s in self.suggestions if s.excluded]


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
    # The larger proven relative gap of the two stages (people placed, then distance); 0 when
    # optimal. 1.0 when the time ran out before the distances could be optimised at all.
    gap: float = 0.0
    # Venues offered to each household: None means every suitable venue.
    candidates: int | None = None

    @property
    def total_km(self) -> float:
        return sum(p.distance_km for p in self.placements)

    @property
    def placed_people(self) -> int:
        return sum(p.household.size for p in self.placements)


# --- reading the facts --------------------------------------------------------------------------
def _loads(
    session: Session, venue_ids: Sequence[uuid.UUID] | None = None
) -> dict[uuid.UUID, tuple[int, int]]:
    """People and households in active assignments, by venue (only ``venue_ids`` when given:
    that reads those venues' assignments through the venue index, not every assignment)."""
    query = (
        select(
            Assignment.venue_id,
            # the household column, not the id: the count then reads only the member index
            func.count(Member.household_id),
            func.count(func.distinct(Assignment.household_id)),
        )
        .join(Household, Household.id == Assignment.household_id)
        .outerjoin(
            Member,
            (Member.household_id == Assignment.household_id) & Member.deleted_at.is_(None),
        )
        .where(
            Assignment.status == AssignmentStatus.ACTIVE,
            Assignment.deleted_at.is_(None),
            Household.deleted_at.is_(None),
        )
        .group_by(Assignment.venue_id)
    )
    if venue_ids is None:
        chunks = [query]
    else:
        ids = list(venue_ids)
        chunks = [
            query.where(Assignment.venue_id.in_(ids[start : start + IN_CHUNK]))
            for start in range(0, len(ids), IN_CHUNK)
        ]
    return {
        venue_id: (int(people or 0), int(households or 0))
        for chunk in chunks
        for venue_id, people, households in session.execute(chunk)
    }


def _venue_rows(session: Session, *where: Any) -> list[VenueFacts]:
    """Venues not deleted matching ``where``, by name, without their loads (nobody assigned)."""
    rows = session.execute(
        select(
            Venue.id,
            Venue.name,
            Venue.kind,
            Venue.latitude,
            Venue.longitude,
            Venue.capacity,
            Venue.schedule,
            Venue.allergens_handled,
            Venue.wheelchair_access,
            Venue.active,
        )
        .where(Venue.deleted_at.is_(None), *where)
        .order_by(Venue.name)
    )
    return [
        VenueFacts(
            id=r.id,
            name=r.name,
            kind=r.kind,
            latitude=r.latitude,
            longitude=r.longitude,
            capacity=r.capacity,
            assigned_people=0,
            assigned_households=0,
            weekdays=frozenset(int(s["weekday"]) for s in r.schedule or ()),
            allergens=frozenset(r.allergens_handled or ()),
            wheelchair=bool(r.wheelchair_access),
            active=bool(r.active),
        )
        for r in rows
    ]


def _loaded(
    session: Session, venues: Sequence[VenueFacts], *, every: bool = False
) -> list[VenueFacts]:
    """The venues with the people and households now assigned to them (``every``: they are
    all the venues, so every assignment is counted in one pass)."""
    loads = _loads(session, None if every else [v.id for v in venues])
    return [
        replace(v, assigned_people=loads[v.id][0], assigned_households=loads[v.id][1])
        if v.id in loads
        else v
        for v in venues
    ]


def venue_facts(
    session: Session, *, venue_ids: Sequence[uuid.UUID] | None = None
) -> list[VenueFacts]:
    """Every venue not deleted (paused ones too, so they can be shown as excluded), by name;
    only those in ``venue_ids`` when given."""
    if venue_ids is None:
        return _loaded(session, _venue_rows(session), every=True)
    ids = list(venue_ids)
    rows = [
        v
        for start in range(0, len(ids), IN_CHUNK)
        for v in _venue_rows(session, Venue.id.in_(ids[start : start + IN_CHUNK]))
    ]
    rows.sort(key=lambda v: v.name)
    return _loaded(session, rows)


def _box(latitude: float, longitude: float, radius_km: float) -> list[Any] | None:
    """Conditions on :class:`Venue` keeping every venue within ``radius_km`` of the point (and
    some in the corners); None when that is the whole earth."""
    angle = radius_km / EARTH_RADIUS_KM
    if angle >= math.pi / 2:
        return None
    dlat = math.degrees(angle)
    where: list[Any] = [
        Venue.latitude.is_not(None),
        Venue.longitude.is_not(None),
        Venue.latitude.between(latitude - dlat, latitude + dlat),
    ]
    if abs(latitude) + dlat < 90:
        # the widest longitude difference of a spherical cap of that radius
        ratio = math.sin(angle) / math.cos(math.radians(latitude))
        if ratio < 1:
            dlon = math.degrees(math.asin(ratio))
            if longitude - dlon >= -180 and longitude + dlon <= 180:
                where.append(Venue.longitude.between(longitude - dlon, longitude + dlon))
    return where


def nearest_suggestions(
    session: Session, household: HouseholdNeeds, today: date, limit: int = SUGGESTIONS
) -> SuggestionResult:
    """What :func:`suggestions_for` says over every venue, cut short when there are more than
    ``limit`` venues: the ``limit`` best suitable venues, the unsuitable ones among the
    ``limit`` nearest (so that a coordinator can say why not the one next door), and the
    current venue. Those it returns are ranked, ordered and explained exactly as over every
    venue.

    Venues are read outwards from the household in growing boxes, first without their loads
    (one row each); a venue's score is at least its distance plus the penalties its row
    already shows, so only the venues that may rank, or are among the nearest, have the people
    assigned to them counted. Once ``limit`` suitable venues score no more than any venue not
    yet counted could, and than the radius read, no venue farther out can rank before them.
    """
    if household.latitude is None or household.longitude is None:
        return suggestions_for(household, [], today)
    located_venue = Venue.latitude.is_not(None) & Venue.longitude.is_not(None)
    total, located = session.execute(
        select(func.count(), func.count(case((located_venue, 1)))).where(Venue.deleted_at.is_(None))
    ).one()
    if total <= limit:
        return suggestions_for(household, venue_facts(session), today)
    lat, lon = household.latitude, household.longitude
    # Read so far: each venue without its load, its distance and the least score it can have
    # (None: excluded whatever its load); and the venues counted, as ranked.
    shells: dict[uuid.UUID, tuple[VenueFacts, float, float | None]] = {}
    counted: dict[uuid.UUID, Suggestion] = {}

    def count(venues: Iterable[VenueFacts]) -> None:
        todo = [v for v in venues if v.id not in counted]
        for venue in _loaded(session, todo) if todo else ():
            counted[venue.id] = rank(household, venue, today)

    radius = FIRST_RADIUS_KM
    read: list[Any] | None = None  # the box read so far
    while True:
        box = _box(lat, lon, radius * (1 + 1e-6) + 1e-6)  # a margin for rounding
        ring = [*(box or [located_venue])] + ([] if read is None else [~and_(*read)])
        for venue in _venue_rows(session, *ring):
            distance = haversine_km(lat, lon, venue.latitude, venue.longitude)  # type: ignore[arg-type]
            shells[venue.id] = (venue, distance, _least_score(household, venue, distance, today))
        read = box
        complete = box is None or len(shells) >= located
        reach = math.inf if complete else radius
        nearest = sorted(shells.values(), key=lambda s: (s[1], s[0].name, s[0].id.hex))[:limit]
        if not complete and (len(nearest) < limit or nearest[-1][1] > reach):
            radius *= 2
            continue
        count(s[0] for s in nearest)
        # Suitable candidates, by the least score they can have; count them in batches.
        candidates = sorted(
            (s for s in shells.values() if s[2] is not None), key=lambda s: (s[2], s[0].name)
        )
        done = 0
        while True:
            best = sorted((s for s in counted.values() if not s.excluded), key=_order)[:limit]
            if done >= len(candidates):
                break
            # strictly below: a venue not counted may score as much and come first by distance
            if len(best) == limit and best[-1].score < candidates[done][2]:  # type: ignore[operator]
                break
            batch = candidates[done : done + max(10, limit - len(best))]
            done += len(batch)
            count(s[0] for s in batch)
        if complete or (len(best) == limit and best[-1].score <= reach):
            break
        # far enough to hold the best found so far, else twice as far
        radius = best[-1].score if len(best) == limit else radius * 2
    chosen = {s.venue.id for s in best}
    chosen.update(s[0].id for s in nearest if counted[s[0].id].excluded)
    current = household.current_venue_id
    if current is not None and current not in chosen:
        if current not in counted:
            count(_venue_rows(session, Venue.id == current))
        if current in counted:
            chosen.add(current)
    problem = "" if household.consent_ok else no_consent_problem(household)
    return SuggestionResult(household, sorted((counted[i] for i in chosen), key=_order), problem)


def _least_score(
    household: HouseholdNeeds, venue: VenueFacts, distance: float, today: date
) -> float | None:
    """The lowest score :func:`rank` can give the venue whatever the people assigned to it
    (they only add reasons and fullness); None when its row alone excludes it."""
    if (
        not venue.active
        or (household.current_venue_id != venue.id and venue.capacity < household.size)
        or not household.allergens <= venue.allergens
        or (household.wheelchair and not venue.wheelchair)
    ):
        return None
    score = distance  # the terms in rank's order, so that rounding cannot make it larger
    if not sessions_in_week(venue, today):
        score += NO_SESSION_PENALTY_KM
    if household.children and venue.kind != VenueKind.KODOMO_SHOKUDO:
        score += KIND_PENALTY_KM
    return score


def adult_cutoff(today: date) -> date:
    """People born on or before this day are adults (their 18th birthday has come)."""
    try:
        return today.replace(year=today.year - CHILD_AGE)
    except ValueError:  # 29 February in a year whose 18th predecessor has none
        return today.replace(year=today.year - CHILD_AGE, day=28)


def consent_issue(consent: Consent | None, today: date) -> str:
    """Why the consent does not allow referring the household to a venue; "" when it does."""
    if allows(
        consent,
        today,
        purpose=ConsentPurpose.VENUE_CONNECTION,
        recipient=ConsentRecipient.ASSIGNED_VENUE,
    ):
        return ""
    if consent is None or consent.consented_on > today:
        return "missing"
    if consent.withdrawn_on is not None and consent.withdrawn_on <= today:
        return "withdrawn"
    if consent.expires_on is not None and consent.expires_on < today:
        return "expired"
    return "not_covered"


def _consent_text(issue: str) -> str:
    return {
        "missing": _t("同意の記録がない", "no consent is recorded"),
        "withdrawn": _t("同意が撤回されている", "the consent was withdrawn"),
        "expired": _t("同意の有効期限が切れている", "the consent has expired"),
        "not_covered": _t(
            "利用目的「居場所への紹介」と提供先「利用する会場」が同意に含まれていない",
            "the consent does not cover the purpose “connection to a community place” and "
            "the recipient “the assigned venue”",
        ),
    }.get(issue, _t("有効な同意がない", "no valid consent"))


def _needs(household: Household, today: date) -> HouseholdNeeds:
    members = household.current_members
    adult_born = adult_cutoff(today)
    active = household.active_assignment
    issue = consent_issue(household.current_consent, today)
    return HouseholdNeeds(
        id=household.id,
        case_number=household.case_number,
        size=len(members),
        latitude=household.latitude,
        longitude=household.longitude,
        allergens=frozenset(a for m in members for a in m.allergens),
        wheelchair=any(m.needs_wheelchair for m in members),
        children=sum(1 for m in members if m.birth_date and m.birth_date > adult_born),
        consent_ok=not issue,
        current_venue_id=active.venue_id if active else None,
        consent_issue=issue,
        precision=household.location_precision,
        no_point=(
            why_no_point(household.current_address, household.postal_code)
            if household.latitude is None or household.longitude is None
            else ""
        ),
    )


def _household_query() -> Select[Household]:
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


def _distance_text(household: HouseholdNeeds, distance: float) -> str:
    """The straight-line distance, saying what it is measured from when that is not the
    household's own point: a town's representative point is near enough to say nothing (the
    household editor shows it), a postal area's or municipality's is only approximate."""
    if household.approximate:
        where = precision_label(household.precision)
        return _t(
            f"直線距離 約{distance:.1f} km（{where}の代表点から、およその距離）",
            f"about {distance:.1f} km in a straight line (from the {where}'s point: approximate)",
        )
    return _t(f"直線距離 {distance:.1f} km", f"{distance:.1f} km in a straight line")


def rank(household: HouseholdNeeds, venue: VenueFacts, today: date) -> Suggestion:
    excluded = hard_exclusions(household, venue)
    distance = None
    if household.latitude is None or household.longitude is None:
        # No guess: without the household's position there is no distance to rank by.
        excluded.append(_t("世帯の位置が未登録", "The household has no coordinates"))
    elif venue.latitude is not None and venue.longitude is not None:
        distance = haversine_km(
            household.latitude, household.longitude, venue.latitude, venue.longitude
        )
    sessions = sessions_in_week(venue, today)
    if excluded:
        return Suggestion(venue, distance, sessions, True, float("inf"), tuple(excluded))
    assert distance is not None
    # The bulk allocation computes the same score for all pairs at once (_pair_scores): keep
    # the two in step.
    score = distance
    reasons = [_distance_text(household, distance)]
    if sessions:
        reasons.append(
            _t(
                f"今後1週間に{sessions}回開催",
                f"{sessions} session{'s' if sessions > 1 else ''} in the coming week",
            )
        )
    else:
        score += NO_SESSION_PENALTY_KM
        reasons.append(_t("今後1週間は開催なし", "No session in the coming week"))
    if household.children and venue.kind != VenueKind.KODOMO_SHOKUDO:
        score += KIND_PENALTY_KM
        reasons.append(_t("子どもがいる世帯にはこども食堂が優先", "Children: kodomo shokudo first"))
    elif household.children:
        reasons.append(_t("こども食堂（子どもがいる世帯向き）", "Kodomo shokudo suits children"))
    score += FULLNESS_PENALTY_KM * _fullness(venue)
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


def _fullness(venue: VenueFacts) -> float:
    return venue.assigned_people / venue.capacity if venue.capacity else 1.0


def _reason_of(where: Location) -> str:
    """What the geocoder could not find, without the "no place found" lead (added around it)."""
    return explain(where.found) if where.found is not None else ""


def no_point_problem(household: HouseholdNeeds) -> str:
    """Why venues cannot be ranked by distance, and what to do about it."""
    why = household.no_point or _t("住所も郵便番号もありません", "no address or postal code")
    return _t(
        f"住所から場所を特定できません：{why}。現住所か郵便番号を確かめるか、緯度経度を入力してください",
        f"No place found from the address: {why}. Check the current address or postal code, "
        "or enter the coordinates",
    )


def no_consent_problem(household: HouseholdNeeds) -> str:
    detail = _consent_text(household.consent_issue)
    return _t(
        f"会場への紹介に同意がありません（{detail}）。先に同意を記録してください",
        f"No consent to refer this household to a venue ({detail}); record consent first",
    )


def suggestions_for(
    household: HouseholdNeeds, venues: Iterable[VenueFacts], today: date
) -> SuggestionResult:
    if household.latitude is None or household.longitude is None:
        return SuggestionResult(household, [], no_point_problem(household))
    ranked = sorted((rank(household, v, today) for v in venues), key=_order)
    problem = "" if household.consent_ok else no_consent_problem(household)
    return SuggestionResult(household, ranked, problem)


def _order(s: Suggestion) -> tuple[bool, float, bool, float, str]:
    return (s.excluded, s.score, s.distance_km is None, s.distance_km or 0.0, s.venue.name)


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
def _pair_scores(
    households: Sequence[HouseholdNeeds], venues: Sequence[VenueFacts], today: date
) -> NDArray[np.float64]:
    """The score :func:`rank` gives every household–venue pair, all at once; ``inf`` where a
    hard constraint excludes the pair. Thousands of households times a hundred venues would
    take seconds one pair at a time."""
    import numpy as np

    def floats(values: Iterable[float | None]) -> NDArray[np.float64]:
        return np.array([np.nan if x is None else x for x in values], dtype=float)

    n_v = len(venues)
    hlat = floats(h.latitude for h in households)
    hlon = floats(h.longitude for h in households)
    vlat = floats(v.latitude for v in venues)
    vlon = floats(v.longitude for v in venues)
    with np.errstate(invalid="ignore"):
        # the same formula, in the same order, as haversine_km
        p1 = np.radians(hlat)[:, None]
        p2 = np.radians(vlat)[None, :]
        dl = np.radians(vlon[None, :] - hlon[:, None])
        a = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
        distance = 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, np.sqrt(a)))
    column = {v.id: j for j, v in enumerate(venues)}
    current = np.array([column.get(h.current_venue_id, -1) for h in households])  # type: ignore[arg-type]
    size = np.array([h.size for h in households])
    free = np.array([v.free for v in venues])
    usable = (
        (np.isfinite(hlat) & np.isfinite(hlon))[:, None]
        & np.array([v.active for v in venues], dtype=bool)[None, :]
        & (np.isfinite(vlat) & np.isfinite(vlon))[None, :]
        & ((free[None, :] >= size[:, None]) | (current[:, None] == np.arange(n_v)[None, :]))
        & (
            ~np.array([h.wheelchair for h in households], dtype=bool)[:, None]
            | np.array([v.wheelchair for v in venues], dtype=bool)[None, :]
        )
    )
    by_allergens: dict[frozenset[str], list[int]] = {}
    for i, h in enumerate(households):
        if h.allergens:
            by_allergens.setdefault(h.allergens, []).append(i)
    for allergens, rows in by_allergens.items():
        handled = np.array([allergens <= v.allergens for v in venues], dtype=bool)
        usable[rows, :] &= handled[None, :]
    no_session = np.array(
        [0.0 if sessions_in_week(v, today) else NO_SESSION_PENALTY_KM for v in venues]
    )
    not_for_children = np.array(
        [0.0 if v.kind == VenueKind.KODOMO_SHOKUDO else KIND_PENALTY_KM for v in venues]
    )
    children = np.array([h.children > 0 for h in households], dtype=bool)
    fullness = np.array([FULLNESS_PENALTY_KM * _fullness(v) for v in venues])
    score = distance + no_session[None, :]
    score = score + np.where(children[:, None], not_for_children[None, :], 0.0)
    score = score + fullness[None, :]
    return np.where(usable, score, np.inf)


@dataclass
class _Edges:
    """The allocation as a graph: one edge per (household, offered venue), cheapest first."""

    rows: NDArray[np.intp]  # household index of each edge, ascending
    cols: NDArray[np.intp]  # venue index of each edge
    cost: NDArray[np.float64]  # the pair's score
    people: NDArray[np.float64]  # the household's size
    seats: NDArray[np.float64]  # places it takes (0 at its current venue: already counted)
    free: NDArray[np.float64]  # free places per venue
    households: int

    def load(self, chosen: NDArray[np.intp]) -> NDArray[np.float64]:
        import numpy as np

        load = np.bincount(self.cols[chosen], weights=self.seats[chosen], minlength=len(self.free))
        return np.asarray(load, dtype=float)

    def value(self, chosen: NDArray[np.intp]) -> tuple[float, float]:
        """(people placed, total score): better is more people, then a smaller score."""
        return float(self.people[chosen].sum()), float(self.cost[chosen].sum())


def _milp(cost: Any, constraints: list[Any], time_limit: float, *, integral: bool = True) -> Any:
    import numpy as np
    from scipy.optimize import Bounds, milp

    return milp(
        cost,
        constraints=constraints,
        integrality=np.ones(len(cost)) if integral else np.zeros(len(cost)),
        bounds=Bounds(0, 1),
        options={"time_limit": max(time_limit, 0.5), "mip_rel_gap": 0.0, "disp": False},
    )


def _limits(g: _Edges, edges: NDArray[np.intp], free: NDArray[np.float64]) -> list[Any]:
    """Each household at most once, each venue within its free places, for a subset of edges."""
    import numpy as np
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_matrix

    n = len(edges)
    households, rows = np.unique(g.rows[edges], return_inverse=True)
    one_venue = csr_matrix((np.ones(n), (rows, np.arange(n))), shape=(len(households), n))
    seats = csr_matrix((g.seats[edges], (g.cols[edges], np.arange(n))), shape=(len(free), n))
    return [LinearConstraint(one_venue, 0, 1), LinearConstraint(seats, 0, free)]


def _exact(
    g: _Edges, edges: NDArray[np.intp], free: NDArray[np.float64], time_limit: float
) -> tuple[NDArray[np.intp], bool]:
    """The best choice among ``edges`` by integer programming, and whether it is proven.

    People first, then score, in one objective: each person is worth more than the largest
    total score any choice can have, so no saving in distance can cost a placed person.
    """
    import numpy as np

    if len(edges) == 0:
        return edges, True
    most = np.zeros(g.households)
    np.maximum.at(most, g.rows[edges], g.cost[edges])
    worth = float(most.sum()) + 1.0
    result = _milp(g.cost[edges] - worth * g.people[edges], _limits(g, edges, free), time_limit)
    if result.x is None:
        return edges[:0], False
    return edges[result.x > 0.5], result.status == 0


def _fill(g: _Edges, chosen: NDArray[np.intp]) -> NDArray[np.intp]:
    """Add any unplaced household that still fits at one of its venues, cheapest edge first."""
    import numpy as np

    left = g.free - g.load(chosen)
    placed = np.zeros(g.households, dtype=bool)
    placed[g.rows[chosen]] = True
    extra = []
    for e in np.flatnonzero(~placed[g.rows] & (g.seats <= left[g.cols] + 1e-9)).tolist():
        h, v = g.rows[e], g.cols[e]
        if not placed[h] and g.seats[e] <= left[v] + 1e-9:
            placed[h] = True
            left[v] -= g.seats[e]
            extra.append(e)
    return np.concatenate([chosen, np.array(extra, dtype=np.intp)])


def _relaxed(
    g: _Edges, time_limit: float
) -> tuple[NDArray[np.intp], float, float, NDArray[np.float64]] | None:
    """Linear relaxations: the most people (a bound), then the least score placing that many
    (a bound), and that solution; None if the solver gave no answer."""
    import numpy as np
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_matrix

    everything = np.arange(len(g.rows))
    limits = _limits(g, everything, g.free)
    started = time.perf_counter()
    first = _milp(-g.people, limits, time_limit, integral=False)
    if first.x is None or first.status != 0:
        return None
    most = float(np.floor(-first.fun + 1e-6))
    at_least = LinearConstraint(csr_matrix(g.people[None, :]), most - 1e-6, np.inf)
    remaining = time_limit - (time.perf_counter() - started)
    second = _milp(g.cost, [*limits, at_least], remaining, integral=False)
    if second.x is None or second.status != 0:
        return None
    return everything, most, float(second.fun), second.x


def _score_bound(g: _Edges, people: float, time_limit: float) -> float | None:
    """The least total score of any (fractional) plan placing at least ``people``."""
    import numpy as np
    from scipy.optimize import LinearConstraint
    from scipy.sparse import csr_matrix

    everything = np.arange(len(g.rows))
    at_least = LinearConstraint(csr_matrix(g.people[None, :]), people - 1e-6, np.inf)
    result = _milp(g.cost, [*_limits(g, everything, g.free), at_least], time_limit, integral=False)
    return float(result.fun) if result.x is not None and result.status == 0 else None


def _better(a: tuple[float, float], b: tuple[float, float]) -> bool:
    """Whether value ``a`` beats ``b``: more people, or as many for a smaller score."""
    return a[0] > b[0] + 0.5 or (a[0] > b[0] - 0.5 and a[1] < b[1] - 1e-9)


def _improve(g: _Edges, chosen: NDArray[np.intp], until: float) -> NDArray[np.intp]:
    """Large-neighbourhood search: free every household at a few venues that share candidates
    (and the unplaced households that could go there), re-solve that part exactly, keep it when
    it is better; each venue leads one neighbourhood, most contested first, until ``until``."""
    import numpy as np
    from scipy.sparse import csr_matrix

    n_v = len(g.free)
    edge_at = np.full(g.households, -1)
    edge_at[g.rows[chosen]] = chosen
    incidence = csr_matrix(
        (np.ones(len(g.rows)), (g.rows, g.cols)), shape=(g.households, n_v)
    ).tocsc()
    shared = (incidence.T @ incidence).toarray()
    unplaced = edge_at[g.rows] < 0
    contested = np.bincount(g.cols[unplaced], minlength=n_v)
    for seed in np.argsort(-contested, kind="stable").tolist():
        if contested[seed] == 0 or time.perf_counter() >= until:
            break
        group = np.zeros(n_v, dtype=bool)
        group[np.argsort(-shared[seed], kind="stable")[:NEIGHBOURHOOD]] = True
        placed_edges = edge_at[edge_at >= 0]
        here = np.zeros(g.households, dtype=bool)
        here[g.rows[placed_edges[group[g.cols[placed_edges]]]]] = True
        movable = here | (edge_at < 0)
        sub = np.flatnonzero(group[g.cols] & movable[g.rows])
        before = edge_at[here]
        after, _ = _exact(g, sub, g.free, min(IMPROVE_STEP, until - time.perf_counter()))
        if _better(g.value(after), g.value(before)):
            edge_at[here] = -1
            edge_at[g.rows[after]] = after
    return np.sort(edge_at[edge_at >= 0])


def _allocate(g: _Edges, time_limit: float) -> tuple[NDArray[np.intp], bool, float]:
    """Chosen edges, whether the choice is proven optimal, and the proven relative gap.

    Rounds the linear relaxation (which is integral for almost every household, because venues
    hold tens of people and households a few), re-solves the few households left over exactly,
    and fills what still fits. The relaxation's values bound the optimum, so the gap is proven.
    Small instances that this does not prove optimal are then solved exactly.
    """
    import numpy as np

    started = time.perf_counter()

    def remaining() -> float:
        return time_limit - (time.perf_counter() - started)

    first_edge = np.searchsorted(g.rows, np.arange(g.households))  # each household's best
    if np.all(g.load(first_edge) <= g.free + 1e-9):
        return first_edge, True, 0.0  # nothing competes for places: everyone at their best
    relaxed = _relaxed(g, 0.5 * time_limit)
    if relaxed is None:  # no answer from the solver: the greedy plan, with no proven bound
        return _fill(g, first_edge[:0]), False, 1.0
    everything, most, least, x = relaxed
    whole = everything[x > 1 - 1e-6]
    left = g.free - g.load(whole)
    done = np.zeros(g.households, dtype=bool)
    done[g.rows[whole]] = True
    split = np.zeros(g.households, dtype=bool)
    split[g.rows[(x > 1e-6) & (x <= 1 - 1e-6)]] = True
    open_edges = ~done[g.rows] & (g.seats <= left[g.cols] + 1e-9)
    # The split households, and for each venue with room the cheapest others per person.
    keep = open_edges & split[g.rows]
    per_person = g.cost / g.people
    others = np.flatnonzero(open_edges & ~split[g.rows])
    for v in np.unique(g.cols[others]).tolist():
        mine = others[g.cols[others] == v]
        keep[mine[np.argsort(per_person[mine], kind="stable")[:REPAIR_PER_VENUE]]] = True
    repaired, _ = _exact(g, np.flatnonzero(keep), left, 0.5 * remaining())
    chosen = _fill(g, np.concatenate([whole, repaired]))

    def proven(chosen: NDArray[np.intp]) -> bool:
        people, score = g.value(chosen)
        return people >= most - 0.5 and score <= least + 1e-9 * max(1.0, abs(least))

    if proven(chosen):
        return chosen, True, 0.0
    if len(g.rows) <= EXACT_EDGES:
        exact, solved = _exact(g, everything, g.free, 0.5 * remaining())
        if solved:
            return exact, True, 0.0
        if _better(g.value(exact), g.value(chosen)):
            chosen = exact
    if len(g.rows) <= IMPROVE_EDGES:
        until = min(started + IMPROVE_UNTIL * time_limit, time.perf_counter() + IMPROVE_SECONDS)
        chosen = _improve(g, chosen, until)
    if proven(chosen):
        return chosen, True, 0.0
    people, score = g.value(chosen)
    bound = least if people >= most - 0.5 else _score_bound(g, people, remaining())
    people_gap = max(0.0, most - people) / most if most else 0.0
    score_gap = 1.0 if bound is None else max(0.0, score - bound) / max(score, 1e-9)
    return chosen, False, max(people_gap, score_gap)


def solve_allocation(
    households: Sequence[HouseholdNeeds],
    venues: Sequence[VenueFacts],
    today: date,
    *,
    candidates: int | None = None,
    time_limit: float = TIME_LIMIT,
) -> AllocationPlan:
    """Place as many people as possible, then minimise the total distance, never overfilling.

    Households are whole (a family is never split between venues), which makes this a
    generalised assignment problem. The objective is lexicographic: first the most people placed,
    then the smallest sum of the placed households' scores (distance plus the ranking penalties
    of :func:`rank`). It is solved with HiGHS (through ``scipy.optimize.milp``): the linear
    relaxation, rounded and repaired by small exact integer programmes; small instances are
    solved exactly. ``optimal`` says whether the plan is proven optimal, else ``gap`` is the
    proven relative gap (the larger of the people short of the bound and the score above it).

    Each household is offered its ``candidates`` best suitable venues (default: all of them up
    to ``ALL_VENUES_UP_TO`` household–venue pairs, else ``CANDIDATES``); optimality is for that
    choice of venues, recorded in ``plan.candidates``.
    """
    import numpy as np

    plan = AllocationPlan()
    eligible: list[HouseholdNeeds] = []
    for household in households:
        if not household.consent_ok:
            detail = _consent_text(household.consent_issue)
            plan.unplaced.append(
                (household, _t(f"会場への紹介に同意がない（{detail}）", f"No consent ({detail})"))
            )
        elif household.latitude is None or household.longitude is None:
            why = household.no_point or _t(
                "住所も郵便番号もありません", "no address or postal code"
            )
            plan.unplaced.append(
                (household, _t(f"住所から場所を特定できません：{why}", f"No place found: {why}"))
            )
        elif household.size < 1:
            plan.unplaced.append((household, _t("世帯員が未登録", "No members are registered")))
        else:
            eligible.append(household)
    score = (
        _pair_scores(eligible, venues, today)
        if eligible and venues
        else np.full((len(eligible), len(venues)), np.inf)
    )
    reachable = np.asarray(np.isfinite(score).any(axis=1), dtype=bool)
    placeable: list[HouseholdNeeds] = []
    for index, household in enumerate(eligible):
        if reachable[index]:
            placeable.append(household)
        else:
            why = _why_none([rank(household, v, today) for v in venues])
            plan.unplaced.append((household, why))
    score = score[reachable]
    if not placeable:
        _sort(plan)
        return plan

    n_h, n_v = len(placeable), len(venues)
    if candidates is None:
        k = n_v if n_h * n_v <= ALL_VENUES_UP_TO else CANDIDATES
    else:
        k = max(1, candidates)
    plan.candidates = k if k < n_v else None
    order = np.argsort(score, axis=1, kind="stable")[:, :k]
    picked = np.take_along_axis(score, order, axis=1)
    offered = np.isfinite(picked)
    rows = np.nonzero(offered)[0]
    cols = order[offered]
    size = np.array([h.size for h in placeable], dtype=float)
    column = {v.id: j for j, v in enumerate(venues)}
    current = np.array([column.get(h.current_venue_id, -1) for h in placeable])  # type: ignore[arg-type]
    g = _Edges(
        rows=rows,
        cols=cols,
        cost=picked[offered],
        people=size[rows],
        seats=np.where(current[rows] == cols, 0.0, size[rows]),
        free=np.array([max(v.free, 0) for v in venues], dtype=float),
        households=n_h,
    )
    chosen, plan.optimal, plan.gap = _allocate(g, time_limit)
    # Never hand out a plan that breaks a rule, whatever the solver said.
    if np.any(g.load(chosen) > g.free + 1e-9) or len(np.unique(rows[chosen])) != len(chosen):
        raise EvacError("assignment.solver_failed", detail="capacity")

    join = _t("、", "; ")
    placed = set()
    for e in chosen.tolist():
        household, venue = placeable[rows[e]], venues[cols[e]]
        placed.add(int(rows[e]))
        suggestion = rank(household, venue, today)
        plan.placements.append(
            Placement(
                household, venue, suggestion.distance_km or 0.0, join.join(suggestion.reasons)
            )
        )
    options = offered.sum(axis=1)
    for index, household in enumerate(placeable):
        if index in placed:
            continue
        nearest = rank(household, venues[order[index, 0]], today)
        distance = nearest.distance_km or 0.0
        plan.unplaced.append(
            (
                household,
                _t(
                    f"条件に合う近くの会場{options[index]}か所（最寄りは{nearest.venue.name}、"
                    f"{distance:.1f} km）はほかの世帯で埋まる",
                    f"The {options[index]} suitable venues within reach (nearest: "
                    f"{nearest.venue.name}, {distance:.1f} km) are taken by other households",
                ),
            )
        )
    _sort(plan)
    return plan


def _sort(plan: AllocationPlan) -> None:
    plan.placements.sort(key=lambda p: p.household.case_number)
    plan.unplaced.sort(key=lambda u: u[0].case_number)


def unassigned_needs(session: Session, today: date) -> list[HouseholdNeeds]:
    """Open households, not deleted, without a current venue: those a bulk allocation places."""
    households = session.scalars(
        _household_query()
        .where(
            Household.deleted_at.is_(None),
            Household.status == HouseholdStatus.ACTIVE,
            ~Household.assignments.any(
                (Assignment.status == AssignmentStatus.ACTIVE) & Assignment.deleted_at.is_(None)
            ),
        )
        .order_by(Household.case_number)
    ).all()
    return [_needs(h, today) for h in households]


# --- the service -------------------------------------------------------------------------------
class AssignmentService:
    def __init__(self, db: Database) -> None:
        self.db = db

    @gate(Permission.VENUES)
    def venues(self) -> list[VenueFacts]:
        with self.db.read() as session:
            return venue_facts(session)

    @gate(Permission.ASSIGN)
    def suggest(self, household_id: uuid.UUID, today: date | None = None) -> SuggestionResult:
        today = today or date.today()
        with self.db.read() as session:
            household = session.scalar(
                _household_query().where(
                    Household.id == household_id, Household.deleted_at.is_(None)
                )
            )
            if household is None:
                raise NotFound("household.not_found", value=str(household_id))
            return nearest_suggestions(session, _needs(household, today), today)

    @gate(Permission.ASSIGN)
    def suggest_unsaved(
        self,
        changes: CaseChanges,
        household_id: uuid.UUID | None = None,
        today: date | None = None,
    ) -> SuggestionResult:
        """Suggestions for the household as the editor holds it now, saved or not: a new
        household typed with only an address or a postal code is ranked before it is saved,
        and an edited address ranks from the new place. Raises ValidationError while the form
        has mistakes (the editor shows them)."""
        today = today or date.today()
        valid = validate_household(changes.household)
        with self.db.read() as session:
            saved = None
            if household_id is not None:
                saved = session.scalar(
                    _household_query().where(
                        Household.id == household_id, Household.deleted_at.is_(None)
                    )
                )
                if saved is None:
                    raise NotFound("household.not_found", value=str(household_id))
            consent: Consent | None = saved.current_consent if saved is not None else None
            if changes.consent is not None:
                consent = Consent(**validate_consent(changes.consent))  # not stored
            issue = consent_issue(consent, today)
            if changes.withdraw_on and not issue:
                issue = "withdrawn"
            adult_born = adult_cutoff(today)
            members = valid.members
            where = valid.location
            active = saved.active_assignment if saved is not None else None
            needs = HouseholdNeeds(
                id=household_id or uuid.UUID(int=0),
                case_number=saved.case_number if saved is not None else "",
                size=len(members),
                latitude=where.latitude,
                longitude=where.longitude,
                allergens=frozenset(a for m in members for a in cast(list[str], m["allergens"])),
                wheelchair=any(bool(m["needs_wheelchair"]) for m in members),
                children=sum(
                    1
                    for m in members
                    if isinstance(m["birth_date"], date) and m["birth_date"] > adult_born
                ),
                consent_ok=not issue,
                current_venue_id=active.venue_id if active else None,
                consent_issue=issue,
                precision=where.precision,
                no_point="" if where.placed else _reason_of(where),
            )
            return nearest_suggestions(session, needs, today)

    @gate(Permission.ASSIGN)
    def plan(self, today: date | None = None, *, time_limit: float = TIME_LIMIT) -> AllocationPlan:
        """A dry run: who would go where and why; nothing is written."""
        today = today or date.today()
        with self.db.read() as session:
            needs = unassigned_needs(session, today)
            venues = venue_facts(session)
        return solve_allocation(needs, venues, today, time_limit=time_limit)

    @gate(Permission.ASSIGN)
    def apply(self, plan: AllocationPlan, today: date | None = None, reason: str = "") -> int:
        """Write a confirmed plan in one transaction; refused whole if anything changed since
        (a household assigned, closed, deleted or changed, consent withdrawn, a venue filled,
        paused or changed)."""
        today = today or date.today()
        reason = clean_text(reason)
        errors = FieldErrors()
        errors.check("reason", limit_length, reason, 500)
        errors.raise_if_any()
        ids = [p.household.id for p in plan.placements]
        if len(set(ids)) != len(ids):
            raise EvacError("assignment.plan_stale")
        with self.db.session() as session:
            venues = {v.id: v for v in venue_facts(session)}
            households: dict[uuid.UUID, Household] = {}
            for start in range(0, len(ids), 500):
                for h in session.scalars(
                    _household_query().where(
                        Household.id.in_(ids[start : start + 500]), Household.deleted_at.is_(None)
                    )
                ):
                    households[h.id] = h
            taken: dict[uuid.UUID, int] = {}
            prefix = _t("一括割り当て：", "Bulk allocation: ")
            for placement in plan.placements:
                household = households.get(placement.household.id)
                venue = venues.get(placement.venue.id)
                if household is None or venue is None:
                    raise EvacError("assignment.plan_stale")
                needs = _needs(household, today)
                now = replace(venue, assigned_people=venue.assigned_people + taken.get(venue.id, 0))
                if (
                    household.status != HouseholdStatus.ACTIVE
                    or not needs.consent_ok
                    or needs.current_venue_id is not None
                    or hard_exclusions(needs, now)
                ):
                    raise EvacError("assignment.plan_stale")
                taken[venue.id] = taken.get(venue.id, 0) + needs.size
                session.add(
                    Assignment(
                        household=household,
                        venue_id=venue.id,
                        start_on=today,
                        status=AssignmentStatus.ACTIVE,
                        reason=reason or prefix + placement.reason,
                    )
                )
        return len(plan.placements)

    @gate(Permission.ASSIGN)
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
            venue = next(iter(venue_facts(session, venue_ids=[venue_id])), None)
            if venue is None:
                raise NotFound("venue.not_found", value=str(venue_id))
            current = household.active_assignment
            if current is not None and current.venue_id == venue_id:
                raise EvacError("assignment.already", venue=venue.name)
            blocking = hard_exclusions(needs, venue)
            if blocking:
                raise EvacError("assignment.not_suitable", reasons="、".join(blocking))
            if current is not None:
                if start < current.start_on:
                    raise EvacError(
                        "assignment.start_before_current", start=current.start_on.isoformat()
                    )
                current.status = AssignmentStatus.ENDED
                current.end_on = start
                current.end_reason = reason or _t("別の会場へ変更", "Moved to another venue")
            assignment = Assignment(
                household=household,
                venue_id=venue_id,
                start_on=start,
                status=AssignmentStatus.ACTIVE,
                reason=reason,
            )
            session.add(assignment)
            session.flush()
            return assignment

    @gate(Permission.ASSIGN)
    def end(
        self, household_id: uuid.UUID, *, end_on: date | str | None = None, reason: str = ""
    ) -> Assignment:
        errors = FieldErrors()
        end = errors.check("end_on", parse_date, end_on or date.today())
        reason = clean_text(reason)
        if not reason:
            errors.add("reason", "value.required")
        errors.check("reason", limit_length, reason, 500)
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
