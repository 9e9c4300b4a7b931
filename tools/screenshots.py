"""Screenshots of the main screens on a demo database, for docs/screenshots/.

Run under a real X server so fonts render as users see them (needs fonts-noto-cjk):
    xvfb-run -a -s "-screen 0 1400x1000x24" .venv/bin/python tools/screenshots.py [--lang en]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QEventLoop, QTimer  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402

from evacsupport.app import install_translators  # noqa: E402
from evacsupport.config import Settings, sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.i18n import set_language  # noqa: E402
from evacsupport.services import demo  # noqa: E402
from evacsupport.ui.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


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
        demo.generate(db, households=300, seed=1, today=date(2026, 11, 26))
        window = MainWindow(db, settings=Settings(language=args.lang))
        window.resize(1280, 760)
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
        editor.resize(1000, 860)
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
        shoot(app, window, "meal_counter", suffix)
        counter.undo_last()
        window.show_section("followups")
        shoot(app, window, "followups", suffix)
        window.show_section("reports")
        shoot(app, window, "reports", suffix)

        new = window.new_household()
        new.resize(1000, 860)
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
        window.close()
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
