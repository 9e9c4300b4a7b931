"""Every count the monthly report prints, and every sum a reader can check between them.

:mod:`evacsupport.reports.monthly` prints each count through the :class:`Counts` made here,
so the small-cell mask covers the whole report at once: a figure printed in two tables (active
households in sections 1 and 5, the meal totals in section 2's two tables and section 3's week
table, the week totals as chart labels) is one key, and a chart label that adds table cells
(adults per meal type, guests included) is a line like any total. Keys:

* ``("g", code, field)``: one municipality's row (``code`` "*" is the total row, "guests" the
  row of unregistered guests in the meals-by-municipality table);
* ``("t", meal_type, field)``: the meals-by-type table (``meal_type`` "*" is its total row)
  and the adults and children of its chart;
* ``("w", venue, week, "meals" | "people")``: the week table by venue index and week index
  (either "*" for the totals), whose total row is also the week chart.
"""

from __future__ import annotations

from collections.abc import Hashable, Sequence

from evacsupport.reports.base import Counts
from evacsupport.services.reporting import (
    MEAL_TYPES,
    VISIT_KINDS,
    GroupFigures,
    MonthlyFigures,
)

# Section 1, and the columns of sections 5 and 6 (each with a total row).
HOUSEHOLD_FIELDS = (
    "new_households",
    "new_people",
    "active_households",
    "active_people",
    "closed_households",
    "closed_people",
)
CHECKIN_FIELDS = (
    "checkins",
    "checkin_households",
    "active_households",
    "risk_high",
    "risk_watch",
    "risk_none",
)
FOLLOWUP_FIELDS = ("followups_opened", "followups_closed")
RISK_FIELDS = ("risk_high", "risk_watch", "risk_none")  # add up to active_households
# The meals-by-type table's columns that add up over the types.
TYPE_SUMS = ("entries", "ev_adults", "ev_children", "guest_adults", "guest_children", "people")
TOTAL, GUESTS = "*", "guests"


def g(code: str, field: str) -> tuple[str, str, str]:
    return ("g", code, field)


def t(meal_type: str, field: str) -> tuple[str, str, str]:
    return ("t", meal_type, field)


def w(venue: int | str, week: int | str, what: str) -> tuple[str, int | str, int | str, str]:
    return ("w", venue, week, what)


def visit(kind: str) -> str:
    return f"visit:{kind}"


def people_of(meal_type: str) -> str:
    return f"people:{meal_type}"


# The total row of the meals-by-municipality table is the meals-by-type table's total column.
def meal_group_key(code: str, field: str) -> Hashable:
    """The key of a cell of the meals-by-municipality table (its total row includes guests,
    so it is the meals-by-type table's figures)."""
    if code != TOTAL:
        return g(code, field)
    if field == "meal_people":
        return t(TOTAL, "people")
    if field == "meal_logs":
        return t(TOTAL, "entries")
    if field.startswith("people:"):
        return t(field.removeprefix("people:"), "people")
    return g(TOTAL, field)  # meal_households


def monthly_counts(figures: MonthlyFigures, suppress_small: bool = True) -> Counts:
    """Declare every count of the report for ``figures`` (see the module docstring)."""
    counts = Counts(suppress_small)
    rows = [*figures.groups, figures.total]
    codes = [r.code for r in figures.groups]

    def column(field: str, extra: Sequence[Hashable] = ()) -> None:
        counts.line(g(TOTAL, field), [*(g(c, field) for c in codes), *extra])

    # 1. Households and people: each column adds up to the total row.
    for row in rows:
        for field in HOUSEHOLD_FIELDS:
            counts.add(g(row.code, field), getattr(row, field))
    for field in HOUSEHOLD_FIELDS:
        column(field)

    _meals(counts, figures)
    _weeks(counts, figures)

    # 4. Visits and calls: kinds add up to the row total, rows to the total row.
    for row in rows:
        for kind in VISIT_KINDS:
            counts.add(g(row.code, visit(kind)), row.visits.get(kind, 0))
        counts.add(g(row.code, "visit_total"), row.visit_total)
        counts.line_if_exact(
            g(row.code, "visit_total"), [g(row.code, visit(k)) for k in VISIT_KINDS]
        )
    for field in [*(visit(k) for k in VISIT_KINDS), "visit_total"]:
        column(field)

    # 5. Check-ins and risk: columns, and each row's risk levels add up to its active
    # households (every active household gets one level).
    for row in rows:
        for field in CHECKIN_FIELDS:
            counts.add(g(row.code, field), getattr(row, field))
        levels = [g(row.code, f) for f in RISK_FIELDS]
        counts.line_if_exact(g(row.code, "active_households"), levels)
    for field in CHECKIN_FIELDS:
        column(field)

    # 6. Follow-ups.
    for row in rows:
        for field in FOLLOWUP_FIELDS:
            counts.add(g(row.code, field), getattr(row, field))
    for field in FOLLOWUP_FIELDS:
        column(field)
    return counts


