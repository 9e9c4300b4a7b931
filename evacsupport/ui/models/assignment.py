"""Table models for connecting households to venues: ranked suggestions and allocation plans.

Suggestions keep excluded venues in the list (greyed, after the ranked ones, with their reasons)
because a coordinator asked "why not the venue next door?" must be able to answer from the screen.
"""

from __future__ import annotations

import uuid
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtGui import QFont

from evacsupport.services.assignment import HouseholdNeeds, Placement, Suggestion
from evacsupport.services.places import precision_label
from evacsupport.ui.models.records import Column, Index, RecordTableModel
from evacsupport.ui.models.venues import muted_text_color


def reason_separator() -> str:
    """Between reasons: 「、」 in Japanese, "; " in English (the reasons contain commas)."""
    return QCoreApplication.translate("Assignment", "、")


def join_reasons(reasons: tuple[str, ...] | list[str]) -> str:
    return reason_separator().join(reasons)


def km(value: float | None) -> str:
    """Distances to one decimal: what a coordinator can tell a family ("about 1.2 km")."""
    return "" if value is None else f"{value:.1f}"


class SuggestionTableModel(RecordTableModel[Suggestion]):
    """Suggestions for one household, ranked first, excluded after (greyed).

    ``current_venue_id`` marks the venue the household uses now: its name gets "（利用中）" and
    a bold font, so a reassignment never starts from a guess about where the family goes today.
    """

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__([], parent)
        self.current_venue_id: uuid.UUID | None = None
        self.columns = [
            Column(self.tr("会場"), self._venue_text),
            Column(self.tr("距離 km"), lambda s: km(s.distance_km), numeric=True),
            Column(self.tr("今週の開催"), lambda s: s.sessions_next_week, numeric=True),
            Column(self.tr("空き"), lambda s: s.venue.free, numeric=True),
            Column(self.tr("理由"), self.reasons_text),
        ]

    def set_suggestions(
        self, suggestions: list[Suggestion], current_venue_id: uuid.UUID | None
    ) -> None:
        self.current_venue_id = current_venue_id
        self.set_rows(suggestions)

    def _venue_text(self, suggestion: Suggestion) -> str:
        if suggestion.venue.id == self.current_venue_id:
            return suggestion.venue.name + self.tr("（利用中）")
        return suggestion.venue.name

    def reasons_text(self, suggestion: Suggestion) -> str:
        text = join_reasons(suggestion.reasons)
        return self.tr("対象外：") + text if suggestion.excluded else text

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        suggestion = super().data(index, self.ROW_ROLE) if index.isValid() else None
        if isinstance(suggestion, Suggestion):
            if role == Qt.ItemDataRole.ForegroundRole and suggestion.excluded:
                return muted_text_color()
            if role == Qt.ItemDataRole.ToolTipRole:
                return "\n".join(suggestion.reasons)
            if role == Qt.ItemDataRole.FontRole and suggestion.venue.id == self.current_venue_id:
                font = QFont()
                font.setBold(True)
                return font
        return super().data(index, role)


def placement_columns() -> list[Column[Placement]]:
    return [
        Column(
            QCoreApplication.translate("Allocation", "世帯番号"), lambda p: p.household.case_number
        ),
        Column(QCoreApplication.translate("Allocation", "人数"), lambda p: p.household.size, True),
        Column(QCoreApplication.translate("Allocation", "会場"), lambda p: p.venue.name),
        Column(
            QCoreApplication.translate("Allocation", "距離 km"), lambda p: km(p.distance_km), True
        ),
        Column(QCoreApplication.translate("Allocation", "位置"), lambda p: where(p.household)),
        Column(QCoreApplication.translate("Allocation", "理由"), lambda p: p.reason),
    ]


def where(household: HouseholdNeeds) -> str:
    """What the household's point stands for: 町丁目, or およそ（郵便番号の区域） when the distance
    from it is only approximate (the plan lists those, as the map draws them as rings)."""
    label = precision_label(household.precision)
    if household.approximate:
        return QCoreApplication.translate("Allocation", "およそ（%1）").replace("%1", label)
    return label


def unplaced_columns() -> list[Column[tuple[HouseholdNeeds, str]]]:
    return [
        Column(QCoreApplication.translate("Allocation", "世帯番号"), lambda u: u[0].case_number),
        Column(QCoreApplication.translate("Allocation", "人数"), lambda u: u[0].size, True),
        Column(QCoreApplication.translate("Allocation", "配置できない理由"), lambda u: u[1]),
    ]
