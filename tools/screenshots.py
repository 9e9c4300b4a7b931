"""Screenshots of the main screens on a demo database, for docs/screenshots/.

Run under a real X server so fonts render as users see them:
    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python tools/screenshots.py
"""

from __future__ import annotations

import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtWidgets import QApplication  # noqa: E402

from evacsupport.config import sqlite_url  # noqa: E402
from evacsupport.db import Database  # noqa: E402
from evacsupport.services import demo  # noqa: E402
from evacsupport.ui.main_window import MainWindow  # noqa: E402

OUT = ROOT / "docs" / "screenshots"


def main() -> int:
    app = QApplication(sys.argv)
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = Database(sqlite_url(Path(tmp) / "demo.sqlite3"))
        demo.generate(db, households=300, seed=1, today=date(2026, 11, 26))
        window = MainWindow(db)
        window.resize(1200, 720)
        window.show()
        app.processEvents()
        window.grab().save(str(OUT / "main_window.png"))
        window.household_list.search_box.setText("やまもと")
        window.household_list.refresh()
        app.processEvents()
        window.grab().save(str(OUT / "main_window_search.png"))
        window.close()
        db.close()
    print(f"screenshots written to {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
