"""The geocoder on any text: it never raises, never places a point outside Japan, and its
address normalising is idempotent (the matcher relies on table names and addresses meeting in
one form, whatever order the steps found them in).
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from evacsupport.domain.address import normalize_address
from evacsupport.domain.geocode import Precision, explain, geocode
from evacsupport.i18n import CATALOG
from tests.property.strategies import digits, huge, seps, shaped, texts

PROPERTY = settings(max_examples=300, deadline=None)
# Japan's extremes (沖ノ鳥島 20.4° N, 南鳥島 154.0° E, 与那国島 122.9° E, 択捉島 45.5° N)
JAPAN = (20.0, 122.5, 46.0, 154.5)

# Address-shaped text: real prefecture, municipality and town names, numbers in every form,
# the markers the normaliser rewrites, and noise.
_PIECES = st.sampled_from(
    [
        "石川県",
        "東京都",
        "北海道",
        "金沢市",
        "輪島市",
        "鳳珠郡",
        "穴水町",
        "七尾市",
        "府中市",
        "中央区",
        "札幌市",
        "香林坊",
        "広岡",
        "河井町",
        "和倉町",
        "飯田町",
        "川島",
        "旭ケ丘",
        "泉が丘",
        "一之宮",
        "大字",
        "字",
        "小字",
        "丁目",
        "二",
        "十",
        "二十四",
        "〇",
        "番地",
        "番",
        "号",
        "部",
        "条",
        "の",
        "ノ",
        "ヶ",
        "が",
        "ヨ",
        "か",
        "〒",
        "920-0961",
        "９２８－０００１",
        "-",
        "ー",
        "－",
        " ",
        "　",
        "3F",
        "ビル",
        "101号室",
    ]
)
addresses = st.one_of(
    texts,
    huge,
    st.lists(st.one_of(_PIECES, digits(1, 3), texts), max_size=12).map("".join),
)
postal_codes = st.one_of(
    st.none(),
    texts,
    shaped(st.sampled_from(["", "〒"]), digits(0, 3), seps("-－ー "), digits(0, 4)),
    st.sampled_from(["920-0961", "928-0001", "100-0001", "183-0000", "000-0000"]),
)


@PROPERTY
@given(addresses)
@example("〒920-0961 920-0961 石川県")
@example("1 2 3")
@example("旭が丘之之宮")
def test_normalising_is_idempotent(text: str) -> None:
    once = normalize_address(text)
    assert normalize_address(once) == once


@PROPERTY
@given(st.one_of(st.none(), addresses), postal_codes)
@example("金沢市香林坊2-1-1", "928-0001")
@example("中央区", None)
@example(None, "000-0000")
def test_never_raises_and_never_leaves_japan(address: str | None, code: str | None) -> None:
    result = geocode(address, code)
    if result.place is None:
        assert result.reason in CATALOG
    else:
        assert result.reason == ""
        lat, lon = result.place.latitude, result.place.longitude
        assert JAPAN[0] <= lat <= JAPAN[2] and JAPAN[1] <= lon <= JAPAN[3]
        assert result.place.precision in Precision
        assert result.place.label.startswith(result.place.municipality)
    assert result.note == "" or result.note in CATALOG
    assert isinstance(explain(result), str)
