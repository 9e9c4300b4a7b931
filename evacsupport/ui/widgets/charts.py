"""Small charts for the dashboard and the check-in trend, drawn with pyqtgraph (no web view,
no Qt Charts add-on): lines per series over dates, with the legend as text under the plot so it
can never hide a data point or clip a long Japanese venue name."""

from __future__ import annotations

import html
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

PALETTE = (
    "#1f77b4",
    "#d62728",
    "#2ca02c",
    "#ff7f0e",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
)


class LineChart(QWidget):
    """Series of numbers over the same dates; the x axis shows the dates as M/D.

    Attributes: ``plot`` (the pyqtgraph PlotWidget), ``legend`` (a grid of labels), ``series``
    (what is drawn, by name, for tests).
    """

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._title = title
        self._plot: Any = None
        self.legend = QWidget(self)
        self.legend.setStyleSheet("background: white;")
        self._legend_grid = QGridLayout(self.legend)
        self._legend_grid.setContentsMargins(6, 2, 6, 2)
        self._legend_grid.setHorizontalSpacing(14)
        self._legend_grid.setVerticalSpacing(0)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        self._layout.setSpacing(0)
        # With nothing to draw, this says so in place of the plot: an empty 0–1 axis reads as
        # "everything was zero", which is not what a household without check-ins means.
        self.empty = QLabel(self)
        self.empty.setObjectName("chart_empty")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setWordWrap(True)
        self.empty.setStyleSheet("background: white; color: #555; font-size: 11pt;")
        self.empty.hide()
        self._layout.addWidget(self.empty, 1)
        self._layout.addWidget(self.legend)
        self.series: dict[str, list[float]] = {}
        self._blank = False

    @property
    def plot(self) -> Any:
        """The pyqtgraph PlotWidget, made on first use: importing pyqtgraph costs half a second,
        which the window should not pay at start for charts on sections not yet shown."""
        if self._plot is None:
            import pyqtgraph as pg

            plot = pg.PlotWidget(background="w")
            plot.setTitle(self._title, color="#222", size="11pt")
            plot.showGrid(x=False, y=True, alpha=0.3)
            plot.setMouseEnabled(x=False, y=False)
            plot.setMenuEnabled(False)
            plot.hideButtons()
            for axis in ("left", "bottom"):
                plot.getAxis(axis).setTextPen("#333")
                plot.getAxis(axis).setPen("#999")
            self._layout.insertWidget(0, plot, 1)
            plot.setVisible(not self._blank)
            self._plot = plot
        return self._plot

    def _show_empty(self, text: str) -> None:
        """The title and ``text`` where the plot was; an empty ``text`` shows the plot again."""
        self._blank = bool(text)
        self.plot.setVisible(not self._blank)
        self.empty.setText(f"<b>{html.escape(self._title)}</b><br><br>{html.escape(text)}")
        self.empty.setVisible(self._blank)

    def showEvent(self, event: QShowEvent) -> None:
        self.plot  # noqa: B018 - an empty chart still shows its title and axes
        super().showEvent(event)

    def set_data(
        self,
        days: Sequence[date],
        series: Mapping[str, Sequence[float]],
        *,
        limit: int = 6,
        colours: Sequence[str] = PALETTE,
    ) -> None:
        self.plot.clear()
        self.series = {}
        xs = list(range(len(days)))
        step = max(1, len(days) // 6)
        self.plot.getAxis("bottom").setTicks(
            [[(i, f"{d.month}/{d.day}") for i, d in enumerate(days) if i % step == 0]]
        )
        keys = []
        # a series with no value at all (a scale never answered) is left out, not drawn empty
        drawable = [(k, v) for k, v in series.items() if any(x == x for x in v)][:limit]
        for n, (name, values) in enumerate(drawable):
            colour = colours[n % len(colours)]
            self.plot.plot(
                xs,
                list(values),
                pen=_pen(colour),
                connect="finite",
                symbol="o",
                symbolSize=5,
                symbolBrush=colour,
                symbolPen=colour,
            )
            self.series[name] = [float(v) for v in values]
            keys.append(f'<span style="color:{colour}">■</span>&nbsp;{html.escape(name)}')
        while (item := self._legend_grid.takeAt(0)) is not None:
            if (widget := item.widget()) is not None:
                widget.deleteLater()
        for n, key in enumerate(keys):  # one label per name: a name is never broken in two
            self._legend_grid.addWidget(QLabel(key, self.legend), n // 3, n % 3)
        finite = [x for v in self.series.values() for x in v if x == x]  # NaN != NaN
        top = max(finite, default=1.0) or 1.0
        self.plot.setYRange(0, top * 1.1, padding=0)
        self._show_empty("" if finite else self.tr("記録がありません"))

    def show_problem(self, text: str) -> None:
        """An empty chart that says why, in place of its legend (a load that failed)."""
        self.set_data([], {})
        self._show_empty(self.tr("表示できませんでした"))
        problem = QLabel(text, self.legend)
        problem.setWordWrap(True)
        problem.setStyleSheet("color: #b00020;")
        self._legend_grid.addWidget(problem, 0, 0, 1, 3)


def _pen(colour: str) -> object:
    import pyqtgraph as pg

    return pg.mkPen(colour, width=2)
