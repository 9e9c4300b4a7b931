"""Every dialog and every section on a coordinator's laptop screen: nothing below the edge.

The dialogs are found by walking ``evacsupport.ui.views`` for ``QDialog`` subclasses, so a new
dialog without a way to open it here fails :func:`test_every_dialog_has_a_case`. Each is opened
on 1366×768 and 1280×720 screens and on 1366×768 at 125 % scaling (a 1093×614 desktop), each
less a taskbar, in Japanese and in English: its frame must lie on the screen's available area, its
buttons outside any scroll area must be wholly visible, and no label, tab or date may be cut.

The offscreen platform's one screen is fixed for the process, so the in-process cases give the
sizing helper the screen to fit (``screen_fit.available_geometry``);
:func:`test_a_real_small_screen` opens every dialog again in a child process whose offscreen
screen really is 1093×614 (``QT_QPA_PLATFORM=offscreen:configfile=…``). The main window is
checked at 1024×700 and at 1366×768 with every section and tab shown.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import pkgutil
import subprocess
import sys
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QRect, QSettings, QSize
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QScrollArea,
    QTabBar,
    QTabWidget,
    QWidget,
)
from pytestqt.qtbot import QtBot

import evacsupport.ui.views
from evacsupport.app import install_translators
from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.i18n import set_language
from evacsupport.services.backup import policy_from_settings
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.widgets import screen_fit
from evacsupport.ui.widgets.fields import DateField
from tests.ui.fakes import FakePrompter

ROOT = Path(__file__).resolve().parents[2]

SCREENS = {
    "1366x768": QRect(0, 0, 1366, 728),  # a 40 px taskbar
    "1280x720": QRect(0, 0, 1280, 680),
    "1366x768at125": QRect(0, 0, 1093, 566),  # 614 logical pixels less a 48 px taskbar
}


# --- what the user cannot see ------------------------------------------------------------------
def _inside(widget: QWidget, top: QWidget) -> bool:
    """True when the widget is wholly inside every ancestor up to ``top`` (none clips it)."""
    rect = QRect(widget.mapTo(top, widget.rect().topLeft()), widget.size())
    parent = widget.parentWidget()
    while parent is not None:
        shown = QRect(parent.mapTo(top, parent.rect().topLeft()), parent.size())
        if not shown.contains(rect):
            return False
        if parent is top:
            return True
        parent = parent.parentWidget()
    return True


def _in_scroll_area(widget: QWidget, top: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None and parent is not top:
        if isinstance(parent, QScrollArea):
            return True
        parent = parent.parentWidget()
    return False


def _visible(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisibleTo(top) and widget.width() > 0 and widget.height() > 0


def cut_off(top: QWidget) -> list[str]:
    """What a user of ``top`` (a dialog or the main window) sees cut or cannot reach."""
    problems = []
    for button in top.findChildren(QAbstractButton):
        if isinstance(button.parentWidget(), QTabBar) or not _visible(button, top):
            continue
        if button.metaObject().className() in ("QToolButton", "QCalendarWidget"):
            continue  # a combo box's or tab bar's own arrows
        if not _in_scroll_area(button, top) and not _inside(button, top):
            problems.append(f"button {button.text()!r} is outside the window")
        if button.width() < button.minimumSizeHint().width():
            problems.append(f"button {button.text()!r} is squeezed")
    for box in top.findChildren(QDialogButtonBox):
        if _visible(box, top) and _in_scroll_area(box, top):
            problems.append("the dialog's buttons scroll away with the form")
    for label in top.findChildren(QLabel):
        if not _visible(label, top) or label.wordWrap() or not label.text():
            continue
        if label.pixmap() is not None and not label.pixmap().isNull():
            continue
        if label.width() < screen_fit.label_width(label):
            problems.append(f"label {label.text()!r} is cut ({label.width()} px)")
    for tabs in top.findChildren(QTabBar):
        if _visible(tabs, top) and tabs.width() < tabs.sizeHint().width():
            texts = [tabs.tabText(i) for i in range(tabs.count())]
            problems.append(f"tabs {texts} are cut ({tabs.width()} < {tabs.sizeHint().width()})")
    for field in top.findChildren(DateField):
        if _visible(field, top) and field.text():
            room = field.contentsRect().width() - 8  # the line edit's own text margins
            if field.fontMetrics().horizontalAdvance(field.text()) > room:
                problems.append(f"date {field.text()!r} is cut")
    return problems


def headers_cut(header: QHeaderView) -> list[str]:
    model = header.model()
    problems = []
    for section in range(header.count()):
        if header.isSectionHidden(section):
            continue
        text = str(model.headerData(section, header.orientation()))
        needed = header.fontMetrics().horizontalAdvance(text) + 12
        if header.sectionSize(section) < needed:
            problems.append(f"column {text!r} is cut ({header.sectionSize(section)} px)")
    return problems


# --- the dialogs ---------------------------------------------------------------------------------
def dialog_classes() -> dict[str, type[QDialog]]:
    """Every dialog class of the views, by module and name, leaving out shared bases (a class
    another found class derives from: it is opened through its subclasses)."""
    found: dict[str, type[QDialog]] = {}
    for info in pkgutil.walk_packages(evacsupport.ui.views.__path__, "evacsupport.ui.views."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, QDialog)
                and value.__module__ == module.__name__
            ):
                found[f"{module.__name__.removeprefix('evacsupport.ui.views.')}.{name}"] = value
    bases = {base for cls in found.values() for base in cls.__mro__[1:]}
    return {key: cls for key, cls in found.items() if cls not in bases}


Opener = Callable[[MainWindow], QDialog]


def _household(window: MainWindow) -> uuid.UUID:
    rows = window.household_list.model
    return max((rows.row_at(i) for i in range(rows.rowCount())), key=lambda r: r.member_count).id


def _venue(window: MainWindow) -> tuple[uuid.UUID, str]:
    venue = window.ctx.venues.list(include_inactive=False)[0]
    return venue.id, venue.name


def _open_allocation(window: MainWindow) -> QDialog:
    dialog = window.open_allocation()
    assert dialog is not None
    return dialog


def _open_restore(window: MainWindow) -> QDialog:
    from evacsupport.ui.views.backup.restore_dialog import RestoreDialog

    policy = policy_from_settings(window.ctx.settings, Path(window.ctx.db.description))
    return RestoreDialog(policy, FakePrompter(), lambda _info, _password: False, window)


def _openers() -> dict[str, Opener]:
    from evacsupport.ui.views.about import AboutDialog, LicenceTextDialog
    from evacsupport.ui.views.backup.recovery import AdministratorDialog, RecoveryDialog
    from evacsupport.ui.views.contacts.checkin_dialog import CheckInDialog
    from evacsupport.ui.views.contacts.household_picker import HouseholdPicker
    from evacsupport.ui.views.contacts.visit_dialog import VisitDialog
    from evacsupport.ui.views.counter.rules_dialog import MealRulesDialog
    from evacsupport.ui.views.imports.import_dialog import ImportDialog
    from evacsupport.ui.views.places.point_picker import PointPickerDialog
    from evacsupport.ui.views.signin.dialogs import FirstAdminDialog, LockDialog, LoginDialog
    from evacsupport.ui.views.signin.keys import KeyDialog, NewKeyDialog
    from evacsupport.ui.views.sync.export_dialog import ExportDialog
    from evacsupport.ui.views.venues.editor import VenueEditor

    licence = "\n".join(f"Line {n} of a licence text, as long as the MIT one." for n in range(200))
    return {
        "about.AboutDialog": lambda w: AboutDialog(w.ctx.db.description, w),
        "about.LicenceTextDialog": lambda w: LicenceTextDialog("MIT", licence, w),
        "assignment.allocate_dialog.AllocateDialog": _open_allocation,
        "backup.recovery.AdministratorDialog": lambda w: AdministratorDialog(w),
        "backup.recovery.RecoveryDialog": lambda w: RecoveryDialog(
            "データベースのファイルが壊れています。", [], can_restore=True, parent=w
        ),
        "backup.restore_dialog.RestoreDialog": _open_restore,
        "contacts.checkin_dialog.CheckInDialog": lambda w: CheckInDialog(w.ctx, _household(w), w),
        "contacts.household_picker.HouseholdPicker": lambda w: HouseholdPicker(
            w.ctx, "訪問を記録", w
        ),
        "contacts.visit_dialog.VisitDialog": lambda w: VisitDialog(w.ctx, _household(w), w),
        "counter.rules_dialog.MealRulesDialog": lambda w: MealRulesDialog(w.ctx, *_venue(w), w),
        "households.editor.HouseholdEditor": lambda w: w.open_household(_household(w)),
        "households.editor.HouseholdEditor (new)": lambda w: w.new_household(),
        "imports.import_dialog.ImportDialog": lambda w: ImportDialog(w.ctx, w),
        "places.point_picker.PointPickerDialog": lambda w: PointPickerDialog(
            None, "住所から位置を特定できません：番地より前の町名が見つかりません", w
        ),
        "settings_dialog.SettingsDialog": lambda w: w.open_settings(),
        "signin.dialogs.FirstAdminDialog": lambda w: FirstAdminDialog(w.ctx.db, w),
        "signin.dialogs.LockDialog": lambda w: LockDialog(w.ctx.db, w),
        "signin.dialogs.LoginDialog": lambda w: LoginDialog(w.ctx.db, w),
        "signin.keys.KeyDialog": lambda w: KeyDialog(Path(w.ctx.db.description), w),
        "signin.keys.NewKeyDialog": lambda w: NewKeyDialog(Path(w.ctx.db.description), w),
        "sync.export_dialog.ExportDialog": lambda w: ExportDialog(w.ctx, [], w),
        "venues.editor.VenueEditor": lambda w: VenueEditor(w.ctx, _venue(w)[0], w),
    }


OPENERS = _openers()


def test_every_dialog_has_a_case() -> None:
    opened = {key.split(" ")[0] for key in OPENERS}
    assert sorted(dialog_classes()) == sorted(opened)


# --- fixtures ------------------------------------------------------------------------------------
@pytest.fixture(params=["ja", "en"])
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QCoreApplication.instance()
    assert isinstance(app, QApplication)
    translators = install_translators(app, request.param)
    set_language(request.param)
    yield request.param
    for translator in translators:
        app.removeTranslator(translator)
    QLocale.setDefault(QLocale(QLocale.Language.Japanese))


@pytest.fixture
def window(qtbot: QtBot, demo_db: Database, tmp_path: Path, language: str) -> MainWindow:
    settings = Settings(language=language, idle_lock_minutes=0, backup_folder=str(tmp_path / "b"))
    state = QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)
    win = MainWindow(demo_db, prompter=FakePrompter(), settings=settings, window_state=state)
    qtbot.addWidget(win)
    return win


def _on_screen(monkeypatch: pytest.MonkeyPatch, area: QRect) -> None:
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _widget: QRect(area))


@pytest.mark.parametrize("screen", list(SCREENS))
@pytest.mark.parametrize("key", list(OPENERS))
def test_each_dialog_fits_the_screen(
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    window: MainWindow,
    key: str,
    screen: str,
) -> None:
    area = SCREENS[screen]
    _on_screen(monkeypatch, area)
    window.resize(area.size() - screen_fit.FRAME)
    window.move(area.topLeft())
    window.show()
    dialog = OPENERS[key](window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    frame = QRect(dialog.frameGeometry().topLeft(), dialog.size() + screen_fit.FRAME)
    assert area.contains(frame), f"{frame} is not within {area}"
    assert cut_off(dialog) == []
    if hasattr(dialog, "_closing"):
        dialog._closing = True  # never ask about unsaved changes on the way out
    dialog.done(0)


# --- the main window ------------------------------------------------------------------------------
FIRST = ("世帯番号", "要注意", "最終接触")
"""The household list's first columns: whom to call, and since when nobody did."""
WINDOW_SIZES = {"1024x700": QSize(1024, 700), "1366x768": QSize(1366, 728) - screen_fit.FRAME}


