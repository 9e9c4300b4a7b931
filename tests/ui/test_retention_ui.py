"""The retention purge from the File menu: listed, confirmed, then erased (administrators)."""

from __future__ import annotations

from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.services.households import HouseholdService
from evacsupport.ui.main_window import MainWindow
from tests.factories import household, member
from tests.ui.fakes import FakePrompter


def test_an_administrator_purges_households_closed_long_ago(qtbot: QtBot, db: Database) -> None:
    people = HouseholdService(db)
    old = people.create(household(members=[member(given_name="古子")]))
    kept = people.create(household(members=[member(given_name="今子")]))
    people.close(old.id, "2020-01-10")
    prompter = FakePrompter(confirm_answer=False, text_answer="２４")
    window = MainWindow(db, prompter=prompter, settings=Settings())
    qtbot.addWidget(window)

    assert window.purge_expired() is None  # asked for the months, listed, not confirmed
    assert (
        old.case_number in prompter.confirms[-1] and kept.case_number not in prompter.confirms[-1]
    )
    assert people.get(old.id).current_members[0].given_name == "古子"

    prompter.confirm_answer = True
    assert window.purge_expired() == [old.case_number]
    assert people.get(old.id).current_members[0].given_name != "古子"
    assert people.get(kept.id).current_members[0].given_name == "今子"


def test_a_coordinator_may_not_purge(qtbot: QtBot, db: Database) -> None:
    accounts = AccountService(db)
    accounts.create("admin", "noto-2024!", "admin")
    sign_in(db, accounts.authenticate("admin", "noto-2024!"))
    accounts.create("sato", "noto-2024!", "coordinator")
    sign_in(db, accounts.authenticate("sato", "noto-2024!"))
    prompter = FakePrompter()
    window = MainWindow(db, prompter=prompter, settings=Settings())
    qtbot.addWidget(window)
    assert window.purge_expired() is None
    assert "コーディネーターの権限ではこの操作はできません" in prompter.errors[-1]
