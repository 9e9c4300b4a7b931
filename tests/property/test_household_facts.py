"""The stored household facts against a full recomputation, over random histories.

Meals (runs of them, so the recent-meal list fills up), their undo, visits, check-ins with
scores for either member, follow-ups opened and done, households deleted and erased: all
through the services. After each history the stored rows must equal a recomputation from the
history, and the household list, the risk counts and the monthly report's risk figures must be
the same from the stored facts as from the old whole-history path (``compute_facts``), for
several days and risk settings.
"""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from unittest import mock

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from evacsupport.db import Database
from evacsupport.db.facts import compute_rows, stored_rows
from evacsupport.errors import EvacError
from evacsupport.services import caseload, erasure, reporting
from evacsupport.services.caseload import load_caseload, risk_level_counts
from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.reporting import monthly_figures
from evacsupport.services.risk import RiskSettings
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

TODAY = date(2024, 6, 30)
NOON = datetime.combine(TODAY, time(12), UTC)
HOUSEHOLDS = 3

HISTORIES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

_household = st.integers(0, HOUSEHOLDS - 1)
_ago = st.integers(0, 90)
_answers = st.lists(st.integers(0, 4), min_size=6, max_size=6)
actions = st.lists(
    st.one_of(
        st.tuples(st.just("meals"), _household, _ago, st.integers(1, 20)),
        st.tuples(st.just("undo"), st.integers(0, 100)),
        st.tuples(st.just("visit"), _household, _ago),
        st.tuples(
            st.just("checkin"), _household, st.integers(0, 1), _ago, _answers, st.integers(1, 5)
        ),
        st.tuples(st.just("followup"), _household, st.integers(-30, 30)),
        st.tuples(st.just("done"), st.integers(0, 100), _ago),
        st.tuples(st.just("delete"), _household),
        st.tuples(st.just("erase"), _household),
    ),
    max_size=25,
)
risk_settings = st.builds(
    RiskSettings,
    alone_no_contact_days=st.integers(0, 40),
    stopped_days=st.integers(0, 30),
    regular_min_meals=st.integers(0, 20),  # above 16: the meal index must be asked
    regular_weeks=st.integers(0, 10),
    k6_worsen=st.integers(1, 6),
    ucla3_worsen=st.integers(1, 3),
    loneliness_worsen=st.integers(1, 3),
)


def _apply(db: Database, steps: list[tuple[Any, ...]]) -> None:
    venue = VenueService(db).create(VenueInput(name="こども食堂かなざわ", capacity=30))
    people = HouseholdService(db)
    made = [
        people.create(household(members=[member(birth_date="1940-01-01")])),
        people.create(household(members=[member(), member(given_name="太郎", relation="spouse")])),
        people.create(household(members=[member(birth_date="1990-04-01")])),
    ]
    members = [[m.id for m in people.get(h.id).members] for h in made]
    meals, contacts, followups = MealService(db), ContactService(db), FollowUpService(db)
    logged: list[uuid.UUID] = []
    tasks: list[uuid.UUID] = []
    for step in steps:
        kind, args = step[0], step[1:]
        # a household deleted or erased earlier refuses what follows: that is not the point here
        with contextlib.suppress(EvacError):
            if kind == "meals":
                h, ago, n = args
                for i in range(n):
                    day = TODAY - timedelta(days=max(ago - i, 0))
                    entry = MealEntry(venue.id, made[h].case_number, served_on=day)
                    logged.append(meals.log(entry, confirm_duplicate=True, now=NOON).id)
            elif kind == "undo" and logged:
                meals.undo(logged.pop(args[0] % len(logged)))
            elif kind == "visit":
                h, ago = args
                contacts.record_visit(
                    made[h].id, VisitInput(visited_on=TODAY - timedelta(days=ago)), today=TODAY
                )
            elif kind == "checkin":
                h, who, ago, k6, lonely = args
                member_id = members[h][min(who, len(members[h]) - 1)]
                contacts.record_checkin(
                    made[h].id,
                    CheckInInput(
                        member_id, TODAY - timedelta(days=ago), k6=k6, loneliness=[lonely]
                    ),
                    today=TODAY,
                )
            elif kind == "followup":
                h, due = args
                task = followups.add(made[h].id, due_on=TODAY + timedelta(days=due), reason="連絡")
                tasks.append(task.id)
            elif kind == "done" and tasks:
                n, ago = args
                followups.complete(
                    tasks[n % len(tasks)], "済み", done_on=TODAY - timedelta(days=ago)
                )
            elif kind == "delete":
                people.soft_delete(made[args[0]].id)
            elif kind == "erase":
                erasure.erase_household(db, made[args[0]].id, "request", today=TODAY)


def _without_stored_facts() -> contextlib.ExitStack:
    """The old path: every fact recomputed from the whole history."""
    stack = contextlib.ExitStack()
    for module in (caseload, reporting):
        stack.enter_context(mock.patch.object(module, "stored_facts", return_value=None))
    return stack


def _views(db: Database, day: date, risk: RiskSettings) -> Any:
    rows = [
        (r.id, r.last_contact, r.risk.level, tuple(r.risk.reasons))
        for r in load_caseload(db, today=day, settings=risk)
    ]
    counts = risk_level_counts(db, today=day, settings=risk)
    month = monthly_figures(db, day.replace(day=1), today=day, settings=risk)
    return rows, counts, month


@HISTORIES
@given(steps=actions, risk=risk_settings, later=st.sampled_from([0, 3, 15, 60]))
def test_stored_facts_equal_a_full_recomputation(
    make_db: Callable[[str], Database],
    steps: list[tuple[Any, ...]],
    risk: RiskSettings,
    later: int,
) -> None:
    db = make_db(f"facts-{uuid.uuid4().hex[:8]}")
    _apply(db, steps)
    with db.read() as session:
        conn = session.connection()
        assert stored_rows(conn) == compute_rows(conn)
    day = TODAY + timedelta(days=later)
    with db.read() as session:  # the stored path is the one being tested
        assert caseload.stored_facts(session, day, risk) is not None
    stored = _views(db, day, risk)
    with _without_stored_facts():
        assert _views(db, day, risk) == stored
    # the rows a change names, read alone (the household list after a meal), are the same rows
    whole = {row.id: row for row in load_caseload(db, today=day, settings=risk)}
    for hid in list(whole)[:3]:
        assert load_caseload(db, today=day, settings=risk, households=[hid]) == [whole[hid]]
