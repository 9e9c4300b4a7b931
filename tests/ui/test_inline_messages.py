"""Inline validation messages (widgets.fields.FieldMessage) in every form: a message never moves
the rows under the pointer, and a form says nothing about a field before it was touched (changed,
then left) or the form was saved."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.households import HouseholdService
from evacsupport.ui.context import AppContext
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.contacts.visit_dialog import VisitDialog
from evacsupport.ui.views.households.editor import HouseholdEditor
from evacsupport.ui.views.venues.editor import VenueEditor
from evacsupport.ui.widgets.fields import FieldMessage
from tests.factories import household
from tests.ui.fakes import FakePrompter


@pytest.fixture
def window(qtbot: QtBot, db: Database) -> Iterator[MainWindow]:
    win = MainWindow(db, prompter=FakePrompter(), settings=Settings())
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    for editor in list(win.editors.values()):
        editor._closing = True
        editor.close()


def where(widget: QWidget) -> QRect:
    """The widget's rectangle in its window, as the pointer sees it."""
    return QRect(widget.mapTo(widget.window(), QPoint(0, 0)), widget.size())


def settle(qtbot: QtBot, editor: HouseholdEditor) -> None:
    """Let the typing timer run its validation and the layouts settle."""
    qtbot.wait(editor._timer.interval() + 50)
    qtbot.wait(10)


def shown(messages: dict[str, FieldMessage]) -> dict[str, str]:
    return {name: m.text() for name, m in messages.items() if m.text()}


def test_consent_rows_stay_put_when_the_purpose_message_comes_and_goes(
    qtbot: QtBot, window: MainWindow, db: Database
) -> None:
    saved = HouseholdService(db).create(household())
    editor = window.open_household(saved.id)
    editor.tabs.setCurrentIndex(1)
    consent = editor.consent
    consent.record_group.setChecked(True)
    settle(qtbot, editor)
    sensitive = consent.data_categories.boxes["sensitive"]
    recipient = next(iter(consent.recipients.boxes.values()))
    before = (where(sensitive), where(recipient), where(consent.expires_on))

    assert not editor.save()  # no purpose chosen: the message appears under 利用目的
    qtbot.wait(10)
    assert consent.messages["purposes"].isVisible()
    assert (where(sensitive), where(recipient), where(consent.expires_on)) == before

    qtbot.mouseClick(consent.purposes.boxes["support"], Qt.MouseButton.LeftButton)
    settle(qtbot, editor)
    assert consent.messages["purposes"].text() == ""  # fixed: the message goes
    assert (where(sensitive), where(recipient), where(consent.expires_on)) == before


def test_a_new_household_says_nothing_until_a_field_is_touched(
    qtbot: QtBot, window: MainWindow
) -> None:
    editor = window.new_household()
    qtbot.waitExposed(editor)
    settle(qtbot, editor)
    members = editor.members
    assert shown(members.messages) == {}
    assert shown(editor.form.messages) == {}
    assert editor.general_message.text() == ""

    # typing in a field and emptying it again: still quiet while the focus is there
    members.family_name.setFocus()
    qtbot.keyClicks(members.family_name, "a")
    qtbot.keyClick(members.family_name, Qt.Key.Key_Backspace)
    settle(qtbot, editor)
    assert shown(members.messages) == {}
    # leaving it: now it speaks, and only about that field
    members.given_name.setFocus()
    settle(qtbot, editor)
    assert shown(members.messages) == {"family_name": "入力してください"}

    # saving speaks about every field
    assert not editor.save()
    assert members.messages["family_kana"].text() == "入力してください"


def test_household_rows_stay_put_when_messages_appear(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.new_household()
    qtbot.waitExposed(editor)
    settle(qtbot, editor)
    members = editor.members
    below = (members.given_kana, members.birth_date, members.relation, members.phone)
    before = [where(w) for w in below]
    form_before = [where(editor.form.notes), where(editor.form.phone)]
    editor.form.phone.setText("12")
    assert not editor.save()
    qtbot.wait(10)
    assert members.messages["family_name"].isVisible()
    assert editor.form.messages["phone"].isVisible()
    assert [where(w) for w in below] == before
    assert [where(editor.form.notes), where(editor.form.phone)] == form_before
    count = editor.general_message  # in the button row, and wide enough to be read
    assert count.isVisible() and count.text().endswith("件の入力を確認してください")
    assert count.width() >= count.fontMetrics().horizontalAdvance(count.text())


def test_a_long_message_keeps_its_one_line_and_is_whole_in_the_tooltip(qtbot: QtBot) -> None:
    field = QWidget()
    qtbot.addWidget(field)
    message = FieldMessage(field)
    height = message.sizeHint().height()
    text = "とても長い説明" * 30
    message.show_message(text)
    assert message.sizeHint().height() == height
    assert message.heightForWidth(80) == height
    assert message.text() == text and message.toolTip() == text


def test_venue_form_rows_stay_put_when_the_save_is_refused(qtbot: QtBot, db: Database) -> None:
    ctx = AppContext(db, prompter=FakePrompter(), settings=Settings())
    editor = VenueEditor(ctx)
    qtbot.addWidget(editor)
    editor.show()
    qtbot.waitExposed(editor)
    form = editor.form
    qtbot.wait(20)
    before = [where(w) for w in (form.operator, form.address, form.capacity, form.notes)]
    assert not editor.save()  # no name
    qtbot.wait(10)
    assert form.messages["name"].isVisible()
    assert [where(w) for w in (form.operator, form.address, form.capacity, form.notes)] == before


def test_visit_form_rows_stay_put_when_the_save_is_refused(qtbot: QtBot, db: Database) -> None:
    ctx = AppContext(db, prompter=FakePrompter(), settings=Settings())
    saved = HouseholdService(db).create(household())
    dialog = VisitDialog(ctx, saved.id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.visited_on.setText("昨日ではない日")
    qtbot.wait(20)  # the first layout pass (the scroll bar, if the screen is small)
    before = [where(dialog.staff), where(dialog.summary), where(dialog.follow_up_due)]
    assert not dialog.save()
    qtbot.wait(10)
    assert dialog.messages["visited_on"].isVisible()
    assert [where(dialog.staff), where(dialog.summary), where(dialog.follow_up_due)] == before
