"""Pages that refresh when a change concerns them, and only while someone can see them.

A meal logged at the counter announces "activity"; the dashboard and the household list, hidden
behind the counter, used to reload the whole caseload at once, on the UI thread for the
dashboard, so the counter froze for seconds after each meal. A hidden page now refreshes when it
is shown again: by itself (``catch_up``), or because the window refreshes every section it
shows (``MainWindow._refresh_page``, which also brings what other users of a shared server
saved), in which case the change is simply not its business until then.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QWidget

from evacsupport.ui.context import ChangeBus


class RefreshWhenShown(QObject):
    """Connects ``page`` to the bus: a change of one of ``kinds`` (every kind when None)
    refreshes it now if it is visible; else, with ``catch_up``, the next time it is shown.

    Attributes:
        stale: a change came while the page was hidden (``catch_up`` only).
    """

    def __init__(
        self,
        page: QWidget,
        bus: ChangeBus,
        refresh: Callable[[], None],
        kinds: Collection[str] | None = None,
        *,
        catch_up: bool = False,
    ) -> None:
        super().__init__(page)
        self.page = page
        self.refresh = refresh
        self.kinds = kinds
        self.catch_up = catch_up
        self.stale = False
        page.installEventFilter(self)
        bus.changed.connect(self._on_changed)

    def _on_changed(self, kind: str) -> None:
        if self.kinds is not None and kind not in self.kinds:
            return
        if self.page.isVisible():
            self.stale = False
            self.refresh()
        elif self.catch_up:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.page and event.type() == QEvent.Type.Show and self.stale:
            self.stale = False
            QTimer.singleShot(0, self.refresh)  # once shown: the section switch paints first
        return False
