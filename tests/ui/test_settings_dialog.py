"""File → 設定…: typing the preferences, refusing bad numbers inline, saving and applying them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.settings_dialog import SettingsDialog
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

PASSWORD = "noto-2024!"


@pytest.fixture
def staffed(db: Database) -> Database:
    accounts = AccountService(db)
    accounts.create("admin", PASSWORD, "admin")
    sign_in(db, accounts.authenticate("admin", PASSWORD))
    accounts.create("mayor", PASSWORD, "viewer")
    for name in ("こども食堂わじま", "みんなの食堂すず"):
        VenueService(db).create(VenueInput(name=name, capacity=30))
    Settings().save()  # every test starts from the defaults on disk
    return db


def open_window(qtbot: QtBot, db: Database, user: str, tmp_path: Path) -> MainWindow:
    sign_in(db, AccountService(db).authenticate(user, PASSWORD))
    window = MainWindow(
        db,
        prompter=FakePrompter(),
        settings=Settings.load(),
        window_state=QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat),
    )
    qtbot.addWidget(window)
    return window


def replace_text(widget: object, text: str) -> None:
    widget.clear()  # type: ignore[attr-defined]
    type_japanese(widget, text)  # type: ignore[arg-type]


def test_typed_settings_are_saved_and_applied(
    qtbot: QtBot, staffed: Database, tmp_path: Path
) -> None:
    window = open_window(qtbot, staffed, "admin", tmp_path)
    assert window.idle_lock.timer.interval() == 10 * 60_000  # the default until changed
    dialog = window.open_settings()
    assert dialog.editable and dialog.save_button.isVisible()
    replace_text(dialog.organisation, "能登こども食堂ネットワーク")
    replace_text(dialog.staff_name, "山田 花子")
    dialog.venue.setCurrentIndex(dialog.venue.findText("みんなの食堂すず"))
    replace_text(dialog.numbers["idle_lock_minutes"], "５")  # full-width digits are fine
    replace_text(dialog.numbers["risk.k6_serious"], "12")
    replace_text(dialog.numbers["backup_keep_daily"], "14")
    replace_text(dialog.numbers["retention_months"], "36")
    dialog.backup_second_folder.setText(str(tmp_path / "usb"))
    dialog.backup_encrypt.setChecked(True)
    with qtbot.waitSignal(dialog.saved):
        dialog.save_button.click()
    assert not dialog.isVisible()

    saved = Settings.load()
    venue = next(v for v in VenueService(staffed).list() if v.name == "みんなの食堂すず")
    assert saved.organisation == "能登こども食堂ネットワーク"
    assert saved.staff_name == "山田 花子"
    assert saved.venue_id == str(venue.id)
    assert saved.idle_lock_minutes == 5
    assert saved.risk == {"k6_serious": 12}  # only what differs from the defaults
    assert saved.risk_settings().k6_serious == 12
    assert (saved.backup_keep_daily, saved.retention_months) == (14, 36)
    assert saved.backup_second_folder == str(tmp_path / "usb")
    assert saved.backup_encrypt is True
    # applied at once: the idle lock, and the organisation the reports print
    assert window.idle_lock.timer.interval() == 5 * 60_000
    assert window.idle_lock.timer.isActive()
    assert window.ctx.settings.organisation == "能登こども食堂ネットワーク"
    assert "設定を保存しました" in window.statusBar().currentMessage()
    window.idle_lock.set_timeout(0)


def test_invalid_numbers_are_refused_with_a_message_under_the_field(
    qtbot: QtBot, staffed: Database, tmp_path: Path
) -> None:
    window = open_window(qtbot, staffed, "admin", tmp_path)
    before = Settings.path().read_bytes()
    dialog = window.open_settings()
    replace_text(dialog.numbers["idle_lock_minutes"], "十分")
    replace_text(dialog.numbers["risk.older_age"], "200")
    replace_text(dialog.numbers["risk.stopped_days"], "-3")
    dialog.backup_folder.setText("backups")  # not a full path
    dialog.save_button.click()

    assert dialog.isVisible()
    assert Settings.path().read_bytes() == before
    assert dialog.messages["idle_lock_minutes"].text() == "0以上の整数で入力してください。"
    assert dialog.messages["risk.older_age"].text() == "0〜130 の範囲で入力してください。"
    assert dialog.messages["risk.stopped_days"].text() == "0以上の整数で入力してください。"
    assert "完全な形" in dialog.messages["backup_folder"].text()
    assert dialog.messages["risk.k6_serious"].isHidden()
    assert "保存していません" in dialog.status.text()
    assert dialog.tabs.currentIndex() == 0  # the first wrong field is shown and focused
    assert window.idle_lock.timer.interval() == 10 * 60_000  # nothing applied

    replace_text(dialog.numbers["idle_lock_minutes"], "0")
    replace_text(dialog.numbers["risk.older_age"], "70")
    replace_text(dialog.numbers["risk.stopped_days"], "21")
    dialog.backup_folder.setText("")
    assert dialog.save()
    assert dialog.messages["idle_lock_minutes"].isHidden()
    assert Settings.load().idle_lock_minutes == 0
    assert Settings.load().risk == {"older_age": 70, "stopped_days": 21}
    assert not window.idle_lock.timer.isActive()  # 0 = no lock


def test_the_thresholds_show_their_japanese_labels_and_defaults(
    qtbot: QtBot, staffed: Database, tmp_path: Path
) -> None:
    window = open_window(qtbot, staffed, "admin", tmp_path)
    dialog = window.open_settings()
    labels = dialog.risk_labels()
    from evacsupport.services.risk import RiskSettings

    assert set(labels) == set(RiskSettings.__dataclass_fields__)
    assert labels["k6_serious"] == "K6：重い心理的苦痛とみなす点数"
    assert dialog.numbers["risk.k6_serious"].text() == "13"
    dialog.close()


def test_a_new_language_is_saved_and_said_to_apply_on_the_next_start(
    qtbot: QtBot, staffed: Database, tmp_path: Path
) -> None:
    window = open_window(qtbot, staffed, "admin", tmp_path)
    prompter = window._prompter
    assert isinstance(prompter, FakePrompter)
    dialog = window.open_settings()
    dialog.language.setCurrentIndex(dialog.language.findData("en"))
    try:
        assert dialog.save()
        assert Settings.load().language == "en"
        assert "next time the app starts" in prompter.infos[-1]
        assert window._language_actions["en"].isChecked()
    finally:
        Settings(language="ja").save()


def test_a_viewer_sees_the_settings_read_only(
    qtbot: QtBot, staffed: Database, tmp_path: Path
) -> None:
    window = open_window(qtbot, staffed, "mayor", tmp_path)
    before = Settings.path().read_bytes()
    dialog = window.open_settings()
    assert not dialog.editable
    assert not dialog.save_button.isVisible()
    assert dialog.organisation.isReadOnly() and dialog.numbers["risk.k6_serious"].isReadOnly()
    assert not dialog.venue.isEnabled() and not dialog.backup_encrypt.isEnabled()
    assert not dialog.save()
    assert Settings.path().read_bytes() == before


def test_the_dialog_works_without_the_window(qtbot: QtBot, db: Database) -> None:
    from evacsupport.ui.context import AppContext

    ctx = AppContext(db, prompter=FakePrompter(), settings=Settings())
    dialog = SettingsDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.editable  # a database with no accounts yet: everything is open
    assert dialog.venue.count() == 1  # only 「指定しない」
