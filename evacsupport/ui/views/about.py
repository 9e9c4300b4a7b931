"""Help → このアプリについて: name, version, where the data and the log are, licences.

The list of parts lives in ``resources/licenses.json`` (one place, shipped with the built app);
the IPA font's licence text is shipped beside the font and shown in full on request. Data whose
licence asks for an attribution (the town points, CC BY 4.0) has it printed in full under the
table, where a narrow column cannot cut it short.
"""

from __future__ import annotations

import functools
import importlib.metadata
import json
import platform
from dataclasses import dataclass

from PySide6.QtCore import QSize, Qt, QUrl
from PySide6.QtGui import QDesktopServices, QFontDatabase, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from evacsupport import __version__, logs
from evacsupport.config import data_dir
from evacsupport.i18n import current_language
from evacsupport.resources import resource_path
from evacsupport.ui.widgets.screen_fit import fit_to_screen

QT_LGPL_URL = "https://www.qt.io/licensing/open-source-lgpl-obligations"


@dataclass(frozen=True)
class Component:
    name: str
    version: str
    license: str
    use: str
    url: str
    text: str  # a licence text file under resources/, or ""
    attribution: str = ""  # the credit the licence asks for, shown in full


def _installed_version(name: str, package: str) -> str:
    if name == "evacsupport":
        return __version__
    if name == "Python":
        return platform.python_version()
    if not package:
        return ""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:  # a frozen app may not carry the metadata
        return ""


@functools.cache
def _raw_components() -> tuple[dict[str, object], ...]:
    with resource_path("licenses.json").open(encoding="utf-8") as fh:
        return tuple(json.load(fh)["components"])


def components(language: str | None = None) -> list[Component]:
    """The bundled parts from ``resources/licenses.json``, described in ``language``."""
    lang = language or current_language()
    found = []
    for raw in _raw_components():
        package = str(raw.get("package", ""))
        name = str(raw["name"])
        found.append(
            Component(
                name=name,
                version=_installed_version(name, package),
                license=str(raw["license"]),
                use=_in_language(raw.get("use"), lang),
                url=str(raw.get("url", "")),
                text=str(raw.get("text", "")),
                attribution=_in_language(raw.get("attribution"), lang),
            )
        )
    return found


def _in_language(texts: object, lang: str) -> str:
    """A ``{"ja": ..., "en": ...}`` entry of licenses.json in ``lang`` (Japanese if missing)."""
    if not isinstance(texts, dict):
        return ""
    return str(texts.get(lang) or texts.get("ja", ""))


def font_licence_text() -> str:
    return resource_path("fonts", "IPA_Font_License_Agreement_v1.0.txt").read_text(encoding="utf-8")


class LicenceTextDialog(QDialog):
    """A licence's full text, read-only. Attribute for tests: ``text``."""

    def __init__(self, title: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setPlainText(text)
        self.text.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.text)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        fit_to_screen(self, QSize(metrics.horizontalAdvance("あ") * 40, metrics.height() * 30))


