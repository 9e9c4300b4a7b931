"""Table model for the venue registry: one row per venue, texts worked out once per refresh.

Venues number in the tens, so the model holds the :class:`Venue` rows themselves (detached, read
only) and precomputes what each cell shows and a search key; filtering and sorting happen in a
``QSortFilterProxyModel`` over it without asking the database again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette

from evacsupport.db.models import Venue
from evacsupport.domain.codes import VenueKind, label
from evacsupport.domain.normalize import search_key
from evacsupport.domain.schedule import Slot, format_schedule
from evacsupport.errors import EvacError
from evacsupport.services.assignment import VenueFacts

Index = QModelIndex | QPersistentModelIndex

# How full a venue may get before its load is flagged: amber from here, red when full.
BUSY_SHARE = 0.8
BUSY_COLOUR = QColor("#fde2a8")
FULL_COLOUR = QColor("#f8c4c4")
FLAGGED_TEXT = QColor("#000000")  # the tints are light in any theme: keep the text dark on them

# Joins the per-field search keys: search_key drops spaces, so a query can never match across it.
_KEY_SEPARATOR = "\x1f"


@dataclass(frozen=True)
class _Cells:
    """What one row shows, computed once so sorting and painting never re-format."""

    venue: Venue
    display: tuple[Any, ...]
    search: str
    load: VenueFacts | None = None

    @property
    def load_share(self) -> float | None:
        """Assigned people over capacity; None when the load is unknown."""
        if self.load is None:
            return None
        if self.load.capacity <= 0:
            return 1.0
        return self.load.assigned_people / self.load.capacity


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
    ``SORT_ROLE`` is what the proxy sorts by: the shown value, except the load column, which
    sorts by how full the venue is rather than by its text.
    """

    ROW_ROLE = Qt.ItemDataRole.UserRole + 1
    SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
    SORT_ROLE = Qt.ItemDataRole.UserRole + 3

    COLUMNS = (
        "name",
        "kind",
        "operator",
        "address",
        "capacity",
        "schedule",
        "wheelchair",
        "status",
        "load",
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
            self.tr("利用状況"),
        )

    def set_rows(self, venues: list[Venue], loads: Sequence[VenueFacts] = ()) -> None:
        """``loads`` (from ``AssignmentService.venues()``, one query for all) fills 利用状況."""
        by_id = {facts.id: facts for facts in loads}
        self.beginResetModel()
        self._rows = [self._cells(v, by_id.get(v.id)) for v in venues]
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
        if role == self.SORT_ROLE:
            if column == "load":
                return -1.0 if cells.load_share is None else cells.load_share
            return cells.display[index.column()]
        if column == "load":
            load = self._load_data(cells, role)
            if load is not None:
                return load
        if role == Qt.ItemDataRole.ToolTipRole and column == "address":
            return cells.venue.address or None
        if role == Qt.ItemDataRole.ForegroundRole and not cells.venue.active:
            return muted_text_color()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in ("capacity", "load"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            if column == "wheelchair":
                return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def _load_data(self, cells: _Cells, role: int) -> Any:
        share = cells.load_share
        if share is None or cells.load is None:
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            return (
                self.tr("%1 世帯・%2 人が利用中（定員 %3 人、空き %4 人）")
                .replace("%1", str(cells.load.assigned_households))
                .replace("%2", str(cells.load.assigned_people))
                .replace("%3", str(cells.load.capacity))
                .replace("%4", str(cells.load.free))
            )
        if share < BUSY_SHARE:
            return None
        if role == Qt.ItemDataRole.BackgroundRole:
            return FULL_COLOUR if share >= 1.0 else BUSY_COLOUR
        if role == Qt.ItemDataRole.ForegroundRole:
            return FLAGGED_TEXT
        return None

    def _load_text(self, load: VenueFacts | None) -> str:
        if load is None:
            return ""
        return (
            self.tr("%1 / %2 人")
            .replace("%1", str(load.assigned_people))
            .replace("%2", str(load.capacity))
        )

    def _cells(self, venue: Venue, load: VenueFacts | None = None) -> _Cells:
        display = (
            venue.name,
            kind_label(venue.kind),
            venue.operator,
            venue.address,
            venue.capacity,
            schedule_text(venue),
            "○" if venue.wheelchair_access else "",
            self.tr("利用可") if venue.active else self.tr("休止"),
            self._load_text(load),
        )
        search = _KEY_SEPARATOR.join(
            search_key(text) for text in (venue.name, venue.operator, venue.address)
        )
        return _Cells(venue, display, search, load)
