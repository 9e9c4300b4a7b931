"""The whole caseload as list rows: one pass of set-based queries, no query per household.

The household list loads these once and filters them in memory while the user types, so a
keystroke never waits for the database; a save elsewhere triggers a reload.
"""

from __future__ import annotations

import functools
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import compress, repeat
from operator import attrgetter, contains
from typing import Any

from sqlalchemy import ColumnElement, String, and_, case, func, select, true, type_coerce, union_all
from sqlalchemy.orm import Session

from evacsupport.db.engine import Database
from evacsupport.db.facts import RECENT_MEALS
from evacsupport.db.models import (
    Assignment,
    CheckIn,
    FollowUp,
    Household,
    HouseholdFacts,
    MealLog,
    Member,
    Venue,
    Visit,
)
from evacsupport.domain import municipalities
from evacsupport.domain.instruments import K6, LONELINESS_DIRECT, UCLA3
from evacsupport.domain.normalize import search_key
from evacsupport.domain.roles import Permission
from evacsupport.i18n import current_language
from evacsupport.services.authz import gate
from evacsupport.services.households import head_subquery
from evacsupport.services.risk import RiskAssessment, RiskFacts, RiskLevel, RiskSettings, assess

_SEARCH_TEXT = attrgetter("search_text")
NAME_CHUNK = 500  # ids per IN list when reading names


@dataclass(frozen=True, slots=True)
class CaseRow:
    id: uuid.UUID
    case_number: str
    head_name: str
    head_kana: str
    member_count: int
    origin_municipality_code: str
    evacuation_status: str
    status: str
    phone: str
    venue_id: uuid.UUID | None
    venue_name: str
    last_contact: date | None
    risk: RiskAssessment
    search_text: str

    @property
    def origin_name(self) -> str:
        found = municipalities.get(self.origin_municipality_code)
        return found.name if found else ""

    @property
    def risk_level(self) -> RiskLevel:
        return self.risk.level

    def matches(self, key: str) -> bool:
        """``key`` is already a :func:`search_key`; an empty key matches every row."""
        return not key or key in self.search_text


