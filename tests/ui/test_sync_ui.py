"""The Sync section, used as a coordinator would: name the laptop, make a file for another
laptop, read one back, and settle a field edited on two laptops at once."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QTableView
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.accounts import AccountService
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.changes import Changes
from evacsupport.services.consents import record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync import crypto
from evacsupport.sync.service import SyncService
from evacsupport.ui.context import AppContext
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.sync.page import SyncPage
from tests.factories import consent, household, member, signed_in
from tests.sync.helpers import dump
from tests.ui.fakes import FakePrompter
from tests.ui.helpers import type_japanese

PASSPHRASE = "noto-team-2024"
HERE = "36.5613, 136.6562"


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def ctx(db: Database, prompter: FakePrompter) -> AppContext:
    return AppContext(db, prompter=prompter, settings=Settings(), user="office")


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> SyncPage:
    view = SyncPage(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 800)
    view.show()
    view.refresh()
    return view


@pytest.fixture
def other(make_db: Callable[[str], Database]) -> SyncService:
    """A second laptop, "two", with an empty database."""
    database = make_db("two")
    database.actor = "two"
    service = SyncService(database)
    service.rename_site("two")
    return service


def cells(table: QTableView, row: int) -> list[str]:
    model = table.model()
    return [model.index(row, c).data() for c in range(model.columnCount())]


def click_row(qtbot: QtBot, table: QTableView, row: int) -> None:
    rect = table.visualRect(table.model().index(row, 0))
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def name_this_laptop(qtbot: QtBot, page: SyncPage, name: str) -> None:
    page.site_name.selectAll()
    qtbot.keyClick(page.site_name, Qt.Key.Key_Delete)
    qtbot.keyClicks(page.site_name, name)
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *_a, **_k: (str(path), ""))
    )


def read_file(qtbot: QtBot, page: SyncPage) -> bool:
    with qtbot.waitSignal(page.imported, timeout=30_000) as signal:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
        assert page.progress.isVisible() and page.cancel_button.isEnabled()
        assert not page.import_button.isEnabled()
    return bool(signal.args[0])


def test_the_section_is_in_the_main_window(qtbot: QtBot, db: Database) -> None:
    window = MainWindow(db, prompter=FakePrompter(), settings=Settings())
    qtbot.addWidget(window)
    window.show_section("sync")
    assert window.nav.currentItem().text() == "同期"
    assert window.stack.currentWidget() is window.sync_page
    assert window.sync_page.site_name.text() == SyncService(db).this_site().name


def test_renaming_this_laptop_shows_problems_inline(
    qtbot: QtBot, page: SyncPage, db: Database
) -> None:
    name_this_laptop(qtbot, page, "   ")
    assert page.site_message.isVisible()
    assert "端末名を入力してください" in page.site_message.text()
    page.site_name.clear()
    type_japanese(page.site_name, "事務所ノート")
    assert not page.site_message.isVisible()  # typing clears the old problem
    qtbot.mouseClick(page.rename_button, Qt.MouseButton.LeftButton)
    assert not page.site_message.isVisible()
    assert SyncService(db).this_site().name == "事務所ノート"


def test_export_for_a_venue_laptop_that_another_database_can_read(
    qtbot: QtBot, page: SyncPage, db: Database, other: SyncService, tmp_path: Path
) -> None:
    venue = VenueService(db).create(
        VenueInput(name="こども食堂わじま", capacity=30, coordinates=HERE)
    )
    home = HouseholdService(db).create(household(coordinates=HERE))
    record_consent(db, home.id, consent())
    AssignmentService(db).assign(home.id, venue.id, start_on=date.today())
    out = tmp_path / "to-two.evsync"

    qtbot.mouseClick(page.export_button, Qt.MouseButton.LeftButton)
    dialog = page.export_dialog
    assert dialog is not None and dialog.isVisible()
    qtbot.keyClicks(dialog.peer.lineEdit(), "two")
    assert dialog.out.text().endswith(".evsync") and "two-" in dialog.out.text()
    dialog.scope.setCurrentIndex(dialog.scope.findText("こども食堂わじま"))
    dialog.out.selectAll()
    qtbot.keyClicks(dialog.out, str(out))
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.confirm, PASSPHRASE + "x")
    qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
    assert "一致しません" in dialog.message.text() and not out.exists()
    qtbot.keyClick(dialog.confirm, Qt.Key.Key_Backspace)

    with qtbot.waitSignal(dialog.finished, timeout=30_000) as signal:
        qtbot.mouseClick(dialog.make_button, Qt.MouseButton.LeftButton)
        assert dialog.progress.isVisible() and dialog.cancel_button.isEnabled()
    assert signal.args == [str(out)]
    assert not dialog.message.isVisible()
    assert "two 宛て" in dialog.result_label.text() and str(out) in dialog.result_label.text()
    assert "会場：こども食堂わじま" in dialog.result_label.text()

    assert page.peer_model.rowCount() == 1
    peer = cells(page.peer_table, 0)
    assert peer[:2] == ["two", "こども食堂わじま"]
    assert peer[2] != "—" and len(peer[2]) == len("2024-06-30 12:34")
    assert peer[3] == "—"

    result = other.import_(out, PASSPHRASE, accept_unknown=True)
    assert result.applied > 0
    assert [h.case_number for h in HouseholdService(other.db).search("")] == [home.case_number]
    assert other.this_site().scope_venue_id == venue.id


def test_import_a_file_from_another_laptop_shows_the_summary(
    qtbot: QtBot,
    page: SyncPage,
    ctx: AppContext,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    name_this_laptop(qtbot, page, "office")
    people = HouseholdService(other.db)
    homes = [people.create(household(members=[member(given_name=n)])) for n in ("花子", "桜")]
    package = tmp_path / "for-office.evsync"
    other.export("office", package, PASSPHRASE)
    choose_file(monkeypatch, package)
    prompter.password_answer = PASSPHRASE
    announced: list[Changes] = []
    ctx.bus.executed.connect(lambda changes, _initiator: announced.append(changes))

    assert read_file(qtbot, page) is True
    assert "password:同期ファイルを読み込む" in prompter.asked
    # "two" has never had a file from here: the file names this laptop only by name.
    [question] = prompter.confirms
    assert question.startswith("まだ同期したことのない端末からのファイル\n")
    assert "端末「two」が、「office」宛てに作ったものです" in question
    assert question.endswith("読み込みますか？")
    text = page.status.text()
    assert text.startswith("読み込みました：two から")
    assert "新規反映" in text and "重複 0 件" in text
    assert page.last_import is not None and page.last_import.applied > 0
    assert {h.case_number for h in HouseholdService(db).search("")} == {
        h.case_number for h in homes
    }
    assert announced == [Changes.everything()]  # a merge names no households: all reload
    row = cells(page.peer_table, 0)
    assert row[0] == "two" and row[1] == "全件" and row[3] != "—"
    assert page.import_button.isEnabled() and not page.progress.isVisible()


def test_a_wrong_passphrase_is_explained_and_changes_nothing(
    qtbot: QtBot,
    page: SyncPage,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    HouseholdService(other.db).create(household())
    package = tmp_path / "for-office.evsync"
    other.export("office", package, PASSPHRASE)
    before = dump(db)
    choose_file(monkeypatch, package)
    prompter.password_answer = "not-the-team-passphrase"

    assert read_file(qtbot, page) is False
    assert "合言葉が違います" in page.status.text()
    assert "何も変更していません" in page.status.text()
    assert dump(db) == before
    assert page.peer_model.rowCount() == 0
    assert HouseholdService(db).count() == 0


def test_cancelling_a_read_changes_nothing(
    qtbot: QtBot,
    page: SyncPage,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    HouseholdService(other.db).create(household())
    package = tmp_path / "for-office.evsync"
    other.export("office", package, PASSPHRASE)
    before = dump(db)
    choose_file(monkeypatch, package)
    prompter.password_answer = PASSPHRASE
    # Hold the read at decryption until the user has pressed Cancel.
    pressed = threading.Event()
    open_sealed = crypto.open_sealed

    def slow_open(blob: bytes, passphrase: str) -> dict[str, Any]:
        assert pressed.wait(10)
        return open_sealed(blob, passphrase)

    monkeypatch.setattr(crypto, "open_sealed", slow_open)
    with qtbot.waitSignal(page.imported, timeout=30_000) as signal:
        qtbot.mouseClick(page.import_button, Qt.MouseButton.LeftButton)
        assert page.progress.isVisible()
        qtbot.mouseClick(page.cancel_button, Qt.MouseButton.LeftButton)
        assert not page.cancel_button.isEnabled()
        pressed.set()
    assert signal.args == [False]
    assert "中止しました" in page.status.text()
    assert dump(db) == before
    assert page.peer_model.rowCount() == 0
    assert page.import_button.isEnabled()


def test_a_conflict_is_listed_and_settled_by_keeping_mine(
    qtbot: QtBot,
    page: SyncPage,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    tmp_path: Path,
) -> None:
    mine = SyncService(db)
    mine.rename_site("office")
    venue = VenueService(db).create(VenueInput(name="こども食堂わじま", capacity=30))
    sent = iter(range(100))

    def exchange(sender: SyncService, receiver: SyncService) -> None:
        path = tmp_path / f"package-{next(sent)}.evsync"
        sender.export(receiver.this_site().name, path, PASSPHRASE)
        receiver.import_(path, PASSPHRASE, accept_unknown=True)

    exchange(mine, other)
    exchange(other, mine)
    VenueService(db).update(venue.id, VenueInput(name=venue.name, capacity=40))
    VenueService(other.db).update(venue.id, VenueInput(name=venue.name, capacity=25))
    exchange(other, mine)
    page.refresh()

    panel = page.conflicts
    assert panel.model.rowCount() == 1
    record, field, here, there, kept, peer, detected, state = cells(panel.table, 0)
    assert (record, field, here, there, peer, state) == (
        "こども食堂わじま",
        "定員",
        "40",
        "25",
        "two",
        "未解決",
    )
    assert kept in ("40（こちら）", "25（相手）") and detected != "—"
    assert "未解決の食い違い：1 件" in panel.count_label.text()
    assert not panel.keep_mine_button.isEnabled()  # nothing chosen yet

    click_row(qtbot, panel.table, 0)
    assert panel.keep_mine_button.isEnabled()
    prompter.text_answer = "35"
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert "この項目は編集できません" in panel.message.text()
    assert panel.model.rowCount() == 1 and mine.conflicts()

    qtbot.mouseClick(panel.keep_mine_button, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 0
    assert mine.conflicts() == []
    [settled] = mine.conflicts(include_resolved=True)
    assert (settled.status, settled.resolution) == ("resolved", "mine")
    assert VenueService(db).get(venue.id).capacity == 40
    assert "未解決の食い違い：0 件" in panel.count_label.text()

    qtbot.mouseClick(panel.show_resolved, Qt.MouseButton.LeftButton)
    assert panel.model.rowCount() == 1
    assert cells(panel.table, 0)[-1] == "こちらを残した"
    click_row(qtbot, panel.table, 0)
    assert not panel.keep_mine_button.isEnabled()  # a settled conflict stays settled


def test_a_text_conflict_is_settled_by_typing_the_right_value(
    qtbot: QtBot,
    page: SyncPage,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    tmp_path: Path,
) -> None:
    mine = SyncService(db)
    mine.rename_site("office")
    home = HouseholdService(db).create(household())
    head = home.current_members[0]
    sent = iter(range(100))

    def exchange(sender: SyncService, receiver: SyncService) -> None:
        path = tmp_path / f"package-{next(sent)}.evsync"
        sender.export(receiver.this_site().name, path, PASSPHRASE)
        receiver.import_(path, PASSPHRASE, accept_unknown=True)

    exchange(mine, other)
    exchange(other, mine)
    HouseholdService(db).update(
        home.id, household(notes="月曜に訪問", members=[member(id=head.id)])
    )
    HouseholdService(other.db).update(
        home.id, household(notes="火曜に電話", members=[member(id=head.id)])
    )
    exchange(other, mine)
    page.refresh()

    panel = page.conflicts
    assert cells(panel.table, 0)[:4] == [home.case_number, "メモ", "月曜に訪問", "火曜に電話"]
    click_row(qtbot, panel.table, 0)
    prompter.text_answer = "月曜に訪問、火曜に電話"
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    assert prompter.texts and prompter.texts[0] in ("月曜に訪問", "火曜に電話")
    assert panel.model.rowCount() == 0
    assert HouseholdService(db).get(home.id).notes == "月曜に訪問、火曜に電話"


def test_venue_staff_see_no_conflicts_and_are_told_where_they_may_sync(
    qtbot: QtBot,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """Conflicts show both values of personal fields (casework); an office laptop is not the
    venue laptop where venue staff may sync."""
    accounts = AccountService(db)
    accounts.create("admin", "admin-pass-1", "admin")
    signed_in(db, "admin", "admin-pass-1")
    venue = VenueService(db).create(VenueInput(name="こども食堂わじま", capacity=30))
    accounts.create("kato", "kato-pass-1", "venue_staff", venue=venue.name)
    signed_in(db, "kato", "kato-pass-1")
    view = SyncPage(AppContext(db, prompter=prompter, settings=Settings(), user="kato"))
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    assert not view.conflicts_box.isVisible()

    HouseholdService(other.db).create(household())
    package = tmp_path / "for-office.evsync"
    other.export("office", package, PASSPHRASE)
    choose_file(monkeypatch, package)
    prompter.password_answer = PASSPHRASE
    before = dump(db)
    assert read_file(qtbot, view) is False
    assert "担当会場の会場用端末でだけ同期できます" in view.status.text()
    assert dump(db) == before

    signed_in(db, "admin", "admin-pass-1")
    view.refresh()
    assert view.conflicts_box.isVisible()


def test_a_file_from_an_unknown_laptop_is_not_read_when_the_user_says_no(
    qtbot: QtBot,
    page: SyncPage,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    HouseholdService(other.db).create(household())
    package = tmp_path / "for-someone.evsync"
    other.export("reception", package, PASSPHRASE)
    choose_file(monkeypatch, package)
    prompter.password_answer = PASSPHRASE
    prompter.confirm_answer = False
    before = dump(db)

    assert read_file(qtbot, page) is False
    assert len(prompter.confirms) == 1 and "「reception」宛て" in prompter.confirms[0]
    assert page.status.text() == "読み込みませんでした。何も変更していません"
    assert dump(db) == before
    assert page.peer_model.rowCount() == 0 and page.import_button.isEnabled()


def test_a_coordinator_is_told_an_administrator_must_read_a_file_with_accounts(
    qtbot: QtBot,
    page: SyncPage,
    db: Database,
    other: SyncService,
    prompter: FakePrompter,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    accounts = AccountService(db)
    accounts.create("admin", "admin-pass-1", "admin")
    signed_in(db, "admin", "admin-pass-1")
    accounts.create("sato", "sato-pass-1", "coordinator")
    signed_in(db, "sato", "sato-pass-1")
    AccountService(other.db).create("boss", "boss-pass-1", "admin")
    signed_in(other.db, "boss", "boss-pass-1")
    package = tmp_path / "with-accounts.evsync"
    other.export("office", package, PASSPHRASE)
    choose_file(monkeypatch, package)
    prompter.password_answer = PASSPHRASE
    before = dump(db)

    assert read_file(qtbot, page) is False
    assert page.status.text() == (
        "この同期ファイルには利用者アカウントの追加や変更が含まれているため、管理者だけが"
        "取り込めます。管理者が取り込んでください。何も変更していません"
    )
    assert prompter.confirms == []  # refused before anyone is asked about the sender
    assert dump(db) == before
