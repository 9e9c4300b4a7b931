"""Connecting households to venues: distances, hard and soft rules, consent, the optimal bulk
allocation (never overfilling, better than greedy), and the assignment history."""

from __future__ import annotations

import itertools
import math
import uuid
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Assignment
from evacsupport.errors import EvacError, ValidationError
from evacsupport.i18n import set_language
from evacsupport.services.assignment import (
    AllocationPlan,
    AssignmentService,
    HouseholdNeeds,
    VenueFacts,
    _pair_scores,
    adult_cutoff,
    hard_exclusions,
    rank,
    solve_allocation,
    suggestions_for,
)
from evacsupport.services.consents import ConsentInput, record_consent, withdraw_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

TODAY = date(2024, 7, 1)  # a Monday
KANAZAWA_STATION = (36.5781, 136.6480)
WAJIMA = (37.3906, 136.8992)
EVERY_DAY = frozenset(range(7))


# --- plain facts, for the rules ------------------------------------------------------------------
def needs(**overrides: object) -> HouseholdNeeds:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "case_number": "N24-000001",
        "size": 1,
        "latitude": KANAZAWA_STATION[0],
        "longitude": KANAZAWA_STATION[1],
        "allergens": frozenset(),
        "wheelchair": False,
        "children": 0,
        "consent_ok": True,
        "current_venue_id": None,
    }
    values.update(overrides)
    return HouseholdNeeds(**values)  # type: ignore[arg-type]


def facts(**overrides: object) -> VenueFacts:
    values: dict[str, object] = {
        "id": uuid.uuid4(),
        "name": "こども食堂 ひだまり",
        "kind": "kodomo_shokudo",
        "latitude": 36.5605,
        "longitude": 136.659,
        "capacity": 30,
        "assigned_people": 0,
        "assigned_households": 0,
        "weekdays": EVERY_DAY,
        "allergens": frozenset(),
        "wheelchair": True,
        "active": True,
    }
    values.update(overrides)
    return VenueFacts(**values)  # type: ignore[arg-type]


def at_km(east: float, north: float) -> dict[str, float]:
    """Coordinates ``east`` and ``north`` km from Kanazawa Station (close enough on this scale)."""
    lat = KANAZAWA_STATION[0] + north / 111.195
    lon = KANAZAWA_STATION[1] + east / (111.195 * math.cos(math.radians(lat)))
    return {"latitude": lat, "longitude": lon}


def test_distance_kanazawa_station_to_wajima_is_93_1_km() -> None:
    suggestion = rank(needs(), facts(latitude=WAJIMA[0], longitude=WAJIMA[1]), TODAY)
    assert suggestion.distance_km is not None
    assert round(suggestion.distance_km, 1) == 93.1
    assert "直線距離 93.1 km" in suggestion.reasons
    # the same in the other direction
    back = rank(
        needs(latitude=WAJIMA[0], longitude=WAJIMA[1]),
        facts(**dict(zip(("latitude", "longitude"), KANAZAWA_STATION, strict=True))),
        TODAY,
    )
    assert back.distance_km == pytest.approx(suggestion.distance_km)


@pytest.mark.parametrize(
    ("household", "venue", "reason"),
    [
        (needs(), facts(active=False), "休止中の会場"),
        (needs(size=1), facts(capacity=30, assigned_people=30), "満員（定員30人のうち30人が利用中"),
        (needs(size=4), facts(capacity=30, assigned_people=27), "この世帯は4人"),
        (
            needs(allergens=frozenset({"卵", "小麦"})),
            facts(allergens=frozenset({"卵", "乳"})),
            "アレルギーに対応できない：小麦",
        ),
        (needs(wheelchair=True), facts(wheelchair=False), "車椅子で利用できない"),
        (needs(), facts(latitude=None, longitude=None), "会場の位置が未登録"),
    ],
    ids=["inactive", "full", "larger_than_free", "allergen", "wheelchair", "no_coordinates"],
)
def test_each_hard_constraint_excludes_with_its_reason(
    household: HouseholdNeeds, venue: VenueFacts, reason: str
) -> None:
    assert any(reason in r for r in hard_exclusions(household, venue))
    suggestion = rank(household, venue, TODAY)
    assert suggestion.excluded and suggestion.score == math.inf
    assert any(reason in r for r in suggestion.reasons)
    result = suggestions_for(household, [venue], TODAY)
    assert result.ranked == [] and result.excluded == [suggestion]