def _years_before(day: date, years: int) -> date:
    """The same calendar day ``years`` earlier (28 February for 29 February in a common year):
    whoever was born on or before it has reached that age on ``day``."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def raw_id(column: Any) -> Any:
    """The id column as the driver returns it (hex text from SQLite, a UUID from psycopg), not
    made a :class:`uuid.UUID` by SQLAlchemy: for ids that are only keys of an in-memory join over
    tens of thousands of rows, where making UUIDs took most of the time. Every key of one join
    must be read the same way."""
    return type_coerce(column, String)


_SAFE_UNKNOWN = uuid.SafeUUID.unknown
_new_uuid = object.__new__
_set = object.__setattr__


def uuid_of(value: Any) -> uuid.UUID:
    """A :func:`raw_id` value made a :class:`uuid.UUID` (the same one ``uuid.UUID(value)``
    gives), without the constructor's parsing of every accepted spelling: the driver's hex text
    of 32 digits is all there is here, tens of thousands of times per caseload."""
    if isinstance(value, uuid.UUID):
        return value
    made = _new_uuid(uuid.UUID)
    _set(made, "int", int(value, 16))
    _set(made, "is_safe", _SAFE_UNKNOWN)
    return made


def checkin_facts(
    session: Session, today: date, settings: RiskSettings, *, raw_households: bool = False
) -> tuple[dict[Any, tuple[Any, Any, Any]], dict[Any, list[str]]]:
    """From each member's last two check-ins up to ``today``: the household's scores (the worst
    of its members' latest, so one person's good day never hides another's distress) and who
    got worse, keyed by household id (a :func:`raw_id` with ``raw_households``). Names are read
    only for those who got worse (a join for every check-in doubled the time at 200,000
    check-ins)."""
    ranked = (
        select(
            raw_id(CheckIn.household_id) if raw_households else CheckIn.household_id,
            raw_id(CheckIn.member_id).label("member_id"),
            CheckIn.k6_score,
            CheckIn.loneliness,
            CheckIn.ucla3_score,
            func.row_number()
            .over(
                partition_by=CheckIn.member_id,
                # the id last: two check-ins of one day and moment still rank the same way
                # on every run and plan (the list and the monthly report must agree)
                order_by=(CheckIn.checked_on.desc(), CheckIn.created_at.desc(), CheckIn.id.desc()),
            )
            .label("rank"),
        )
        .where(CheckIn.deleted_at.is_(None), CheckIn.checked_on <= today)
        .subquery()
    )
    # Plain tuples, by position: attribute access per row was half the time at 50,000 rows.
    now: dict[Any, tuple[Any, tuple[Any, Any, Any]]] = {}  # member → household, latest scores
    before: dict[Any, tuple[Any, Any, Any]] = {}  # member → the scores before
    latest: dict[Any, list[Any]] = {}
    rows = session.connection().execute(select(ranked).where(ranked.c.rank <= 2)).all()
    for household_id, member_id, k6, loneliness, ucla3, rank in rows:
        scores = (k6, loneliness, ucla3)
        if rank != 1:
            before[member_id] = scores
            continue
        now[member_id] = (household_id, scores)
        worst = latest.get(household_id)
        if worst is None:
            latest[household_id] = list(scores)
            continue
        for i, value in enumerate(scores):
            if value is not None and (worst[i] is None or value > worst[i]):
                worst[i] = value
    steps = _score_steps(settings)
    changed: dict[Any, tuple[Any, list[str]]] = {}
    for member_id, earlier in before.items():
        household_id, scores = now[member_id]  # a second check-in implies a first
        changes = [
            f"{label} {earlier[i]}→{scores[i]}"
            for label, i, step in steps
            if earlier[i] is not None and scores[i] is not None and scores[i] - earlier[i] >= step
        ]
        if changes:
            changed[member_id] = (household_id, changes)
    worsened = _worsened_texts(session, changed)
    return {h: (v[0], v[1], v[2]) for h, v in latest.items()}, worsened


def _score_steps(settings: RiskSettings) -> tuple[tuple[str, int, int], ...]:
    """(label, index in a (k6, loneliness, ucla3) triple, the rise that counts as worse)."""
    lonely = "孤独感" if current_language() == "ja" else "loneliness"
    return (
        ("K6", 0, settings.k6_worsen),
        ("UCLA-3", 2, settings.ucla3_worsen),
        (lonely, 1, settings.loneliness_worsen),
    )


def _worsened_texts(
    session: Session, changed: dict[Any, tuple[Any, list[str]]], *, names: bool = True
) -> dict[Any, list[str]]:
    """Each household's "who got worse, and how" from ``changed`` (member → household, changes),
    in the members' order there. The names are read only for these members (``names=False``
    leaves them out: for counts, where only whether someone got worse matters)."""
    found: dict[Any, str] = {}
    ids = list(changed) if names else []
    for start in range(0, len(ids), NAME_CHUNK):
        for member_id, family, given in session.execute(
            select(raw_id(Member.id), Member.family_name, Member.given_name).where(
                raw_id(Member.id).in_(ids[start : start + NAME_CHUNK])
            )
        ):
            found[member_id] = f"{family} {given}".strip()
    worsened: dict[Any, list[str]] = defaultdict(list)
    for member_id, (household_id, changes) in changed.items():
        worsened[household_id].append(f"{found.get(member_id, '')}（{'、'.join(changes)}）")
    return worsened


@dataclass
class _Facts:
    """Keyed by household id (a :func:`raw_id` one where asked for)."""

    last_contact: dict[Any, date]
    last_meal: dict[Any, date]
    meals_before: dict[Any, int]
    latest: dict[Any, tuple[Any, Any, Any]]
    worsened: dict[Any, list[str]]
    overdue: dict[Any, int]

    def risk_facts(self, hid: Any, today: date, older_living_alone: bool) -> RiskFacts:
        """What :func:`assess` needs about household ``hid``."""
        k6, lonely, ucla = self.latest.get(hid, (None, None, None))
        return RiskFacts(
            today=today,
            last_contact=self.last_contact.get(hid),
            latest_k6=k6,
            latest_loneliness=lonely,
            latest_ucla3=ucla,
            overdue_followups=self.overdue.get(hid, 0),
            older_living_alone=older_living_alone,
            last_meal=self.last_meal.get(hid),
            regular_meals_before=self.meals_before.get(hid, 0),
            worsened=tuple(self.worsened.get(hid, ())),
        )

    def assess(
        self, hid: Any, today: date, older_living_alone: bool, settings: RiskSettings
    ) -> RiskAssessment:
        """:func:`assess` of household ``hid``'s facts. A household with none of the facts any
        rule reads (no score that calls for a follow-up, no follow-up overdue, no one worse, not an
        older person alone, fewer meals in the regular window than make a regular) is at no
        risk without building its facts: that is most of a caseload."""
        scores = self.latest.get(hid)
        if (
            older_living_alone
            or self.meals_before.get(hid, 0) >= settings.regular_min_meals
            or hid in self.worsened
            or hid in self.overdue
            or (scores is not None and not _unflagged(scores, settings))
        ):
            return assess(self.risk_facts(hid, today, older_living_alone), settings)
        return NO_RISK


@functools.lru_cache(maxsize=16)
def _unflagged_scores(settings: RiskSettings) -> tuple[frozenset[int], ...]:
    """For K6, the direct loneliness question and UCLA-3 (the order of a household's latest
    scores): the results in the instrument's range that call for no follow-up under these
    settings, enumerated from the bands themselves."""
    cutoffs = settings.cutoffs()
    return tuple(
        frozenset(
            value
            for value in range(instrument.min_total, instrument.max_total + 1)
            if cutoffs.flagged(instrument, value) is None
        )
        for instrument in (K6, LONELINESS_DIRECT, UCLA3)
    )


def _unflagged(scores: tuple[Any, Any, Any], settings: RiskSettings) -> bool:
    """Whether none of a household's latest scores would be a reason for :func:`assess`."""
    return all(
        value is None or value in quiet
        for value, quiet in zip(scores, _unflagged_scores(settings), strict=True)
    )


