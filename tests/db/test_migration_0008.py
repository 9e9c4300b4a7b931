"""Migration 0008: points that existed before it were typed or imported, so they are manual."""

from __future__ import annotations

import uuid
from pathlib import Path

from alembic import command
from sqlalchemy import create_engine, text

from evacsupport.config import sqlite_url
from evacsupport.db import Database, migrate


def test_existing_points_become_manual_and_missing_ones_stay_empty(tmp_path: Path) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    engine = create_engine(url)
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0007")
        for name, lat in (("位置あり", 36.56), ("位置なし", None)):
            conn.execute(
                text(
                    "INSERT INTO venue (id, name, kind, capacity, latitude, longitude, created_at,"
                    " updated_at, version, updated_by, active, address, municipality_code,"
                    " postal_code, operator, contact_name, phone, email, schedule,"
                    " allergens_handled, wheelchair_access, notes, meal_rules)"
                    " VALUES (:id, :name, 'kodomo_shokudo', 10, :lat, :lat, '2024-01-01',"
                    " '2024-01-01', 1, '', 1, '', '', '', '', '', '', '', '[]', '[]', 0, '',"
                    " '{}')"
                ),
                {"id": uuid.uuid4().hex, "name": name, "lat": lat},
            )
    engine.dispose()
    db = Database(url)  # brings it to the head
    try:
        with db.engine.connect() as conn:
            rows = dict(conn.execute(text("SELECT name, location_precision FROM venue")).all())
        assert rows == {"位置あり": "manual", "位置なし": ""}
    finally:
        db.close()
