"""A reader trying to back out hidden counts from what a report prints.

Written apart from :mod:`evacsupport.domain.suppression` on purpose: the tests state the sums
a reader can check in their own terms (``equations``), and the attacker solves them three ways,
as someone with a pencil, a linear-algebra package or a linear-programming one would:

* substitution: a sum with exactly one unknown gives it; repeat with what that gave;
* linear algebra (exact fractions): an unknown fixed by any combination of the sums;
* bounds: every hidden count is at least 1 (0 prints as 0), so the smallest and the largest
  value each hidden count can take under the sums; one whole number between them is a leak.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable, Mapping, Sequence
from fractions import Fraction

import numpy as np
from scipy.optimize import linprog

Equation = Mapping[Hashable, int]  # sum(coefficient * value) == 0


def table_equations(
    cells: Sequence[Sequence[Hashable]],
    row_totals: Sequence[Hashable] | None,
    column_totals: Sequence[Hashable] | None,
    grand_total: Hashable | None,
) -> list[dict[Hashable, int]]:
    """What a reader adds up on a printed table: rows to their totals, columns to theirs, and
    the totals to the grand total."""
    equations: list[dict[Hashable, int]] = []
    if row_totals is not None:
        for total, row in zip(row_totals, cells, strict=True):
            equations.append({total: -1, **dict.fromkeys(row, 1)})
    if column_totals is not None:
        for j, total in enumerate(column_totals):
            equations.append({total: -1, **{row[j]: 1 for row in cells}})
    if grand_total is not None:
        for totals in (row_totals, column_totals):
            if totals is not None:
                equations.append({grand_total: -1, **dict.fromkeys(totals, 1)})
    return equations


def sum_equation(whole: Hashable, parts: Iterable[Hashable]) -> dict[Hashable, int]:
    return {whole: -1, **dict.fromkeys(parts, 1)}


def by_substitution(
    values: Mapping[Hashable, int], hidden: set[Hashable], equations: Sequence[Equation]
) -> dict[Hashable, int]:
    """Hidden counts given back by sums with one unknown, repeated."""
    known = {k: v for k, v in values.items() if k not in hidden}
    found: dict[Hashable, int] = {}
    progress = True
    while progress:
        progress = False
        for equation in equations:
            unknown = [k for k in equation if k not in known]
            if len(unknown) != 1:
                continue
            (k,) = unknown
            rest = sum(a * known[j] for j, a in equation.items() if j != k)
            value = Fraction(-rest, equation[k])
            assert value == values[k], "the report's sums do not hold"
            known[k] = found[k] = int(value)
            progress = True
    return found


def by_linear_algebra(
    values: Mapping[Hashable, int], hidden: set[Hashable], equations: Sequence[Equation]
) -> set[Hashable]:
    """Hidden counts fixed by some combination of the sums (exact reduced row echelon form)."""
    unknowns = sorted(hidden, key=repr)
    column = {k: i for i, k in enumerate(unknowns)}
    rows = []
    for equation in equations:
        row = [Fraction(0)] * len(unknowns)
        for k, a in equation.items():
            if k in column:
                row[column[k]] += a
        if any(row):
            rows.append(row)
    pivots: list[int] = []
    r = 0
    for c in range(len(unknowns)):
        pivot = next((i for i in range(r, len(rows)) if rows[i][c] != 0), None)
        if pivot is None:
            continue
        rows[r], rows[pivot] = rows[pivot], rows[r]
        lead = rows[r][c]
        rows[r] = [x / lead for x in rows[r]]
        for i in range(len(rows)):
            if i != r and rows[i][c] != 0:
                factor = rows[i][c]
                rows[i] = [x - factor * y for x, y in zip(rows[i], rows[r], strict=True)]
        pivots.append(c)
        r += 1
    determined = set()
    for i, c in enumerate(pivots):
        if all(rows[i][j] == 0 for j in range(len(unknowns)) if j != c):
            determined.add(unknowns[c])
    return determined


def by_bounds(
    values: Mapping[Hashable, int], hidden: set[Hashable], equations: Sequence[Equation]
) -> set[Hashable]:
    """Hidden counts that the sums and "at least 1" allow only one whole-number value."""
    unknowns = sorted(hidden, key=repr)
    if not unknowns:
        return set()
    column = {k: i for i, k in enumerate(unknowns)}
    a_eq, b_eq = [], []
    for equation in equations:
        row = np.zeros(len(unknowns))
        rest = 0.0
        for k, a in equation.items():
            if k in column:
                row[column[k]] += a
            else:
                rest -= a * values[k]
        if row.any():
            a_eq.append(row)
            b_eq.append(rest)
    # Every solution found is a point the sums allow: it shows ranges for all the counts at
    # once, so a count already seen to take two values a whole number apart needs no more.
    lowest = np.array([float(values[k]) for k in unknowns])
    highest = lowest.copy()
    pinned = set()
    for k, i in column.items():
        if not a_eq or highest[i] - lowest[i] >= 1 - 1e-7:
            continue
        objective = np.zeros(len(unknowns))
        objective[i] = 1.0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        assert low.status == 0, low.message
        lowest, highest = np.minimum(lowest, low.x), np.maximum(highest, low.x)
        if highest[i] - lowest[i] >= 1 - 1e-7:
            continue
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(1, None), method="highs")
        if high.status == 3:  # unbounded above
            continue
        assert high.status == 0, high.message
        lowest, highest = np.minimum(lowest, high.x), np.maximum(highest, high.x)
        if math.ceil(low.fun - 1e-7) == math.floor(-high.fun + 1e-7):
            pinned.add(k)
    return pinned


def _components(
    hidden: set[Hashable], equations: Sequence[Equation]
) -> list[tuple[set[Hashable], list[Equation]]]:
    """Hidden counts tied together by sums, each group with its sums (solved apart: faster)."""
    parent = {k: k for k in hidden}

    def find(k: Hashable) -> Hashable:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for equation in equations:
        unknown = [k for k in equation if k in hidden]
        for k in unknown[1:]:
            parent[find(k)] = find(unknown[0])
    groups: dict[Hashable, tuple[set[Hashable], list[Equation]]] = {}
    for k in hidden:
        groups.setdefault(find(k), (set(), []))[0].add(k)
    for equation in equations:
        unknown = [k for k in equation if k in hidden]
        if unknown:
            groups[find(unknown[0])][1].append(equation)
    return list(groups.values())


def leaks(
    values: Mapping[Hashable, int],
    hidden: set[Hashable],
    equations: Sequence[Equation],
    *,
    exact: bool = True,
) -> dict[str, set[Hashable]]:
    """Every way a hidden count comes back; empty sets when none does. ``exact=False`` leaves
    out the fraction arithmetic (slow on a whole report; the bounds find what it finds)."""
    found: dict[str, set[Hashable]] = {"substitution": set(), "bounds": set()}
    if exact:
        found["linear algebra"] = set()
    found["substitution"] = set(by_substitution(values, hidden, equations))
    for group, own in _components(hidden, equations):
        if exact:
            found["linear algebra"] |= by_linear_algebra(values, group, own)
        found["bounds"] |= by_bounds(values, group, own)
    return found


def assert_nothing_comes_back(
    values: Mapping[Hashable, int],
    hidden: set[Hashable],
    equations: Sequence[Equation],
    *,
    exact: bool = True,
    threshold: int = 5,
) -> None:
    """Every count of 1 to ``threshold - 1`` is hidden, no 0 is, and none comes back."""
    assert {k for k, v in values.items() if 0 < v < threshold} <= hidden  # primary
    assert all(values[k] > 0 for k in hidden)  # a 0 is never hidden
    found = leaks(values, hidden, equations, exact=exact)
    assert not any(found.values()), {how: sorted(map(repr, keys)) for how, keys in found.items()}
