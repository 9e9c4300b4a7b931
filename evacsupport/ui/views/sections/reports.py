"""The Reports section: choose a report or an export, set its parameters, make it off the UI
thread with a progress bar (cancellable), then open the file."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evacsupport.config import data_dir
from evacsupport.domain.roles import Permission, counts_permission
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import EvacError
from evacsupport.reports import names
from evacsupport.reports.jobs import ReportRequest, run_report
from evacsupport.services.authz import can
from evacsupport.services.households import card_ids
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.tasks import Task, run_in_background
from evacsupport.ui.views.sections.overview import SummaryPage
from evacsupport.ui.widgets.fields import DateField, FieldMessage

EXPORTS = ("households", "members", "meals")


class ReportForm(QWidget):
    """Attributes for tests: ``kind`` (combo; data = report kind or ``export:<table>``),
    ``month``, ``by``, ``suppress``, ``venue``, ``start``, ``end``, ``case_number``,
    ``cases``, ``roster_venue``, ``served_on``, ``fmt``, ``out``, ``make_button``,
    ``cancel_button``, ``progress``, ``status``, ``open_button``, ``last_path``.

    Signals: finished(str) with the path written (or "" when it failed or was cancelled).
    """

    finished = Signal(str)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._task: Task | None = None
        self.last_path: Path | None = None
        self.kind = QComboBox(self)
        aggregate, personal = Permission.AGGREGATE_REPORTS, Permission.PERSONAL_REPORTS
        for text, data, needs in (
            (self.tr("月次報告書（市町向け・集計のみ）"), "monthly", aggregate),
            (self.tr("会場の活動報告（期間）"), "venue", aggregate),
            (self.tr("世帯のケース概要（紹介・引き継ぎ用、同意が必要）"), "case", personal),
            (self.tr("世帯カード（QRコードつき）"), "cards", Permission.ROSTER),
            (self.tr("会場の名簿（紙の予備）"), "roster", Permission.ROSTER),
            (self.tr("書き出し：世帯一覧"), "export:households", personal),
            (self.tr("書き出し：世帯員一覧"), "export:members", personal),
            (self.tr("書き出し：食事記録"), "export:meals", personal),
        ):
            if can(ctx.db, needs):  # the services refuse the rest; the list offers only these
                self.kind.addItem(text, data)
        last_month = date.today().replace(day=1) - timedelta(days=1)
        self.month = QLineEdit(f"{last_month:%Y-%m}", self)
        self.by = QComboBox(self)
        self.by.addItem(self.tr("避難元の市町別"), "origin")
        self.by.addItem(self.tr("避難先の市町別"), "host")
        self.suppress = QCheckBox(
            self.tr("1〜4の件数と、そこから逆算できる件数を「X」と表示する（推奨）"), self
        )
        self.suppress.setChecked(True)
        # Small counts unhidden are personal data: only roles that may see names may switch.
        self.suppress.setEnabled(can(ctx.db, counts_permission(suppress_small=False)))
        self.venue = QComboBox(self)
        self.roster_venue = QComboBox(self)
        self.start = DateField(self)
        self.start.set_date(date.today() - timedelta(days=30))
        self.end = DateField(self)
        self.end.set_date(date.today())
        self.served_on = DateField(self)
        self.served_on.set_date(date.today())
        self.case_number = QLineEdit(self)
        self.case_number.setPlaceholderText(self.tr("例：N24-000123"))
        self.cases = QLineEdit(self)
        self.cases.setPlaceholderText(self.tr("世帯番号を空白区切りで（空欄なら支援中の全世帯）"))
        self.fmt = QComboBox(self)
        self.fmt.addItem(self.tr("Excel（.xlsx）"), "xlsx")
        self.fmt.addItem(self.tr("CSV（Excelで開けるUTF-8）"), "csv")
        self.out = QLineEdit(self)
        browse = QPushButton(self.tr("参照(&B)…"), self)
        browse.clicked.connect(self._browse)

        self.params = QStackedWidget(self)
        self._pages: dict[str, int] = {}
        for key, rows in (
            ("monthly", [(self.tr("対象月"), self.month), (self.tr("集計の単位"), self.by)]),
            (
                "venue",
                [
                    (self.tr("会場"), self.venue),
                    (self.tr("開始日"), self.start),
                    (self.tr("終了日"), self.end),
                ],
            ),
            ("case", [(self.tr("世帯番号"), self.case_number)]),
            ("cards", [(self.tr("対象の世帯"), self.cases)]),
            ("roster", [(self.tr("会場"), self.roster_venue), (self.tr("開催日"), self.served_on)]),
            ("export", [(self.tr("形式"), self.fmt)]),
        ):
            page = QWidget(self.params)
            form = QFormLayout(page)
            for title, widget in rows:
                if isinstance(widget, DateField):
                    row = QHBoxLayout()
                    row.addWidget(widget)
                    row.addWidget(widget.hint)
                    form.addRow(title, row)
                else:
                    form.addRow(title, widget)
            self._pages[key] = self.params.addWidget(page)

        self.make_button = QPushButton(self.tr("作成(&G)"), self)
        self.cancel_button = QPushButton(self.tr("中止"), self)
        self.cancel_button.setEnabled(False)
        self.progress = QProgressBar(self)
        self.progress.setRange(0, 0)
        self.progress.hide()
        self.status = FieldMessage(self, wrap=True)
        self.status.setWordWrap(True)
        self.open_button = QPushButton(self.tr("開く(&O)"), self)
        self.open_button.setEnabled(False)
        self.make_button.clicked.connect(self.make)
        self.cancel_button.clicked.connect(self.cancel)
        self.open_button.clicked.connect(self.open_result)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self._suggested = ""
        for line in (
            self.month,
            self.start,
            self.end,
            self.served_on,
            self.case_number,
            self.cases,
        ):
            line.textChanged.connect(self._suggest_path)
        for combo in (self.by, self.venue, self.roster_venue, self.fmt):
            combo.currentIndexChanged.connect(self._suggest_path)

        top = QFormLayout()
        top.addRow(self.tr("作るもの(&K)"), self.kind)
        out_row = QHBoxLayout()
        out_row.addWidget(self.out, 1)
        out_row.addWidget(browse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.make_button)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.progress, 1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.suppress)
        layout.addWidget(self.params)
        out_form = QFormLayout()
        out_form.addRow(self.tr("保存先"), out_row)
        layout.addLayout(out_form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addStretch(1)
        self._kind_changed()

    def refresh(self) -> None:
        venues = self.ctx.venues.list()
        for combo in (self.venue, self.roster_venue):
            current = combo.currentData() or self.ctx.settings.venue_id
            combo.clear()
            for venue in venues:
                combo.addItem(venue.name, str(venue.id))
            combo.setCurrentIndex(max(combo.findData(current), 0))

    def _key(self) -> str:
        data = str(self.kind.currentData())
        return "export" if data.startswith("export:") else data

    def _kind_changed(self) -> None:
        if self.kind.currentData() is None:  # nothing this role may make
            return
        key = self._key()
        self.params.setCurrentIndex(self._pages[key])
        self.suppress.setVisible(key in ("monthly", "venue"))
        self._suggest_path()

    def _suggested_name(self) -> str | None:
        """The file name for what is asked for (reports.names), or None while a parameter
        cannot be read yet (a month half typed)."""
        from evacsupport.services.reporting import parse_month

        data, today = str(self.kind.currentData()), date.today()
        try:
            if data == "monthly":
                return names.monthly_name(
                    parse_month(self.month.text()), str(self.by.currentData())
                )
            if data == "venue":
                start, end = parse_date(self.start.text()), parse_date(self.end.text())
                if start is None or end is None:
                    return None
                return names.venue_activity_name(self.venue.currentText(), start, end)
            if data == "case":
                number = self.case_number.text().strip().upper()
                return names.case_summary_name(number, today) if number else None
            if data == "cards":
                return names.cards_name(self.cases.text().split(), today)
            if data == "roster":
                served = parse_date(self.served_on.text())
                if served is None:
                    return None
                return names.roster_name(self.roster_venue.currentText(), served)
            if data.startswith("export:"):
                return names.export_name(data.split(":", 1)[1], str(self.fmt.currentData()), today)
        except EvacError:
            return None
        return None

    def _suggest_path(self, *_: object) -> None:
        """Name the file after what it reports, as the parameters change; a name the user typed
        or chose stays (only its folder is used for the next suggestion)."""
        name = self._suggested_name()
        if name is None:
            return
        current = self.out.text().strip()
        if current and Path(current).name != self._suggested:
            return  # the user's own name
        folder = Path(current).parent if current else data_dir() / "reports"
        self._suggested = name
        self.out.setText(str(folder / name))

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, self.tr("保存先"), self.out.text())
        if path:
            self.out.setText(path)

    # --- making ---------------------------------------------------------------------------------
    def _job(self) -> Callable[[Path], Any]:
        """What to run in the background; parameters are read and checked here, on the UI
        thread, so a mistake is reported before any work starts."""
        db, data = self.ctx.db, str(self.kind.currentData())
        if data.startswith("export:"):
            from evacsupport.exporters import tables

            table, fmt = data.split(":", 1)[1], str(self.fmt.currentData())
            function = getattr(tables, f"export_{table}")
            return lambda path: function(db, fmt, path)
        request = ReportRequest(
            kind=data,
            suppress_small=self.suppress.isChecked(),
            risk=self.ctx.settings.risk_settings(),
        )
        if data == "monthly":
            from evacsupport.services.reporting import parse_month

            request.month, request.by = parse_month(self.month.text()), str(self.by.currentData())
        elif data in ("venue", "roster"):
            combo = self.venue if data == "venue" else self.roster_venue
            if not combo.currentData():
                raise EvacError("venue.not_found", value="")
            request.venue_id = uuid.UUID(combo.currentData())
            if data == "venue":
                request.start, request.end = (
                    parse_date(self.start.text()),
                    parse_date(self.end.text()),
                )
            else:
                request.served_on = parse_date(self.served_on.text())
        elif data == "case":
            request.household_id = self.ctx.households.get_by_case_number(
                self.case_number.text()
            ).id
        elif data == "cards" and self.cases.text().strip():
            request.household_ids = card_ids(db, self.cases.text().split())
        organisation = self.ctx.settings.organisation
        return lambda path: run_report(db, request, path, organisation)

    def make(self) -> None:
        path = Path(self.out.text()).expanduser()
        try:
            job = self._job()
        except EvacError as exc:
            self.status.show_message(exc.message())
            return
        self.make_button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.open_button.setEnabled(False)
        self.progress.show()
        self.status.show_message("")
        self._task = run_in_background(lambda: (job(path), path)[1], self._done, self._failed)

    def cancel(self) -> None:
        """The result is dropped: the file, if the work still completes, is removed."""
        if self._task is not None:
            self._task.cancel()
            path = Path(self.out.text()).expanduser()
            self._task.signals.finished.connect(lambda: path.unlink(missing_ok=True))
        self._task = None
        self._reset()
        self.status.show_message(self.tr("中止しました"))
        self.finished.emit("")

    def _done(self, path: Path) -> None:
        self._task = None
        self._reset()
        self.last_path = path
        self.open_button.setEnabled(True)
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.show_message(self.tr("作成しました：%1").replace("%1", str(path)))
        self.finished.emit(str(path))

    def _failed(self, exc: EvacError) -> None:
        self._task = None
        self._reset()
        self.status.setStyleSheet("color: #b00020;")
        self.status.show_message(error_text(exc, self.ctx.db))
        self.finished.emit("")

    def _reset(self) -> None:
        self.make_button.setEnabled(True)
        self.cancel_button.setEnabled(False)
        self.progress.hide()

    def open_result(self) -> None:
        if self.last_path is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.last_path)))


class ReportsPage(QTabWidget):
    """The section: making reports and exports, and the caseload summary."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.form = ReportForm(ctx, self)
        self.summary = SummaryPage(ctx, self)
        # "&" in the English title ("Reports & exports") is text, not a mnemonic.
        self.addTab(self.form, self.tr("報告書・書き出し").replace("&", "&&"))
        self.addTab(self.summary, self.tr("集計"))
        self.setTabVisible(1, can(ctx.db, Permission.AGGREGATE_REPORTS))
        self.currentChanged.connect(lambda _i: self.refresh())

    def refresh(self) -> None:
        page = self.currentWidget()
        if hasattr(page, "refresh"):
            page.refresh()
