"""Small-cell suppression: the cases that made it more than hiding 1 to 4.

The property tests (tests/property/test_suppression.py) attack random tables; these pin the
behaviour on the cases a reader of the report would try first.
"""

from __future__ import annotations

import random
import time
from collections.abc import Hashable

import pytest

from evacsupport.domain import suppression
from evacsupport.domain.suppression import Line, grid_lines, grid_mask, suppression_mask
from tests.property.attacker import assert_nothing_comes_back, table_equations


def test_a_lone_small_cell_takes_the_next_smallest_of_its_line_with_it() -> None:
    # 志賀町's pantry: 63 - 52 - 10 - 0 = 1 as the report printed it before.
    values = {"total": 63, "a": 52, "b": 10, "c": 0, "shika": 1}
    hidden = suppression_mask(values, [Line("total", ("a", "b", "c", "shika"))])
    assert hidden == {"shika", "b"}  # the next smallest; the 0 stays a printed 0


def test_zeros_are_never_hidden_and_a_table_of_zeros_shows_everything() -> None:
    mask = grid_mask([[0, 0], [0, 0]])
    assert not any(map(any, mask.cells)) and not mask.grand_total
    mask = grid_mask([[3, 0, 0]], column_totals=False)
    assert mask.cells == ((True, False, False),)
    assert mask.row_totals == (True,)  # the row total is the same 3


def test_two_ones_that_must_add_up_to_two_are_not_left_alone() -> None:
    """0 prints as 0, so a reader knows a hidden count is at least 1: two hidden cells whose
    row says they add up to 2 are both 1. A third one is hidden."""
    values = {"total": 9, "a": 1, "b": 1, "c": 7}
    assert suppression_mask(values, [Line("total", ("a", "b", "c"))]) == {"a", "b", "c"}


def test_a_change_in_one_line_leaves_no_lone_hidden_cell_in_a_crossing_one() -> None:
    grid = [[2, 30, 40], [50, 60, 70], [80, 90, 99]]
    mask = grid_mask(grid)
    rows = [sum(row) for row in mask.cells]
    columns = [sum(col) for col in zip(*mask.cells, strict=True)]
    assert mask.cells[0][0]
    assert all(n != 1 for n in rows + columns)
    assert not any(mask.row_totals + mask.column_totals) and not mask.grand_total


def test_cells_pinned_by_several_lines_together_are_found() -> None:
    """Every line holds two hidden cells, yet one is fixed: two closed rectangles of hidden
    cells joined by a single cell (rows 0 and 1 minus columns 0 and 1 give it). The audit
    sees it; a rule on lone cells alone would not."""
    grid = [
        [1, 20, 30, 0],
        [40, 2, 0, 0],
        [0, 0, 3, 50],
        [0, 0, 60, 4],
    ]
    # Hide exactly the pattern by hand and ask the audit.
    values, cells, rows, cols, grand = _table(grid)
    problem = suppression._Problem(
        values, grid_lines(cells, row_totals=rows, column_totals=cols, grand_total=grand), 5
    )
    pattern = {(0, 0), (0, 1), (1, 0), (1, 1), (0, 2), (2, 2), (2, 3), (3, 2), (3, 3)}
    for i, j in pattern:
        problem.hidden[problem.keys.index(cells[i][j])] = 1
    for li, terms in enumerate(problem.lines):
        problem.hidden_in[li] = sum(problem.hidden[c] for c, _ in terms)
    assert all(n != 1 for n in problem.hidden_in)  # no lone hidden cell anywhere
    unsafe = {problem.keys[u.cell] for u in problem._audit()}
    assert cells[0][2] in unsafe  # the joining cell
    # The full algorithm protects everything.
    hidden = suppression_mask(
        values, grid_lines(cells, row_totals=rows, column_totals=cols, grand_total=grand)
    )
    assert_nothing_comes_back(values, set(hidden), table_equations(cells, rows, cols, grand))


def test_the_network_audit_and_the_linear_programs_agree() -> None:
    """Two ways to audit the same hidden cells must find the same pinned ones: the graph one
    (used for single tables) and the linear programs (used where figures are shared)."""
    rng = random.Random(7)
    for _ in range(80):
        rows, cols = rng.randint(1, 5), rng.randint(1, 5)
        grid = [[rng.choice([0, 0, 1, 2, 3, 6, 9, 20]) for _ in range(cols)] for _ in range(rows)]
        values, cells, r, c, g = _table(grid)
        problem = suppression._Problem(
            values, grid_lines(cells, row_totals=r, column_totals=c, grand_total=g), 5
        )
        for cell, value in enumerate(problem.value):
            if value and rng.random() < 0.5:
                problem.hidden[cell] = 1
        for li, terms in enumerate(problem.lines):
            problem.hidden_in[li] = sum(problem.hidden[x] for x, _ in terms)
        for cells_of, line_ids in _groups(problem):
            network = problem._network(cells_of, line_ids)
            assert network is not None  # a single table is a network
            by_graph = {cell for cell, _, _ in suppression._network_unsafe(*network)}
            assert by_graph == set(problem._lp_unsafe(cells_of, line_ids)), grid


def test_a_line_that_does_not_add_up_is_refused() -> None:
    with pytest.raises(ValueError, match="do not add up"):
        suppression_mask({"t": 5, "a": 3, "b": 3}, [Line("t", ("a", "b"))])
    with pytest.raises(ValueError, match="negative"):
        suppression_mask({"a": -1}, [])
    with pytest.raises(ValueError, match="unknown"):
        suppression_mask({"t": 3}, [Line("t", ("a",))])


def test_a_week_table_of_1500_venues_is_quick() -> None:
    rng = random.Random(3)

    def count() -> int:
        if rng.random() < 0.2:
            return 0
        return rng.randint(1, 4) if rng.random() < 0.05 else rng.randint(5, 90)

    grid = [[count() for _ in range(6)] for _ in range(1500)]
    start = time.perf_counter()
    mask = grid_mask(grid)
    assert time.perf_counter() - start < 2.0
    small = sum(1 for row in grid for v in row if 0 < v < 5)
    hidden = sum(map(sum, mask.cells))
    assert small <= hidden <= 3 * small  # complementary cells, not whole columns


def _table(
    grid: list[list[int]],
) -> tuple[dict[Hashable, int], list[list[Hashable]], list[Hashable], list[Hashable], Hashable]:
    values: dict[Hashable, int] = {}
    cells: list[list[Hashable]] = [
        [("c", i, j) for j in range(len(grid[0]))] for i in range(len(grid))
    ]
    for i, row in enumerate(grid):
        for j, v in enumerate(row):
            values["c", i, j] = v
    rows: list[Hashable] = [("r", i) for i in range(len(grid))]
    cols: list[Hashable] = [("k", j) for j in range(len(grid[0]))]
    for i, key in enumerate(rows):
        values[key] = sum(grid[i])
    for j, key in enumerate(cols):
        values[key] = sum(row[j] for row in grid)
    values["g"] = sum(map(sum, grid))
    return values, cells, rows, cols, "g"


def _groups(problem: suppression._Problem[Hashable]) -> list[tuple[list[int], list[int]]]:
    groups: dict[int, list[int]] = {}
    for cell, root in problem._components().items():
        groups.setdefault(root, []).append(cell)
    result = []
    for cells in groups.values():
        line_ids = sorted({li for c in cells for li in problem.lines_of[c]})
        if line_ids:
            result.append((cells, line_ids))
    return result
