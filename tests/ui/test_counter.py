"""The meal counter, used as venue staff would during a busy session."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.consents import ConsentInput, record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealRules, MealService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import Operation
from evacsupport.ui.views.counter.card_panel import WORD_JOINER
from evacsupport.ui.views.counter.session_view import CounterView
from tests.factories import household, member
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

CTRL = Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def venue_id(db: Database):  # type: ignore[no-untyped-def]
    return (
        VenueService(db)
        .create(
            VenueInput(
                name="こども食堂 ひだまり",
                capacity=60,
                coordinates="36.5605, 136.659",
                schedule="水 17:00-19:00",
                allergens_handled="卵、小麦",
            )
        )
        .id
    )


@pytest.fixture
def households(db: Database) -> list[str]:
    service = HouseholdService(db)
    cases = []
    for i in range(10):
        members = [member(given_name=f"花子{i}", given_kana="ハナコ", birth_date="1950-01-01")]
        if i == 0:
            members.append(
                member(
                    given_name="陽翔",
                    given_kana="ハルト",
                    relation="child",
                    birth_date=date.today() - timedelta(days=365 * 8),
                    allergens="卵",
                )
            )
        cases.append(service.create(household(members=members)).case_number)
    return cases


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def counter(qtbot: QtBot, db: Database, venue_id, prompter: FakePrompter) -> CounterView:  # type: ignore[no-untyped-def]
    view = CounterView(AppContext(db, prompter=prompter, settings=Settings(staff_name="佐藤")))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.refresh()
    return view


def scan(qtbot: QtBot, view: CounterView, code: str) -> None:
    """Type a number and Enter, then wait until it is saved and its answer shown (the save
    runs on the writer thread; the staff see the card)."""
    assert view.scan.hasFocus()
    qtbot.keyClicks(view.scan, code)
    qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(view.idle)


def test_ten_meals_by_typing_case_numbers_and_enter(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    for case in households:
        scan(qtbot, counter, case.lower())  # as typed, in lower case
        assert counter.scan.text() == ""  # ready for the next one
    logged = MealService(db).session_log(venue_id, date.today())
    assert len(logged) == 10
    assert {m.household.case_number for m in logged if m.household} == set(households)
    qtbot.waitUntil(lambda: counter.log_model.rowCount() == 10)  # read in the background
    assert counter.total.text() == "10 件・11 人"
    assert all(m.meal_type == "eat_in" for m in logged)


def test_the_card_shows_the_name_and_allergens_large(
    qtbot: QtBot, counter: CounterView, households: list[str]
) -> None:
    scan(qtbot, counter, households[0])
    assert plain(counter.card.name).startswith(f"{households[0]}　山田 花子0")
    assert counter.card.allergens.isVisible()
    assert counter.card.allergens.text() == "⚠ アレルギー：卵"
    assert counter.card.counts.text() == "大人 1 人・子ども 1 人"


def test_an_unknown_number_is_refused_and_keeps_focus(
    qtbot: QtBot, counter: CounterView, db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, counter, "N24-999999")
    assert "世帯番号「N24-999999」は登録されていません" in counter.card.status.text()
    assert counter.scan.hasFocus()
    assert counter.scan.selectedText() == "N24-999999"  # typing again replaces it
    assert MealService(db).session_log(venue_id, date.today()) == []


def test_same_household_twice_warns_and_can_be_confirmed(
    qtbot: QtBot,
    counter: CounterView,
    households: list[str],
    prompter: FakePrompter,
    db: Database,
    venue_id,
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, counter, households[1])
    prompter.confirm_answer = False
    scan(qtbot, counter, households[1])
    assert "今日すでに" in prompter.confirms[0]
    assert len(MealService(db).session_log(venue_id, date.today())) == 1
    prompter.confirm_answer = True
    counter.scan.clear()
    scan(qtbot, counter, households[1])
    assert len(MealService(db).session_log(venue_id, date.today())) == 2


def test_undo_with_ctrl_z(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, counter, households[2])
    qtbot.keyClick(counter.scan, Qt.Key.Key_Z, CTRL)
    qtbot.waitUntil(counter.idle)
    assert MealService(db).session_log(venue_id, date.today()) == []
    assert "取り消しました" in counter.card.status.text()
    qtbot.waitUntil(lambda: counter.log_model.rowCount() == 0)


def test_untick_a_member_who_did_not_come(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, counter, households[0])
    child_box = next(b for b in counter.card.member_boxes.values() if "陽翔" in b.text())
    child_box.setChecked(False)
    qtbot.waitUntil(counter.idle)
    (meal,) = MealService(db).session_log(venue_id, date.today())
    assert (meal.adults, meal.children) == (1, 0)
    assert counter.card.counts.text() == "大人 1 人・子ども 0 人"


def test_a_rule_refuses_with_the_reason_and_a_note_overrides(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    MealService(db).set_rules(venue_id, MealRules(max_per_day={"eat_in": 1}))
    scan(qtbot, counter, households[3])
    scan(qtbot, counter, households[3])
    assert "会食は1人1日1回まで" in counter.card.status.text()
    assert counter.override_note.isVisible() and counter.override_note.hasFocus()
    assert len(MealService(db).session_log(venue_id, date.today())) == 1
    from tests.ui.helpers import type_japanese

    type_japanese(counter.override_note, "兄弟の分を代理で受け取り")
    qtbot.keyClick(counter.override_note, Qt.Key.Key_Return)
    qtbot.waitUntil(counter.idle)
    meals = MealService(db).session_log(venue_id, date.today())
    assert len(meals) == 2 and meals[0].override_note == "兄弟の分を代理で受け取り"
    assert counter.scan.hasFocus() and not counter.override_note.isVisible()


def test_roster_ticks_log_and_untick_undoes(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    service = HouseholdService(db)
    row = service.search(households[4])[0]
    record_consent(
        db,
        row.id,
        ConsentInput(
            consented_on="2024-02-01", purposes=["venue_connection"], recipients=["assigned_venue"]
        ),
    )
    saved = service.get(row.id)
    HouseholdService(db).update(
        saved.id,
        household(
            coordinates="36.56, 136.65",
            members=[
                member(
                    id=saved.current_members[0].id,
                    given_name="花子4",
                    given_kana="ハナコ",
                    birth_date="1950-01-01",
                )
            ],
        ),
    )
    AssignmentService(db).assign(row.id, venue_id, start_on=date.today() - timedelta(days=7))
    with qtbot.waitSignal(counter.lists_loaded):
        counter.refresh_lists()
    model = counter.roster_model
    assert model.rowCount() == 1
    assert model.index(0, 1).data() == households[4]
    model.setData(model.index(0, 0), Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(  # the lists are read again in the background
        lambda: model.index(0, 0).data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    )
    assert len(MealService(db).session_log(venue_id, date.today())) == 1
    model.setData(model.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole)
    qtbot.waitUntil(counter.idle)
    assert MealService(db).session_log(venue_id, date.today()) == []


def test_guests_and_the_paper_fallback_for_a_past_date(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    counter.day.setText("R6.3.6")
    assert counter.past_banner.isVisible()
    counter.meal_type.set_code("takeaway")
    counter.scan.setFocus()
    scan(qtbot, counter, households[5])
    counter.guests_adults.setValue(3)
    counter.guests_children.setValue(2)
    counter.guests_button.click()
    qtbot.waitUntil(counter.idle)
    meals = MealService(db).session_log(venue_id, date(2024, 3, 6))
    assert [(m.meal_type, m.adults, m.children, m.household is None) for m in meals] == [
        ("takeaway", 3, 2, True),
        ("takeaway", 1, 0, False),
    ]
    assert all(m.served_at is None for m in meals)  # keyed in afterwards: no time of day


def test_a_future_date_is_refused(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    counter.day.set_date(date.today() + timedelta(days=1))
    counter.scan.setFocus()
    scan(qtbot, counter, households[6])
    assert "未来の日付" in counter.card.status.text()
    assert counter.scan.hasFocus()


def test_venue_rules_set_in_their_dialog_apply_at_the_counter(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    dialog = counter.edit_rules()
    assert dialog is not None
    dialog.limits["eat_in"].setValue(1)
    dialog.interval.setValue(90)
    dialog.pairs[("eat_in", "takeaway")].setChecked(True)
    assert dialog.save()
    rules = MealService(db).rules(venue_id)
    assert rules.max_per_day == {"eat_in": 1}
    assert (rules.min_interval_minutes, rules.exclusive) == (90, (("eat_in", "takeaway"),))
    counter.activateWindow()  # the dialog closed: back at the counter
    qtbot.waitUntil(counter.isActiveWindow)
    counter.scan.setFocus()
    scan(qtbot, counter, households[7])
    counter.meal_type.set_code("takeaway")
    counter.scan.setFocus()
    scan(qtbot, counter, households[7])
    assert "同じ日に重ねられません" in counter.card.status.text()


def test_the_counter_remembers_this_laptops_venue(
    qtbot: QtBot, db: Database, venue_id, prompter: FakePrompter
) -> None:  # type: ignore[no-untyped-def]
    other = VenueService(db).create(VenueInput(name="東山みんなの台所", capacity=30)).id
    settings = Settings()
    view = CounterView(AppContext(db, prompter=prompter, settings=settings))
    qtbot.addWidget(view)
    view.refresh()
    view.venue.setCurrentIndex(view.venue.findData(str(other)))
    assert Settings.load().venue_id == str(other)
    again = CounterView(AppContext(db, prompter=prompter, settings=Settings.load()))
    qtbot.addWidget(again)
    again.refresh()
    assert again.venue_id() == other
    Settings().save()


def test_a_trailing_enter_on_the_duplicate_question_logs_nothing_more(
    qtbot: QtBot, db: Database, venue_id, households: list[str]
) -> None:  # type: ignore[no-untyped-def]
    """The real question: Enter (a scanner's trailing one, or a second press) answers いいえ."""
    from evacsupport.ui.prompts import QtPrompter
    from tests.ui.test_prompts import press_enter_on_the_question

    view = CounterView(AppContext(db, prompter=QtPrompter(), settings=Settings(staff_name="佐藤")))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.refresh()
    scan(qtbot, view, households[1])
    seen: list[str] = []
    press_enter_on_the_question(qtbot, seen)
    qtbot.keyClicks(view.scan, households[1])
    qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(view.idle)
    assert seen == ["No"]
    assert len(MealService(db).session_log(venue_id, date.today())) == 1


def test_the_number_alone_logs_the_household_it_names(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    scan(qtbot, counter, "3")  # N24-000003, as read off the card without its zeros
    assert counter.scan.text() == ""
    [meal] = MealService(db).session_log(venue_id, date.today())
    assert meal.household is not None and meal.household.case_number == households[2]
    assert counter.card.name.text().replace("\u2060", "").startswith(f"{households[2]}　山田 花子2")


def test_a_number_two_households_share_asks_which_with_their_names(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id,
    prompter: FakePrompter,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    other = HouseholdService(db).create(
        household(case_number="K24-000003", members=[member(given_name="加賀")])
    )
    prompter.choice_answer = None
    scan(qtbot, counter, "3")
    assert prompter.choices == [
        ["K24-000003　山田 加賀（ヤマダ ハナコ）", f"{households[2]}　山田 花子2（ヤマダ ハナコ）"]
    ]
    assert "番号「3」に当たる世帯が2つあります" in counter.card.status.text()
    assert MealService(db).session_log(venue_id, date.today()) == []
    assert counter.scan.hasFocus() and counter.scan.selectedText() == "3"

    prompter.choice_answer = 0
    scan(qtbot, counter, "3")
    [meal] = MealService(db).session_log(venue_id, date.today())
    assert meal.household is not None and meal.household.id == other.id


def test_venue_staff_are_asked_only_about_their_venues_households(
    qtbot: QtBot, db: Database, venue_id
) -> None:  # type: ignore[no-untyped-def]
    """Staff of one venue type 7: of the three households numbered 7 they are asked about the
    two at their venue, never shown the third (another venue's)."""
    from evacsupport.services.accounts import AccountService, sign_in
    from tests.factories import consent

    here = "36.5605, 136.659"
    elsewhere = VenueService(db).create(
        VenueInput(name="みんなの食堂", capacity=30, coordinates=here)
    )
    for case_number, given, venue in (
        ("N24-000007", "七尾", venue_id),
        ("K24-000007", "小松", venue_id),
        ("S24-000007", "珠洲", elsewhere.id),
    ):
        saved = HouseholdService(db).create(
            household(case_number=case_number, coordinates=here, members=[member(given_name=given)])
        )
        record_consent(db, saved.id, consent())
        AssignmentService(db).assign(saved.id, venue)
    accounts = AccountService(db)
    accounts.create("admin", "long enough", "admin")
    sign_in(db, accounts.authenticate("admin", "long enough"))
    accounts.create("staff", "long enough", "venue_staff", venue="こども食堂 ひだまり")
    sign_in(db, accounts.authenticate("staff", "long enough"))
    prompter = FakePrompter(choice_answer=1)
    view = CounterView(AppContext(db, prompter=prompter, settings=Settings(staff_name="加藤")))
    qtbot.addWidget(view)
    view.show()
    qtbot.waitExposed(view)
    view.activateWindow()
    qtbot.waitUntil(view.isActiveWindow)
    view.refresh()
    type_japanese(view.scan, "７")  # full width, as an input method left on types it
    qtbot.keyClick(view.scan, Qt.Key.Key_Return)
    qtbot.waitUntil(view.idle)
    [options] = prompter.choices
    assert [o.split("　")[0] for o in options] == ["K24-000007", "N24-000007"]
    assert not any("珠洲" in o for o in options)
    [meal] = MealService(db).session_log(venue_id, date.today())
    assert meal.household is not None and meal.household.case_number == "N24-000007"


def plain(label: QLabel) -> str:
    """The text as read (without the invisible word joiners that keep words whole)."""
    return label.text().replace(WORD_JOINER, "")


def wrapped_lines(label: QLabel, width: int) -> list[str]:
    """The lines the label's text falls into at ``width``, as Qt lays it out."""
    label.ensurePolished()
    document = QTextDocument()
    document.setDefaultFont(label.font())
    document.setPlainText(label.text())
    document.setTextWidth(width)
    document.size()  # lays the text out
    lines = []
    block = document.begin()
    while block.isValid():
        layout = block.layout()
        for i in range(layout.lineCount()):
            line = layout.lineAt(i)
            text = block.text()[line.textStart() : line.textStart() + line.textLength()]
            lines.append(text.replace(WORD_JOINER, ""))
        block = block.next()
    return [line.strip() for line in lines]


def test_the_large_name_wraps_between_words_never_inside_one(
    qtbot: QtBot, counter: CounterView, households: list[str]
) -> None:
    scan(qtbot, counter, households[0])
    name = counter.card.name
    metrics = name.fontMetrics()
    whole = metrics.horizontalAdvance(plain(name))
    broke = False
    for width in range(metrics.horizontalAdvance("さんの世帯") + 10, whole, 15):
        lines = wrapped_lines(name, width)
        broke = broke or len(lines) > 1
        assert "さんの世帯" in lines or any(line.endswith("さんの世帯") for line in lines), lines
        assert not any(line.endswith(("さんの世", "さんの", "山")) for line in lines), lines
    assert broke  # the narrow widths did wrap, between the parts


@pytest.fixture
def busy_writer(qtbot: QtBot) -> Iterator[threading.Event]:
    """The writer thread held by a long write (a sync merge); set the event to let it go."""
    release = threading.Event()
    Operation(lambda p, c: release.wait(10), write=True).start(lambda _r: None, lambda _e: None)
    yield release
    release.set()


def test_the_next_numbers_are_typed_while_the_first_are_saved(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id,
    busy_writer: threading.Event,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    for case in households[:3]:
        qtbot.keyClicks(counter.scan, case)
        qtbot.keyClick(counter.scan, Qt.Key.Key_Return)
        assert counter.scan.hasFocus() and counter.scan.text() == ""  # ready at once
    assert not counter.idle()
    assert MealService(db).session_log(venue_id, date.today()) == []  # queued behind the merge
    busy_writer.set()
    qtbot.waitUntil(counter.idle)
    logged = MealService(db).session_log(venue_id, date.today())  # newest first
    assert [m.household.case_number for m in logged if m.household] == households[2::-1]
    assert plain(counter.card.name).startswith(households[2])  # the card shows the last one


def test_a_refused_number_leaves_the_one_typed_meanwhile_alone(
    qtbot: QtBot, counter: CounterView, households: list[str], busy_writer: threading.Event
) -> None:
    qtbot.keyClicks(counter.scan, "N24-999999")
    qtbot.keyClick(counter.scan, Qt.Key.Key_Return)
    qtbot.keyClicks(counter.scan, households[0])  # the next person, not entered yet
    busy_writer.set()
    qtbot.waitUntil(counter.idle)
    assert "世帯番号「N24-999999」は登録されていません" in counter.card.status.text()
    assert counter.scan.text() == households[0]


def test_ctrl_z_straight_after_enter_takes_back_that_meal(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id,
    busy_writer: threading.Event,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    qtbot.keyClicks(counter.scan, households[0])
    qtbot.keyClick(counter.scan, Qt.Key.Key_Return)
    qtbot.keyClick(counter.scan, Qt.Key.Key_Z, CTRL)  # before it was saved
    busy_writer.set()
    qtbot.waitUntil(lambda: "取り消しました" in counter.card.status.text())
    qtbot.waitUntil(counter.idle)
    assert MealService(db).session_log(venue_id, date.today()) == []
    assert not counter.undo_button.isEnabled()


def test_an_assignment_made_elsewhere_reaches_the_roster_without_reading_the_venues(
    qtbot: QtBot, counter: CounterView, households: list[str], db: Database, venue_id,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # type: ignore[no-untyped-def]  # fmt: skip
    from evacsupport.services.changes import Changes, Kind
    from tests.factories import consent

    [row] = HouseholdService(db).search(households[8])
    record_consent(db, row.id, consent())
    AssignmentService(db).assign(row.id, venue_id)
    monkeypatch.setattr(counter.ctx.venues, "list", lambda **_: pytest.fail("venues read"))
    with qtbot.waitSignal(counter.lists_loaded):
        counter.ctx.bus.announce(Changes.of(Kind.ASSIGNMENT, households=[row.id]))
    assert [
        counter.roster_model.index(r, 1).data() for r in range(counter.roster_model.rowCount())
    ] == [households[8]]


def test_the_log_shows_each_meal_at_once_and_is_read_again_when_the_queue_pauses(
    qtbot: QtBot, counter: CounterView, households: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[int] = []
    session_log = counter.meals.session_log

    def counted(*args: object) -> object:
        reads.append(1)
        return session_log(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(counter.meals, "session_log", counted)
    for case in households[1:4]:
        scan(qtbot, counter, case)
    assert counter.log_model.rowCount() == 3 and counter.total.text() == "3 件・3 人"
    assert reads == []  # shown from the saves' answers
    with qtbot.waitSignal(counter.lists_loaded):
        pass  # the queue paused: read once, for all three
    assert reads == [1] and counter.log_model.rowCount() == 3
