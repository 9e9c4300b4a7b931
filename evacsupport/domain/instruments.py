"""Wellbeing questionnaires used in follow-up contacts: loneliness (direct, UCLA-3) and K6 distress.

Staff record each answer and the app computes the total, because hand-added totals are a common
source of error and a wrong total can hide someone who needs a referral. Thresholds are parameters
so that they can become settings; no band is hard-wired into the stored data.
"""

from __future__ import annotations

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


def k6_band(score: int, *, moderate: int = 5, high: int = 10, serious: int = 13) -> str:
    """ "low", "moderate" (≥5), "high" (≥10, Japan's official indicator) or "serious" (≥13)."""
    if score >= serious:
        return "serious"
    if score >= high:
        return "high"
    if score >= moderate:
        return "moderate"
    return "low"


def ucla3_high(score: int, threshold: int = 10) -> bool:
    """Whether a UCLA-3 total counts as high loneliness (no official cut-off: a setting)."""
    return score >= threshold


def loneliness_high(answer: int, threshold: int = 4) -> bool:
    """Whether the direct question was answered 時々ある (4) or しばしばある・常にある (5)."""
    return answer >= threshold
