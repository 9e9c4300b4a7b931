"""Isolation-risk signals, each explained in words, from facts the caseload query gathers.

Thresholds are settings (:class:`RiskSettings`), not constants in the rules, because the
instruments' cut-offs and "how long is too long without contact" are for the team to decide.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from evacsupport.domain.instruments import DEFAULT_CUTOFFS, K6, LONELINESS_DIRECT, UCLA3, Cutoffs
from evacsupport.i18n import current_language


class RiskLevel(IntEnum):
    NONE = 0
    WATCH = 1
    HIGH = 2


@dataclass(frozen=True, slots=True)
class RiskSettings:
    # the instruments' cut-offs; their meaning and words are domain.instruments.Cutoffs
    k6_serious: int = DEFAULT_CUTOFFS.k6_serious
    k6_indicator: int = DEFAULT_CUTOFFS.k6_indicator
    loneliness_high: int = DEFAULT_CUTOFFS.loneliness_high
    ucla3_high: int = DEFAULT_CUTOFFS.ucla3_high
    older_age: int = 65
    alone_no_contact_days: int = 14
    stopped_days: int = 14  # no meal for this many days ...
    regular_min_meals: int = 3  # ... after at least this many meals ...
    regular_weeks: int = 8  # ... in this many weeks before
    k6_worsen: int = 4
    ucla3_worsen: int = 2
    loneliness_worsen: int = 2

    def cutoffs(self) -> Cutoffs:
        """The instruments' cut-offs these settings give (the one definition of the bands)."""
        return _cutoffs(self)

    def _make_cutoffs(self) -> Cutoffs:
        return Cutoffs(
            k6_indicator=self.k6_indicator,
            k6_serious=self.k6_serious,
            ucla3_high=self.ucla3_high,
            loneliness_high=self.loneliness_high,
        )


@functools.lru_cache(maxsize=16)
def _cutoffs(settings: RiskSettings) -> Cutoffs:
    """One :class:`Cutoffs` per settings: :func:`assess` runs for every household."""
    return settings._make_cutoffs()


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
    cutoffs = s.cutoffs()
    lang = current_language()
    for instrument, result in (
        (K6, facts.latest_k6),
        (LONELINESS_DIRECT, facts.latest_loneliness),
        (UCLA3, facts.latest_ucla3),
    ):
        band = cutoffs.flagged(instrument, result)
        if band is not None and result is not None:
            found.append((RiskLevel(band.level), cutoffs.describe(instrument, result, lang)))
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
