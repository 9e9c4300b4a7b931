"""Table models for the Sync section: the peers (when each last synced) and the conflicts.

Both lists are short (a few laptops, a handful of fields edited on two laptops at once), so the
models hold the service's rows as they are and format each cell on demand.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt

from evacsupport.sync.service import ConflictInfo, PeerInfo
from evacsupport.ui.models.records import Column, RecordTableModel

NEVER = "—"


def when(at: datetime | None) -> str:
    """A sync time in the laptop's local time, to the minute; a dash when it never happened."""
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else NEVER


def field_label(field: str) -> str:
    """The Japanese name staff know a field by; the raw name for anything uncommon."""
    labels = {
        "family_name": QCoreApplication.translate("SyncModels", "姓"),
        "given_name": QCoreApplication.translate("SyncModels", "名"),
        "family_kana": QCoreApplication.translate("SyncModels", "姓（ふりがな）"),
        "given_kana": QCoreApplication.translate("SyncModels", "名（ふりがな）"),
        "phone": QCoreApplication.translate("SyncModels", "電話番号"),
        "notes": QCoreApplication.translate("SyncModels", "メモ"),
        "allergens": QCoreApplication.translate("SyncModels", "アレルゲン"),
        "capacity": QCoreApplication.translate("SyncModels", "定員"),
        "name": QCoreApplication.translate("SyncModels", "名称"),
        "case_number": QCoreApplication.translate("SyncModels", "世帯番号"),
        "current_address": QCoreApplication.translate("SyncModels", "現住所"),
        "evacuation_status": QCoreApplication.translate("SyncModels", "避難形態"),
        "status": QCoreApplication.translate("SyncModels", "状態"),
    }
    return labels.get(field, field)


def value_text(value: Any) -> str:
    """One side of a conflict as a cell shows it; an empty value says so."""
    if value is None or value == "" or value == []:
        return QCoreApplication.translate("SyncModels", "（空欄）")
    if isinstance(value, bool):
        return (
            QCoreApplication.translate("SyncModels", "はい")
            if value
            else QCoreApplication.translate("SyncModels", "いいえ")
        )
    if isinstance(value, list | tuple):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, datetime):
        return when(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def kept_value(conflict: ConflictInfo) -> Any:
    """The value the database holds now (the merge kept one side until someone decides)."""
    return conflict.mine if conflict.kept == "mine" else conflict.theirs


def kept_text(conflict: ConflictInfo) -> str:
    side = (
        QCoreApplication.translate("SyncModels", "こちら")
        if conflict.kept == "mine"
        else QCoreApplication.translate("SyncModels", "相手")
    )
    return (
        QCoreApplication.translate("SyncModels", "%1（%2）")
        .replace("%1", value_text(kept_value(conflict)))
        .replace("%2", side)
    )


def state_text(conflict: ConflictInfo) -> str:
    if conflict.status == "open":
        return QCoreApplication.translate("SyncModels", "未解決")
    return {
        "mine": QCoreApplication.translate("SyncModels", "こちらを残した"),
        "theirs": QCoreApplication.translate("SyncModels", "相手を採用した"),
        "edit": QCoreApplication.translate("SyncModels", "編集した値にした"),
        "elsewhere": QCoreApplication.translate("SyncModels", "他の端末で解決済み"),
    }.get(conflict.resolution, conflict.resolution or conflict.status)


class PeerModel(RecordTableModel[PeerInfo]):
    """The laptops this one has exchanged packages with."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(QCoreApplication.translate("SyncModels", "端末名"), lambda p: p.name),
                Column(
                    QCoreApplication.translate("SyncModels", "範囲"),
                    lambda p: p.scope_venue or QCoreApplication.translate("SyncModels", "全件"),
                ),
                Column(
                    QCoreApplication.translate("SyncModels", "最終送信"),
                    lambda p: when(p.last_export_at),
                ),
                Column(
                    QCoreApplication.translate("SyncModels", "最終受信"),
                    lambda p: when(p.last_import_at),
                ),
                Column(
                    QCoreApplication.translate("SyncModels", "未確認の変更"),
                    lambda p: p.waiting,
                    numeric=True,
                ),
            ],
            parent,
        )

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid() and index.column() == 4:
            return QCoreApplication.translate(
                "SyncModels", "相手がまだ受け取ったと確認していない、この端末の変更の数"
            )
        return super().data(index, role)


class ConflictModel(RecordTableModel[ConflictInfo]):
    """Fields edited on two laptops before they synced; both values, and which one is kept."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(
            [
                Column(QCoreApplication.translate("SyncModels", "記録"), lambda c: c.record),
                Column(
                    QCoreApplication.translate("SyncModels", "項目"), lambda c: field_label(c.field)
                ),
                Column(
                    QCoreApplication.translate("SyncModels", "こちらの値"),
                    lambda c: value_text(c.mine),
                ),
                Column(
                    QCoreApplication.translate("SyncModels", "相手の値"),
                    lambda c: value_text(c.theirs),
                ),
                Column(QCoreApplication.translate("SyncModels", "現在残っている値"), kept_text),
                Column(QCoreApplication.translate("SyncModels", "相手端末"), lambda c: c.peer),
                Column(
                    QCoreApplication.translate("SyncModels", "検出日時"),
                    lambda c: when(c.detected_at),
                ),
                Column(QCoreApplication.translate("SyncModels", "状態"), state_text),
            ],
            parent,
        )

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):  # type: ignore[no-untyped-def]
        if role == Qt.ItemDataRole.ToolTipRole and index.isValid():
            conflict = self.rows()[index.row()]
            if index.column() == 1:
                return conflict.field
            if index.column() in (2, 3, 4):
                return super().data(index, Qt.ItemDataRole.DisplayRole)
        return super().data(index, role)
