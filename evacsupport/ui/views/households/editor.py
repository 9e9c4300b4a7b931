"""The household editor: one window per household, saved as a whole or not at all.

Validation runs through the same service rules on every edit, so messages appear next to the
fields as the user types (after the field was touched, or everywhere after a save attempt);
Save is refused until the form is valid, and closing with unsaved changes asks first.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict

from PySide6.QtCore import QSize, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from evacsupport.db.models import Household
from evacsupport.domain.codes import EvacuationStatus, Relation
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, FieldError, ValidationError
from evacsupport.services.authz import can
from evacsupport.services.casefile import CaseChanges, save_case, validate_case
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.erasure import erase_household
from evacsupport.services.households import HouseholdInput, MemberInput
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import write_now
from evacsupport.ui.prompts import Discard
from evacsupport.ui.views.households.activity_tabs import ActivityTabs
from evacsupport.ui.views.households.assignment_panel import AssignmentPanel
from evacsupport.ui.views.households.consent_panel import ConsentPanel
from evacsupport.ui.views.households.household_form import HouseholdForm
from evacsupport.ui.views.households.member_panel import MemberPanel
from evacsupport.ui.views.households.residence_panel import ResidencePanel
from evacsupport.ui.widgets.fields import FieldMessage, reveal_messages
from evacsupport.ui.widgets.screen_fit import fit_to_screen

VALIDATE_DELAY_MS = 250


def _member_inputs(household: Household) -> list[MemberInput]:
    return [
        MemberInput(
            id=m.id,
            family_name=m.family_name,
            given_name=m.given_name,
            family_kana=m.family_kana,
            given_kana=m.given_kana,
            birth_date=m.birth_date.isoformat() if m.birth_date else "",
            sex=m.sex,
            relation=m.relation,
            allergens=list(m.allergens),
            dietary_needs=m.dietary_needs,
            care_level=m.care_level,
            needs_wheelchair=m.needs_wheelchair,
            medical_notes=m.medical_notes,
            language=m.language,
            phone=m.phone,
        )
        for m in household.current_members
    ]


def _scroll(widget: QWidget, parent: QWidget) -> QScrollArea:
    area = QScrollArea(parent)
    area.setWidgetResizable(True)
    area.setWidget(widget)
    return area


class HouseholdEditor(QDialog):
    """Attributes for tests and callers: ``form``, ``members``, ``consent``, ``residence``,
    ``assignment`` (the 会場の利用 panel; None when new), ``tabs``, ``general_message``,
    ``household`` (as loaded, None when new)."""

    def __init__(
        self, ctx: AppContext, household_id: uuid.UUID | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.household: Household | None = (
            ctx.households.get(household_id) if household_id else None
        )
        self._save_attempted = False
        self._closing = False
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)

        # the count, in the button row: as wide as it says (a field line takes the field's width)
        self.general_message = FieldMessage(self, wrap=True)
        self.general_message.setWordWrap(False)
        self.form = HouseholdForm(self)
        self.members = MemberPanel(self)
        self.consent = ConsentPanel(self)
        self.residence = ResidencePanel(self)
        basics = QWidget(self)
        basics_layout = QVBoxLayout(basics)
        basics_layout.addWidget(self.form)
        members_title = QLabel(self.tr("世帯員"), basics)
        members_title.setStyleSheet("font-weight: bold; font-size: 12pt;")
        basics_layout.addWidget(members_title)
        basics_layout.addWidget(self.members)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(_scroll(basics, self), self.tr("基本情報・世帯員"))
        self.tabs.addTab(_scroll(self.consent, self), self.tr("同意"))
        self.tabs.addTab(self.residence, self.tr("住居履歴"))
        self._add_history_tabs()

        self.save_button = QPushButton(self.tr("保存(&S)"), self)
        self.save_button.setDefault(False)
        self.save_button.setAutoDefault(False)
        self.cancel_button = QPushButton(self.tr("キャンセル"), self)
        self.cancel_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_message)
        buttons.addStretch(1)
        # Administrators only: erasure on request (services.erasure refuses anyone else too).
        self.erase_button: QPushButton | None = None
        if self.household is not None and can(ctx.db, Permission.ERASE):
            self.erase_button = QPushButton(self.tr("この世帯の個人情報を消去…"), self)
            self.erase_button.setAutoDefault(False)
            self.erase_button.clicked.connect(self.erase)
            buttons.addWidget(self.erase_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)

        save = QAction(self)
        save.setShortcut(QKeySequence.StandardKey.Save)
        save.triggered.connect(self.save)
        self.addAction(save)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(VALIDATE_DELAY_MS)
        self._timer.timeout.connect(self.validate)
        self.form.changed.connect(self._edited)
        self.members.changed.connect(self._edited)
        self.consent.changed.connect(self._edited)
        self.residence.changed.connect(self._edited)

        self._load()
        self._pristine = self._snapshot()
        fit_to_screen(self, QSize(980, 820))  # the member table and the tabs use the room
        (self.form.evacuation_status if self.household is None else self.form.phone).setFocus()

    # --- loading -------------------------------------------------------------------------------
    def _load(self) -> None:
        household = self.household
        if household is None:
            self.setWindowTitle(self.tr("世帯の登録"))
            self.form.evacuation_status.set_code(EvacuationStatus.HOTEL)
            self.members.set_members([MemberInput(relation=Relation.HEAD)])
            self.consent.set_history([], None)
            return
        head = household.head
        self.setWindowTitle(
            self.tr("世帯の編集：%1 %2")
            .replace("%1", household.case_number)
            .replace("%2", head.full_name if head else "")
        )
        self.form.load(household)
        self.members.set_members(_member_inputs(household))
        self.consent.set_history(household.consents, household.current_consent)
        self.residence.set_history([r for r in household.residences if r.deleted_at is None])

    def _add_history_tabs(self) -> None:
        # Assigning is written at once by the panel, apart from Save (see assignment_panel).
        # Suggestions follow the form as typed, so a new household typed with only an address
        # or a postal code is ranked before it is saved.
        self.assignment = AssignmentPanel(
            self.ctx, self.household.id if self.household else None, self, unsaved=self.changes
        )
        self.tabs.addTab(self.assignment, self.tr("会場の利用"))
        self.activity = ActivityTabs(self.ctx, self.household, self)
        for page, title in self.activity.pages():
            self.tabs.addTab(page, title)

    # --- the form as service input ---------------------------------------------------------
    def changes(self) -> CaseChanges:
        f = self.form
        household = HouseholdInput(
            case_number=f.case_number.text() if self.household is None else "",
            evacuation_status=f.evacuation_status.code(),
            origin_municipality_code=f.origin_municipality_code.currentData() or "",
            origin_address=f.origin_address.text(),
            postal_code=f.postal_code.text(),
            current_address=f.current_address.text(),
            coordinates=f.coordinates.text(),
            phone=f.phone.text(),
            notes=f.notes.toPlainText(),
            members=self.members.members_to_save(),
        )
        if self.household is not None:
            household.evacuation_status = self.household.evacuation_status
        return CaseChanges(
            household=household,
            consent=self.consent.consent_input(),
            withdraw_on=self.consent.withdrawal(),
            move=self.residence.move_input(),
        )

    def _snapshot(self) -> dict[str, object]:
        return asdict(self.changes())

    def is_dirty(self) -> bool:
        return self._snapshot() != self._pristine

    # --- validation ----------------------------------------------------------------------------
    def _edited(self) -> None:
        self._timer.start()

    def validate(self) -> bool:
        """Check the whole form with the service rules and show the messages; True when valid."""
        self._timer.stop()
        self.assignment.form_changed()  # suggestions follow the form (shown: now; else later)
        errors: list[FieldError] = []
        try:
            validate_case(self.changes())
        except ValidationError as exc:
            errors = self._on_panel_rows(exc.errors)
        errors += self.members.draft_errors()
        self._show_errors(errors)
        return not errors

    def _on_panel_rows(self, errors: list[FieldError]) -> list[FieldError]:
        """The service numbers the members it was given; the panel also holds the added rows
        nobody typed into (not saved), so ``members.N`` is mapped to the panel's row."""
        rows = self.members.saved_rows()
        mapped = []
        for error in errors:
            parts = error.field.split(".")
            if parts[0] == "members" and len(parts) == 3 and int(parts[1]) < len(rows):
                parts[1] = str(rows[int(parts[1])])
                error = FieldError(".".join(parts), error.code, error.params)
            mapped.append(error)
        return mapped

    def _show_errors(self, errors: list[FieldError]) -> None:
        show_all = self._save_attempted
        household: dict[str, str] = {}
        members: dict[int, dict[str, str]] = {}
        consent: dict[str, str] = {}
        move: dict[str, str] = {}
        list_message = ""
        for error in errors:
            text = error.message()
            parts = error.field.split(".")
            if parts[0] == "members" and len(parts) == 3:
                members.setdefault(int(parts[1]), {})[parts[2]] = text
            elif parts[0] == "members":
                list_message = text
            elif parts[0] == "consent":
                consent[parts[-1]] = text
            elif parts[0] == "move":
                move[parts[-1]] = text
            elif parts[0] == "withdrawn_on":
                consent["withdrawn_on"] = text
            else:
                household[parts[0]] = text
        if not show_all:
            # Each field message waits until its field was touched (widgets.fields); the list's
            # own message and the count wait for the first save.
            list_message = ""
        self.form.show_errors(household)
        self.members.set_errors(members, list_message)
        self.consent.show_errors(consent)
        self.residence.show_errors(move)
        self.general_message.show_message(
            self.tr("%n 件の入力を確認してください", "", len(errors)) if show_all and errors else ""
        )

    # --- saving and closing --------------------------------------------------------------------
    def save(self) -> bool:
        self._save_attempted = True
        reveal_messages(self)
        if not self.validate():
            self._focus_first_error()
            return False
        changes = self.changes()
        household_id = self.household.id if self.household else None
        duplicates = self.ctx.households.find_duplicates(
            changes.household, exclude_household=household_id
        )
        if duplicates:
            lines = "\n".join(
                f"・{d.case_number} {d.name}（{d.kana}、{d.birth_date:%Y-%m-%d}）"
                for d in duplicates
            )
            if not self.ctx.prompter.confirm(
                self,
                self.tr("同じ人が登録されている可能性があります"),
                self.tr(
                    "同じフリガナと生年月日の人がすでに登録されています：\n%1\n\nこのまま保存しますか？"
                ).replace("%1", lines),
            ):
                return False
        db, version = self.ctx.db, self.household.version if self.household else None
        try:
            saved = write_now(
                lambda: save_case(db, household_id, changes, expected_version=version),
                self,
                where="household save",
            )
        except ValidationError as exc:
            self._show_errors(self._on_panel_rows(exc.errors))
            self._focus_first_error()
            return False
        except EvacError as exc:
            self.ctx.prompter.error(self, exc.message())
            return False
        self.household = saved
        self._pristine = self._snapshot()
        self.ctx.bus.announce(Changes.of(Kind.HOUSEHOLD, households=[saved.id]), self)
        self._closing = True
        self.accept()
        return True

    def erase(self) -> bool:
        """Erase this household's personal data once the case number is typed back."""
        if self.household is None:
            return False
        number = self.household.case_number
        typed = self.ctx.prompter.ask_text(
            self,
            self.tr("個人情報の消去"),
            self.tr(
                "氏名・連絡先・記録の本文などを消去します（件数は残ります）。元に戻せません。\n"
                "確認のため世帯番号 %1 を入力してください："
            ).replace("%1", number),
        )
        if typed is None or typed.strip().upper() != number:
            if typed is not None:
                self.ctx.prompter.error(self, self.tr("世帯番号が一致しません"))
            return False
        db, household_id = self.ctx.db, self.household.id
        try:
            write_now(lambda: erase_household(db, household_id, "request"), self, where="erasure")
        except EvacError as exc:
            self.ctx.prompter.error(self, exc.message())
            return False
        self.ctx.bus.announce(
            Changes.of(Kind.HOUSEHOLD, Kind.ACTIVITY, households=[household_id]), self
        )
        self.household = self.ctx.households.get(self.household.id)
        self._load()
        self._pristine = self._snapshot()
        self.ctx.prompter.info(
            self,
            self.tr("個人情報の消去"),
            self.tr("%1 の個人情報を消去しました").replace("%1", number),
        )
        return True

    def _focus_first_error(self) -> None:
        for name, label_widget in self.form.messages.items():
            if label_widget.isVisible() or label_widget.text():
                self.tabs.setCurrentIndex(0)
                widget = getattr(self.form, name, None)
                if isinstance(widget, QWidget):
                    widget.setFocus()
                return
        row = self.members.first_error_row()
        if row >= 0 or self.members.list_message.text():
            self.tabs.setCurrentIndex(0)
            if row >= 0:
                self.members.select(row)
                first = next(iter(self.members.errors[row]))
                self.members.focus_field(first)
            return
        if any(w.text() for w in self.consent.messages.values()):
            self.tabs.setCurrentIndex(1)
        elif any(w.text() for w in self.residence.messages.values()):
            self.tabs.setCurrentIndex(2)

    def reject(self) -> None:
        """Esc and Cancel: ask before throwing away unsaved changes."""
        if self._closing or not self.is_dirty():
            self._closing = True
            super().reject()
            return
        answer = self.ctx.prompter.ask_unsaved(self)
        if answer is Discard.SAVE:
            self.save()
        elif answer is Discard.DISCARD:
            self._closing = True
            super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.accept()
            return
        self.reject()  # may set _closing, after asking the user
        event.setAccepted(self._closing)
