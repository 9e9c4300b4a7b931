"""The figures of the monthly municipal report, grouped by origin or host municipality.

Every number comes from a grouped query (one per kind of record), so the cost does not grow with
a query per household; Python only folds the grouped rows into the report's shape. No Qt and no
reportlab here: the PDF (``reports.monthly``) and any later screen read the same figures.

Month boundaries for timestamps (registration, follow-ups created) are UTC midnights, the same
boundary :func:`load_caseload` uses for "registered by then", so the households counted as active
are exactly the ones whose risk is counted.
"""

from __future__ import annotations

import functools
import re
import uuid
from collections import Counter, defaultdict
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import ColumnElement, and_, case, distinct, func, or_, select, union_all
from sqlalchemy.orm import Session

from evacsupport.db.engine import Database
from evacsupport.db.models import CheckIn, FollowUp, Household, MealLog, Member, Venue, Visit
from evacsupport.domain import municipalities
from evacsupport.domain.codes import FollowUpStatus, HouseholdStatus, MealType, VisitKind
from evacsupport.domain.normalize import HYPHENS, nfkc
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import parse_date
from evacsupport.errors import InvalidValue
from evacsupport.i18n import current_language
from evacsupport.services.authz import gate
from evacsupport.services.caseload import (
    _unflagged,
    _years_before,
    checkin_facts,
    raw_id,
    stored_facts,
)
from evacsupport.services.risk import RiskFacts, RiskLevel, RiskSettings, assess

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


@gate(Permission.AGGREGATE_REPORTS)
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

    # The risk levels, and the visits, check-ins and follow-ups, are read on other connections
    # meanwhile: each part is mostly SQLite's own work, which runs beside Python's, so the
    # cores share it (WAL readers do not block each other). Each part is one consistent read.
    opened = and_(FollowUp.created_at >= start_at, FollowUp.created_at < end_at)
    closed = and_(FollowUp.status == FollowUpStatus.DONE, FollowUp.done_on.between(month, end))
    contact_queries = (
        select(group_col, Visit.kind, func.count())
        .join(Household, Household.id == Visit.household_id)
        .where(Visit.deleted_at.is_(None), in_month["visit"], live_household)
        .group_by(group_col, Visit.kind),
        select(group_col, func.count(), func.count(distinct(CheckIn.household_id)))
        .join(Household, Household.id == CheckIn.household_id)
        .where(CheckIn.deleted_at.is_(None), in_month["checkin"], live_household)
        .group_by(group_col),
        select(group_col, _count_if(opened), _count_if(closed))
        .join(Household, Household.id == FollowUp.household_id)
        .where(FollowUp.deleted_at.is_(None), live_household, or_(opened, closed))
        .group_by(group_col),
    )
    with ThreadPoolExecutor(max_workers=2, thread_name_prefix="monthly-risk") as pool:
        count_risk = functools.partial(
            _count_risk, db, group_col, live_household, active_at_end, as_of, settings
        )
        # (a database in memory is one per connection: there the reads wait their turn)
        risk = pool.submit(count_risk) if not db.in_memory else None
        contacts = pool.submit(_read_all, db, contact_queries) if not db.in_memory else None
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

            # Meals of live venues only; a venue is rarely deleted, so "not one of the deleted ones"
            # leaves the planner the covering month index (ix_meal_log_month_cover).
            live_meal = and_(
                MealLog.deleted_at.is_(None),
                in_month["meal"],
                MealLog.venue_id.not_in(select(Venue.id).where(Venue.deleted_at.is_not(None))),
            )
            # One pass over the month's meals, grouped by household and type (guests are the NULL
            # household), then folded by municipality: the join to the household is per household,
            # not per meal. ``nth == 1`` marks one row a household, for the distinct households
            # served any meal.
            per_household = (
                select(
                    MealLog.household_id.label("household_id"),
                    MealLog.meal_type.label("meal_type"),
                    func.count().label("logs"),
                    func.coalesce(func.sum(MealLog.adults), 0).label("adults"),
                    func.coalesce(func.sum(MealLog.children), 0).label("children"),
                    func.row_number()
                    .over(partition_by=MealLog.household_id, order_by=MealLog.meal_type)
                    .label("nth"),
                )
                .where(live_meal)
                .group_by(MealLog.household_id, MealLog.meal_type)
                .subquery()
            )
            is_guest = case((per_household.c.household_id.is_(None), 1), else_=0)
            guests = _meal_table()
            for (
                guest,
                code,
                meal_type,
                logs,
                adults,
                children,
                households,
                firsts,
            ) in session.execute(
                select(
                    is_guest,
                    group_col,
                    per_household.c.meal_type,
                    func.sum(per_household.c.logs),
                    func.sum(per_household.c.adults),
                    func.sum(per_household.c.children),
                    func.count(),
                    _count_if(per_household.c.nth == 1),
                )
                .select_from(per_household)
                .outerjoin(Household, Household.id == per_household.c.household_id)
                .where(live_household)  # no household: its deleted_at is NULL too
                .group_by(is_guest, group_col, per_household.c.meal_type)
            ):
                if guest:
                    counts = MealCounts(int(logs), int(adults), int(children), 0)
                    guests.setdefault(meal_type, MealCounts()).add(counts)
                    continue
                g = group(code)
                counts = MealCounts(int(logs), int(adults), int(children), int(households))
                g.meals.setdefault(meal_type, MealCounts()).add(counts)
                g.meal_households += int(firsts)

            # Per day and venue (at most 31 rows a venue, in the month index's order), folded into
            # weeks below; guests included, meals of deleted households not.
            deleted_households = select(Household.id).where(Household.deleted_at.is_not(None))
            day_rows = session.execute(
                select(
                    MealLog.served_on,
                    MealLog.venue_id,
                    func.count(),
                    func.coalesce(func.sum(MealLog.adults + MealLog.children), 0),
                )
                .where(
                    live_meal,
                    or_(
                        MealLog.household_id.is_(None),
                        MealLog.household_id.not_in(deleted_households),
                    ),
                )
                .group_by(MealLog.served_on, MealLog.venue_id)
            ).all()
            venue_names = dict(
                session.execute(
                    select(Venue.id, Venue.name).where(Venue.deleted_at.is_(None))
                ).all()
            )
            venue_days = [
                (venue_id, venue_names[venue_id], served_on, count, persons)
                for served_on, venue_id, count, persons in day_rows
            ]

        visit_rows, checkin_rows, followup_rows = (
            contacts.result() if contacts else _read_all(db, contact_queries)
        )
        for code, kind, count in visit_rows:
            visits = group(code).visits
            visits[kind] = visits.get(kind, 0) + count
        for code, count, households in checkin_rows:
            g = group(code)
            g.checkins, g.checkin_households = count, households
        for code, n_opened, n_closed in followup_rows:
            g = group(code)
            g.followups_opened, g.followups_closed = n_opened, n_closed

        for (code, level), count in (risk.result() if risk else count_risk()).items():
            g = group(code)
            if level == RiskLevel.HIGH:
                g.risk_high += count
            elif level == RiskLevel.WATCH:
                g.risk_watch += count
            else:
                g.risk_none += count

    weeks = month_weeks(month)
    venues = _venue_weeks(venue_days, weeks)
    ordered = sorted(
        (g for g in groups.values() if not g.is_empty()), key=lambda g: _group_order(g.code)
    )
    total = GroupFigures("*", _t("合計", "Total"))
    for g in ordered:
        total.add(g)
    return MonthlyFigures(month, by, as_of, ordered, total, guests, weeks, venues)


