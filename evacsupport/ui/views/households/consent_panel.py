"""Consent: the history as recorded, a form to record new consent, and withdrawal.

Nothing here overwrites a consent record: recording creates a new one (the old stays in the
history) and withdrawal only dates the current one; both are saved with the household.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from evacsupport.db.models import Consent
from evacsupport.domain.codes import (
    ConsentMethod,
    ConsentPurpose,
    ConsentRecipient,
    ConsentSubject,
    DataCategory,
    label,
)
from evacsupport.services.consents import ConsentInput, is_valid_on
from evacsupport.ui.models.records import Column, RecordTableModel
from evacsupport.ui.views.sections.activity import make_table
from evacsupport.ui.widgets.fields import (
    ChoiceCombo,
    DateField,
    FieldMessage,
    align_captions,
    messages_under,
)

CONSENT_FIELDS = (
    "consented_on",
    "subject",
    "proxy_name",
    "proxy_relation",
    "method",
    "staff",
    "purposes",
    "recipients",
    "data_categories",
    "expires_on",
)


def _labels(enum: type, codes: list[str]) -> str:
    out = []
    for code in codes:
        try:
            out.append(label(enum(code)))
        except ValueError:
            out.append(code)
    return "、".join(out)


class CheckList(QWidget):
    """Check boxes for a code list, in a row."""

    def __init__(self, enum: type[StrEnum], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.boxes = {member.value: QCheckBox(label(member), self) for member in enum}
        for box in self.boxes.values():
            layout.addWidget(box)
        layout.addStretch(1)

    def values(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]

    def set_values(self, codes: list[str]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(code in codes)


class ConsentPanel(QWidget):
    """Signals: changed() after any edit."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.current: Consent | None = None
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.history: RecordTableModel[Consent] = RecordTableModel(
            [
                Column(self.tr("同意日"), lambda c: c.consented_on),
                Column(self.tr("同意者"), self._who),
                Column(self.tr("方法"), lambda c: _labels(ConsentMethod, [c.method])),
                Column(self.tr("利用目的"), lambda c: _labels(ConsentPurpose, c.purposes)),
                Column(self.tr("提供先"), lambda c: _labels(ConsentRecipient, c.recipients)),
                Column(self.tr("情報の種類"), lambda c: _labels(DataCategory, c.data_categories)),
                Column(self.tr("有効期限"), lambda c: c.expires_on),
                Column(self.tr("撤回日"), lambda c: c.withdrawn_on),
                Column(self.tr("担当"), lambda c: c.staff),
            ],
            self,
        )
        self.table = make_table(self.history, self)
        self.table.setMaximumHeight(140)

        self.record_group = QGroupBox(self.tr("新しい同意を記録する(&C)"), self)
        self.record_group.setCheckable(True)
        self.record_group.setChecked(False)
        self.consented_on = DateField(self)
        self.subject = ChoiceCombo(ConsentSubject, self)
        self.proxy_name = QLineEdit(self)
        self.proxy_relation = QLineEdit(self)
        self.method = ChoiceCombo(ConsentMethod, self)
        self.staff = QLineEdit(self)
        self.purposes = CheckList(ConsentPurpose, self)
        self.recipients = CheckList(ConsentRecipient, self)
        self.data_categories = CheckList(DataCategory, self)
        self.data_categories.set_values([DataCategory.BASIC, DataCategory.CONTACT])
        self.expires_on = DateField(self)
        self.messages = {name: FieldMessage(self) for name in (*CONSENT_FIELDS, "withdrawn_on")}
        form = QFormLayout(self.record_group)
        proxy = QHBoxLayout()
        proxy.addWidget(self.subject)
        proxy.addWidget(QLabel(self.tr("代理人の氏名"), self))
        proxy.addWidget(self.proxy_name)
        proxy.addWidget(QLabel(self.tr("続柄"), self))
        proxy.addWidget(self.proxy_relation)
        rows: list[tuple[str, QWidget | QHBoxLayout, tuple[str, ...]]] = [
            (self.tr("同意日"), self._with_hint(self.consented_on), ("consented_on",)),
            (self.tr("同意者"), proxy, ("subject", "proxy_name", "proxy_relation")),
            (self.tr("方法"), self.method, ("method",)),
            (self.tr("担当職員"), self.staff, ("staff",)),
            (self.tr("利用目的"), self.purposes, ("purposes",)),
            (self.tr("提供先"), self.recipients, ("recipients",)),
            (self.tr("情報の種類"), self.data_categories, ("data_categories",)),
            (self.tr("有効期限"), self._with_hint(self.expires_on), ("expires_on",)),
        ]
        for title, field, names in rows:
            form.addRow(title, messages_under(field, [self.messages[name] for name in names]))
        align_captions(form)

        self.withdraw_group = QGroupBox(self.tr("現在の同意を撤回する(&W)"), self)
        self.withdraw_group.setCheckable(True)
        self.withdraw_group.setChecked(False)
        self.withdrawn_on = DateField(self)
        withdraw = QFormLayout(self.withdraw_group)
        withdraw.addRow(
            self.tr("撤回日"),
            messages_under(self._with_hint(self.withdrawn_on), [self.messages["withdrawn_on"]]),
        )
        align_captions(withdraw)
        for name, message in self.messages.items():
            widget = getattr(self, name, None)
            if isinstance(widget, QWidget):
                message.follow(widget)

        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.table)
        layout.addWidget(self.record_group)
        layout.addWidget(self.withdraw_group)
        layout.addStretch(1)

        for edit in (
            self.consented_on,
            self.proxy_name,
            self.proxy_relation,
            self.staff,
            self.expires_on,
            self.withdrawn_on,
        ):
            edit.textChanged.connect(self.changed)
        for combo in (self.subject, self.method):
            combo.currentIndexChanged.connect(self.changed)
        for group in (self.record_group, self.withdraw_group):
            group.toggled.connect(self.changed)
        for checklist in (self.purposes, self.recipients, self.data_categories):
            for check in checklist.boxes.values():
                check.toggled.connect(self.changed)
        self.record_group.toggled.connect(self._default_date)

    def _with_hint(self, field: DateField) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(field)
        row.addWidget(field.hint)
        return row

    def _who(self, consent: Consent) -> str:
        if consent.subject == ConsentSubject.PROXY:
            return f"{consent.proxy_name}（{consent.proxy_relation}）"
        return label(ConsentSubject.PERSON)

    def _default_date(self, checked: bool) -> None:
        if checked and not self.consented_on.text():
            self.consented_on.set_date(date.today())

    def set_history(self, consents: list[Consent], current: Consent | None) -> None:
        self.current = current
        self.history.set_rows(
            sorted(consents, key=lambda c: (c.consented_on, c.created_at), reverse=True)
        )
        self.withdraw_group.setEnabled(current is not None and current.withdrawn_on is None)
        if current is not None and is_valid_on(current, date.today()):
            self.status.setText(
                self.tr("有効な同意があります：%1（%2）")
                .replace("%1", current.consented_on.isoformat())
                .replace("%2", _labels(ConsentPurpose, current.purposes))
            )
            self.status.setStyleSheet("")
        else:
            self.status.setText(
                self.tr(
                    "有効な同意がありません。同意がない世帯の情報は、会場や関係機関と共有できません。"
                )
            )
            self.status.setStyleSheet("color: #b00020; font-weight: bold;")

    def consent_input(self) -> ConsentInput | None:
        if not self.record_group.isChecked():
            return None
        return ConsentInput(
            consented_on=self.consented_on.text(),
            subject=self.subject.code(),
            method=self.method.code(),
            purposes=self.purposes.values(),
            recipients=self.recipients.values(),
            data_categories=self.data_categories.values(),
            proxy_name=self.proxy_name.text(),
            proxy_relation=self.proxy_relation.text(),
            staff=self.staff.text(),
            expires_on=self.expires_on.text(),
        )

    def withdrawal(self) -> str | None:
        if not (self.withdraw_group.isEnabled() and self.withdraw_group.isChecked()):
            return None
        return self.withdrawn_on.text()

    def show_errors(self, errors: dict[str, str]) -> None:
        for name, widget in self.messages.items():
            widget.show_message(errors.get(name, ""))
