"""The allocation map: venues and households as points, with place names and a km scale.

The coordinator sees at a glance who is far from every venue and which venues a family could use.
A household whose point stands for a whole postal area or municipality is drawn as a ring, not a
dot: its distance is only approximate, and the plan says so too.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPen, QResizeEvent
from PySide6.QtWidgets import (
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsRectItem,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from evacsupport.services.assignment import (
    HouseholdNeeds,
    Placement,
    VenueFacts,
    hard_exclusions,
)
from evacsupport.services.places import MapPlace, map_places, precision_label
from evacsupport.ui.views.places.place_map import PlaceMapView, project

ID_KEY = 0  # QGraphicsItem.data key holding the household's or venue's id
COLOUR_KEY = 1  # a household marker's colour: placed or not
HOUSEHOLD_PX = 7.0
VENUE_PX = 12.0
PLACED = QColor("#1565c0")
UNPLACED = QColor("#c62828")
VENUE = QColor("#ef6c00")
CANDIDATE = QColor("#2e7d32")


def legend_html() -> str:
    """The colours' meaning, for a label beside the map."""

    def dot(colour: QColor, shape: str) -> str:
        return f'<span style="color:{colour.name()}">{shape}</span>'

    return "&nbsp;&nbsp;&nbsp;&nbsp;".join(
        (
            dot(PLACED, "●") + QCoreApplication.translate("MapPanel", "割り当てる世帯"),
            dot(UNPLACED, "●") + QCoreApplication.translate("MapPanel", "割り当てられない世帯"),
            dot(PLACED, "○")
            + QCoreApplication.translate("MapPanel", "およその位置（郵便番号・市区町村の代表点）"),
            dot(VENUE, "■") + QCoreApplication.translate("MapPanel", "会場"),
            dot(CANDIDATE, "□")
            + QCoreApplication.translate(
                "MapPanel", "世帯を選ぶと、利用できる会場が緑の枠になります（ホイールで拡大）"
            ),
        )
    )


def _marker(item: QGraphicsItem, key: uuid.UUID, tip: str) -> None:
    item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)  # constant size
    item.setData(ID_KEY, key)
    item.setToolTip(tip)


