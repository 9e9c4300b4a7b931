"""Text the way evacuee lists and forms really arrive, for property tests.

Plain ``st.text()`` rarely produces the characters that matter here, so these strategies mix
ASCII digits and punctuation with full-width forms, half-width and full-width kana, kanji, era
names, circled and squared compatibility characters, control characters and other scripts' digits.
"""

from __future__ import annotations

import string
from collections.abc import Callable
from string import Formatter
from typing import Any

from hypothesis import strategies as st

from evacsupport.errors import EvacError, ValidationError
from evacsupport.i18n import CATALOG, LANGUAGES, message

_INTERESTING = (
    string.digits
    + "+-.,:;/()@#?&=!'\" \t\n\r"
    + "０１２３４５６７８９－．，：／（）＠＃　"  # full-width ASCII and the ideographic space
    + "\u2010\u2011\u2012\u2013\u2014\u2212\u30fc\u301c\uff5e~"  # hyphens, ー and wave dashes
    + "ｱｲｳｶﾞﾊﾟﾞﾟｰ･"  # half-width katakana and marks
    + "あいうえおがぱゃっゔゝゞアイウエオガパャッヴヽヾ・ヿ"
    + "年月日時分秒半午前後元明治大正昭和平成令和"
    + "MTSHRmtshrNSEWnsew北緯南緯東経西経度°′″"
    + "月火水木金土日曜〜～、"
    + "〒卵乳小麦落花生えびかにそばくるみ石川県輪島市金沢"
    + "㍻㍼㍽㍾㋿㈱①⑪²¹½ﬁ"  # NFKC turns these into several characters
    + "\x00\x01\x1b\x7f\u200b\u200d\ufeff\u3000\u00a0\u2028"  # control, zero-width, odd spaces
    + "٠١٢٣४५६𝟘𝟙"  # digits of other scripts (\\d matches them, [0-9] does not)
    + "İıßẞΣς\u0301\u3099\u309a"  # case mappings that change length, combining marks
)

# Characters that matter here, mixed with anything Unicode has (never a lone surrogate).
chars = st.one_of(st.sampled_from(_INTERESTING), st.characters(exclude_categories=("Cs",)))
texts = st.text(chars, max_size=40)
long_digits = st.integers(min_value=4290, max_value=6000).map(lambda n: "1" * n)
# A pasted block: a short piece repeated into tens of thousands of characters.
huge = st.tuples(st.text(chars, min_size=1, max_size=8), st.integers(2000, 5000)).map(
    lambda t: t[0] * t[1]
)


def shaped(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Text built from pieces in order, such as a number, a separator and another number."""
    return st.tuples(*parts).map("".join)


def digits(min_size: int = 0, max_size: int = 6) -> st.SearchStrategy[str]:
    return st.text(
        st.sampled_from("0123456789０１２３４５６７８９"), min_size=min_size, max_size=max_size
    )


def seps(alphabet: str) -> st.SearchStrategy[str]:
    return st.text(st.sampled_from(alphabet), max_size=2)


def assert_clear_error(exc: BaseException) -> None:
    """The exception is one of the app's own, with a catalog message filled in both languages."""
    assert isinstance(exc, EvacError), f"{type(exc).__name__}: {exc!r}"
    errors: list[tuple[str, dict[str, Any]]] = (
        [(e.code, e.params) for e in exc.errors]
        if isinstance(exc, ValidationError)
        else [(exc.code, exc.params)]
    )
    for code, params in errors:
        assert code in CATALOG, f"message code {code!r} is not in the catalog"
        for lang, text in zip(LANGUAGES, CATALOG[code], strict=True):
            needed = {name for _, name, _, _ in Formatter().parse(text) if name}
            assert needed <= set(params), f"{code} ({lang}) lacks {needed - set(params)}"
            assert message(code, lang, **params)


REFUSED = object()


def value_or_clear_error(func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """``func``'s result, or :data:`REFUSED` once what it raised proved a clear app error."""
    try:
        return func(*args, **kwargs)
    except Exception as exc:
        assert_clear_error(exc)
        return REFUSED
