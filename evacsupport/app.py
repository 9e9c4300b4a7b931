"""Qt start-up: the only module that creates the QApplication."""

from __future__ import annotations

import linecache
import sys
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QIcon
from sqlalchemy import URL

from evacsupport import __version__, logs
from evacsupport.config import Settings
from evacsupport.resources import resource_path

if TYPE_CHECKING:
    from evacsupport.db.engine import Database
    from evacsupport.ui.main_window import MainWindow


def install_translators(app: QCoreApplication, language: str) -> list[QTranslator]:
    """The app's texts are Japanese in the source; English comes from our .qm file. Qt's own
    dialogs (file chooser, message box buttons) follow the same language from Qt's files."""
    translators: list[QTranslator] = []
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    candidates = [(f"qtbase_{language}", qt_dir)]
    if language == "en":
        candidates.append(("evacsupport_en", str(resource_path("translations"))))
    for name, folder in candidates:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            translators.append(translator)
    QLocale.setDefault(
        QLocale(QLocale.Language.Japanese if language == "ja" else QLocale.Language.English)
    )
    return translators


ICON_SIZES = (16, 24, 32, 48, 64, 128, 256)


def app_icon() -> QIcon:
    """The window and taskbar icon: PNG sizes rendered from resources/icons/evacsupport.svg by
    tools/make_icons.py (a bitmap per size, so no SVG plugin is needed at run time)."""
    icon = QIcon()
    for size in ICON_SIZES:
        path = resource_path("icons", f"evacsupport-{size}.png")
        if path.is_file():
            icon.addFile(str(path))
    return icon


def release_import_sources() -> None:
    """Drop from :mod:`linecache` the source text of the modules imported so far.

    PySide6's import hook reads the source of every module imported after PySide6 (to see
    whether it uses PySide6's features) through ``inspect.getsource``, and linecache keeps
    what was read: some 20 MB of SQLAlchemy's and the app's source, for the whole session.
    A traceback reads the lines it shows again when it needs them."""
    linecache.clearcache()


def open_window(db: Database, settings: Settings) -> MainWindow | None:
    """The main window over ``db`` once someone is signed in; None when they gave up.

    Nothing of the database is built before: a database without accounts gets its first
    administrator first (an empty one as the first start, one that holds records saying so),
    and giving up there closes the app without opening anything.
    """
    from evacsupport.ui.main_window import MainWindow
    from evacsupport.ui.views.signin import sign_in

    if not sign_in(db, quits_app=True):  # the first administrator, or who is at the keyboard
        return None
    window = MainWindow(db, settings=settings)
    window.show()
    release_import_sources()  # the window's modules are all imported by now
    return window


def run_gui(url: URL, settings: Settings | None = None) -> int:
    from PySide6.QtWidgets import QApplication

    settings = settings or Settings.load()
    logs.setup()
    app = QApplication.instance() or QApplication(sys.argv)
    app.setApplicationName("evacsupport")
    app.setApplicationVersion(__version__)
    QApplication.setWindowIcon(app_icon())
    install_translators(app, settings.language)
    from evacsupport.ui.errors import install_exception_hook

    # From here on a failure nothing caught is logged and shown as "unexpected, see the log":
    # never a traceback on screen, never a window that just stops responding.
    install_exception_hook()
    from evacsupport.services.backup import policy_from_settings
    from evacsupport.ui.views.backup.recovery import (
        backup_passphrase,
        close_at_exit,
        open_at_start,
    )
    from evacsupport.ui.views.signin.keys import ask_key, ask_new_database

    # A damaged or too-new file opens into the recovery dialog (restore a backup), not a crash;
    # an encrypted one asks its key first, a new one whether (and with what key) to encrypt it.
    opened = open_at_start(
        url,
        lambda path: policy_from_settings(settings, path),
        passphrase=backup_passphrase,
        ask_key=lambda path: ask_key(path, quits_app=True),
        new_database=lambda path: ask_new_database(path, quits_app=True),
    )
    if opened is None:
        return 1
    db = opened
    window = open_window(db, settings)
    if window is None:
        close_at_exit(db)
        return 0
    try:
        return app.exec()
    finally:
        close_at_exit(window.ctx.db)
        if window.ctx.db is not db:  # File → open switched databases: the first one too
            close_at_exit(db)
