"""Normalisers: one stored form for every way people type names, numbers and codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from evacsupport.domain.normalize import (
    clean_multiline,
    clean_name,
    clean_text,
    find_control,
    format_phone,
    format_postal,
    normalize_phone,
    normalize_postal,
    parse_int,
    search_key,
    to_katakana,
)
from evacsupport.errors import InvalidValue


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, ""),
        ("", ""),
        ("  山田　太郎  ", "山田 太郎"),
        ("山田\t\n 太郎", "山田 太郎"),
        ("ＡＢＣ１２３", "ABC123"),
        ("ｶﾀｶﾅ", "カタカナ"),
        ("\u3000\u3000", ""),
    ],
)
def test_clean_text(raw: str | None, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("能登\x1b[31m太郎", "能登[31m太郎"),  # an escape sequence from a barcode scanner
        ("きざみ食\x07", "きざみ食"),
        ("卵\x00、乳", "卵、乳"),  # NUL, which PostgreSQL would refuse
        ("金沢市\t香林坊\r\n1-1", "金沢市 香林坊 1-1"),
        ("輪島市\u202e河井町", "輪島市河井町"),  # a bidirectional override
        ("e\x7f\u0301", "\u00e9"),  # the mark composes once DEL is gone
    ],
)
def test_clean_text_drops_control_characters(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  能登　太郎 ", "能登 太郎"),
        ("ﾉﾄ", "ノト"),
        ("\t輪島\r\n", "輪島"),  # around the name: trimmed like any whitespace
        ("髙﨑", "髙﨑"),
        ("葛\U000e0100城", "葛\U000e0100城"),  # an ideographic variation selector is a letter
        ("", ""),
        (None, ""),
    ],
)
def test_clean_name(raw: str | None, expected: str) -> None:
    assert clean_name(raw) == expected


@pytest.mark.parametrize(
    ("raw", "char"),
    [
        ("能登\x1b太郎", "U+001B"),
        ("能登\t太郎", "U+0009"),  # two spreadsheet cells pasted into one box
        ("能登\n太郎", "U+000A"),
        ("にこにこ\x07食堂", "U+0007"),
        ("能登\u2028太郎", "U+2028"),
        ("\u202eウロタ", "U+202E"),
        ("ｶﾌｪ\x85食堂", "U+0085"),  # NEL: whitespace to Python, a line break all the same
    ],
)
def test_clean_name_refuses_control_characters_saying_which(raw: str, char: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        clean_name(raw)
    assert exc.value.code == "name.control"
    assert exc.value.params == {"char": char}
    assert char in exc.value.message("ja") and char in exc.value.message("en")


def test_furigana_with_a_control_character_says_so() -> None:
    with pytest.raises(InvalidValue) as exc:
        to_katakana("のと\x1bたろう")
    assert exc.value.code == "name.control"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("朝は食欲なし。\r\n昼は完食", "朝は食欲なし。\n昼は完食"),
        ("一行目\r二行目\u2028三行目", "一行目\n二行目\n三行目"),  # old Mac, Word's line break
        ("薬：\t朝・夕", "薬： 朝・夕"),
        ("要支援\x1b[0m２", "要支援[0m２"),  # no NFKC: notes stay as written
        ("\n\n  次回は息子さんも同席  \n\n", "次回は息子さんも同席"),
        ("段落1\n\n段落2", "段落1\n\n段落2"),
        ("①血圧高め   \n②通院中", "①血圧高め\n②通院中"),
        (None, ""),
    ],
)
def test_clean_multiline_keeps_lines_and_drops_the_rest(raw: str | None, expected: str) -> None:
    assert clean_multiline(raw) == expected


def test_find_control() -> None:
    assert find_control("能登 太郎") is None
    assert find_control(None) is None
    assert find_control("a\x00b\x1b") == "\x00"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("やまだ", "ヤマダ"),
        ("ヤマダ", "ヤマダ"),
        ("ﾔﾏﾀﾞ", "ヤマダ"),
        ("ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "パピプペポ"),
        ("やまだ　たろう", "ヤマダ タロウ"),
        ("  やまだ   たろう  ", "ヤマダ タロウ"),
        ("ようこ", "ヨウコ"),
        ("ヨーコ", "ヨーコ"),
        ("ｼﾞｮｰｼﾞ･ｽﾐｽ", "ジョージ・スミス"),
        ("ゔぁ", "ヴァ"),
        ("いすゞ", "イスヾ"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_to_katakana(raw: str | None, expected: str) -> None:
    assert to_katakana(raw) == expected


@pytest.mark.parametrize("raw", ["山田", "yamada", "ヤマダ1", "やまだ-", "ヤマダ!", "゛"])
def test_to_katakana_rejects_non_kana(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        to_katakana(raw)
    assert exc.value.code == "kana.invalid"


@pytest.mark.parametrize(
    "raw", ["やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ", "ヤマダ タロウ", "やまだたろう"]
)
def test_search_key_ignores_kana_type_width_and_spaces(raw: str) -> None:
    assert search_key(raw) == "ヤマダタロウ"


@pytest.mark.parametrize(
    "raw",
    ["n24-000123", "Ｎ２４－０００１２３", "N24‐000123", "N24—000123", "N24−000123", "n 24 000123"],
)
def test_search_key_case_numbers(raw: str) -> None:
    assert search_key(raw) == "N24000123"


def test_search_key_keeps_long_vowel_mark() -> None:
    assert search_key("ヨーコ") == "ヨーコ"
    assert search_key("よーこ") == "ヨーコ"
    assert search_key("ヨーコ") != search_key("ヨコ")


def test_search_key_empty() -> None:
    assert search_key("") == ""
    assert search_key(None) == ""


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("076-225-1111", "0762251111"),
        ("０７６－２２５－１１１１", "0762251111"),
        ("076 225 1111", "0762251111"),
        ("(076)225-1111", "0762251111"),
        ("（０７６）２２５－１１１１", "0762251111"),
        ("0768-22-1234", "0768221234"),
        ("0767-52-1234", "0767521234"),
        ("03-1234-5678", "0312345678"),
        ("090-1234-5678", "09012345678"),
        ("080 1234 5678", "08012345678"),
        ("07012345678", "07012345678"),
        ("060-1234-5678", "06012345678"),
        ("050-1234-5678", "05012345678"),
        ("0120-123-456", "0120123456"),
        ("0800-123-4567", "08001234567"),
        ("+81 90-1234-5678", "09012345678"),
        ("+81-76-225-1111", "0762251111"),
        ("+81 (0)90 1234 5678", "09012345678"),
        ("＋８１９０１２３４５６７８", "09012345678"),
        ("090ー1234ー5678", "09012345678"),
        ("090–1234–5678", "09012345678"),
        ("", ""),
        (None, ""),
        ("   ", ""),
    ],
)
def test_normalize_phone(raw: str | None, expected: str) -> None:
    assert normalize_phone(raw) == expected


@pytest.mark.parametrize(
    "raw",
    [
        "090-1234-567",  # mobile with 10 digits
        "090-1234-56789",
        "0901234567",
        "0501234567",
        "0800123456",  # 0800 needs 11 digits
        "01201234567",  # 0120 needs 10 digits
        "0012345678",
        "7622511111",  # no leading 0
        "076225111",
        "07622511111",
        "tel 076-225-1111",
        "076-225-111a",
        "12",
        "+1 212 555 0100",
    ],
)
def test_normalize_phone_rejects(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        normalize_phone(raw)
    assert exc.value.code == "phone.invalid"


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("0762251111", "076-225-1111"),
        ("09012345678", "090-1234-5678"),
        ("0768221234", "0768-22-1234"),
        ("0767521234", "0767-52-1234"),
        ("0312345678", "03-1234-5678"),
        ("05012345678", "050-1234-5678"),
        ("0120123456", "0120-123-456"),
        ("", ""),
        (None, ""),
    ],
)
def test_format_phone(digits: str | None, expected: str) -> None:
    assert format_phone(digits) == expected


def test_format_phone_round_trips_through_normalize() -> None:
    for digits in ("0762251111", "09012345678", "0768221234", "08001234567"):
        assert normalize_phone(format_phone(digits)) == digits


def test_format_phone_falls_back_when_library_cannot_help() -> None:
    # Numbers phonenumbers cannot place get a plain 3-4-4 or 3-3-4 split.
    assert format_phone("01234567890") == "012-3456-7890"
    assert format_phone("0000000000") == "000-000-0000"
    assert format_phone("00000000000") == "000-0000-0000"
    assert format_phone("123") == "123"
    assert format_phone("not a number") == "not a number"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("920-0961", "9200961"),
        ("9200961", "9200961"),
        ("〒920-0961", "9200961"),
        ("〒 920-0961", "9200961"),
        ("９２０－０９６１", "9200961"),
        ("〒９２０ー０９６１", "9200961"),
        ("920 0961", "9200961"),
        ("〒", ""),  # a form's pre-filled mark alone means "not given"
        ("", ""),
        (None, ""),
    ],
)
def test_normalize_postal(raw: str | None, expected: str) -> None:
    assert normalize_postal(raw) == expected


@pytest.mark.parametrize("raw", ["920-096", "92009611", "920-O961", "〒920", "abc"])
def test_normalize_postal_rejects(raw: str) -> None:
    with pytest.raises(InvalidValue) as exc:
        normalize_postal(raw)
    assert exc.value.code == "postal.invalid"


def test_format_postal() -> None:
    assert format_postal("9200961") == "920-0961"
    assert format_postal("〒９２０－０９６１") == "920-0961"
    assert format_postal("") == ""
    assert format_postal(None) == ""
    assert format_postal("bad") == "bad"


@pytest.mark.parametrize(
    ("raw", "expected"), [("5", 5), ("５", 5), (" １２ ", 12), (7, 7), ("-3", -3), ("+4", 4)]
)
def test_parse_int(raw: str | int, expected: int) -> None:
    assert parse_int(raw, minimum=-10, maximum=20) == expected


@pytest.mark.parametrize("raw", ["1.5", "abc", "1 2", "５個", True])
def test_parse_int_rejects_non_integers(raw: str | bool) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_int(raw, minimum=0, maximum=100)
    assert exc.value.code == "value.integer"


@pytest.mark.parametrize("raw", ["0", "１０１", 101, -1])
def test_parse_int_range(raw: str | int) -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_int(raw, minimum=1, maximum=100)
    assert exc.value.code == "value.range"
    assert exc.value.params == {"min": 1, "max": 100}


def test_parse_int_empty() -> None:
    with pytest.raises(InvalidValue) as exc:
        parse_int("  ", minimum=0, maximum=1)
    assert exc.value.code == "value.required"


@given(st.text())
def test_to_katakana_never_crashes(text: str) -> None:
    try:
        result = to_katakana(text)
    except InvalidValue as exc:
        assert exc.code in ("kana.invalid", "name.control")
    else:
        assert to_katakana(result) == result


@given(st.text(alphabet=st.characters(min_codepoint=0x3041, max_codepoint=0x3096)))
def test_hiragana_always_becomes_katakana(text: str) -> None:
    assert to_katakana(text) == search_key(text)


@given(st.text())
def test_search_key_never_crashes(text: str) -> None:
    key = search_key(text)
    assert search_key(key) == key
    assert not any(ch.isspace() for ch in key)


@given(st.text())
def test_normalize_phone_never_crashes(text: str) -> None:
    try:
        digits = normalize_phone(text)
    except InvalidValue as exc:
        assert exc.code == "phone.invalid"
    else:
        assert digits == "" or (digits.isdigit() and len(digits) in (10, 11))
        assert normalize_phone(format_phone(digits)) == digits


@given(st.from_regex(r"0[1-9][0-9]{8}", fullmatch=True))
def test_ten_digit_landlines_accepted(digits: str) -> None:
    if digits.startswith(("090", "080", "070", "060", "050")):
        return
    assert normalize_phone(digits) == digits


@given(st.text())
def test_normalize_postal_never_crashes(text: str) -> None:
    try:
        digits = normalize_postal(text)
    except InvalidValue as exc:
        assert exc.code == "postal.invalid"
    else:
        assert digits == "" or (len(digits) == 7 and digits.isdigit())
        format_postal(text)


@given(st.text())
def test_parse_int_never_crashes(text: str) -> None:
    try:
        parse_int(text, minimum=0, maximum=10)
    except InvalidValue as exc:
        assert exc.code in {"value.integer", "value.range", "value.required"}


def test_parse_int_thousands_of_digits_is_out_of_range() -> None:
    # int() refuses strings over 4300 digits; a pasted block of digits is a range error instead.
    with pytest.raises(InvalidValue) as exc:
        parse_int("1" * 5000, minimum=0, maximum=500)
    assert exc.value.code == "value.range"
    assert exc.value.params == {"min": 0, "max": 500}
    assert parse_int("0" * 5000 + "42", minimum=0, maximum=500) == 42
    assert parse_int("-" + "0" * 5000 + "7", minimum=-10, maximum=0) == -7