NO_FACTS = _Facts({}, {}, {}, {}, {}, {})
NO_VENUE: tuple[uuid.UUID | None, str] = (None, "")
# One assessment shared by every row at no risk (most of a caseload); assessments are read only.
NO_RISK = RiskAssessment(RiskLevel.NONE)


def _activity_facts(
    session: Session,
    today: date,
    settings: RiskSettings,
    *,
    raw: bool = False,
    names: bool = True,
    households: Collection[uuid.UUID] | None = None,
) -> _Facts:
    """What the risk and "last contact" columns need, for every household: from the stored
    facts (:class:`HouseholdFacts`, one indexed read) when they hold for ``today``, else from
    the whole history (:func:`compute_facts`). Keys are household ids, :func:`raw_id` ones with
    ``raw``; ``names=False`` leaves the names out of "who got worse" (for counts);
    ``households`` reads only theirs from the stored facts."""
    stored = stored_facts(session, today, settings, raw=raw, names=names, households=households)
    return stored if stored is not None else compute_facts(session, today, settings, raw=raw)


def _json(value: Any) -> Any:
    """A JSON column read raw: text from SQLite, already decoded by psycopg."""
    return json.loads(value) if isinstance(value, str) else value


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, date) else value[:10]


def stored_facts(
    session: Session,
    today: date,
    settings: RiskSettings,
    *,
    raw: bool = False,
    names: bool = True,
    households: Collection[uuid.UUID] | None = None,
) -> _Facts | None:
    """:func:`compute_facts` from the stored rows, derived for ``today`` and ``settings`` here
    (days since a contact, the regular-attendance window, overdue follow-ups, who got worse by
    how much). None when a stored fact is dated after ``today`` (a view of an earlier day, or a
    record dated ahead; of ``households`` only, when named): only the history can say what was
    known on that day."""
    named: ColumnElement[bool] = (
        true() if households is None else HouseholdFacts.household_id.in_(households)
    )
    horizon = session.scalar(select(func.max(HouseholdFacts.horizon)).where(named))
    if horizon is not None and horizon > today:
        return None
    facts = HouseholdFacts
    window_end = today - timedelta(days=settings.stopped_days)
    window_start = window_end - timedelta(weeks=settings.regular_weeks)
    start_text, end_text, today_text = (d.isoformat() for d in (window_start, window_end, today))
    days: dict[str, date] = {}

    def day(text: str) -> date:
        found = days.get(text)
        if found is None:
            found = days[text] = date.fromisoformat(text)
        return found

    member_key: Any = (lambda m: m) if session.get_bind().dialect.name == "sqlite" else uuid.UUID
    steps = _score_steps(settings)
    last_contact: dict[Any, date] = {}
    last_meal: dict[Any, date] = {}
    meals_before: dict[Any, int] = {}
    latest: dict[Any, tuple[Any, Any, Any]] = {}
    overdue: dict[Any, int] = {}
    changed: dict[Any, tuple[Any, list[str]]] = {}
    saturated: list[Any] = []  # every kept meal in the window: counted from the meal index
    for hid, meal, recent, contact, k6, lonely, ucla3, scores, due in session.execute(
        select(
            raw_id(facts.household_id) if raw else facts.household_id,
            raw_id(facts.last_meal),
            raw_id(facts.recent_meals),
            raw_id(facts.last_contact),
            facts.latest_k6,
            facts.latest_loneliness,
            facts.latest_ucla3,
            raw_id(facts.member_scores),
            raw_id(facts.open_due),
        ).where(named)
    ):
        if contact is not None:
            last_contact[hid] = day(_iso(contact))
        if meal is not None:
            meal = _iso(meal)
            last_meal[hid] = day(meal)
            # the regular-attendance count matters only once the last meal is stopped_days old
            # (every kept date is on or before the last meal: none in a window after it)
            if start_text <= meal <= end_text:
                dates = _json(recent)
                n = sum(1 for d in dates if d >= start_text)
                if n >= RECENT_MEALS:
                    saturated.append(hid)
                elif n:
                    meals_before[hid] = n
        if k6 is not None or lonely is not None or ucla3 is not None:
            latest[hid] = (k6, lonely, ucla3)
        if scores and scores != "[]":
            for member, now, earlier in _json(scores):
                if earlier is None:
                    continue
                changes = [
                    f"{label} {earlier[i]}→{now[i]}"
                    for label, i, step in steps
                    if earlier[i] is not None and now[i] is not None and now[i] - earlier[i] >= step
                ]
                if changes:
                    changed[member_key(member)] = (hid, changes)
        if due and due != "[]":
            n = sum(1 for d in _json(due) if d < today_text)
            if n:
                overdue[hid] = n
    household_col = raw_id(MealLog.household_id) if raw else MealLog.household_id
    for start in range(0, len(saturated), NAME_CHUNK):
        meals_before.update(
            session.execute(
                select(household_col, func.count())
                .where(
                    household_col.in_(saturated[start : start + NAME_CHUNK]),
                    MealLog.deleted_at.is_(None),
                    MealLog.served_on.between(window_start, window_end),
                )
                .group_by(MealLog.household_id)
            ).all()
        )
    worsened = _worsened_texts(session, changed, names=names)
    return _Facts(last_contact, last_meal, meals_before, latest, worsened, overdue)


