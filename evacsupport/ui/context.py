"""What every view needs, handed down explicitly instead of reached through globals."""

from __future__ import annotations

from dataclasses import dataclass, field

from PySide6.QtCore import QObject, Signal

from evacsupport.config import Settings, login_name
from evacsupport.db.engine import Database
from evacsupport.services.changes import Changes
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueService
from evacsupport.ui.prompts import Prompter, QtPrompter


class ChangeBus(QObject):
    """After a write, the view that made it announces what changed; the others refresh what
    they show of it (:class:`~evacsupport.ui.refresh.RefreshWhenShown`).

    Signals:
        executed(Changes, object): what changed, and the view that made the change (None when
            nobody in this window did: a reload, another user's work) so it can skip its own.
    """

    executed = Signal(object, object)

    def announce(self, changes: Changes, initiator: object | None = None) -> None:
        self.executed.emit(changes, initiator)


@dataclass
class AppContext:
    db: Database
    prompter: Prompter = field(default_factory=QtPrompter)
    settings: Settings = field(default_factory=Settings)
    bus: ChangeBus = field(default_factory=ChangeBus)
    user: str = ""

    def __post_init__(self) -> None:
        self.db.actor = self.user or self.settings.staff_name or login_name()
        self.households = HouseholdService(self.db)
        self.venues = VenueService(self.db)
