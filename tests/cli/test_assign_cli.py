"""`evacsupport assign`: ranked venues for one household; the bulk allocation, dry or written."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from evacsupport.cli import main
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.db.models import Assignment, Consent, Household
from evacsupport.services.consents import ConsentInput, record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.venues import VenueInput, VenueService
from tests.factories import admin_account, household, member


@pytest.fixture(scope="module")
def _demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("assign-demo") / "demo.sqlite3"
    assert main(["--db", str(path), "demo", "--households", "60"]) == 0
    return path


@pytest.fixture
def demo(tmp_path: Path, _demo_template: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """A copy of a 60-household demo database, so a test may write to it."""
    path = tmp_path / "demo.sqlite3"
    shutil.copyfile(_demo_template, path)
    capsys.readouterr()
    return str(path)


def count_assignments(path: str) -> int:
    db = Database(sqlite_url(path))
    try:
        with db.read() as session:
            return session.scalar(select(func.count()).select_from(Assignment)) or 0
    finally:
        db.close()


def case_without_consent(path: str) -> str:
    db = Database(sqlite_url(path))
    try:
        with db.read() as session:
            case = session.scalar(
                select(Household.case_number)
                .where(~Household.consents.any(Consent.deleted_at.is_(None)))
                .order_by(Household.case_number)
            )
    finally:
        db.close()
    assert case is not None
    return case


@pytest.fixture
def small(tmp_path: Path) -> str:
    """Two households near Kanazawa Station and three venues, made through the services."""
    path = tmp_path / "small.sqlite3"
    db = admin_account(Database(sqlite_url(path)))  # the commands below sign in as it
    households, venues = HouseholdService(db), VenueService(db)
    for number, (coordinates, allergens) in enumerate(
        [("36.5781, 136.6480", "卵"), ("36.5790, 136.6490", "")], 1
    ):
        saved = households.create(
            household(
                case_number=f"N24-{number:06d}",
                coordinates=coordinates,
                members=[member(allergens=allergens), member(given_name="一郎", relation="spouse")],
            )
        )
        record_consent(
            db,
            saved.id,
            ConsentInput(
                consented_on="2024-03-01",
                purposes=["venue_connection"],
                recipients=["assigned_venue"],
            ),
        )
    for name, coordinates, handled, capacity in [
        ("駅前食堂", "36.5790, 136.6480", "卵", 2),
        ("香林坊カフェ", "36.5613, 136.6562", "卵、乳", 30),
        ("そば処", "36.5781, 136.6490", "", 30),
    ]:
        venues.create(
            VenueInput(
                name=name,
                coordinates=coordinates,
                capacity=capacity,
                schedule="月 17:00-19:00、木 17:00-19:00",
                allergens_handled=handled,
            )
        )
    db.close()
    return str(path)


def test_suggest_prints_ranked_then_excluded_venues(
    small: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", small, "assign", "suggest", "n24-000001"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "N24-000001（2人）に合う会場"
    assert re.fullmatch(r"  1\. 駅前食堂  0\.1 km  空き2人  今後1週間に2回開催、.*", lines[1])
    assert re.fullmatch(r"  2\. 香林坊カフェ  2\.0 km  空き30人  .*アレルギーに対応可", lines[2])
    assert lines[3] == "対象外の会場："
    assert lines[4] == "  - そば処（0.1 km）：アレルギーに対応できない：卵"
    assert len(lines) == 5


def test_suggest_in_english(small: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "--db", small, "assign", "suggest", "N24-000001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Venues for N24-000001 (2 people)\n")
    assert "  1. 駅前食堂  0.1 km  2 free  2 sessions in the coming week" in out
    assert "Excluded venues:\n  - そば処 (0.1 km): Cannot cater for allergens: 卵\n" in out


def test_suggest_shows_the_problem_when_there_is_no_consent(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    case = case_without_consent(demo)
    assert main(["--db", demo, "assign", "suggest", case]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("会場への紹介に同意がありません（同意の記録がない）" in line for line in lines[1:3])
    assert any(re.match(r" +1\. ", line) for line in lines)


def test_unknown_case_number_is_one_line_and_exit_1(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", demo, "assign", "suggest", "N24-999999"]) == 1
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["エラー：世帯「N24-999999」が見つかりません"]
    assert main(["--lang", "en", "--db", demo, "assign", "suggest", "N24-999999"]) == 1
    assert capsys.readouterr().err.splitlines() == ["Error: Household “N24-999999” not found"]


def test_auto_dry_run_prints_the_plan_and_writes_nothing(
    demo: str, capsys: pytest.CaptureFixture[str]
) -> None:
    before = count_assignments(demo)
    assert main(["--db", demo, "assign", "auto", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert count_assignments(demo) == before
    assert out[0] == "割り当て案："
    placements = [line for line in out if re.fullmatch(r"  N24-\d{6}  \d人  .+  \d+\.\d km", line)]
    assert placements
    assert "割り当てられない世帯：" in out
    assert any("同意がない" in line for line in out)  # demo households without consent
    summary = out[-2]
    match = re.fullmatch(
        r"配置：(\d+)世帯・(\d+)人、合計 [\d.]+ km、未配置 (\d+)世帯（(.+)）", summary
    )
    assert match, summary
    assert int(match[1]) == len(placements)
    assert match[4] == "最適解" or match[4].startswith("時間内の最良解")
    assert out[-1] == "試行のため保存していません（--dry-run）"


def test_auto_writes_the_plan(demo: str, capsys: pytest.CaptureFixture[str]) -> None:
    before = count_assignments(demo)
    assert main(["--db", demo, "assign", "auto"]) == 0
    out = capsys.readouterr().out.splitlines()
    placed = int(re.fullmatch(r"配置：(\d+)世帯.*", out[-2])[1])  # type: ignore[index]
    assert placed > 0
    assert out[-1] == f"{placed}世帯を会場に割り当てました"
    assert count_assignments(demo) == before + placed
    assert main(["--db", demo, "check"]) == 0
    capsys.readouterr()
    # a second run finds nobody left to place who could be placed
    assert main(["--db", demo, "assign", "auto"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "0世帯を会場に割り当てました"
    assert count_assignments(demo) == before + placed


def test_auto_in_english(small: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", "--db", small, "assign", "auto", "--dry-run"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Plan:",
        "  N24-000001  2 people  駅前食堂  0.1 km",
        "  N24-000002  2 people  そば処  0.1 km",
        "Placed 2 households (4 people), total 0.2 km, 0 not placed (optimal)",
        "Dry run: nothing was saved",
    ]
    assert count_assignments(small) == 0


def test_assign_needs_an_action(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["assign"])
    assert info.value.code == 2