def compute_facts(
    session: Session, today: date, settings: RiskSettings, *, raw: bool = False
) -> _Facts:
    """What the risk and "last contact" columns need, for every household, from the whole
    history as it stood on ``today``, in a few passes. The reference for the stored facts
    (tests/property/test_household_facts.py), and the answer for a day before their horizon."""
    hid_of: Any = raw_id if raw else (lambda column: column)
    # One index-only pass over the meals (ix_meal_log_household_date_live) gives both the
    # last meal and the count in the regular-attendance window; visits and check-ins are
    # small tables, merged into the last contact here.
    window_end = today - timedelta(days=settings.stopped_days)
    window_start = window_end - timedelta(weeks=settings.regular_weeks)
    last_meal: dict[uuid.UUID, date] = {}
    meals_before: dict[uuid.UUID, int] = {}
    for hid, last, regular in session.execute(
        select(
            hid_of(MealLog.household_id),
            func.max(MealLog.served_on),
            func.sum(case((MealLog.served_on.between(window_start, window_end), 1), else_=0)),
        )
        .where(
            MealLog.household_id.is_not(None),
            MealLog.deleted_at.is_(None),
            MealLog.served_on <= today,
        )
        .group_by(MealLog.household_id)
    ):
        last_meal[hid] = last
        if regular:
            meals_before[hid] = regular
    last_contact: dict[uuid.UUID, date] = dict(last_meal)
    for hid, day in session.execute(
        union_all(
            select(hid_of(Visit.household_id), func.max(Visit.visited_on))
            .where(Visit.deleted_at.is_(None), Visit.visited_on <= today)
            .group_by(Visit.household_id),
            select(hid_of(CheckIn.household_id), func.max(CheckIn.checked_on))
            .where(CheckIn.deleted_at.is_(None), CheckIn.checked_on <= today)
            .group_by(CheckIn.household_id),
        )
    ):
        if day is not None and (hid not in last_contact or day > last_contact[hid]):
            last_contact[hid] = day
    latest, worsened = checkin_facts(session, today, settings, raw_households=raw)
    overdue: dict[Any, int] = dict(
        session.execute(
            select(hid_of(FollowUp.household_id), func.count())
            .where(
                # open on that day: still open, or done only later (for past-date views)
                (FollowUp.status == "open") | (FollowUp.done_on > today),
                FollowUp.due_on < today,
                FollowUp.deleted_at.is_(None),
            )
            .group_by(FollowUp.household_id)
        ).all()
    )
    return _Facts(last_contact, last_meal, meals_before, latest, worsened, overdue)


