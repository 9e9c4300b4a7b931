"""Registering and editing households in the window, only with the keyboard, as a coordinator
would at a shelter desk."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.households import HouseholdService
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.prompts import Discard
from evacsupport.ui.views.households.editor import HouseholdEditor
from tests.factories import household, member
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def window(qtbot: QtBot, db: Database, prompter: FakePrompter) -> Iterator[MainWindow]:
    win = MainWindow(db, prompter=prompter, settings=Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    yield win
    for editor in list(win.editors.values()):
        editor._closing = True
        editor.close()


def focused() -> QWidget:
    widget = QApplication.focusWidget()
    assert widget is not None
    return widget


def type_here(text: str) -> None:
    """Type into whatever has the keyboard focus (Japanese through the input method)."""
    type_japanese(focused(), text)


def key(
    qtbot: QtBot,
    widget: QWidget,
    k: Qt.Key,
    modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier,
) -> None:
    qtbot.keyClick(widget, k, modifier)


def only_editor(window: MainWindow) -> HouseholdEditor:
    (editor,) = window.editors.values()
    return editor


def opened(qtbot: QtBot, window: MainWindow, household_id: uuid.UUID) -> HouseholdEditor:
    """A saved household's editor, open and with the keyboard."""
    editor = window.open_household(household_id)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def new_editor(qtbot: QtBot, window: MainWindow) -> HouseholdEditor:
    window.show_section("households")
    window.household_list.search_box.setFocus()
    key(qtbot, window.household_list.search_box, Qt.Key.Key_N, CTRL)
    editor = only_editor(window)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    return editor


