"""A caseload of 20,000 households opens and filters in the window without freezing it."""

from __future__ import annotations

import uuid
from datetime import date

from pytestqt.qtbot import QtBot
from sqlalchemy import insert

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import Household, Member
from evacsupport.domain.normalize import search_key
from evacsupport.services import events
from evacsupport.services.caseload import filter_rows, load_caseload
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.households.list_view import FIRST_PAGE
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

FAMILIES = [("山本", "ヤマモト"), ("中谷", "ナカタニ"), ("坂本", "サカモト"), ("浜田", "ハマダ")]
ORIGINS = ["172049", "172057", "174637", "174611"]
N = 20_000


def fill(db: Database, n: int = N) -> None:
    """Bulk rows straight into the tables (the services' validation is tested elsewhere)."""
    households, members = [], []
    with db.session() as session:
        event = events.get_or_default(session)
        for i in range(n):
            family, kana = FAMILIES[i % 4]
            given, given_kana = f"{i:05d}", "タロウ" if i % 8 < 4 else "ハナコ"
            hid = uuid.uuid4()
            case = f"N24-{i + 1:06d}"
            households.append(
                {
                    "id": hid,
                    "event_id": event.id,
                    "case_number": case,
                    "evacuation_status": "hotel" if i % 3 else "deemed_housing",
                    "origin_municipality_code": ORIGINS[i % 4],
                    "search_text": "|".join(
                        [
                            search_key(case),
                            search_key(family + given),
                            search_key(kana + given_kana),
                        ]
                    ),
                }
            )
            members.append(
                {
                    "household_id": hid,
                    "family_name": family,
                    "given_name": given,
                    "family_kana": kana,
                    "given_kana": given_kana,
                    "relation": "head",
                    "birth_date": date(1950 + i % 50, 1 + i % 12, 1 + i % 28),
                    "allergens": [],
                }
            )
        session.execute(insert(Household), households)
        session.execute(insert(Member), members)


def test_twenty_thousand_households_load_and_filter(qtbot: QtBot, db: Database) -> None:
    fill(db)
    rows = load_caseload(db)
    assert len(rows) == N
    hamada_taro = filter_rows(rows, "はまだ たろう")
    assert len(hamada_taro) == N // 8  # every 4th family, half of them タロウ
    assert all(r.head_kana == "ハマダ タロウ" for r in hamada_taro)
    assert [r.case_number for r in filter_rows(rows, "N24-012345")] == ["N24-012345"]
    wajima_deemed = filter_rows(rows, status="deemed_housing", origin="172049")
    assert {r.origin_municipality_code for r in wajima_deemed} == {"172049"}
    assert len(wajima_deemed) == len([i for i in range(N) if i % 4 == 0 and i % 3 == 0])

    window = MainWindow(db, prompter=FakePrompter(), settings=Settings())
    qtbot.addWidget(window)
    listing = window.household_list
    # The first screen is there at once; the rest comes in the background, then the risk.
    with qtbot.waitSignal(listing.loaded, timeout=60_000):
        window.show()
        assert listing.model.total() == FIRST_PAGE
        assert listing.model.row_at(0).case_number == "N24-000001"
        assert listing.model.row_at(FIRST_PAGE - 1).case_number == f"N24-{FIRST_PAGE:06d}"
        assert listing.count_label.text() == f"{FIRST_PAGE} / {FIRST_PAGE} 世帯　全件を読み込み中…"
        # typed before the whole caseload is in: the search is run again when it arrives
        type_japanese(listing.search_box, "はまだ たろう")
    assert listing.model.total() == N
    assert listing.model.rowCount() == N // 8
    listing.search_box.clear()
    type_japanese(listing.search_box, "はまだ たろう")  # the filter runs in memory, per keystroke
    assert listing.model.rowCount() == N // 8
    listing.origin_filter.setCurrentIndex(listing.origin_filter.findData("174637"))
    assert listing.model.rowCount() == 0  # 浜田 rows all come from 174611
    listing.origin_filter.setCurrentIndex(listing.origin_filter.findData("174611"))
    assert listing.model.rowCount() == N // 8
    assert listing.count_label.text() == f"{N // 8} / {N} 世帯"


def test_reload_runs_in_the_background(qtbot: QtBot, db: Database) -> None:
    fill(db, 2000)
    window = MainWindow(db, prompter=FakePrompter(), settings=Settings())
    qtbot.addWidget(window)
    listing = window.household_list
    with qtbot.waitSignal(listing.loaded, timeout=10_000):
        listing.reload()
        assert listing.count_label.text() == "読み込み中…"  # the window stays responsive
    assert listing.model.total() == 2000


def test_not_seen_for_two_weeks_filter(qtbot: QtBot, db: Database) -> None:
    from datetime import timedelta

    from evacsupport.db.models import Visit

    fill(db, 3)
    ids = {r.case_number: r.id for r in load_caseload(db)}
    with db.session() as session:
        session.add(
            Visit(
                household_id=ids["N24-000001"],
                kind="phone",
                visited_on=date.today() - timedelta(days=3),
            )
        )
        session.add(
            Visit(
                household_id=ids["N24-000002"],
                kind="phone",
                visited_on=date.today() - timedelta(days=20),
            )
        )
    window = MainWindow(db, prompter=FakePrompter(), settings=Settings())
    qtbot.addWidget(window)
    listing = window.household_list
    listing.unseen_filter.setChecked(True)
    shown = [listing.model.row_at(i).case_number for i in range(listing.model.rowCount())]
    assert shown == ["N24-000002", "N24-000003"]  # seen 20 days ago, and never seen
