"""The figures of the monthly municipal report, grouped by origin or host municipality.

Every number comes from a grouped query (one per kind of record), so the cost does not grow with
a query per household; Python only folds the grouped rows into the report's shape. No Qt and no
reportlab here: the PDF (``reports.monthly``) and any later screen read the same figures.

Month boundaries for timestamps (registration, follow-ups created) are UTC midnights, the same
boundary :func:`load_caseload` uses for "registered by then", so the households counted as active
are exactly the ones whose risk is counted.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select

from evacsupport.db.engine import Database
from evacsupport.db.models import CheckIn, FollowUp, Household, MealLog, Member, Venue, Visit
from evacsupport.domain import municipalities
from evacsupport.domain.codes import FollowUpStatus, HouseholdStatus, MealType, VisitKind
from evacsupport.domain.normalize import HYPHENS, nfkc
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import InvalidValue
from evacsupport.i18n import current_language
from evacsupport.services.caseload import load_caseload
from evacsupport.services.risk import RiskLevel, RiskSettings

GROUPINGS = ("origin", "host")
MEAL_TYPES: tuple[str, ...] = tuple(m.value for m in MealType)
VISIT_KINDS: tuple[str, ...] = tuple(k.value for k in VisitKind)


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


@dataclass
class MealCounts:
    """Meals of one type: entries logged, people served and distinct households served."""

    logs: int = 0
    adults: int = 0
    children: int = 0
    households: int = 0  # distinct registered households (0 for anonymous guests)

    @property
    def people(self) -> int:
        return self.adults + self.children

    def add(self, other: MealCounts) -> None:
        self.logs += other.logs
        self.adults += other.adults
        self.children += other.children
        self.households += other.households


def _meal_table() -> dict[str, MealCounts]:
    return {t: MealCounts() for t in MEAL_TYPES}


@dataclass
class GroupFigures:
    """One municipality's row (or the total row, ``code == "*"``) of every table."""

    code: str
    name: str
    new_households: int = 0
    new_people: int = 0
    active_households: int = 0  # active at month end, registered by then
    active_people: int = 0
    closed_households: int = 0  # closed_on in the month
    closed_people: int = 0
    meals: dict[str, MealCounts] = field(default_factory=_meal_table)  # by meal type
    meal_households: int = 0  # distinct households served any meal in the month
    visits: dict[str, int] = field(default_factory=lambda: dict.fromkeys(VISIT_KINDS, 0))
    checkins: int = 0
    checkin_households: int = 0
    risk_high: int = 0  # among the households active at month end
    risk_watch: int = 0
    risk_none: int = 0
    followups_opened: int = 0  # created in the month
    followups_closed: int = 0  # done in the month

    @property
    def meal_logs(self) -> int:
        return sum(m.logs for m in self.meals.values())

    @property
    def meal_people(self) -> int:
        return sum(m.people for m in self.meals.values())

    @property
    def visit_total(self) -> int:
        return sum(self.visits.values())

    def is_empty(self) -> bool:
        return not any(
            (
                self.new_households,
                self.active_households,
                self.closed_households,
                self.meal_logs,
                self.visit_total,
                self.checkins,
                self.followups_opened,
                self.followups_closed,
            )
        )

    def add(self, other: GroupFigures) -> None:
        for name in (
            "new_households",
            "new_people",
            "active_households",
            "active_people",
            "closed_households",
            "closed_people",
            "meal_households",
            "checkins",
            "checkin_households",
            "risk_high",
            "risk_watch",
            "risk_none",
            "followups_opened",
            "followups_closed",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for meal_type, counts in other.meals.items():
            self.meals.setdefault(meal_type, MealCounts()).add(counts)
        for kind, n in other.visits.items():
            self.visits[kind] = self.visits.get(kind, 0) + n


@dataclass
class VenueWeeks:
    """Meals at one venue in each week of the month (entries logged and people served)."""

    name: str
    meals: list[int]
    people: list[int]

    @property
    def total_meals(self) -> int:
        return sum(self.meals)

    @property
    def total_people(self) -> int:
        return sum(self.people)


@dataclass
class MonthlyFigures:
    month: date  # the first day
    by: str  # "origin" or "host"
    as_of: date  # month end, or today for the running month
    groups: list[GroupFigures]
    total: GroupFigures
    guests: dict[str, MealCounts]  # anonymous guests (no household) by meal type
    weeks: list[tuple[date, date]]  # Monday-start weeks, clipped to the month
    venues: list[VenueWeeks]

    @property
    def month_end(self) -> date:
        return _month_end(self.month)

    @property
    def guest_logs(self) -> int:
        return sum(m.logs for m in self.guests.values())

    def meals_of_type(self, meal_type: str) -> MealCounts:
        """Everyone served this type: registered households and anonymous guests together."""
        both = MealCounts()
        both.add(self.total.meals[meal_type])
        both.add(self.guests[meal_type])
        return both

    @property
    def week_meals(self) -> list[int]:
        return [sum(v.meals[i] for v in self.venues) for i in range(len(self.weeks))]

    @property
    def week_people(self) -> list[int]:
        return [sum(v.people[i] for v in self.venues) for i in range(len(self.weeks))]

    @property
    def has_data(self) -> bool:
        return not self.total.is_empty() or self.guest_logs > 0


# --- months ----------------------------------------------------------------------------------

_MONTH_RE = re.compile(rf"(.+?)\s*(年|[{re.escape(HYPHENS)}/.])\s*([0-9]{{1,2}})\s*月?")


def parse_month(value: str | date | None) -> date:
    """The first day of a month written 2024-03, 2024/3, 2024年3月, 202403, 令和6年3月 or R6.3."""
    if isinstance(value, date):
        return value.replace(day=1)
    text = nfkc(value or "").strip()
    if re.fullmatch(r"[0-9]{6}", text):
        text = f"{text[:4]}-{text[4:]}"
    m = _MONTH_RE.fullmatch(text)
    if m is None or not m[1].strip():
        raise InvalidValue("date.invalid")
    head, sep, month = m[1], m[2], m[3]
    day = f"{head}年{month}月1日" if sep == "年" else f"{head}{sep}{month}{sep}1"
    parsed = parse_date(day)
    if parsed is None:  # pragma: no cover - parse_date only returns None with allow_empty
        raise InvalidValue("date.invalid")
    return parsed


def _month_end(month: date) -> date:
    following = (month.replace(day=28) + timedelta(days=4)).replace(day=1)
    return following - timedelta(days=1)


def month_weeks(month: date) -> list[tuple[date, date]]:
    """The Monday-start weeks touching the month, each clipped to the month (4 to 6 of them)."""
    end = _month_end(month)
    start = month - timedelta(days=month.weekday())
    weeks = []
    while start <= end:
        weeks.append((max(start, month), min(start + timedelta(days=6), end)))
        start += timedelta(days=7)
    return weeks


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


# --- figures ---------------------------------------------------------------------------------


def _count_if(condition: ColumnElement[bool]) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


def _sum_if(condition: ColumnElement[bool], value: Any) -> Any:
    return func.coalesce(func.sum(case((condition, value), else_=0)), 0)


def _group_order(code: str) -> tuple[int, int, str]:
    if not code:
        return (2, 0, "")
    order = {m.code: i for i, m in enumerate(municipalities.all_municipalities())}
    return (0, order[code], code) if code in order else (1, 0, code)


def _group_name(code: str) -> str:
    if not code:
        return _t("不明", "Unknown")
    found = municipalities.get(code)
    return found.name if found else code


def monthly_figures(
    db: Database,
    month: date,
    by: str = "origin",
    settings: RiskSettings | None = None,
    *,
    today: date | None = None,
) -> MonthlyFigures:
    """Everything the monthly report prints, for ``month`` (any day of it)."""
    if by not in GROUPINGS:
        raise InvalidValue("value.choice", value=by)
    month = month.replace(day=1)
    end = _month_end(month)
    # Risk and "active" are as at month end; for the running month, as today.
    as_of = min(end, today or date.today())
    as_of = max(as_of, month)
    start_at, end_at = _midnight(month), _midnight(end + timedelta(days=1))
    as_of_at = _midnight(as_of + timedelta(days=1))
    group_col = (
        Household.origin_municipality_code
        if by == "origin"
        else Household.current_municipality_code
    )
    live_household = Household.deleted_at.is_(None)
    groups: dict[str, GroupFigures] = {}

    def group(code: str | None) -> GroupFigures:
        key = code or ""
        if key not in groups:
            groups[key] = GroupFigures(key, _group_name(key))
        return groups[key]

    registered_in_month = and_(Household.created_at >= start_at, Household.created_at < end_at)
    active_at_end = and_(
        Household.created_at < as_of_at,
        or_(
            Household.status == HouseholdStatus.ACTIVE,
            and_(Household.closed_on.is_not(None), Household.closed_on > as_of),
        ),
    )
    closed_in_month = and_(
        Household.status == HouseholdStatus.CLOSED, Household.closed_on.between(month, end)
    )
    in_month = {
        "meal": MealLog.served_on.between(month, end),
        "visit": Visit.visited_on.between(month, end),
        "checkin": CheckIn.checked_on.between(month, end),
    }

    with db.read() as session:
        people = (
            select(Member.household_id, func.count().label("n"))
            .where(Member.deleted_at.is_(None))
            .group_by(Member.household_id)
            .subquery()
        )
        n = func.coalesce(people.c.n, 0)
        for code, new_h, new_p, act_h, act_p, clo_h, clo_p in session.execute(
            select(
                group_col,
                _count_if(registered_in_month),
                _sum_if(registered_in_month, n),
                _count_if(active_at_end),
                _sum_if(active_at_end, n),
                _count_if(closed_in_month),
                _sum_if(closed_in_month, n),
            )
            .outerjoin(people, people.c.household_id == Household.id)
            .where(live_household)
            .group_by(group_col)
        ):
            if new_h or act_h or clo_h:
                g = group(code)
                g.new_households, g.new_people = new_h, new_p
                g.active_households, g.active_people = act_h, act_p
                g.closed_households, g.closed_people = clo_h, clo_p

        live_meal = and_(MealLog.deleted_at.is_(None), Venue.deleted_at.is_(None), in_month["meal"])
        meal_base = (
            select()
            .select_from(MealLog)
            .join(Venue, Venue.id == MealLog.venue_id)
            .join(Household, Household.id == MealLog.household_id)
            .where(live_meal, live_household)
        )
        for code, meal_type, logs, adults, children, households in session.execute(
            meal_base.add_columns(
                group_col,
                MealLog.meal_type,
                func.count(),
                func.coalesce(func.sum(MealLog.adults), 0),
                func.coalesce(func.sum(MealLog.children), 0),
                func.count(distinct(MealLog.household_id)),
            ).group_by(group_col, MealLog.meal_type)
        ):
            counts = group(code).meals.setdefault(meal_type, MealCounts())
            counts.add(MealCounts(logs, adults, children, households))
        for code, households in session.execute(
            meal_base.add_columns(group_col, func.count(distinct(MealLog.household_id))).group_by(
                group_col
            )
        ):
            group(code).meal_households = households

        guests = _meal_table()
        for meal_type, logs, adults, children in session.execute(
            select(
                MealLog.meal_type,
                func.count(),
                func.coalesce(func.sum(MealLog.adults), 0),
                func.coalesce(func.sum(MealLog.children), 0),
            )
            .join(Venue, Venue.id == MealLog.venue_id)
            .where(live_meal, MealLog.household_id.is_(None))
            .group_by(MealLog.meal_type)
        ):
            guests.setdefault(meal_type, MealCounts()).add(MealCounts(logs, adults, children, 0))

        # Per venue and day (at most 31 rows a venue), folded into weeks below; guests included.
        venue_days = session.execute(
            select(
                Venue.id,
                Venue.name,
                MealLog.served_on,
                func.count(),
                func.coalesce(func.sum(MealLog.adults + MealLog.children), 0),
            )
            .select_from(MealLog)
            .join(Venue, Venue.id == MealLog.venue_id)
            .outerjoin(Household, Household.id == MealLog.household_id)
            .where(live_meal, live_household)  # no household: its deleted_at is NULL too
            .group_by(Venue.id, Venue.name, MealLog.served_on)
        ).all()

        for code, kind, count in session.execute(
            select(group_col, Visit.kind, func.count())
            .join(Household, Household.id == Visit.household_id)
            .where(Visit.deleted_at.is_(None), in_month["visit"], live_household)
            .group_by(group_col, Visit.kind)
        ):
            visits = group(code).visits
            visits[kind] = visits.get(kind, 0) + count

        for code, count, households in session.execute(
            select(group_col, func.count(), func.count(distinct(CheckIn.household_id)))
            .join(Household, Household.id == CheckIn.household_id)
            .where(CheckIn.deleted_at.is_(None), in_month["checkin"], live_household)
            .group_by(group_col)
        ):
            g = group(code)
            g.checkins, g.checkin_households = count, households

        opened = and_(FollowUp.created_at >= start_at, FollowUp.created_at < end_at)
        closed = and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.done_on.between(month, end))
        for code, n_opened, n_closed in session.execute(
            select(group_col, _count_if(opened), _count_if(closed))
            .join(Household, Household.id == FollowUp.household_id)
            .where(FollowUp.deleted_at.is_(None), live_household, or_(opened, closed))
            .group_by(group_col)
        ):
            g = group(code)
            g.followups_opened, g.followups_closed = n_opened, n_closed

        active_groups: dict[uuid.UUID, str] = {
            hid: code or ""
            for hid, code in session.execute(
                select(Household.id, group_col).where(live_household, active_at_end)
            )
        }

    if active_groups:
        for row in load_caseload(db, today=as_of, settings=settings, registered_by_then=True):
            code = active_groups.get(row.id)
            if code is None:
                continue
            g = group(code)
            if row.risk.level == RiskLevel.HIGH:
                g.risk_high += 1
            elif row.risk.level == RiskLevel.WATCH:
                g.risk_watch += 1
            else:
                g.risk_none += 1

    weeks = month_weeks(month)
    venues = _venue_weeks(venue_days, weeks)
    ordered = sorted(
        (g for g in groups.values() if not g.is_empty()), key=lambda g: _group_order(g.code)
    )
    total = GroupFigures("*", _t("合計", "Total"))
    for g in ordered:
        total.add(g)
    return MonthlyFigures(month, by, as_of, ordered, total, guests, weeks, venues)


def _venue_weeks(rows: Iterable[Any], weeks: list[tuple[date, date]]) -> list[VenueWeeks]:
    names: dict[uuid.UUID, str] = {}
    meals: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0] * len(weeks))
    people: dict[uuid.UUID, list[int]] = defaultdict(lambda: [0] * len(weeks))
    first_monday = weeks[0][0] - timedelta(days=weeks[0][0].weekday())
    for venue_id, name, served_on, count, persons in rows:
        i = (served_on - first_monday).days // 7
        names[venue_id] = name
        meals[venue_id][i] += count
        people[venue_id][i] += persons
    result = [VenueWeeks(names[v], meals[v], people[v]) for v in names]
    return sorted(result, key=lambda v: v.name)
