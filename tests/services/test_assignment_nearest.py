"""One household's suggestions when there are many venues: read outwards from the household, only
the best suitable venues, the unsuitable ones among the nearest and the current venue are
returned, each ranked and explained exactly as :func:`suggestions_for` does over every venue."""

from __future__ import annotations

import contextlib
import random
import uuid
from datetime import date

import pytest

from evacsupport.db import Database
from evacsupport.db.models import Household
from evacsupport.errors import EvacError
from evacsupport.services.assignment import (
    AssignmentService,
    HouseholdNeeds,
    SuggestionResult,
    _household_query,
    _needs,
    nearest_suggestions,
    suggestions_for,
    venue_facts,
)
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household
from tests.services.test_assignment import TODAY, add_household, at_km

KINDS = ("kodomo_shokudo", "community_cafe", "salon", "food_pantry")
SCHEDULES = ("水 17:00-19:00、土 11:30-13:30", "日 12:00-13:00", "")


def add_venue_at(
    db: Database, name: str, east: float, north: float, **overrides: object
) -> uuid.UUID:
    where = at_km(east, north)
    values: dict[str, object] = {
        "name": name,
        "kind": "kodomo_shokudo",
        "coordinates": f"{where['latitude']}, {where['longitude']}",
        "capacity": 30,
        "schedule": "水 17:00-19:00",
        "wheelchair_access": True,
    }
    values.update(overrides)
    return VenueService(db).create(VenueInput(**values)).id  # type: ignore[arg-type]


def expected(full: SuggestionResult, limit: int) -> list[uuid.UUID]:
    """What the cut-short list holds, picked from the list over every venue."""
    nearest = sorted(
        (s for s in full.suggestions if s.distance_km is not None),
        key=lambda s: (s.distance_km, s.venue.name, s.venue.id.hex),
    )[:limit]
    keep = {s.venue.id for s in full.ranked[:limit]} | {s.venue.id for s in nearest if s.excluded}
    if full.household.current_venue_id is not None:
        keep.add(full.household.current_venue_id)
    return [s.venue.id for s in full.suggestions if s.venue.id in keep]


def needs_of(db: Database, household_id: uuid.UUID) -> HouseholdNeeds:
    with db.read() as session:
        household = session.scalar(_household_query().where(Household.id == household_id))
        assert household is not None
        return _needs(household, TODAY)


@pytest.fixture
def crowded(db: Database) -> dict[str, uuid.UUID]:
    """40 venues scattered up to 30 km around the households, some paused, small, without
    wheelchair access or allergen care, one without coordinates; households fill a few."""
    rng = random.Random(10)
    venues: dict[str, uuid.UUID] = {}
    for i in range(40):
        venues[f"会場{i:02d}"] = add_venue_at(
            db,
            f"会場{i:02d}",
            rng.uniform(-30, 30) * rng.random(),
            rng.uniform(-30, 30) * rng.random(),
            kind=rng.choice(KINDS),
            schedule=rng.choice(SCHEDULES),
            capacity=rng.choice([2, 3, 4, 30]),
            allergens_handled=rng.choice(["", "卵", "卵、乳"]),
            wheelchair_access=rng.random() < 0.7,
            active=rng.random() < 0.9,
        )
    venues["位置なし"] = VenueService(db).create(VenueInput(name="位置なし", capacity=30)).id
    service = AssignmentService(db)
    assigned = 0
    for i, (_, venue_id) in enumerate(sorted(venues.items())[:12]):
        hid = add_household(db, east=i, people=2)
        with contextlib.suppress(EvacError):  # unsuitable for this family: left unassigned
            service.assign(hid, venue_id, start_on="2024-06-01", today=TODAY)
            assigned += 1
    assert assigned >= 4
    return venues


@pytest.mark.parametrize("limit", [1, 5, 25])
@pytest.mark.parametrize(
    "family",
    [
        {"people": 2},
        {"people": 2, "allergens": "卵"},
        {"people": 3, "needs_wheelchair": True},
        {"people": 1, "east": 25.0},
    ],
    ids=["pair", "egg", "wheelchair", "far_east"],
)
def test_the_cut_short_list_is_the_full_one_restricted(
    db: Database, crowded: dict[str, uuid.UUID], limit: int, family: dict[str, object]
) -> None:
    hid = add_household(db, **family)  # type: ignore[arg-type]
    needs = needs_of(db, hid)
    with db.read() as session:
        full = suggestions_for(needs, venue_facts(session), TODAY)
        short = nearest_suggestions(session, needs, TODAY, limit=limit)
    by_id = {s.venue.id: s for s in full.suggestions}
    assert [s.venue.id for s in short.suggestions] == expected(full, limit)
    assert all(by_id[s.venue.id] == s for s in short.suggestions)  # same reasons and scores
    assert [s.venue.id for s in short.ranked[:limit]] == [s.venue.id for s in full.ranked[:limit]]
    assert short.problem == full.problem


def test_the_current_venue_is_kept_however_far(db: Database, crowded: dict[str, uuid.UUID]) -> None:
    hid = add_household(db, people=1)
    far = add_venue_at(db, "遠い会場", 60, 60)
    AssignmentService(db).assign(hid, far, start_on="2024-06-01", today=TODAY)
    needs = needs_of(db, hid)
    with db.read() as session:
        short = nearest_suggestions(session, needs, TODAY, limit=3)
        full = suggestions_for(needs, venue_facts(session), TODAY)
    assert far in {s.venue.id for s in short.suggestions}
    assert [s.venue.id for s in short.suggestions] == expected(full, 3)


def test_with_no_more_venues_than_the_limit_every_venue_is_listed(
    db: Database, crowded: dict[str, uuid.UUID]
) -> None:
    hid = add_household(db, people=2)
    needs = needs_of(db, hid)
    with db.read() as session:
        full = suggestions_for(needs, venue_facts(session), TODAY)
        every = nearest_suggestions(session, needs, TODAY, limit=len(crowded))
    assert every == full
    assert "位置なし" in [s.venue.name for s in every.excluded]


def test_a_household_without_coordinates_reads_no_venue(
    db: Database, crowded: dict[str, uuid.UUID]
) -> None:
    hid = (
        HouseholdService(db)
        .create(household(coordinates="", current_address="", postal_code=""))
        .id
    )
    with db.read() as session:
        result = nearest_suggestions(session, needs_of(db, hid), TODAY, limit=3)
    assert result.suggestions == [] and result.problem


def test_suggest_offers_the_best_thirty_of_many(db: Database) -> None:
    for i in range(45):
        add_venue_at(db, f"会場{i:02d}", i * 0.3, (i % 5) * 0.2)
    hid = add_household(db, people=1)
    result = AssignmentService(db).suggest(hid, date(2024, 7, 1))
    assert [s.venue.name for s in result.ranked] == [f"会場{i:02d}" for i in range(30)]
    assert result.excluded == []
