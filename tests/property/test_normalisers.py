"""Every normaliser and parser: any input gives a value or an app error the user can read.

Each test feeds arbitrary text (full-width forms, kana, kanji, control characters, other scripts'
digits, thousands of digits) or arbitrary objects, and accepts only two outcomes: a value that
meets the function's promise, or an :class:`EvacError` whose message code is in the catalog with
every placeholder filled. Anything else (ValueError, IndexError, OverflowError ...) fails.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from enum import StrEnum

from hypothesis import given, settings
from hypothesis import strategies as st

from evacsupport.domain import allergens, codes, municipalities, postal
from evacsupport.domain.geo import EARTH_RADIUS_KM, haversine_km, parse_coordinates, parse_time
from evacsupport.domain.instruments import INSTRUMENTS, score
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import (
    clean_multiline,
    clean_name,
    clean_text,
    find_control,
    format_phone,
    format_postal,
    nfkc,
    normalize_phone,
    normalize_postal,
    parse_int,
    search_key,
    to_katakana,
)
from evacsupport.domain.schedule import format_schedule, parse_schedule
from evacsupport.domain.wareki import (
    check_birth_date,
    check_not_future,
    era_of,
    format_wareki,
    parse_date,
)
from evacsupport.importers._common import decode, norm_header, split_list, split_name
from tests.property.strategies import (
    REFUSED,
    digits,
    huge,
    long_digits,
    seps,
    shaped,
    texts,
    value_or_clear_error,
)

PROPERTY = settings(max_examples=150, deadline=None)
maybe_text = st.one_of(st.none(), texts, long_digits, huge)


# ---- normalize -------------------------------------------------------------------------------


@PROPERTY
@given(maybe_text)
def test_clean_text_is_total_and_idempotent(value: str | None) -> None:
    text = clean_text(value)
    assert clean_text(text) == text
    assert text == text.strip()
    assert nfkc(text) == text


@PROPERTY
@given(maybe_text)
def test_free_text_keeps_no_control_character(value: str | None) -> None:
    line, lines = clean_text(value), clean_multiline(value)
    assert find_control(line) is None
    assert find_control(lines.replace("\n", "")) is None
    assert clean_multiline(lines) == lines
    assert lines == lines.strip()


@PROPERTY
@given(maybe_text)
def test_a_name_is_clean_text_or_refused_for_a_control_character(value: str | None) -> None:
    name = value_or_clear_error(clean_name, value)
    if name is REFUSED:
        assert find_control(nfkc(value or "").strip()) is not None
    else:
        assert name == clean_text(value)
        assert clean_name(name) == name


@PROPERTY
@given(maybe_text)
def test_to_katakana_and_search_key(value: str | None) -> None:
    kana = value_or_clear_error(to_katakana, value)
    if kana is not REFUSED:
        assert to_katakana(kana) == kana
    key = search_key(value)
    assert search_key(key) == key


phone_like = st.one_of(
    maybe_text,
    shaped(
        st.sampled_from(["", "+81", "＋８１", "(0)", "0"]),
        digits(0, 14),
        seps("-－ー() "),
        digits(),
    ),
)


@PROPERTY
@given(phone_like)
def test_phone(value: str | None) -> None:
    digits_ = value_or_clear_error(normalize_phone, value)
    if digits_ is not REFUSED:
        assert digits_ == "" or (digits_.isascii() and digits_.isdigit())
        assert normalize_phone(format_phone(digits_)) == digits_
    assert isinstance(format_phone(value), str)


postal_like = st.one_of(
    maybe_text,
    shaped(st.sampled_from(["", "〒", "〒 "]), digits(0, 4), seps("-－ー "), digits(0, 5)),
)


@PROPERTY
@given(postal_like)
def test_postal(value: str | None) -> None:
    code = value_or_clear_error(normalize_postal, value)
    if code is not REFUSED:
        assert code == "" or (len(code) == 7 and code.isascii() and code.isdigit())
    assert isinstance(format_postal(value), str)
    found = postal.lookup(value)
    assert found is None or found.postal_code == code


int_input = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    texts,
    long_digits,
    shaped(st.sampled_from(["", "+", "-", "＋", "－", " "]), digits(1, 30)),
)


@PROPERTY
@given(int_input, st.integers(-(10**6), 10**6), st.integers(0, 10**6))
def test_parse_int(value: str | int | None, minimum: int, span: int) -> None:
    maximum = minimum + span
    number = value_or_clear_error(parse_int, value, minimum=minimum, maximum=maximum)
    if number is not REFUSED:
        assert minimum <= number <= maximum


# ---- dates -----------------------------------------------------------------------------------

era_token = st.sampled_from(
    [
        "M",
        "T",
        "S",
        "H",
        "R",
        "m",
        "s",
        "明治",
        "大正",
        "昭和",
        "平成",
        "令和",
        "㍾",
        "㍻",
        "㋿",
        "Ｒ",
        "",
    ]
)
date_like = st.one_of(
    maybe_text,
    shaped(
        era_token,
        st.sampled_from(["元", ""]),
        digits(0, 5),
        seps("./-年－ "),
        digits(0, 3),
        seps("./-月 "),
        digits(0, 3),
        st.sampled_from(["", "日"]),
    ),
    st.integers().map(str),
)


@PROPERTY
@given(date_like, st.booleans())
def test_parse_date_text(value: str | None, allow_empty: bool) -> None:
    d = value_or_clear_error(parse_date, value, allow_empty=allow_empty)
    if d is not REFUSED and d is not None:
        assert isinstance(d, date)
        if era_of(d) is not None:
            assert parse_date(format_wareki(d)) == d


@PROPERTY
@given(st.one_of(st.integers(), st.floats(), st.binary(), st.lists(st.integers()), st.datetimes()))
def test_parse_date_other_objects(value: object) -> None:
    d = value_or_clear_error(parse_date, value)
    assert d is REFUSED or isinstance(d, date)


@PROPERTY
@given(st.dates(), st.dates())
def test_date_checks(d: date, today: date) -> None:
    assert isinstance(format_wareki(d), str)
    value_or_clear_error(parse_date, format_wareki(d))
    for check in (check_not_future, check_birth_date):
        result = value_or_clear_error(check, d, today)
        assert result is REFUSED or result == d


# ---- limits, municipalities, allergens ----------------------------------------------------------


@PROPERTY
@given(texts, st.integers(0, 50))
def test_limit_length(value: str, maximum: int) -> None:
    result = value_or_clear_error(limit_length, value, maximum)
    assert result is REFUSED or result == value


code_like = st.one_of(
    maybe_text, digits(0, 8), shaped(digits(5, 5), st.sampled_from(["", " ", "x"]))
)


@PROPERTY
@given(code_like)
def test_municipality_codes(value: str | None) -> None:
    code = value_or_clear_error(municipalities.validate_code, value)
    if code is not REFUSED:
        assert code == "" or municipalities.get(code) is not None
    if value is not None:
        digit = value_or_clear_error(municipalities.check_digit, value)
        assert digit is REFUSED or 0 <= digit <= 9
    municipalities.get(value)
    municipalities.from_name(value)
    found = municipalities.from_address(value)
    assert found is None or found.role != "prefecture"


allergen_text = st.one_of(
    maybe_text,
    st.lists(
        st.sampled_from([*allergens.all_allergens(), "たまご", "ピーナッツ", "エビ", "?"])
    ).flatmap(lambda names: seps("、,・ ，､\u3000;").map(lambda s: (s or "、").join(names))),
)


@PROPERTY
@given(st.one_of(allergen_text, st.lists(texts, max_size=4)))
def test_allergens(value: str | list[str] | None) -> None:
    names = value_or_clear_error(allergens.normalize_allergens, value)
    if names is not REFUSED:
        assert names == [a for a in allergens.all_allergens() if a in names]
        assert allergens.normalize_allergens(names) == names


# ---- geo, times, schedules ---------------------------------------------------------------------

number = shaped(
    st.sampled_from(["", "-", "+", "－"]), digits(1, 400), st.sampled_from(["", "."]), digits(0, 8)
)
coordinates_like = st.one_of(
    maybe_text,
    shaped(number, st.sampled_from([",", "、", " ", ", ", "，"]), number),
    shaped(
        st.sampled_from(["北緯", "N", "南緯", "S", ""]),
        number,
        st.sampled_from(["度", "°", ""]),
        digits(0, 3),
        st.sampled_from(["分", "'", ""]),
        st.sampled_from([" 東経", " E", " 西経", " W", " "]),
        number,
    ),
    shaped(
        st.sampled_from(
            [
                "https://www.google.com/maps/@",
                "https://maps.example/?q=",
                "https://osm.org/#map=17/",
                "https://x/?mlat=",
                "!3d",
            ]
        ),
        number,
        st.sampled_from([",", "/", "!4d", "&mlon="]),
        number,
    ),
)


@PROPERTY
@given(coordinates_like)
def test_parse_coordinates(value: str | None) -> None:
    found = value_or_clear_error(parse_coordinates, value)
    if found is not REFUSED:
        lat, lon = found
        assert -90 <= lat <= 90 and -180 <= lon <= 180


# Stored coordinates have passed parse_coordinates, so distances are asked only within range.
lat_ = st.floats(-90, 90)
lon_ = st.floats(-180, 180)


@PROPERTY
@given(lat_, lon_, lat_, lon_)
def test_haversine(lat1: float, lon1: float, lat2: float, lon2: float) -> None:
    km = haversine_km(lat1, lon1, lat2, lon2)
    assert 0 <= km <= math.pi * EARTH_RADIUS_KM + 1e-6


time_like = st.one_of(
    maybe_text,
    st.times(),
    shaped(
        st.sampled_from(["", "午前", "午後", "AM", "pm", " "]),
        digits(0, 4),
        st.sampled_from(["", ":", "：", "時"]),
        digits(0, 3),
        st.sampled_from(["", "分", "半", ":00"]),
    ),
)


@PROPERTY
@given(time_like)
def test_parse_time(value: str | time | None) -> None:
    t = value_or_clear_error(parse_time, value)
    assert t is REFUSED or isinstance(t, time)


clock = shaped(digits(0, 3), st.sampled_from([":", "：", "時"]), digits(0, 3))
slot = shaped(
    st.sampled_from([*list("月火水木金土日"), "Mon", "tue", "WEDNESDAY", "水曜日", "x"]),
    st.sampled_from([" ", "", "曜 "]),
    clock,
    st.sampled_from(["-", "~", "〜", "～", " - "]),
    clock,
)
schedule_like = st.one_of(
    maybe_text,
    st.lists(st.one_of(slot, texts), max_size=4).flatmap(
        lambda parts: st.sampled_from(["、", ",", ";", "\n"]).map(lambda s: s.join(parts))
    ),
)


@PROPERTY
@given(schedule_like)
def test_parse_schedule(value: str | None) -> None:
    slots = value_or_clear_error(parse_schedule, value)
    if slots is not REFUSED:
        assert all(s.start < s.end for s in slots)
        for lang in ("ja", "en"):
            assert parse_schedule(format_schedule(slots, lang)) == slots


# ---- questionnaires and choice lists ------------------------------------------------------------

answer = st.one_of(st.none(), st.integers(), st.booleans(), texts, long_digits, digits(1, 3))


@PROPERTY
@given(st.sampled_from(sorted(INSTRUMENTS)), st.lists(answer, max_size=8))
def test_score(key: str, answers: list[int | str | None]) -> None:
    instrument = INSTRUMENTS[key]
    total = value_or_clear_error(score, instrument, answers)
    assert total is REFUSED or instrument.min_total <= total <= instrument.max_total


def _choice_text(enum: type[StrEnum]) -> st.SearchStrategy[str | None]:
    labels = [s for pair in codes.LABELS[enum].values() for s in pair] + [m.value for m in enum]
    return st.one_of(
        maybe_text,
        st.sampled_from(labels).flatmap(
            lambda s: shaped(
                st.sampled_from(["", " ", "\u3000"]), st.just(s), st.sampled_from(["", " ", "x"])
            )
        ),
    )


@PROPERTY
@given(
    st.sampled_from(sorted(codes.LABELS, key=lambda e: e.__name__)).flatmap(
        lambda enum: st.tuples(st.just(enum), _choice_text(enum))
    )
)
def test_parse_choice(case: tuple[type[StrEnum], str | None]) -> None:
    enum, value = case
    member = value_or_clear_error(codes.parse_choice, enum, value)
    assert member is REFUSED or isinstance(member, enum)


# ---- what the importers use to read files --------------------------------------------------------


@PROPERTY
@given(
    st.one_of(
        st.binary(max_size=200),
        texts.flatmap(
            lambda t: st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp932"]).map(
                lambda enc: t.encode(enc, errors="ignore")
            )
        ),
    )
)
def test_decode(data: bytes) -> None:
    text = value_or_clear_error(decode, data)
    assert text is REFUSED or isinstance(text, str)


@PROPERTY
@given(texts)
def test_cell_helpers(value: str) -> None:
    assert isinstance(norm_header(value), str)
    assert all(part and part == part.strip() for part in split_list(value))
    family, given_name = split_name(value)
    assert isinstance(family, str) and isinstance(given_name, str)


def test_parse_date_accepts_datetime() -> None:
    assert parse_date(datetime(2024, 1, 2, 3, 4)) == date(2024, 1, 2)
