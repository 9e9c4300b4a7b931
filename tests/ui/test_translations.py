"""Every UI text has its English translation, the compiled file is current, and switching the
language in settings gives an English window on the next start."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLocale, Qt
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.i18n import set_language
from evacsupport.resources import resource_path
from evacsupport.ui.main_window import MainWindow
from tests.ui.fakes import FakePrompter
from tools.update_translations import lrelease, lupdate

TS = resource_path("translations", "evacsupport_en.ts")


def test_every_ui_text_is_in_the_translation_file_and_translated(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.ts"
    fresh.write_bytes(TS.read_bytes())
    lupdate(fresh)  # what the code says now, merged into the committed file
    missing = []
    for message in ET.parse(fresh).getroot().iter("message"):
        translation = message.find("translation")
        texts = [translation.text] if translation is not None else []
        if translation is not None and message.get("numerus") == "yes":
            texts = [f.text for f in translation.findall("numerusform")]
        if (
            translation is None
            or translation.get("type") in ("unfinished", "vanished")
            or not all(texts)
        ):
            missing.append(message.findtext("source"))
    assert missing == [], "run tools/update_translations.py and translate: " + ", ".join(
        str(m) for m in missing
    )


def test_the_compiled_translations_are_current(tmp_path: Path) -> None:
    rebuilt = tmp_path / "rebuilt.qm"
    lrelease(TS, rebuilt)
    assert rebuilt.read_bytes() == resource_path("translations", "evacsupport_en.qm").read_bytes()


def test_english_window_after_switching_the_language(qtbot: QtBot, db: Database) -> None:
    from evacsupport.app import install_translators

    prompter = FakePrompter()
    window = MainWindow(db, prompter=prompter, settings=Settings())
    qtbot.addWidget(window)
    window.set_language("en")
    assert Settings.load().language == "en"
    assert "next time the app starts" in prompter.infos[0]

    app = QCoreApplication.instance()
    assert app is not None
    translators = install_translators(app, "en")
    set_language("en")
    try:
        english = MainWindow(db, prompter=prompter, settings=Settings.load())
        qtbot.addWidget(english)
        assert english.nav.item(1).text() == "Households"
        assert english.household_list.search_box.placeholderText().startswith("Search by name")
        assert (
            english.household_list.model.headerData(0, Qt.Orientation.Horizontal) == "Case number"
        )
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.Japanese))
        Settings(language="ja").save()


def _stray_mnemonic(text: str) -> bool:
    """An "&" that Qt would take for a mnemonic though a word does not follow it ("& x")."""
    bare = text.replace("&&", "")
    return bare.count("&") > 1 or "& " in bare or bare.endswith("&")


def test_english_menus_tabs_and_allergens_read_as_written(qtbot: QtBot, db: Database) -> None:
    """Menus keep "Visits & check-ins" (no mnemonic underlining the space), tabs too, and the
    allergen check boxes and the counter show English names."""
    from PySide6.QtWidgets import QMenu, QTabWidget

    from evacsupport.app import install_translators
    from evacsupport.services.households import HouseholdService
    from tests.factories import household, member

    app = QCoreApplication.instance()
    assert app is not None
    translators = install_translators(app, "en")
    set_language("en")
    try:
        window = MainWindow(db, prompter=FakePrompter(), settings=Settings())
        qtbot.addWidget(window)
        menus = [a.menu() for a in window.menuBar().actions() if a.menu()]
        actions = [a for menu in menus if isinstance(menu, QMenu) for a in menu.actions()]
        assert [a.text() for a in actions if _stray_mnemonic(a.text())] == []
        shown = [a.iconText() for a in actions]
        assert "Visits & check-ins" in shown and "Summary & reports" in shown
        tabs = [
            tab.tabText(i) for tab in window.findChildren(QTabWidget) for i in range(tab.count())
        ]
        assert [t for t in tabs if _stray_mnemonic(t)] == []

        saved = HouseholdService(db).create(household(members=[member(allergens="卵、小麦")]))
        editor = window.open_household(saved.id)
        qtbot.addWidget(editor)
        boxes = editor.members.allergens.boxes
        assert (boxes["卵"].text(), boxes["落花生"].text(), boxes["ゼラチン"].text()) == (
            "Egg",
            "Peanut",
            "Gelatin",
        )
        assert boxes["卵"].isChecked() and editor.members.allergens.values() == ["小麦", "卵"]
        assert editor.members.model.index(0, 5).data() == "Wheat, Egg"
        editor._closing = True
        editor.close()
    finally:
        for translator in translators:
            app.removeTranslator(translator)
        QLocale.setDefault(QLocale(QLocale.Language.Japanese))