def test_a_venue_exactly_full_for_the_household_still_fits() -> None:
    venue = facts(capacity=30, assigned_people=27)
    assert hard_exclusions(needs(size=3), venue) == []
    assert hard_exclusions(needs(size=4), venue) != []
    # the household already there is counted in the load, so its own venue is never "full" for it
    assert (
        hard_exclusions(
            needs(size=3, current_venue_id=venue.id), replace(venue, assigned_people=30)
        )
        == []
    )


def test_every_failing_rule_is_listed_in_english_too() -> None:
    set_language("en")
    reasons = hard_exclusions(
        needs(size=2, wheelchair=True, allergens=frozenset({"そば"})),
        facts(active=False, capacity=1, wheelchair=False, latitude=None, longitude=None),
    )
    assert reasons == [
        "The venue is paused",
        "Full (0 of 1 places taken; household of 2)",
        "Cannot cater for allergens: そば",
        "Not wheelchair accessible",
        "The venue has no coordinates",
    ]


def test_allergens_handled_by_the_venue_make_it_suitable() -> None:
    household = needs(allergens=frozenset({"卵", "小麦"}))
    suggestion = rank(household, facts(allergens=frozenset({"卵", "小麦", "乳"})), TODAY)
    assert not suggestion.excluded
    assert "アレルギーに対応可" in suggestion.reasons


def test_a_household_without_coordinates_gets_a_problem_and_no_guess() -> None:
    household = needs(latitude=None, longitude=None)
    result = suggestions_for(household, [facts(), facts(name="B")], TODAY)
    assert result.suggestions == [] and result.ranked == []
    assert result.problem.startswith("住所から場所を特定できません")
    suggestion = rank(household, facts(), TODAY)
    assert suggestion.excluded and suggestion.distance_km is None
    assert "世帯の位置が未登録" in suggestion.reasons


def test_closer_venues_rank_first_with_reasons() -> None:
    near = facts(name="近い", **at_km(1, 0))
    far = facts(name="遠い", **at_km(3, 0))
    result = suggestions_for(needs(), [far, near], TODAY)
    assert [s.venue.name for s in result.ranked] == ["近い", "遠い"]
    first = result.ranked[0]
    assert first.distance_km == pytest.approx(1.0, abs=0.01)
    assert first.reasons[0] == "直線距離 1.0 km"
    assert "今後1週間に7回開催" in first.reasons
    assert "空き30人（定員30人）" in first.reasons
    assert result.problem == ""


def test_no_session_in_the_coming_week_ranks_below_a_slightly_farther_venue() -> None:
    idle = facts(name="開催なし", weekdays=frozenset(), **at_km(1, 0))
    busy = facts(name="開催あり", weekdays=frozenset({2}), **at_km(2, 0))
    result = suggestions_for(needs(), [idle, busy], TODAY)
    assert [s.venue.name for s in result.ranked] == ["開催あり", "開催なし"]
    assert "今後1週間に1回開催" in result.ranked[0].reasons
    assert "今後1週間は開催なし" in result.ranked[1].reasons
    # a weekly session always falls in the seven days from tomorrow
    assert result.ranked[0].sessions_next_week == 1


def test_children_prefer_kodomo_shokudo_over_a_slightly_closer_cafe() -> None:
    cafe = facts(name="カフェ", kind="community_cafe", **at_km(1.0, 0))
    shokudo = facts(name="食堂", kind="kodomo_shokudo", **at_km(1.5, 0))
    family = suggestions_for(needs(children=2, size=3), [cafe, shokudo], TODAY)
    assert [s.venue.name for s in family.ranked] == ["食堂", "カフェ"]
    assert "こども食堂（子どもがいる世帯向き）" in family.ranked[0].reasons
    assert "子どもがいる世帯にはこども食堂が優先" in family.ranked[1].reasons
    adults = suggestions_for(needs(size=2), [cafe, shokudo], TODAY)
    assert [s.venue.name for s in adults.ranked] == ["カフェ", "食堂"]


