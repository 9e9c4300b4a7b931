"""Read and write dates in the Japanese era calendar (和暦) as well as the Western one.

Older evacuees, disaster-victim certificates and municipal forms give birth dates as 昭和45年3月2日
or S45.3.2; staff copy them as written. Parsing every common form, and saying clearly when an era
date does not exist (平成31年5月1日), saves a round trip with the person.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from evacsupport.domain.normalize import HYPHENS, nfkc
from evacsupport.errors import InvalidValue


@dataclass(frozen=True)
class Era:
    """One era; ``end`` is its last day, or None for the current era."""

    name: str
    letter: str
    start: date
    end: date | None

    def contains(self, d: date) -> bool:
        return self.start <= d and (self.end is None or d <= self.end)


# Oldest first. 1926-12-25 is both 大正15年 and 昭和元年: Taishō ended and Shōwa began that day.
ERAS: tuple[Era, ...] = (
    Era("明治", "M", date(1868, 10, 23), date(1912, 7, 29)),
    Era("大正", "T", date(1912, 7, 30), date(1926, 12, 25)),
    Era("昭和", "S", date(1926, 12, 25), date(1989, 1, 7)),
    Era("平成", "H", date(1989, 1, 8), date(2019, 4, 30)),
    Era("令和", "R", date(2019, 5, 1), None),
)
_BY_TOKEN: dict[str, Era] = {e.name: e for e in ERAS} | {e.letter: e for e in ERAS}

MIN_BIRTH_DATE = date(1900, 1, 1)

_SEP = f"[{re.escape(HYPHENS)}/.]"
_N = "[0-9]"
_ERA_TOKEN = "|".join([e.name for e in ERAS] + [e.letter for e in ERAS])
_WESTERN_RES = (
    re.compile(
        rf"({_N}{{4}})\s*(?:{_SEP}|年)\s*({_N}{{1,2}})\s*(?:{_SEP}|月)\s*({_N}{{1,2}})\s*日?"
    ),
    re.compile(rf"({_N}{{4}})({_N}{{2}})({_N}{{2}})"),
)
_WAREKI_RES = (
    re.compile(
        rf"({_ERA_TOKEN})\s*({_N}{{1,4}}|元)\s*(?:{_SEP}|年)\s*({_N}{{1,2}})\s*(?:{_SEP}|月)"
        rf"\s*({_N}{{1,2}})\s*日?",
        re.IGNORECASE,
    ),
    re.compile(rf"({_ERA_TOKEN})({_N}{{2}})({_N}{{2}})({_N}{{2}})", re.IGNORECASE),
)


def parse_date(value: str | date | None, *, allow_empty: bool = False) -> date | None:
    """A date from Western (2024-01-01, 2024年1月1日, 20240101) or era (R6.1.1) notation."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if value is not None and not isinstance(value, str):
        raise InvalidValue("date.invalid")
    # NFKC turns ㋿/㍻ into 令和/平成 and full-width digits into ASCII.
    text = nfkc(value or "").strip()
    if not text:
        if allow_empty:
            return None
        raise InvalidValue("value.required")
    for pattern in _WESTERN_RES:
        m = pattern.fullmatch(text)
        if m:
            return _make_date(int(m[1]), int(m[2]), int(m[3]))
    for pattern in _WAREKI_RES:
        m = pattern.fullmatch(text)
        if m:
            era = _BY_TOKEN.get(m[1].upper())
            if era is None:  # a non-ASCII look-alike that IGNORECASE let through
                break
            year = 1 if m[2] == "元" else int(m[2])
            return _era_date(era, year, int(m[3]), int(m[4]))
    raise InvalidValue("date.invalid")


def _make_date(year: int, month: int, day: int) -> date:
    try:
        return date(year, month, day)
    except ValueError:
        raise InvalidValue("date.invalid") from None


def _era_date(era: Era, year: int, month: int, day: int) -> date:
    """The Western date of an era date, refusing dates the era never had (H31.5.1)."""

    def out_of_range() -> InvalidValue:
        return InvalidValue(
            "date.era_range",
            era=era.name,
            year=year,
            month=month,
            day=day,
            start=era.start.isoformat(),
            end=era.end.isoformat() if era.end else "",
        )

    western_year = era.start.year + year - 1
    if year < 1 or (era.end is not None and western_year > era.end.year):
        raise out_of_range()
    d = _make_date(western_year, month, day)
    if not era.contains(d):
        raise out_of_range()
    return d


def era_of(d: date) -> Era | None:
    """The era a date is written in; on a day two eras share, the newer one."""
    for era in reversed(ERAS):
        if era.contains(d):
            return era
    return None


def format_wareki(d: date) -> str:
    """令和6年1月1日 (first year as 元年); dates before 明治 fall back to the Western form."""
    era = era_of(d)
    if era is None:
        return f"{d.year}年{d.month}月{d.day}日"
    year = d.year - era.start.year + 1
    year_text = "元" if year == 1 else str(year)
    return f"{era.name}{year_text}年{d.month}月{d.day}日"


def check_not_future(d: date, today: date | None = None) -> date:
    """Refuse dates after today (a birth or consent date cannot lie ahead)."""
    if d > (today or date.today()):
        raise InvalidValue("date.future")
    return d


def check_birth_date(d: date, today: date | None = None) -> date:
    """A plausible birth date: not in the future and not before 1900 (usually a typing slip)."""
    check_not_future(d, today)
    if d < MIN_BIRTH_DATE:
        raise InvalidValue("date.too_old", min=MIN_BIRTH_DATE.isoformat())
    return d
