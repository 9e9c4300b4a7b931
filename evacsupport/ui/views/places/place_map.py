"""A map without tiles that still has a sense of place: names of municipalities and towns.

The app works offline and has no tile licence, so the map is points on a plain background. What
makes it readable is the names a coordinator knows: municipalities at every zoom, town names
(広岡一丁目, 七ツ屋町) once zoomed in far enough for them to help, each drawn only where it does
not overprint another label. They are painted in the background, under the markers, in viewport
coordinates, so their size never changes with the zoom.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPen, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from evacsupport.services.places import MapPlace

KM_PER_DEGREE = 111.32
NICE_KM = (0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200)
TOWN_ZOOM_PX_PER_KM = 40.0
"""Town names are drawn from this zoom in: further out they would be a grey carpet."""
MUNICIPALITY_COLOUR = QColor("#5d5a52")
TOWN_COLOUR = QColor("#8c877b")
BACKGROUND = QColor("#f4f1ea")
_CELL = 64  # px: the occupancy grid's cell, so a label is checked only against its neighbours


def project(latitude: float, longitude: float, origin: tuple[float, float]) -> QPointF:
    """km east and south of ``origin`` (scene y grows downwards, as on paper maps).

    An equirectangular projection around the mean latitude is off by well under 1 % across a
    prefecture, which is plenty for choosing a venue a family can walk or take a bus to."""
    lat0, lon0 = origin
    x = (longitude - lon0) * KM_PER_DEGREE * math.cos(math.radians(lat0))
    y = -(latitude - lat0) * KM_PER_DEGREE
    return QPointF(x, y)


def unproject(at: QPointF, origin: tuple[float, float]) -> tuple[float, float]:
    """The inverse of :func:`project`: (latitude, longitude) of a scene point."""
    lat0, lon0 = origin
    latitude = lat0 - at.y() / KM_PER_DEGREE
    longitude = lon0 + at.x() / (KM_PER_DEGREE * math.cos(math.radians(lat0)))
    return latitude, longitude


class _Occupancy:
    """Rectangles already taken by a label, bucketed by grid cell."""

    def __init__(self) -> None:
        self._cells: dict[tuple[int, int], list[QRect]] = {}

    def _keys(self, rect: QRect) -> Iterable[tuple[int, int]]:
        for cx in range(rect.left() // _CELL, rect.right() // _CELL + 1):
            for cy in range(rect.top() // _CELL, rect.bottom() // _CELL + 1):
                yield cx, cy

    def free(self, rect: QRect) -> bool:
        return not any(
            rect.intersects(other) for key in self._keys(rect) for other in self._cells.get(key, ())
        )

    def take(self, rect: QRect) -> None:
        for key in self._keys(rect):
            self._cells.setdefault(key, []).append(rect)


class PlaceMapView(QGraphicsView):
    """A scene in km around ``origin`` with place names, wheel zoom, drag and a km scale bar.

    Subclasses put their markers in the scene; :meth:`label_obstacles` tells which viewport
    rectangles (their own labels) the place names must keep clear of.

    Attributes:
        origin: the (lat, lon) the scene's (0, 0) stands for.
        drawn_places: (name, viewport rectangle) of the place names drawn in the last paint:
            what the user sees, for tests.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(BACKGROUND)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        # Labels and the scale bar are drawn over the viewport: repaint all of it, never scroll.
        self.setViewportUpdateMode(QGraphicsView.ViewportUpdateMode.FullViewportUpdate)
        self.origin: tuple[float, float] = (0.0, 0.0)
        self.drawn_places: list[tuple[str, QRect]] = []
        self._places: list[tuple[QPointF, MapPlace]] = []
        self._municipality_font = QFont(self.font())
        self._municipality_font.setBold(True)
        self._municipality_font.setPointSizeF(self.font().pointSizeF() * 1.15)
        self._town_font = QFont(self.font())
        self._town_font.setPointSizeF(self.font().pointSizeF() * 0.85)
        self._widths: dict[tuple[bool, str], int] = {}

    # --- places --------------------------------------------------------------------------------
    def set_places(self, places: Sequence[MapPlace]) -> None:
        """The names to draw, municipalities first (they keep the room when labels collide)."""
        ordered = sorted(places, key=lambda p: not p.municipality)
        self._places = [(project(p.latitude, p.longitude, self.origin), p) for p in ordered]
        self.viewport().update()

    def px_per_km(self) -> float:
        return abs(self.transform().m11()) or 1.0

    def label_obstacles(self) -> list[QRect]:
        """Viewport rectangles place names must not cover (a subclass's own labels)."""
        return []

    def drawBackground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        super().drawBackground(painter, rect)
        self.drawn_places = []
        if not self._places:
            return
        taken = _Occupancy()
        for obstacle in self.label_obstacles():
            taken.take(obstacle)
        towns = self.px_per_km() >= TOWN_ZOOM_PX_PER_KM
        view = self.viewport().rect()
        visible = self.mapToScene(view).boundingRect()
        painter.save()
        painter.resetTransform()
        for at, place in self._places:
            if not place.municipality and not towns:
                break  # municipalities come first
            if not visible.contains(at):
                continue
            font = self._municipality_font if place.municipality else self._town_font
            width = self._width(place, font)
            height = QFontMetrics(font).height()
            centre = self.mapFromScene(at)
            box = next(
                (
                    box
                    for dy in (0, -height, height, -2 * height, 2 * height)  # on it, else near it
                    if view.contains(
                        box := QRect(
                            centre.x() - width // 2, centre.y() - height // 2 + dy, width, height
                        )
                    )
                    and taken.free(box.adjusted(-12, -3, 12, 3))  # some air between names
                ),
                None,
            )
            if box is None:
                continue
            taken.take(box)
            painter.setFont(font)
            painter.setPen(QPen(MUNICIPALITY_COLOUR if place.municipality else TOWN_COLOUR))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, place.name)
            self.drawn_places.append((place.name, box))
        painter.restore()

    def _width(self, place: MapPlace, font: QFont) -> int:
        key = (place.municipality, place.name)
        width = self._widths.get(key)
        if width is None:
            width = QFontMetrics(font).horizontalAdvance(place.name) + 2
            self._widths[key] = width
        return width

    # --- zoom and scale ------------------------------------------------------------------------
    def wheelEvent(self, event: QWheelEvent) -> None:
        factor = 1.25 if event.angleDelta().y() > 0 else 0.8
        self.zoom(factor)

    def zoom(self, factor: float) -> None:
        """Zoom about the pointer (the wheel) or the centre (keys); subclasses re-place labels."""
        self.scale(factor, factor)

    def scale_bar_km(self) -> float:
        """The scale bar's length: a round distance about 120 pixels long at this zoom."""
        wanted = 120 / self.px_per_km()
        return min(NICE_KM, key=lambda km: abs(math.log(km / wanted)))

    def has_content(self) -> bool:
        return bool(self.scene().items())

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:
        """The scale bar, in the bottom-left corner of the viewport whatever the zoom."""
        if not self.has_content():
            return
        km = self.scale_bar_km()
        length = km * self.px_per_km()
        painter.save()
        painter.resetTransform()
        x, y = 16.0, self.viewport().height() - 20.0
        painter.fillRect(
            QRectF(x - 8, y - 26, length + 16, 38), QColor(255, 255, 255, 200)
        )  # readable over the points beneath
        painter.setPen(QPen(Qt.GlobalColor.black, 2))
        painter.drawLine(QPointF(x, y), QPointF(x + length, y))
        for end in (x, x + length):
            painter.drawLine(QPointF(end, y - 5), QPointF(end, y + 5))
        text = f"{km:g} km"
        painter.drawText(
            QPointF(x + length / 2 - painter.fontMetrics().horizontalAdvance(text) / 2, y - 7), text
        )
        painter.restore()
