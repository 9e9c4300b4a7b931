"""File names say what a report is about: period, grouping, venue, case number, never a date of
making alone, and nothing a file system refuses."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from evacsupport.i18n import set_language
from evacsupport.reports import names

TODAY = date(2026, 12, 3)


@pytest.fixture
def english() -> Iterator[None]:
    set_language("en")
    yield
    set_language("ja")


def test_every_report_kind_is_named_after_its_subject() -> None:
    assert names.monthly_name(date(2026, 11, 1), "origin") == "月次報告_2026-11_避難元市町別.pdf"
    assert names.monthly_name(date(2026, 11, 1), "host") == "月次報告_2026-11_避難先市町別.pdf"
    assert (
        names.venue_activity_name("こども食堂 ひだまり", date(2026, 11, 1), date(2026, 11, 30))
        == "会場活動報告_こども食堂-ひだまり_2026-11-01〜2026-11-30.pdf"
    )
    assert names.case_summary_name("N24-000123", TODAY) == "ケース概要_N24-000123_2026-12-03.pdf"
    assert names.cards_name(["N24-000123"], TODAY) == "世帯カード_N24-000123.pdf"
    assert names.cards_name(["N24-1", "N24-2", "N24-3"], TODAY) == "世帯カード_3世帯_2026-12-03.pdf"
    assert names.cards_name([], TODAY) == "世帯カード_支援中の全世帯_2026-12-03.pdf"
    assert names.roster_name("のとカフェ", TODAY) == "名簿_のとカフェ_2026-12-03.pdf"
    assert names.export_name("households", "xlsx", TODAY) == "世帯一覧_2026-12-03.xlsx"
    assert names.export_name("members", "csv", TODAY) == "世帯員一覧_2026-12-03.csv"
    assert names.export_name("meals", "csv", TODAY) == "食事記録_2026-12-03.csv"


def test_english_names(english: None) -> None:
    assert names.monthly_name(date(2026, 11, 1), "origin") == "monthly-report_2026-11_by-origin.pdf"
    assert names.export_name("meals", "xlsx", TODAY) == "meals_2026-12-03.xlsx"


@pytest.mark.parametrize(
    ("venue", "part"),
    [
        ("食堂/会場:A*?", "食堂-会場-A"),
        ('"のと" <本部> |', "のと-本部"),
        ("..", "-"),
        ("あ" * 80, "あ" * names.MAX_PART),
    ],
)
def test_a_venue_name_never_breaks_the_file_name(venue: str, part: str) -> None:
    assert names.roster_name(venue, TODAY) == f"名簿_{part}_2026-12-03.pdf"
