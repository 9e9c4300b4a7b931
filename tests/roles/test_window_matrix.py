"""The window as each role meets it, generated from ``GRANTS``: the sections, the menu actions
and the report choices a role may not use are hidden, and every one it may use opens without
a refusal. A new menu action must either say what it needs or be listed as harmless here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QMenu, QTabWidget
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings, sqlite_url
from evacsupport.db import Database
from evacsupport.domain.codes import Role
from evacsupport.domain.roles import GRANTS, Permission
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.ui.main_window import MainWindow
from tests.roles import world
from tests.roles.world import PASSWORD, USERS, World
from tests.ui.fakes import FakePrompter

HARMLESS = {
    "データベースを開く(&O)…",  # opening another database asks for its own sign-in
    "新しいデータベース(&W)…",
    "設定(&T)…",  # read-only for roles that may not change settings (its own test)
    "終了(&Q)",
    "世帯を検索(&S)",  # shows the household section, which is itself gated
    "最新の情報に更新(&R)",
    "日本語",
    "English",
    "データフォルダを開く(&D)",
    "このアプリについて(&A)",
}
"""Menu actions any signed-in person may use: they read or change nothing of the caseload."""

REPORT_NEEDS = {
    "monthly": Permission.AGGREGATE_REPORTS,
    "venue": Permission.AGGREGATE_REPORTS,
    "case": Permission.PERSONAL_REPORTS,
    "cards": Permission.ROSTER,
    "roster": Permission.ROSTER,
    "export:households": Permission.PERSONAL_REPORTS,
    "export:members": Permission.PERSONAL_REPORTS,
    "export:meals": Permission.PERSONAL_REPORTS,
}


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("window-world") / "world.sqlite3"
    return path, world.build(path)


Opened = tuple[MainWindow, FakePrompter]


@pytest.fixture
def window_as(
    qtbot: QtBot, template: tuple[Path, World], tmp_path: Path
) -> Iterator[Callable[[Role], Opened]]:
    """The main window signed in as the world's account of a role."""
    opened: list[Database] = []

    def make(role: Role) -> Opened:
        db = Database(sqlite_url(world.copy(template[0], tmp_path / f"{role}.sqlite3")))
        opened.append(db)
        sign_in(db, AccountService(db).authenticate(USERS[role], PASSWORD))
        Settings().save()
        prompter = FakePrompter()
        window = MainWindow(db, prompter=prompter, settings=Settings())
        qtbot.addWidget(window)
        return window, prompter

    yield make
    for db in opened:
        db.close()


def _actions(window: MainWindow) -> Iterator[QAction]:
    for menu in window.menuBar().findChildren(QMenu):
        for action in menu.actions():
            if not action.isSeparator() and action.menu() is None:
                yield action


def _allowed(role: Role, needs: tuple[Permission, ...]) -> bool:
    return not needs or any(p in GRANTS[role] for p in needs)


@pytest.mark.parametrize("role", list(Role))
def test_each_role_sees_only_what_it_may_use(
    window_as: Callable[[Role], Opened], role: Role
) -> None:
    window, _prompter = window_as(role)
    sections = [
        name for row, name in enumerate(window.SECTIONS) if not window.nav.item(row).isHidden()
    ]
    assert sections == [
        name for name in window.SECTIONS if _allowed(role, window.SECTION_PERMISSIONS[name])
    ]
    gated = {id(action): needs for action, needs in window._needs}
    for action in _actions(window):
        if id(action) in gated:
            assert action.isVisible() == _allowed(role, gated[id(action)]), action.text()
        else:
            assert action.text() in HARMLESS, f"menu action {action.text()!r} says no permission"
    reports = window.sections["reports"]
    if "reports" in sections:
        offered = [reports.form.kind.itemData(i) for i in range(reports.form.kind.count())]
        assert offered == [k for k, needs in REPORT_NEEDS.items() if needs in GRANTS[role]]
        unsuppress = Permission.PERSONAL_REPORTS in GRANTS[role]
        assert reports.form.suppress.isEnabled() == unsuppress
        assert reports.isTabVisible(1) == (Permission.AGGREGATE_REPORTS in GRANTS[role])


@pytest.mark.parametrize("role", list(Role))
def test_every_section_a_role_sees_opens_without_a_refusal(
    qtbot: QtBot, window_as: Callable[[Role], Opened], role: Role
) -> None:
    window, prompter = window_as(role)
    window.show()
    for row, name in enumerate(window.SECTIONS):
        if window.nav.item(row).isHidden():
            continue
        window.show_section(name)
        qtbot.wait(50)
        for tabs in [*window.sections[name].findChildren(QTabWidget), window.sections[name]]:
            if not isinstance(tabs, QTabWidget):
                continue
            for index in range(tabs.count()):
                if tabs.isTabVisible(index):
                    tabs.setCurrentIndex(index)  # each tab loads when it is first shown
                    qtbot.wait(30)
    qtbot.wait(300)  # background loads report back
    shown = " ".join(label.text() for label in window.findChildren(QLabel))
    assert "権限ではこの操作はできません" not in shown and "サインインしてから" not in shown
    assert not prompter.errors, prompter.errors


def test_venue_staff_counter_and_roster_offer_only_their_venue(
    window_as: Callable[[Role], Opened],
) -> None:
    window, _prompter = window_as(Role.VENUE_STAFF)
    window.show_section("meals")
    counter = window.counter.venue
    assert [counter.itemText(i) for i in range(counter.count())] == ["こども食堂わじま"]
    window.show_section("reports")
    roster = window.sections["reports"].form.roster_venue
    assert [roster.itemText(i) for i in range(roster.count())] == ["こども食堂わじま"]
