"""Members of a household: a list to pick from and a form that edits the picked member.

The panel edits :class:`MemberInput` drafts in memory; nothing reaches the database until the
editor saves the whole household, so a half-typed member can never be stored on its own.

A member added with 世帯員を追加 (Alt+A) comes with the head's family name filled in. Until the
person types something of their own into it, it is no one: saving drops it (Alt+A then Ctrl+S
must not register a person called only 能登). Once something is typed, it needs a given name,
which the panel asks for on that row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from PySide6.QtCore import QItemSelectionModel, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.allergens import display_list
from evacsupport.domain.codes import CareLevel, Relation, Sex, label
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import FieldError, InvalidValue
from evacsupport.services.households import MemberInput
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.widgets.fields import (
    AllergenPicker,
    ChoiceCombo,
    DateField,
    FieldMessage,
    align_captions,
    messages_under,
    set_tab_order,
)

MEMBER_FIELDS = (
    "family_name",
    "given_name",
    "family_kana",
    "given_kana",
    "birth_date",
    "sex",
    "relation",
    "care_level",
    "needs_wheelchair",
    "allergens",
    "dietary_needs",
    "medical_notes",
    "language",
    "phone",
)


def _age(value: object) -> str:
    try:
        born = parse_date(value, allow_empty=True)  # type: ignore[arg-type]
    except InvalidValue:
        return ""
    if born is None:
        return ""
    today = date.today()
    return str(today.year - born.year - ((today.month, today.day) < (born.month, born.day)))


def _typed(member: MemberInput) -> tuple[object, ...]:
    """What a person types about a member: every field but the relation and sex, which the
    new row comes with and which alone describe no one."""
    born = member.birth_date
    allergens = [member.allergens] if isinstance(member.allergens, str) else member.allergens
    return (
        member.family_name.strip(),
        member.given_name.strip(),
        member.family_kana.strip(),
        member.given_kana.strip(),
        born.isoformat() if isinstance(born, date) else (born or "").strip(),
        tuple(a for a in allergens if a),
        member.dietary_needs.strip(),
        member.medical_notes.strip(),
        member.language.strip(),
        member.phone.strip(),
        str(member.care_level),
        member.needs_wheelchair,
    )


def _allergens(value: Sequence[str] | str) -> str:
    return display_list([value] if isinstance(value, str) else value)


def _relation(code: str) -> str:
    try:
        return label(Relation(code))
    except ValueError:
        return code


class MemberPanel(QWidget):
    """Signals: changed() after any edit of any member."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members: list[MemberInput] = []
        self.errors: dict[int, dict[str, str]] = {}
        self._loading = False
        # Members added here, by id(), with what they were pre-filled with.
        self._prefilled: dict[int, tuple[object, ...]] = {}
        self._shown_row = -1
        self.model: RecordTableModel[MemberInput] = RecordTableModel(
            [
                Column(self.tr("続柄"), lambda m: _relation(str(m.relation))),
                Column(self.tr("氏名"), lambda m: f"{m.family_name} {m.given_name}".strip()),
                Column(self.tr("フリガナ"), lambda m: f"{m.family_kana} {m.given_kana}".strip()),
                Column(self.tr("生年月日"), lambda m: m.birth_date or ""),
                Column(self.tr("年齢"), lambda m: _age(m.birth_date), numeric=True),
                Column(self.tr("アレルギー"), lambda m: _allergens(m.allergens)),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setObjectName("memberTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.setMinimumHeight(150)  # a family of five is visible without scrolling
        self.table.setMaximumHeight(190)
        self.add_button = QPushButton(self.tr("世帯員を追加(&A)"), self)
        self.remove_button = QPushButton(self.tr("この世帯員を削除(&D)"), self)
        self.head_button = QPushButton(self.tr("世帯主にする(&H)"), self)
        self.add_button.clicked.connect(self.add_member)
        self.remove_button.clicked.connect(self.remove_current)
        self.head_button.clicked.connect(self.make_current_head)

        self.family_name = QLineEdit(self)
        self.given_name = QLineEdit(self)
        self.family_kana = QLineEdit(self)
        self.given_kana = QLineEdit(self)
        self.family_kana.setPlaceholderText(self.tr("カタカナ（ひらがな可）"))
        self.given_kana.setPlaceholderText(self.tr("カタカナ（ひらがな可）"))
        self.birth_date = DateField(self)
        self.sex = ChoiceCombo(Sex, self)
        self.relation = ChoiceCombo(Relation, self)
        self.care_level = ChoiceCombo(CareLevel, self)
        self.needs_wheelchair = QCheckBox(self.tr("車椅子を使う"), self)
        self.allergens = AllergenPicker(self)
        self.dietary_needs = QLineEdit(self)
        self.medical_notes = QPlainTextEdit(self)
        self.medical_notes.setPlaceholderText(self.tr("要配慮個人情報：同意がある場合のみ記入"))
        self.medical_notes.setMaximumHeight(54)
        self.medical_notes.setTabChangesFocus(True)
        self.language = QLineEdit(self)
        self.phone = QLineEdit(self)
        self.messages = {name: FieldMessage(self) for name in MEMBER_FIELDS}

        form = QFormLayout()
        names = QHBoxLayout()
        names.addWidget(self.family_name)
        names.addWidget(self.given_name)
        kana = QHBoxLayout()
        kana.addWidget(self.family_kana)
        kana.addWidget(self.given_kana)
        self._add_row(
            form,
            self.tr("氏名（姓・名）(&M)"),
            names,
            ("family_name", "given_name"),
            self.family_name,
        )
        self._add_row(
            form,
            self.tr("フリガナ（セイ・メイ）"),
            kana,
            ("family_kana", "given_kana"),
            self.family_kana,
        )
        birth = QHBoxLayout()
        birth.addWidget(self.birth_date)
        birth.addWidget(self.birth_date.hint)
        self._add_row(form, self.tr("生年月日"), birth, ("birth_date",), self.birth_date)
        pick = QHBoxLayout()
        pick.addWidget(self.relation)
        pick.addWidget(self.sex)
        pick.addWidget(self.care_level)
        pick.addWidget(self.needs_wheelchair)
        pick.addStretch(1)
        self._add_row(
            form,
            self.tr("続柄・性別・介護"),
            pick,
            ("relation", "sex", "care_level"),
            self.relation,
        )
        self._add_row(form, self.tr("アレルギー"), self.allergens, ("allergens",), None)
        self._add_row(
            form, self.tr("食事の配慮"), self.dietary_needs, ("dietary_needs",), self.dietary_needs
        )
        self._add_row(
            form,
            self.tr("既往歴・障害"),
            self.medical_notes,
            ("medical_notes",),
            self.medical_notes,
        )
        contact = QHBoxLayout()
        contact.addWidget(QLabel(self.tr("電話"), self))
        contact.addWidget(self.phone)
        contact.addWidget(QLabel(self.tr("言語"), self))
        contact.addWidget(self.language)
        self._add_row(form, self.tr("連絡先"), contact, ("phone", "language"), self.phone)
        self.form_box = QWidget(self)
        self.form_box.setLayout(form)

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.head_button)
        buttons.addStretch(1)
        self.list_message = FieldMessage(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addLayout(buttons)
        layout.addWidget(self.list_message)
        layout.addWidget(self.form_box)

        for edit in (
            self.family_name,
            self.given_name,
            self.family_kana,
            self.given_kana,
            self.birth_date,
            self.dietary_needs,
            self.language,
            self.phone,
        ):
            edit.textChanged.connect(self._store)
        for combo in (self.sex, self.relation, self.care_level):
            combo.currentIndexChanged.connect(self._store)
        self.needs_wheelchair.toggled.connect(self._store)
        self.allergens.changed.connect(self._store)
        self.medical_notes.textChanged.connect(self._store)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_current())
        set_tab_order(
            [
                self.table,
                self.add_button,
                self.remove_button,
                self.head_button,
                self.family_name,
                self.given_name,
                self.family_kana,
                self.given_kana,
                self.birth_date,
                self.relation,
                self.sex,
                self.care_level,
                self.needs_wheelchair,
                *self.allergens.boxes.values(),
                self.dietary_needs,
                self.medical_notes,
                self.phone,
                self.language,
            ]
        )

    def _add_row(
        self,
        form: QFormLayout,
        title: str,
        field: object,
        names: tuple[str, ...],
        buddy: QWidget | None,
    ) -> None:
        box = messages_under(field, [self.messages[name] for name in names])  # type: ignore[arg-type]
        for name in names:
            widget = getattr(self, name, None)
            if isinstance(widget, QWidget):
                self.messages[name].follow(widget)
        caption = QLabel(title, self)
        if buddy is not None:
            caption.setBuddy(buddy)
        form.addRow(caption, box)
        align_captions(form)

    # --- the member list -----------------------------------------------------------------------
    def set_members(self, members: list[MemberInput]) -> None:
        self.members = [replace(m) for m in members]
        self.errors = {}
        self._prefilled = {}
        self.model.set_rows(self.members)
        self.select(0)

    def current_index(self) -> int:
        index = self.table.currentIndex()
        return index.row() if index.isValid() else -1

    def select(self, row: int) -> None:
        if 0 <= row < len(self.members):
            self.table.selectionModel().setCurrentIndex(
                self.model.index(row, 0),
                QItemSelectionModel.SelectionFlag.ClearAndSelect
                | QItemSelectionModel.SelectionFlag.Rows,
            )
        self._show_current()

    def add_member(self) -> None:
        """A new member, with the family name of the head already filled in (the usual case)."""
        head = next((m for m in self.members if m.relation == Relation.HEAD), None)
        new = MemberInput(
            family_name=head.family_name if head else "",
            family_kana=head.family_kana if head else "",
            relation=Relation.HEAD if not self.members else Relation.CHILD,
        )
        self.members.append(new)
        self._prefilled[id(new)] = _typed(new)
        self.model.set_rows(self.members)
        self.select(len(self.members) - 1)
        (self.given_name if head else self.family_name).setFocus()
        self.changed.emit()

    def is_untouched(self, member: MemberInput) -> bool:
        """Added here and nothing typed into it beyond what it came pre-filled with."""
        first = self._prefilled.get(id(member))
        return first is not None and _typed(member) == first

    def saved_rows(self) -> list[int]:
        """The rows that a save stores: all but the added rows nobody typed into."""
        return [i for i, m in enumerate(self.members) if not self.is_untouched(m)]

    def members_to_save(self) -> list[MemberInput]:
        return [self.members[i] for i in self.saved_rows()]

    def draft_errors(self) -> list[FieldError]:
        """An added row that was typed into but has no given name yet: refused on its row
        (the family name alone is the head's, copied, and names no one new)."""
        return [
            FieldError(f"members.{i}.given_name", "member.given_name_needed")
            for i, m in enumerate(self.members)
            if id(m) in self._prefilled and not self.is_untouched(m) and not m.given_name.strip()
        ]

    def remove_current(self) -> None:
        row = self.current_index()
        if row < 0:
            return
        self._prefilled.pop(id(self.members[row]), None)
        del self.members[row]
        self.errors = {}
        self.model.set_rows(self.members)
        self.select(min(row, len(self.members) - 1))
        self.changed.emit()

    def make_current_head(self) -> None:
        row = self.current_index()
        if row < 0:
            return
        for i, member in enumerate(self.members):
            if i == row:
                member.relation = Relation.HEAD
            elif member.relation == Relation.HEAD:
                member.relation = Relation.OTHER
        self.model.set_rows(self.members)
        self.select(row)
        self.changed.emit()

    # --- the member form -----------------------------------------------------------------------
    def _show_current(self) -> None:
        row = self.current_index()
        self.form_box.setEnabled(row >= 0)
        self.remove_button.setEnabled(row >= 0)
        self.head_button.setEnabled(row >= 0)
        member = self.members[row] if row >= 0 else MemberInput()
        self._loading = True
        self.family_name.setText(member.family_name)
        self.given_name.setText(member.given_name)
        self.family_kana.setText(member.family_kana)
        self.given_kana.setText(member.given_kana)
        birth = member.birth_date
        self.birth_date.setText(birth.isoformat() if isinstance(birth, date) else (birth or ""))
        self.sex.set_code(str(member.sex))
        self.relation.set_code(str(member.relation))
        self.care_level.set_code(str(member.care_level))
        self.needs_wheelchair.setChecked(member.needs_wheelchair)
        self.allergens.set_values(
            member.allergens if not isinstance(member.allergens, str) else [member.allergens]
        )
        self.dietary_needs.setText(member.dietary_needs)
        self.medical_notes.setPlainText(member.medical_notes)
        self.language.setText(member.language)
        self.phone.setText(member.phone)
        self._loading = False
        if row != self._shown_row:  # another member: what was touched was someone else's field
            self._shown_row = row
            for message in self.messages.values():
                message.reset()
        self._show_errors()

    def _store(self) -> None:
        row = self.current_index()
        if self._loading or row < 0:
            return
        member = self.members[row]
        member.family_name = self.family_name.text()
        member.given_name = self.given_name.text()
        member.family_kana = self.family_kana.text()
        member.given_kana = self.given_kana.text()
        member.birth_date = self.birth_date.text()
        member.sex = self.sex.code()
        member.relation = self.relation.code()
        member.care_level = self.care_level.code()
        member.needs_wheelchair = self.needs_wheelchair.isChecked()
        member.allergens = self.allergens.values()
        member.dietary_needs = self.dietary_needs.text()
        member.medical_notes = self.medical_notes.toPlainText()
        member.language = self.language.text()
        member.phone = self.phone.text()
        self.model.dataChanged.emit(
            self.model.index(row, 0), self.model.index(row, self.model.columnCount() - 1)
        )
        self.changed.emit()

    # --- messages ------------------------------------------------------------------------------
    def set_errors(self, errors: dict[int, dict[str, str]], list_message: str = "") -> None:
        self.errors = errors
        self.list_message.show_message(list_message)
        self._show_errors()

    def _show_errors(self) -> None:
        mine = self.errors.get(self.current_index(), {})
        for name, label_widget in self.messages.items():
            label_widget.show_message(mine.get(name, ""))

    def first_error_row(self) -> int:
        return min(self.errors) if self.errors else -1

    def focus_field(self, name: str) -> None:
        widget = getattr(self, name, None)
        if isinstance(widget, QWidget):
            widget.setFocus()
