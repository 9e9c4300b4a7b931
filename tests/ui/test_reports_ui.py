"""The Reports section: a coordinator makes a report or an export and opens it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from evacsupport.config import Settings
from evacsupport.db import Database
from evacsupport.reports import names
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.sections.reports import ReportForm
from tests.ui.fakes import FakePrompter


@pytest.fixture
def form(qtbot: QtBot, demo_db: Database) -> ReportForm:
    view = ReportForm(
        AppContext(
            demo_db, prompter=FakePrompter(), settings=Settings(organisation="NPO法人のとサポート")
        )
    )
    qtbot.addWidget(view)
    view.show()
    view.refresh()
    return view


def choose(form: ReportForm, data: str) -> None:
    form.kind.setCurrentIndex(form.kind.findData(data))


def make(qtbot: QtBot, form: ReportForm) -> str:
    with qtbot.waitSignal(form.finished, timeout=60_000) as signal:
        form.make_button.click()
        assert form.progress.isVisible() and not form.make_button.isEnabled()
    return str(signal.args[0])


def test_monthly_report_from_the_section(qtbot: QtBot, form: ReportForm, tmp_path: Path) -> None:
    choose(form, "monthly")
    form.month.setText("2024-05")  # the demo data ends 2024-06-30
    form.out.setText(str(tmp_path / "monthly.pdf"))
    path = make(qtbot, form)
    assert path == str(tmp_path / "monthly.pdf")
    assert form.open_button.isEnabled()
    assert "作成しました" in form.status.text()
    text = "".join(page.extract_text() for page in PdfReader(path).pages)
    assert "月次報告書" in text and "NPO法人のとサポート" in text


def test_a_bad_month_is_refused_before_any_work(form: ReportForm, tmp_path: Path) -> None:
    choose(form, "monthly")
    form.month.setText("2024-13")
    form.out.setText(str(tmp_path / "bad.pdf"))
    form.make_button.click()
    assert "日付を読み取れません" in form.status.text()
    assert form.make_button.isEnabled() and not (tmp_path / "bad.pdf").exists()


def test_case_summary_without_consent_is_refused_and_writes_nothing(
    qtbot: QtBot, form: ReportForm, demo_db: Database, tmp_path: Path
) -> None:
    from evacsupport.db.models import Consent, Household

    with demo_db.read() as session:
        without = session.query(Household).filter(~Household.consents.any()).first()
        assert without is not None
        case = without.case_number
        assert session.query(Consent).count() > 0
    choose(form, "case")
    form.case_number.setText(case)
    form.out.setText(str(tmp_path / "case.pdf"))
    assert make(qtbot, form) == ""
    assert "同意" in form.status.text()
    assert not (tmp_path / "case.pdf").exists()
    assert not any(tmp_path.glob("*.partial"))


def test_export_households_to_excel(qtbot: QtBot, form: ReportForm, tmp_path: Path) -> None:
    from openpyxl import load_workbook

    choose(form, "export:households")
    form.fmt.setCurrentIndex(form.fmt.findData("xlsx"))
    form.out.setText(str(tmp_path / "households.xlsx"))
    path = make(qtbot, form)
    sheet = load_workbook(path).active
    assert sheet.cell(1, 1).value == "世帯番号"
    assert sheet.max_row > 50


def test_cancel_drops_the_result(qtbot: QtBot, form: ReportForm, tmp_path: Path) -> None:
    choose(form, "cards")
    target = tmp_path / "cards.pdf"
    form.out.setText(str(target))
    form.make_button.click()
    with qtbot.waitSignal(form.finished, timeout=5_000):
        form.cancel_button.click()
    assert form.status.text() == "中止しました"
    assert form.make_button.isEnabled()
    qtbot.waitUntil(lambda: not target.exists(), timeout=60_000)


def test_the_summary_tab_prints_counts_as_the_reports_do(qtbot: QtBot, demo_db: Database) -> None:
    from evacsupport.ui.views.sections.overview import SummaryPage

    page = SummaryPage(AppContext(demo_db, prompter=FakePrompter(), settings=Settings()))
    qtbot.addWidget(page)
    page.refresh()
    model = page.model
    cells = [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]
    assert cells and "どちらも「X」" in page.note.text()
    numbers = [value for row in cells for value in row[1:]]
    assert "X" in numbers  # the demo data has small origins and statuses
    assert not any(value in {"1", "2", "3", "4"} for value in numbers)
    for row in cells:
        statuses = row[3:]
        if row[1] != "X":  # a printed households count: no lone hidden status beside it
            assert statuses.count("X") != 1, row


def test_the_file_is_named_after_what_it_reports(form: ReportForm, tmp_path: Path) -> None:
    choose(form, "monthly")
    form.month.setText("2026-11")
    assert Path(form.out.text()).name == "月次報告_2026-11_避難元市町別.pdf"
    form.by.setCurrentIndex(form.by.findData("host"))
    assert Path(form.out.text()).name == "月次報告_2026-11_避難先市町別.pdf"
    choose(form, "venue")
    venue = form.venue.currentText()
    form.start.setText("2024-05-01")
    form.end.setText("2024-05-31")
    assert Path(form.out.text()).name == names.venue_activity_name(
        venue, date(2024, 5, 1), date(2024, 5, 31)
    )
    assert venue.split()[0] in form.out.text()
    choose(form, "export:meals")
    form.fmt.setCurrentIndex(form.fmt.findData("csv"))
    assert Path(form.out.text()).name == f"食事記録_{date.today():%Y-%m-%d}.csv"

    # a folder chosen is kept for the next suggestion; a name typed by the user is kept
    form.out.setText(str(tmp_path / Path(form.out.text()).name))
    choose(form, "monthly")
    assert form.out.text() == str(tmp_path / "月次報告_2026-11_避難先市町別.pdf")
    form.out.setText(str(tmp_path / "十一月分.pdf"))
    form.month.setText("2026-10")
    assert form.out.text() == str(tmp_path / "十一月分.pdf")
