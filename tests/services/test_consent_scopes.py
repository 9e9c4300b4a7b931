"""Consent scopes decide which households a personal-data export or a case summary may show."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from evacsupport.db import Database
from evacsupport.db.models import MealLog
from evacsupport.errors import EvacError
from evacsupport.exporters import export_households, export_meals, export_members
from evacsupport.services.case_report import load_case_report
from evacsupport.services.consents import record_consent, withdraw_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import consent, household, member

DAY = date(2024, 6, 1)


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))[1:]


def test_exports_skip_households_whose_consent_does_not_cover_support(
    db: Database, tmp_path: Path
) -> None:
    people = HouseholdService(db)
    covered, statistics_only, none = (
        people.create(household(members=[member(given_name=name)]))
        for name in ("一子", "二子", "三子")
    )
    record_consent(db, covered.id, consent())
    record_consent(db, statistics_only.id, consent(purposes=["statistics"]))
    venue = VenueService(db).create(VenueInput(name="こども食堂", capacity=10))
    with db.session() as s:
        s.add_all(
            MealLog(
                venue_id=venue.id, household_id=h.id, served_on=DAY, meal_type="eat_in", adults=1
            )
            for h in (covered, statistics_only, none)
        )

    result = export_households(db, "csv", tmp_path / "h.csv", today=DAY)
    assert (result.rows, result.skipped_no_consent) == (1, 2)
    assert [r[0] for r in _rows(tmp_path / "h.csv")] == [covered.case_number]
    members = export_members(db, "csv", tmp_path / "m.csv", today=DAY)
    assert (members.rows, members.skipped_no_consent) == (1, 2)
    assert "二子" not in (tmp_path / "m.csv").read_text(encoding="utf-8-sig")

    meals = export_meals(db, "csv", tmp_path / "meals.csv", today=DAY)
    assert (meals.rows, meals.blanked_no_consent) == (3, 2)  # every meal counted ...
    assert sorted(r[2] for r in _rows(tmp_path / "meals.csv")) == ["", "", covered.case_number]


def _referral(db: Database, **overrides: object) -> object:
    home = HouseholdService(db).create(household())
    values: dict[str, object] = {"purposes": ["support", "referral"]}
    values.update(overrides)
    return home, record_consent(db, home.id, consent(**values))


def test_a_case_summary_needs_consent_to_referral(db: Database) -> None:
    home = HouseholdService(db).create(household())
    with pytest.raises(EvacError) as info:
        load_case_report(db, home.id, today=DAY)  # no consent at all
    assert info.value.code == "report.no_consent"
    record_consent(db, home.id, consent())  # support and venue, not referral
    with pytest.raises(EvacError):
        load_case_report(db, home.id, today=DAY)
    record_consent(db, home.id, consent(consented_on=DAY, purposes=["referral"]))
    assert load_case_report(db, home.id, today=DAY).case_number == home.case_number


def test_a_withdrawn_or_expired_consent_refuses_the_case_summary(db: Database) -> None:
    withdrawn, given = _referral(db)
    assert load_case_report(db, withdrawn.id, today=DAY)  # type: ignore[attr-defined]
    withdraw_consent(db, given.id, date(2024, 5, 1))  # type: ignore[attr-defined]
    with pytest.raises(EvacError) as info:
        load_case_report(db, withdrawn.id, today=DAY)  # type: ignore[attr-defined]
    assert info.value.code == "report.no_consent"

    expired, _ = _referral(db, expires_on="2024-05-31")
    assert load_case_report(db, expired.id, today=date(2024, 5, 31))  # type: ignore[attr-defined]
    with pytest.raises(EvacError):
        load_case_report(db, expired.id, today=DAY)  # type: ignore[attr-defined]