@gate(Permission.CASEWORK)
def load_caseload(
    db: Database,
    *,
    today: date | None = None,
    settings: RiskSettings | None = None,
    registered_by_then: bool = False,
    with_facts: bool = True,
    first: int | None = None,
    households: Collection[uuid.UUID] | None = None,
) -> list[CaseRow]:
    """Every household as a list row (names, phones: casework only); see :func:`_caseload`.
    ``households`` reads only those (the rows a write changed; deleted ones are left out)."""
    return _caseload(
        db,
        today=today,
        settings=settings,
        registered_by_then=registered_by_then,
        with_facts=with_facts,
        first=first,
        only=households,
    )


@gate(Permission.AGGREGATE_REPORTS)
def risk_level_counts(
    db: Database,
    *,
    today: date | None = None,
    settings: RiskSettings | None = None,
    registered_by_then: bool = False,
) -> Counter[RiskLevel]:
    """How many households stand at each risk level: counts only, so the charts of roles that
    see no names use the very rules the household list does."""
    rows = _caseload(db, today=today, settings=settings, registered_by_then=registered_by_then)
    return Counter(row.risk.level for row in rows)


def _caseload(
    db: Database,
    *,
    today: date | None = None,
    settings: RiskSettings | None = None,
    registered_by_then: bool = False,
    with_facts: bool = True,
    first: int | None = None,
    only: Collection[uuid.UUID] | None = None,
) -> list[CaseRow]:
    """Every household (or those ``only`` names) as a list row. ``with_facts=False`` leaves
    out what is read from the activity tables (last contact, risk); ``first`` keeps only the
    first rows by case number.
    Both together give a very large caseload's first screen at once, completed in the
    background."""
    today = today or date.today()
    settings = settings or RiskSettings()
    older_born_before = _years_before(today, settings.older_age)
    with db.read() as session:
        live: ColumnElement[bool] = Household.deleted_at.is_(None)
        member_live: ColumnElement[bool] = Member.deleted_at.is_(None)
        ids: Collection[uuid.UUID] | None = only
        if first is not None:  # through the case-number index, and only their members
            ids = session.scalars(
                select(Household.id).where(live).order_by(Household.case_number).limit(first)
            ).all()
        if ids is not None:
            live = and_(live, Household.id.in_(ids))
            member_live = and_(member_live, Member.household_id.in_(ids))
        head = head_subquery(member_live)
        people = (
            select(
                Member.household_id,
                func.count().label("n"),
                func.max(Member.birth_date).label("youngest"),
            )
            .where(member_live)
            .group_by(Member.household_id)
            .subquery()
        )
        # Core, not the ORM's execute, and every column as the driver gives it (the id as
        # text, the youngest birth date as ISO text): at 50,000 households the ORM's result
        # handling and a type per cell cost more than SQLite's own work.
        connection = session.connection()
        # raw ids, made UUIDs once per venue below (not once per assigned household)
        venues: dict[Any, Any] = dict(
            connection.execute(
                select(raw_id(Assignment.household_id), raw_id(Venue.id).label("venue"))
                .join(Venue, Venue.id == Assignment.venue_id)
                .where(
                    Assignment.status == "active",
                    Assignment.deleted_at.is_(None),
                    true() if ids is None else Assignment.household_id.in_(ids),
                )
            ).all()
        )
        venue_of: dict[Any, tuple[uuid.UUID, str]] = {
            raw: (venue_id, name)
            for raw, venue_id, name in connection.execute(
                select(raw_id(Venue.id).label("raw"), Venue.id, Venue.name)
            )
        }
        facts = (
            _activity_facts(session, today, settings, raw=True, households=only)
            if with_facts
            else NO_FACTS
        )
        # The rows are made as they come (not all fetched first): one caseload's row tuples
        # are never all alive beside its CaseRows, which the list keeps for the session.
        households = connection.execute(
            select(
                raw_id(Household.id).label("key"),
                Household.case_number,
                head.c.family_name,
                head.c.given_name,
                head.c.family_kana,
                head.c.given_kana,
                people.c.n,
                type_coerce(people.c.youngest, String),
                Household.origin_municipality_code,
                Household.evacuation_status,
                Household.status,
                Household.phone,
                Household.search_text,
            )
            .outerjoin(head, head.c.household_id == Household.id)
            .outerjoin(people, people.c.household_id == Household.id)
            .where(
                live,
                # for a past date (the risk history), only households registered by then
                Household.created_at < datetime.combine(today + timedelta(days=1), time(), UTC)
                if registered_by_then
                else true(),
            )
            .order_by(Household.case_number)
        )
        born_before = older_born_before.isoformat()
        rows: list[CaseRow] = []
        append = rows.append
        # a handful of statuses and municipality codes, each a new string object per row from
        # the driver: one object each instead, for rows the list keeps all session
        same: dict[str, str] = {}
        one = same.setdefault
        for (
            key,
            case_number,
            fam,
            giv,
            fam_k,
            giv_k,
            n,
            youngest,
            origin,
            evac,
            status,
            phone,
            search_text,
        ) in households:
            venue_id, venue_name = venue_of.get(venues.get(key), NO_VENUE)
            append(
                CaseRow(
                    id=uuid_of(key),
                    case_number=case_number,
                    head_name=f"{fam or ''} {giv or ''}".strip(),
                    head_kana=f"{fam_k or ''} {giv_k or ''}".strip(),
                    member_count=n or 0,
                    origin_municipality_code=one(origin, origin),
                    evacuation_status=one(evac, evac),
                    status=one(status, status),
                    phone=phone,
                    venue_id=venue_id,
                    venue_name=venue_name,
                    last_contact=facts.last_contact.get(key),
                    risk=facts.assess(
                        key,
                        today,
                        n == 1 and youngest is not None and _iso(youngest) <= born_before,
                        settings,
                    )
                    if status == "active" and with_facts
                    else NO_RISK,
                    search_text=search_text,
                )
            )
    return rows


