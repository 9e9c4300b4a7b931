"""Caseload counts by origin municipality and evacuation status."""

from __future__ import annotations

import pytest

from evacsupport.db import Database
from evacsupport.services.households import HouseholdService, MemberInput
from evacsupport.services.summary import OriginSummary, by_origin, summary_table
from tests.factories import household, member

WAJIMA, SUZU, NOTO = "172049", "172057", "174637"


@pytest.fixture
def service(db: Database) -> HouseholdService:
    return HouseholdService(db)


def people(n: int) -> list[MemberInput]:
    return [member()] + [member(relation="child", given_name=f"子{i}") for i in range(n - 1)]


def test_empty_database_gives_no_rows(db: Database) -> None:
    assert by_origin(db) == []


def test_counts_households_and_people_per_origin_and_status(
    db: Database, service: HouseholdService
) -> None:
    service.create(household(origin_municipality_code=WAJIMA, members=people(3)))
    service.create(household(origin_municipality_code=WAJIMA, members=people(1)))
    service.create(
        household(
            origin_municipality_code=WAJIMA, evacuation_status="deemed_housing", members=people(2)
        )
    )
    service.create(
        household(origin_municipality_code=SUZU, evacuation_status="relatives", members=people(4))
    )
    assert by_origin(db) == [
        OriginSummary(WAJIMA, "輪島市", 3, 6, {"hotel": 2, "deemed_housing": 1}),
        OriginSummary(SUZU, "珠洲市", 1, 4, {"relatives": 1}),
    ]


def test_closed_and_deleted_households_are_left_out(
    db: Database, service: HouseholdService
) -> None:
    service.create(household(origin_municipality_code=WAJIMA, members=people(2)))
    closed = service.create(household(origin_municipality_code=WAJIMA, members=people(3)))
    deleted = service.create(household(origin_municipality_code=WAJIMA, members=people(4)))
    only_closed = service.create(household(origin_municipality_code=NOTO))
    service.close(closed.id, "2024-06-01")
    service.close(only_closed.id, "2024-06-01")
    service.soft_delete(deleted.id)
    assert by_origin(db) == [OriginSummary(WAJIMA, "輪島市", 1, 2, {"hotel": 1})]


def test_removed_members_are_not_counted(db: Database, service: HouseholdService) -> None:
    saved = service.create(household(members=people(3)))
    head = saved.head
    assert head is not None
    service.update(saved.id, household(members=[member(id=head.id)]))
    (summary,) = by_origin(db)
    assert (summary.households, summary.people) == (1, 1)


def test_sorted_by_households_descending(db: Database, service: HouseholdService) -> None:
    # Created in the opposite order of the expected result, with the biggest origin in
    # people having the fewest households.
    service.create(household(origin_municipality_code=NOTO, members=people(9)))
    for _ in range(2):
        service.create(household(origin_municipality_code=SUZU))
    for status in ("hotel", "home", "shelter_1_5"):
        service.create(household(origin_municipality_code=WAJIMA, evacuation_status=status))
    result = by_origin(db)
    assert [(s.code, s.households) for s in result] == [(WAJIMA, 3), (SUZU, 2), (NOTO, 1)]
    assert [s.name for s in result] == ["輪島市", "珠洲市", "能登町"]
    assert result[0].by_status == {"hotel": 1, "home": 1, "shelter_1_5": 1}
    assert result[2].people == 9


def test_households_without_origin_are_grouped_under_a_dash(
    db: Database, service: HouseholdService
) -> None:
    service.create(household(origin_municipality_code="", origin_address=""))
    service.create(household(origin_municipality_code="", origin_address="不明"))
    assert by_origin(db) == [OriginSummary("", "—", 2, 2, {"hotel": 2})]


def test_status_counts_add_up_to_households(db: Database, service: HouseholdService) -> None:
    statuses = ["hotel", "hotel", "deemed_housing", "temporary_housing", "home", "other"]
    for status in statuses:
        service.create(household(evacuation_status=status, members=people(2)))
    (summary,) = by_origin(db)
    assert summary.households == len(statuses)
    assert sum(summary.by_status.values()) == summary.households
    assert summary.people == 2 * len(statuses)
    assert summary.by_status["hotel"] == 2


def test_the_window_hides_small_counts_and_those_that_give_them_back(
    db: Database, service: HouseholdService
) -> None:
    for _ in range(9):
        service.create(household(origin_municipality_code=WAJIMA, members=people(2)))
    service.create(
        household(origin_municipality_code=WAJIMA, evacuation_status="home", members=people(2))
    )
    for _ in range(6):
        service.create(household(origin_municipality_code=SUZU, members=people(1)))
    table = summary_table(by_origin(db))
    # 輪島市: 10 households, 9 in hotels and 1 at home: the 9 would give back the 1.
    assert {(WAJIMA, "home"), (WAJIMA, "hotel")} <= table.hidden
    assert (WAJIMA, "households") not in table.hidden  # two hidden statuses protect each other
    assert not any(code == SUZU for code, _ in table.hidden)  # 6 and 6: nothing small
    assert summary_table(by_origin(db), suppress_small=False).hidden == frozenset()


def test_the_window_lists_origins_in_code_order_not_by_size(
    db: Database, service: HouseholdService
) -> None:
    """Sorted by size, a hidden count's place between two printed ones would bound it."""
    service.create(household(origin_municipality_code=NOTO))
    for _ in range(3):
        service.create(household(origin_municipality_code=SUZU))
    service.create(household(origin_municipality_code="", origin_address=""))
    for _ in range(7):
        service.create(household(origin_municipality_code=WAJIMA))
    rows = summary_table(by_origin(db)).rows
    assert [row.code for row in rows] == [WAJIMA, SUZU, NOTO, ""]  # unknown origin last
