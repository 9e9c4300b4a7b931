"""Every dialog from the keyboard: shown, it has the cursor in a field (typing goes in at once,
never onto a button), and Esc closes it.

The dialog classes are discovered from ``evacsupport/ui/views``, so a new dialog without a line
here fails the first test until someone says how to open it (or why it has no field).
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPlainTextEdit,
)
from pytestqt.qtbot import QtBot

import evacsupport.ui.views
from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.backup import policy_from_settings
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.ui.context import AppContext
from evacsupport.ui.prompts import Discard
from tests.factories import admin_account, household
from tests.ui.fakes import FakePrompter

# What takes typing: a field, a choice list, a list or table to move in.
INPUTS = (QLineEdit, QComboBox, QAbstractSpinBox, QPlainTextEdit, QAbstractItemView)


class World(NamedTuple):
    ctx: AppContext
    db: Database
    household_id: uuid.UUID
    venue_id: uuid.UUID
    tmp_path: Path


Make = Callable[[World], QDialog]


def _views(name: str) -> object:
    return importlib.import_module(f"evacsupport.ui.views.{name}")


def _value(world: World, arg: object) -> object:
    """``"@ctx"`` and the like name a part of the world; anything else is passed as it is."""
    return getattr(world, arg[1:]) if isinstance(arg, str) and arg.startswith("@") else arg


def _make(module: str, cls: str, *args: object, **kwargs: object) -> Make:
    def make(world: World) -> QDialog:
        values = [_value(world, a) for a in args]
        dialog = getattr(_views(module), cls)(*values, **kwargs)
        assert isinstance(dialog, QDialog)
        return dialog

    return make


def _restore(world: World) -> QDialog:
    from evacsupport.ui.views.backup.restore_dialog import RestoreDialog

    settings = Settings(backup_folder=str(world.tmp_path / "backups"))
    policy = policy_from_settings(settings, world.tmp_path / "x.sqlite3")
    return RestoreDialog(policy, world.ctx.prompter, lambda info, passphrase: False)


def _rules(world: World) -> QDialog:
    from evacsupport.ui.views.counter.rules_dialog import MealRulesDialog

    return MealRulesDialog(world.ctx, world.venue_id, "こども食堂 ひだまり")


DIALOGS: dict[str, Make] = {
    "SettingsDialog": _make("settings_dialog", "SettingsDialog", "@ctx"),
    "VisitDialog": _make("contacts.visit_dialog", "VisitDialog", "@ctx", "@household_id"),
    "CheckInDialog": _make("contacts.checkin_dialog", "CheckInDialog", "@ctx", "@household_id"),
    "ImportDialog": _make("imports.import_dialog", "ImportDialog", "@ctx"),
    "HouseholdEditor": _make("households.editor", "HouseholdEditor", "@ctx", None),
    "MealRulesDialog": _rules,
    "ExportDialog": _make("sync.export_dialog", "ExportDialog", "@ctx", []),
    "RecoveryDialog": _make(
        "backup.recovery", "RecoveryDialog", "壊れています", [], can_restore=True
    ),
    "AdministratorDialog": _make("backup.recovery", "AdministratorDialog"),
    "RestoreDialog": _restore,
    "VenueEditor": _make("venues.editor", "VenueEditor", "@ctx"),
    "HouseholdPicker": _make("contacts.household_picker", "HouseholdPicker", "@ctx", "訪問を記録"),
    "LoginDialog": _make("signin.dialogs", "LoginDialog", "@db"),
    "FirstAdminDialog": _make("signin.dialogs", "FirstAdminDialog", "@db"),
    "LockDialog": _make("signin.dialogs", "LockDialog", "@db", prompter=FakePrompter()),
    "KeyDialog": _make("signin.keys", "KeyDialog", "@tmp_path"),
    "NewKeyDialog": _make("signin.keys", "NewKeyDialog", "@tmp_path"),
}
# Dialogs with nothing to type: the cursor rightly sits on what comes first.
WITHOUT_FIELDS = {
    "AllocateDialog": "its first step is the button that makes the plan (the default)",
    "AboutDialog": "read only: version, folders and licences",
    "LicenceTextDialog": "read only: one licence's text",
    "RecordDialog": "the base of the visit and check-in forms, never shown itself",
    "FormDialog": "the base of the sign-in and key forms, never shown itself",
    "PointPickerDialog": "the map has the keyboard: arrows move the pin (test_point_picker.py)",
}


def discovered() -> set[str]:
    names = set()
    for info in pkgutil.walk_packages(evacsupport.ui.views.__path__, "evacsupport.ui.views."):
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            mine = cls.__module__ == info.name and not name.startswith("_")
            if mine and issubclass(cls, QDialog):
                names.add(name)
    return names


def test_every_dialog_of_the_views_is_checked_here() -> None:
    assert discovered() == set(DIALOGS) | set(WITHOUT_FIELDS)


@pytest.fixture
def world(db: Database, tmp_path: Path) -> World:
    admin_account(db)
    venue = VenueService(db).create(VenueInput(name="こども食堂 ひだまり", capacity=30))
    saved = HouseholdService(db).create(household())
    prompter = FakePrompter(unsaved_answer=Discard.DISCARD)
    ctx = AppContext(db, prompter=prompter, settings=Settings())
    return World(ctx, db, saved.id, venue.id, tmp_path)


@pytest.mark.parametrize("name", sorted(DIALOGS))
def test_a_dialog_opens_with_the_cursor_in_a_field_and_esc_closes_it(
    qtbot: QtBot, world: World, name: str
) -> None:
    dialog = DIALOGS[name](world)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    focus = QApplication.focusWidget()
    assert isinstance(focus, INPUTS), f"{name}: the keyboard is on {focus!r}"
    assert focus.window() is dialog
    qtbot.keyClick(focus, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible(), timeout=2000)