def _every_tab(page: QWidget) -> Iterator[None]:
    """Each tab of the page's tab widgets in turn (the page itself once when it has none)."""
    yield
    for tabs in page.findChildren(QTabWidget):
        for index in range(tabs.count()):
            if tabs.isTabVisible(index) and index != tabs.currentIndex():
                tabs.setCurrentIndex(index)
                yield


@pytest.mark.parametrize("size", list(WINDOW_SIZES))
def test_every_section_fits_the_window(qtbot: QtBot, window: MainWindow, size: str) -> None:
    window.resize(WINDOW_SIZES[size])
    window.show()
    qtbot.waitExposed(window)
    assert window.size() == WINDOW_SIZES[size]  # nothing holds the window wider or taller
    problems = []
    for name in window.SECTIONS:
        window.show_section(name)
        for _shown in _every_tab(window.sections[name]):
            qtbot.wait(20)
            problems += [f"{name}: {problem}" for problem in cut_off(window)]
    assert problems == []


def test_the_household_list_shows_what_matters_first(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(WINDOW_SIZES["1024x700"])
    window.show()
    window.show_section("households")
    qtbot.waitExposed(window)
    table = window.household_list.table
    header = table.horizontalHeader()
    model = table.model()
    headings = [str(model.headerData(c, header.orientation())) for c in range(model.columnCount())]
    shown = [headings[header.logicalIndex(v)] for v in range(header.count())]
    wanted = [QCoreApplication.translate("HouseholdTableModel", t) for t in FIRST]
    assert shown[:3] == wanted
    for visual in range(3):
        column = header.logicalIndex(visual)
        right = header.sectionViewportPosition(column) + header.sectionSize(column)
        assert right <= table.viewport().width(), f"{shown[visual]} is off the table's edge"
    assert headers_cut(header) == []


def test_a_real_small_screen(tmp_path: Path) -> None:
    """1366×768 at 125 %: the offscreen platform's screen made so from a config file, in a
    process of its own (a process has one such screen), every dialog opened as it comes."""
    config = tmp_path / "screens.json"
    screen = {"name": "laptop", "x": 0, "y": 0, "width": 1366, "height": 768}
    config.write_text(json.dumps({"screens": [screen | {"logicalDpi": 120, "dpr": 1}]}))
    env = os.environ | {
        "QT_QPA_PLATFORM": f"offscreen:configfile={config}",
        "PYTHONPATH": str(ROOT),
    }
    child = subprocess.run(
        [sys.executable, "-m", "tests.ui.screen_fit_child"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert child.returncode == 0, child.stderr[-3000:]
    assert "screen 1093x614" in child.stderr  # the screen really was the small one
    assert json.loads(child.stdout.strip().splitlines()[-1]) == []
