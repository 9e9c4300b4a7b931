"""Monthly municipal report: the figures from a small known data set, and the PDF built from them.

The data set (March 2024, weeks 3/1–3, 3/4–10, 3/11–17, 3/18–24, 3/25–31):

=====  ========  ======  =========================  ========================================
 hh     origin    host    registered / status        people
=====  ========  ======  =========================  ========================================
 A      輪島市    金沢市   2024-02-10, active         2 adults, 1 child
 B      輪島市    白山市   2024-03-05 (new), active   1 adult, 1 child
 C      珠洲市    金沢市   2024-01-20, closed 3/20    1 adult
 D      珠洲市    金沢市   2024-04-02 (after March)   1 adult
 E      (none)    (none)   2024-02-01, active         2 adults
 F      輪島市    金沢市   2024-03-03, soft-deleted   1 adult
 G      能登町    金沢市   2024-01-15, closed 2/15    1 adult
=====  ========  ======  =========================  ========================================
"""

from __future__ import annotations

import re
import time as timer
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.base import utcnow
from evacsupport.db.models import CheckIn, FollowUp, Household
from evacsupport.errors import InvalidValue
from evacsupport.i18n import set_language
from evacsupport.reports.monthly import make_monthly_report
from evacsupport.reports.monthly_counts import monthly_counts
from evacsupport.services.contacts import ContactService, VisitInput
from evacsupport.services.followups import FollowUpService
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.reporting import (
    GroupFigures,
    MealCounts,
    MonthlyFigures,
    monthly_figures,
    parse_month,
)
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member
from tests.property.attacker import assert_nothing_comes_back
from tests.property.test_report_suppression import monthly_equations

MARCH = date(2024, 3, 1)
WAJIMA, SUZU, NOTO = "172049", "172057", "174637"
KANAZAWA, HAKUSAN = "172014", "172103"
V1, V2 = "こども食堂 ひだまり", "フードパントリー 金沢南"


@dataclass
class DataSet:
    db: Database
    ids: dict[str, uuid.UUID]


def _registered(db: Database, household_id: uuid.UUID, day: date) -> None:
    with db.session() as session:
        found = session.get(Household, household_id)
        assert found is not None
        found.created_at = datetime.combine(day, time(9), UTC)


