"""An import numbering new households while another save takes one of those numbers.

On SQLite the import's write session holds the write lock from its first statement, so that
cannot happen (tests/services/test_write_lock.py); a PostgreSQL server shared by two laptops
can, and a stale number is what it looks like to the import."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from evacsupport.db import Database
from evacsupport.db.models import Household
from evacsupport.errors import EvacError
from evacsupport.importers import households as household_importer
from evacsupport.importers import import_households
from evacsupport.services.households import HouseholdService
from tests.factories import household
from tests.importers.helpers import person, write_csv


def test_a_case_number_taken_during_the_import_is_our_message_and_nothing_is_written(
    db: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    HouseholdService(db).create(household())  # N24-000001

    def stale_numbers(*_args: object) -> Iterator[str]:
        yield from ("N24-000001", "N24-000002")  # the first taken since it was read

    monkeypatch.setattr(household_importer, "case_numbers", stale_numbers)
    path = write_csv(tmp_path / "list.csv", [person("101"), person("102", 1)])
    with pytest.raises(EvacError) as info:
        import_households(db, path)
    assert info.value.code == "household.case_number_race"
    assert "能登" not in str(info.value) and "090" not in str(info.value)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Household)) == 1

    monkeypatch.undo()
    result = import_households(db, path)  # importing again numbers after the other save
    assert result.created == 2
