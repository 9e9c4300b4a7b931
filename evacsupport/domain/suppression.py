"""Small-cell suppression for aggregate tables: which printed counts to hide so that no count
of 1 to 4 can be read off the page, or worked out from what else the page prints.

Why more than hiding 1 to 4
---------------------------
A count of 1 to 4 can point to a person, so it prints as "<5" (primary suppression). But a
report also prints totals, and a row with one hidden cell gives it back by subtraction
(志賀町, pantry: 63 − 52 − 10 − 0 = 1). Every *line* a reader can add up (a row or column with
its total, the totals with the grand total, the same figure printed again in another table, a
chart label that is a sum of table cells) must therefore hold no hidden cell or at least two.
Even two are not always enough: 0 prints as 0, so a reader knows that every hidden cell is at
least 1, and two hidden cells that must add up to 2 are both 1; hidden cells can also be pinned
by equations of several lines together (two lines with two hidden cells each, crossing in one
of them). So the cells hidden besides the small ones (complementary or secondary suppression)
are chosen until the printed figures allow every hidden cell at least two values.

The model
---------
A report describes what it prints as *cells* (every printed count, under a key the report
chooses: the same key for a figure printed twice) and *lines* (``whole == sum(parts)``, each a
sum a reader can check on the page). :func:`suppression_mask` returns the keys to hide.

1. Primary: counts from 1 to ``threshold - 1``. Zeros stay visible: a 0 is a fact about no one,
   and the audit below accounts for what a printed 0 tells (that hidden cells are at least 1).
2. Complementary: while some line holds exactly one hidden cell, hide the next smallest
   visible non-zero cell of that line too (a change in one line can leave a lone hidden cell
   in a crossing line, so this repeats until no line has one). Cells go before totals, which
   readers use most; and among them one whose crossing lines already hold a hidden cell goes
   first: hiding it closes the chain instead of starting one in a fresh line (on a 1,500-venue
   table with 3 % small cells, half as many cells hidden).
3. Audit, as an attacker would solve it: the visible cells are known, the hidden ones are
   unknowns of at least 1 tied by the lines. A hidden cell is safe when the lines allow it two
   values at least one apart (linear algebra and those bounds together; facts that are not
   sums, such as people ≥ households, are not modelled). Each unsafe cell gets one more cell
   hidden: one that closes a cycle of hidden cells through it where there is one, else the
   smallest of its lines; then 2 and 3 repeat. Hiding every non-zero cell is always safe
   (doubling every hidden value keeps every line), so this ends.

The audit is exact. Hidden cells that are each in at most two lines, with signs that allow it
(a table with its margins, alone), form a network: a cell can move by one exactly when it lies
on a cycle of the residual graph (moving down only where a cell is at least 2), found with
strongly connected components and bridges in linear time, so a 1,500-venue week table costs
milliseconds. Cells in three or more lines (a figure shared by two tables, a chart's sums) are
few; they are checked with a linear program (scipy's HiGHS) for each cell not already shown
movable by an earlier solution.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

SMALL_CELL = 5  # counts from 1 to SMALL_CELL - 1 are hidden
HIDDEN = "X"  # every hidden count, small or hidden with a small one (as 秘匿 in official tables)

K = TypeVar("K", bound=Hashable)

_EPS = 1e-7


@dataclass(frozen=True)
class Line(Generic[K]):
    """A sum a reader can check on the page: ``whole`` is the sum of ``parts``."""

    whole: K
    parts: tuple[K, ...]


def grid_lines(
    cells: Sequence[Sequence[K]],
    *,
    row_totals: Sequence[K] | None = None,
    column_totals: Sequence[K] | None = None,
    grand_total: K | None = None,
) -> list[Line[K]]:
    """The lines of a table of cell keys printed with the given margins: each row adds up to
    its row total, each column to its column total, and either set of totals to the grand
    total."""
    lines: list[Line[K]] = []
    if row_totals is not None:
        lines += [Line(total, tuple(row)) for total, row in zip(row_totals, cells, strict=True)]
    if column_totals is not None:
        columns = list(zip(*cells, strict=True)) if cells else [() for _ in column_totals]
        lines += [
            Line(total, tuple(column)) for total, column in zip(column_totals, columns, strict=True)
        ]
    if grand_total is not None:
        for totals in (row_totals, column_totals):
            if totals is not None:
                lines.append(Line(grand_total, tuple(totals)))
    return lines


@dataclass(frozen=True)
class GridMask:
    """Which cells of a table with margins to hide (``True``: hidden)."""

    cells: tuple[tuple[bool, ...], ...]
    row_totals: tuple[bool, ...]
    column_totals: tuple[bool, ...]
    grand_total: bool


def grid_mask(
    counts: Sequence[Sequence[int]],
    *,
    row_totals: bool = True,
    column_totals: bool = True,
    threshold: int = SMALL_CELL,
) -> GridMask:
    """The mask of a table printed with the totals asked for (computed here from ``counts``);
    the grand total is printed when both margins are. Margins not printed come back all
    ``False``."""
    n_rows = len(counts)
    n_cols = len(counts[0]) if counts else 0
    values: dict[tuple[str, int, int], int] = {}
    for i, row in enumerate(counts):
        if len(row) != n_cols:
            raise ValueError("every row of the grid needs the same number of cells")
        for j, value in enumerate(row):
            values["cell", i, j] = value
    cells = [[("cell", i, j) for j in range(n_cols)] for i in range(n_rows)]
    rows = [("row", i, 0) for i in range(n_rows)] if row_totals else None
    cols = [("col", 0, j) for j in range(n_cols)] if column_totals else None
    grand = ("grand", 0, 0) if row_totals and column_totals else None
    if rows is not None:
        for i, key in enumerate(rows):
            values[key] = sum(counts[i])
    if cols is not None:
        for j, key in enumerate(cols):
            values[key] = sum(counts[i][j] for i in range(n_rows))
    if grand is not None:
        values[grand] = sum(map(sum, counts))
    hidden = suppression_mask(
        values,
        grid_lines(cells, row_totals=rows, column_totals=cols, grand_total=grand),
        threshold=threshold,
    )
    return GridMask(
        tuple(tuple(key in hidden for key in row) for row in cells),
        tuple(key in hidden for key in rows or ()) or (False,) * n_rows,
        tuple(key in hidden for key in cols or ()) or (False,) * n_cols,
        grand in hidden if grand is not None else False,
    )


def suppression_mask(
    values: Mapping[K, int], lines: Iterable[Line[K]], *, threshold: int = SMALL_CELL
) -> frozenset[K]:
    """The keys of ``values`` to hide: every count from 1 to ``threshold - 1``, and enough
    others that none of them can be worked out from the visible counts and ``lines`` (see the
    module docstring). Deterministic: the same figures give the same mask.

    Raises ``ValueError`` for a negative count, a line naming an unknown key, or a line that
    does not add up (the report's description of itself would be wrong).
    """
    return _Problem(values, lines, threshold).solve()


class _Problem(Generic[K]):
    """One call of :func:`suppression_mask`, on cells numbered in the order of ``values``."""

    def __init__(self, values: Mapping[K, int], lines: Iterable[Line[K]], threshold: int) -> None:
        self.keys: list[K] = list(values)
        index = {key: i for i, key in enumerate(self.keys)}
        self.value: list[int] = []
        for key in self.keys:
            value = values[key]
            if value < 0:
                raise ValueError(f"negative count for {key!r}")
            self.value.append(int(value))
        self.threshold = threshold
        # Each line as (cell, coefficient) terms: +1 for a part, -1 for the whole.
        self.lines: list[list[tuple[int, int]]] = []
        seen: set[tuple[int, frozenset[int]]] = set()
        for line in lines:
            try:
                whole, parts = index[line.whole], [index[p] for p in line.parts]
            except KeyError as missing:
                raise ValueError(f"a line names an unknown cell {missing}") from None
            if sum(self.value[p] for p in parts) != self.value[whole]:
                raise ValueError(f"the parts of {line.whole!r} do not add up to it")
            if whole in parts or len(set(parts)) != len(parts):
                raise ValueError(f"a cell appears twice in the line of {line.whole!r}")
            signature = (whole, frozenset(parts))
            if signature in seen:  # the same sum printed twice tells nothing new
                continue
            seen.add(signature)
            self.lines.append([(whole, -1), *((p, 1) for p in parts)])
        self.lines_of: list[list[int]] = [[] for _ in self.keys]
        self.signs_of: list[list[int]] = [[] for _ in self.keys]  # the coefficients, alike
        for li, terms in enumerate(self.lines):
            for cell, coefficient in terms:
                self.lines_of[cell].append(li)
                self.signs_of[cell].append(coefficient)
        self.is_total = [False] * len(self.keys)
        for terms in self.lines:
            self.is_total[terms[0][0]] = True  # the whole comes first
        self.hidden = bytearray(len(self.keys))
        self.hidden_in = [0] * len(self.lines)

    # --- the steps ------------------------------------------------------------------------------

    def solve(self) -> frozenset[K]:
        lonely: deque[int] = deque()
        for cell, value in enumerate(self.value):
            if 0 < value < self.threshold:
                self._hide(cell, lonely)
        while True:
            self._complete(lonely)
            unsafe = self._audit()
            if not unsafe:
                break
            # One extra cell per line a round: a cell hidden for one pinned cell often frees
            # its neighbours too, which the next audit sees.
            touched: set[int] = set()
            for found in unsafe:
                if touched.isdisjoint(self.lines_of[found.cell]):
                    try:
                        extra = self._repair(found)
                    except LookupError:  # this round's extras already took the last ones
                        continue
                    touched.update(self.lines_of[extra])
                    self._hide(extra, lonely)
            if not touched:
                # Unreachable: with every non-zero cell of a component hidden, doubling its
                # hidden values keeps every line, so the audit passes.
                raise RuntimeError("suppression found pinned cells and nothing left to hide")
        return frozenset(self.keys[c] for c in range(len(self.keys)) if self.hidden[c])

    def _hide(self, cell: int, lonely: deque[int]) -> None:
        self.hidden[cell] = 1
        for li in self.lines_of[cell]:
            self.hidden_in[li] += 1
            if self.hidden_in[li] == 1:
                lonely.append(li)

    def _complete(self, lonely: deque[int]) -> None:
        """Complementary suppression: no line left with exactly one hidden cell."""
        while lonely:
            li = lonely.popleft()
            if self.hidden_in[li] == 1:
                # The line adds up, so with one hidden cell (at least 1) another is non-zero.
                self._hide(self._smallest(self.lines[li]), lonely)

    def _rank(self, cell: int) -> tuple[bool, int, int, int]:
        """Which visible cell to hide first: a cell before a total (totals are what readers
        read first), then one that leaves no new line with a lone hidden cell (else hiding it
        starts another chain of hidden cells), then the smallest, then the first declared."""
        opens = sum(1 for li in self.lines_of[cell] if self.hidden_in[li] == 0)
        return (self.is_total[cell], opens, self.value[cell], cell)

    def _smallest(self, terms: Iterable[tuple[int, int]]) -> int:
        """The visible non-zero cell of ``terms`` to hide (see :meth:`_rank`)."""
        ranks = [
            self._rank(cell) for cell, _ in terms if not self.hidden[cell] and self.value[cell] > 0
        ]
        if not ranks:
            raise LookupError("no visible non-zero cell in these lines")
        return min(ranks)[3]

    def _repair(self, found: _Unsafe) -> int:
        """Another cell to hide so that ``found.cell`` can move.

        In a network the audit says which lines a new hidden cell must join (a cell between
        them closes a cycle through the pinned one): the smallest such cell, if any. Else a
        cell of the pinned cell's own lines, the stuck side first; else of its component."""
        cell = found.cell
        own = self.lines_of[cell]
        if found.left is not None and found.right is not None:
            left, right = found.left, found.right
            bridging = []
            for li in {li for li in left | right if li >= 0}:
                for other, _ in self.lines[li]:
                    if self.hidden[other] or self.value[other] == 0:
                        continue
                    if len(self.lines_of[other]) > 2:
                        continue
                    a, b = [*self.lines_of[other], -1][:2]  # -1: the sink, for one line only
                    if (a in left and b in right) or (a in right and b in left):
                        bridging.append(self._rank(other))
            if bridging:
                return min(bridging)[3]
            stuck = left if len(left) <= len(right) else right
            own = sorted(own, key=lambda li: li not in stuck)
        for li in own:  # the stuck side's line first, then the others
            try:
                return self._smallest(self.lines[li])
            except LookupError:
                continue
        roots = self._components()
        wider = [
            term
            for terms in self.lines
            if any(roots.get(c) == roots[cell] for c, _ in terms)
            for term in terms
        ]
        return self._smallest(wider)

    # --- the audit --------------------------------------------------------------------------------

    def _components(self) -> dict[int, int]:
        """Hidden cells grouped by the lines that tie them (cell -> component root)."""
        parent = {c: c for c in range(len(self.keys)) if self.hidden[c]}

        def find(c: int) -> int:
            while parent[c] != c:
                parent[c] = parent[parent[c]]
                c = parent[c]
            return c

        for li, terms in enumerate(self.lines):
            if self.hidden_in[li] < 2:
                continue
            cells = [c for c, _ in terms if self.hidden[c]]
            root = find(cells[0])
            for c in cells[1:]:
                other = find(c)
                if other != root:
                    parent[other] = root
        return {c: find(c) for c in parent}

    def _audit(self) -> list[_Unsafe]:
        """The hidden cells the visible figures pin to one value (in cell order)."""
        groups: dict[int, list[int]] = {}
        for cell, root in self._components().items():
            groups.setdefault(root, []).append(cell)
        unsafe: list[_Unsafe] = []
        for cells in groups.values():
            line_ids = sorted({li for c in cells for li in self.lines_of[c]})
            if not line_ids:
                continue  # a cell in no line: only "at least 1" is known
            network = self._network(cells, line_ids)
            if network is None:
                unsafe += (_Unsafe(c) for c in self._lp_unsafe(cells, line_ids))
                continue
            n_nodes, edges = network
            for cell, left, right in _network_unsafe(n_nodes, edges):
                unsafe.append(
                    _Unsafe(
                        cell,
                        frozenset(line_ids[n] if n < len(line_ids) else -1 for n in left),
                        frozenset(line_ids[n] if n < len(line_ids) else -1 for n in right),
                    )
                )
        return sorted(unsafe, key=lambda u: u.cell)

    def _network(
        self, cells: list[int], line_ids: list[int]
    ) -> tuple[int, list[tuple[int, int, int, bool]]] | None:
        """The component as a directed graph, if it is one: nodes are its lines plus a sink
        (for cells in one line only), each hidden cell an edge (tail, head) such that every
        line reads "out minus in is constant". ``None`` when a cell is in three lines or more,
        or the lines' signs cannot be arranged so (then it is a linear program)."""
        node = {li: i for i, li in enumerate(line_ids)}
        sign: list[int] = [0] * len(line_ids)
        # Signs of the lines: a cell in lines p and q needs sign[p]*a_p == -sign[q]*a_q.
        neighbours: list[list[tuple[int, int]]] = [[] for _ in line_ids]
        for c in cells:
            own = self.lines_of[c]
            if len(own) > 2:
                return None
            if len(own) == 2:
                p, q = node[own[0]], node[own[1]]
                parity = -self.signs_of[c][0] * self.signs_of[c][1]
                neighbours[p].append((q, parity))
                neighbours[q].append((p, parity))
        for start in range(len(line_ids)):
            if sign[start]:
                continue
            sign[start] = 1
            todo = [start]
            while todo:
                p = todo.pop()
                for q, parity in neighbours[p]:
                    wanted = sign[p] * parity
                    if not sign[q]:
                        sign[q] = wanted
                        todo.append(q)
                    elif sign[q] != wanted:
                        return None
        sink = len(line_ids)
        edges: list[tuple[int, int, int, bool]] = []  # (cell, tail, head, can go down)
        for c in cells:
            ends = [
                (node[li], sign[node[li]] * a)
                for li, a in zip(self.lines_of[c], self.signs_of[c], strict=True)
            ]
            if len(ends) == 1:
                ends.append((sink, -ends[0][1]))
            (a, sa), (b, _) = ends
            tail, head = (a, b) if sa > 0 else (b, a)
            edges.append((c, tail, head, self.value[c] >= 2))
        return sink + 1, edges

    def _lp_unsafe(self, cells: list[int], line_ids: list[int]) -> list[int]:
        """Hidden cells of a component that no solution of the printed figures (every hidden
        cell at least 1) moves by one, found with linear programs."""
        import numpy as np
        from scipy.optimize import linprog
        from scipy.sparse import coo_matrix

        column = {c: i for i, c in enumerate(cells)}
        rows, cols, data, rhs = [], [], [], []
        for r, li in enumerate(line_ids):
            known = 0
            for c, a in self.lines[li]:
                if self.hidden[c]:
                    rows.append(r)
                    cols.append(column[c])
                    data.append(float(a))
                else:
                    known -= a * self.value[c]
            rhs.append(float(known))
        a_eq = coo_matrix((data, (rows, cols)), shape=(len(line_ids), len(cells))).tocsr()
        b_eq = np.array(rhs)
        truth = np.array([float(self.value[c]) for c in cells])
        unknown = set(range(len(cells)))

        def attempt(targets: Sequence[int], up: bool) -> None:
            """Push ``targets`` up (or down) by at most one; those that get there can move."""
            objective = np.zeros(len(cells))
            bounds: list[tuple[float, float | None]] = [(1.0, None)] * len(cells)
            for k in targets:
                objective[k] = -1.0 if up else 1.0
                bounds[k] = (1.0, truth[k] + 1) if up else (max(1.0, truth[k] - 1), None)
            found = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=bounds, method="highs")
            if found.status != 0:  # pragma: no cover - the true values are a solution
                return
            moved = np.abs(found.x - truth) >= 1 - _EPS
            unknown.difference_update(int(k) for k in np.flatnonzero(moved))

        # First all at once (one solution usually moves most cells), then one by one.
        for up in (True, False):
            while True:
                targets = [k for k in sorted(unknown) if up or truth[k] >= 2]
                before = len(unknown)
                if targets:
                    attempt(targets, up)
                if not targets or len(unknown) == before:
                    break
        for k in sorted(unknown):
            if k in unknown:
                attempt([k], True)
            if k in unknown and truth[k] >= 2:
                attempt([k], False)
        return [cells[k] for k in sorted(unknown)]


