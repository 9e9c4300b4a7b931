"""The audit trail as a table: a page of entries at a time, more as the view scrolls down.

The trail grows without end, so the model never loads it whole: :meth:`fetchMore` asks the
service for the next page (newest first) with the same filters.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

from evacsupport.db.engine import Database
from evacsupport.services import audit
from evacsupport.services.audit import AuditQuery, AuditRow

Index = QModelIndex | QPersistentModelIndex


def action_labels() -> dict[str, str]:
    return {
        "create": QCoreApplication.translate("AuditModel", "作成"),
        "update": QCoreApplication.translate("AuditModel", "更新"),
        "delete": QCoreApplication.translate("AuditModel", "削除"),
        "login": QCoreApplication.translate("AuditModel", "ログイン"),
        "login_failed": QCoreApplication.translate("AuditModel", "ログイン失敗"),
        "export": QCoreApplication.translate("AuditModel", "出力"),
        "report": QCoreApplication.translate("AuditModel", "帳票"),
        "import": QCoreApplication.translate("AuditModel", "取込"),
        "sync_import": QCoreApplication.translate("AuditModel", "同期取込"),
        "sync_export": QCoreApplication.translate("AuditModel", "同期出力"),
        "erase": QCoreApplication.translate("AuditModel", "消去"),
        "audit_scrub": QCoreApplication.translate("AuditModel", "監査ログの消去処理"),
        "restore": QCoreApplication.translate("AuditModel", "復元"),
        "backup": QCoreApplication.translate("AuditModel", "バックアップ"),
    }


def entity_labels() -> dict[str, str]:
    return {
        "household": QCoreApplication.translate("AuditModel", "世帯"),
        "member": QCoreApplication.translate("AuditModel", "世帯員"),
        "consent": QCoreApplication.translate("AuditModel", "同意"),
        "residence": QCoreApplication.translate("AuditModel", "居所"),
        "assignment": QCoreApplication.translate("AuditModel", "会場の割り当て"),
        "visit": QCoreApplication.translate("AuditModel", "訪問・電話"),
        "checkin": QCoreApplication.translate("AuditModel", "チェックイン"),
        "followup": QCoreApplication.translate("AuditModel", "フォローアップ"),
        "meal_log": QCoreApplication.translate("AuditModel", "食事の記録"),
        "venue": QCoreApplication.translate("AuditModel", "会場"),
        "disaster_event": QCoreApplication.translate("AuditModel", "災害"),
        "app_user": QCoreApplication.translate("AuditModel", "利用者アカウント"),
        "audit_entry": QCoreApplication.translate("AuditModel", "監査ログ"),
    }


class AuditModel(QAbstractTableModel):
    """Attributes for tests: ``rows`` (the :class:`AuditRow` entries loaded so far)."""

    def __init__(self, db: Database, parent: QObject | None = None, page: int = audit.PAGE):
        super().__init__(parent)
        self.db = db
        self.page = page
        self.query = AuditQuery()
        self.rows: list[AuditRow] = []
        self._more = False
        self._actions = action_labels()
        self._entities = entity_labels()
        self.headers = [
            QCoreApplication.translate("AuditModel", "日時"),
            QCoreApplication.translate("AuditModel", "利用者"),
            QCoreApplication.translate("AuditModel", "操作"),
            QCoreApplication.translate("AuditModel", "対象"),
            QCoreApplication.translate("AuditModel", "記録"),
            QCoreApplication.translate("AuditModel", "変更内容"),
        ]

    def load(self, query: AuditQuery) -> None:
        """Start over with ``query``: the first page (raises what the service raises)."""
        first = audit.search(self.db, query, self.page, 0)
        self.beginResetModel()
        self.query = query
        self.rows = first
        self._more = len(first) == self.page
        self.endResetModel()

    def canFetchMore(self, parent: Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        more = audit.search(self.db, self.query, self.page, len(self.rows))
        self._more = len(more) == self.page
        if more:
            self.beginInsertRows(QModelIndex(), len(self.rows), len(self.rows) + len(more) - 1)
            self.rows.extend(more)
            self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None

    def action_label(self, action: str) -> str:
        return self._actions.get(action, action)

    def entity_label(self, entity: str) -> str:
        return self._entities.get(entity, entity)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (
            Qt.ItemDataRole.DisplayRole,
            Qt.ItemDataRole.ToolTipRole,
        ):
            return None
        row = self.rows[index.row()]
        column = index.column()
        if column == 0:
            return row.at.astimezone().strftime("%Y-%m-%d %H:%M:%S")
        if column == 1:
            return row.username
        if column == 2:
            return self.action_label(row.action)
        if column == 3:
            return self.entity_label(row.entity)
        if column == 4:
            return row.record
        summary = row.summary()
        return summary if role == Qt.ItemDataRole.ToolTipRole else summary[:200]