def test_children_are_under_18_on_the_day() -> None:
    assert adult_cutoff(date(2024, 3, 31)) == date(2006, 3, 31)
    assert adult_cutoff(date(2024, 2, 29)) == date(2006, 2, 28)


# --- the allocation on plain facts --------------------------------------------------------------
def greedy_total(households: list[HouseholdNeeds], venues: list[VenueFacts]) -> float:
    """Each household in turn takes its nearest venue with places left."""
    left = {v.id: v.free for v in venues}
    total = 0.0
    for h in households:
        options = sorted(
            (rank(h, v, TODAY).distance_km or 0.0, v.id)
            for v in venues
            if left[v.id] >= h.size and not rank(h, v, TODAY).excluded
        )
        if options:
            km, venue_id = options[0]
            left[venue_id] -= h.size
            total += km
    return total


def test_a_small_instance_where_greedy_is_worse_gets_the_optimal_answer() -> None:
    # X at the station, Y 2 km north of A; A is 1 km east of X, B 1.5 km west of X.
    x = facts(name="X", capacity=1, **at_km(0, 0))
    y = facts(name="Y", capacity=1, **at_km(1, 2))
    a = needs(case_number="N24-000001", **at_km(1, 0))
    b = needs(case_number="N24-000002", **at_km(-1.5, 0))
    greedy = greedy_total([a, b], [x, y])  # A takes X (1 km), so B must go to Y (3.2 km)
    assert greedy == pytest.approx(1.0 + math.hypot(2.5, 2), abs=0.02)

    plan = solve_allocation([a, b], [x, y], TODAY)
    assert plan.optimal and plan.gap == 0.0
    assert {p.household.case_number: p.venue.name for p in plan.placements} == {
        "N24-000001": "Y",
        "N24-000002": "X",
    }
    assert plan.total_km == pytest.approx(2.0 + 1.5, abs=0.02)
    assert plan.total_km < greedy - 0.5
    assert plan.unplaced == []


def test_more_people_placed_beats_shorter_journeys() -> None:
    # One place for two: a single person next door, or a couple far away. The couple goes.
    venue = facts(capacity=2, **at_km(0, 0))
    single = needs(case_number="N24-000001", size=1, **at_km(0.1, 0))
    couple = needs(case_number="N24-000002", size=2, **at_km(20, 0))
    other = needs(case_number="N24-000003", size=2, **at_km(0, 15))
    plan = solve_allocation([single, couple, other], [venue], TODAY)
    assert plan.placed_people == 2
    assert [p.household.case_number for p in plan.placements] == ["N24-000003"]
    assert plan.optimal
    reasons = dict((h.case_number, why) for h, why in plan.unplaced)
    assert "ほかの世帯で埋まる" in reasons["N24-000001"]


def test_unplaceable_households_are_reported_with_reasons() -> None:
    venue = facts(name="会場A", allergens=frozenset({"卵"}), **at_km(1, 0))
    households = [
        needs(case_number="N24-000001", allergens=frozenset({"そば"})),
        needs(case_number="N24-000002", latitude=None, longitude=None),
        needs(case_number="N24-000003", consent_ok=False, consent_issue="withdrawn"),
        needs(case_number="N24-000004"),
        needs(case_number="N24-000005", size=0),
    ]
    plan = solve_allocation(households, [venue], TODAY)
    assert [p.household.case_number for p in plan.placements] == ["N24-000004"]
    reasons = dict((h.case_number, why) for h, why in plan.unplaced)
    assert reasons["N24-000001"].startswith("会場A（1.0 km）：")
    assert "アレルギーに対応できない：そば" in reasons["N24-000001"]
    assert reasons["N24-000002"] == "住所から場所を特定できません：住所も郵便番号もありません"
    assert "同意が撤回されている" in reasons["N24-000003"]
    assert reasons["N24-000005"] == "世帯員が未登録"
    assert solve_allocation(households[3:4], [], TODAY).unplaced[0][1] == "会場が登録されていない"