def _build(db: Database) -> dict[str, uuid.UUID]:
    households = HouseholdService(db)
    venues = VenueService(db)
    meals = MealService(db)
    contacts = ContactService(db)
    followups = FollowUpService(db)
    v1 = venues.create(VenueInput(name=V1, address="石川県金沢市広坂2丁目1-1", capacity=30))
    v2 = venues.create(
        VenueInput(name=V2, kind="food_pantry", address="石川県金沢市泉野町1-1", capacity=50)
    )
    child = {"relation": "child", "given_name": "太郎", "given_kana": "たろう"}
    spec: dict[str, tuple[str, str, list[Any], date]] = {
        "A": (
            WAJIMA,
            KANAZAWA,
            [member(), member(relation="spouse"), member(**child, birth_date="2015-04-01")],
            date(2024, 2, 10),
        ),
        "B": (
            WAJIMA,
            HAKUSAN,
            [member(), member(**child, birth_date="2018-06-01")],
            date(2024, 3, 5),
        ),
        "C": (SUZU, KANAZAWA, [member()], date(2024, 1, 20)),
        "D": (SUZU, KANAZAWA, [member()], date(2024, 4, 2)),
        "E": ("", "", [member(), member(relation="spouse")], date(2024, 2, 1)),
        "F": (WAJIMA, KANAZAWA, [member()], date(2024, 3, 3)),
        "G": (NOTO, KANAZAWA, [member()], date(2024, 1, 15)),
    }
    ids: dict[str, uuid.UUID] = {}
    cases: dict[str, str] = {}
    for key, (origin, host, people, registered) in spec.items():
        saved = households.create(
            household(
                origin_municipality_code=origin,
                origin_address="",
                current_municipality_code=host,
                current_address="",
                members=people,
            )
        )
        ids[key], cases[key] = saved.id, saved.case_number
        _registered(db, saved.id, registered)
    households.close(ids["C"], "2024-03-20")
    households.close(ids["G"], "2024-02-15")

    def meal(key: str, venue: Any, day: str, meal_type: str = "eat_in") -> uuid.UUID:
        entry = MealEntry(venue_id=venue.id, code=cases[key], served_on=day, meal_type=meal_type)
        return meals.log(entry).id

    meal("A", v1, "2024-02-28")  # February: not counted
    meal("A", v1, "2024-03-02")
    meal("A", v1, "2024-03-05", "takeaway")
    meal("A", v1, "2024-03-12")
    meal("A", v2, "2024-03-13", "pantry")
    meal("A", v1, "2024-03-29")
    meal("B", v1, "2024-03-06")
    meal("B", v1, "2024-03-20", "delivery")
    meal("C", v2, "2024-03-07", "pantry")
    meal("E", v1, "2024-03-26")
    meal("E", v1, "2024-03-27")
    meal("F", v1, "2024-03-08")  # its household is deleted below
    meals.undo(meal("B", v1, "2024-03-21"))  # taken back
    meals.log_guests(v1.id, adults=3, children=4, served_on="2024-03-02")
    meals.log_guests(v2.id, adults=2, served_on="2024-03-13", meal_type="pantry")
    meals.undo(meals.log_guests(v1.id, adults=5, children=5, served_on="2024-03-14").id)

    for key, day, kind in (
        ("A", "2024-03-10", "home"),
        ("A", "2024-03-15", "phone"),
        ("B", "2024-03-18", "phone"),
        ("C", "2024-03-08", "venue"),
        ("E", "2024-02-20", "phone"),  # February
        ("F", "2024-03-09", "phone"),  # deleted household
    ):
        contacts.record_visit(ids[key], VisitInput(visited_on=day, kind=kind))

    with db.session() as session:
        heads = {
            key: session.get(Household, ids[key]).members[0].id  # type: ignore[union-attr]
            for key in ("A", "B", "E")
        }
        for key, day, k6, loneliness in (
            ("A", date(2024, 3, 20), 3, 4),  # lonely: WATCH
            ("B", date(2024, 3, 22), 2, 1),  # fine
            ("E", date(2024, 3, 25), 15, 2),  # serious distress: HIGH
            ("B", date(2024, 4, 5), 20, 5),  # after the month: not counted, not judged
        ):
            session.add(
                CheckIn(
                    household_id=ids[key],
                    member_id=heads[key],
                    checked_on=day,
                    k6_score=k6,
                    loneliness=loneliness,
                )
            )

    def task(key: str, created: date, due: str) -> uuid.UUID:
        made = followups.add(ids[key], due_on=due, reason="様子を確認")
        with db.session() as session:
            stored = session.get(FollowUp, made.id)
            assert stored is not None
            stored.created_at = datetime.combine(created, time(10), UTC)
        return made.id

    followups.complete(task("A", date(2024, 3, 10), "2024-03-20"), "電話済み", "2024-03-25")
    task("B", date(2024, 3, 22), "2024-04-10")
    followups.complete(task("E", date(2024, 2, 10), "2024-02-20"), "訪問済み", "2024-03-05")
    deleted_task = task("A", date(2024, 3, 11), "2024-04-30")
    with db.session() as session:
        stored = session.get(FollowUp, deleted_task)
        assert stored is not None
        stored.deleted_at = utcnow()

    households.soft_delete(ids["F"])
    return ids


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DataSet]:
    """Built once for the module; the tests only read it."""
    database = Database(sqlite_url(tmp_path_factory.mktemp("monthly") / "monthly.sqlite3"))
    set_language("ja")
    ids = _build(database)
    yield DataSet(database, ids)
    database.close()


def pdf(db: Database, month: date = MARCH, **kwargs: Any) -> tuple[MonthlyFigures, bytes]:
    out = BytesIO()
    figures = make_monthly_report(db, month, organisation="NPO法人テスト", target=out, **kwargs)
    return figures, out.getvalue()


