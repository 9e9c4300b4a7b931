"""A venue's weekly schedule, typed the way staff say it: 「水 17:00-19:00、土 11:30-13:30」."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import time
from typing import Any

from evacsupport.errors import InvalidValue

WEEKDAYS_JA = "月火水木金土日"
WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

_SLOT = re.compile(
    r"^(?P<day>[月火水木金土日]|mon|tue|wed|thu|fri|sat|sun)[a-z]*(?:曜日?)?\s*"
    r"(?P<start>\d{1,2}:\d{2})\s*[-~〜～]\s*(?P<end>\d{1,2}:\d{2})$"
)


@dataclass(frozen=True, order=True)
class Slot:
    weekday: int  # Monday 0, as datetime.date.weekday()
    start: time
    end: time

    def to_json(self) -> dict[str, Any]:
        return {
            "weekday": self.weekday,
            "start": self.start.strftime("%H:%M"),
            "end": self.end.strftime("%H:%M"),
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Slot:
        return cls(int(data["weekday"]), _time(data["start"]), _time(data["end"]))

    def label(self, lang: str = "ja") -> str:
        day = WEEKDAYS_JA[self.weekday] if lang == "ja" else WEEKDAYS_EN[self.weekday].title()
        return f"{day} {self.start:%H:%M}-{self.end:%H:%M}"


def _time(text: str) -> time:
    hours, minutes = (int(p) for p in text.split(":"))
    if not (0 <= hours <= 23 and 0 <= minutes <= 59):
        raise InvalidValue("schedule.invalid")
    return time(hours, minutes)


def parse_schedule(text: str | None) -> list[Slot]:
    """Slots separated by 、 , ; or new lines; an empty text is an empty schedule."""
    normal = unicodedata.normalize("NFKC", text or "").lower().replace("：", ":")
    slots: list[Slot] = []
    for part in re.split(r"[、,;\n]+", normal):
        part = part.strip()
        if not part:
            continue
        match = _SLOT.match(part)
        if not match:
            raise InvalidValue("schedule.invalid")
        day = match["day"]
        weekday = WEEKDAYS_JA.index(day) if day in WEEKDAYS_JA else WEEKDAYS_EN.index(day)
        start, end = _time(match["start"]), _time(match["end"])
        if end <= start:
            raise InvalidValue("schedule.invalid")
        slots.append(Slot(weekday, start, end))
    return sorted(set(slots))


def format_schedule(slots: list[Slot], lang: str = "ja") -> str:
    return (
        "、".join(s.label(lang) for s in sorted(slots))
        if lang == "ja"
        else ", ".join(s.label(lang) for s in sorted(slots))
    )
