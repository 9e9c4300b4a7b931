"""Venue activity: the figures on a known data set, and the PDF that prints them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader
from pypdf.generic import DictionaryObject

from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import Household, MealLog, Venue
from evacsupport.errors import InvalidValue, NotFound
from evacsupport.i18n import set_language
from evacsupport.reports.venue_activity import make_venue_activity_report
from evacsupport.services.households import HouseholdService
from evacsupport.services.venue_report import (
    MealTypeCount,
    SessionRow,
    VenueActivity,
    venue_activity,
)
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member

START, END = date(2024, 6, 1), date(2024, 6, 30)


@dataclass
class Data:
    venue: Venue
    other: Venue
    a: Household  # came before the period too: regular, not new
    b: Household  # new in the period, two days only (twice on one of them): not regular
    c: Household  # new and regular
    d: Household  # only elsewhere in the period, here only after it


def _household(db: Database, family: str, kana: str) -> Household:
    data = household(members=[member(family_name=family, family_kana=kana)])
    return HouseholdService(db).create(data)


def _meal(venue: Venue, hh: Household | None, day: int, **kw: object) -> MealLog:
    values: dict[str, object] = {"meal_type": "eat_in", "adults": 1, "children": 0}
    values.update(kw)
    on = date(2024, 6, day) if day > 0 else date(2024, 5, 20)
    return MealLog(venue_id=venue.id, household_id=hh.id if hh else None, served_on=on, **values)


@pytest.fixture
def data(db: Database) -> Data:
    venues = VenueService(db)
    venue = venues.create(VenueInput(name="こども食堂かなざわ", capacity=40))
    other = venues.create(VenueInput(name="みんなの食堂", capacity=40))
    a = _household(db, "青木", "あおき")
    b = _household(db, "馬場", "ばば")
    c = _household(db, "千葉", "ちば")
    d = _household(db, "土井", "どい")
    family = {"adults": 2, "children": 1}
    pair = {"adults": 1, "children": 2}
    with db.session() as s:
        s.add_all(
            [
                _meal(venue, a, 0, **family),  # 2024-05-20, before the period
                _meal(venue, a, 3, **family),
                _meal(venue, a, 10, **family),
                _meal(venue, a, 17, **family),
                _meal(venue, b, 10, **pair),
                _meal(venue, b, 17, **pair),
                _meal(venue, b, 17, meal_type="takeaway", **pair),
                _meal(venue, c, 3),
                _meal(venue, c, 10),
                _meal(venue, c, 24),
                _meal(venue, None, 5, adults=1),  # guests only: still a session
                _meal(venue, None, 24, adults=2, children=3),
                _meal(venue, a, 28, deleted_at=utcnow()),  # undone: not a session
                _meal(other, d, 10, adults=4, children=4),
                MealLog(
                    venue_id=venue.id,
                    household_id=d.id,
                    served_on=date(2024, 7, 1),
                    meal_type="eat_in",
                    adults=1,
                ),
            ]
        )
    return Data(venue, other, a, b, c, d)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def render(db: Database, data: Data, start: date = START, end: date = END, **kw: object) -> bytes:
    buffer = BytesIO()
    make_venue_activity_report(db, data.venue.id, start, end, target=buffer, **kw)  # type: ignore[arg-type]
    return buffer.getvalue()


# --- the figures ----------------------------------------------------------------------------


def test_figures_on_a_known_data_set(db: Database, data: Data) -> None:
    activity = venue_activity(db, data.venue.id, START, END)
    assert activity.venue_name == "こども食堂かなざわ"
    assert activity.sessions == 5  # 3, 5 (guests only), 10, 17, 24; not the undone 28th
    assert activity.meals == 11
    assert (activity.adults, activity.children) == (15, 12)
    assert activity.people == 27
    assert activity.guests == 6
    assert activity.registered_people == 21
    assert activity.households == 3  # a, b, c; d ate here only after the period
    assert activity.new_households == 2  # b, c (a first came in May)
    assert activity.regular_households == 2  # a, c; b came twice on one day: two days only
    assert activity.by_type == (
        MealTypeCount("eat_in", 10, 24),
        MealTypeCount("takeaway", 1, 3),
        MealTypeCount("delivery", 0, 0),
        MealTypeCount("pantry", 0, 0),
    )
    assert activity.per_session == (
        SessionRow(date(2024, 6, 3), meals=2, people=4, households=2, guests=0),
        SessionRow(date(2024, 6, 5), meals=1, people=1, households=0, guests=1),
        SessionRow(date(2024, 6, 10), meals=3, people=7, households=3, guests=0),
        SessionRow(date(2024, 6, 17), meals=3, people=9, households=2, guests=0),
        SessionRow(date(2024, 6, 24), meals=2, people=6, households=1, guests=5),
    )


def test_new_means_first_meal_here_within_the_period(db: Database, data: Data) -> None:
    # From 10 June on, c's first meal (3 June) lies before the period: only b is new.
    later = venue_activity(db, data.venue.id, date(2024, 6, 10), END)
    assert later.new_households == 1
    assert later.regular_households == 0
    # d's first meal here is on 1 July.
    july = venue_activity(db, data.venue.id, date(2024, 7, 1), date(2024, 7, 31))
    assert (july.sessions, july.households, july.new_households) == (1, 1, 1)


def test_empty_period_and_bad_arguments(db: Database, data: Data) -> None:
    empty = venue_activity(db, data.venue.id, date(2024, 1, 1), date(2024, 1, 31))
    assert (empty.sessions, empty.meals, empty.people, empty.households) == (0, 0, 0, 0)
    assert empty.per_session == ()
    assert all(t.meals == 0 for t in empty.by_type)
    with pytest.raises(InvalidValue):
        venue_activity(db, data.venue.id, END, START)
    with pytest.raises(NotFound):
        venue_activity(db, data.a.id, START, END)  # not a venue


# --- the PDF ----------------------------------------------------------------------------------


def test_pdf_prints_the_figures_and_title(db: Database, data: Data) -> None:
    text = pdf_text(render(db, data, suppress_small=False, organisation="NPO法人テスト"))
    assert "こども食堂かなざわ" in text
    assert "2024-06-01" in text and "2024-06-30" in text
    assert "令和6年6月1日" in text and "令和6年6月30日" in text
    assert "NPO法人テスト" in text
    assert "取扱注意" not in text  # aggregates only: no confidentiality line
    assert not re.search(r"(?<![A-Za-z])X(?![A-Za-z])", text)  # no hidden count
    assert re.search(r"延べ人数\s*27", text)
    assert re.search(r"うち大人\s*15", text)
    assert re.search(r"うち子ども\s*12", text)
    assert re.search(r"うち登録外の利用者\s*6", text)
    assert re.search(r"利用世帯数（実数）\s*3", text)
    assert re.search(r"うち新規の世帯\s*2", text)
    assert re.search(r"うち定期利用の世帯（3回以上）\s*2", text)
    assert re.search(r"開催回数（食事のあった日）\s*5", text)
    assert re.search(r"2024-06-17（月）\s*3\s+9\s+2\s+0", text)
    assert re.search(r"2024-06-24（月）\s*2\s+6\s+1\s+5", text)


def test_small_counts_are_suppressed_by_default(db: Database, data: Data) -> None:
    text = pdf_text(render(db, data))
    assert re.search(r"利用世帯数（実数）\s*X", text)
    assert re.search(r"うち新規の世帯\s*X", text)
    assert re.search(r"延べ人数\s*27", text)  # 5 and more print as they are
    assert re.search(r"うち登録外の利用者\s*6", text)
    assert re.search(r"2024-06-05（水）\s*X\s+X\s+0\s+X", text)  # zero is not suppressed
    assert re.search(r"2024-06-10（月）\s*X\s+7\s+X\s+0", text)
    assert re.search(r"開催回数（食事のあった日）\s*5", text)  # days are not people
    assert "灰色の棒は「X」と表示した人数" in text  # the chart says why some bars carry no number
    assert "どちらも「X」と表示しています" in text


def test_no_small_count_comes_back_from_the_totals(db: Database, data: Data) -> None:
    """The summary prints 11 meals, 27 people and 6 guests: with one hidden meal type (takeaway,
    1 meal for 3 people) the other type's 10 and 24 would give it back, and the guests on 24
    June (5) would give back the one guest of 5 June. Those are hidden too."""
    text = pdf_text(render(db, data))
    assert re.search(r"会食\s*X\s+X\s+弁当\s*X\s+X\s+配食\s*0\s+0", text)
    assert re.search(r"2024-06-24（月）\s*X\s+6\s+X\s+X", text)
    # without suppression the same cells print as they are
    raw = pdf_text(render(db, data, suppress_small=False))
    assert re.search(r"会食\s*10\s+24\s+弁当\s*1\s+3", raw)
    assert re.search(r"2024-06-24（月）\s*2\s+6\s+1\s+5", raw)


def test_fonts_are_embedded_ipaex_subsets(db: Database, data: Data) -> None:
    reader = PdfReader(BytesIO(render(db, data)))
    fonts = []
    for page in reader.pages:
        resources: Any = page["/Resources"].get_object()
        for ref in resources.get("/Font", DictionaryObject()).get_object().values():
            fonts.append(ref.get_object())
    assert fonts
    for font in fonts:
        assert font["/Subtype"] == "/TrueType", font
        assert re.fullmatch(r"/[A-Z]{6}\+IPAexGothic", str(font["/BaseFont"])), font
        assert "/FontFile2" in font["/FontDescriptor"].get_object()


def test_empty_period_gives_a_valid_pdf(db: Database, data: Data) -> None:
    content = render(db, data, date(2024, 1, 1), date(2024, 1, 31))
    reader = PdfReader(BytesIO(content))
    assert len(reader.pages) == 1
    text = pdf_text(content)
    assert "この期間の利用記録はありません" in text
    assert re.search(r"開催回数（食事のあった日）\s*0", text)


def test_written_to_a_path_in_english(db: Database, data: Data, tmp_path: Path) -> None:
    set_language("en")
    target = tmp_path / "venue.pdf"
    activity = make_venue_activity_report(db, data.venue.id, START, END, target=target)
    assert isinstance(activity, VenueActivity)
    text = pdf_text(target.read_bytes())
    assert "activity report" in text
    assert re.search(r"People served \(servings\)\s*27", text)


def test_many_sessions_flow_onto_more_pages(db: Database, data: Data) -> None:
    with db.session() as s:
        s.add_all(
            MealLog(
                venue_id=data.other.id,
                served_on=date(2023, 1, 1).fromordinal(date(2023, 1, 1).toordinal() + i),
                meal_type="pantry",
                adults=i % 9,
                children=1,
            )
            for i in range(365)
        )
    buffer = BytesIO()
    activity = make_venue_activity_report(
        db, data.other.id, date(2023, 1, 1), date(2023, 12, 31), target=buffer
    )
    assert activity.sessions == 365
    reader = PdfReader(buffer)
    assert len(reader.pages) > 3
    text = pdf_text(buffer.getvalue())
    assert "2023-12-31（日）" in text