def test_many_households_fill_venues_exactly_and_say_so() -> None:
    venues = [facts(name=f"V{i}", capacity=10, **at_km(i * 3, 0)) for i in range(3)]
    households = [
        needs(case_number=f"N24-{i:06d}", size=1 + i % 3, **at_km(i * 0.2, 0.5)) for i in range(20)
    ]
    plan = solve_allocation(households, venues, TODAY)
    assert plan.placed_people == 30  # 40 people, 30 places, sizes 1-3 can fill every place
    assert plan.optimal and plan.gap == 0.0
    assert plan.candidates is None  # small: every suitable venue was offered


# --- property: never overfill, each household once, only suitable venues, as many as possible -----
ALLERGENS = ["卵", "乳"]


@st.composite
def instances(draw: st.DrawFn) -> tuple[list[HouseholdNeeds], list[VenueFacts]]:
    coordinate = st.floats(min_value=-8, max_value=8, allow_nan=False)
    allergens = st.frozensets(st.sampled_from(ALLERGENS), max_size=2)
    venues = [
        facts(
            name=f"V{i}",
            kind=draw(st.sampled_from(["kodomo_shokudo", "salon"])),
            capacity=(capacity := draw(st.integers(1, 6))),
            assigned_people=draw(st.integers(0, capacity)),
            weekdays=draw(st.sampled_from([EVERY_DAY, frozenset()])),
            allergens=draw(allergens),
            wheelchair=draw(st.booleans()),
            active=draw(st.booleans() | st.just(True)),
            **at_km(draw(coordinate), draw(coordinate)),
        )
        for i in range(draw(st.integers(1, 3)))
    ]
    households = [
        needs(
            case_number=f"N24-{i:06d}",
            size=draw(st.integers(1, 4)),
            allergens=draw(allergens),
            wheelchair=draw(st.booleans()),
            children=draw(st.integers(0, 1)),
            **at_km(draw(coordinate), draw(coordinate)),
        )
        for i in range(draw(st.integers(1, 5)))
    ]
    return households, venues


def brute_force(households: list[HouseholdNeeds], venues: list[VenueFacts]) -> tuple[int, float]:
    """The most people placeable and the least total score placing that many, by enumeration."""
    options = [[None] + [v for v in venues if not rank(h, v, TODAY).excluded] for h in households]
    best = (0, 0.0)
    for choice in itertools.product(*options):
        load: dict[uuid.UUID, int] = {}
        for h, v in zip(households, choice, strict=True):
            if v is not None:
                load[v.id] = load.get(v.id, 0) + h.size
        if any(load[v.id] > v.free for v in venues if v.id in load):
            continue
        people = sum(h.size for h, v in zip(households, choice, strict=True) if v is not None)
        score = sum(
            rank(h, v, TODAY).score
            for h, v in zip(households, choice, strict=True)
            if v is not None
        )
        if people > best[0] or (people == best[0] and score < best[1] - 1e-9):
            best = (people, score)
    return best


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_allocation_never_overfills_and_places_the_most_people(
    instance: tuple[list[HouseholdNeeds], list[VenueFacts]],
) -> None:
    households, venues = instance
    plan = solve_allocation(households, venues, TODAY)
    placed = [p.household.id for p in plan.placements]
    assert len(placed) == len(set(placed))  # each household at most once
    assert len(placed) + len(plan.unplaced) == len(households)
    load: dict[uuid.UUID, int] = {}
    for p in plan.placements:
        assert not rank(p.household, p.venue, TODAY).excluded
        load[p.venue.id] = load.get(p.venue.id, 0) + p.household.size
    for venue in venues:
        assert load.get(venue.id, 0) <= venue.free
    people, score = brute_force(households, venues)
    assert plan.placed_people == people
    assert plan.optimal
    placed_score = sum(rank(p.household, p.venue, TODAY).score for p in plan.placements)
    assert placed_score == pytest.approx(score, abs=1e-6)
    # the bulk scores agree with rank(), pair by pair
    scores = _pair_scores(households, venues, TODAY)
    for i, h in enumerate(households):
        for j, v in enumerate(venues):
            assert scores[i, j] == pytest.approx(rank(h, v, TODAY).score)


