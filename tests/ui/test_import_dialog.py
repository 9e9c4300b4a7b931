"""The import wizard: check a municipal list, see the bad rows, then import the rest."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.db.models import Venue
from evacsupport.importers import remembered
from evacsupport.importers.choices import Unmatched
from evacsupport.services.households import HouseholdService
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.imports.import_dialog import ImportDialog
from evacsupport.ui.views.imports.mapping import TARGET, MappingModel
from tests.importers.helpers import person, write_csv
from tests.importers.test_venues_meals import VENUE
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


def _venue_rows() -> list[dict[str, str]]:
    return [
        {**VENUE, "名称": "a", "種別": "地域の拠点"},
        {**VENUE, "名称": "b", "種別": "居場所"},
        {**VENUE, "名称": "c", "種別": "地域の拠点"},
    ]


def _check(qtbot: QtBot, dialog: ImportDialog) -> None:
    with qtbot.waitSignal(dialog.checked, timeout=20_000):
        dialog.check_button.click()


def _shown(dialog: ImportDialog) -> list[list[str]]:
    model = dialog.mapping_model
    return [
        [str(model.index(r, c).data()) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def test_the_mapping_step_by_keyboard_then_remembered_for_the_next_file(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "会場一覧.csv", _venue_rows(), encoding="cp932")
    dialog = dialog_for(qtbot, db, path)
    dialog.kind.setCurrentIndex(dialog.kind.findData("venues"))
    _check(qtbot, dialog)
    assert dialog.mapping_box.isVisible()
    assert _shown(dialog) == [["種別", "地域の拠点", "2", "（取り込まない）"]]
    assert "選択肢にない値が 1 種類あります" in dialog.summary.text()
    assert "行2 種別：「地域の拠点」は選択肢にありません" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()

    # Alt+M reaches the table, F2 opens the choices, End takes the last, Enter applies it
    qtbot.keyClick(dialog, Qt.Key.Key_M, Qt.KeyboardModifier.AltModifier)
    table = dialog.mapping_table
    assert table.hasFocus() and table.currentIndex().column() == TARGET
    qtbot.keyClick(table, Qt.Key.Key_F2)
    combo = table.findChild(QComboBox)
    assert combo is not None and combo.itemText(0) == "（取り込まない）"
    qtbot.keyClick(combo, Qt.Key.Key_End)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    assert _shown(dialog) == [["種別", "地域の拠点", "2", "その他の居場所"]]
    assert "「内容を確認」を押すと、この対応付けで確かめ直します" in dialog.mapping_hint.text()
    assert not dialog.import_button.isEnabled()  # the check shown is out of date

    _check(qtbot, dialog)
    assert "誤りのある行 0" in dialog.summary.text()
    assert _shown(dialog) == [["種別", "地域の拠点", "2", "その他の居場所"]]
    assert dialog.import_button.isEnabled()
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    assert "新規 3" in dialog.summary.text()
    with db.read() as s:
        assert sorted(v.kind for v in s.scalars(select(Venue))) == ["other", "other", "other"]
    assert remembered.load("venues", path) == {"種別": {"地域の拠点": "other"}}

    # the next list of that name, from elsewhere: the mapping comes back preselected
    later = tmp_path / "next"
    later.mkdir()
    rows = _venue_rows()
    rows[0]["定員"] = "45"
    again = dialog_for(qtbot, db, write_csv(later / "会場一覧.csv", rows))
    again.kind.setCurrentIndex(again.kind.findData("venues"))
    _check(qtbot, again)
    assert _shown(again) == [["種別", "地域の拠点", "2", "その他の居場所"]]
    assert "更新 1" in again.summary.text() and "誤りのある行 0" in again.summary.text()
    assert again.import_button.isEnabled()


def test_leaving_a_value_refused_imports_the_rest_and_forgets_it(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "会場一覧.csv", _venue_rows())
    remembered.remember(
        "venues", path, [Unmatched("種別", "kind", "地域の拠点", 2, (("salon", "x"),), "salon")]
    )
    dialog = dialog_for(qtbot, db, path)
    dialog.kind.setCurrentIndex(dialog.kind.findData("venues"))
    _check(qtbot, dialog)
    assert _shown(dialog) == [["種別", "地域の拠点", "2", "ふれあいサロン"]]  # preselected
    model = dialog.mapping_model
    assert model.setData(model.index(0, TARGET), "")  # as the combo's first item does
    _check(qtbot, dialog)
    assert _shown(dialog) == [["種別", "地域の拠点", "2", "（取り込まない）"]]
    dialog.skip_invalid.setChecked(True)
    with qtbot.waitSignal(dialog.imported, timeout=20_000):
        dialog.import_button.click()
    with db.read() as s:
        assert [v.name for v in s.scalars(select(Venue))] == ["b"]
    assert remembered.load("venues", path) == {}


def test_the_mapping_model_and_the_dialog_on_a_laptop_screen(
    qtbot: QtBot, qtmodeltester: ModelTester, db: Database, tmp_path: Path
) -> None:
    model = MappingModel()
    choices = (("other", "その他の居場所"), ("salon", "ふれあいサロン"))
    model.set_entries(
        [
            Unmatched("種別", "kind", "x", 3, choices),
            Unmatched("種別", "kind", "y", 1, choices, "salon"),
        ]
    )
    qtmodeltester.check(model)
    assert not model.setData(model.index(0, TARGET), "not_a_choice")
    assert model.flags(model.index(0, 0)) & Qt.ItemFlag.ItemIsEditable == Qt.ItemFlag.NoItemFlags
    # 60 refused rows: the summary and the mapping table scroll, the dialog keeps its size
    rows = [
        {**VENUE, "名称": f"v{i}", "種別": "謎" if i % 3 else "地域の拠点", "定員": "多い"}
        for i in range(60)
    ]
    dialog = dialog_for(qtbot, db, write_csv(tmp_path / "venues.csv", rows))
    dialog.kind.setCurrentIndex(dialog.kind.findData("venues"))
    _check(qtbot, dialog)
    assert [row[1:3] for row in _shown(dialog)] == [["謎", "40"], ["地域の拠点", "20"]]
    hint = dialog.minimumSizeHint()
    assert dialog.width() <= 1366 and dialog.height() <= 728  # 768 less a taskbar
    assert hint.width() <= 1366 and hint.height() <= 728
    assert dialog.preview.height() >= 100  # the file stays in view under the mapping
