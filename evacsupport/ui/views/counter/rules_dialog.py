"""A venue's counter rules: how many meals of each type a person may have a day, the shortest
time between two meals, and meal types that exclude each other on the same day."""

from __future__ import annotations

import itertools
import uuid

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from evacsupport.domain.codes import MealType, label
from evacsupport.errors import EvacError
from evacsupport.services.changes import Changes, Kind
from evacsupport.services.meals import MealRules, MealService
from evacsupport.ui.context import AppContext
from evacsupport.ui.operations import write_now
from evacsupport.ui.widgets.screen_fit import fit_to_screen


class MealRulesDialog(QDialog):
    """Attributes: ``limits`` (meal type → spin box, 0 = no limit), ``interval``, ``pairs``."""

    def __init__(
        self, ctx: AppContext, venue_id: uuid.UUID, venue_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.venue_id = venue_id
        self.service = MealService(ctx.db)
        self.setWindowTitle(self.tr("受付のルール：%1").replace("%1", venue_name))
        rules = self.service.rules(venue_id)
        limits_box = QGroupBox(self.tr("1人1日あたりの上限（0は制限なし）"), self)
        limits_form = QFormLayout(limits_box)
        self.limits: dict[str, QSpinBox] = {}
        for meal_type in MealType:
            spin = QSpinBox(self)
            spin.setRange(0, 10)
            spin.setValue(rules.max_per_day.get(meal_type.value, 0))
            spin.setSuffix(self.tr(" 回"))
            self.limits[meal_type.value] = spin
            limits_form.addRow(label(meal_type), spin)
        self.interval = QSpinBox(self)
        self.interval.setRange(0, 1440)
        self.interval.setSuffix(self.tr(" 分"))
        self.interval.setValue(rules.min_interval_minutes)
        pairs_box = QGroupBox(self.tr("同じ日に重ねられない組み合わせ"), self)
        pairs_layout = QVBoxLayout(pairs_box)
        chosen = {frozenset(p) for p in rules.exclusive}
        self.pairs: dict[tuple[str, str], QCheckBox] = {}
        for a, b in itertools.combinations([t.value for t in MealType], 2):
            box = QCheckBox(f"{label(MealType(a))} ＋ {label(MealType(b))}", self)
            box.setChecked(frozenset((a, b)) in chosen)
            self.pairs[(a, b)] = box
            pairs_layout.addWidget(box)
        self.message = QLabel(self)
        self.message.setStyleSheet("color: #b00020;")
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("次の食事までの最短間隔（0は制限なし）"), self.interval)
        layout = QVBoxLayout(self)
        layout.addWidget(limits_box)
        layout.addLayout(form)
        layout.addWidget(pairs_box)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        fit_to_screen(self)

    def rules(self) -> MealRules:
        return MealRules(
            max_per_day={t: spin.value() for t, spin in self.limits.items() if spin.value()},
            min_interval_minutes=self.interval.value(),
            exclusive=tuple(pair for pair, box in self.pairs.items() if box.isChecked()),
        )

    def save(self) -> bool:
        try:
            service, venue_id, rules = self.service, self.venue_id, self.rules()
            write_now(lambda: service.set_rules(venue_id, rules), self, where="meal rules")
        except EvacError as exc:
            self.message.setText(exc.message())
            return False
        self.ctx.bus.announce(Changes.of(Kind.VENUE, venues=[self.venue_id]), self)
        self.accept()
        return True
