"""`run_checks`: a sound database passes, and records that bypassed the services are reported."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Assignment, Consent, Household, MealLog, Member, Venue
from evacsupport.i18n import set_language
from evacsupport.services.consents import ConsentInput, record_consent
from evacsupport.services.erasure import ERASED, erase_household
from evacsupport.services.households import HouseholdService, build_search_text
from evacsupport.services.integrity import CHECKS, run_checks
from evacsupport.services.residences import MoveInput, record_move
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import household, member
from tests.pg import sqlite_only


@pytest.fixture
def demo_copy(demo_db_path: Path, tmp_path: Path) -> Iterator[Database]:
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(demo_db_path, path)
    database = Database(sqlite_url(path))
    yield database
    database.close()


@pytest.fixture
def filled(db: Database) -> Database:
    """Two households, a venue, an assignment, a meal and a consent, all saved the proper way."""
    households = HouseholdService(db)
    first = households.create(
        household(
            members=[
                member(),
                member(given_name="太郎", given_kana="タロウ", relation="spouse"),
                member(given_name="次郎", given_kana="ジロウ", relation="child", birth_date=None),
            ]
        )
    )
    second = households.create(
        household(members=[member(family_name="佐藤", family_kana="サトウ", given_kana="")])
    )
    venue = VenueService(db).create(VenueInput(name="こども食堂 ひだまり", capacity=30))
    record_consent(db, first.id, ConsentInput(consented_on="2024-03-01", purposes=["support"]))
    record_move(db, second.id, MoveInput("deemed_housing", "2024-03-01", place="白山市倉光"))
    with db.session() as session:
        session.add(Assignment(household_id=first.id, venue_id=venue.id, start_on=date(2024, 3, 1)))
        session.add(
            Assignment(
                household_id=second.id,
                venue_id=venue.id,
                start_on=date(2024, 3, 1),
                end_on=date(2024, 3, 1),
                status="ended",
            )
        )
        session.add(
            MealLog(
                venue_id=venue.id,
                household_id=first.id,
                served_on=date(2024, 3, 6),
                meal_type="eat_in",
                adults=2,
                children=1,
            )
        )
    return db


def problems(db: Database) -> list[str]:
    report = run_checks(db)
    assert report.checks == len(CHECKS) + 1  # and the audit chains
    assert report.ok == (not report.problems)
    return [str(p) for p in report.problems]


def first_household(session: Session) -> Household:
    return session.scalars(select(Household).order_by(Household.case_number)).first()  # type: ignore[return-value]


def test_an_empty_database_passes(db: Database) -> None:
    report = run_checks(db)
    assert report.ok and report.problems == []
    assert report.checks == len(CHECKS) + 1 == 7  # and the audit chains


def test_records_saved_through_the_services_pass(filled: Database) -> None:
    assert problems(filled) == []


def test_the_demo_database_passes(demo_copy: Database) -> None:
    assert problems(demo_copy) == []


def only(found: list[str], check: str) -> list[str]:
    return [p for p in found if p.startswith(f"[{check}]")]


# Each breakage is done straight through SQLAlchemy, the way a bug or a hand edit would.


def two_heads(session: Session) -> None:
    h = first_household(session)
    h.members[1].relation = "head"


def no_members(session: Session) -> None:
    h = first_household(session)
    for m in h.members:
        m.deleted_at = h.created_at


def stale_search_text(session: Session) -> None:
    first_household(session).members[0].given_name = "改名"


def bad_case_number(session: Session) -> None:
    first_household(session).case_number = "ABC"


def unknown_status(session: Session) -> None:
    first_household(session).evacuation_status = "宇宙"


def unknown_municipality(session: Session) -> None:
    first_household(session).current_municipality_code = "999997"


def hiragana_family_kana(session: Session) -> None:
    first_household(session).members[0].family_kana = "やまだ"


def hiragana_given_kana(session: Session) -> None:
    first_household(session).members[0].given_kana = "はなこ"


def half_width_kana(session: Session) -> None:
    first_household(session).members[1].given_kana = "ﾀﾛｳ"


def empty_family_kana(session: Session) -> None:
    first_household(session).members[2].family_kana = ""


def control_character_in_name(session: Session) -> None:
    first_household(session).members[0].family_name = "山田\x1b[2J"  # stored before the rule


def future_birth_date(session: Session) -> None:
    first_household(session).members[0].birth_date = date.today() + timedelta(days=1)


def assignment_ends_before_start(session: Session) -> None:
    ended = session.scalars(select(Assignment).where(Assignment.status == "ended")).one()
    ended.end_on = ended.start_on - timedelta(days=1)


def two_active_assignments(session: Session) -> None:
    h = first_household(session)
    venue = session.scalars(select(Venue)).one()
    session.add(Assignment(household_id=h.id, venue_id=venue.id, start_on=date(2024, 4, 1)))


def negative_meal_counts(session: Session) -> None:
    session.scalars(select(MealLog)).one().children = -1


def meal_for_nobody(session: Session) -> None:
    meal = session.scalars(select(MealLog)).one()
    meal.adults = meal.children = 0


def venue_without_capacity(session: Session) -> None:
    session.scalars(select(Venue)).one().capacity = 0


def consent_withdrawn_before_given(session: Session) -> None:
    session.scalars(select(Consent)).one().withdrawn_on = date(2024, 2, 1)


@pytest.mark.parametrize(
    ("breakage", "check", "ja"),
    [
        (two_heads, "household", "N24-000001：世帯主が2人"),
        (no_members, "household", "N24-000001：世帯員がいません"),
        (stale_search_text, "search", "N24-000001：検索用の文字列が古い"),
        (bad_case_number, "household", "世帯番号の形式：ABC"),
        (unknown_status, "household", "N24-000001: 宇宙"),
        (unknown_municipality, "household", "N24-000001: municipality 999997"),
        (hiragana_family_kana, "member", "N24-000001: 山田 花子 furigana 'やまだ ハナコ'"),
        (hiragana_given_kana, "member", "N24-000001: 山田 花子 furigana 'ヤマダ はなこ'"),
        (half_width_kana, "member", "N24-000001: 山田 太郎 furigana 'ヤマダ ﾀﾛｳ'"),
        (empty_family_kana, "member", "N24-000001: 山田 次郎 furigana 'ジロウ'"),
        (control_character_in_name, "member", "N24-000001：氏名に制御文字（U+001B）"),
        (future_birth_date, "member", "N24-000001: 山田 花子 birth date"),
        (assignment_ends_before_start, "assignment", "終了日が開始日より前：1件"),
        (two_active_assignments, "assignment", "利用中の会場が複数ある世帯：1"),
        (negative_meal_counts, "meal", "人数が負の食事記録：1件"),
        (meal_for_nobody, "meal", "人数0の食事記録：1件"),
        (venue_without_capacity, "venue", "定員が1未満の会場があります"),
        (consent_withdrawn_before_given, "consent", "撤回日が同意日より前：1件"),
    ],
)
def test_each_breakage_is_reported(
    filled: Database, breakage: Callable[[Session], None], check: str, ja: str
) -> None:
    with filled.session() as session:
        breakage(session)
    found = problems(filled)
    assert any(p.startswith(f"[{check}] {ja}") for p in only(found, check)), found


def test_everything_broken_at_once_is_all_reported(filled: Database) -> None:
    with filled.session() as session:
        for breakage in (
            two_heads,
            hiragana_given_kana,
            assignment_ends_before_start,
            two_active_assignments,
            negative_meal_counts,
            consent_withdrawn_before_given,
        ):
            breakage(session)
        second = session.scalars(select(Household).where(Household.case_number != "N24-000001"))
        second.one().search_text = "古い"
    found = problems(filled)
    assert {p.split("]")[0] + "]" for p in found} == {
        "[household]",
        "[member]",
        "[search]",
        "[assignment]",
        "[meal]",
        "[consent]",
    }
    assert len(only(found, "search")) == 1
    assert len(only(found, "assignment")) == 2


def test_soft_deleted_records_are_not_held_to_the_rules(filled: Database) -> None:
    with filled.session() as session:
        h = first_household(session)
        h.deleted_at = h.created_at
        h.members[1].relation = "head"
        h.members[0].family_kana = "やまだ"
        for a in h.assignments:
            a.deleted_at = a.created_at
        venue = session.scalars(select(Venue)).one()
        session.add(
            Assignment(
                household_id=h.id,
                venue_id=venue.id,
                start_on=date(2024, 4, 1),
                deleted_at=h.created_at,
            )
        )
    assert problems(filled) == []


def test_a_removed_member_does_not_count(filled: Database) -> None:
    """A removed member who was a head does not make two heads."""
    with filled.session() as session:
        h = first_household(session)
        h.members[1].relation = "head"
        h.members[1].deleted_at = h.created_at
        h.members[1].family_kana = "ﾔﾏﾀﾞ"
        h.search_text = build_search_text(h)  # as the service does when it removes a member
    assert problems(filled) == []


@sqlite_only("orphan rows can be written only with SQLite's foreign_keys pragma off")
def test_orphan_rows_and_an_old_schema_are_reported(filled: Database) -> None:
    # On the driver's connection: a PRAGMA inside a transaction does nothing, and SQLAlchemy's
    # connections always begin one (BEGIN, see db/engine.py).
    raw = filled.engine.raw_connection()
    try:
        driver = raw.driver_connection
        assert driver is not None
        driver.execute("PRAGMA foreign_keys=OFF")
        driver.execute(
            "INSERT INTO residence (id, household_id, evacuation_status, moved_on, place,"
            " municipality_code, notes, created_at, updated_at, version)"
            " VALUES (:id, :hh, 'hotel', '2024-01-01', '', '', '',"
            " '2024-01-01 00:00:00', '2024-01-01 00:00:00', 1)",
            {"id": "0" * 32, "hh": "f" * 32},
        )
        driver.execute("UPDATE alembic_version SET version_num = '0000_old'")
        driver.execute("PRAGMA foreign_keys=ON")
    finally:
        raw.close()
    found = problems(filled)
    assert "[foreign_keys] 参照先のない行：residence" in found
    assert "[schema] スキーマの版が古い：0000_old" in found


def test_an_old_schema_is_reported(filled: Database) -> None:
    with filled.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0000_old'"))
    assert "[schema] スキーマの版が古い：0000_old" in problems(filled)


def test_problems_follow_the_language(filled: Database) -> None:
    with filled.session() as session:
        two_heads(session)
        negative_meal_counts(session)
    set_language("en")
    found = problems(filled)
    assert "[household] N24-000001: 2 heads" in found
    assert "[meal] 1 meal logs with negative counts" in found


@sqlite_only("checks this computer's SQLite file")
def test_start_check_reads_every_page_of_a_large_file_only_after_an_unclean_exit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from evacsupport.services import integrity

    path = tmp_path / "big.sqlite3"
    db = Database(sqlite_url(path))
    HouseholdService(db).create(household())
    db.close()
    calls: list[Path] = []
    monkeypatch.setattr(integrity, "quick_check", lambda p: calls.append(Path(p)) or True)
    monkeypatch.setattr(integrity, "FULL_CHECK_BYTES", 0)  # every file counts as large
    assert integrity.start_check(path) and calls == []  # clean: the header and schema only
    integrity.mark_open(path)
    assert integrity.start_check(path) and calls == [path]  # the marker: every page
    integrity.mark_closed(path)
    assert not integrity.in_use_marker(path).exists()
    path.write_bytes(b"not a database at all, just text" * 10)
    assert not integrity.start_check(path)


def test_an_erased_household_passes_and_a_broken_member_still_fails(filled: Database) -> None:
    """Erasure empties furigana and birth dates on purpose; `check` must not call that broken,
    yet a live member with empty furigana, or personal data back in an erased one, still is."""
    with filled.read() as session:
        first = first_household(session)
        first_id, other_members = first.id, len(first.members)
    erase_household(filled, first_id, "request")
    with filled.read() as session:
        erased = session.scalars(select(Member).where(Member.household_id == first_id)).all()
    assert len(erased) == other_members and all(m.family_name == ERASED for m in erased)
    assert all(m.family_kana == "" and m.birth_date is None for m in erased)
    assert problems(filled) == []

    with filled.session() as session:
        second = session.scalars(select(Household).where(Household.id != first_id)).one()
        second.members[0].family_kana = ""  # a live member: broken, not erased
    assert only(problems(filled), "member") == ["[member] N24-000002: 佐藤 花子 furigana ''"]

    with filled.session() as session:
        back = session.scalars(select(Member).where(Member.household_id == first_id)).first()
        assert back is not None
        back.given_kana = "ハナコ"  # an older edit merged after the erasure, say
        back.birth_date = date(1945, 5, 3)
    found = only(problems(filled), "member")
    leftover = "N24-000001：消去済みの世帯員に個人情報が残っています（given_kana, birth_date）"
    assert f"[member] {leftover}" in found
    assert not any("ハナコ" in p or "1945" in p for p in found)  # fields named, values not shown
    set_language("en")
    assert (
        "[member] N24-000001: an erased member still holds personal data (given_kana, birth_date)"
        in only(problems(filled), "member")
    )


def test_check_passes_after_an_erasure_at_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """What the administrator runs: erase, then `evacsupport check` exits 0."""
    from evacsupport.cli import main

    path = tmp_path / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "5", "--seed", "2"]) == 0
    assert main(["--db", str(path), "erase", "N24-000001", "--reason", "request", "--yes"]) == 0
    capsys.readouterr()
    assert main(["--db", str(path), "check"]) == 0
    out = capsys.readouterr()
    assert "問題は見つかりませんでした" in out.out and "消去済み" not in out.out + out.err
