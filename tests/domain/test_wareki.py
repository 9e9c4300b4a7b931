"""Wareki and Western dates: every accepted form, every era boundary, and clear refusals."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evacsupport.domain.wareki import (
    ERAS,
    check_birth_date,
    check_not_future,
    era_of,
    format_wareki,
    parse_date,
)
from evacsupport.errors import InvalidValue

NEW_YEAR_2024 = date(2024, 1, 1)


@pytest.mark.parametrize(
    "raw",
    [
        "2024-01-01",
        "2024-1-1",
        "2024/1/1",
        "2024/01/01",
        "2024.1.1",
        "2024年1月1日",
        "2024年01月01日",
        "2024 年 1 月 1 日",
        "20240101",
        "２０２４－０１－０１",
        "２０２４年１月１日",
        "  2024-01-01  ",
        "令和6年1月1日",
        "令和06年01月01日",
        "令和 6年 1月 1日",
        "令和６年１月１日",
        "R6.1.1",
        "R06/01/01",
        "R06.01.01",
        "r6-1-1",
        "R 6.1.1",
        "R6年1月1日",
        "Ｒ６．１．１",
        "R060101",
        "㋿6.1.1",
        "令和6/1/1",
    ],
)
def test_forms_of_new_year_2024(raw: str) -> None:
    assert parse_date(raw) == NEW_YEAR_2024


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("S45.3.2", date(1970, 3, 2)),
        ("s45.3.2", date(1970, 3, 2)),
        ("昭和45年3月2日", date(1970, 3, 2)),
        ("昭和４５年３月２日", date(1970, 3, 2)),
        ("㍼45.3.2", date(1970, 3, 2)),
        ("H31.4.30", date(2019, 4, 30)),
        ("平成元年1月8日", date(1989, 1, 8)),
        ("平成1年1月8日", date(1989, 1, 8)),
        ("H1.1.8", date(1989, 1, 8)),
        ("令和元年5月1日", date(2019, 5, 1)),
        ("R1.5.1", date(2019, 5, 1)),
        ("T10.5.5", date(1921, 5, 5)),
        ("大正10年5月5日", date(1921, 5, 5)),
        ("M45.7.29", date(1912, 7, 29)),
        ("明治45年7月29日", date(1912, 7, 29)),
        ("平成 元年 1月 8日", date(1989, 1, 8)),
    ],
)
def test_wareki_forms(raw: str, expected: date) -> None:
    assert parse_date(raw) == expected


# (era, first day as written, first date, last day as written, last date)
BOUNDARIES = [
    ("明治", "明治元年10月23日", date(1868, 10, 23), "明治45年7月29日", date(1912, 7, 29)),
    ("大正", "大正元年7月30日", date(1912, 7, 30), "大正15年12月25日", date(1926, 12, 25)),
    ("昭和", "昭和元年12月25日", date(1926, 12, 25), "昭和64年1月7日", date(1989, 1, 7)),
    ("平成", "平成元年1月8日", date(1989, 1, 8), "平成31年4月30日", date(2019, 4, 30)),
]


@pytest.mark.parametrize(("era", "first", "first_date", "last", "last_date"), BOUNDARIES)
def test_era_first_and_last_days(
    era: str, first: str, first_date: date, last: str, last_date: date
) -> None:
    assert parse_date(first) == first_date
    assert parse_date(last) == last_date


def test_reiwa_first_day() -> None:
    assert parse_date("令和元年5月1日") == date(2019, 5, 1)
    assert parse_date("R1.5.1") == date(2019, 5, 1)


@pytest.mark.parametrize(
    ("raw", "era"),
    [
        ("明治元年10月22日", "明治"),
        ("明治45年7月30日", "明治"),
        ("M46.1.1", "明治"),
        ("大正元年7月29日", "大正"),
        ("大正15年12月26日", "大正"),
        ("T16.1.1", "大正"),
        ("昭和元年12月24日", "昭和"),
        ("昭和64年1月8日", "昭和"),
        ("S65.1.1", "昭和"),
        ("平成元年1月7日", "平成"),
        ("H31.5.1", "平成"),
        ("平成31年5月1日", "平成"),
        ("H32.1.1", "平成"),
        ("R1.4.30", "令和"),
        ("令和元年4月30日", "令和"),
        ("R0.5.1", "令和"),
        ("H0.1.8", "平成"),
    ],
)
def test_dates_outside_their_era(raw: str, era: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_date(raw)
    assert exc.value.code == "date.era_range"
    assert exc.value.params["era"] == era


def test_era_range_params() -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_date("H31.5.1")
    assert exc.value.params == {
        "era": "平成",
        "year": 31,
        "month": 5,
        "day": 1,
        "start": "1989-01-08",
        "end": "2019-04-30",
    }
    with pytest.raises(InvalidValue) as exc:
        parse_date("R1.4.30")
    assert exc.value.params["start"] == "2019-05-01"
    assert exc.value.params["end"] == ""
    assert "令和" in exc.value.message("ja")


@pytest.mark.parametrize(
    "raw",
    [
        "2024-02-30",
        "2023-02-29",
        "2024-13-01",
        "2024-00-10",
        "2024/4/31",
        "20241301",
        "0000-01-01",
        "R6.2.30",
        "令和6年2月30日",
        "H31.2.29",
        "hello",
        "2024",
        "2024-01",
        "R6.1",
        "令和六年一月一日",
        "X6.1.1",
        "2024-01-01-01",
        "6.1.1",
        "R6.1.1.1",
        "24/1/1",
    ],
)
def test_unreadable_or_impossible_dates(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_date(raw)
    assert exc.value.code == "date.invalid"


def test_leap_day() -> None:
    assert parse_date("R6.2.29") == date(2024, 2, 29)
    assert parse_date("2000-02-29") == date(2000, 2, 29)


def test_date_objects_pass_through() -> None:
    d = date(2024, 1, 1)
    assert parse_date(d) is d
    assert parse_date(datetime(2024, 1, 1, 12, 30)) == d


@pytest.mark.parametrize("raw", [None, "", "   ", "\u3000"])
def test_empty(raw: str | None) -> None:
    assert parse_date(raw, allow_empty=True) is None
    with pytest.raises(InvalidValue) as exc:
        parse_date(raw)
    assert exc.value.code == "value.required"


@pytest.mark.parametrize(
    ("d", "expected"),
    [
        (date(2024, 1, 1), "令和6年1月1日"),
        (date(2019, 5, 1), "令和元年5月1日"),
        (date(2019, 4, 30), "平成31年4月30日"),
        (date(1989, 1, 8), "平成元年1月8日"),
        (date(1989, 1, 7), "昭和64年1月7日"),
        (date(1970, 3, 2), "昭和45年3月2日"),
        (date(1926, 12, 25), "昭和元年12月25日"),
        (date(1926, 12, 24), "大正15年12月24日"),
        (date(1912, 7, 30), "大正元年7月30日"),
        (date(1912, 7, 29), "明治45年7月29日"),
        (date(1868, 10, 23), "明治元年10月23日"),
        (date(1800, 1, 1), "1800年1月1日"),
    ],
)
def test_format_wareki(d: date, expected: str) -> None:
    assert format_wareki(d) == expected


def test_format_then_parse_round_trip_on_boundaries() -> None:
    for era in ERAS:
        for d in (era.start, era.end):
            if d is not None:
                assert parse_date(format_wareki(d)) == d


def test_era_of() -> None:
    assert era_of(date(1926, 12, 25)).name == "昭和"  # type: ignore[union-attr]
    assert era_of(date(1800, 1, 1)) is None


def test_check_not_future() -> None:
    today = date(2024, 6, 1)
    assert check_not_future(date(2024, 6, 1), today) == date(2024, 6, 1)
    with pytest.raises(InvalidValue) as exc:
        check_not_future(date(2024, 6, 2), today)
    assert exc.value.code == "date.future"
    assert check_not_future(date(2000, 1, 1)) == date(2000, 1, 1)


def test_check_birth_date() -> None:
    today = date(2024, 6, 1)
    assert check_birth_date(date(1900, 1, 1), today) == date(1900, 1, 1)
    assert check_birth_date(today, today) == today
    with pytest.raises(InvalidValue) as exc:
        check_birth_date(date(1899, 12, 31), today)
    assert exc.value.code == "date.too_old"
    assert exc.value.params == {"min": "1900-01-01"}
    with pytest.raises(InvalidValue) as exc:
        check_birth_date(date(2024, 6, 2), today)
    assert exc.value.code == "date.future"


@given(st.dates(min_value=date(1868, 10, 23), max_value=date(2200, 12, 31)))
def test_round_trip_any_date(d: date) -> None:
    assert parse_date(format_wareki(d)) == d
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.year}年{d.month}月{d.day}日") == d


@given(st.text())
def test_parse_date_never_crashes(text: str) -> None:
    try:
        parse_date(text, allow_empty=True)
    except InvalidValue as exc:
        assert exc.code in {"date.invalid", "date.era_range"}


@given(
    st.sampled_from(["M", "T", "S", "H", "R", "明治", "大正", "昭和", "平成", "令和", "r", "h"]),
    st.integers(min_value=0, max_value=999),
    st.integers(min_value=0, max_value=99),
    st.integers(min_value=0, max_value=99),
    st.sampled_from([".", "/", "-"]),
)
def test_wareki_shaped_text_never_crashes(era: str, y: int, m: int, d: int, sep: str) -> None:
    try:
        result = parse_date(f"{era}{y}{sep}{m}{sep}{d}")
    except InvalidValue as exc:
        assert exc.code in {"date.invalid", "date.era_range"}
    else:
        assert result is not None
        assert era_of(result) is not None
