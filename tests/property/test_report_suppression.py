"""The monthly and venue activity reports, attacked as a whole.

Figures are drawn (few households, so many counts of 1 to 4 and zeros), declared by the
reports' own :func:`monthly_counts` and :func:`venue_counts`, and attacked with the sums a
reader can check on the printed pages, written out here from the layout of the pages (not
taken from the reports' declarations): if a report forgot to declare a sum that it prints,
the attacker still uses it. With suppression off, every count prints as it is.
"""

from __future__ import annotations

import uuid
from collections.abc import Hashable
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from evacsupport.reports.base import Counts
from evacsupport.reports.monthly_counts import monthly_counts
from evacsupport.reports.venue_activity import venue_counts
from evacsupport.services.reporting import (
    MEAL_TYPES,
    VISIT_KINDS,
    GroupFigures,
    MealCounts,
    MonthlyFigures,
    VenueWeeks,
    month_weeks,
)
from evacsupport.services.venue_report import MealTypeCount, SessionRow, VenueActivity
from tests.property.attacker import Equation, assert_nothing_comes_back, sum_equation

REPORTS = settings(max_examples=25, deadline=None)
MONTH = date(2024, 3, 1)
CODES = ("172049", "172057", "173843", "")  # 輪島市, 珠洲市, 志賀町, unknown

small = st.one_of(st.just(0), st.integers(1, 4), st.integers(0, 12))


@st.composite
def split(draw: st.DrawFn, total: int, parts: int) -> list[int]:
    """``total`` cut into ``parts`` non-negative counts."""
    cuts = sorted(draw(st.lists(st.integers(0, total), min_size=parts - 1, max_size=parts - 1)))
    return [b - a for a, b in zip([0, *cuts], [*cuts, total], strict=True)]


@st.composite
def monthly(draw: st.DrawFn) -> MonthlyFigures:
    groups = []
    for code in CODES[: draw(st.integers(1, len(CODES)))]:
        row = GroupFigures(code, code or "不明")
        for field in (
            "new_households",
            "new_people",
            "active_people",
            "closed_households",
            "closed_people",
            "checkins",
            "checkin_households",
            "followups_opened",
            "followups_closed",
        ):
            setattr(row, field, draw(small))
        row.risk_high, row.risk_watch, row.risk_none = draw(small), draw(small), draw(small)
        row.active_households = row.risk_high + row.risk_watch + row.risk_none
        for meal_type in MEAL_TYPES:
            row.meals[meal_type] = MealCounts(draw(small), draw(small), draw(small), draw(small))
        row.meal_households = draw(small)
        row.visits = {kind: draw(small) for kind in VISIT_KINDS}
        groups.append(row)
    total = GroupFigures("*", "合計")
    for row in groups:
        total.add(row)
    guests = {m: MealCounts(draw(small), draw(small), draw(small), 0) for m in MEAL_TYPES}
    weeks = month_weeks(MONTH)
    logs = total.meal_logs + sum(m.logs for m in guests.values())
    people = total.meal_people + sum(m.people for m in guests.values())
    n_venues = draw(st.integers(1, 3))
    meal_cells = draw(split(logs, n_venues * len(weeks)))
    people_cells = draw(split(people, n_venues * len(weeks)))
    venues = [
        VenueWeeks(
            f"会場{v}",
            meal_cells[v * len(weeks) : (v + 1) * len(weeks)],
            people_cells[v * len(weeks) : (v + 1) * len(weeks)],
        )
        for v in range(n_venues)
    ]
    return MonthlyFigures(MONTH, "origin", MONTH, groups, total, guests, weeks, venues)


