"""The import wizard: check a municipal list, see the bad rows, then import the rest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.households import HouseholdService
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.imports.import_dialog import ImportDialog
from tests.importers.helpers import person, write_csv
from tests.ui.fakes import FakePrompter


def dialog_for(qtbot: QtBot, db: Database, path: Path) -> ImportDialog:
    dialog = ImportDialog(AppContext(db, prompter=FakePrompter(), settings=Settings()))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.path.setText(str(path))
    return dialog


def test_check_highlights_the_bad_row_and_writes_nothing(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    rows = [person("101"), person("102", 1, 生年月日="令和99年13月1日"), person("103", 2)]
    path = write_csv(tmp_path / "list.csv", rows, encoding="cp932")
    dialog = dialog_for(qtbot, db, path)
    with qtbot.waitSignal(dialog.checked, timeout=20_000):
        dialog.check_button.click()
    assert "誤りのある行 1" in dialog.summary.text()
    assert "行3 生年月日" in dialog.summary.text()
    model = dialog.model
    assert model.rowCount() == 3 and model.headerData(1, Qt.Orientation.Vertical) == "3"
    assert model.index(1, 0).data(Qt.ItemDataRole.BackgroundRole) is not None
    assert model.index(0, 0).data(Qt.ItemDataRole.BackgroundRole) is None
    assert not dialog.import_button.isEnabled()  # all or nothing until bad rows may be skipped
    assert HouseholdService(db).count() == 0


def test_import_the_valid_households_after_checking(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    rows = [person("101"), person("102", 1, 生年月日="令和99年13月1日"), person("103", 2)]
    path = write_csv(tmp_path / "list.csv", rows)
    dialog = dialog_for(qtbot, db, path)
    with qtbot.waitSignal(dialog.checked, timeout=20_000):
        dialog.check_button.click()
    dialog.skip_invalid.setChecked(True)
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    assert HouseholdService(db).count() == 2
    assert "取り込みました" in dialog.summary.text()
    assert (tmp_path / "list.rejected.csv").exists()


def test_a_file_without_a_required_column_is_explained(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "bad.csv", [{"氏名": "能登 太郎", "フリガナ": "ノト タロウ"}])
    dialog = dialog_for(qtbot, db, path)
    with qtbot.waitSignal(dialog.check_button.clicked, timeout=1000):
        dialog.check_button.click()
    qtbot.waitUntil(lambda: "世帯番号" in dialog.summary.text(), timeout=20_000)
    assert dialog.check_button.isEnabled()