@dataclass(frozen=True)
class _Unsafe:
    """A hidden cell the printed figures pin. In a network component, ``left`` and ``right``
    are line ids (-1: the sink) such that hiding a cell between a line of each frees it."""

    cell: int
    left: frozenset[int] | None = None
    right: frozenset[int] | None = None


def _network_unsafe(
    n_nodes: int, edges: list[tuple[int, int, int, bool]]
) -> list[tuple[int, frozenset[int], frozenset[int]]]:
    """Cells (edges) on no cycle of the residual graph, each with two node sets: a new edge
    that can go both ways between them would close one.

    Every edge can go up (arc tail → head); one of at least 2 can also go down (head → tail).
    An edge at 1 can move exactly when its ends are strongly connected; an edge that can go
    down always has them so, and moves exactly when it is no bridge of the undirected graph
    of the edges inside its strongly connected component (a cycle through it would otherwise
    have to use it twice).
    """
    forward: list[list[int]] = [[] for _ in range(n_nodes)]
    backward: list[list[int]] = [[] for _ in range(n_nodes)]
    for _, tail, head, down in edges:
        forward[tail].append(head)
        backward[head].append(tail)
        if down:
            forward[head].append(tail)
            backward[tail].append(head)
    component = _strong_components(forward)
    inside = [e for e, (_, tail, head, _) in enumerate(edges) if component[tail] == component[head]]
    bridges = {inside[i] for i in _bridges(n_nodes, [edges[e][1:3] for e in inside])}
    reach: dict[int, frozenset[int]] = {}
    coreach: dict[int, frozenset[int]] = {}
    unsafe = []
    for e, (cell, tail, head, down) in enumerate(edges):
        if component[tail] != component[head]:
            # Up needs a path head -> tail: join what head reaches to what reaches tail.
            if head not in reach:
                reach[head] = _reachable(forward, head)
            if tail not in coreach:
                coreach[tail] = _reachable(backward, tail)
            unsafe.append((cell, reach[head], coreach[tail]))
        elif down and e in bridges:
            # Join the two sides the bridge holds together.
            scc = component[tail]
            near: dict[int, list[int]] = {}
            for f in inside:
                if f != e and component[edges[f][1]] == scc:
                    a, b = edges[f][1], edges[f][2]
                    near.setdefault(a, []).append(b)
                    near.setdefault(b, []).append(a)
            side = _reachable(near, tail)
            rest = frozenset(v for v in range(n_nodes) if component[v] == scc) - side
            unsafe.append((cell, side, rest))
    return unsafe