# --- the service, on a database ------------------------------------------------------------------
@pytest.fixture
def service(db: Database) -> AssignmentService:
    return AssignmentService(db)


def consent(**overrides: object) -> ConsentInput:
    values: dict[str, object] = {
        "consented_on": "2024-03-01",
        "purposes": ["support", "venue_connection"],
        "recipients": ["assigned_venue"],
        "staff": "佐藤",
    }
    values.update(overrides)
    return ConsentInput(**values)  # type: ignore[arg-type]


def add_household(
    db: Database,
    *,
    east: float = 0.0,
    people: int = 1,
    consented: bool = True,
    coordinates: str | None = None,
    **member_overrides: object,
) -> uuid.UUID:
    where = at_km(east, 0)
    members = [member(**member_overrides)] + [
        member(given_name=f"家族{i}", relation="other", **member_overrides)
        for i in range(people - 1)
    ]
    saved = HouseholdService(db).create(
        household(
            coordinates=f"{where['latitude']}, {where['longitude']}"
            if coordinates is None
            else coordinates,
            members=members,
        )
    )
    if consented:
        record_consent(db, saved.id, consent())
    return saved.id


def add_venue(db: Database, name: str, *, east: float = 1.0, **overrides: object) -> uuid.UUID:
    where = at_km(east, 0)
    values: dict[str, object] = {
        "name": name,
        "kind": "kodomo_shokudo",
        "coordinates": f"{where['latitude']}, {where['longitude']}",
        "capacity": 30,
        "schedule": "水 17:00-19:00、土 11:30-13:30",
        "wheelchair_access": True,
    }
    values.update(overrides)
    return VenueService(db).create(VenueInput(**values)).id  # type: ignore[arg-type]


def assignments(db: Database) -> list[Assignment]:
    with db.read() as session:
        return list(session.scalars(select(Assignment).order_by(Assignment.created_at)))


def assignment_count(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Assignment)) or 0


def test_suggest_reads_the_household_and_venues(db: Database, service: AssignmentService) -> None:
    hid = add_household(db, people=2, allergens="卵")
    add_venue(db, "近い食堂", east=1, allergens_handled="卵、乳")
    add_venue(db, "遠い食堂", east=4, allergens_handled="卵")
    add_venue(db, "卵なし", east=0.5)
    add_venue(db, "休止中", east=0.2, allergens_handled="卵", active=False)
    result = service.suggest(hid, TODAY)
    assert result.problem == ""
    assert result.household.size == 2 and result.household.allergens == {"卵"}
    assert [s.venue.name for s in result.ranked] == ["近い食堂", "遠い食堂"]
    assert [s.venue.name for s in result.excluded] == ["休止中", "卵なし"]
    assert "今後1週間に2回開催" in result.ranked[0].reasons


@pytest.mark.parametrize(
    ("change", "detail"),
    [
        (None, "同意の記録がない"),
        (consent(expires_on="2024-06-30"), "同意の有効期限が切れている"),
        ("withdraw", "同意が撤回されている"),
        (consent(purposes=["support"]), "利用目的「居場所への紹介」"),
        (consent(recipients=["municipality"]), "提供先「利用する会場」"),
    ],
    ids=["missing", "expired", "withdrawn", "no_purpose", "no_recipient"],
)
def test_without_consent_suggest_warns_assign_refuses_and_plan_leaves_out(
    db: Database, service: AssignmentService, change: object, detail: str
) -> None:
    hid = add_household(db, consented=False)
    if isinstance(change, ConsentInput):
        record_consent(db, hid, change)
    elif change == "withdraw":
        withdraw_consent(db, record_consent(db, hid, consent()).id, "2024-05-01")
    venue_id = add_venue(db, "こども食堂")
    result = service.suggest(hid, TODAY)
    assert detail in result.problem and "同意がありません" in result.problem
    assert [s.venue.name for s in result.ranked] == ["こども食堂"]  # still shown, for the talk
    with pytest.raises(EvacError) as info:
        service.assign(hid, venue_id, today=TODAY)
    assert info.value.code == "assignment.no_consent"
    plan = service.plan(TODAY)
    assert plan.placements == []
    assert [(h.id, detail in why) for h, why in plan.unplaced] == [(hid, True)]
    assert assignment_count(db) == 0


