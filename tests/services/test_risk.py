"""Isolation-risk rules at their boundaries, thresholds from settings, reasons in two languages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from evacsupport.domain.instruments import LONELINESS_DIRECT
from evacsupport.i18n import set_language
from evacsupport.services.risk import (
    RiskAssessment,
    RiskFacts,
    RiskLevel,
    RiskSettings,
    assess,
)

TODAY = date(2024, 6, 30)


def facts(**overrides: object) -> RiskFacts:
    values: dict[str, object] = {"today": TODAY}
    values.update(overrides)
    return RiskFacts(**values)  # type: ignore[arg-type]


def test_no_rule_gives_none_with_no_reasons() -> None:
    result = assess(facts())
    assert result == RiskAssessment(RiskLevel.NONE, [])
    assert result.reasons == []


def test_good_scores_and_recent_contact_give_none() -> None:
    result = assess(
        facts(
            latest_k6=0,
            latest_loneliness=1,
            latest_ucla3=3,
            last_contact=TODAY,
            older_living_alone=True,
            overdue_followups=0,
        )
    )
    assert result.level is RiskLevel.NONE
    assert result.reasons == []


@pytest.mark.parametrize(
    ("k6", "level", "reason"),
    [
        (0, RiskLevel.NONE, None),
        (9, RiskLevel.NONE, None),
        (10, RiskLevel.WATCH, "K6が10点（10〜12点：要確認）"),
        (12, RiskLevel.WATCH, "K6が12点（10〜12点：要確認）"),
        (13, RiskLevel.HIGH, "K6が13点（13点以上：重い心理的苦痛）"),
        (24, RiskLevel.HIGH, "K6が24点（13点以上：重い心理的苦痛）"),
    ],
)
def test_k6_boundaries_with_default_settings(k6: int, level: RiskLevel, reason: str | None) -> None:
    result = assess(facts(latest_k6=k6))
    assert result.level is level
    assert result.reasons == ([reason] if reason else [])


def test_k6_serious_gives_one_reason_not_two() -> None:
    """A score above both cut-offs is reported once, as serious distress."""
    result = assess(facts(latest_k6=20))
    assert len(result.reasons) == 1
    assert "重い心理的苦痛" in result.reasons[0]


@pytest.mark.parametrize(
    ("answer", "level"),
    [(1, RiskLevel.NONE), (3, RiskLevel.NONE), (4, RiskLevel.WATCH), (5, RiskLevel.WATCH)],
)
def test_loneliness_answer_boundary(answer: int, level: RiskLevel) -> None:
    result = assess(facts(latest_loneliness=answer))
    assert result.level is level
    if level is RiskLevel.WATCH:
        assert result.reasons == [
            f"孤独感（直接質問）に「{dict(LONELINESS_DIRECT.choices)[answer]}」と回答"
            "（「時々ある」以上：孤独感が高い）"
        ]
    else:
        assert result.reasons == []


@pytest.mark.parametrize(
    ("score", "level"),
    [(3, RiskLevel.NONE), (9, RiskLevel.NONE), (10, RiskLevel.WATCH), (12, RiskLevel.WATCH)],
)
def test_ucla3_boundary(score: int, level: RiskLevel) -> None:
    result = assess(facts(latest_ucla3=score))
    assert result.level is level
    if level is RiskLevel.WATCH:
        assert result.reasons == [f"孤独感尺度（UCLA 3項目）が{score}点（10点以上：孤独感が高い）"]
    else:
        assert result.reasons == []


@pytest.mark.parametrize(
    ("days_ago", "level"),
    [(0, RiskLevel.NONE), (13, RiskLevel.NONE), (14, RiskLevel.HIGH), (100, RiskLevel.HIGH)],
)
def test_older_person_living_alone_without_contact(days_ago: int, level: RiskLevel) -> None:
    result = assess(facts(older_living_alone=True, last_contact=TODAY - timedelta(days=days_ago)))
    assert result.level is level
    if level is RiskLevel.HIGH:
        assert result.reasons == [f"一人暮らしの高齢者で{days_ago}日間接触なし"]
    else:
        assert result.reasons == []


def test_older_person_living_alone_never_contacted_is_high() -> None:
    result = assess(facts(older_living_alone=True, last_contact=None))
    assert result.level is RiskLevel.HIGH
    assert result.reasons == ["一人暮らしの高齢者で接触記録なし"]


def test_no_contact_alone_matters_only_for_older_people_living_alone() -> None:
    assert assess(facts(older_living_alone=False, last_contact=None)).level is RiskLevel.NONE
    long_ago = TODAY - timedelta(days=365)
    assert assess(facts(older_living_alone=False, last_contact=long_ago)).level is RiskLevel.NONE


@pytest.mark.parametrize(
    ("overdue", "level"), [(0, RiskLevel.NONE), (1, RiskLevel.WATCH), (3, RiskLevel.WATCH)]
)
def test_overdue_followups(overdue: int, level: RiskLevel) -> None:
    result = assess(facts(overdue_followups=overdue))
    assert result.level is level
    assert result.reasons == ([f"期限切れのフォローアップが{overdue}件"] if overdue else [])


def test_custom_k6_thresholds_change_the_outcome() -> None:
    strict = RiskSettings(k6_indicator=5, k6_serious=9)
    assert assess(facts(latest_k6=5)).level is RiskLevel.NONE
    assert assess(facts(latest_k6=5), strict).level is RiskLevel.WATCH
    assert assess(facts(latest_k6=4), strict).level is RiskLevel.NONE
    result = assess(facts(latest_k6=9), strict)
    assert result.level is RiskLevel.HIGH
    assert result.reasons == ["K6が9点（9点以上：重い心理的苦痛）"]
    lenient = RiskSettings(k6_indicator=15, k6_serious=20)
    assert assess(facts(latest_k6=14), lenient).level is RiskLevel.NONE
    assert assess(facts(latest_k6=15), lenient).reasons == ["K6が15点（15〜19点：要確認）"]


def test_custom_loneliness_and_ucla3_thresholds_change_the_outcome() -> None:
    assert assess(facts(latest_loneliness=3), RiskSettings(loneliness_high=3)).level == (
        RiskLevel.WATCH
    )
    assert assess(facts(latest_loneliness=4), RiskSettings(loneliness_high=5)).level == (
        RiskLevel.NONE
    )
    assert assess(facts(latest_ucla3=8), RiskSettings(ucla3_high=8)).level is RiskLevel.WATCH
    assert assess(facts(latest_ucla3=10), RiskSettings(ucla3_high=11)).level is RiskLevel.NONE


def test_custom_no_contact_days_change_the_outcome() -> None:
    week_ago = facts(older_living_alone=True, last_contact=TODAY - timedelta(days=7))
    assert assess(week_ago).level is RiskLevel.NONE
    assert assess(week_ago, RiskSettings(alone_no_contact_days=7)).level is RiskLevel.HIGH
    assert assess(week_ago, RiskSettings(alone_no_contact_days=8)).level is RiskLevel.NONE
    # Never contacted is a concern whatever the threshold.
    never = facts(older_living_alone=True)
    assert assess(never, RiskSettings(alone_no_contact_days=1000)).level is RiskLevel.HIGH


def test_level_is_the_highest_of_the_rules_and_every_reason_is_listed() -> None:
    watch_only = assess(facts(latest_k6=10, latest_loneliness=5, overdue_followups=2))
    assert watch_only.level is RiskLevel.WATCH
    assert len(watch_only.reasons) == 3

    mixed = assess(
        facts(
            latest_k6=11,
            latest_loneliness=4,
            latest_ucla3=12,
            older_living_alone=True,
            last_contact=TODAY - timedelta(days=30),
            overdue_followups=1,
        )
    )
    assert mixed.level is RiskLevel.HIGH
    assert mixed.reasons == [
        "K6が11点（10〜12点：要確認）",
        "孤独感（直接質問）に「時々ある」と回答（「時々ある」以上：孤独感が高い）",
        "孤独感尺度（UCLA 3項目）が12点（10点以上：孤独感が高い）",
        "一人暮らしの高齢者で30日間接触なし",
        "期限切れのフォローアップが1件",
    ]


def test_levels_are_ordered() -> None:
    assert RiskLevel.NONE < RiskLevel.WATCH < RiskLevel.HIGH


def test_reasons_are_japanese_by_default() -> None:
    result = assess(facts(latest_k6=13, older_living_alone=True))
    assert result.reasons == [
        "K6が13点（13点以上：重い心理的苦痛）",
        "一人暮らしの高齢者で接触記録なし",
    ]


def test_reasons_are_english_after_switching_language() -> None:
    set_language("en")
    result = assess(
        facts(
            latest_k6=13,
            latest_loneliness=4,
            latest_ucla3=10,
            older_living_alone=True,
            last_contact=TODAY - timedelta(days=14),
            overdue_followups=2,
        )
    )
    assert result.level is RiskLevel.HIGH
    assert result.reasons == [
        "K6 score 13 (≥ 13: serious distress)",
        "Loneliness (direct question) “時々ある” (“時々ある” or more: high loneliness)",
        "UCLA-3 loneliness score 10 (≥ 10: high loneliness)",
        "Older person living alone, no contact for 14 days",
        "Overdue follow-ups: 2",
    ]
    assert assess(facts(latest_k6=10)).reasons == ["K6 score 10 (10–12: needs attention)"]
    assert assess(facts(older_living_alone=True)).reasons == [
        "Older person living alone, never contacted"
    ]


def test_an_unknown_language_falls_back_to_japanese() -> None:
    set_language("fr")
    assert assess(facts(overdue_followups=1)).reasons == ["期限切れのフォローアップが1件"]
