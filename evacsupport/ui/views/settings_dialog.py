"""Edit or File → 設定…: the user preferences in ``settings.json`` (:class:`Settings`).

Numbers are typed (full-width digits too) and checked when saving, each message under its field;
nothing is written while one is wrong. Saving replaces the file atomically (:meth:`Settings.save`)
and changes the shared :class:`Settings` object in place, so the reports' organisation name, the
staff name and the counter's venue apply at once; the window applies the idle lock itself
(signal ``saved``). Administrators and coordinators (who may make backups) can change the
settings; other roles see them read-only.
"""

from __future__ import annotations

import dataclasses
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evacsupport.config import Settings
from evacsupport.domain.roles import Permission
from evacsupport.services.authz import can
from evacsupport.services.risk import RiskSettings
from evacsupport.ui.context import AppContext
from evacsupport.ui.errors import error_text
from evacsupport.ui.widgets.fields import ERROR_STYLE, FieldMessage
from evacsupport.ui.widgets.screen_fit import fit_to_screen

TEXT_LIMIT = 100  # organisation and staff names, as the name columns


@dataclass(frozen=True)
class NumberRule:
    minimum: int
    maximum: int


NUMBER_RULES = {
    "idle_lock_minutes": NumberRule(0, 24 * 60),
    "retention_months": NumberRule(0, 1200),
    "backup_keep_daily": NumberRule(1, 365),
    "backup_keep_weekly": NumberRule(0, 520),
}
RISK_RULE = NumberRule(0, 999)
RISK_AGE_RULE = NumberRule(0, 130)


def parse_whole(text: str) -> int | None:
    """A whole number typed with half- or full-width digits; None for anything else."""
    value = unicodedata.normalize("NFKC", text).strip().replace(",", "")
    if not value or not value.isascii() or not value.isdecimal():
        return None
    return int(value)