def test_a_household_whose_address_gives_no_place_says_why_in_suggest_and_plan(
    db: Database, service: AssignmentService
) -> None:
    saved = HouseholdService(db).create(
        household(coordinates="", current_address="どこかの町1-1", postal_code="")
    )
    record_consent(db, saved.id, consent())
    add_venue(db, "こども食堂")
    result = service.suggest(saved.id, TODAY)
    assert result.suggestions == []
    assert result.problem.startswith(
        "住所から場所を特定できません：住所から市区町村を読み取れません"
    )
    set_language("en")
    assert service.suggest(saved.id, TODAY).problem.startswith("No place found from the address")
    assert service.plan(TODAY).unplaced[0][1] == (
        "No place found: No municipality recognised in the address"
    )


def test_an_address_alone_places_the_household_and_the_plan_assigns_it(
    db: Database, service: AssignmentService
) -> None:
    """What a municipal list gives (an address, no coordinates) is enough to be referred."""
    saved = HouseholdService(db).create(
        household(coordinates="", current_address="石川県金沢市香林坊2丁目4-1 ホテル金沢505号室")
    )
    record_consent(db, saved.id, consent())
    assert saved.location_precision == "town" and saved.latitude is not None
    add_venue(db, "こども食堂", east=0.5)
    result = service.suggest(saved.id, TODAY)
    assert [s.venue.name for s in result.ranked] == ["こども食堂"] and not result.problem
    assert service.plan(TODAY).placements[0].household.id == saved.id


def test_an_approximate_point_says_so_beside_the_distance(
    db: Database, service: AssignmentService
) -> None:
    saved = HouseholdService(db).create(
        household(coordinates="", current_address="", postal_code="920-0961")
    )
    record_consent(db, saved.id, consent())
    assert saved.location_precision == "postal"
    add_venue(db, "こども食堂", east=0.5)
    reasons = service.suggest(saved.id, TODAY).ranked[0].reasons
    assert reasons[0].startswith("直線距離 約") and "郵便番号の区域の代表点から" in reasons[0]
    placed = service.plan(TODAY).placements[0]
    assert placed.household.approximate


def test_plan_writes_nothing_and_apply_writes_everything(
    db: Database, service: AssignmentService
) -> None:
    ids = [add_household(db, east=i, people=2) for i in range(3)]
    add_venue(db, "A", east=0, capacity=4)
    add_venue(db, "B", east=2, capacity=4)
    plan = service.plan(TODAY)
    assert assignment_count(db) == 0
    assert len(plan.placements) == 3 and plan.unplaced == [] and plan.optimal
    assert service.plan(TODAY).placements == plan.placements  # the same again: nothing changed
    assert service.apply(plan, TODAY) == 3
    stored = assignments(db)
    assert sorted(a.household_id for a in stored) == sorted(ids)
    assert all(a.status == "active" and a.start_on == TODAY for a in stored)
    assert all(a.reason.startswith("一括割り当て：直線距離") for a in stored)
    assert service.plan(TODAY).placements == []  # households already assigned are not planned
    loads = {v.name: v.assigned_people for v in service.venues()}
    assert sum(loads.values()) == 6 and all(n <= 4 for n in loads.values())


def test_apply_refuses_a_plan_when_a_household_was_assigned_meanwhile(
    db: Database, service: AssignmentService
) -> None:
    first, second = add_household(db), add_household(db, east=1)
    venue_id = add_venue(db, "A", capacity=5)
    plan = service.plan(TODAY)
    service.assign(second, venue_id, today=TODAY, reason="電話で決定")
    with pytest.raises(EvacError) as info:
        service.apply(plan, TODAY)
    assert info.value.code == "assignment.plan_stale"
    assert [a.household_id for a in assignments(db)] == [second]  # nothing of the plan written
    assert first in {p.household.id for p in plan.placements}


