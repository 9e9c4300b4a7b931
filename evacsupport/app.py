"""Qt start-up: the only module that creates the QApplication."""

from __future__ import annotations

import sys

from sqlalchemy import URL

from evacsupport import __version__
from evacsupport.errors import StorageError


def run_gui(url: URL) -> int:
    from PySide6.QtWidgets import QApplication, QMessageBox

    from evacsupport.db.engine import Database
    from evacsupport.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("evacsupport")
    app.setApplicationVersion(__version__)
    try:
        db = Database(url)
    except StorageError as exc:
        QMessageBox.critical(None, "evacsupport", exc.message())
        return 1
    window = MainWindow(db)
    window.show()
    try:
        return app.exec()
    finally:
        db.close()
