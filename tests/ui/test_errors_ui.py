"""No failure shows personal data or a traceback: the window shows our own message, the log file
gets the details (issue #15, item 7).

A database error's text holds the SQL statement and its parameters. The tests make real ones
with a person's name and phone number in them (an extra unique index the app does not have,
so a save or an import collides with a household already stored) and look at what the user is
shown and what the log file holds.
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.errors import EvacError, UnexpectedError
from evacsupport.importers import households as household_importer
from evacsupport.services import households as households_module
from evacsupport.services.households import HouseholdService
from evacsupport.ui import errors as ui_errors
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import ExceptionHook, install_exception_hook
from evacsupport.ui.tasks import run_in_background
from evacsupport.ui.views.households.editor import HouseholdEditor
from evacsupport.ui.views.imports.import_dialog import ImportDialog
from evacsupport.ui.views.sections import overview
from evacsupport.ui.views.sections.overview import DashboardPage
from tests.factories import household
from tests.importers.helpers import person, write_csv
from tests.ui.fakes import FakePrompter

PHONE = "09012345678"  # the phone of tests.factories.household and tests.importers.helpers.person
RACE = "別の保存が同じ世帯番号を使いました。もう一度保存してください"


def assert_nothing_personal(shown: str, *names: str) -> None:
    for value in (PHONE, "090-1234-5678", *names):
        assert value not in shown
    assert "INSERT" not in shown and "Traceback" not in shown and "[SQL" not in shown


def unexpected_text(log_file: Path) -> str:
    return f"予期しないエラーが起きました。詳しい内容はログファイル {log_file} に書き込みました"


@pytest.fixture
def phones_unique(db: Database) -> Database:
    """A unique index the app does not have: saving a second household with the same phone
    fails in the database with the row's values (names, phone) in the error's text."""
    with db.session() as session:
        session.execute(text("CREATE UNIQUE INDEX test_household_phone ON household (phone)"))
    return db


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """Another app instance on the same database (a second laptop on the office server)."""
    database = Database(db.url)
    yield database
    database.close()


def context(db: Database) -> AppContext:
    return AppContext(db, prompter=FakePrompter(), settings=Settings())


# --- the import dialog --------------------------------------------------------------------------


def import_dialog(qtbot: QtBot, db: Database, path: Path) -> ImportDialog:
    dialog = ImportDialog(context(db))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(path))
    return dialog


def check_and_wait(qtbot: QtBot, dialog: ImportDialog) -> None:
    dialog.check_button.click()
    qtbot.waitUntil(lambda: dialog.check_button.isEnabled() and bool(dialog.summary.text()))


def test_the_import_dialog_shows_no_personal_data_of_a_database_error(
    qtbot: QtBot, phones_unique: Database, tmp_path: Path, log_file: Path
) -> None:
    HouseholdService(phones_unique).create(household())
    path = write_csv(tmp_path / "list.csv", [person("101", 氏名="能登 花子")])
    dialog = import_dialog(qtbot, phones_unique, path)
    check_and_wait(qtbot, dialog)
    shown = dialog.summary.text()
    assert shown == unexpected_text(log_file)
    assert_nothing_personal(shown, "能登", "花子", "ノト")
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error (background task ImportDialog._start.<locals>.work)" in logged
    assert "IntegrityError" in logged and PHONE in logged  # the details, in the log only


def stale_numbers(*_args: object) -> Iterator[str]:
    """Numbers as a stale read would give them: one another save has already taken. (On SQLite
    the write lock makes that impossible; a PostgreSQL server shared by two laptops does not.)"""
    yield "N24-000001"


def test_the_import_dialog_says_try_again_when_a_number_was_taken_meanwhile(
    qtbot: QtBot,
    db: Database,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    HouseholdService(db).create(household())
    monkeypatch.setattr(household_importer, "case_numbers", stale_numbers)
    dialog = import_dialog(qtbot, db, write_csv(tmp_path / "list.csv", [person("101")]))
    check_and_wait(qtbot, dialog)
    assert dialog.summary.text() == RACE


# --- the household editor -----------------------------------------------------------------------


def new_household_editor(qtbot: QtBot, ctx: AppContext) -> HouseholdEditor:
    editor = HouseholdEditor(ctx, None)
    qtbot.addWidget(editor)
    editor.show()
    panel = editor.members
    panel.family_name.setText("能登")
    panel.given_name.setText("花子")
    panel.family_kana.setText("ノト")
    panel.given_kana.setText("ハナコ")
    panel.birth_date.setText("1950-01-01")
    editor.form.phone.setText("090-1234-5678")
    return editor


def close(editor: HouseholdEditor) -> None:
    editor._closing = True
    editor.close()


def test_the_editor_shows_no_personal_data_of_a_database_error(
    qtbot: QtBot, phones_unique: Database, log_file: Path
) -> None:
    HouseholdService(phones_unique).create(household())
    ctx = context(phones_unique)
    editor = new_household_editor(qtbot, ctx)
    assert not editor.save()
    assert editor.isVisible()  # the form stays as typed
    prompter = ctx.prompter
    assert isinstance(prompter, FakePrompter)
    assert prompter.errors == [unexpected_text(log_file)]
    assert_nothing_personal(prompter.errors[0], "能登", "花子", "ノト", "ハナコ")
    logged = log_file.read_text(encoding="utf-8")
    assert "unexpected error (background task household save)" in logged
    assert "Traceback (most recent call last)" in logged
    assert "IntegrityError" in logged and "ノト" in logged and PHONE in logged
    assert HouseholdService(phones_unique).count() == 1
    close(editor)


def test_the_editor_says_try_again_when_a_number_was_taken_meanwhile(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    HouseholdService(db).create(household())  # N24-000001; the disaster event exists from now on
    ctx = context(db)
    editor = new_household_editor(qtbot, ctx)
    editor.form.phone.setText("0768-22-1234")
    with monkeypatch.context() as patch:
        patch.setattr(households_module, "next_case_number", lambda *_: "N24-000001")
        assert not editor.save()
    assert isinstance(ctx.prompter, FakePrompter)
    assert ctx.prompter.errors == [RACE]
    assert editor.save()  # saving again takes the next number
    assert HouseholdService(db).get_by_case_number("N24-000002").phone == "0768221234"


# --- the dashboard ------------------------------------------------------------------------------


def test_the_dashboard_says_why_its_risk_chart_is_empty(
    qtbot: QtBot, db: Database, monkeypatch: pytest.MonkeyPatch, log_file: Path
) -> None:
    def failing_history(*_args: object, **_kwargs: object) -> list[object]:
        raise integrity_error()

    monkeypatch.setattr(overview, "risk_history", failing_history)
    page = DashboardPage(context(db))
    qtbot.addWidget(page)
    page.refresh()
    chart = page.risk_chart
    qtbot.waitUntil(lambda: bool(chart.legend.findChildren(QLabel)))
    (label,) = chart.legend.findChildren(QLabel)
    assert label.text() == unexpected_text(log_file)
    assert chart.series == {}


# --- background tasks, slots and threads --------------------------------------------------------


def integrity_error() -> IntegrityError:
    return IntegrityError(
        "INSERT INTO member (family_name, phone) VALUES (?, ?)",
        ("能登", PHONE),
        sqlite3.IntegrityError("CHECK constraint failed: member"),
    )


def test_a_background_task_hands_over_only_our_message(qtbot: QtBot, log_file: Path) -> None:
    failures: list[EvacError] = []

    def work() -> None:
        raise integrity_error()

    run_in_background(work, lambda _result: None, failures.append)
    qtbot.waitUntil(lambda: bool(failures))
    (error,) = failures
    assert isinstance(error, UnexpectedError)
    assert str(error) == unexpected_text(log_file)
    assert PHONE in log_file.read_text(encoding="utf-8")


def test_the_exception_hook_logs_and_shows_the_generic_message_once(log_file: Path) -> None:
    shown: list[str] = []
    now = [100.0]
    hook = ExceptionHook(
        lambda _parent, message: shown.append(message), lambda: None, clock=lambda: now[0]
    )
    exc = integrity_error()
    hook(type(exc), exc, None)
    assert shown == [unexpected_text(log_file)]
    hook(type(exc), exc, None)  # a repaint failing again at once: logged, not shown again
    assert len(shown) == 1
    now[0] += 10
    hook(type(exc), exc, None)
    assert len(shown) == 2
    logged = log_file.read_text(encoding="utf-8")
    assert logged.count("unexpected error (uncaught)") == 3


def test_the_exception_hook_shows_our_own_errors_as_they_are(log_file: Path) -> None:
    shown: list[str] = []
    hook = ExceptionHook(lambda _parent, message: shown.append(message), lambda: None)
    error = EvacError("household.case_number_race")
    hook(EvacError, error, None)
    assert shown == [RACE]
    assert "uncaught EvacError: household.case_number_race" in log_file.read_text("utf-8")


def test_ctrl_c_is_left_to_pythons_own_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[type[BaseException]] = []
    monkeypatch.setattr(sys, "__excepthook__", lambda kind, _exc, _tb: seen.append(kind))
    shown: list[str] = []
    ExceptionHook(lambda _p, m: shown.append(m), lambda: None)(
        KeyboardInterrupt, KeyboardInterrupt(), None
    )
    assert seen == [KeyboardInterrupt] and shown == []


@pytest.mark.qt_no_exception_capture  # the app's own hook is under test, not pytest-qt's
def test_a_slot_that_raises_reaches_the_hook_not_the_terminal(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, log_file: Path
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # put back after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    monkeypatch.setattr(ui_errors, "_active_window", lambda: None)
    hook = install_exception_hook(lambda _parent, message: shown.append(message))
    assert sys.excepthook is hook

    def slot() -> None:
        raise integrity_error()

    QTimer.singleShot(0, slot)
    qtbot.waitUntil(lambda: bool(shown))
    assert shown == [unexpected_text(log_file)]
    assert "Traceback" in log_file.read_text(encoding="utf-8")

    worker = threading.Thread(target=slot, name="report-worker")
    worker.start()
    worker.join()
    assert "unexpected error (thread report-worker)" in log_file.read_text(encoding="utf-8")
    assert len(shown) == 1  # a thread outside Qt cannot show a box: the log has it
