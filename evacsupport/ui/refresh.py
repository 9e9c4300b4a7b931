"""Pages that refresh when a change concerns them, and only while someone can see them.

A meal logged at the counter announces "activity"; the dashboard and the household list, hidden
behind the counter, used to reload the whole caseload at once, on the UI thread for the
dashboard, so the counter froze for seconds after each meal. A hidden page now refreshes when it
is shown again: by itself (``catch_up``), or because the window refreshes every section it
shows (``MainWindow._refresh_page``, which also brings what other users of a shared server
saved), in which case the change is simply not its business until then.

It is also the one way a page loads lazily: a household editor's suggestions and activity tabs
start stale and load when first shown, so opening a household never waits for a year of meals.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from evacsupport.ui.context import ChangeBus

Wanted = Collection[str] | Callable[[str], bool] | None


class RefreshWhenShown(QObject):
    """Connects ``pages`` (one widget, or the tabs of one view) to the bus: a change it wants
    (one of ``kinds``, or those the predicate accepts; every kind when None) refreshes it now
    if one of its pages is visible; else, with ``catch_up``, when one is next shown.

    Attributes:
        stale: a change came while hidden (``catch_up`` only), or it has not loaded yet
            (``stale=True`` to start with: it loads when first shown).
    """

    def __init__(
        self,
        pages: QWidget | Sequence[QWidget],
        bus: ChangeBus,
        refresh: Callable[[], None],
        kinds: Wanted = None,
        *,
        catch_up: bool = False,
        stale: bool = False,
    ) -> None:
        self.pages = [pages] if isinstance(pages, QWidget) else list(pages)
        super().__init__(self.pages[0])
        self.refresh = refresh
        self.kinds = kinds
        self.catch_up = catch_up
        self.stale = stale
        for page in self.pages:
            page.installEventFilter(self)
        bus.changed.connect(self._on_changed)

    def _wants(self, kind: str) -> bool:
        if self.kinds is None:
            return True
        if callable(self.kinds):
            return self.kinds(kind)
        return kind in self.kinds

    def _on_changed(self, kind: str) -> None:
        if self._wants(kind):
            self.changed()

    def changed(self) -> None:
        """Something it shows changed (the bus, or its owner): refresh now if seen, else later."""
        if any(page.isVisible() for page in self.pages):
            self.stale = False
            self.refresh()
        elif self.catch_up:
            self.stale = True

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale and watched in self.pages:
            self.stale = False
            self.refresh()
        return False
