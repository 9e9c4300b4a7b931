"""Wellbeing questionnaires used in follow-up contacts: loneliness (direct, UCLA-3) and K6 distress.

Staff record each answer and the app computes the total, because hand-added totals are a common
source of error and a wrong total can hide someone who needs a referral. Thresholds are parameters
so that they can become settings; no band is hard-wired into the stored data.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

from evacsupport.domain.normalize import clean_text
from evacsupport.errors import InvalidValue


@dataclass(frozen=True)
class Instrument:
    """A questionnaire: its items (Japanese text) and the answer scale every item shares."""

    key: str
    name_ja: str
    name_en: str
    items: tuple[str, ...]
    choices: tuple[tuple[int, str], ...]
    min_value: int
    max_value: int
    short_ja: str = ""  # in a sentence: 「K6が14点」
    short_en: str = ""

    def __hash__(self) -> int:
        # by key alone (equal instruments have equal keys): the bands are cached by
        # instrument, and hashing every item's text on each look-up cost more than the bands
        return hash(self.key)

    @property
    def min_total(self) -> int:
        return self.min_value * len(self.items)

    @property
    def max_total(self) -> int:
        return self.max_value * len(self.items)


LONELINESS_DIRECT = Instrument(
    key="loneliness",
    name_ja="孤独感（直接質問）",
    name_en="Loneliness (direct question)",
    items=("あなたはどの程度、孤独であると感じることがありますか。",),
    choices=(
        (1, "決してない"),
        (2, "ほとんどない"),
        (3, "たまにある"),
        (4, "時々ある"),
        (5, "しばしばある・常にある"),
    ),
    min_value=1,
    max_value=5,
    short_ja="孤独感（直接質問）",
    short_en="Loneliness (direct question)",
)

UCLA3 = Instrument(
    key="ucla3",
    name_ja="UCLA孤独感尺度（3項目版）",
    name_en="UCLA Loneliness Scale (3-item)",
    items=(
        "自分には人とのつきあいがないと感じることがありますか",
        "自分は取り残されていると感じることがありますか",
        "自分は他の人たちから孤立していると感じることがありますか",
    ),
    choices=((1, "決してない"), (2, "ほとんどない"), (3, "時々ある"), (4, "常にある")),
    min_value=1,
    max_value=4,
    short_ja="孤独感尺度（UCLA 3項目）",
    short_en="UCLA-3 loneliness score",
)

K6 = Instrument(
    key="k6",
    name_ja="K6（こころの状態）",
    name_en="K6 psychological distress",
    items=(
        "神経過敏に感じましたか",
        "絶望的だと感じましたか",
        "そわそわ、落ち着かなく感じましたか",
        "気分が沈み込んで、何が起こっても気が晴れないように感じましたか",
        "何をするのも骨折りだと感じましたか",
        "自分は価値のない人間だと感じましたか",
    ),
    choices=((0, "まったくない"), (1, "少しだけ"), (2, "ときどき"), (3, "たいてい"), (4, "いつも")),
    min_value=0,
    max_value=4,
    short_ja="K6",
    short_en="K6 score",
)

INSTRUMENTS: dict[str, Instrument] = {i.key: i for i in (LONELINESS_DIRECT, UCLA3, K6)}


def get_instrument(key: str) -> Instrument | None:
    """The instrument stored under ``key`` (records keep the key, not the name)."""
    return INSTRUMENTS.get(key)


def _answer(instrument: Instrument, index: int, value: int | str | None) -> int:
    """One answer as an int on the instrument's scale; ``index`` is 0-based."""
    if value is None or (isinstance(value, str) and not clean_text(value)):
        raise InvalidValue(
            "instrument.count", instrument=instrument.name_ja, count=len(instrument.items)
        )
    number: int | None = None
    if isinstance(value, int) and not isinstance(value, bool):
        number = value
    elif isinstance(value, str):
        text = clean_text(value)
        # int() refuses more than 4300 digits, and a longer number cannot be on the scale.
        significant = text.lstrip("0") or "0"
        if text.isascii() and text.isdigit() and len(significant) <= 3:
            number = int(significant)
    if number is None or not instrument.min_value <= number <= instrument.max_value:
        raise InvalidValue(
            "instrument.answer",
            instrument=instrument.name_ja,
            item=index + 1,
            min=instrument.min_value,
            max=instrument.max_value,
        )
    return number