def lines(content: bytes) -> list[str]:
    reader = PdfReader(BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return [line.strip() for line in text.splitlines() if line.strip()]


def section(all_lines: list[str], start: str, end: str | None = None) -> list[str]:
    """The lines from the heading starting with ``start`` up to the one starting with ``end``."""
    first = next(i for i, line in enumerate(all_lines) if line.startswith(start))
    if end is None:
        return all_lines[first:]
    last = next(i for i, line in enumerate(all_lines) if i > first and line.startswith(end))
    return all_lines[first:last]


def row(part: list[str], name: str, cells: int) -> list[str]:
    """The ``cells`` values printed after the row label ``name`` (one line per cell)."""
    i = part.index(name)
    return part[i + 1 : i + 1 + cells]


# --- figures ---------------------------------------------------------------------------------


def test_households_new_active_closed_per_origin(data: DataSet) -> None:
    figures = monthly_figures(data.db, MARCH, "origin")
    assert [(g.code, g.name) for g in figures.groups] == [
        (WAJIMA, "輪島市"),
        (SUZU, "珠洲市"),
        ("", "不明"),
    ]  # 能登町 closed in February and had nothing in March
    wajima, suzu, unknown = figures.groups
    assert (wajima.new_households, wajima.new_people) == (1, 2)
    assert (wajima.active_households, wajima.active_people) == (2, 5)
    assert (wajima.closed_households, wajima.closed_people) == (0, 0)
    assert (suzu.new_households, suzu.active_households) == (0, 0)  # D came in April
    assert (suzu.closed_households, suzu.closed_people) == (1, 1)
    assert (unknown.active_households, unknown.active_people) == (1, 2)
    total = figures.total
    assert (total.new_households, total.new_people) == (1, 2)
    assert (total.active_households, total.active_people) == (3, 7)
    assert (total.closed_households, total.closed_people) == (1, 1)


def test_meals_by_type_adults_children_and_households(data: DataSet) -> None:
    figures = monthly_figures(data.db, MARCH, "origin")
    wajima, suzu, unknown = figures.groups
    assert wajima.meals == {
        "eat_in": MealCounts(logs=4, adults=7, children=4, households=2),
        "takeaway": MealCounts(1, 2, 1, 1),
        "delivery": MealCounts(1, 1, 1, 1),
        "pantry": MealCounts(1, 2, 1, 1),
    }
    assert wajima.meal_households == 2
    assert suzu.meals["pantry"] == MealCounts(1, 1, 0, 1)
    assert unknown.meals["eat_in"] == MealCounts(2, 4, 0, 1)
    total = figures.total
    assert total.meals == {
        "eat_in": MealCounts(6, 11, 4, 3),
        "takeaway": MealCounts(1, 2, 1, 1),
        "delivery": MealCounts(1, 1, 1, 1),
        "pantry": MealCounts(2, 3, 1, 2),
    }
    assert total.meal_households == 4  # A, B, C, E: counted once across types
    assert (total.meal_logs, total.meal_people) == (10, 24)
    assert figures.guests == {
        "eat_in": MealCounts(1, 3, 4, 0),
        "takeaway": MealCounts(),
        "delivery": MealCounts(),
        "pantry": MealCounts(1, 2, 0, 0),
    }
    assert figures.meals_of_type("eat_in") == MealCounts(7, 14, 8, 3)


def test_meals_by_venue_and_week(data: DataSet) -> None:
    figures = monthly_figures(data.db, MARCH, "origin")
    assert figures.weeks == [
        (date(2024, 3, 1), date(2024, 3, 3)),
        (date(2024, 3, 4), date(2024, 3, 10)),
        (date(2024, 3, 11), date(2024, 3, 17)),
        (date(2024, 3, 18), date(2024, 3, 24)),
        (date(2024, 3, 25), date(2024, 3, 31)),
    ]
    v1, v2 = figures.venues
    assert (v1.name, v1.meals, v1.people) == (V1, [2, 2, 1, 1, 3], [10, 5, 3, 2, 7])
    assert (v2.name, v2.meals, v2.people) == (V2, [0, 1, 2, 0, 0], [0, 1, 5, 0, 0])
    assert figures.week_meals == [2, 3, 3, 1, 3]
    assert figures.week_people == [10, 6, 8, 2, 7]


def test_visits_checkins_risk_and_followups(data: DataSet) -> None:
    figures = monthly_figures(data.db, MARCH, "origin")
    wajima, suzu, unknown = figures.groups
    assert wajima.visits == {"home": 1, "phone": 2, "venue": 0, "online": 0}
    assert suzu.visits == {"home": 0, "phone": 0, "venue": 1, "online": 0}
    assert unknown.visit_total == 0
    assert figures.total.visit_total == 4
    assert (wajima.checkins, wajima.checkin_households) == (2, 2)
    assert (unknown.checkins, unknown.checkin_households) == (1, 1)
    assert (wajima.risk_high, wajima.risk_watch, wajima.risk_none) == (0, 1, 1)
    assert (unknown.risk_high, unknown.risk_watch, unknown.risk_none) == (1, 0, 0)
    assert (suzu.risk_high, suzu.risk_watch, suzu.risk_none) == (0, 0, 0)
    assert (wajima.followups_opened, wajima.followups_closed) == (2, 1)
    assert (unknown.followups_opened, unknown.followups_closed) == (0, 1)
    total = figures.total
    assert (total.risk_high, total.risk_watch, total.risk_none) == (1, 1, 1)
    assert (total.followups_opened, total.followups_closed) == (2, 2)


def test_by_host_groups_by_where_households_live_now(data: DataSet) -> None:
    figures = monthly_figures(data.db, MARCH, "host")
    assert [g.name for g in figures.groups] == ["金沢市", "白山市", "不明"]
    kanazawa, hakusan, unknown = figures.groups
    assert (kanazawa.active_households, kanazawa.closed_households) == (1, 1)  # A; C closed
    assert (hakusan.new_households, hakusan.active_households) == (1, 1)  # B
    assert kanazawa.meals["pantry"] == MealCounts(2, 3, 1, 2)  # A and C
    assert hakusan.meals["delivery"] == MealCounts(1, 1, 1, 1)
    assert unknown.active_households == 1
    assert figures.total.active_households == 3  # the same caseload, grouped differently


def test_running_month_counts_active_and_risk_as_of_today(data: DataSet) -> None:
    figures = monthly_figures(data.db, MARCH, today=date(2024, 3, 15))
    assert figures.as_of == date(2024, 3, 15)
    # A, B (registered 3/5), E, and C (closed only on 3/20)
    assert figures.total.active_households == 4
    _, content = pdf(data.db, today=date(2024, 3, 15))
    assert any(line.startswith("月の途中のため") for line in lines(content))


def test_empty_month_and_bad_grouping(data: DataSet) -> None:
    figures = monthly_figures(data.db, date(2023, 12, 1))
    assert figures.groups == [] and not figures.has_data
    with pytest.raises(InvalidValue):
        monthly_figures(data.db, MARCH, "prefecture")


# --- the PDF ---------------------------------------------------------------------------------


def test_pdf_prints_suppressed_counts_in_the_right_rows(data: DataSet) -> None:
    _, content = pdf(data.db)
    text = lines(content)
    assert "月次報告書 令和6年3月（2024年3月）" in text
    assert "避難元市町別" in text
    assert (
        "個人の特定を防ぐため、1〜4の件数と、合計などからそれを逆算できる件数を、"
        "どちらも「X」と表示しています。"
    ) in text
    households = section(text, "1. 支援世帯", "新規：")
    # new households, new people, active households, active people, closed ..., closed ...
    # (輪島市's 5 active people are hidden too: 7 - 5 would give back 不明's 2)
    assert row(households, "輪島市", 6) == ["X", "X", "X", "X", "0", "0"]
    assert row(households, "合計", 6) == ["X", "X", "X", "7", "X", "X"]
    by_type = section(text, "2. 食事提供", "提供件数は")
    # entries, evacuee households, evacuee adults, children, guest adults, guest children, total
    # (会食's 11 evacuee adults are hidden: the chart's 14 adults would give back 3 guests)
    assert row(by_type, "会食", 7) == ["7", "X", "X", "X", "X", "X", "22"]
    assert row(by_type, "パントリー", 7) == ["X", "X", "X", "X", "X", "0", "6"]
    weeks = section(text, "3. 会場別", "各欄は")
    assert row(weeks, V1, 6) == [
        "X / 10",
        "X / X",
        "X / X",
        "X / X",
        "X / 7",
        "X / 27",
    ]
    assert row(weeks, "合計", 6) == ["X / 10", "X / X", "X / 8", "X / X", "X / 7", "12 / 33"]
    visits = section(text, "4. 訪問", "5. チェックイン")
    assert row(visits, "合計", 5) == ["X", "X", "X", "0", "X"]
    risk = section(text, "5. チェックイン", "要注意の区分")
    assert row(risk, "不明", 6) == ["X", "X", "X", "X", "0", "0"]
    followups = section(text, "6. フォローアップ")
    assert row(followups, "輪島市", 2) == ["X", "X"]
    # no raw small count in any table cell
    for part in (households, by_type, weeks, visits, risk, followups):
        assert not any(re.fullmatch(r"[1-4]", line) for line in part)


@pytest.mark.parametrize("by", ["origin", "host"])
def test_no_hidden_count_comes_back_from_what_the_report_prints(data: DataSet, by: str) -> None:
    """The attacker of the property tests, on this data set's figures as printed."""
    figures = monthly_figures(data.db, MARCH, by)
    counts = monthly_counts(figures)
    hidden = {key for key in counts.declared if counts.hidden(key)}
    assert_nothing_comes_back(dict(counts.declared), hidden, monthly_equations(figures))


def test_a_lone_small_count_in_a_column_takes_another_with_it(data: DataSet) -> None:
    """志賀町's pantry: 63 people, of whom 52, 10 and 0 in the other rows, gave back 1."""
    figures = monthly_figures(data.db, MARCH, "origin")
    rows = []
    for code, name, pantry in (
        ("172049", "輪島市", 52),
        ("172057", "珠洲市", 10),
        ("173843", "志賀町", 1),
        ("174637", "能登町", 0),
    ):
        row = GroupFigures(code, name)
        row.meals["pantry"] = MealCounts(logs=pantry, adults=pantry, children=0, households=pantry)
        row.meals["eat_in"] = MealCounts(logs=40, adults=60, children=20, households=30)
        row.meal_households = pantry + 30
        rows.append(row)
    total = GroupFigures("*", "合計")
    for row in rows:
        total.add(row)
    guests = {m: MealCounts() for m in figures.guests}
    shaped = replace(figures, groups=rows, total=total, guests=guests, venues=[])
    counts = monthly_counts(shaped)
    pantry = [("g", row.code, "people:pantry") for row in rows]
    assert [counts.hidden(key) for key in pantry] == [False, True, True, False]
    assert counts.text(("t", "pantry", "people")) == "63"


def test_pdf_without_suppression_prints_raw_counts(data: DataSet) -> None:
    _, content = pdf(data.db, suppress_small=False)
    text = lines(content)
    assert not any(re.search(r"(?<![A-Za-z])X(?![A-Za-z])", line) for line in text)
    households = section(text, "1. 支援世帯", "新規：")
    assert row(households, "輪島市", 6) == ["1", "2", "2", "5", "0", "0"]
    assert row(households, "珠洲市", 6) == ["0", "0", "0", "0", "1", "1"]
    assert row(households, "合計", 6) == ["1", "2", "3", "7", "1", "1"]
    by_type = section(text, "2. 食事提供", "提供件数は")
    assert row(by_type, "会食", 7) == ["7", "3", "11", "4", "3", "4", "22"]
    assert row(by_type, "合計", 7) == ["12", "4", "17", "7", "5", "4", "33"]
    weeks = section(text, "3. 会場別", "各欄は")
    assert weeks[1:6] == ["会場", "3/1〜", "3/3", "3/4〜", "3/10"]  # two lines a week
    assert row(weeks, V1, 6) == ["2 / 10", "2 / 5", "1 / 3", "1 / 2", "3 / 7", "9 / 27"]
    assert row(weeks, V2, 6) == ["0 / 0", "1 / 1", "2 / 5", "0 / 0", "0 / 0", "3 / 6"]
    risk = section(text, "5. チェックイン", "要注意の区分")
    assert row(risk, "輪島市", 6) == ["2", "2", "2", "0", "1", "1"]
    followups = section(text, "6. フォローアップ")
    assert row(followups, "合計", 2) == ["2", "2"]


def test_by_host_pdf_names_the_grouping_and_groups_differently(data: DataSet) -> None:
    _, content = pdf(data.db, by="host", suppress_small=False)
    text = lines(content)
    assert "避難先市町別" in text
    households = section(text, "1. 支援世帯", "新規：")
    assert row(households, "金沢市", 6) == ["0", "0", "1", "3", "1", "1"]
    assert row(households, "白山市", 6) == ["1", "2", "1", "2", "0", "0"]
    assert "輪島市" not in households


def test_fonts_are_embedded_ipaex_gothic_subsets(data: DataSet) -> None:
    _, content = pdf(data.db)
    reader = PdfReader(BytesIO(content))
    seen = []

    def check(resources: Any) -> None:
        resources = resources.get_object() if resources is not None else {}
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            name = str(font["/BaseFont"])
            seen.append(name)
            assert font["/Subtype"] == "/TrueType", name
            assert re.fullmatch(r"/[A-Z]{6}\+IPAexGothic", name), name
            assert "/FontFile2" in font["/FontDescriptor"].get_object(), name
        for xobject in (resources.get("/XObject") or {}).values():
            check(xobject.get_object().get("/Resources"))

    for page in reader.pages:
        check(page.get("/Resources"))
    assert seen


def test_empty_month_still_makes_a_pdf_saying_so(data: DataSet) -> None:
    figures, content = pdf(data.db, date(2023, 12, 1))
    assert not figures.has_data
    text = lines(content)
    assert "この月のデータはありません。" in text
    assert "月次報告書 令和5年12月（2023年12月）" in text
    assert len(PdfReader(BytesIO(content)).pages) == 1


def test_english_headings(data: DataSet) -> None:
    set_language("en")
    _, content = pdf(data.db, suppress_small=False)
    text = lines(content)
    assert "Monthly report: March 2024" in text
    assert "by origin municipality" in text
    households = section(text, "1. Households", "New:")
    assert row(households, "Total", 6) == ["1", "2", "3", "7", "1", "1"]
    assert row(households, "Unknown", 6) == ["0", "0", "1", "2", "0", "0"]


def test_writes_to_a_path(data: DataSet, tmp_path: Path) -> None:
    target = tmp_path / "monthly.pdf"
    start = timer.perf_counter()
    make_monthly_report(data.db, MARCH, target=target)
    assert timer.perf_counter() - start < 5
    assert target.read_bytes().startswith(b"%PDF")


# --- months ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "2024-03",
        "2024/3",
        "2024-3",
        "2024.03",
        "2024年3月",
        "令和6年3月",
        "R6.3",
        "r6/03",
        "202403",
        "２０２４－０３",
        " R6.3 ",
    ],
)
def test_parse_month_accepts_common_forms(text: str) -> None:
    assert parse_month(text) == MARCH


def test_parse_month_first_year_and_dates() -> None:
    assert parse_month("令和元年5月") == date(2019, 5, 1)
    assert parse_month(date(2024, 3, 17)) == MARCH


@pytest.mark.parametrize(
    "text", ["", "2024", "2024-13", "2024-00", "R6", "令和6年", "3月", "2024-03-01", "abc", "X6.3"]
)
def test_parse_month_refuses_bad_input(text: str) -> None:
    with pytest.raises(InvalidValue) as caught:
        parse_month(text)
    assert caught.value.code == "date.invalid"
