"""Search-as-you-type over the caseload: narrowing as the user types gives the same rows as a
fresh filter, rows stay sorted, and a large caseload can be listed before its activity facts."""

from __future__ import annotations

from datetime import date

from evacsupport.db import Database
from evacsupport.services.caseload import filter_rows, household_count, load_caseload
from evacsupport.services.demo import generate
from evacsupport.services.risk import RiskLevel
from evacsupport.ui.models.households import HouseholdTableModel


def test_typing_on_narrows_to_what_a_fresh_filter_finds(db: Database) -> None:
    generate(db, households=60, seed=4, today=date(2024, 5, 1))
    rows = load_caseload(db, today=date(2024, 5, 1))
    model = HouseholdTableModel()
    model.sort(0)
    model.set_rows(rows)
    for text in ("", "や", "やま", "ヤマダ", "やま", "n24-00001", "1"):
        model.set_filter(text=text)
        shown = [model.row_at(i).case_number for i in range(model.rowCount())]
        assert shown == sorted(r.case_number for r in filter_rows(rows, text))
    model.set_filter(text="", status="hotel")
    assert all(model.row_at(i).evacuation_status == "hotel" for i in range(model.rowCount()))


def test_caseload_without_facts_lists_the_same_households(db: Database) -> None:
    today = date(2024, 5, 1)
    generate(db, households=40, seed=2, today=today)
    full = load_caseload(db, today=today)
    quick = load_caseload(db, today=today, with_facts=False)
    assert household_count(db) == 40
    assert [(r.id, r.head_name, r.member_count, r.venue_name) for r in quick] == [
        (r.id, r.head_name, r.member_count, r.venue_name) for r in full
    ]
    assert all(r.last_contact is None and r.risk.level == RiskLevel.NONE for r in quick)
    assert any(r.last_contact is not None for r in full)