def score(instrument: Instrument, answers: Sequence[int | str | None]) -> int:
    """The total of one completed questionnaire; every item must be answered on its scale."""
    if len(answers) != len(instrument.items):
        raise InvalidValue(
            "instrument.count", instrument=instrument.name_ja, count=len(instrument.items)
        )
    return sum(_answer(instrument, i, value) for i, value in enumerate(answers))


@dataclass(frozen=True)
class Band:
    """A range of one instrument's results and what it means.

    ``level`` is what the household list makes of it (0 nothing, 1 watch, 2 high: the values of
    ``services.risk.RiskLevel``); a band with a level above 0 is also followed up after the
    check-in that gave it.
    """

    key: str
    low: int
    high: int
    label_ja: str
    label_en: str
    level: int = 0

    @property
    def follow_up(self) -> bool:
        return self.level > 0

    def __contains__(self, value: object) -> bool:
        return isinstance(value, int) and self.low <= value <= self.high


def _choice(instrument: Instrument, value: int) -> str:
    return dict(instrument.choices).get(value, str(value))


@dataclass(frozen=True)
class Cutoffs:
    """Every instrument's cut-offs, in one place: the check-in form's band texts, the follow-up
    a check-in creates, the household list's risk rules and the reports all read them here.

    The defaults are the published ones (K6: 5 and 10, 10 being Japan's official indicator, 13
    for serious distress); the team may move them in the settings (``RiskSettings``).
    """

    k6_moderate: int = 5
    k6_indicator: int = 10
    k6_serious: int = 13
    ucla3_high: int = 10
    loneliness_high: int = 4

    def bands(self, instrument: Instrument) -> tuple[Band, ...]:
        """The instrument's bands, lowest first, covering its whole range without gaps.

        Cached: the household list and the monthly report band every member's latest scores
        of tens of thousands of households with the same few cut-offs."""
        return _bands(self, instrument)

    def _make_bands(self, instrument: Instrument) -> tuple[Band, ...]:
        edges: tuple[tuple[str, int, str, str, int], ...]
        if instrument.key == K6.key:
            edges = (
                ("low", K6.min_total, "低い", "low", 0),
                ("moderate", self.k6_moderate, "中程度", "moderate", 0),
                ("high", self.k6_indicator, "要確認", "needs attention", 1),
                ("serious", self.k6_serious, "重い心理的苦痛", "serious distress", 2),
            )
        elif instrument.key == UCLA3.key:
            edges = (
                ("low", UCLA3.min_total, "基準未満", "below the cut-off", 0),
                ("high", self.ucla3_high, "孤独感が高い", "high loneliness", 1),
            )
        else:
            edges = (
                ("low", instrument.min_total, "基準未満", "below the cut-off", 0),
                ("high", self.loneliness_high, "孤独感が高い", "high loneliness", 1),
            )
        bands: list[Band] = []
        for i, (key, low, ja, en, level) in enumerate(edges):
            # A band ends where any higher one starts: a cut-off moved below a lower one (K6's
            # indicator set to 3) takes over, leaving the lower band shorter or empty.
            later = [edge[1] for edge in edges[i + 1 :]]
            high = min([*later, instrument.max_total + 1]) - 1
            low = max(low, instrument.min_total)
            if low <= high:
                bands.append(Band(key, low, min(high, instrument.max_total), ja, en, level))
        return tuple(bands)

    def band(self, instrument: Instrument, result: int) -> Band:
        """The band ``result`` (a total, or the answer of a single question) falls in."""
        return _band(self, instrument, result)

    def flagged(self, instrument: Instrument, result: int | None) -> Band | None:
        """The band of ``result`` when it calls for a follow-up, else None."""
        if result is None:
            return None
        band = self.band(instrument, result)
        return band if band.follow_up else None

    # --- the words, one definition for every screen and report --------------------------------
    def range_text(self, instrument: Instrument, band: Band, lang: str = "ja") -> str:
        """「10〜12点」「13点以上」, or for a single question its answers (「時々ある」以上)."""
        if len(instrument.items) == 1:
            first = _choice(instrument, band.low)
            if band.high >= instrument.max_value:
                return f"「{first}」以上" if lang == "ja" else f"“{first}” or more"
            last = _choice(instrument, band.high)
            if band.low == band.high:
                return f"「{first}」" if lang == "ja" else f"“{first}”"
            return f"「{first}」〜「{last}」" if lang == "ja" else f"“{first}” to “{last}”"
        if band.high >= instrument.max_total and band.low > instrument.min_total:
            return f"{band.low}点以上" if lang == "ja" else f"≥ {band.low}"
        if band.low == band.high:
            return f"{band.low}点" if lang == "ja" else f"{band.low}"
        return f"{band.low}〜{band.high}点" if lang == "ja" else f"{band.low}–{band.high}"

    def band_text(self, instrument: Instrument, band: Band, lang: str = "ja") -> str:
        """「13点以上：重い心理的苦痛」: the band's range and meaning."""
        label = band.label_ja if lang == "ja" else band.label_en
        sep = "：" if lang == "ja" else ": "
        return f"{self.range_text(instrument, band, lang)}{sep}{label}"

    def result_text(self, instrument: Instrument, result: int, lang: str = "ja") -> str:
        """「14点」, or for a single question the answer given (「時々ある」)."""
        if len(instrument.items) == 1:
            answer = _choice(instrument, result)
            return f"「{answer}」" if lang == "ja" else f"“{answer}”"
        return f"{result}点" if lang == "ja" else f"{result}"

    def describe(self, instrument: Instrument, result: int, lang: str = "ja") -> str:
        """One sentence for a follow-up's reason and the household list's risk reasons:
        「K6が14点（13点以上：重い心理的苦痛）」."""
        band = self.band(instrument, result)
        name = instrument.short_ja if lang == "ja" else instrument.short_en
        if lang == "ja":
            said = self.result_text(instrument, result, lang)
            what = f"{name}に{said}と回答" if len(instrument.items) == 1 else f"{name}が{said}"
            return f"{what}（{self.band_text(instrument, band, lang)}）"
        return (
            f"{name} {self.result_text(instrument, result, lang)}"
            f" ({self.band_text(instrument, band, lang)})"
        )