def _read_all(db: Database, queries: Iterable[Any]) -> list[list[Any]]:
    """The rows of each of ``queries``, in one read."""
    with db.read() as session:
        connection = session.connection()
        return [list(connection.execute(query).all()) for query in queries]


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


def _count_risk(
    db: Database,
    group_col: Any,
    live_household: ColumnElement[bool],
    active_at_end: ColumnElement[bool],
    today: date,
    settings: RiskSettings | None,
) -> Counter[tuple[str | None, RiskLevel]]:
    """Risk levels of the households active at month end, as the household list would show them
    on ``today`` (:func:`load_caseload` with ``registered_by_then``), by the same rules
    (:func:`assess`).

    Only the level is counted, so each fact is read only where it can change a level: the meals
    of the regular-attendance window (and after it) for households regular enough to have
    stopped coming, and the last contact within ``alone_no_contact_days`` for older people
    living alone. A household with no fact at all gets the level of an empty record, assessed
    once. Returns the number of households by group code and level.
    """
    with db.read() as session:
        return _risk_levels(
            session, group_col, live_household, active_at_end, today, settings or RiskSettings()
        )


def _risk_levels(
    session: Session,
    group_col: Any,
    live_household: ColumnElement[bool],
    active_at_end: ColumnElement[bool],
    today: date,
    settings: RiskSettings,
) -> Counter[tuple[str | None, RiskLevel]]:
    """:func:`_count_risk` on an open session."""
    levels: Counter[tuple[str | None, RiskLevel]] = Counter()
    older_born_before = _years_before(today, settings.older_age)
    # Household ids are only keys here: read raw (see raw_id), about 0.7 s less at 50,000.
    living_alone_older = (
        select(Member.household_id)
        .where(Member.deleted_at.is_(None))
        .group_by(Member.household_id)
        .having(func.count() == 1, func.max(Member.birth_date) <= older_born_before)
    )
    # Core, not the ORM's execute: tens of thousands of rows, only keys and codes in them
    connection = session.connection()
    active = connection.execute(
        select(
            raw_id(Household.id),
            group_col,
            Household.status,
            case((Household.id.in_(living_alone_older), 1), else_=0),
        ).where(live_household, active_at_end)
    ).all()
    if not active:
        return levels
    stored = stored_facts(session, today, settings, raw=True, names=False)
    if stored is not None:  # the facts kept current hold for this day: one read of them
        for hid, code, status, older_alone in active:
            level = (
                stored.assess(hid, today, bool(older_alone), settings).level
                if status == HouseholdStatus.ACTIVE
                else RiskLevel.NONE  # closed after month end: not assessed, as in the list
            )
            levels[code, level] += 1
        return levels

    # Stopped coming: at least regular_min_meals in the window and none after it (the last
    # meal on or before today - stopped_days). Only the households that have not eaten since
    # the window are read, each from its own stretch of the household-and-date index; for them
    # the last meal in the window is the last meal. (A minimum of 0 would make every household
    # a candidate: then all meals up to today are read, as the household list does.)
    window_end = today - timedelta(days=settings.stopped_days)
    window_start = window_end - timedelta(weeks=settings.regular_weeks)
    in_window = MealLog.served_on.between(window_start, window_end)
    if settings.regular_min_meals > 0:
        ate_since = select(MealLog.household_id).where(
            MealLog.household_id.is_not(None),
            MealLog.deleted_at.is_(None),
            MealLog.served_on > window_end,
            MealLog.served_on <= today,
        )
        not_since = select(Household.id).where(
            live_household,
            active_at_end,
            Household.status == HouseholdStatus.ACTIVE,
            Household.id.not_in(ate_since),
        )
        regular = (
            select(raw_id(MealLog.household_id), func.max(MealLog.served_on), func.count())
            .where(MealLog.deleted_at.is_(None), in_window, MealLog.household_id.in_(not_since))
            .group_by(MealLog.household_id)
            .having(func.count() >= settings.regular_min_meals)
        )
    else:
        regular = (
            select(raw_id(MealLog.household_id), func.max(MealLog.served_on), _count_if(in_window))
            .where(
                MealLog.household_id.is_not(None),
                MealLog.deleted_at.is_(None),
                MealLog.served_on <= today,
            )
            .group_by(MealLog.household_id)
        )
    meals: dict[Any, tuple[date, int]] = {
        hid: (last, n) for hid, last, n in connection.execute(regular)
    }

    # Older people living alone: only whether someone was in contact in the last
    # alone_no_contact_days matters, so only that stretch of meals, visits and check-ins is read.
    contact_from = today - timedelta(days=max(settings.alone_no_contact_days, 0))
    # one WITH for the three parts: the members are grouped once, not once a part
    alone = living_alone_older.cte("alone")
    last_contact: dict[Any, date] = {}
    for hid, day in connection.execute(
        union_all(
            *(
                select(raw_id(household_col), func.max(day_col))
                .where(
                    deleted_col.is_(None),
                    day_col.between(contact_from, today),
                    household_col.in_(select(alone.c.household_id)),
                )
                .group_by(household_col)
                for household_col, day_col, deleted_col in (
                    (MealLog.household_id, MealLog.served_on, MealLog.deleted_at),
                    (Visit.household_id, Visit.visited_on, Visit.deleted_at),
                    (CheckIn.household_id, CheckIn.checked_on, CheckIn.deleted_at),
                )
            )
        )
    ):
        if day is not None and (hid not in last_contact or day > last_contact[hid]):
            last_contact[hid] = day

    latest, worsened = checkin_facts(session, today, settings, raw_households=True)
    overdue: dict[Any, int] = dict(
        connection.execute(
            select(raw_id(FollowUp.household_id), func.count())
            .where(
                (FollowUp.status == FollowUpStatus.OPEN) | (FollowUp.done_on > today),
                FollowUp.due_on < today,
                FollowUp.deleted_at.is_(None),
            )
            .group_by(FollowUp.household_id)
        ).all()
    )

    no_facts = assess(RiskFacts(today=today), settings).level
    for hid, code, status, older_alone in active:
        if status != HouseholdStatus.ACTIVE:
            level = RiskLevel.NONE  # closed after month end: not assessed, as in the list
        elif (
            older_alone
            or hid in meals
            or (hid in latest and not _unflagged(latest[hid], settings))
            or hid in worsened
            or hid in overdue
        ):
            last_meal, regular_meals = meals.get(hid, (None, 0))
            k6, lonely, ucla = latest.get(hid, (None, None, None))
            level = assess(
                RiskFacts(
                    today=today,
                    last_contact=last_contact.get(hid),
                    latest_k6=k6,
                    latest_loneliness=lonely,
                    latest_ucla3=ucla,
                    overdue_followups=overdue.get(hid, 0),
                    older_living_alone=bool(older_alone),
                    last_meal=last_meal,
                    regular_meals_before=regular_meals,
                    worsened=tuple(worsened.get(hid, ())),
                ),
                settings,
            ).level
        else:
            level = no_facts
        levels[code, level] += 1
    return levels