def test_apply_refuses_a_plan_when_a_venue_filled_meanwhile(
    db: Database, service: AssignmentService
) -> None:
    add_household(db, people=2)
    late = add_household(db, east=5)
    add_venue(db, "A", capacity=2)
    plan = service.plan(TODAY)
    assert plan.placed_people == 2 and [h.id for h, _ in plan.unplaced] == [late]
    # someone hands the last places to another household before the plan is confirmed
    other = add_household(db, east=0.5)
    service.assign(other, service.venues()[0].id, today=TODAY)
    with pytest.raises(EvacError) as info:
        service.apply(plan, TODAY)
    assert info.value.code == "assignment.plan_stale"
    assert assignment_count(db) == 1


def test_apply_refuses_a_plan_when_consent_was_withdrawn_meanwhile(
    db: Database, service: AssignmentService
) -> None:
    hid = add_household(db)
    add_venue(db, "A")
    plan = service.plan(TODAY)
    household = HouseholdService(db).get(hid)
    assert household.current_consent is not None
    withdraw_consent(db, household.current_consent.id, "2024-06-30")
    with pytest.raises(EvacError) as info:
        service.apply(plan, TODAY)
    assert info.value.code == "assignment.plan_stale"
    assert assignment_count(db) == 0


def test_a_plan_cannot_be_applied_twice(db: Database, service: AssignmentService) -> None:
    add_household(db)
    add_venue(db, "A")
    plan = service.plan(TODAY)
    service.apply(plan, TODAY)
    with pytest.raises(EvacError, match="作り直して"):
        service.apply(plan, TODAY)
    assert assignment_count(db) == 1
    assert service.apply(AllocationPlan(), TODAY) == 0


def test_closed_deleted_and_assigned_households_are_not_planned(
    db: Database, service: AssignmentService
) -> None:
    households = HouseholdService(db)
    open_one = add_household(db)
    closed = add_household(db)
    households.close(closed, "2024-06-01")
    deleted = add_household(db)
    households.soft_delete(deleted)
    assigned = add_household(db)
    venue_id = add_venue(db, "A")
    service.assign(assigned, venue_id, today=TODAY)
    plan = service.plan(TODAY)
    assert [p.household.id for p in plan.placements] == [open_one]
    assert plan.unplaced == []


def test_assign_then_reassign_keeps_the_history(db: Database, service: AssignmentService) -> None:
    hid = add_household(db, people=2)
    first = add_venue(db, "A", capacity=2)
    second = add_venue(db, "B", east=2)
    service.assign(hid, first, start_on="2024-06-01", reason="近い", today=TODAY)
    assert {v.name: (v.assigned_people, v.assigned_households) for v in service.venues()} == {
        "A": (2, 1),
        "B": (0, 0),
    }
    # the household's own places do not make its venue "full" for it
    assert not service.suggest(hid, TODAY).suggestions[0].excluded
    service.assign(hid, second, start_on="2024-07-01", reason="引っ越し", today=TODAY)
    old, new = assignments(db)
    assert (old.venue_id, old.status, old.end_on, old.end_reason) == (
        first,
        "ended",
        date(2024, 7, 1),
        "引っ越し",
    )
    assert (new.venue_id, new.status, new.start_on, new.reason) == (
        second,
        "active",
        date(2024, 7, 1),
        "引っ越し",
    )
    assert {v.name: v.assigned_people for v in service.venues()} == {"A": 0, "B": 2}


def test_reassign_without_a_reason_records_the_move(
    db: Database, service: AssignmentService
) -> None:
    hid = add_household(db)
    service.assign(hid, add_venue(db, "A"), today=TODAY)
    service.assign(hid, add_venue(db, "B"), today=TODAY)
    assert assignments(db)[0].end_reason == "別の会場へ変更"


def test_assign_refuses_the_same_venue_twice(db: Database, service: AssignmentService) -> None:
    hid = add_household(db)
    venue_id = add_venue(db, "A")
    service.assign(hid, venue_id, today=TODAY)
    with pytest.raises(EvacError) as info:
        service.assign(hid, venue_id, today=TODAY)
    assert info.value.code == "assignment.already"
    assert "「A」" in str(info.value)
    assert assignment_count(db) == 1