class SettingsDialog(QDialog):
    """Attributes for tests: ``organisation``, ``staff_name``, ``venue``, ``language``,
    ``numbers`` (name → line edit; risk thresholds as ``risk.<field>``), ``messages`` (the same
    names → inline message), ``backup_folder``, ``backup_second_folder``, ``backup_encrypt``,
    ``save_button``, ``status``, ``editable``.

    Signals:
        saved(Settings): the settings were written (the same object the window shares).
    """

    saved = Signal(object)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("設定"))
        self.ctx = ctx
        self.settings = ctx.settings
        self.editable = can(ctx.db, Permission.BACKUP)
        self.numbers: dict[str, QLineEdit] = {}
        self.messages: dict[str, FieldMessage] = {}

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self._general_tab(), self.tr("全般"))
        self.tabs.addTab(self._risk_tab(), self.tr("見守りの基準"))
        self.tabs.addTab(self._backup_tab(), self.tr("バックアップと保存期間"))

        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setStyleSheet(ERROR_STYLE)
        self.status.hide()
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(
            self.tr("保存(&S)"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        cancel = buttons.addButton(
            self.tr("キャンセル") if self.editable else self.tr("閉じる"),
            QDialogButtonBox.ButtonRole.RejectRole,
        )
        cancel.clicked.connect(self.reject)
        self.save_button.clicked.connect(self.save)
        self.save_button.setDefault(True)

        layout = QVBoxLayout(self)
        if not self.editable:
            note = QLabel(
                self.tr("設定を変更できるのは管理者とコーディネーターです（表示のみ）。"), self
            )
            note.setWordWrap(True)
            layout.addWidget(note)
            self.save_button.hide()
            for widget in self.tabs.findChildren(QWidget):
                if isinstance(widget, QLineEdit):
                    widget.setReadOnly(True)
                elif isinstance(widget, QComboBox | QCheckBox | QPushButton):
                    widget.setEnabled(False)
        layout.addWidget(self.tabs)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        fit_to_screen(self)
        self.organisation.setFocus()  # the first field, not the tab bar

    # --- tabs ---------------------------------------------------------------------------------
    def _number(self, form: QFormLayout, name: str, title: str, value: int, hint: str = "") -> None:
        edit = QLineEdit(str(value), self)
        metrics = edit.fontMetrics()
        edit.setMaximumWidth(metrics.horizontalAdvance("0") * 10 + 16)
        message = FieldMessage(self)
        self.numbers[name] = edit
        self.messages[name] = message
        row = QHBoxLayout()
        row.addWidget(edit)
        if hint:
            note = QLabel(hint, self)
            note.setStyleSheet("color: #555;")
            row.addWidget(note)
        row.addStretch(1)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addLayout(row)
        box.addWidget(message)
        label = QLabel(title, self)
        label.setBuddy(edit)
        form.addRow(label, box)
        edit.editingFinished.connect(lambda n=name: self._check_number(n))

    def _text(self, form: QFormLayout, title: str, value: str) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setMaxLength(TEXT_LIMIT)
        label = QLabel(title, self)
        label.setBuddy(edit)
        form.addRow(label, edit)
        return edit

    def _general_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        s = self.settings
        self.organisation = self._text(form, self.tr("団体名（帳票に印刷）(&O)："), s.organisation)
        self.staff_name = self._text(form, self.tr("担当者名(&N)："), s.staff_name)
        self.venue = QComboBox(page)
        self.venue.addItem(self.tr("（指定しない）"), "")
        for venue in self.ctx.venues.list(include_inactive=False):
            self.venue.addItem(venue.name, str(venue.id))
        if s.venue_id and self.venue.findData(s.venue_id) < 0:
            self.venue.addItem(self.tr("（削除された会場）"), s.venue_id)
        self.venue.setCurrentIndex(max(self.venue.findData(s.venue_id), 0))
        venue_label = QLabel(self.tr("このパソコンの会場(&V)："), page)
        venue_label.setBuddy(self.venue)
        form.addRow(venue_label, self.venue)
        self.language = QComboBox(page)
        self.language.addItem("日本語", "ja")
        self.language.addItem("English", "en")
        self.language.setCurrentIndex(max(self.language.findData(s.language), 0))
        language_label = QLabel(self.tr("表示言語(&L)："), page)
        language_label.setBuddy(self.language)
        form.addRow(language_label, self.language)
        language_note = QLabel(
            self.tr("表示言語は次回の起動から反映されます（表示 → 表示言語 と同じ）。"), page
        )
        language_note.setWordWrap(True)
        language_note.setStyleSheet("color: #555;")
        form.addRow("", language_note)
        self._number(
            form,
            "idle_lock_minutes",
            self.tr("自動ロックまでの時間（分）(&I)："),
            s.idle_lock_minutes,
            self.tr("0 でロックしない"),
        )
        return page

    def risk_labels(self) -> dict[str, str]:
        """Each threshold of :class:`RiskSettings`, in words."""
        return {
            "k6_serious": self.tr("K6：重い心理的苦痛とみなす点数"),
            "k6_indicator": self.tr("K6：注意が必要とみなす点数"),
            "loneliness_high": self.tr("孤独感（直接質問）：注意とみなす回答"),
            "ucla3_high": self.tr("孤独感尺度（UCLA 3項目）：注意とみなす点数"),
            "older_age": self.tr("高齢者とみなす年齢"),
            "alone_no_contact_days": self.tr("一人暮らしの高齢者：接触のない日数"),
            "stopped_days": self.tr("来なくなった：食事のない日数"),
            "regular_min_meals": self.tr("常連とみなす食事の回数"),
            "regular_weeks": self.tr("常連を判断する期間（週）"),
            "k6_worsen": self.tr("K6：悪化とみなす増加"),
            "ucla3_worsen": self.tr("孤独感尺度：悪化とみなす増加"),
            "loneliness_worsen": self.tr("孤独感（直接質問）：悪化とみなす増加"),
        }

    def _risk_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        intro = QLabel(
            self.tr(
                "ダッシュボードの「見守りが必要な世帯」を選ぶ基準です。"
                "チームで決めた値に変更できます。"
            ),
            page,
        )
        intro.setWordWrap(True)
        form.addRow(intro)
        current = self.settings.risk_settings()
        defaults = RiskSettings()
        for name, title in self.risk_labels().items():
            self._number(
                form,
                f"risk.{name}",
                title + self.tr("："),
                getattr(current, name),
                self.tr("既定 %1").replace("%1", str(getattr(defaults, name))),
            )
        return page

    def _folder(
        self, form: QFormLayout, name: str, title: str, value: str, placeholder: str
    ) -> QLineEdit:
        edit = QLineEdit(value, self)
        edit.setPlaceholderText(placeholder)
        browse = QPushButton(self.tr("参照…"), self)
        browse.clicked.connect(lambda: self._browse(edit))
        message = FieldMessage(self)
        self.messages[name] = message
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(browse)
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addLayout(row)
        box.addWidget(message)
        label = QLabel(title, self)
        label.setBuddy(edit)
        form.addRow(label, box)
        return edit

    def _backup_tab(self) -> QWidget:
        page = QWidget(self)
        form = QFormLayout(page)
        s = self.settings
        self.backup_folder = self._folder(
            form,
            "backup_folder",
            self.tr("バックアップの保存先(&B)："),
            s.backup_folder,
            self.tr("空欄：データフォルダの backups"),
        )
        self.backup_second_folder = self._folder(
            form,
            "backup_second_folder",
            self.tr("2つ目の保存先（USBメモリなど）(&U)："),
            s.backup_second_folder,
            self.tr("空欄：使わない"),
        )
        self._number(form, "backup_keep_daily", self.tr("日ごとに残す数："), s.backup_keep_daily)
        self._number(form, "backup_keep_weekly", self.tr("週ごとに残す数："), s.backup_keep_weekly)
        self.backup_encrypt = QCheckBox(
            self.tr("バックアップをチームのパスフレーズで暗号化する(&E)"), page
        )
        self.backup_encrypt.setChecked(bool(s.backup_encrypt))
        form.addRow("", self.backup_encrypt)
        self._number(
            form,
            "retention_months",
            self.tr("支援終了後の保存期間（か月）："),
            s.retention_months,
            self.tr("0 で期限なし"),
        )
        return page

    def _browse(self, edit: QLineEdit) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("フォルダを選択"), edit.text())
        if folder:
            edit.setText(folder)

    # --- checking and saving ------------------------------------------------------------------
    def _rule(self, name: str) -> NumberRule:
        if name == "risk.older_age":
            return RISK_AGE_RULE
        return NUMBER_RULES.get(name, RISK_RULE)

    def _check_number(self, name: str) -> int | None:
        rule = self._rule(name)
        value = parse_whole(self.numbers[name].text())
        if value is None:
            message = self.tr("0以上の整数で入力してください。")
        elif not rule.minimum <= value <= rule.maximum:
            message = (
                self.tr("%1〜%2 の範囲で入力してください。")
                .replace("%1", str(rule.minimum))
                .replace("%2", str(rule.maximum))
            )
        else:
            message = ""
        self.messages[name].show_message(message)
        return None if message else value

    def _check_folder(self, name: str, edit: QLineEdit) -> str | None:
        text = edit.text().strip()
        message = ""
        if text:
            path = Path(text).expanduser()
            if not path.is_absolute():
                message = self.tr("フォルダの場所を完全な形で指定してください（参照…で選べます）。")
            elif path.exists() and not path.is_dir():
                message = self.tr("フォルダではなくファイルです。")
        self.messages[name].show_message(message)
        return None if message else text

    def values(self) -> Settings | None:
        """The settings as typed, or None (with the messages shown) while something is wrong."""
        numbers = {name: self._check_number(name) for name in self.numbers}
        folders = {
            "backup_folder": self._check_folder("backup_folder", self.backup_folder),
            "backup_second_folder": self._check_folder(
                "backup_second_folder", self.backup_second_folder
            ),
        }
        if any(v is None for v in numbers.values()) or any(v is None for v in folders.values()):
            return None
        defaults = RiskSettings()
        risk = {
            name: value
            for name in RiskSettings.__dataclass_fields__
            if (value := numbers[f"risk.{name}"]) is not None and value != getattr(defaults, name)
        }
        return dataclasses.replace(
            self.settings,
            organisation=self.organisation.text().strip(),
            staff_name=self.staff_name.text().strip(),
            venue_id=str(self.venue.currentData() or ""),
            language=str(self.language.currentData() or "ja"),
            idle_lock_minutes=numbers["idle_lock_minutes"] or 0,
            retention_months=numbers["retention_months"] or 0,
            backup_keep_daily=numbers["backup_keep_daily"] or 1,
            backup_keep_weekly=numbers["backup_keep_weekly"] or 0,
            backup_folder=folders["backup_folder"] or "",
            backup_second_folder=folders["backup_second_folder"] or "",
            backup_encrypt=self.backup_encrypt.isChecked(),
            risk=risk,
        )

    def save(self) -> bool:
        if not self.editable:
            return False
        typed = self.values()
        if typed is None:
            self._say(self.tr("赤字の項目を直してください。保存していません。"))
            self._show_first_error()
            return False
        try:
            typed.save()
        except OSError as exc:
            self._say(self.tr("設定を保存できませんでした：%1").replace("%1", error_text(exc)))
            return False
        for item in dataclasses.fields(Settings):  # the window, context and views share it
            setattr(self.settings, item.name, getattr(typed, item.name))
        self.saved.emit(self.settings)
        self.accept()
        return True

    def _say(self, text: str) -> None:
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _show_first_error(self) -> None:
        for name, message in self.messages.items():
            if message.text() and not message.isHidden():
                edit = self.numbers.get(name) or (
                    self.backup_folder if name == "backup_folder" else self.backup_second_folder
                )
                self.tabs.setCurrentIndex(self._tab_of(edit))
                edit.setFocus()
                edit.selectAll()
                return

    def _tab_of(self, widget: QWidget) -> int:
        for index in range(self.tabs.count()):
            page = self.tabs.widget(index)
            if page is not None and page.isAncestorOf(widget):
                return index
        return self.tabs.currentIndex()
