"""Child process of ``bench/run_all.py``: start the window on a database as ``evacsupport gui``
does, print when the household list has first been painted with rows, when it holds every
household and when its activity columns are complete, then type a search and quit. The parent
times the whole process from spawn and reads its peak RSS.

    .venv/bin/python bench/gui_start.py DATABASE.sqlite3 [--type TEXT]

It follows :func:`evacsupport.app.run_gui` step by step (QApplication, translations, icon, the
start-up check and open of the database with migrations, the main window and its first section)
except the sign-in: the generated data sets have no accounts, and a person choosing to create the
first administrator is not start-up time. Automatic backups are switched off so a benchmark run
never copies the data set. Runs offscreen unless ``QT_QPA_PLATFORM`` says otherwise.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(argv: list[str]) -> int:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from evacsupport import __version__
    from evacsupport.app import app_icon, install_translators, release_import_sources
    from evacsupport.config import Settings, sqlite_url
    from evacsupport.services.backup import policy_from_settings
    from evacsupport.ui.main_window import MainWindow
    from evacsupport.ui.views.backup.recovery import close_at_exit, open_at_start

    path = argv[0]
    typed = argv[argv.index("--type") + 1] if "--type" in argv else ""
    settings = Settings()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("evacsupport-bench")
    app.setApplicationVersion(__version__)
    QApplication.setWindowIcon(app_icon())
    install_translators(app, settings.language)
    db = open_at_start(sqlite_url(path), lambda p: policy_from_settings(settings, p))
    if db is None:
        return 1
    window = MainWindow(db, settings=settings)
    window.auto_backup.timer.stop()
    window.auto_backup.on_exit = lambda *a, **k: None  # type: ignore[method-assign]
    view = window.household_list
    viewport = view.table.viewport()

    class FirstPaint(QObject):
        done = False

        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if not self.done and event.type() == QEvent.Type.Paint and view.model.rowCount():
                self.done = True
                QTimer.singleShot(0, painted)
            return False

    total = view.model.total()

    def painted() -> None:
        print(f"painted {time.perf_counter() - STARTED:.4f} {view.model.rowCount()}", flush=True)
        watch.start(10)

    def watch_load() -> None:
        """A large caseload paints its first page; the rest and then the risk columns come
        in the background. Both moments are reported; the search is typed once all is in, so
        the peak RSS is that of the whole caseload."""
        nonlocal total
        if view.model.total() != total:
            total = view.model.total()
            print(f"all-rows {time.perf_counter() - STARTED:.4f} {total}", flush=True)
        if view._task is None and not view._pending:
            watch.stop()
            print(f"complete {time.perf_counter() - STARTED:.4f}", flush=True)
            for i in range(1, len(typed) + 1):  # a search typed after the list is shown
                view.search_box.setText(typed[:i])
                app.processEvents()
            print(f"typed {view.model.rowCount()}", flush=True)
            app.quit()

    watch = QTimer()
    watch.timeout.connect(watch_load)

    watcher = FirstPaint()
    viewport.installEventFilter(watcher)
    window.show()
    release_import_sources()
    QTimer.singleShot(120_000, app.quit)  # never hang a benchmark run
    code = app.exec()
    close_at_exit(db)
    return code if watcher.done else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