def _reachable(arcs: Mapping[int, list[int]] | list[list[int]], start: int) -> frozenset[int]:
    seen = {start}
    todo = [start]
    while todo:
        v = todo.pop()
        for w in arcs[v] if isinstance(arcs, list) else arcs.get(v, ()):
            if w not in seen:
                seen.add(w)
                todo.append(w)
    return frozenset(seen)


def _strong_components(arcs: list[list[int]]) -> list[int]:
    """Tarjan's strongly connected components, without recursion: node -> component id."""
    n = len(arcs)
    index = [-1] * n
    low = [0] * n
    on_stack = [False] * n
    stack: list[int] = []
    component = [-1] * n
    counter = 0
    found = 0
    for root in range(n):
        if index[root] != -1:
            continue
        work = [(root, 0)]
        index[root] = low[root] = counter
        counter += 1
        stack.append(root)
        on_stack[root] = True
        while work:
            v, i = work[-1]
            if i < len(arcs[v]):
                work[-1] = (v, i + 1)
                w = arcs[v][i]
                if index[w] == -1:
                    index[w] = low[w] = counter
                    counter += 1
                    stack.append(w)
                    on_stack[w] = True
                    work.append((w, 0))
                elif on_stack[w]:
                    low[v] = min(low[v], index[w])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
            if low[v] == index[v]:
                while True:
                    w = stack.pop()
                    on_stack[w] = False
                    component[w] = found
                    if w == v:
                        break
                found += 1
    return component


def _bridges(n_nodes: int, edges: list[tuple[int, int]]) -> set[int]:
    """Indexes of the bridges of an undirected multigraph (parallel edges are no bridges)."""
    adjacent: list[list[tuple[int, int]]] = [[] for _ in range(n_nodes)]
    for e, (a, b) in enumerate(edges):
        adjacent[a].append((b, e))
        adjacent[b].append((a, e))
    order = [-1] * n_nodes
    low = [0] * n_nodes
    counter = 0
    bridges: set[int] = set()
    for root in range(n_nodes):
        if order[root] != -1 or not adjacent[root]:
            continue
        order[root] = low[root] = counter
        counter += 1
        work = [(root, -1, 0)]  # node, edge it was reached by, next neighbour
        while work:
            v, via, i = work[-1]
            if i < len(adjacent[v]):
                work[-1] = (v, via, i + 1)
                w, e = adjacent[v][i]
                if e == via:
                    continue
                if order[w] == -1:
                    order[w] = low[w] = counter
                    counter += 1
                    work.append((w, e, 0))
                else:
                    low[v] = min(low[v], order[w])
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[v])
                if low[v] > order[parent]:
                    bridges.add(via)
    return bridges
