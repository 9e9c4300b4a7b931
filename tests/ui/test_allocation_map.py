"""The allocation map and plan as the coordinator reads them: place names that never overprint,
and households whose point is only approximate drawn and listed as such."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QGraphicsEllipseItem
from pytestqt.qtbot import QtBot

from evacsupport.services.assignment import HouseholdNeeds, Placement, VenueFacts
from evacsupport.services.places import map_places
from evacsupport.ui.views.assignment.map_panel import ID_KEY, PLACED, MapPanel
from evacsupport.ui.views.places.place_map import TOWN_ZOOM_PX_PER_KM

KORINBO = (36.5627, 136.6530)
STATION = (36.5781, 136.6480)


def venue(name: str, at: tuple[float, float]) -> VenueFacts:
    return VenueFacts(
        id=uuid.uuid4(),
        name=name,
        kind="kodomo_shokudo",
        latitude=at[0],
        longitude=at[1],
        capacity=20,
        assigned_people=0,
        assigned_households=0,
        weekdays=frozenset({5}),
        allergens=frozenset(),
        wheelchair=True,
        active=True,
    )


def needs(case: str, at: tuple[float, float], precision: str) -> HouseholdNeeds:
    return HouseholdNeeds(
        id=uuid.uuid4(),
        case_number=case,
        size=2,
        latitude=at[0],
        longitude=at[1],
        allergens=frozenset(),
        wheelchair=False,
        children=0,
        consent_ok=True,
        current_venue_id=None,
        precision=precision,
    )


def shown_map(qtbot: QtBot) -> tuple[MapPanel, HouseholdNeeds, HouseholdNeeds]:
    panel = MapPanel()
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    qtbot.waitExposed(panel)
    hall = venue("香林坊こども食堂", KORINBO)
    station = venue("駅西みんなの食堂", STATION)
    town = needs("N24-0001", (36.5650, 136.6560), "town")
    rough = needs("N24-0002", (36.5700, 136.6400), "postal")
    panel.show_points(
        [hall, station],
        [town, rough],
        [Placement(town, hall, 0.4, ""), Placement(rough, station, 1.2, "")],
    )
    return panel, town, rough


def painted(panel: MapPanel) -> list[tuple[str, QRect]]:
    panel.viewport().grab()  # paints, as the screen would
    return list(panel.drawn_places)


def overlaps(rects: list[QRect]) -> list[tuple[QRect, QRect]]:
    return [(a, b) for i, a in enumerate(rects) for b in rects[i + 1 :] if a.intersects(b)]


def test_the_map_names_the_municipality_and_towns_once_zoomed_in(qtbot: QtBot) -> None:
    panel, _, _ = shown_map(qtbot)
    while panel.px_per_km() < TOWN_ZOOM_PX_PER_KM:
        panel.zoom(1.25)
    names = [name for name, _ in painted(panel)]
    assert "金沢市" in names or len(names) > 5
    assert {"香林坊一丁目", "香林坊二丁目", "広坂一丁目", "長町一丁目"} & set(names)
    rects = [rect for _, rect in panel.drawn_places]
    assert not overlaps(rects), "place names overprint one another"
    venue_names = panel.label_obstacles()
    assert venue_names and not [(r, v) for r in rects for v in venue_names if r.intersects(v)], (
        "a place name covers a venue's name"
    )
    assert all(panel.viewport().rect().contains(r) for r in rects)


def test_zoomed_out_only_municipalities_are_named(qtbot: QtBot) -> None:
    panel, _, _ = shown_map(qtbot)
    while panel.px_per_km() >= TOWN_ZOOM_PX_PER_KM:
        panel.zoom(0.8)
    names = [name for name, _ in painted(panel)]
    municipalities = {p.name for p in map_places([KORINBO, STATION], 40) if p.municipality}
    assert names and set(names) <= municipalities
    assert "金沢市" in names


def test_an_approximate_household_is_a_ring_and_says_why(qtbot: QtBot) -> None:
    panel, town, rough = shown_map(qtbot)
    items = {
        i.data(ID_KEY): i for i in panel.scene().items() if isinstance(i, QGraphicsEllipseItem)
    }
    solid, ring = items[town.id], items[rough.id]
    assert solid.brush().color() == PLACED
    assert ring.brush().color() != PLACED and ring.pen().color() == PLACED
    assert "およその位置：郵便番号の区域の代表点" in ring.toolTip()
    assert "およその" not in solid.toolTip()
    panel.select_household(rough.id)
    assert ring.pen().color() == Qt.GlobalColor.black
    panel.select_household(town.id)
    assert ring.pen().color() == PLACED  # back to its colour, still a ring
    assert ring.brush().color() != PLACED


def test_map_places_names_without_county_or_aza_prefix() -> None:
    places = map_places([(37.3906, 136.9019)], margin_km=10)  # 輪島市河井町
    names = {p.name for p in places}
    assert "輪島市" in names and "河井町" in names
    assert not any(n.startswith(("大字", "字")) for n in names)
    assert map_places([]) == []
    anamizu = map_places([(37.2310, 136.9325)])
    assert "穴水町" in {p.name for p in anamizu if p.municipality}