def test_register_a_family_of_three_with_the_keyboard_only(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    editor = new_editor(qtbot, window)
    form = editor.form
    assert focused() is form.evacuation_status
    key(qtbot, form.evacuation_status, Qt.Key.Key_Down)  # hotel → みなし仮設
    assert form.evacuation_status.code() == "deemed_housing"

    key(qtbot, editor, Qt.Key.Key_O, ALT)
    assert focused() is form.origin_municipality_code
    for _ in range(form.origin_municipality_code.findData("172049")):
        key(qtbot, form.origin_municipality_code, Qt.Key.Key_Down)
    key(qtbot, focused(), Qt.Key.Key_Tab)
    assert focused() is form.origin_address
    type_here("石川県輪島市河井町2-1")

    key(qtbot, editor, Qt.Key.Key_P, ALT)
    qtbot.keyClicks(form.postal_code, "920-0961")  # fills the address and moves on to it
    assert form.current_address.text() == "石川県金沢市香林坊"
    assert focused() is form.current_address
    qtbot.keyClicks(form.current_address, "2-3-4")
    key(qtbot, editor, Qt.Key.Key_T, ALT)
    qtbot.keyClicks(form.phone, "090-1111-2222")

    people = [
        ("能登", "太郎", "のと", "たろう", "S20.5.3", None),
        (None, "花子", None, "はなこ", "昭和22年1月15日", Qt.Key.Key_Up),  # child → spouse
        (None, "一郎", None, "いちろう", "H2.4.1", None),
    ]
    for index, (family, given, family_kana, given_kana, born, relation_key) in enumerate(people):
        panel = editor.members
        if index == 0:
            key(qtbot, editor, Qt.Key.Key_M, ALT)
            assert focused() is panel.family_name
            type_here(family)  # type: ignore[arg-type]
            key(qtbot, focused(), Qt.Key.Key_Tab)
        else:
            key(qtbot, editor, Qt.Key.Key_A, ALT)  # add a member: family name comes filled in
            qtbot.waitUntil(lambda n=index, p=panel: p.model.rowCount() == n + 1)
            assert panel.family_name.text() == "能登"
        assert focused() is panel.given_name
        type_here(given)
        key(qtbot, focused(), Qt.Key.Key_Tab)
        if family_kana:
            type_here(family_kana)
        key(qtbot, focused(), Qt.Key.Key_Tab)
        type_here(given_kana)
        key(qtbot, focused(), Qt.Key.Key_Tab)
        assert focused() is panel.birth_date
        type_here(born)
        key(qtbot, focused(), Qt.Key.Key_Tab)
        assert focused() is panel.relation
        if relation_key is not None:
            key(qtbot, panel.relation, relation_key)

    assert editor.members.model.rowCount() == 3
    key(qtbot, editor, Qt.Key.Key_S, CTRL)
    assert not editor.isVisible()

    (row,) = HouseholdService(db).search("のと")
    saved = HouseholdService(db).get(row.id)
    assert saved.case_number == "N24-000001"
    assert (saved.evacuation_status, saved.origin_municipality_code) == ("deemed_housing", "172049")
    assert saved.current_address == "石川県金沢市香林坊2-3-4"
    assert saved.current_municipality_code == "172014"
    assert (saved.postal_code, saved.phone) == ("9200961", "09011112222")
    assert [
        (m.full_name, m.full_kana, m.relation, m.birth_date.isoformat())
        for m in saved.current_members
    ] == [
        ("能登 太郎", "ノト タロウ", "head", "1945-05-03"),
        ("能登 花子", "ノト ハナコ", "spouse", "1947-01-15"),
        ("能登 一郎", "ノト イチロウ", "child", "1990-04-01"),
    ]

    # ... and the list finds it by furigana typed in hiragana
    qtbot.waitUntil(lambda: window.household_list.model.total() == 1, timeout=3000)
    type_japanese(window.household_list.search_box, "のと たろう")
    assert window.household_list.model.rowCount() == 1
    assert window.household_list.model.row_at(0).head_kana == "ノト タロウ"


def test_open_from_the_list_with_enter_and_edit_a_member(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    service = HouseholdService(db)
    saved = service.create(
        household(
            members=[
                member(),
                member(
                    given_name="次郎", given_kana="じろう", relation="child", birth_date="H1.2.3"
                ),
            ]
        )
    )
    window.household_list.reload_now()
    table = window.household_list.table
    table.setFocus()
    table.selectRow(0)
    key(qtbot, table, Qt.Key.Key_Return)
    editor = only_editor(window)
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(editor.isActiveWindow)
    panel = editor.members
    panel.table.setFocus()
    key(qtbot, panel.table, Qt.Key.Key_Down)
    assert panel.given_name.text() == "次郎"
    panel.given_name.selectAll()
    panel.given_name.setFocus()
    type_here("二郎")
    key(qtbot, editor, Qt.Key.Key_S, CTRL)
    assert not editor.isVisible()
    again = service.get(saved.id)
    assert [m.given_name for m in again.current_members] == ["花子", "二郎"]
    assert again.current_members[1].id == saved.current_members[1].id


def test_escape_with_unsaved_changes_asks_first(
    qtbot: QtBot, window: MainWindow, db: Database, prompter: FakePrompter
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    qtbot.waitExposed(editor)
    editor.form.phone.selectAll()
    qtbot.keyClicks(editor.form.phone, "0768-22-1111")

    prompter.unsaved_answer = Discard.CANCEL
    key(qtbot, editor.form.phone, Qt.Key.Key_Escape)
    assert prompter.asked == ["unsaved"]
    assert editor.isVisible()

    prompter.unsaved_answer = Discard.DISCARD
    key(qtbot, editor.form.phone, Qt.Key.Key_Escape)
    assert prompter.asked == ["unsaved", "unsaved"]
    assert not editor.isVisible()
    assert HouseholdService(db).get(saved.id).phone == "09012345678"


def test_escape_without_changes_closes_without_asking(
    qtbot: QtBot, window: MainWindow, db: Database, prompter: FakePrompter
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    key(qtbot, editor.form.phone, Qt.Key.Key_Escape)
    assert prompter.asked == []
    assert not editor.isVisible()


def test_save_from_the_prompt_saves_then_closes(
    qtbot: QtBot, window: MainWindow, db: Database, prompter: FakePrompter
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    editor.form.phone.setText("0768-22-1111")
    prompter.unsaved_answer = Discard.SAVE
    key(qtbot, editor.form.phone, Qt.Key.Key_Escape)
    assert not editor.isVisible()
    assert HouseholdService(db).get(saved.id).phone == "0768221111"


def test_invalid_input_shows_each_fields_message_and_saves_nothing(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    editor = new_editor(qtbot, window)
    key(qtbot, editor, Qt.Key.Key_T, ALT)
    qtbot.keyClicks(editor.form.phone, "12-34")
    key(qtbot, editor, Qt.Key.Key_M, ALT)
    type_here("山田")
    editor.members.birth_date.setFocus()
    qtbot.keyClicks(editor.members.birth_date, "H31.5.1")
    key(qtbot, editor, Qt.Key.Key_S, CTRL)

    assert editor.isVisible()
    assert editor.form.messages["phone"].text().startswith("電話番号の形式が正しくありません")
    member_messages = editor.members.messages
    assert member_messages["family_kana"].text() == "入力してください"
    assert member_messages["birth_date"].text() == "平成31年5月1日は平成の期間外です"
    assert editor.general_message.text() == "3 件の入力を確認してください"
    assert focused() is editor.form.phone  # the first field to fix
    assert HouseholdService(db).count() == 0

    # fixing the fields clears their messages as the user types
    editor.form.phone.setText("090-1234-5678")
    editor.validate()
    assert editor.form.messages["phone"].text() == ""


def test_duplicate_person_warning_before_saving(
    qtbot: QtBot, window: MainWindow, db: Database, prompter: FakePrompter
) -> None:
    HouseholdService(db).create(household())
    editor = window.new_household()
    panel = editor.members
    panel.family_name.setText("山田")
    panel.family_kana.setText("ヤマダ")
    panel.given_kana.setText("ハナコ")
    panel.birth_date.setText("1945-05-03")
    prompter.confirm_answer = False
    assert not editor.save()
    assert "N24-000001 山田 花子" in prompter.confirms[0]
    assert HouseholdService(db).count() == 1
    prompter.confirm_answer = True
    assert editor.save()
    assert HouseholdService(db).count() == 2


def test_record_consent_and_a_move_with_the_household(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    consent = editor.consent
    assert "有効な同意がありません" in consent.status.text()
    consent.record_group.setChecked(True)
    assert consent.consented_on.text()  # today, filled in when the group is ticked
    consent.consented_on.setText("R6.5.1")
    consent.purposes.boxes["support"].setChecked(True)
    consent.recipients.boxes["assigned_venue"].setChecked(True)
    consent.staff.setText("佐藤")
    move = editor.residence
    move.move_group.setChecked(True)
    move.evacuation_status.set_code("deemed_housing")
    move.moved_on.setText("R6.6.1")
    move.place.setText("石川県金沢市鞍月1-1")
    assert editor.save()

    again = HouseholdService(db).get(saved.id)
    assert again.current_consent is not None and again.current_consent.purposes == ["support"]
    assert again.evacuation_status == "deemed_housing"
    assert again.current_address == "石川県金沢市鞍月1-1"
    assert [r.evacuation_status for r in again.residences] == ["hotel", "deemed_housing"]

    reopened = window.open_household(saved.id)
    assert "有効な同意があります" in reopened.consent.status.text()
    assert reopened.residence.history.rowCount() == 2
    reopened.consent.withdraw_group.setChecked(True)
    reopened.consent.withdrawn_on.setText("2024-04-30")  # before the consent: refused
    assert not reopened.save()
    assert reopened.consent.messages["withdrawn_on"].text() == "終了日は開始日より後にしてください"
    reopened.consent.withdrawn_on.setText("2024-07-01")
    assert reopened.save()
    withdrawn = HouseholdService(db).get(saved.id).current_consent
    assert withdrawn is not None and withdrawn.withdrawn_on.isoformat() == "2024-07-01"


def test_consent_errors_stay_on_the_consent_tab_and_nothing_is_saved(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    editor.form.phone.setText("0768-22-1111")
    editor.consent.record_group.setChecked(True)  # but no purpose chosen
    assert not editor.save()
    assert editor.consent.messages["purposes"].text() == "利用目的を1つ以上選んでください"
    assert editor.tabs.currentIndex() == 1
    again = HouseholdService(db).get(saved.id)
    assert again.phone == "09012345678" and again.consents == []


def test_member_add_remove_and_set_head(qtbot: QtBot, window: MainWindow, db: Database) -> None:
    editor = window.new_household()
    panel = editor.members
    panel.family_name.setText("輪島")
    panel.family_kana.setText("ワジマ")
    panel.add_member()
    panel.given_name.setText("大輔")
    panel.given_kana.setText("ダイスケ")
    panel.make_current_head()
    assert [m.relation for m in panel.members] == ["other", "head"]
    panel.select(0)
    panel.remove_current()
    assert [m.given_name for m in panel.members] == ["大輔"]
    assert editor.save()
    (row,) = HouseholdService(db).search("")
    assert row.head_name == "輪島 大輔"


def test_ctrl_n_opens_the_editor_of_the_section_showing(qtbot: QtBot, window: MainWindow) -> None:
    window.show_section("venues")
    window.venue_list.filter_box.setFocus()
    key(qtbot, window.venue_list.filter_box, Qt.Key.Key_N, CTRL)
    assert window.venue_list.editor is not None
    assert window.venue_list.editor.windowTitle() == "会場の登録"
    assert window.editors == {}
    window.venue_list.editor._closing = True  # type: ignore[attr-defined]
    window.venue_list.editor.close()


def test_record_a_visit_and_a_checkin_from_the_household(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    pages = dict((title, page) for page, title in editor.activity.pages())
    editor.tabs.setCurrentWidget(pages["訪問"])  # where the user presses 訪問・電話を記録…
    visit = editor.activity.record_visit()
    assert visit is not None
    visit.summary.setPlainText("体調を確認")
    assert visit.save()
    assert editor.activity.visit_model.rowCount() == 1  # the tab refreshed itself
    editor.tabs.setCurrentWidget(pages["チェックイン"])
    checkin = editor.activity.record_checkin()
    assert checkin is not None
    for box, answers in (
        (checkin.boxes["k6"], [1, 1, 0, 1, 0, 0]),
        (checkin.boxes["ucla3"], [2, 2, 1]),
    ):
        for combo, answer in zip(box.items, answers, strict=True):
            combo.setCurrentIndex(combo.findData(str(answer)))
    assert checkin.save()
    assert editor.activity.checkin_model.rowCount() == 1
    assert editor.activity.trend_chart.series["K6"] == [3.0]
    assert not editor.is_dirty()  # recorded at once, apart from the editor's Save


def _two_people(db: Database) -> str:
    saved = HouseholdService(db).create(
        household(
            members=[
                member(family_name="能登", family_kana="ノト", given_name="太郎"),
                member(
                    family_name="能登", family_kana="ノト", given_name="花子",
                    given_kana="ハナコ", relation="spouse",
                ),
            ]
        )
    )  # fmt: skip
    return str(saved.id)


def test_alt_a_then_ctrl_s_saves_no_phantom_member(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    """Alt+A pre-fills the family name; saving without typing anything into the row drops it."""
    household_id = uuid.UUID(_two_people(db))
    editor = opened(qtbot, window, household_id)
    key(qtbot, editor, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: editor.members.model.rowCount() == 3)
    assert editor.members.family_name.text() == "能登"
    key(qtbot, focused(), Qt.Key.Key_S, CTRL)
    assert not editor.isVisible()
    saved = HouseholdService(db).get(household_id)
    assert [m.full_name for m in saved.current_members] == ["能登 太郎", "能登 花子"]


def test_an_added_member_typed_into_without_a_given_name_is_refused_on_its_row(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    household_id = uuid.UUID(_two_people(db))
    editor = opened(qtbot, window, household_id)
    panel = editor.members
    key(qtbot, editor, Qt.Key.Key_A, ALT)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 3)
    panel.birth_date.setFocus()
    qtbot.keyClicks(panel.birth_date, "H20.4.1")
    key(qtbot, focused(), Qt.Key.Key_S, CTRL)
    assert editor.isVisible()
    assert panel.current_index() == 2 and focused() is panel.given_name
    assert panel.messages["given_name"].text().startswith("名を入力してください")
    assert len(HouseholdService(db).get(household_id).current_members) == 2
    type_here("一郎")
    key(qtbot, focused(), Qt.Key.Key_S, CTRL)
    assert not editor.isVisible()
    saved = HouseholdService(db).get(household_id)
    assert [m.full_name for m in saved.current_members] == ["能登 太郎", "能登 花子", "能登 一郎"]


def test_the_trend_of_a_household_without_check_ins_says_there_are_none(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    chart = editor.activity.trend_chart
    editor.tabs.setCurrentWidget(next(p for p, t in editor.activity.pages() if t == "チェックイン"))
    qtbot.waitUntil(chart.empty.isVisible)
    assert "記録がありません" in chart.empty.text()
    assert not chart.plot.isVisible()  # no 0–1 axis pretending to be a chart
    checkin = editor.activity.record_checkin()
    assert checkin is not None
    for combo in checkin.boxes["k6"].items:
        combo.setCurrentIndex(combo.findData("1"))
    assert checkin.save()
    qtbot.waitUntil(chart.plot.isVisible)
    assert not chart.empty.isVisible()
