"""Screenshots of the main screens on a demo database, for docs/screenshots/.

Run under a real X server so fonts render as users see them (needs fonts-noto-cjk), on the
screen of a coordinator's laptop, 1366×768: every window sizes itself to fit it
(``ui/widgets/screen_fit``), and the main window fills it as a maximised window does:
    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python tools/screenshots.py [--lang en]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QSettings, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402

from evacsupport.app import install_translators  # noqa: E402
from evacsupport.config import Settings, sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.db.models import Household, Venue  # noqa: E402
from evacsupport.i18n import set_language  # noqa: E402
from evacsupport.services import backup, demo  # noqa: E402
from evacsupport.services.accounts import AccountService, sign_in  # noqa: E402
from evacsupport.sync.service import SyncService  # noqa: E402
from evacsupport.ui.main_window import MainWindow  # noqa: E402
from evacsupport.ui.views.signin import LoginDialog  # noqa: E402
from evacsupport.ui.widgets.screen_fit import FRAME  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
PASSPHRASE = "noto-team-2024"


def wait_for(signal: object, timeout_ms: int = 120_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def sync_demo(db: Database, folder: Path) -> tuple[Database, Path]:
    """A venue laptop that synced with the office, then both edited the same venue's capacity
    and the same household's notes: the office has a peer, and conflicts once it reads the last
    package (returned, for the screenshot to read through the section)."""
    office = SyncService(db)
    office.rename_site("事務所ノート")
    other_db = Database(sqlite_url(folder / "venue-laptop.sqlite3"))
    other = SyncService(other_db)
    other.rename_site("輪島会場ノート")
    office.export("輪島会場ノート", folder / "1.evsync", PASSPHRASE)
    other.import_(folder / "1.evsync", PASSPHRASE, accept_unknown=True)  # first contact
    # The package brought the office's accounts: from now on the other laptop signs in too.
    sign_in(other_db, AccountService(other_db).authenticate("admin", "demo"))
    other.export("事務所ノート", folder / "2.evsync", PASSPHRASE)
    office.import_(folder / "2.evsync", PASSPHRASE)
    with db.read() as session:
        venue_id = session.scalars(select(Venue.id).order_by(Venue.name)).first()
        household_id = session.scalars(select(Household.id).order_by(Household.case_number)).first()
    for database, capacity, notes in ((db, 40, "月曜に訪問予定"), (other_db, 25, "火曜に電話済み")):
        with database.session() as session:
            session.get(Venue, venue_id).capacity = capacity  # type: ignore[union-attr]
            session.get(Household, household_id).notes = notes  # type: ignore[union-attr]
    other.export("事務所ノート", folder / "3.evsync", PASSPHRASE)
    return other_db, folder / "3.evsync"


def shoot(app: QApplication, widget: QWidget, name: str, suffix: str) -> None:
    app.processEvents()
    path = OUT / f"{name}{suffix}.png"
    widget.grab().save(str(path))
    print(path.relative_to(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--lang", choices=["ja", "en"], default="ja")
    args = parser.parse_args()
    suffix = "" if args.lang == "ja" else "_en"
    app = QApplication(sys.argv)
    install_translators(app, args.lang)
    set_language(args.lang)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(sqlite_url(Path(tmp) / "demo.sqlite3"))
        # with admin, coordinator, venue, viewer; password "demo"
        demo.generate(db, households=300, seed=1, today=date(2026, 11, 26), accounts=True)
        login = LoginDialog(db)
        login.username.setText("coordinator")
        login.password.setText("demo")
        login.show()
        shoot(app, login, "login_dialog", suffix)
        login.done(0)
        sign_in(db, AccountService(db).authenticate("admin", "demo"))
        settings = Settings(
            language=args.lang,
            idle_lock_minutes=0,
            backup_folder=str(Path(tmp) / "backups"),  # never the user's own backups folder
        )
        window = MainWindow(
            db,
            settings=settings,
            # a fresh window state, not the size and splitters this computer remembers
            window_state=QSettings(str(Path(tmp) / "window.ini"), QSettings.Format.IniFormat),
        )
        window.resize(window.screen().availableGeometry().size() - FRAME)  # as if maximised
        window.show()
        shoot(app, window, "main_window", suffix)
        window.household_list.search_box.setText("やまもと")
        shoot(app, window, "main_window_search", suffix)
        window.household_list.search_box.clear()
        window.show_section("dashboard")
        shoot(app, window, "dashboard", suffix)

        rows = window.household_list.model
        family = next(
            rows.row_at(i) for i in range(rows.rowCount()) if rows.row_at(i).member_count >= 3
        )
        editor = window.open_household(family.id)
        shoot(app, editor, "household_editor", suffix)
        editor.tabs.setCurrentIndex(1)
        shoot(app, editor, "household_editor_consent", suffix)
        if editor.assignment is not None:
            editor.tabs.setCurrentWidget(editor.assignment)
            editor.assignment.suggestions_table.selectRow(0)
            shoot(app, editor, "household_editor_assignment", suffix)
        editor.tabs.setCurrentWidget(editor.activity.pages()[2][0])  # check-ins and trend
        shoot(app, editor, "household_editor_checkins", suffix)
        checkin = editor.activity.record_checkin()
        if checkin is not None:
            for combo, answer in zip(checkin.boxes["k6"].items, [2, 1, 2, 2, 1, 0], strict=True):
                combo.setCurrentIndex(combo.findData(str(answer)))
            shoot(app, checkin, "checkin_dialog", suffix)
            checkin._closing = True
            checkin.close()
        editor._closing = True
        editor.close()

        window.show_section("meals")
        counter = window.counter
        counter.scan.setText(family.case_number)
        counter.submit()
        wait_for(counter.settled)  # saved on the writer thread, the card shown
        shoot(app, window, "meal_counter", suffix)
        counter.undo_last()
        wait_for(counter.settled)
        window.show_section("followups")
        shoot(app, window, "followups", suffix)
        window.show_section("reports")
        shoot(app, window, "reports", suffix)

        other_db, package = sync_demo(db, Path(tmp))
        window.show_section("sync")
        page = window.sync_page
        page.start_import(package, PASSPHRASE)
        wait_for(page.imported)
        page.conflicts.table.selectRow(0)
        shoot(app, window, "sync", suffix)
        export = page.open_export()
        export.peer.setEditText("すず会場ノート")
        export.scope.setCurrentIndex(1)
        export.out.setText(str(Path("~") / "Documents" / "すず会場ノート-20261126-0930.evsync"))
        export.passphrase.setText(PASSPHRASE)
        export.confirm.setText(PASSPHRASE)
        shoot(app, export, "sync_export", suffix)
        export.done(0)
        other_db.close()

        new = window.new_household()
        new.form.phone.setText("0768-22")
        new.members.family_name.setText("能登")
        new.members.birth_date.setText("R8.1.1")
        new.save()
        shoot(app, new, "household_editor_errors", suffix)
        new._closing = True
        new.close()

        window.show_section("venues")
        shoot(app, window, "venues", suffix)
        venue = window.venue_list.open_venue(window.venue_list.model.row_at(0).id)
        if venue is not None:
            shoot(app, venue, "venue_editor", suffix)
            venue.done(0)

        allocate = window.open_allocation()
        waiting = QEventLoop()
        allocate.planned.connect(waiting.quit)
        QTimer.singleShot(120_000, waiting.quit)  # never hang the docs build on a slow solver
        allocate.start_planning()
        waiting.exec()
        shoot(app, allocate, "allocate_dialog", suffix)
        if allocate.plan is not None and allocate.plan.placements:
            allocate.show_on_map(allocate.plan.placements[0].household.id)
            shoot(app, allocate, "allocate_dialog_map", suffix)
        allocate.done(0)

        dialog = window.open_settings()
        dialog.organisation.setText("NPO法人 能登こども食堂ネットワーク")
        dialog.staff_name.setText("山田 花子")
        dialog.venue.setCurrentIndex(1)
        dialog.numbers["idle_lock_minutes"].setText("10")  # the default (off for this script)
        shoot(app, dialog, "settings_dialog", suffix)
        dialog.tabs.setCurrentIndex(1)
        shoot(app, dialog, "settings_dialog_risk", suffix)
        dialog.done(0)

        about = window.show_about()
        # how the folders look on a coordinator's Linux laptop, not this machine's temporary ones
        about.data_folder.setText("~/.local/share/evacsupport")
        about.database.setText("~/.local/share/evacsupport/evacsupport.sqlite3")
        shoot(app, about, "about_dialog", suffix)
        about.done(0)

        policy = window.auto_backup.policy()
        if policy is not None:
            for day, hour in ((24, 18), (25, 18), (26, 9), (26, 17)):
                backup.make_backup(db, policy, now=datetime(2026, 11, day, hour, 5))
            restore = window.open_restore()
            if restore is not None:
                shoot(app, restore, "restore_dialog", suffix)
                restore.done(0)

        window.show_section("audit")
        shoot(app, window, "audit", suffix)
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
