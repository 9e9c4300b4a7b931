"""The window comes back where it was left: size, place and splitters, kept on a smaller screen."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication, QSplitter
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.ui.main_window import MainWindow
from tests.ui.fakes import FakePrompter


def make_window(qtbot: QtBot, db: Database, state: Path) -> MainWindow:
    window = MainWindow(
        db,
        prompter=FakePrompter(),
        settings=Settings(),
        window_state=QSettings(str(state), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(window)
    return window


def test_size_and_splitters_are_restored(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    state = tmp_path / "window.ini"
    first = make_window(qtbot, db, state)
    first.show()
    first.resize(first.minimumSizeHint().width(), 580)  # the default is 1200 × 760
    first.show_section("audit")
    splitter = first.sections["audit"].findChild(QSplitter)
    assert splitter is not None
    default = splitter.sizes()
    half = sum(default) // 2
    splitter.setSizes([half, sum(default) - half])  # the lower pane (the details) made larger
    QApplication.processEvents()
    lower = splitter.sizes()[1]
    assert lower > default[1] + 40
    first.close()
    assert state.is_file()

    second = make_window(qtbot, db, state)
    assert second.height() == 580  # (the offscreen screen is narrower than the window)
    second.show()
    second.show_section("audit")
    restored = second.sections["audit"].findChild(QSplitter)
    assert restored is not None
    QApplication.processEvents()
    assert abs(restored.sizes()[1] - lower) <= 8


def test_a_window_left_off_a_larger_screen_comes_back_onto_this_one(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    state = tmp_path / "window.ini"
    first = make_window(qtbot, db, state)
    first.resize(3000, 2000)
    first.move(5000, 4000)  # on a big second monitor that is gone now
    first.save_window_state()
    first.hide()

    second = make_window(qtbot, db, state)
    second.show()
    available = second.screen().availableGeometry()
    assert available.contains(second.geometry().topLeft())  # the title bar can be grabbed
    # no larger than the screen, unless the window cannot be made that small
    assert second.width() <= max(available.width(), second.minimumSizeHint().width())
    assert second.height() < 2000


def test_the_navigation_fits_its_longest_name(qtbot: QtBot, db: Database, tmp_path: Path) -> None:
    window = make_window(qtbot, db, tmp_path / "window.ini")
    font = window.nav.font()
    font.setPointSizeF(font.pointSizeF() * 2)  # as a larger font setting would
    window.nav.setFont(font)
    window._fit_navigation()
    metrics = window.nav.fontMetrics()
    widest = max(
        metrics.horizontalAdvance(window.nav.item(r).text()) for r in range(window.nav.count())
    )
    assert window.nav.width() > widest
