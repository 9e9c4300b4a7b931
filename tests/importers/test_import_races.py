"""An import numbering new households while another save takes one of those numbers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evacsupport.db import Database
from evacsupport.db.models import Household
from evacsupport.errors import EvacError
from evacsupport.importers import households as household_importer
from evacsupport.importers import import_households
from evacsupport.services.households import HouseholdService
from tests.factories import household
from tests.importers.helpers import person, write_csv


@pytest.fixture
def other(db: Database) -> Iterator[Database]:
    """Another app instance on the same database (a second laptop on the office server)."""
    database = Database(db.url)
    yield database
    database.close()


def test_a_case_number_taken_during_the_import_is_our_message_and_nothing_is_written(
    db: Database, other: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    HouseholdService(db).create(household())  # N24-000001
    real_insert = household_importer._Batch.insert

    def insert_after_another_save(batch: household_importer._Batch, session: Session) -> None:
        # numbered N24-000002 and on from the last number read; the other laptop saves now
        HouseholdService(other).create(household())
        real_insert(batch, session)

    monkeypatch.setattr(household_importer._Batch, "insert", insert_after_another_save)
    path = write_csv(tmp_path / "list.csv", [person("101"), person("102", 1)])
    with pytest.raises(EvacError) as info:
        import_households(db, path)
    assert info.value.code == "household.case_number_race"
    assert "能登" not in str(info.value) and "090" not in str(info.value)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 2

    monkeypatch.setattr(household_importer._Batch, "insert", real_insert)
    result = import_households(db, path)  # importing again numbers after the other save
    assert result.created == 2
