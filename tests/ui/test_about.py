"""Help → このアプリについて: version, where the data is, and the bundled parts' licences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from evacsupport import __version__
from evacsupport.config import Settings, data_dir
from evacsupport.db import Database
from evacsupport.resources import resource_path
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.about import AboutDialog, components
from tests.ui.fakes import FakePrompter


@pytest.fixture
def about(qtbot: QtBot, tmp_path: Path) -> AboutDialog:
    dialog = AboutDialog(str(tmp_path / "caseload.sqlite3"))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_dialog_names_version_data_folder_and_database(
    about: AboutDialog, tmp_path: Path
) -> None:
    assert __version__ in about.version_label.text()
    assert about.data_folder.text() == str(data_dir())
    assert about.database.text() == str(tmp_path / "caseload.sqlite3")


def test_the_dialog_says_where_the_log_file_is(qtbot: QtBot, log_file: Path) -> None:
    """Where an "unexpected error" message sends people for the details."""
    dialog = AboutDialog(":memory:")
    qtbot.addWidget(dialog)
    assert dialog.log_file.text() == str(log_file)


def test_every_bundled_part_is_listed_with_its_licence(about: AboutDialog) -> None:
    listed = json.loads(resource_path("licenses.json").read_text(encoding="utf-8"))
    rows = dict(about.licence_rows())
    assert len(rows) == len(listed["components"])
    assert rows["Qt 6 / PySide6 (Qt for Python)"] == "LGPL-3.0-only"
    assert rows["IPAexゴシック (IPAexGothic)"] == "IPA Font License Agreement v1.0"
    for name, licence in [
        ("SQLAlchemy", "MIT"),
        ("Alembic", "MIT"),
        ("ReportLab", "BSD-3-Clause"),
        ("rl_accel", "BSD-3-Clause"),
        ("SciPy", "BSD-3-Clause"),
        ("HiGHS", "MIT"),
        ("pyqtgraph", "MIT"),
        ("cryptography", "Apache-2.0 OR BSD-3-Clause"),
        ("phonenumbers", "Apache-2.0"),
        ("jaconv", "MIT"),
        ("platformdirs", "MIT"),
        ("openpyxl", "MIT"),
    ]:
        assert rows[name] == licence
    assert any("郵便番号" in name for name in rows)
    assert any("地方公共団体コード" in name for name in rows)
    # the installed version of each package is shown; the app's own is __version__
    versions = {
        about.table.item(r, 0).text(): about.table.item(r, 1).text()
        for r in range(about.table.rowCount())
    }
    assert versions["evacsupport"] == __version__
    assert versions["SQLAlchemy"]


ATTRIBUTION = "Geolonia 住所データ (CC BY 4.0), 国土交通省 位置参照情報 をもとに作成"


def test_the_town_points_are_credited_in_full_as_their_licence_asks(about: AboutDialog) -> None:
    """CC BY 4.0: the credit is printed under the table, where no column width cuts it."""
    rows = dict(about.licence_rows())
    assert rows["Geolonia 住所データ"] == "CC BY 4.0"
    assert ATTRIBUTION in about.attribution.text()
    assert about.attribution.isVisible()
    english = {part.name: part.attribution for part in components("en")}
    assert ATTRIBUTION in english["Geolonia 住所データ"]


def test_qt_is_said_to_be_used_under_the_lgpl_dynamically(about: AboutDialog) -> None:
    qt_row = next(
        r for r in range(about.table.rowCount()) if about.table.item(r, 0).text().startswith("Qt")
    )
    assert "動的" in about.table.item(qt_row, 3).text()
    assert "https://download.qt.io/" in about.table.item(qt_row, 3).text()


def test_the_ipa_font_licence_opens_in_full(qtbot: QtBot, about: AboutDialog) -> None:
    about.font_button.click()
    shown = about.show_font_licence()
    qtbot.addWidget(shown)
    text = shown.text.toPlainText()
    assert "IPAフォントライセンスv1.0" in text
    assert "第1条" in text  # the Japanese text and, after it, the English one in full
    assert text.rstrip().endswith("This Agreement shall be construed under the laws of Japan.")
    assert shown.text.isReadOnly()


def test_english_descriptions_come_from_the_same_file() -> None:
    english = {part.name: part.use for part in components("en")}
    assert english["ReportLab"] == "PDF reports"
    japanese = {part.name: part.use for part in components("ja")}
    assert japanese["ReportLab"] == "PDF 帳票の作成"


def test_help_menu_opens_the_dialog_on_the_open_database(
    qtbot: QtBot, db: Database, tmp_path: Path
) -> None:
    from PySide6.QtCore import QSettings

    window = MainWindow(
        db,
        prompter=FakePrompter(),
        settings=Settings(),
        window_state=QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(window)
    dialog = window.show_about()
    assert dialog.database.text() == db.description
    assert __version__ in dialog.version_label.text()
    dialog.close()