def monthly_equations(figures: MonthlyFigures) -> list[Equation]:
    """The sums a reader of the monthly report can check, table by table, as printed."""
    codes = [row.code for row in figures.groups]
    eq: list[Equation] = []

    def total_row(field: str, extra: tuple[Hashable, ...] = ()) -> None:
        eq.append(sum_equation(("g", "*", field), [*(("g", c, field) for c in codes), *extra]))

    # 1. Households and people: the total row.
    for field in ("new_households", "new_people", "active_households", "active_people"):
        total_row(field)
    for field in ("closed_households", "closed_people"):
        total_row(field)
    # 2. Meals by type: each row adds up to its people; each column to the total row.
    served = ("ev_adults", "ev_children", "guest_adults", "guest_children")
    for m in (*MEAL_TYPES, "*"):
        eq.append(sum_equation(("t", m, "people"), [("t", m, f) for f in served]))
    for field in ("entries", *served, "people"):
        eq.append(sum_equation(("t", "*", field), [("t", m, field) for m in MEAL_TYPES]))
    # ... its chart: adults and children per type, guests included.
    for m in MEAL_TYPES:
        eq.append(
            sum_equation(("t", m, "adults"), [("t", m, "ev_adults"), ("t", m, "guest_adults")])
        )
        eq.append(
            sum_equation(
                ("t", m, "children"), [("t", m, "ev_children"), ("t", m, "guest_children")]
            )
        )
        eq.append(sum_equation(("t", m, "people"), [("t", m, "adults"), ("t", m, "children")]))
    # ... meals by municipality: rows, the guests' row, the total row (the by-type figures).
    rows = [*codes, "guests"]
    for c in rows:
        eq.append(
            sum_equation(("g", c, "meal_people"), [("g", c, f"people:{m}") for m in MEAL_TYPES])
        )
    for m in MEAL_TYPES:
        eq.append(sum_equation(("t", m, "people"), [("g", c, f"people:{m}") for c in rows]))
        eq.append(
            sum_equation(
                ("g", "guests", f"people:{m}"),
                [("t", m, "guest_adults"), ("t", m, "guest_children")],
            )
        )
    eq.append(sum_equation(("t", "*", "people"), [("g", c, "meal_people") for c in rows]))
    eq.append(sum_equation(("t", "*", "entries"), [("g", c, "meal_logs") for c in rows]))
    eq.append(
        sum_equation(("g", "*", "meal_households"), [("g", c, "meal_households") for c in codes])
    )
    eq.append(
        sum_equation(
            ("g", "guests", "meal_people"),
            [("t", "*", "guest_adults"), ("t", "*", "guest_children")],
        )
    )
    # 3. The week table (entries and people), whose month totals are section 2's totals.
    weeks = range(len(figures.weeks))
    venues = range(len(figures.venues))
    for what, same in (("meals", ("t", "*", "entries")), ("people", ("t", "*", "people"))):
        for v in venues:
            eq.append(sum_equation(("w", v, "*", what), [("w", v, k, what) for k in weeks]))
        for k in weeks:
            eq.append(sum_equation(("w", "*", k, what), [("w", v, k, what) for v in venues]))
        eq.append(sum_equation(("w", "*", "*", what), [("w", "*", k, what) for k in weeks]))
        eq.append(sum_equation(("w", "*", "*", what), [("w", v, "*", what) for v in venues]))
        eq.append(sum_equation(same, [("w", "*", "*", what)]))
    # 4. Visits: rows and columns.
    kinds = [f"visit:{k}" for k in VISIT_KINDS]
    for c in (*codes, "*"):
        eq.append(sum_equation(("g", c, "visit_total"), [("g", c, k) for k in kinds]))
    for field in (*kinds, "visit_total"):
        total_row(field)
    # 5. Check-ins: columns, and the risk levels of each row add up to its active households.
    for field in ("checkins", "checkin_households", "risk_high", "risk_watch", "risk_none"):
        total_row(field)
    for c in (*codes, "*"):
        risk = [("g", c, f) for f in ("risk_high", "risk_watch", "risk_none")]
        eq.append(sum_equation(("g", c, "active_households"), risk))
    # 6. Follow-ups.
    for field in ("followups_opened", "followups_closed"):
        total_row(field)
    return eq


def _attack(counts: Counts, equations: list[Equation]) -> None:
    values = dict(counts.declared)
    hidden = {k for k in values if counts.hidden(k)}
    assert_nothing_comes_back(values, hidden, equations, exact=False)


@REPORTS
@given(monthly())
def test_no_hidden_count_of_the_monthly_report_comes_back(figures: MonthlyFigures) -> None:
    _attack(monthly_counts(figures), monthly_equations(figures))


@st.composite
def venue(draw: st.DrawFn) -> VenueActivity:
    start = date(2024, 6, 1)
    days = sorted(draw(st.sets(st.integers(0, 29), min_size=0, max_size=6)))
    sessions = []
    for d in days:
        meals, people, households = draw(small), draw(small), draw(small)
        guests = people if households == 0 else draw(st.integers(0, people))
        sessions.append(SessionRow(start + timedelta(days=d), meals, people, households, guests))
    meals = sum(s.meals for s in sessions)
    people = sum(s.people for s in sessions)
    adults = draw(st.integers(0, people))
    meal_split = draw(split(meals, len(MEAL_TYPES)))
    people_split = draw(split(people, len(MEAL_TYPES)))
    return VenueActivity(
        uuid.uuid4(),
        "こども食堂",
        "kodomo_shokudo",
        start,
        start + timedelta(days=29),
        sessions=len(sessions),
        meals=meals,
        adults=adults,
        children=people - adults,
        guests=sum(s.guests for s in sessions),
        households=sum(s.households for s in sessions) and draw(st.integers(1, 12)),
        new_households=draw(small),
        regular_households=draw(small),
        by_type=tuple(
            MealTypeCount(m, a, b)
            for m, a, b in zip(MEAL_TYPES, meal_split, people_split, strict=True)
        ),
        per_session=tuple(sessions),
    )


def venue_equations(activity: VenueActivity) -> list[Equation]:
    """The summary's people are adults plus children, the types' people and the sessions'
    people; its meals the types' and the sessions' meals; its guests the sessions' guests; and
    where 0 households print, everyone served was a guest."""
    days = [s.day.isoformat() for s in activity.per_session]
    types = [t.meal_type for t in activity.by_type]
    equations = [
        sum_equation(("people",), [("adults",), ("children",)]),
        *(sum_equation((f,), [("type", m, f) for m in types]) for f in ("meals", "people")),
        *(sum_equation((f,), [("day", d, f) for d in days]) for f in ("meals", "people", "guests")),
    ]
    if activity.households == 0:
        equations.append(sum_equation(("people",), [("guests",)]))
    for s in activity.per_session:
        if s.households == 0:
            day = s.day.isoformat()
            equations.append(sum_equation(("day", day, "people"), [("day", day, "guests")]))
    return equations


@REPORTS
@given(venue())
def test_no_hidden_count_of_the_venue_report_comes_back(activity: VenueActivity) -> None:
    _attack(venue_counts(activity), venue_equations(activity))


@REPORTS
@given(monthly(), venue())
def test_without_suppression_every_count_prints_as_it_is(
    figures: MonthlyFigures, activity: VenueActivity
) -> None:
    for counts in (monthly_counts(figures, False), venue_counts(activity, False)):
        for key, value in counts.declared.items():
            assert not counts.hidden(key)
            assert counts.text(key) == f"{value:,}"