def _meals(counts: Counts, figures: MonthlyFigures) -> None:
    """Section 2: meals by type (evacuee households and guests), its chart, and meals by
    municipality."""
    total = figures.total
    for meal_type in MEAL_TYPES:
        ev, guest = total.meals[meal_type], figures.guests[meal_type]
        counts.add(t(meal_type, "entries"), ev.logs + guest.logs)
        counts.add(t(meal_type, "households"), ev.households)  # distinct: no sum
        counts.add(t(meal_type, "ev_adults"), ev.adults)
        counts.add(t(meal_type, "ev_children"), ev.children)
        counts.add(t(meal_type, "guest_adults"), guest.adults)
        counts.add(t(meal_type, "guest_children"), guest.children)
        counts.add(t(meal_type, "people"), ev.people + guest.people)
        # The chart: adults and children served, guests included.
        both = figures.meals_of_type(meal_type)
        counts.add(t(meal_type, "adults"), both.adults)
        counts.add(t(meal_type, "children"), both.children)
    # The total row as printed: over every meal type logged, so a sum over the types in the
    # code list (below) holds unless a record carries a type no longer in the list.
    guest_adults = sum(m.adults for m in figures.guests.values())
    guest_children = sum(m.children for m in figures.guests.values())
    counts.add(t(TOTAL, "entries"), total.meal_logs + figures.guest_logs)
    counts.add(t(TOTAL, "ev_adults"), sum(m.adults for m in total.meals.values()))
    counts.add(t(TOTAL, "ev_children"), sum(m.children for m in total.meals.values()))
    counts.add(t(TOTAL, "guest_adults"), guest_adults)
    counts.add(t(TOTAL, "guest_children"), guest_children)
    counts.add(t(TOTAL, "people"), total.meal_people + guest_adults + guest_children)
    counts.add(g(TOTAL, "meal_households"), total.meal_households)  # distinct: no sum
    for field in TYPE_SUMS:
        counts.line_if_exact(t(TOTAL, field), [t(m, field) for m in MEAL_TYPES])
    served = ("ev_adults", "ev_children", "guest_adults", "guest_children")
    for meal_type in (*MEAL_TYPES, TOTAL):
        counts.line(t(meal_type, "people"), [t(meal_type, f) for f in served])
    for m in MEAL_TYPES:
        counts.line(t(m, "adults"), [t(m, "ev_adults"), t(m, "guest_adults")])
        counts.line(t(m, "children"), [t(m, "ev_children"), t(m, "guest_children")])
        counts.line(t(m, "people"), [t(m, "adults"), t(m, "children")])

    # Meals by municipality: people by type, people, entries and households per row, the
    # guests' row (people by type and entries), and the total row (the by-type figures).
    codes = [row.code for row in figures.groups]
    for row in figures.groups:
        _group_meals(counts, row)
    guests = figures.guests
    for meal_type in MEAL_TYPES:
        counts.add(g(GUESTS, people_of(meal_type)), guests[meal_type].people)
        counts.line(
            g(GUESTS, people_of(meal_type)),
            [t(meal_type, "guest_adults"), t(meal_type, "guest_children")],
        )
    counts.add(g(GUESTS, "meal_people"), sum(m.people for m in guests.values()))
    counts.add(g(GUESTS, "meal_logs"), figures.guest_logs)
    counts.line_if_exact(g(GUESTS, "meal_people"), [g(GUESTS, people_of(m)) for m in MEAL_TYPES])
    counts.line(g(GUESTS, "meal_people"), [t(TOTAL, "guest_adults"), t(TOTAL, "guest_children")])
    for field in (*(people_of(m) for m in MEAL_TYPES), "meal_people", "meal_logs"):
        counts.line(meal_group_key(TOTAL, field), [*(g(c, field) for c in codes), g(GUESTS, field)])
    counts.line(g(TOTAL, "meal_households"), [g(c, "meal_households") for c in codes])


def _group_meals(counts: Counts, row: GroupFigures) -> None:
    for meal_type in MEAL_TYPES:
        counts.add(g(row.code, people_of(meal_type)), row.meals[meal_type].people)
    counts.add(g(row.code, "meal_people"), row.meal_people)
    counts.add(g(row.code, "meal_logs"), row.meal_logs)
    counts.add(g(row.code, "meal_households"), row.meal_households)
    by_type = [g(row.code, people_of(m)) for m in MEAL_TYPES]
    counts.line_if_exact(g(row.code, "meal_people"), by_type)


def _weeks(counts: Counts, figures: MonthlyFigures) -> None:
    """Section 3: entries and people by venue and week (two tables in one: "entries /
    people"), with venue totals, week totals (also the week chart) and the month's totals,
    which are the meals-by-type table's totals as well."""
    weeks = range(len(figures.weeks))
    for what, totals in (("meals", figures.week_meals), ("people", figures.week_people)):
        # Keys made once: a prefecture's 1,500 venues make this the biggest table.
        grid = [[w(vi, wi, what) for wi in weeks] for vi in range(len(figures.venues))]
        venue_totals = [w(vi, TOTAL, what) for vi in range(len(figures.venues))]
        week_totals = [w(TOTAL, wi, what) for wi in weeks]
        for keys, total, venue in zip(grid, venue_totals, figures.venues, strict=True):
            series = venue.meals if what == "meals" else venue.people
            for key, value in zip(keys, series, strict=True):
                counts.add(key, value)
            counts.add(total, sum(series))
            counts.line(total, keys)
        for wi, total in enumerate(week_totals):
            counts.add(total, totals[wi])
            counts.line(total, [keys[wi] for keys in grid])
        month = counts.add(w(TOTAL, TOTAL, what), sum(totals))
        counts.line(month, week_totals)
        counts.line(month, venue_totals)
        counts.line_if_exact(t(TOTAL, "entries" if what == "meals" else "people"), [month])
