"""Realistic demo data: Noto households in secondary evacuation around Kanazawa, the venues that
feed them, and a few months of meals, visits and check-ins.

Every household goes through the same validation as the GUI (``create_in``), so demo data can
never hold what a user could not have typed. The same seed always gives the same data.

Activity follows the household's own timeline: nothing is logged before it was registered, and it
is connected to a venue only when its consent covers that (居場所への紹介 to the assigned venue).
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from evacsupport.db.engine import Database
from evacsupport.db.models import (
    Assignment,
    CheckIn,
    FollowUp,
    Household,
    MealLog,
    User,
    Venue,
    Visit,
)
from evacsupport.domain import instruments, municipalities
from evacsupport.domain.codes import (
    ConsentPurpose,
    ConsentRecipient,
    EvacuationStatus,
    MealType,
    Relation,
    Role,
    Sex,
    VisitKind,
)
from evacsupport.domain.geo import haversine_km
from evacsupport.domain.roles import Permission
from evacsupport.domain.schedule import Slot
from evacsupport.errors import EvacError
from evacsupport.resources import load_json
from evacsupport.services import events
from evacsupport.services.authz import gate, ungated
from evacsupport.services.consents import ConsentInput, add_consent, allows
from evacsupport.services.households import HouseholdInput, MemberInput, create_in
from evacsupport.services.venues import VenueInput, create_venue_in

ORIGIN_WEIGHTS = {
    "172049": 35,
    "172057": 25,
    "174637": 15,
    "174611": 10,
    "172022": 9,
    "173843": 6,
}
STATUS_WEIGHTS = {
    EvacuationStatus.HOTEL: 25,
    EvacuationStatus.DEEMED_HOUSING: 45,
    EvacuationStatus.TEMPORARY_HOUSING: 12,
    EvacuationStatus.SHELTER_1_5: 3,
    EvacuationStatus.RELATIVES: 10,
    EvacuationStatus.OTHER: 5,
}
ALLERGEN_CHOICES = [
    "卵",
    "乳",
    "小麦",
    "えび",
    "かに",
    "そば",
    "落花生",
    "大豆",
    "さば",
    "キウイフルーツ",
]
DEMO_DAYS = 91
# Meals are logged in Japan Standard Time; stored timestamps are UTC.
JST_OFFSET = timedelta(hours=9)
SERVED_AFTER_START = timedelta(minutes=30)


@dataclass(frozen=True)
class DemoSummary:
    households: int
    members: int
    venues: int
    meals: int
    visits: int
    checkins: int
    accounts: tuple[str, ...] = ()


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


ADDRESS_ONLY_SHARE = 0.3
"""Demo households that come, as every municipal list does, with an address and no point."""
HOTELS = ("ホテル金沢 305号室", "旅館 山代荘", "金沢駅前ホテル 4F", "みなし仮設 コーポ広岡 201")


def _full_width(text: str) -> str:
    return text.translate(str.maketrans("0123456789-", "０１２３４５６７８９－"))


class _Generator:
    def __init__(self, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        # Its own stream, so choosing which households come as a real list would (an address,
        # no coordinates) leaves every other value of a seed as it was.
        self.listed = random.Random(seed * 7919 + 1)
        self.today = today
        self.names: dict[str, Any] = load_json("demo_names.json")

    # --- people -----------------------------------------------------------------------------
    def _birth(self, age_from: int, age_to: int) -> date:
        age = self.rng.randint(age_from, age_to)
        return self.today - timedelta(days=age * 365 + self.rng.randint(0, 364))

    def _person(
        self,
        family: list[str],
        sex: Sex,
        generation: str,
        relation: Relation,
        ages: tuple[int, int],
    ) -> MemberInput:
        pool = self.names["given"][f"{'female' if sex == Sex.FEMALE else 'male'}_{generation}"]
        given, given_kana = self.rng.choice(pool)
        allergens = []
        if self.rng.random() < (0.15 if generation == "young" else 0.05):
            allergens = self.rng.sample(ALLERGEN_CHOICES, self.rng.choice([1, 1, 2]))
        old = generation == "old"
        return MemberInput(
            family_name=family[0],
            given_name=given,
            family_kana=family[1],
            given_kana=given_kana,
            birth_date=self._birth(*ages),
            sex=sex,
            relation=relation,
            allergens=allergens,
            care_level=self.rng.choice(["none"] * 6 + ["support_1", "support_2", "care_1"])
            if old
            else "none",
            needs_wheelchair=old and self.rng.random() < 0.08,
        )

    def members(self) -> list[MemberInput]:
        rng = self.rng
        family = rng.choice(self.names["family"])
        kind = _pick(rng, {"alone": 30, "couple": 25, "family": 25, "three": 10, "adults": 10})
        other = {Sex.FEMALE: Sex.MALE, Sex.MALE: Sex.FEMALE}
        head_sex = rng.choice([Sex.FEMALE, Sex.MALE])
        if kind in ("alone", "couple", "three"):
            people = [self._person(family, head_sex, "old", Relation.HEAD, (68, 92))]
            if kind != "alone":
                people.append(
                    self._person(family, other[head_sex], "old", Relation.SPOUSE, (66, 90))
                )
            if kind == "three":
                people.append(self._person(family, Sex.MALE, "mid", Relation.CHILD, (38, 55)))
                people.append(
                    self._person(family, Sex.FEMALE, "mid", Relation.CHILD_IN_LAW, (36, 52))
                )
                for _ in range(rng.randint(1, 2)):
                    sex = rng.choice([Sex.FEMALE, Sex.MALE])
                    people.append(self._person(family, sex, "young", Relation.GRANDCHILD, (3, 15)))
            return people
        people = [self._person(family, head_sex, "mid", Relation.HEAD, (30, 55))]
        if rng.random() < 0.8:
            people.append(self._person(family, other[head_sex], "mid", Relation.SPOUSE, (28, 55)))
        if kind == "family":
            for _ in range(rng.randint(1, 3)):
                sex = rng.choice([Sex.FEMALE, Sex.MALE])
                people.append(self._person(family, sex, "young", Relation.CHILD, (1, 17)))
        return people

    def household(self, case_number: str) -> HouseholdInput:
        rng = self.rng
        origin = _pick(rng, ORIGIN_WEIGHTS)
        town = rng.choice(self.names["origin_towns"][origin])
        origin_name = municipalities.get(origin).name  # type: ignore[union-attr]
        status = _pick(rng, STATUS_WEIGHTS)
        areas = self.names["host_areas"]
        area = rng.choices(areas, weights=[a["weight"] for a in areas])[0]
        host_name = municipalities.get(area["code"]).name  # type: ignore[union-attr]
        town_name, postal = rng.choice(area["towns"])
        lat = area["lat"] + rng.gauss(0, 0.012)
        lon = area["lon"] + rng.gauss(0, 0.015)
        phone = f"0{rng.choice('987')}0{rng.randint(1000, 9999)}{rng.randint(1000, 9999)}"
        block, lot = rng.randint(1, 5), rng.randint(1, 30)
        address = f"石川県{host_name}{town_name}{block}-{lot}"
        point: tuple[float | None, float | None] = (round(lat, 5), round(lon, 5))
        if self.listed.random() < ADDRESS_ONLY_SHARE:
            # As a municipal list gives it: an address in everyday spelling, no coordinates;
            # the geocoder places it (a few only at their municipality, as real lists do).
            address = self.listed.choice(
                (
                    f"{host_name}{town_name}{block}-{lot}",
                    f"石川県{host_name}{town_name}{_full_width(f'{block}-{lot}')}",
                    f"{host_name}{town_name}{block}丁目{lot}番地 {self.listed.choice(HOTELS)}",
                )
            )
            point = (None, None)
        return HouseholdInput(
            case_number=case_number,
            evacuation_status=status,
            origin_municipality_code=origin,
            origin_address=f"石川県{origin_name}{town}{rng.randint(1, 30)}-{rng.randint(1, 40)}",
            current_municipality_code=area["code"],
            current_address=address,
            postal_code=postal,
            latitude=point[0],
            longitude=point[1],
            phone=phone,
            members=self.members(),
        )

    # --- venues -----------------------------------------------------------------------------
    def venue_inputs(self) -> list[VenueInput]:
        rng = self.rng
        inputs = []
        for name, kind, operator, code, address, lat, lon in self.names["venues"]:
            days = rng.sample(range(7), rng.choice([1, 2, 2, 3]))
            start = rng.choice([time(11, 30), time(17, 0), time(17, 30)])
            end = time(start.hour + 2, start.minute)
            handled = rng.sample(ALLERGEN_CHOICES, rng.randint(2, 7))
            inputs.append(
                VenueInput(
                    name=name,
                    kind=kind,
                    operator=operator,
                    municipality_code=code,
                    address=f"石川県{address}{rng.randint(1, 20)}-{rng.randint(1, 30)}",
                    coordinates=f"{lat}, {lon}",
                    capacity=rng.choice([30, 40, 50, 60, 80]),
                    schedule=[Slot(d, start, end) for d in sorted(days)],
                    allergens_handled=handled,
                    wheelchair_access=rng.random() < 0.6,
                    contact_name=f"{rng.choice(self.names['family'])[0]}",
                    phone=f"076{rng.randint(200, 299)}{rng.randint(1000, 9999)}",
                )
            )
        return inputs


def _serving_days(venue: Venue, start: date, end: date) -> list[date]:
    weekdays = {slot["weekday"] for slot in venue.schedule}
    days = []
    day = start
    while day <= end:
        if day.weekday() in weekdays:
            days.append(day)
        day += timedelta(days=1)
    return days


def _served_at(venue: Venue, day: date) -> datetime:
    """A little after the session on that weekday opens, as a UTC timestamp."""
    slot = next(s for s in venue.schedule if s["weekday"] == day.weekday())
    hours, minutes = (int(p) for p in slot["start"].split(":"))
    local = datetime.combine(day, time(hours, minutes)) + SERVED_AFTER_START
    return (local - JST_OFFSET).replace(tzinfo=UTC)


def _random_day(rng: random.Random, first: date, last: date) -> date | None:
    """A day from ``first`` to ``last`` inclusive, or None when that range is empty."""
    if last < first:
        return None
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _activity(
    session: Session,
    gen: _Generator,
    households: list[Household],
    venues: list[Venue],
    registered: dict[uuid.UUID, date],
) -> tuple[int, int, int]:
    rng, today = gen.rng, gen.today
    start = today - timedelta(days=DEMO_DAYS)
    last_day = today - timedelta(days=1)
    load = dict.fromkeys((v.id for v in venues), 0)
    meals = visits = checkins = 0
    staff = ["佐藤", "鈴木", "高橋", "伊藤"]
    for household in households:
        lat, lon = household.latitude, household.longitude
        if lat is None or lon is None or rng.random() < 0.25:
            continue
        members = household.current_members
        ranked = sorted(
            venues,
            key=lambda v: haversine_km(lat, lon, v.latitude or 0.0, v.longitude or 0.0),
        )
        # fill venues to about four fifths, leaving places for the allocation to use
        venue = next((v for v in ranked if load[v.id] + len(members) <= v.capacity * 0.8), None)
        if venue is None:
            continue
        # Connected some time after registration, and only with consent to share with the venue.
        since = max(start - timedelta(days=rng.randint(0, 120)), registered[household.id])
        if not allows(
            household.current_consent,
            since,
            purpose=ConsentPurpose.VENUE_CONNECTION,
            recipient=ConsentRecipient.ASSIGNED_VENUE,
        ):
            continue
        load[venue.id] += len(members)
        session.add(
            Assignment(
                household=household, venue=venue, start_on=since, reason="デモ：最寄りの会場"
            )
        )
        regularity = rng.choice([0.35, 0.6, 0.8, 0.9])
        stops = today - timedelta(days=rng.randint(15, 40)) if rng.random() < 0.1 else None
        adults = sum(1 for m in members if m.birth_date and (today - m.birth_date).days >= 18 * 365)
        children = len(members) - adults
        for day in _serving_days(venue, max(since, start), last_day):
            if (stops and day >= stops) or rng.random() > regularity:
                continue
            meal_type = rng.choices(
                [MealType.EAT_IN, MealType.TAKEAWAY, MealType.DELIVERY, MealType.PANTRY],
                weights=[72, 16, 4, 8],
            )[0]
            served_at = _served_at(venue, day)
            session.add(
                MealLog(
                    venue_id=venue.id,
                    household_id=household.id,
                    served_on=day,
                    served_at=served_at,
                    meal_type=meal_type,
                    adults=adults,
                    children=children,
                    staff=rng.choice(staff),
                )
            )
            meals += 1
    # neighbours and walk-ins who are not registered: anonymous counts, as at a real counter
    for venue in venues:
        for day in _serving_days(venue, start, last_day):
            if rng.random() < 0.6:
                session.add(
                    MealLog(
                        venue_id=venue.id,
                        served_on=day,
                        served_at=_served_at(venue, day),
                        meal_type=MealType.EAT_IN,
                        adults=rng.randint(1, 4),
                        children=rng.randint(0, 4),
                        staff=rng.choice(staff),
                    )
                )
                meals += 1
    for household in households:
        head = household.head
        if head is None:
            continue
        first = max(start, registered[household.id])
        # Older people living alone are whom link workers call most; a few still drift away.
        alone_older = (
            len(household.current_members) == 1
            and head.birth_date is not None
            and ((today - head.birth_date).days >= 65 * 365)
        )
        calls = rng.choice([6, 8, 10, 12]) if alone_older and rng.random() < 0.85 else None
        for _ in range(calls or rng.choice([0, 1, 1, 2, 3])):
            visited_on = _random_day(rng, first, last_day)
            if visited_on is None:
                break
            kind = rng.choice([VisitKind.HOME, VisitKind.PHONE, VisitKind.PHONE, VisitKind.VENUE])
            due = (
                visited_on + timedelta(days=14) if rng.random() < (0.05 if calls else 0.3) else None
            )
            visit = Visit(
                id=uuid.uuid4(),
                household_id=household.id,
                member_id=head.id,
                visited_on=visited_on,
                kind=kind,
                staff=rng.choice(staff),
                duration_minutes=rng.choice([10, 20, 30, 45]),
                summary="体調と生活の様子を確認",
                follow_up_due=due,
            )
            session.add(visit)
            visits += 1
            if due:
                done = due < today and rng.random() < 0.8
                session.add(
                    FollowUp(
                        household_id=household.id,
                        due_on=due,
                        owner=visit.staff,
                        reason="訪問時の気がかりを再確認",
                        source="visit",
                        source_id=visit.id,
                        status="done" if done else "open",
                        done_on=due if done else None,
                        outcome="電話で様子を確認" if done else "",
                    )
                )
        for _ in range(rng.choice([0, 1, 2])):
            checked_on = _random_day(rng, first, last_day)
            if checked_on is None:
                break
            worry = rng.random() < 0.1
            lone = [rng.randint(3, 5) if worry else rng.randint(1, 3)]
            ucla = [rng.randint(2, 4) if worry else rng.randint(1, 3) for _ in range(3)]
            k6 = [rng.randint(1, 3) if worry else rng.randint(0, 2) for _ in range(6)]
            session.add(
                CheckIn(
                    household_id=household.id,
                    member_id=head.id,
                    checked_on=checked_on,
                    staff=rng.choice(staff),
                    answers={"loneliness": lone, "ucla3": ucla, "k6": k6},
                    loneliness=instruments.score(instruments.LONELINESS_DIRECT, lone),
                    ucla3_score=instruments.score(instruments.UCLA3, ucla),
                    k6_score=instruments.score(instruments.K6, k6),
                    sleep=rng.choice(["good", "fair", "poor"]),
                    appetite=rng.choice(["good", "fair", "poor"]),
                )
            )
            checkins += 1
    return meals, visits, checkins


@ungated("a count without personal data, so `demo --if-empty` can succeed unsigned")
def existing_households(db: Database) -> int:
    with db.read() as session:
        return session.scalar(select(func.count()).select_from(Household)) or 0


@gate(Permission.ACCOUNTS)
def generate(
    db: Database,
    households: int = 200,
    seed: int = 1,
    today: date | None = None,
    *,
    accounts: bool = False,
) -> DemoSummary:
    """Fill an empty database; refuses a database that already holds households.

    With ``accounts`` the demo's accounts (:data:`DEMO_ACCOUNTS`) are written in the same
    transaction as the data, so a demo cut short never leaves personal data without accounts.
    A database that has accounts already keeps them and gets none of the demo's.
    """
    gen = _Generator(seed, today or date.today())
    with db.session() as session:
        existing = session.scalar(select(func.count()).select_from(Household)) or 0
        if existing:
            raise EvacError("cli.demo_not_empty", count=existing)
        event = events.get_or_default(session)
        venues = [create_venue_in(session, v) for v in gen.venue_inputs()]
        created: list[Household] = []
        registered: dict[uuid.UUID, date] = {}
        for n in range(1, households + 1):
            data = gen.household(f"{event.code}-{n:06d}")
            # Registered two weeks to four months after the disaster, and never after "today".
            moved_on = event.occurred_on + timedelta(days=gen.rng.randint(14, 120))
            moved_on = max(event.occurred_on, min(moved_on, gen.today))
            household = create_in(session, data, moved_on=moved_on)
            if gen.rng.random() < 0.9:
                add_consent(
                    session,
                    household,
                    ConsentInput(
                        consented_on=moved_on,
                        method=gen.rng.choice(["written", "written", "verbal"]),
                        staff="佐藤",
                        purposes=[
                            ConsentPurpose.SUPPORT,
                            ConsentPurpose.VENUE_CONNECTION,
                            ConsentPurpose.STATISTICS,
                        ],
                        recipients=[
                            ConsentRecipient.ASSIGNED_VENUE,
                            ConsentRecipient.SOCIAL_WELFARE_COUNCIL,
                        ],
                    ),
                )
            # registered on the day of the first move, as a real caseload would have been
            household.created_at = datetime.combine(moved_on, time(9), UTC)
            created.append(household)
            registered[household.id] = moved_on
        session.flush()
        meals, visits, checkins = _activity(session, gen, created, venues, registered)
        member_count = sum(len(h.current_members) for h in created)
        made = _add_accounts(session) if accounts else []
        if made:
            db.accounts_exist = True
    return DemoSummary(
        len(created), member_count, len(venues), meals, visits, checkins, tuple(made)
    )


PASSWORD = "demo"
DEMO_ACCOUNTS = (
    ("admin", Role.ADMIN, "管理者（デモ）"),
    ("coordinator", Role.COORDINATOR, "コーディネーター（デモ）"),
    ("venue", Role.VENUE_STAFF, "会場スタッフ（デモ）"),
    ("viewer", Role.VIEWER, "閲覧者（デモ）"),
)


def _add_accounts(session: Session) -> list[str]:
    """One account per role, each with the password "demo" (the README names them); none are
    added to a database that already has accounts. The venue account works at the venue with
    the most households assigned."""
    from evacsupport.services.accounts import add_account

    if session.scalar(select(func.count()).select_from(User)):
        return []
    session.flush()
    venue = session.scalar(
        select(Venue.name)
        .join(Assignment, Assignment.venue_id == Venue.id)
        .where(Assignment.status == "active")
        .group_by(Venue.name)
        .order_by(func.count(Assignment.id).desc(), Venue.name)
    ) or session.scalar(select(Venue.name).order_by(Venue.name))
    made = []
    for username, role, name in DEMO_ACCOUNTS:
        if role == Role.VENUE_STAFF and venue is None:
            continue
        add_account(session, username, PASSWORD, role, display_name=name, venue=venue or "",
                    enforce_policy=False)  # fmt: skip
        made.append(username)
    return made
