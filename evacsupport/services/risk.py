"""Isolation-risk signals, each explained in words, from facts the caseload query gathers.

Thresholds are settings (:class:`RiskSettings`), not constants in the rules, because the
instruments' cut-offs and "how long is too long without contact" are for the team to decide.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from evacsupport.i18n import current_language


class RiskLevel(IntEnum):
    NONE = 0
    WATCH = 1
    HIGH = 2


@dataclass(frozen=True, slots=True)
class RiskSettings:
    k6_serious: int = 13
    k6_indicator: int = 10
    loneliness_high: int = 4
    ucla3_high: int = 10
    older_age: int = 65
    alone_no_contact_days: int = 14
    stopped_days: int = 14  # no meal for this many days ...
    regular_min_meals: int = 3  # ... after at least this many meals ...
    regular_weeks: int = 8  # ... in this many weeks before
    k6_worsen: int = 4
    ucla3_worsen: int = 2
    loneliness_worsen: int = 2


@dataclass(frozen=True, slots=True)
class RiskFacts:
    """What the rules need about one household, gathered set-based for the whole caseload."""

    today: date
    last_contact: date | None = None
    latest_k6: int | None = None
    latest_loneliness: int | None = None
    latest_ucla3: int | None = None
    overdue_followups: int = 0
    older_living_alone: bool = False
    last_meal: date | None = None
    regular_meals_before: int = 0  # meals in the weeks before the "stopped" window
    worsened: tuple[str, ...] = ()  # who got worse between their last two check-ins, and how


@dataclass(frozen=True, slots=True)
class RiskAssessment:
    level: RiskLevel
    reasons: list[str] = field(default_factory=list)


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def assess(facts: RiskFacts, settings: RiskSettings | None = None) -> RiskAssessment:
    s = settings or RiskSettings()
    found: list[tuple[RiskLevel, str]] = []
    if facts.latest_k6 is not None:
        if facts.latest_k6 >= s.k6_serious:
            found.append(
                (
                    RiskLevel.HIGH,
                    _t(
                        f"K6が{facts.latest_k6}点（{s.k6_serious}点以上：重い心理的苦痛）",
                        f"K6 score {facts.latest_k6} (≥ {s.k6_serious}: serious distress)",
                    ),
                )
            )
        elif facts.latest_k6 >= s.k6_indicator:
            found.append(
                (
                    RiskLevel.WATCH,
                    _t(
                        f"K6が{facts.latest_k6}点（{s.k6_indicator}点以上）",
                        f"K6 score {facts.latest_k6} (≥ {s.k6_indicator})",
                    ),
                )
            )
    if facts.latest_loneliness is not None and facts.latest_loneliness >= s.loneliness_high:
        found.append(
            (
                RiskLevel.WATCH,
                _t("孤独感を「時々ある」以上と回答", "Feels lonely at least sometimes"),
            )
        )
    if facts.latest_ucla3 is not None and facts.latest_ucla3 >= s.ucla3_high:
        found.append(
            (
                RiskLevel.WATCH,
                _t(
                    f"孤独感尺度（UCLA 3項目）が{facts.latest_ucla3}点",
                    f"UCLA-3 loneliness score {facts.latest_ucla3}",
                ),
            )
        )
    if facts.older_living_alone:
        days = (facts.today - facts.last_contact).days if facts.last_contact else None
        if days is None or days >= s.alone_no_contact_days:
            found.append(
                (
                    RiskLevel.HIGH,
                    _t(
                        f"一人暮らしの高齢者で{days}日間接触なし"
                        if days is not None
                        else "一人暮らしの高齢者で接触記録なし",
                        f"Older person living alone, no contact for {days} days"
                        if days is not None
                        else "Older person living alone, never contacted",
                    ),
                )
            )
    if facts.regular_meals_before >= s.regular_min_meals and (
        facts.last_meal is None or (facts.today - facts.last_meal).days >= s.stopped_days
    ):
        days = (facts.today - facts.last_meal).days if facts.last_meal else s.stopped_days
        found.append(
            (
                RiskLevel.HIGH,
                _t(
                    f"よく来ていた会場に{days}日間来ていない（それまでの{s.regular_weeks}週間に"
                    f"{facts.regular_meals_before}回）",
                    f"Stopped coming: no meal for {days} days after {facts.regular_meals_before} "
                    f"in the {s.regular_weeks} weeks before",
                ),
            )
        )
    for change in facts.worsened:
        found.append(
            (RiskLevel.WATCH, _t(f"前回より悪化：{change}", f"Worse than last time: {change}"))
        )
    if facts.overdue_followups:
        found.append(
            (
                RiskLevel.WATCH,
                _t(
                    f"期限切れのフォローアップが{facts.overdue_followups}件",
                    f"Overdue follow-ups: {facts.overdue_followups}",
                ),
            )
        )
    if not found:
        return RiskAssessment(RiskLevel.NONE)
    return RiskAssessment(max(level for level, _ in found), [text for _, text in found])
