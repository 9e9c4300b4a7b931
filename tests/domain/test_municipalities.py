"""Municipality data and codes: the data file must agree with the check-digit rule."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evacsupport.domain import municipalities as mu
from evacsupport.errors import InvalidValue
from evacsupport.resources import resource_path

ORIGIN = {
    "輪島市": "172049",
    "珠洲市": "172057",
    "能登町": "174637",
    "穴水町": "174611",
    "七尾市": "172022",
    "志賀町": "173843",
    "中能登町": "174076",
    "羽咋市": "172073",
    "内灘町": "173657",
    "宝達志水町": "173860",
}
HOST = {
    "金沢市": "172014",
    "白山市": "172103",
    "野々市市": "172120",
    "小松市": "172031",
    "加賀市": "172065",
    "かほく市": "172090",
    "津幡町": "173614",
    "能美市": "172111",
    "川北町": "173240",
}


def test_data_matches_domain_brief() -> None:
    entries = mu.all_municipalities()
    assert {m.name: m.code for m in entries if m.role == "origin"} == ORIGIN
    assert {m.name: m.code for m in entries if m.role == "host"} == HOST
    assert [(m.name, m.code) for m in entries if m.role == "prefecture"] == [("石川県", "170003")]
    assert len(entries) == 20
    assert len({m.code for m in entries}) == 20


def test_every_code_has_a_correct_check_digit() -> None:
    for m in mu.all_municipalities():
        assert len(m.code) == 6 and m.code.isdigit(), m
        assert int(m.code[5]) == mu.check_digit(m.code[:5]), m


def test_every_entry_is_complete() -> None:
    for m in mu.all_municipalities():
        assert m.role in mu.ROLES
        assert m.name and m.kana
        assert all("\u3041" <= ch <= "\u3096" for ch in m.kana), m


@pytest.mark.parametrize(
    ("five", "digit"), [("17204", 9), ("17000", 3), ("17386", 0), ("13101", 6), ("01100", 2)]
)
def test_check_digit(five: str, digit: int) -> None:
    # 131016 (千代田区) and 011002 (札幌市) are published codes outside Ishikawa.
    assert mu.check_digit(five) == digit


@pytest.mark.parametrize("bad", ["1720", "172049", "abcde", "１７２０４"])
def test_check_digit_needs_five_ascii_digits(bad: str) -> None:
    with pytest.raises(InvalidValue):
        mu.check_digit(bad)


def test_by_role() -> None:
    assert [m.name for m in mu.by_role("origin")] == list(ORIGIN)
    assert [m.name for m in mu.by_role("host")] == list(HOST)


def test_get() -> None:
    m = mu.get("172049")
    assert m is not None and m.name == "輪島市" and m.kana == "わじまし" and m.role == "origin"
    assert mu.get("999999") is None
    assert mu.get("") is None
    assert mu.get(None) is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("172049", "172049"),
        ("17204", "172049"),
        (" 172049 ", "172049"),
        ("１７２０４９", "172049"),
        ("１７２０４", "172049"),
        ("17000", "170003"),
        ("17324", "173240"),
        ("", ""),
        (None, ""),
        ("  ", ""),
    ],
)
def test_validate_code(raw: str | None, expected: str) -> None:
    assert mu.validate_code(raw) == expected


@pytest.mark.parametrize("raw", ["172048", "172040", "１７２０４８"])
def test_validate_code_wrong_check_digit(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        mu.validate_code(raw)
    assert exc.value.code == "municipality.check_digit"
    assert exc.value.params["code"].startswith("17204")


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("131016", "131016"),
        ("13101", "131016"),
        ("1720", "1720"),
        ("輪島", "輪島"),
        ("1720499", "1720499"),
    ],
)
def test_validate_code_unknown(raw: str, code: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        mu.validate_code(raw)
    assert exc.value.code == "municipality.unknown"
    assert exc.value.params == {"code": code}
    assert code in exc.value.message("ja")


def test_from_name() -> None:
    assert mu.from_name("輪島市").code == "172049"  # type: ignore[union-attr]
    assert mu.from_name(" かほく市 ").code == "172090"  # type: ignore[union-attr]
    assert mu.from_name("石川県").code == "170003"  # type: ignore[union-attr]
    assert mu.from_name("輪島") is None
    assert mu.from_name("") is None
    assert mu.from_name(None) is None


@pytest.mark.parametrize(
    ("address", "name"),
    [
        ("石川県輪島市河井町1-1", "輪島市"),
        ("輪島市河井町１－１", "輪島市"),
        ("石川県 輪島市 河井町", "輪島市"),
        ("石川県鳳珠郡能登町宇出津", "能登町"),
        ("能登町宇出津", "能登町"),
        ("石川県鹿島郡中能登町能登部下", "中能登町"),
        ("中能登町能登部下", "中能登町"),
        ("石川県金沢市香林坊1丁目", "金沢市"),
        ("石川県野々市市三納", "野々市市"),
        ("石川県かほく市宇野気", "かほく市"),
        ("石川県能美郡川北町壱ツ屋", "川北町"),
        ("石川県羽咋郡志賀町末吉", "志賀町"),
        ("石川県羽咋市旭町", "羽咋市"),
        ("石川県羽咋郡宝達志水町子浦", "宝達志水町"),
        ("〒920-0961 石川県金沢市香林坊", "金沢市"),
    ],
)
def test_from_address(address: str, name: str) -> None:
    m = mu.from_address(address)
    assert m is not None and m.name == name


@pytest.mark.parametrize("address", ["", None, "石川県", "東京都千代田区", "富山県富山市"])
def test_from_address_none(address: str | None) -> None:
    assert mu.from_address(address) is None


@given(st.text())
def test_validate_code_never_crashes(text: str) -> None:
    try:
        mu.validate_code(text)
    except InvalidValue as exc:
        assert exc.code in {"municipality.unknown", "municipality.check_digit"}


@given(st.text())
def test_from_address_never_crashes(text: str) -> None:
    mu.from_address(text)


def test_resource_path_finds_the_data_folder() -> None:
    path = resource_path("data", "municipalities.json")
    assert path.is_file()
    assert path.parent.parent.name == "resources"


def test_resource_path_when_frozen(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(sys, "_MEIPASS", str(tmp_path), raising=False)
    assert resource_path("data", "x.json") == tmp_path / "resources" / "data" / "x.json"
