"""「バックアップから復元…」: this database's backups, newest first, and a Restore button."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport.services import backup
from evacsupport.services.backup import BackupInfo, BackupPolicy
from evacsupport.ui.prompts import Prompter
from evacsupport.ui.views.backup.recovery import describe_size
from evacsupport.ui.widgets.screen_fit import fit_to_screen

Index = QModelIndex | QPersistentModelIndex


class BackupModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[BackupInfo] = []

    def set_rows(self, rows: list[BackupInfo]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 4

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return [self.tr("作成日時"), self.tr("大きさ"), self.tr("暗号化"), self.tr("場所")][
                section
            ]
        return None

    def data(self, index: Index, role: int = 0) -> Any:
        if not index.isValid() or role != Qt.ItemDataRole.DisplayRole:
            return None
        info = self.rows[index.row()]
        return [
            f"{info.made_at:%Y-%m-%d %H:%M:%S}",
            describe_size(info.size),
            self.tr("あり") if info.encrypted else self.tr("なし"),
            str(info.path.parent),
        ][index.column()]


class RestoreDialog(QDialog):
    """Attributes for tests: ``model``, ``table``, ``restore_button``, ``message``.

    ``restore(info, passphrase)`` does the work (the window closes and reopens its database)
    and says whether it succeeded; the dialog asks for confirmation and the passphrase first.
    """

    def __init__(
        self,
        policy: BackupPolicy,
        prompter: Prompter,
        restore: Callable[[BackupInfo, str | None], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("バックアップから復元"))
        self._policy, self._prompter, self._restore = policy, prompter, restore
        self.model = BackupModel(self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.message = QLabel(self)
        self.message.setWordWrap(True)
        self.restore_button = QPushButton(self.tr("復元(&R)…"), self)
        self.restore_button.clicked.connect(self.restore_selected)
        close = QPushButton(self.tr("閉じる"), self)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                self.tr(
                    "選んだバックアップの内容でデータベースを置き換えます。"
                    "今のファイルは消さずに別名で残します。"
                ),
                self,
            )
        )
        layout.addWidget(self.table)
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._enable())
        self.reload()
        fit_to_screen(self, QSize(720, 400))

    def reload(self) -> None:
        self.model.set_rows(backup.list_backups(self._policy))
        if self.model.rows:
            self.table.selectRow(0)
            self.message.setText("")
        else:
            self.message.setText(
                self.tr("バックアップはまだありません：%1").replace("%1", str(self._policy.folder))
            )
        self._enable()

    def _enable(self) -> None:
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.rows[rows[0].row()] if rows else None

    def restore_selected(self) -> bool:
        info = self.selected()
        if info is None:
            return False
        if not self._prompter.confirm(
            self,
            self.tr("バックアップから復元"),
            self.tr(
                "%1 のバックアップでデータベースを置き換えます。"
                "それ以降の変更は失われます（今のファイルは別名で残します）。よろしいですか？"
            ).replace("%1", f"{info.made_at:%Y-%m-%d %H:%M}"),
        ):
            return False
        passphrase = None
        if info.encrypted:
            passphrase = self._prompter.ask_password(
                self, self.tr("バックアップから復元"), self.tr("合言葉（パスフレーズ）：")
            )
            if passphrase is None:
                return False
        if self._restore(info, passphrase):
            self.accept()
            return True
        self.reload()
        return False
