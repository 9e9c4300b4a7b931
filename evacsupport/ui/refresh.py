"""Pages that refresh when a change concerns them, and only while someone can see them.

A meal logged at the counter announces the activity of one household (``services.changes``);
the dashboard and the household list, hidden behind the counter, used to reload the whole
caseload at once, on the UI thread for the dashboard, so the counter froze for seconds after
each meal. A page refreshes only what a change names (its refresh is handed the change), and a
hidden page when it is shown again: by itself (``catch_up``), or because the window refreshes
every section it shows (``MainWindow._refresh_page``, which also brings what other users of a
shared server saved), in which case the change is simply not its business until then.

It is also the one way a page loads lazily: a household editor's suggestions and activity tabs
start stale and load when first shown, so opening a household never waits for a year of meals.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QWidget

from evacsupport.services.changes import Changes, Kind
from evacsupport.ui.context import ChangeBus

Refresh = Callable[[Changes | None], None]
"""A page's one refresh: what changed since it last refreshed, None for everything (its first
load, or changes too many to name)."""


class RefreshWhenShown(QObject):
    """Connects ``pages`` (one widget, or the tabs of one view) to the bus: a change of one of
    ``kinds`` (every kind when None) that ``wants`` accepts refreshes it now if one of its
    pages is visible; else, with ``catch_up``, when one is next shown, with every change it
    missed meanwhile in one value. Changes ``own`` made itself are not announced back to it.

    Attributes:
        stale: a change came while hidden (``catch_up`` only), or it has not loaded yet
            (``stale=True`` to start with: it loads when first shown).
    """

    def __init__(
        self,
        pages: QWidget | Sequence[QWidget],
        bus: ChangeBus,
        refresh: Refresh,
        kinds: Collection[Kind] | None = None,
        *,
        wants: Callable[[Changes], bool] | None = None,
        own: object | None = None,
        catch_up: bool = False,
        stale: bool = False,
    ) -> None:
        self.pages = [pages] if isinstance(pages, QWidget) else list(pages)
        super().__init__(self.pages[0])
        self.refresh = refresh
        self.kinds = None if kinds is None else frozenset(kinds)
        self.wants = wants
        self.own = own
        self.catch_up = catch_up
        self.stale = stale
        self._missed: Changes | None = None  # with ``stale``: None is everything
        for page in self.pages:
            page.installEventFilter(self)
        bus.executed.connect(self._on_executed)

    def _on_executed(self, changes: Changes, initiator: object | None) -> None:
        if initiator is not None and initiator is self.own:
            return
        if changes.concerns(self.kinds) and (self.wants is None or self.wants(changes)):
            self.changed(changes)

    def changed(self, changes: Changes | None = None) -> None:
        """Something it shows changed (the bus, or its owner): refresh now if seen, else
        later; None for everything."""
        if any(page.isVisible() for page in self.pages):
            self.refresh(self._with_missed(changes))
        elif self.catch_up:
            self._missed, self.stale = self._with_missed(changes), True

    def _with_missed(self, changes: Changes | None) -> Changes | None:
        """``changes`` and what it missed while stale, in one value; marks it fresh."""
        if self.stale:
            missed = self._missed
            changes = None if changes is None or missed is None else missed | changes
        self.stale, self._missed = False, None
        return changes

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and self.stale and watched in self.pages:
            self.refresh(self._with_missed(self._missed))
        return False
