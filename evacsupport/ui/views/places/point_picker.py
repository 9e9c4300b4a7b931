"""Picking a point on the map: for an address the geocoder cannot place, or places only roughly.

A coordinator who knows where the family actually lives ("the flats behind the station") clicks
there, or moves the pin with the arrow keys; the town name under the pin says whether it is the
right place. The point becomes the person's own (manual): no later address change replaces it.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QKeyEvent, QMouseEvent, QPen, QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QGraphicsEllipseItem,
    QGraphicsItem,
    QGraphicsView,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from evacsupport.services.places import default_map_centre, map_places, nearest_place
from evacsupport.ui.views.places.place_map import PlaceMapView, project, unproject
from evacsupport.ui.widgets.screen_fit import fit_to_screen

PIN = QColor("#c62828")
PIN_PX = 14.0
START_PX_PER_KM = 120.0  # streets' scale: town names readable around the pin
PICK_RADIUS_KM = 4.0  # place names read around the starting point
CLICK_SLOP_PX = 4  # a press and release closer than this is a click, not a drag
KEY_STEP = 0.05  # of the view's width, per arrow key press


class PickerMap(PlaceMapView):
    """The map with one pin. Click or arrow keys move the pin; drag pans; wheel, + and - zoom.

    Signals:
        moved(float, float): the pin's new latitude and longitude.
    """

    moved = Signal(float, float)

    def __init__(self, start: tuple[float, float], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.origin = start
        room = PICK_RADIUS_KM * 3
        self.setSceneRect(QRectF(-room, -room, 2 * room, 2 * room))
        r = PIN_PX / 2
        self.pin = QGraphicsEllipseItem(-r, -r, 2 * r, 2 * r)
        self.pin.setBrush(QBrush(PIN))
        self.pin.setPen(QPen(Qt.GlobalColor.white, 2))
        self.pin.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
        self.pin.setZValue(5)
        self.scene().addItem(self.pin)
        self.set_places(map_places([start], margin_km=PICK_RADIUS_KM))
        self.scale(START_PX_PER_KM, START_PX_PER_KM)
        self._pressed_at: QPointF | None = None

    def point(self) -> tuple[float, float]:
        return unproject(self.pin.pos(), self.origin)

    def put_pin(self, latitude: float, longitude: float) -> None:
        self.pin.setPos(project(latitude, longitude, self.origin))
        self.ensureVisible(self.pin, 40, 40)
        self.moved.emit(latitude, longitude)

    def centre_on_pin(self) -> None:
        self.centerOn(self.pin)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self._pressed_at = event.position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        pressed, self._pressed_at = self._pressed_at, None
        if (
            event.button() == Qt.MouseButton.LeftButton
            and pressed is not None
            and (event.position() - pressed).manhattanLength() <= CLICK_SLOP_PX
        ):
            self.put_pin(*unproject(self.mapToScene(event.position().toPoint()), self.origin))

    def keyPressEvent(self, event: QKeyEvent) -> None:
        step = KEY_STEP * self.viewport().width() / self.px_per_km()  # km
        moves = {
            Qt.Key.Key_Left: (-step, 0.0),
            Qt.Key.Key_Right: (step, 0.0),
            Qt.Key.Key_Up: (0.0, -step),
            Qt.Key.Key_Down: (0.0, step),
        }
        key = Qt.Key(event.key())
        if key in moves:
            dx, dy = moves[key]
            self.put_pin(*unproject(self.pin.pos() + QPointF(dx, dy), self.origin))
        elif event.text() in ("+", "＋", ";"):
            self.zoom(1.25)
        elif event.text() in ("-", "－", "ー"):
            self.zoom(0.8)
        else:
            super().keyPressEvent(event)

    def has_content(self) -> bool:
        return True


class PointPickerDialog(QDialog):
    """「地図で位置を選ぶ」: the pin starts at ``start`` (the point known so far).

    Attributes:
        map (a :class:`PickerMap`), where_label (the pin's coordinates and nearest town),
        ok_button, cancel_button.
    """

    def __init__(
        self, start: tuple[float, float] | None, hint: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("地図で位置を選ぶ"))
        centre = start or default_map_centre()
        intro = QLabel(
            self.tr(
                "地図をクリックした所を位置にします。矢印キーで動かし、＋／－（ホイール）で拡大・縮小、"
                "ドラッグで地図を動かせます。Enter で決定します。"
            ),
            self,
        )
        intro.setWordWrap(True)
        self.hint_label = QLabel(hint, self)
        self.hint_label.setWordWrap(True)
        self.hint_label.setStyleSheet("color: #555;")
        self.hint_label.setVisible(bool(hint))
        self.map = PickerMap(centre, self)
        self.where_label = QLabel(self)
        self.where_label.setStyleSheet("font-weight: bold;")
        self.map.moved.connect(self._show_where)
        buttons = QDialogButtonBox(self)
        self.ok_button = buttons.addButton(
            self.tr("この位置にする"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.cancel_button = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText(self.tr("キャンセル"))
        self.ok_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.map, 1)
        layout.addWidget(self.where_label)
        layout.addWidget(buttons)
        fit_to_screen(self, QSize(760, 560))
        self.map.put_pin(*centre)
        self.map.setFocus()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.map.centre_on_pin()

    def point(self) -> tuple[float, float]:
        return self.map.point()

    def _show_where(self, latitude: float, longitude: float) -> None:
        near = nearest_place(latitude, longitude)
        text = (
            self.tr("北緯 %1、東経 %2")
            .replace("%1", f"{latitude:.5f}")
            .replace("%2", f"{longitude:.5f}")
        )
        if near:
            text += self.tr("（%1 付近）").replace("%1", near)
        self.where_label.setText(text)


Opener = Callable[[tuple[float, float] | None, str, QWidget], tuple[float, float] | None]


def pick_point(
    start: tuple[float, float] | None, hint: str, parent: QWidget
) -> tuple[float, float] | None:
    """The point chosen, or None when cancelled."""
    dialog = PointPickerDialog(start, hint, parent)
    return dialog.point() if dialog.exec() == QDialog.DialogCode.Accepted else None


def map_button(
    coordinates: QLineEdit,
    known: Callable[[], tuple[float, float] | None],
    hint: Callable[[], str],
    parent: QWidget,
    opener: Opener | None = None,
) -> QPushButton:
    """「地図で選ぶ…」 beside a coordinates field: opens the picker at the point known so far
    (``known``: typed, else found from the address) and writes the chosen point into the field,
    which makes it the person's own. ``opener`` replaces the dialog (tests answer without a
    modal loop)."""
    button = QPushButton(QCoreApplication.translate("PointPicker", "地図で選ぶ…"), parent)
    button.setToolTip(
        QCoreApplication.translate(
            "PointPicker", "地図をクリックして位置を決めます（住所で位置が決まらないときなど）"
        )
    )

    def choose() -> None:
        chosen = (opener or pick_point)(known(), hint(), parent)
        if chosen is not None:
            coordinates.setText(f"{chosen[0]:.6f}, {chosen[1]:.6f}")
            coordinates.setFocus()

    button.clicked.connect(choose)
    return button
