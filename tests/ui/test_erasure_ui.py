"""The household editor's erasure action: administrators only, confirmed by the case number."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from evacsupport.db import Database
from evacsupport.services.erasure import ERASED
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.households.editor import HouseholdEditor
from tests.factories import household, member
from tests.ui.fakes import FakePrompter


def _editor(qtbot: QtBot, db: Database, prompter: FakePrompter) -> HouseholdEditor:
    ctx = AppContext(db, prompter=prompter)
    home = ctx.households.create(household(members=[member(given_name="消子")]))
    editor = HouseholdEditor(ctx, home.id)
    qtbot.addWidget(editor)
    return editor


def test_only_an_administrator_sees_the_erase_action(qtbot: QtBot, db: Database) -> None:
    db.role = "coordinator"
    editor = _editor(qtbot, db, FakePrompter())
    assert editor.erase_button is None


def test_erasure_needs_the_case_number_typed_back(qtbot: QtBot, db: Database) -> None:
    db.role = "admin"
    prompter = FakePrompter(text_answer="N24-999999")
    editor = _editor(qtbot, db, prompter)
    assert editor.erase_button is not None
    assert editor.erase_button.text() == "この世帯の個人情報を消去…"
    assert editor.household is not None
    number = editor.household.case_number

    editor.erase_button.click()
    assert prompter.errors == ["世帯番号が一致しません"]
    assert editor.ctx.households.get(editor.household.id).head.given_name == "消子"  # type: ignore[union-attr]

    prompter.text_answer = number.lower()
    editor.erase_button.click()
    assert editor.household.status == "closed"
    assert [m.family_name for m in editor.household.members] == [ERASED]
    assert any(number in info for info in prompter.infos)
    assert not editor.is_dirty()
