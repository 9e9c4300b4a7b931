"""Table model for the venue registry: one row per venue, texts worked out once per refresh.

Venues number in the tens, so the model holds the :class:`Venue` rows themselves (detached, read
only) and precomputes what each cell shows and a search key; filtering and sorting happen in a
``QSortFilterProxyModel`` over it without asking the database again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from evacsupport.db.models import Venue
from evacsupport.domain.codes import VenueKind, label
from evacsupport.domain.normalize import search_key
from evacsupport.domain.schedule import Slot, format_schedule
from evacsupport.errors import EvacError

Index = QModelIndex | QPersistentModelIndex

# Joins the per-field search keys: search_key drops spaces, so a query can never match across it.
_KEY_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class _Cells:
    """What one row shows, computed once so sorting and painting never re-format."""

    venue: Venue
    display: tuple[Any, ...]
    search: str


def schedule_text(venue: Venue) -> str:
    """The weekly schedule as staff write it; a damaged stored value is shown, not raised."""
    try:
        return format_schedule([Slot.from_json(s) for s in venue.schedule or []])
    except (EvacError, KeyError, TypeError, ValueError):
        return str(venue.schedule)


def muted_text_color() -> QColor:
    """Text halfway to the background: clearly greyed, yet readable (about 4.5:1 on white).

    Mixed from the palette rather than fixed, so dark themes get a grey that suits them; the
    palette's own disabled colour is too faint to read a venue's name in.
    """
    palette = QGuiApplication.palette()
    text = palette.color(QPalette.ColorRole.Text)
    base = palette.color(QPalette.ColorRole.Base)
    share = 0.55
    return QColor(
        round(text.red() * share + base.red() * (1 - share)),
        round(text.green() * share + base.green() * (1 - share)),
        round(text.blue() * share + base.blue() * (1 - share)),
    )


def kind_label(code: str) -> str:
    try:
        return label(VenueKind(code))
    except ValueError:
        return code


class VenueTableModel(QAbstractTableModel):
    """Rows of :class:`Venue`; ``ROW_ROLE`` gives the venue, ``SEARCH_ROLE`` its search key.

    The search key (name, operator and address through :func:`search_key`, so width, kana type
    and case do not matter) is served on column 0 for the list view's filter proxy.
    """

    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2

    COLUMNS = (
        "name",
        "kind",
        "operator",
        "address",
        "capacity",
        "schedule",
        "wheelchair",
        "status",
    )

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[_Cells] = []

    def headers(self) -> tuple[str, ...]:
        return (
            self.tr("名称"),
            self.tr("種別"),
            self.tr("運営団体"),
            self.tr("住所"),
            self.tr("定員"),
            self.tr("開催日時"),
            self.tr("車椅子"),
            self.tr("状態"),
        )

    def set_rows(self, venues: list[Venue]) -> None:
        self.beginResetModel()
        self._rows = [self._cells(v) for v in venues]
        self.endResetModel()

    def row_at(self, row: int) -> Venue:
        return self._rows[row].venue

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < len(self.COLUMNS)
        ):
            return self.headers()[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        cells = self._rows[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cells.display[index.column()]
        if role == self.ROW_ROLE:
            return cells.venue
        if role == self.SEARCH_ROLE:
            return cells.search
        if role == Qt.ItemDataRole.ForegroundRole and not cells.venue.active:
            return muted_text_color()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == "capacity":
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == "wheelchair":
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _cells(self, venue: Venue) -> _Cells:
        display = (
            venue.name,
            kind_label(venue.kind),
            venue.operator,
            venue.address,
            venue.capacity,
            schedule_text(venue),
            "○" if venue.wheelchair_access else "",
            self.tr("利用可") if venue.active else self.tr("休止"),
        )
        search = _KEY_SEPARATOR.join(
            search_key(text) for text in (venue.name, venue.operator, venue.address)
        )
        return _Cells(venue, display, search)
