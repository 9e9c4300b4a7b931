"""``evacsupport sync``: a venue laptop started from a package, meals back to the office."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Assignment, Household, MealLog, Venue
from tests.factories import signed_in


def _busiest_venue(path: Path) -> tuple[str, int]:
    db = Database(sqlite_url(path))
    try:
        with db.read() as s:
            name, households = s.execute(
                select(Venue.name, func.count(Assignment.id))
                .join(Assignment, Assignment.venue_id == Venue.id)
                .where(Assignment.status == "active")
                .group_by(Venue.name)
                .order_by(func.count(Assignment.id).desc(), Venue.name)
            ).first()  # type: ignore[misc]
            return name, households
    finally:
        db.close()


def _count(path: Path, model: type) -> int:
    db = Database(sqlite_url(path))
    try:
        with db.read() as s:
            return s.scalar(select(func.count()).select_from(model)) or 0
    finally:
        db.close()


def test_a_venue_laptop_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office, venue = tmp_path / "office.sqlite3", tmp_path / "venue.sqlite3"
    assert main(["--db", str(office), "demo", "--households", "40", "--seed", "5"]) == 0
    name, assigned = _busiest_venue(office)
    monkeypatch.setenv("EVACSUPPORT_PASSPHRASE", "noto-team-2024")
    package = tmp_path / "to-venue.evsync"
    assert main(["--db", str(office), "sync", "name", "事務所"]) == 0
    capsys.readouterr()
    code = main(["--db", str(office), "sync", "export", "--to", "会場PC",
                 "--scope", f"venue:{name}", "--out", str(package)])  # fmt: skip
    assert code == 0
    assert f"会場：{name}" in capsys.readouterr().out
    # The venue laptop has never sent the office anything: the file names it only by name.
    assert main(["--db", str(venue), "sync", "import", str(package)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "--accept-unknown" in err[0] and "「事務所」" in err[0]
    assert "「会場PC」宛て" in err[0] and err[0].endswith("何も変更していません")
    assert _count(venue, Household) == 0
    assert main(["--db", str(venue), "sync", "import", "--accept-unknown", str(package)]) == 0
    assert "事務所 から" in capsys.readouterr().out
    assert _count(venue, Household) == assigned
    before = _count(office, MealLog)

    # A meal at the counter on the venue laptop, then back to the office.
    db = Database(sqlite_url(venue))
    try:
        from evacsupport.services.meals import MealEntry, MealService

        with db.read() as s:
            venue_id = s.scalar(select(Venue.id))
            case = s.scalar(select(Household.case_number).order_by(Household.case_number))
        signed_in(db, "venue", "demo")
        MealService(db).log(MealEntry(venue_id=venue_id, code=case), confirm_duplicate=True)
    finally:
        db.close()
    back = tmp_path / "to-office.evsync"
    # The venue laptop came with its venue's staff accounts: the office administrator is not one.
    assert main(["--db", str(venue), "sync", "export", "--to", "事務所", "--out", str(back)]) != 0
    assert "パスワードが違います" in capsys.readouterr().err
    monkeypatch.setenv("EVACSUPPORT_USER", "venue")
    assert main(["--db", str(venue), "sync", "export", "--to", "事務所", "--out", str(back)]) == 0
    monkeypatch.setenv("EVACSUPPORT_USER", "admin")
    assert main(["--db", str(office), "sync", "import", str(back)]) == 0
    assert _count(office, MealLog) == before + 1
    assert main(["--db", str(office), "sync", "import", str(back)]) == 0  # again: nothing new
    assert _count(office, MealLog) == before + 1
    capsys.readouterr()
    assert main(["--db", str(office), "sync", "peers"]) == 0
    out = capsys.readouterr().out
    assert "この端末：事務所" in out and "会場PC" in out and name in out


def test_a_wrong_passphrase_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office = tmp_path / "office.sqlite3"
    package = tmp_path / "p.evsync"
    monkeypatch.setenv("EVACSUPPORT_PASSPHRASE", "noto-team-2024")
    assert main(["--db", str(office), "sync", "export", "--to", "b", "--out", str(package)]) == 0
    monkeypatch.setenv("EVACSUPPORT_PASSPHRASE", "something-else")
    capsys.readouterr()
    code = main(["--db", str(tmp_path / "b.sqlite3"), "sync", "import", str(package)])
    assert code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "合言葉が違います" in err[0]
    monkeypatch.delenv("EVACSUPPORT_PASSPHRASE")
    code = main(["--db", str(tmp_path / "b.sqlite3"), "sync", "import", str(package)])
    assert code != 0 and "EVACSUPPORT_PASSPHRASE" in capsys.readouterr().err


def test_only_an_administrator_imports_new_accounts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    office, second = tmp_path / "office.sqlite3", tmp_path / "second.sqlite3"
    assert main(["--db", str(office), "demo", "--households", "5", "--seed", "2"]) == 0
    monkeypatch.setenv("EVACSUPPORT_PASSPHRASE", "noto-team-2024")
    first, later = tmp_path / "first.evsync", tmp_path / "later.evsync"
    assert main(["--db", str(office), "sync", "export", "--to", "second", "--out", str(first)]) == 0
    # A new laptop with no accounts starts from the administrator's package.
    assert main(["--db", str(second), "sync", "import", "--accept-unknown", str(first)]) == 0
    monkeypatch.setenv("EVACSUPPORT_NEW_PASSWORD", "newcomer-pass")
    assert main(["--db", str(office), "users", "add", "newcomer", "--role", "coordinator"]) == 0
    assert main(["--db", str(office), "sync", "export", "--to", "second", "--out", str(later)]) == 0
    capsys.readouterr()

    monkeypatch.setenv("EVACSUPPORT_USER", "coordinator")
    code = main(["--db", str(second), "sync", "import", "--accept-unknown", str(later)])
    assert code != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "管理者が取り込んでください。何も変更していません" in err[0]
    monkeypatch.setenv("EVACSUPPORT_USER", "admin")
    assert main(["--db", str(second), "sync", "import", "--accept-unknown", str(later)]) == 0
    monkeypatch.setenv("EVACSUPPORT_USER", "newcomer")
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", "newcomer-pass")
    assert main(["--db", str(second), "sync", "peers"]) == 0  # the new account works there