@gate(Permission.CASEWORK)
def household_count(db: Database) -> int:
    with db.read() as session:
        return (
            session.scalar(
                select(func.count()).select_from(Household).where(Household.deleted_at.is_(None))
            )
            or 0
        )


def filter_rows(
    rows: list[CaseRow],
    text: str = "",
    *,
    status: str = "",
    origin: str = "",
    venue_id: uuid.UUID | None = None,
    at_risk: bool = False,
    not_seen_days: int | None = None,
    today: date | None = None,
) -> list[CaseRow]:
    """The rows matching the search box and the filters (all in memory: no database round trip).

    Only the filters in use are tested, so a search over tens of thousands of rows stays a few
    milliseconds; the rows keep their order.
    """
    key = search_key(text)
    cutoff = (today or date.today()) - timedelta(days=not_seen_days) if not_seen_days else None
    # The text test runs at C level (no Python frame per row): at 50,000 households a first
    # keystroke tests every row.
    out = (
        list(compress(rows, map(contains, map(_SEARCH_TEXT, rows), repeat(key))))
        if key
        else list(rows)
    )
    if status:
        out = [r for r in out if r.evacuation_status == status]
    if origin:
        out = [r for r in out if r.origin_municipality_code == origin]
    if venue_id is not None:
        out = [r for r in out if r.venue_id == venue_id]
    if at_risk:
        out = [r for r in out if r.risk.level > RiskLevel.NONE]
    if cutoff is not None:
        out = [r for r in out if r.last_contact is None or r.last_contact <= cutoff]
    return out