class MapPanel(PlaceMapView):
    """Households (circles: blue placed, red not; rings where the point is approximate) and
    venues (orange squares, named), over municipality and town names.

    Selecting a household outlines, in green, the venues it could use (no hard exclusion) and
    greys the others. Wheel zooms; the view fits everything when resized.

    Signals:
        household_selected(object): the selected household's id, or None.
    """

    household_selected = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.households: dict[uuid.UUID, HouseholdNeeds] = {}
        self.venues: dict[uuid.UUID, VenueFacts] = {}
        self._household_items: dict[uuid.UUID, QGraphicsEllipseItem] = {}
        self._venue_items: dict[uuid.UUID, QGraphicsRectItem] = {}
        self._labels: list[QGraphicsSimpleTextItem] = []
        self._highlighted: set[uuid.UUID] = set()
        self._bounds = QRectF()
        self.scene().selectionChanged.connect(self._on_selection)

    # --- data ----------------------------------------------------------------------------------
    def show_points(
        self,
        venues: Sequence[VenueFacts],
        households: Sequence[HouseholdNeeds],
        placements: Sequence[Placement] = (),
        places: Sequence[MapPlace] | None = None,
    ) -> None:
        """Draw what has coordinates; the rest cannot be placed on a map and is left out.

        ``places``: the place names around the points, from :func:`map_places` (a worker thread
        can read them beforehand); None reads them here."""
        scene = self.scene()
        scene.clear()
        self._household_items.clear()
        self._venue_items.clear()
        self._labels.clear()
        self._highlighted.clear()
        self._bounds = QRectF()
        self.venues = {v.id: v for v in venues if v.latitude is not None}
        self.households = {h.id: h for h in households if h.latitude is not None}
        points = [(v.latitude, v.longitude) for v in self.venues.values()]
        points += [(h.latitude, h.longitude) for h in self.households.values()]
        if not points:
            self.set_places([])
            return
        origin = (
            sum(p[0] for p in points if p[0] is not None) / len(points),
            sum(p[1] for p in points if p[1] is not None) / len(points),
        )
        self.origin = (origin[0] or 0.0, origin[1] or 0.0)
        xs, ys = [], []
        for lat, lon in points:
            at = project(lat or 0.0, lon or 0.0, origin)
            xs.append(at.x())
            ys.append(at.y())
        # From the points, not itemsBoundingRect: markers keep their pixel size at any zoom.
        self._bounds = QRectF(min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))
        room = max(self._bounds.width(), self._bounds.height(), 1.0)
        self.setSceneRect(self._bounds.adjusted(-room, -room, room, room))  # room to drag
        placed = {p.household.id: p.venue for p in placements}
        for h in self.households.values():
            self._add_household(h, placed.get(h.id), origin)
        for v in self.venues.values():
            self._add_venue(v, origin)
        located = [(lat, lon) for lat, lon in points if lat is not None and lon is not None]
        self.set_places(map_places(located) if places is None else places)
        self._fit()

    def _add_household(
        self, h: HouseholdNeeds, venue: VenueFacts | None, origin: tuple[float, float]
    ) -> None:
        at = project(h.latitude or 0.0, h.longitude or 0.0, origin)
        if venue is not None and venue.latitude is not None and venue.longitude is not None:
            to = project(venue.latitude, venue.longitude, origin)
            line = self.scene().addLine(
                at.x(), at.y(), to.x(), to.y(), QPen(QColor(21, 101, 192, 70), 0)
            )
            line.setZValue(-1)
        r = HOUSEHOLD_PX / 2
        item = QGraphicsEllipseItem(-r, -r, 2 * r, 2 * r)
        item.setPos(at)
        colour = PLACED if venue is not None else UNPLACED
        item.setData(COLOUR_KEY, colour)
        if h.approximate:  # a ring: the household is somewhere in that postal area or town
            item.setBrush(QBrush(QColor(255, 255, 255, 180)))
            item.setPen(QPen(colour, 2))
        else:
            item.setBrush(QBrush(colour))
            item.setPen(QPen(Qt.GlobalColor.white, 1))
        item.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable)
        item.setCursor(Qt.CursorShape.PointingHandCursor)
        tip = self.tr("%1（%2人）").replace("%1", h.case_number).replace("%2", str(h.size))
        if venue is not None:
            tip += " → " + venue.name
        if h.approximate:
            tip += "\n" + self.tr("およその位置：%1の代表点").replace(
                "%1", precision_label(h.precision)
            )
        _marker(item, h.id, tip)
        self.scene().addItem(item)
        self._household_items[h.id] = item

    def _add_venue(self, v: VenueFacts, origin: tuple[float, float]) -> None:
        at = project(v.latitude or 0.0, v.longitude or 0.0, origin)
        r = VENUE_PX / 2
        item = QGraphicsRectItem(-r, -r, 2 * r, 2 * r)
        item.setPos(at)
        item.setBrush(QBrush(VENUE))
        item.setPen(QPen(Qt.GlobalColor.black, 1))
        item.setZValue(2)
        _marker(
            item,
            v.id,
            self.tr("%1（%2 / %3 人）")
            .replace("%1", v.name)
            .replace("%2", str(v.assigned_people))
            .replace("%3", str(v.capacity)),
        )
        label = QGraphicsSimpleTextItem(v.name, item)  # placed by _declutter
        self._labels.append(label)
        self.scene().addItem(item)
        self._venue_items[v.id] = item

    # --- selection -----------------------------------------------------------------------------
    def select_household(self, household_id: uuid.UUID | None) -> None:
        self.scene().clearSelection()
        item = self._household_items.get(household_id) if household_id else None
        if item is not None:
            item.setSelected(True)
            self._zoom_around(item.pos())

    def _zoom_around(self, at: QPointF, venues: int = 3) -> None:
        """Close in on a household and the nearest few venues it could use."""
        near = sorted(
            (self._venue_items[v].pos() for v in self._highlighted),
            key=lambda p: (p - at).manhattanLength(),
        )[:venues]
        xs = [at.x(), *(p.x() for p in near)]
        ys = [at.y(), *(p.y() for p in near)]
        box = QRectF(QPointF(min(xs), min(ys)), QPointF(max(xs), max(ys)))  # not united(): a
        # point's rect is null, and QRectF.united() skips null rects
        margin = max(box.width(), box.height(), 2.0) * 0.3
        self.fitInView(
            box.adjusted(-margin, -margin, margin * 2, margin), Qt.AspectRatioMode.KeepAspectRatio
        )
        self._declutter()

    def highlighted_venue_ids(self) -> set[uuid.UUID]:
        """The venues outlined for the selected household (those it could use)."""
        return set(self._highlighted)

    def _on_selection(self) -> None:
        selected = [i for i in self.scene().selectedItems() if isinstance(i, QGraphicsEllipseItem)]
        for dot in self._household_items.values():
            chosen = dot in selected
            dot.setScale(2.0 if chosen else 1.0)
            dot.setZValue(3 if chosen else 0)
            household = self.households.get(dot.data(ID_KEY))
            if household is not None and household.approximate:
                dot.setPen(QPen(Qt.GlobalColor.black if chosen else dot.data(COLOUR_KEY), 2))
            else:
                dot.setPen(QPen(Qt.GlobalColor.black if chosen else Qt.GlobalColor.white, 1))
        household = self.households.get(selected[0].data(ID_KEY)) if selected else None
        self._highlighted = (
            {v.id for v in self.venues.values() if not hard_exclusions(household, v)}
            if household is not None
            else set()
        )
        for venue_id, item in self._venue_items.items():
            chosen = venue_id in self._highlighted
            item.setPen(QPen(CANDIDATE if chosen else Qt.GlobalColor.black, 3 if chosen else 1))
            item.setOpacity(1.0 if household is None or chosen else 0.35)
        self._declutter()
        self.household_selected.emit(household.id if household is not None else None)

    # --- view ----------------------------------------------------------------------------------
    def _fit(self) -> None:
        bounds = self._bounds
        margin = max(bounds.width(), bounds.height(), 1.0) * 0.06
        self.fitInView(
            bounds.adjusted(-margin, -margin, margin * 3, margin),
            Qt.AspectRatioMode.KeepAspectRatio,
        )  # more room on the right, where the venue names go
        self._declutter()

    def _declutter(self) -> None:
        """Put each venue's name right of its marker, else left, else hide it (the marker's
        tooltip still names it), so names never overprint one another."""
        taken: list[QRect] = []
        gap = round(VENUE_PX / 2) + 3

        def priority(label: QGraphicsSimpleTextItem) -> tuple[bool, str]:
            marker = label.parentItem()
            outlined = marker is not None and marker.data(ID_KEY) in self._highlighted
            return (not outlined, label.text())  # the usable venues keep their names first

        for label in sorted(self._labels, key=priority):
            at = self.mapFromScene(label.parentItem().pos())
            w, h = label.boundingRect().size().toSize().toTuple()
            sides = (
                (gap, QRect(at.x(), at.y() - h // 2, w + gap, h)),
                (-gap - w, QRect(at.x() - w - gap, at.y() - h // 2, w + gap, h)),
            )
            side = next((s for s in sides if not any(s[1].intersects(t) for t in taken)), None)
            label.setVisible(side is not None)
            if side is not None:
                label.setPos(side[0], -h / 2)
                taken.append(side[1])

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._fit()

    def zoom(self, factor: float) -> None:
        super().zoom(factor)
        self._declutter()

    def has_content(self) -> bool:
        return bool(self.households or self.venues)

    def label_obstacles(self) -> list[QRect]:
        """Markers and the venue names shown keep their room: place names give way to them.

        In viewport pixels from each marker's position: the markers ignore the zoom, so their
        scene rectangles say nothing about what they cover on the screen."""
        rects = []
        for item in [*self._household_items.values(), *self._venue_items.values()]:
            at = self.mapFromScene(item.pos())
            r = round(item.boundingRect().width() * item.scale() / 2) + 1
            rects.append(QRect(at.x() - r, at.y() - r, 2 * r, 2 * r))
        for label in self._labels:
            marker = label.parentItem()
            if label.isVisible() and marker is not None:
                at = self.mapFromScene(marker.pos())
                size = label.boundingRect().size().toSize()
                rects.append(
                    QRect(
                        at.x() + round(label.pos().x()), at.y() + round(label.pos().y()), 1, 1
                    ).adjusted(0, 0, size.width(), size.height())
                )
        return rects
