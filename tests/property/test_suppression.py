"""Small-cell suppression holds against a reader who tries to back out every hidden count.

Tables are drawn with many small counts and zeros (and single rows or columns), masked by
:func:`evacsupport.domain.suppression.suppression_mask`, and attacked by ``tests.property
.attacker`` from what would be printed: the visible counts and the sums a reader can check.
"""

from __future__ import annotations

from collections.abc import Hashable

from hypothesis import given, settings
from hypothesis import strategies as st

from evacsupport.domain.suppression import (
    SMALL_CELL,
    Line,
    grid_lines,
    grid_mask,
    suppression_mask,
)
from tests.property.attacker import assert_nothing_comes_back, sum_equation, table_equations

PROPERTY = settings(max_examples=60, deadline=None)

# Zeros, counts of 1 to 4 and a few larger ones, as in a small organisation's month.
counts = st.one_of(
    st.just(0), st.integers(1, SMALL_CELL - 1), st.integers(1, 2), st.integers(5, 60)
)


@st.composite
def grids(draw: st.DrawFn, max_rows: int = 6, max_cols: int = 6) -> list[list[int]]:
    rows = draw(st.integers(1, max_rows))
    cols = draw(st.integers(1, max_cols))
    return [[draw(counts) for _ in range(cols)] for _ in range(rows)]


def printed_table(
    grid: list[list[int]], row_totals: bool, column_totals: bool
) -> tuple[
    dict[Hashable, int],
    list[list[Hashable]],
    list[Hashable] | None,
    list[Hashable] | None,
    Hashable | None,
]:
    """The counts a table prints (cells and the margins asked for) and their keys."""
    values: dict[Hashable, int] = {}
    cells = [[("c", i, j) for j in range(len(grid[0]))] for i in range(len(grid))]
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            values["c", i, j] = v
    rows = [("r", i) for i in range(len(grid))] if row_totals else None
    cols = [("k", j) for j in range(len(grid[0]))] if column_totals else None
    grand = "g" if row_totals and column_totals else None
    for i, key in enumerate(rows or ()):
        values[key] = sum(grid[i])
    for j, key in enumerate(cols or ()):
        values[key] = sum(row[j] for row in grid)
    if grand:
        values[grand] = sum(map(sum, grid))
    return values, cells, rows, cols, grand


@PROPERTY
@given(grids(), st.booleans(), st.booleans())
def test_no_hidden_count_of_a_table_comes_back(
    grid: list[list[int]], row_totals: bool, column_totals: bool
) -> None:
    values, cells, rows, cols, grand = printed_table(grid, row_totals, column_totals)
    hidden = set(
        suppression_mask(
            values, grid_lines(cells, row_totals=rows, column_totals=cols, grand_total=grand)
        )
    )
    assert_nothing_comes_back(values, hidden, table_equations(cells, rows, cols, grand))
    # grid_mask is the same computation on the counts alone.
    mask = grid_mask(grid, row_totals=row_totals, column_totals=column_totals)
    from_grid = {
        cells[i][j]
        for i, row in enumerate(mask.cells)
        for j, is_hidden in enumerate(row)
        if is_hidden
    }
    assert from_grid == {k for k in hidden if k[0] == "c"}


@st.composite
def glued(
    draw: st.DrawFn,
) -> tuple[dict[Hashable, int], list[Line[Hashable]], list[dict[Hashable, int]]]:
    """Two tables sharing figures, as the monthly report's meal tables do: table A (kinds ×
    columns, with both margins), table B (groups × kinds) whose total row is A's row-total
    column, and a chart label that adds two of A's columns."""
    a = draw(grids(max_rows=4, max_cols=3))
    kinds, a_cols = len(a), len(a[0])
    groups = draw(st.integers(1, 4))
    # B's columns add up to A's row totals: split each row total among the groups.
    b = [[0] * kinds for _ in range(groups)]
    for t in range(kinds):
        total = sum(a[t])
        cuts = sorted(
            draw(st.lists(st.integers(0, total), min_size=groups - 1, max_size=groups - 1))
        )
        shares = [hi - lo for lo, hi in zip([0, *cuts], [*cuts, total], strict=True)]
        for g in range(groups):
            b[g][t] = shares[g]
    values: dict[Hashable, int] = {}
    a_cells = [[("a", t, j) for j in range(a_cols)] for t in range(kinds)]
    for t in range(kinds):
        for j in range(a_cols):
            values["a", t, j] = a[t][j]
    kind_totals = [("kind", t) for t in range(kinds)]  # A's row totals = B's total row
    a_col_totals = [("a", "*", j) for j in range(a_cols)]
    for t, key in enumerate(kind_totals):
        values[key] = sum(a[t])
    for j, key in enumerate(a_col_totals):
        values[key] = sum(a[t][j] for t in range(kinds))
    values["grand"] = sum(map(sum, a))
    b_cells = [[("b", g, t) for t in range(kinds)] for g in range(groups)]
    group_totals = [("group", g) for g in range(groups)]
    for g in range(groups):
        for t in range(kinds):
            values["b", g, t] = b[g][t]
        values["group", g] = sum(b[g])
    lines = grid_lines(
        a_cells, row_totals=kind_totals, column_totals=a_col_totals, grand_total="grand"
    ) + grid_lines(b_cells, row_totals=group_totals, column_totals=kind_totals, grand_total="grand")
    equations = table_equations(a_cells, kind_totals, a_col_totals, "grand") + table_equations(
        b_cells, group_totals, kind_totals, "grand"
    )
    if a_cols >= 2:  # the chart: the first two columns of A added, for each kind
        for t in range(kinds):
            values["chart", t] = a[t][0] + a[t][1]
            lines.append(Line(("chart", t), (("a", t, 0), ("a", t, 1))))
            equations.append(sum_equation(("chart", t), [("a", t, 0), ("a", t, 1)]))
    return values, lines, equations


@PROPERTY
@given(glued())
def test_no_hidden_count_comes_back_from_tables_that_share_figures(
    case: tuple[dict[Hashable, int], list[Line[Hashable]], list[dict[Hashable, int]]],
) -> None:
    values, lines, equations = case
    hidden = set(suppression_mask(values, lines))
    assert_nothing_comes_back(values, hidden, equations)
