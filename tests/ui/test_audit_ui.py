"""The 監査ログ section, used as an administrator would: filter by action, read a change's old and
new values, write the trail to CSV; other roles do not see the section."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.services.households import HouseholdService
from evacsupport.ui.context import AppContext
from evacsupport.ui.main_window import MainWindow
from evacsupport.ui.views.audit.page import AuditPage
from tests.factories import household, member
from tests.ui.fakes import FakePrompter


@pytest.fixture
def prompter() -> FakePrompter:
    return FakePrompter()


@pytest.fixture
def ctx(db: Database, prompter: FakePrompter) -> AppContext:
    return AppContext(db, prompter=prompter, settings=Settings(), user="佐藤")


@pytest.fixture
def page(qtbot: QtBot, ctx: AppContext) -> AuditPage:
    service = HouseholdService(ctx.db)
    created = service.create(household())
    service.update(
        created.id,
        household(phone="090-9999-8888", members=[member(id=created.members[0].id)]),
    )
    view = AuditPage(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 700)
    view.show()
    view.refresh()
    return view


def test_admin_filters_by_action_and_reads_old_and_new(page: AuditPage) -> None:
    assert page.model.rowCount() > 2  # the household, its member, residence, event, the update
    assert page.user_filter.findData("佐藤") > 0
    page.set_action("update")
    page.search_button.click()
    assert [r.action for r in page.model.rows] == ["update"]
    assert page.model.data(page.model.index(0, 2)) == "更新"
    assert page.model.data(page.model.index(0, 3)) == "世帯"
    (row,) = page.model.rows
    assert page.model.data(page.model.index(0, 4)) == row.record != ""
    # the first row is selected: the details pane shows the field's old → new
    assert page.details.rowCount() == 1
    cells = [page.details.item(0, c).text() for c in range(3)]
    assert cells == ["電話番号", "09012345678", "09099998888"]
    assert page.status.text() == "1件"

    page.text_filter.setText("該当なし")
    page.search_button.click()
    assert page.model.rowCount() == 0 and page.details.rowCount() == 0


def test_the_list_loads_more_as_it_scrolls(page: AuditPage) -> None:
    total = len(page.model.rows)
    page.model.page = 2
    page.apply_filters()
    assert page.model.rowCount() == 2 and page.model.canFetchMore()
    assert page.status.text() == "2件以上"
    while page.model.canFetchMore():
        page.model.fetchMore()
    assert page.model.rowCount() == total


def test_export_writes_the_filtered_trail(page: AuditPage, tmp_path: Path) -> None:
    page.set_action("update")
    page.apply_filters()
    target = tmp_path / "監査ログ.csv"
    assert page.export_to(target) == 1
    rows = list(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0] == ["日時", "利用者", "操作", "対象", "記録", "変更内容"]
    assert rows[1][1:4] == ["佐藤", "更新", "世帯"]
    assert rows[1][5] == "電話番号: 09012345678 → 09099998888"
    assert "監査ログ.csv" in page.status.text()
    page.set_action("export")
    page.apply_filters()
    assert [r.changes["file"] for r in page.model.rows] == ["監査ログ.csv"]


def test_only_administrators_see_the_section(
    qtbot: QtBot, make_db: Callable[[str], Database]
) -> None:
    for role, shown in ((None, True), ("admin", True), ("coordinator", False)):
        db = make_db(f"role-{role}")
        db.actor, db.role = "佐藤", role
        window = MainWindow(db, prompter=FakePrompter(), settings=Settings())
        qtbot.addWidget(window)
        row = window.SECTIONS.index("audit")
        assert window.nav.item(row).isHidden() is not shown, role
        assert isinstance(window.sections["audit"], AuditPage)


def _entries(db: Database) -> int:
    from sqlalchemy import func, select

    from evacsupport.db.models import AuditEntry

    with db.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_the_page_shows_how_far_the_chain_is_verified(
    qtbot: QtBot, page: AuditPage, monkeypatch: pytest.MonkeyPatch
) -> None:
    count = _entries(page.ctx.db)
    qtbot.waitUntil(lambda: page.chain.text() == f"検証済み：{count}件目まで", timeout=5000)

    import threading

    from evacsupport.services import audit

    threads: list[bool] = []
    real = audit.verify_chain

    def spy(db: Database) -> audit.ChainStatus:
        threads.append(threading.current_thread() is threading.main_thread())
        return real(db)

    monkeypatch.setattr(audit, "verify_chain", spy)
    page.refresh()
    assert page.chain.text() == "監査ログを検証中…"
    qtbot.waitUntil(lambda: page.chain.text().startswith("検証済み"), timeout=5000)
    assert threads == [False]  # read on a worker, never on the UI thread


def test_the_page_names_the_first_broken_link(qtbot: QtBot, page: AuditPage) -> None:
    from sqlalchemy import update

    from evacsupport.db.audit_chain import AUDIT

    with page.ctx.db.engine.begin() as conn:
        conn.execute(update(AUDIT).where(AUDIT.c.seq == 2).values(username="誰か"))
    page.refresh()
    qtbot.waitUntil(lambda: page.chain.text().startswith("改ざんの疑い"), timeout=5000)
    assert "2件目が書き換えられています" in page.chain.text()