class AboutDialog(QDialog):
    """Attributes for tests: ``version_label``, ``data_folder``, ``database``, ``log_file``,
    ``table``, ``attribution``, ``font_button``; :meth:`show_font_licence` returns the licence
    text dialog."""

    COLUMNS = 4

    def __init__(
        self, database: str, parent: QWidget | None = None, *, encrypted: bool | None = None
    ) -> None:
        """``encrypted``: whether the SQLite file is encrypted (None: a server database)."""
        super().__init__(parent)
        self.setWindowTitle(self.tr("evacsupport について"))
        icon = QLabel(self)
        icon.setPixmap(QPixmap(str(resource_path("icons", "evacsupport-64.png"))))
        title = QLabel("evacsupport", self)
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        self.version_label = QLabel(self.tr("バージョン %1").replace("%1", __version__), self)
        summary = QLabel(
            self.tr(
                "避難者を地域の居場所（こども食堂など）につなぎ、見守るためのケース管理アプリ。"
            ),
            self,
        )
        summary.setWordWrap(True)
        heading = QVBoxLayout()
        heading.addWidget(title)
        heading.addWidget(self.version_label)
        heading.addWidget(summary)
        top = QHBoxLayout()
        top.addWidget(icon, 0, Qt.AlignmentFlag.AlignTop)
        top.addLayout(heading, 1)

        self.data_folder = self._selectable(str(data_dir()))
        self.database = self._selectable(database)
        # where "unexpected error" messages send people (and support) for the details
        self.log_file = self._selectable(str(logs.current_log_file() or logs.default_log_path()))
        where = QFormLayout()
        where.addRow(self.tr("データフォルダ："), self.data_folder)
        where.addRow(self.tr("使用中のデータベース："), self.database)
        where.addRow(self.tr("ログファイル："), self.log_file)
        self.encryption = QLabel(self)
        self.encryption.setWordWrap(True)
        if encrypted is not None:
            if encrypted:
                self.encryption.setText(self.tr("暗号化されています（SQLCipher、AES-256）"))
            else:
                self.encryption.setText(
                    self.tr(
                        "暗号化されていません。ノートパソコンをなくすと、ファイルから個人情報を"
                        "読まれるおそれがあります。管理者は［ファイル］→［データベースを暗号化］で"
                        "暗号化できます。"
                    )
                )
                self.encryption.setStyleSheet("color: #b00020;")
            where.addRow(self.tr("暗号化："), self.encryption)

        self.table = QTableWidget(0, self.COLUMNS, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("構成要素"), self.tr("バージョン"), self.tr("ライセンス"), self.tr("用途")]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        self._components = components()
        self.table.setRowCount(len(self._components))
        for row, part in enumerate(self._components):
            for column, value in enumerate((part.name, part.version, part.license, part.use)):
                item = QTableWidgetItem(value)
                item.setToolTip("\n".join(t for t in (value, part.attribution, part.url) if t))
                self.table.setItem(row, column, item)
        header = self.table.horizontalHeader()
        for column in range(self.COLUMNS - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(self.COLUMNS - 1, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self.open_link(index.row()))
        self.attribution = self._selectable(
            "\n".join(part.attribution for part in self._components if part.attribution)
        )
        self.attribution.setTextFormat(Qt.TextFormat.PlainText)
        self.attribution.setVisible(bool(self.attribution.text()))

        qt_note = QLabel(
            self.tr(
                "このアプリは Qt（PySide6）を LGPLv3 のもとで利用しています。Qt のライブラリは"
                "動的にリンクしているため、利用者が差し替えることができます。"
                '<a href="%1">LGPL の義務について</a>'
            ).replace("%1", QT_LGPL_URL),
            self,
        )
        qt_note.setTextFormat(Qt.TextFormat.RichText)
        qt_note.setOpenExternalLinks(True)
        qt_note.setWordWrap(True)
        hint = QLabel(self.tr("行をダブルクリックすると、その構成要素のサイトを開きます。"), self)
        hint.setWordWrap(True)

        self.font_button = QPushButton(self.tr("IPAフォントのライセンス全文(&F)…"), self)
        self.font_button.clicked.connect(self.show_font_licence)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.addButton(self.font_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(where)
        layout.addWidget(QLabel(self.tr("同梱している構成要素とライセンス"), self))
        layout.addWidget(self.table, 1)
        layout.addWidget(self.attribution)
        layout.addWidget(qt_note)
        layout.addWidget(hint)
        layout.addWidget(buttons)
        metrics = self.fontMetrics()
        fit_to_screen(self, QSize(metrics.horizontalAdvance("あ") * 76, metrics.height() * 40))

    def _selectable(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        label.setWordWrap(True)
        return label

    def licence_rows(self) -> list[tuple[str, str]]:
        """(component, licence) for every row, as shown."""
        rows = []
        for row in range(self.table.rowCount()):
            name, licence = self.table.item(row, 0), self.table.item(row, 2)
            rows.append((name.text() if name else "", licence.text() if licence else ""))
        return rows

    def open_link(self, row: int) -> None:
        if 0 <= row < len(self._components) and self._components[row].url:
            QDesktopServices.openUrl(QUrl(self._components[row].url))

    def show_font_licence(self) -> LicenceTextDialog:
        dialog = LicenceTextDialog(self.tr("IPAフォントライセンス v1.0"), font_licence_text(), self)
        dialog.show()
        return dialog