@functools.lru_cache(maxsize=64)
def _bands(cutoffs: Cutoffs, instrument: Instrument) -> tuple[Band, ...]:
    return cutoffs._make_bands(instrument)


@functools.lru_cache(maxsize=4096, typed=True)  # typed: 5.0 is not in a band, 5 is
def _band(cutoffs: Cutoffs, instrument: Instrument, result: int) -> Band:
    bands = _bands(cutoffs, instrument)
    return next((b for b in bands if result in b), bands[0] if result < 0 else bands[-1])


DEFAULT_CUTOFFS = Cutoffs()


def k6_band(score: int, *, moderate: int = 5, high: int = 10, serious: int = 13) -> str:
    """ "low", "moderate" (≥5), "high" (≥10, Japan's official indicator) or "serious" (≥13)."""
    cutoffs = Cutoffs(k6_moderate=moderate, k6_indicator=high, k6_serious=serious)
    return cutoffs.band(K6, score).key


def ucla3_high(score: int, threshold: int = 10) -> bool:
    """Whether a UCLA-3 total counts as high loneliness (no official cut-off: a setting)."""
    return Cutoffs(ucla3_high=threshold).flagged(UCLA3, score) is not None


def loneliness_high(answer: int, threshold: int = 4) -> bool:
    """Whether the direct question was answered 時々ある (4) or しばしばある・常にある (5)."""
    return Cutoffs(loneliness_high=threshold).flagged(LONELINESS_DIRECT, answer) is not None