@pytest.mark.parametrize(
    ("venue", "reason"),
    [
        ({"active": False}, "休止中"),
        ({"capacity": 1}, "満員"),
        ({"allergens_handled": "乳"}, "卵"),
        ({"wheelchair_access": False}, "車椅子"),
        ({"coordinates": ""}, "位置が未登録"),
    ],
)
def test_assign_refuses_an_unsuitable_venue(
    db: Database, service: AssignmentService, venue: dict[str, object], reason: str
) -> None:
    hid = add_household(db, people=2, allergens="卵", needs_wheelchair=True)
    venue_id = add_venue(db, "A", **{"allergens_handled": "卵", **venue})
    with pytest.raises(EvacError) as info:
        service.assign(hid, venue_id, today=TODAY)
    assert info.value.code == "assignment.not_suitable"
    assert reason in str(info.value)
    assert assignment_count(db) == 0


def test_assign_refuses_a_start_before_the_current_one(
    db: Database, service: AssignmentService
) -> None:
    hid = add_household(db)
    service.assign(hid, add_venue(db, "A"), start_on="2024-06-15", today=TODAY)
    with pytest.raises(EvacError) as info:
        service.assign(hid, add_venue(db, "B"), start_on="2024-06-01", today=TODAY)
    assert info.value.code == "assignment.start_before_current"
    assert "2024-06-15" in str(info.value)
    assert [a.status for a in assignments(db)] == ["active"]


def test_assign_checks_its_fields_and_the_venue(db: Database, service: AssignmentService) -> None:
    hid = add_household(db)
    with pytest.raises(ValidationError) as info:
        service.assign(hid, uuid.uuid4(), start_on="2024-13-01", reason="x" * 501, today=TODAY)
    assert {e.field for e in info.value.errors} == {"start_on", "reason"}
    with pytest.raises(EvacError) as missing:
        service.assign(hid, uuid.uuid4(), today=TODAY)
    assert missing.value.code == "venue.not_found"


def test_end_needs_a_reason_and_an_active_assignment(
    db: Database, service: AssignmentService
) -> None:
    hid = add_household(db)
    venue_id = add_venue(db, "A")
    with pytest.raises(EvacError) as none:
        service.end(hid, end_on="2024-07-01", reason="帰宅")
    assert none.value.code == "assignment.none"
    service.assign(hid, venue_id, start_on="2024-06-01", today=TODAY)
    with pytest.raises(ValidationError) as info:
        service.end(hid, end_on="2024-07-01", reason="  ")
    assert [(e.field, e.code) for e in info.value.errors] == [("reason", "value.required")]
    with pytest.raises(EvacError) as order:
        service.end(hid, end_on="2024-05-01", reason="帰宅")
    assert order.value.code == "date.order"
    ended = service.end(hid, end_on="2024-07-01", reason="自宅に戻った")
    assert (ended.status, ended.end_on, ended.end_reason) == ("ended", TODAY, "自宅に戻った")
    assert service.venues()[0].assigned_people == 0
    assert service.plan(TODAY).placements[0].household.id == hid  # free to be placed again


def test_closing_a_case_ends_its_referral_and_frees_the_place(db: Database) -> None:
    from evacsupport.db.models import Household

    service = HouseholdService(db)
    saved = service.create(household())
    venue = VenueService(db).create(VenueInput(name="閉じる会場", capacity=10))
    with db.session() as session:
        session.add(Assignment(household_id=saved.id, venue_id=venue.id, start_on=date(2024, 3, 1)))
    service.close(saved.id, "2024-06-01")
    with db.read() as session:
        (assignment,) = session.query(Assignment).all()
        assert session.get(Household, saved.id).status == "closed"  # type: ignore[union-attr]
    assert (assignment.status, assignment.end_on.isoformat(), assignment.end_reason) == (
        "ended",
        "2024-06-01",
        "支援終了",
    )
    assert AssignmentService(db).venues()[0].assigned_people == 0
