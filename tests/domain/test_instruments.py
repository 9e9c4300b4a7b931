"""Questionnaire scoring: totals are computed from validated answers, never typed."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evacsupport.domain.instruments import (
    INSTRUMENTS,
    K6,
    LONELINESS_DIRECT,
    UCLA3,
    Instrument,
    get_instrument,
    k6_band,
    loneliness_high,
    score,
    ucla3_high,
)
from evacsupport.errors import InvalidValue


def test_definitions() -> None:
    assert (LONELINESS_DIRECT.key, len(LONELINESS_DIRECT.items)) == ("loneliness", 1)
    assert (LONELINESS_DIRECT.min_value, LONELINESS_DIRECT.max_value) == (1, 5)
    assert (UCLA3.key, len(UCLA3.items)) == ("ucla3", 3)
    assert (UCLA3.min_total, UCLA3.max_total) == (3, 12)
    assert (K6.key, len(K6.items)) == ("k6", 6)
    assert (K6.min_total, K6.max_total) == (0, 24)
    assert LONELINESS_DIRECT.choices[3] == (4, "時々ある")
    assert LONELINESS_DIRECT.choices[4] == (5, "しばしばある・常にある")
    assert UCLA3.choices == (
        (1, "決してない"),
        (2, "ほとんどない"),
        (3, "時々ある"),
        (4, "常にある"),
    )
    assert K6.choices[0] == (0, "まったくない") and K6.choices[-1] == (4, "いつも")
    assert K6.items[0] == "神経過敏に感じましたか"
    assert UCLA3.items[1] == "自分は取り残されていると感じることがありますか"


@pytest.mark.parametrize("instrument", [LONELINESS_DIRECT, UCLA3, K6])
def test_choices_cover_the_scale(instrument: Instrument) -> None:
    values = [v for v, _ in instrument.choices]
    assert values == list(range(instrument.min_value, instrument.max_value + 1))
    assert all(label for _, label in instrument.choices)
    assert get_instrument(instrument.key) is instrument
    assert INSTRUMENTS[instrument.key] is instrument


def test_get_unknown_instrument() -> None:
    assert get_instrument("who5") is None


@pytest.mark.parametrize(
    ("instrument", "answers", "total"),
    [
        (LONELINESS_DIRECT, [4], 4),
        (LONELINESS_DIRECT, ["５"], 5),
        (UCLA3, [1, 1, 1], 3),
        (UCLA3, [4, 4, 4], 12),
        (UCLA3, ["3", "４", 2], 9),
        (UCLA3, (2, 2, 2), 6),
        (K6, [0, 0, 0, 0, 0, 0], 0),
        (K6, [4, 4, 4, 4, 4, 4], 24),
        (K6, ["１", "2", 3, 0, " 4 ", "０"], 10),
    ],
)
def test_score(instrument: Instrument, answers: list[int | str], total: int) -> None:
    assert score(instrument, answers) == total


@pytest.mark.parametrize(
    ("instrument", "answers"),
    [
        (LONELINESS_DIRECT, []),
        (LONELINESS_DIRECT, [1, 2]),
        (UCLA3, [1, 2]),
        (K6, [0, 0, 0, 0, 0]),
        (K6, [0, 0, 0, 0, 0, 0, 0]),
        (UCLA3, [1, None, 1]),
        (UCLA3, [1, "", 1]),
        (UCLA3, [1, "　", 1]),
    ],
)
def test_score_needs_every_item(instrument: Instrument, answers: list[int | str | None]) -> None:
    with pytest.raises(InvalidValue) as exc:
        score(instrument, answers)
    assert exc.value.code == "instrument.count"
    assert exc.value.params == {"instrument": instrument.name_ja, "count": len(instrument.items)}


@pytest.mark.parametrize(
    ("instrument", "answers", "item"),
    [
        (LONELINESS_DIRECT, [0], 1),
        (LONELINESS_DIRECT, [6], 1),
        (UCLA3, [1, 5, 1], 2),
        (UCLA3, [1, 1, 0], 3),
        (K6, [0, 0, 0, 0, 0, 5], 6),
        (K6, [-1, 0, 0, 0, 0, 0], 1),
        (K6, [0, "a", 0, 0, 0, 0], 2),
        (K6, [0, 0, "1.5", 0, 0, 0], 3),
        (K6, [0, 0, 0, True, 0, 0], 4),
        (UCLA3, [1, 1, "五"], 3),
    ],
)
def test_score_checks_each_answer(
    instrument: Instrument, answers: list[int | str], item: int
) -> None:
    with pytest.raises(InvalidValue) as exc:
        score(instrument, answers)
    assert exc.value.code == "instrument.answer"
    assert exc.value.params == {
        "instrument": instrument.name_ja,
        "item": item,
        "min": instrument.min_value,
        "max": instrument.max_value,
    }


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "low"),
        (4, "low"),
        (5, "moderate"),
        (9, "moderate"),
        (10, "high"),
        (12, "high"),
        (13, "serious"),
        (24, "serious"),
    ],
)
def test_k6_band(total: int, band: str) -> None:
    assert k6_band(total) == band


def test_k6_band_thresholds_are_settings() -> None:
    assert k6_band(9, moderate=5, high=9, serious=20) == "high"
    assert k6_band(4, moderate=4) == "moderate"
    assert k6_band(12, serious=12) == "serious"


def test_ucla3_high() -> None:
    assert not ucla3_high(9)
    assert ucla3_high(10)
    assert ucla3_high(12)
    assert ucla3_high(8, threshold=8)
    assert not ucla3_high(10, threshold=11)


def test_loneliness_high() -> None:
    assert [loneliness_high(a) for a in range(1, 6)] == [False, False, False, True, True]
    assert loneliness_high(5, threshold=5)
    assert not loneliness_high(4, threshold=5)


@given(st.lists(st.integers(min_value=0, max_value=4), min_size=6, max_size=6))
def test_k6_total_is_sum(answers: list[int]) -> None:
    total = score(K6, answers)
    assert total == sum(answers)
    assert k6_band(total) in {"low", "moderate", "high", "serious"}


@given(st.lists(st.one_of(st.integers(), st.text(), st.none()), max_size=8))
def test_score_never_crashes(answers: list[int | str | None]) -> None:
    for instrument in (LONELINESS_DIRECT, UCLA3, K6):
        try:
            total = score(instrument, answers)
        except InvalidValue as exc:
            assert exc.code in {"instrument.count", "instrument.answer"}
        else:
            assert instrument.min_total <= total <= instrument.max_total


def test_thousands_of_digits_is_an_answer_off_the_scale() -> None:
    with pytest.raises(InvalidValue) as exc:
        score(LONELINESS_DIRECT, ["1" * 5000])
    assert exc.value.code == "instrument.answer"
    assert score(LONELINESS_DIRECT, ["0" * 5000 + "3"]) == 3
