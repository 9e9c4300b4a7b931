"""Counts: how a report declares what it prints, and how each count then prints."""

from __future__ import annotations

import pytest

from evacsupport.i18n import set_language
from evacsupport.reports.base import Counts, suppression_note


def _row(on: bool = True) -> Counts:
    counts = Counts(on)
    for key, value in (("total", 1063), ("a", 1052), ("b", 10), ("c", 1)):
        counts.add(key, value)
    counts.line("total", ["a", "b", "c"])
    return counts


def test_hidden_counts_print_alike_and_the_rest_as_they_are() -> None:
    counts = _row()
    assert [counts.text(k) for k in ("total", "a", "b", "c")] == ["1,063", "1,052", "X", "X"]
    assert counts("c") == "X"  # markup for a table cell (nothing to escape)
    assert counts.value("b") == 10


def test_without_suppression_nothing_is_hidden() -> None:
    counts = _row(on=False)
    assert [counts.text(k) for k in ("total", "a", "b", "c")] == ["1,063", "1,052", "10", "1"]


def test_a_figure_printed_twice_is_one_key_with_one_count() -> None:
    counts = _row()
    counts.add("a", 1052)  # the same figure again, in another table
    with pytest.raises(ValueError, match="declared as 1052 and as 1053"):
        counts.add("a", 1053)


def test_everything_is_declared_before_the_first_count_prints() -> None:
    counts = _row()
    counts.text("a")
    with pytest.raises(RuntimeError):
        counts.add("d", 3)
    with pytest.raises(RuntimeError):
        counts.line("total", ["a"])


def test_a_sum_from_separate_queries_counts_only_when_it_holds() -> None:
    def shown(total: int) -> bool:
        counts = Counts()
        for key, value in (("total", total), ("a", 5), ("b", 4)):
            counts.add(key, value)
        counts.line_if_exact("total", ["a", "b"])
        return not counts.hidden("a")

    assert not shown(9)  # 9 - 5 would give back the 4: the 5 is hidden too
    assert shown(10)  # 10 is not 5 + 4: no sum a reader could use


def test_the_note_says_what_the_mark_means() -> None:
    set_language("ja")
    assert "どちらも「X」" in suppression_note()
    set_language("en")
    assert 'print alike as "X"' in suppression_note()
