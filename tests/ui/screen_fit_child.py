"""Run by ``test_screen_fit.test_a_real_small_screen`` in a process of its own, whose offscreen
screen is the one named by ``QT_QPA_PLATFORM`` (``offscreen:configfile=…``): every dialog is
opened without patching anything, and what is wrong is printed as a JSON list."""

from __future__ import annotations

import json
import sys
import tempfile
from datetime import date
from pathlib import Path

from PySide6.QtCore import QRect, QSettings
from PySide6.QtWidgets import QApplication


def main() -> int:
    app = QApplication(sys.argv)
    from evacsupport.config import Settings, sqlite_url
    from evacsupport.db import Database
    from evacsupport.services import demo
    from evacsupport.ui.main_window import MainWindow
    from evacsupport.ui.widgets.screen_fit import FRAME
    from tests.ui.fakes import FakePrompter
    from tests.ui.test_screen_fit import OPENERS, cut_off

    problems: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(sqlite_url(Path(tmp) / "demo.sqlite3"))
        demo.generate(db, households=30, seed=3, today=date(2024, 6, 30))
        settings = Settings(idle_lock_minutes=0, backup_folder=str(Path(tmp) / "backups"))
        state = QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat)
        window = MainWindow(db, prompter=FakePrompter(), settings=settings, window_state=state)
        window.show()
        area = window.screen().availableGeometry()
        print(f"screen {area.width()}x{area.height()}", file=sys.stderr)
        if not area.contains(QRect(window.frameGeometry().topLeft(), window.size() + FRAME)):
            problems.append(f"main window {window.geometry()} is not within {area}")
        for key, opener in OPENERS.items():
            dialog = opener(window)
            dialog.show()
            app.processEvents()
            frame = QRect(dialog.frameGeometry().topLeft(), dialog.size() + FRAME)
            if not area.contains(frame):
                problems.append(f"{key}: {frame} is not within {area}")
            problems += [f"{key}: {problem}" for problem in cut_off(dialog)]
            if hasattr(dialog, "_closing"):
                dialog._closing = True
            dialog.done(0)
            dialog.deleteLater()
        window.close()
        db.close()
    print(json.dumps(problems, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
