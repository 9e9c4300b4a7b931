"""The 訪問・チェックイン section: every household's recent visits and check-ins, each with its
household's head beside the case number, and buttons to record a new one for a household
found by name or case number (without going through the household list first)."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from evacsupport.domain.roles import Permission
from evacsupport.services.authz import can
from evacsupport.ui.context import AppContext
from evacsupport.ui.views.contacts.checkin_dialog import CheckInDialog
from evacsupport.ui.views.contacts.household_picker import HouseholdPicker
from evacsupport.ui.views.contacts.visit_dialog import VisitDialog
from evacsupport.ui.views.sections.activity import RecordsPage, checkin_columns, visit_columns


class VisitsPage(RecordsPage):
    """Attributes: ``visit_button``, ``checkin_button``, ``picker`` (the open household
    search, if any), ``dialog`` (the visit or check-in dialog opened last)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(
            ctx,
            [
                (
                    QCoreApplication.translate("VisitsPage", "最近の訪問・電話"),
                    visit_columns(with_head=True),
                    lambda a: a.visits(),
                ),
                (
                    QCoreApplication.translate("VisitsPage", "最近のチェックイン（見守り尺度）"),
                    checkin_columns(with_head=True),
                    lambda a: a.checkins(),
                ),
            ],
            parent=parent,
        )
        self.picker: HouseholdPicker | None = None
        self.dialog: VisitDialog | CheckInDialog | None = None
        self.visit_button = QPushButton(self.tr("訪問を記録(&V)…"), self)
        self.checkin_button = QPushButton(self.tr("チェックインを記録(&C)…"), self)
        self.visit_button.clicked.connect(self.record_visit)
        self.checkin_button.clicked.connect(self.record_checkin)
        # recording needs casework, as the section does (the services refuse anyone else too)
        allowed = can(ctx.db, Permission.CASEWORK)
        for button in (self.visit_button, self.checkin_button):
            button.setVisible(allowed)
        row = QHBoxLayout()
        row.addWidget(self.visit_button)
        row.addWidget(self.checkin_button)
        row.addStretch(1)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, row)

    def record_visit(self) -> HouseholdPicker:
        """Ask which household, then open the visit dialog for it."""
        return self._pick(self.tr("訪問・電話を記録する世帯"), VisitDialog)

    def record_checkin(self) -> HouseholdPicker:
        """Ask which household, then open the check-in dialog for it."""
        return self._pick(self.tr("チェックインを記録する世帯"), CheckInDialog)

    def _pick(
        self, title: str, dialog_class: type[VisitDialog] | type[CheckInDialog]
    ) -> HouseholdPicker:
        picker = HouseholdPicker(self.ctx, title, self)

        def chosen() -> None:
            if picker.chosen is not None:
                self.dialog = dialog_class(self.ctx, picker.chosen, self)
                self.dialog.show()

        picker.accepted.connect(chosen)
        picker.finished.connect(picker.deleteLater)
        self.picker = picker
        picker.show()
        return picker
