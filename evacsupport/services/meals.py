"""Meals at the counter: one scan of the household card (or the typed case number) logs a meal.

Built for a busy counter: the lookup and the save are one call, the same household twice on a
day is a warning the staff can confirm (not a silent duplicate), a venue's own rules refuse a
meal with the reason (staff may override with a note), and every entry can be undone.

Staff type what they read off a card: the full case number, or only its number (``150``,
``n24-150``, in full width too). A number that names one household (among the venue's own,
for venue staff) is that household; one that names several is never guessed: the staff are
asked which (:class:`AmbiguousCase` lists them), and venue staff only ever see their venue's.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.models import Assignment, Household, MealLog, Venue
from evacsupport.domain.codes import MealType, label, parse_choice
from evacsupport.domain.normalize import clean_text, parse_int
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import check_not_future, parse_date
from evacsupport.errors import EvacError, FieldErrors, NotFound
from evacsupport.i18n import current_language
from evacsupport.services.authz import gate, require_venue
from evacsupport.services.changes import Changes, Kind

CHILD_AGE = 18
MAX_PER_HOUSEHOLD = 30
MAX_GUESTS = 300


def _t(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


@dataclass(frozen=True)
class MealRules:
    """A venue's counter rules; stored as JSON on the venue, defaults when absent."""

    max_per_day: dict[str, int] = field(default_factory=dict)  # meal type → limit; none: no limit
    min_interval_minutes: int = 0
    exclusive: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_json(cls, data: dict[str, Any] | None) -> MealRules:
        data = data or {}
        defaults = cls()
        return cls(
            max_per_day={**defaults.max_per_day, **data.get("max_per_day", {})},
            min_interval_minutes=int(data.get("min_interval_minutes", 0)),
            exclusive=tuple(tuple(pair) for pair in data.get("exclusive", ())),  # type: ignore[misc]
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "max_per_day": dict(self.max_per_day),
            "min_interval_minutes": self.min_interval_minutes,
            "exclusive": [list(pair) for pair in self.exclusive],
        }


@dataclass(frozen=True)
class MemberCard:
    id: uuid.UUID
    name: str
    kana: str
    is_child: bool
    allergens: tuple[str, ...]


@dataclass(frozen=True)
class HouseholdCard:
    """What the counter shows after a scan: who it is and what the kitchen must know."""

    id: uuid.UUID
    case_number: str
    head_name: str
    head_kana: str
    members: tuple[MemberCard, ...]
    venue_id: uuid.UUID | None

    @property
    def allergens(self) -> list[str]:
        seen: list[str] = []
        for member in self.members:
            seen += [a for a in member.allergens if a not in seen]
        return seen

    def counts(self, member_ids: Sequence[uuid.UUID] | None = None) -> tuple[int, int]:
        chosen = [m for m in self.members if member_ids is None or m.id in member_ids]
        children = sum(1 for m in chosen if m.is_child)
        return len(chosen) - children, children


@dataclass(frozen=True)
class LoggedMeal:
    id: uuid.UUID
    household: HouseholdCard | None
    served_on: date
    served_at: datetime | None
    meal_type: str
    adults: int
    children: int
    override_note: str = ""
    venue_id: uuid.UUID | None = None

    @property
    def changes(self) -> Changes:
        """What logging, changing or undoing it changed: this household's activity here."""
        return Changes.of(
            Kind.ACTIVITY,
            households=[self.household.id if self.household else None],
            venues=[self.venue_id],
        )

    @property
    def label(self) -> str:
        who = (
            f"{self.household.case_number} {self.household.head_name}"
            if self.household
            else _t("登録外のお客さん", "Unregistered guests")
        )
        return f"{who}（{label(MealType(self.meal_type))}）"


@dataclass(frozen=True)
class CaseCandidate:
    """One household a short number may mean, as the staff are asked to choose."""

    case_number: str
    head_name: str
    head_kana: str


class AmbiguousCase(EvacError):
    """A short number matches more than one household: the staff choose from ``candidates``."""

    def __init__(self, typed: str, candidates: list[CaseCandidate]) -> None:
        super().__init__("meal.ambiguous_case", value=typed, count=len(candidates))
        self.candidates = candidates


# A case number without its zeros and perhaps its prefix: 150, N24-150, N24-000150.
CASE_TAIL = re.compile(r"^(?:([A-Z][A-Z0-9]{0,6})-)?(\d{1,6})$")
# Dashes people type for the hyphen (NFKC leaves these, the long vowel mark above all).
DASHES = str.maketrans(dict.fromkeys("‐‑‒–—―ーｰ−", "-"))


def case_key(code: str) -> str:
    """The typed or scanned code as case numbers are stored: NFKC, upper case, no spaces,
    any dash a hyphen."""
    return clean_text(code).translate(DASHES).upper().replace(" ", "")


class MealWarning(EvacError):
    """The same household was already served here today: confirm to log it again."""


class MealRefused(EvacError):
    """A venue rule forbids this meal; ``reasons`` say which, an override note lets it through."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__("meal.refused", reasons="、".join(reasons))
        self.reasons = reasons


@dataclass
class MealEntry:
    venue_id: uuid.UUID
    code: str  # the case number as typed or scanned
    served_on: date | str | None = None
    meal_type: str = MealType.EAT_IN
    member_ids: Sequence[uuid.UUID] | None = None  # None: the whole household
    staff: str = ""
    note: str = ""


def _adult_born_on_or_before(today: date) -> date:
    """Whoever was born on or before this day is 18 on ``today`` (29 February: the 28th)."""
    try:
        return today.replace(year=today.year - CHILD_AGE)
    except ValueError:
        return today.replace(year=today.year - CHILD_AGE, day=28)


def card_of(household: Household, today: date) -> HouseholdCard:
    adult_born_before = _adult_born_on_or_before(today)
    members = tuple(
        MemberCard(
            id=m.id,
            name=m.full_name,
            kana=m.full_kana,
            is_child=m.birth_date is not None and m.birth_date > adult_born_before,
            allergens=tuple(m.allergens),
        )
        for m in household.current_members
    )
    head = household.head
    active = household.active_assignment
    return HouseholdCard(
        household.id,
        household.case_number,
        head.full_name if head else "",
        head.full_kana if head else "",
        members,
        active.venue_id if active else None,
    )


def _check_rules(
    rules: MealRules,
    earlier: Sequence[MealLog],
    meal_type: str,
    served_members: set[str],
    at: datetime,
) -> list[str]:
    """Which rules this meal would break, given the household's earlier meals that day here."""
    reasons = []
    for member in served_members or {"*"}:
        same_person = [
            m for m in earlier if not m.member_ids or member == "*" or member in m.member_ids
        ]
        count = sum(1 for m in same_person if m.meal_type == meal_type)
        limit = rules.max_per_day.get(meal_type)
        if limit is not None and count >= limit:
            reasons.append(
                _t(
                    f"{label(MealType(meal_type))}は1人1日{limit}回まで（すでに{count}回）",
                    f"{label(MealType(meal_type))}: at most {limit} a day per person "
                    f"({count} already)",
                )
            )
            break
    for a, b in rules.exclusive:
        other = b if meal_type == a else a if meal_type == b else None
        if other and any(m.meal_type == other for m in earlier):
            reasons.append(
                _t(
                    f"{label(MealType(other))}と{label(MealType(meal_type))}は同じ日に重ねられません",
                    f"{label(MealType(other))} and {label(MealType(meal_type))} exclude each other",
                )
            )
    if rules.min_interval_minutes and earlier:
        last = max((m.served_at for m in earlier if m.served_at), default=None)
        if last is not None and at - last < timedelta(minutes=rules.min_interval_minutes):
            reasons.append(
                _t(
                    f"前回から{rules.min_interval_minutes}分たっていません",
                    f"Less than {rules.min_interval_minutes} minutes since the last meal",
                )
            )
    return reasons


class MealService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- lookups ---------------------------------------------------------------------------
    @gate(Permission.COUNTER)
    def lookup(self, code: str, today: date | None = None) -> HouseholdCard:
        """The household for a typed or scanned case number (any width, any case)."""
        with self.db.read() as session:
            return self._card(session, code, today or date.today())

    @gate(Permission.COUNTER)
    def rules(self, venue_id: uuid.UUID) -> MealRules:
        require_venue(self.db, venue_id)
        with self.db.read() as session:
            venue = session.get(Venue, venue_id)
            if venue is None:
                raise NotFound("venue.not_found", value=str(venue_id))
            return MealRules.from_json(venue.meal_rules)

    @gate(Permission.COUNTER)
    def set_rules(self, venue_id: uuid.UUID, rules: MealRules) -> None:
        """Validate and store; types given as labels are stored as codes, limits as ints."""
        require_venue(self.db, venue_id)
        errors = FieldErrors()
        max_per_day: dict[str, int] = {}
        for meal_type, limit in rules.max_per_day.items():
            code = errors.check(f"max_per_day.{meal_type}", parse_choice, MealType, meal_type)
            number = errors.check(
                f"max_per_day.{meal_type}", parse_int, limit, minimum=0, maximum=10
            )
            if code is not None and number is not None:
                max_per_day[str(code)] = number
        exclusive: list[tuple[str, str]] = []
        for i, pair in enumerate(rules.exclusive):
            codes = [errors.check(f"exclusive.{i}", parse_choice, MealType, t) for t in pair]
            if len(codes) != 2:
                errors.add(f"exclusive.{i}", "value.choice", value="・".join(map(str, pair)))
            elif None not in codes:
                exclusive.append((str(codes[0]), str(codes[1])))
        interval = errors.check(
            "min_interval_minutes", parse_int, rules.min_interval_minutes, minimum=0, maximum=1440
        )
        errors.raise_if_any()
        clean = MealRules(max_per_day, interval, tuple(exclusive))
        with self.db.session() as session:
            venue = session.get(Venue, venue_id)
            if venue is None:
                raise NotFound("venue.not_found", value=str(venue_id))
            venue.meal_rules = clean.to_json()

    # --- logging -----------------------------------------------------------------------------
    def _served_on(self, errors: FieldErrors, value: date | str | None, today: date) -> date:
        served_on = errors.check("served_on", parse_date, value or today)
        if served_on is not None:
            errors.check("served_on", check_not_future, served_on, today)
        return served_on or today

    @gate(Permission.COUNTER)
    def log(
        self,
        entry: MealEntry,
        *,
        confirm_duplicate: bool = False,
        override_note: str = "",
        now: datetime | None = None,
    ) -> LoggedMeal:
        """Log one meal; raises MealWarning (already served today) or MealRefused (a rule)."""
        require_venue(self.db, entry.venue_id)
        now = now or datetime.now(UTC)
        today = now.astimezone().date()
        errors = FieldErrors()
        served_on = self._served_on(errors, entry.served_on, today)
        meal_type = errors.check("meal_type", parse_choice, MealType, entry.meal_type)
        errors.raise_if_any()
        override_note = clean_text(override_note)
        with self.db.session() as session:
            venue = self._venue(session, entry.venue_id)
            card = self._card(session, entry.code, served_on)  # ages on the day served
            member_ids = (
                [m.id for m in card.members if m.id in set(entry.member_ids)]
                if entry.member_ids is not None
                else None
            )
            if member_ids == []:
                raise EvacError("meal.nobody")
            adults, children = card.counts(member_ids)
            earlier = session.scalars(
                select(MealLog).where(
                    MealLog.household_id == card.id,
                    MealLog.venue_id == venue.id,
                    MealLog.served_on == served_on,
                    MealLog.deleted_at.is_(None),
                )
            ).all()
            at = now if served_on == today else datetime.combine(served_on, now.timetz())
            # Rules count per person: a whole-household meal is a meal for every member.
            served = {str(i) for i in (member_ids or [m.id for m in card.members])}
            broken = _check_rules(
                MealRules.from_json(venue.meal_rules), earlier, str(meal_type), served, at
            )
            if broken and not override_note:
                raise MealRefused(broken)
            if earlier and not confirm_duplicate and not broken:
                first = min(earlier, key=lambda m: m.served_at or now)
                raise MealWarning(
                    "meal.duplicate",
                    name=card.head_name,
                    at=first.served_at.astimezone().strftime("%H:%M") if first.served_at else "",
                    type=label(MealType(first.meal_type)),
                )
            meal = MealLog(
                venue_id=venue.id,
                household_id=card.id,
                served_on=served_on,
                served_at=at if served_on == today else None,
                meal_type=str(meal_type),
                adults=adults,
                children=children,
                member_ids=[str(i) for i in member_ids] if member_ids is not None else [],
                staff=clean_text(entry.staff),
                note=clean_text(entry.note),
                override_note=override_note if broken else "",
            )
            session.add(meal)
            session.flush()
            return LoggedMeal(
                meal.id,
                card,
                served_on,
                meal.served_at,
                meal.meal_type,
                adults,
                children,
                meal.override_note,
                meal.venue_id,
            )

    @gate(Permission.COUNTER)
    def log_guests(
        self,
        venue_id: uuid.UUID,
        *,
        adults: int | str = 0,
        children: int | str = 0,
        served_on: date | str | None = None,
        meal_type: str = MealType.EAT_IN,
        staff: str = "",
        now: datetime | None = None,
    ) -> LoggedMeal:
        """People who are not registered (neighbours, walk-ins) as anonymous counts."""
        require_venue(self.db, venue_id)
        now = now or datetime.now(UTC)
        today = now.astimezone().date()
        errors = FieldErrors()
        day = self._served_on(errors, served_on, today)
        kind = errors.check("meal_type", parse_choice, MealType, meal_type)
        n_adults = errors.check("adults", parse_int, adults or 0, minimum=0, maximum=MAX_GUESTS)
        n_children = errors.check(
            "children", parse_int, children or 0, minimum=0, maximum=MAX_GUESTS
        )
        if n_adults == 0 and n_children == 0:
            errors.add("adults", "meal.no_guests")
        errors.raise_if_any()
        with self.db.session() as session:
            venue = self._venue(session, venue_id)
            meal = MealLog(
                venue_id=venue.id,
                served_on=day,
                served_at=now if day == today else None,
                meal_type=str(kind),
                adults=n_adults,
                children=n_children,
                staff=clean_text(staff),
            )
            session.add(meal)
            session.flush()
            return LoggedMeal(
                meal.id,
                None,
                day,
                meal.served_at,
                meal.meal_type,
                meal.adults,
                meal.children,
                venue_id=meal.venue_id,
            )

    @gate(Permission.COUNTER)
    def set_members(self, meal_id: uuid.UUID, member_ids: Sequence[uuid.UUID]) -> LoggedMeal:
        """Staff unticked someone who did not come: the entry now counts only who ate."""
        with self.db.session() as session:
            meal = session.get(MealLog, meal_id)
            if meal is None or meal.deleted_at is not None or meal.household_id is None:
                raise NotFound("meal.not_found")
            require_venue(self.db, meal.venue_id)
            household = session.scalar(
                select(Household)
                .where(Household.id == meal.household_id)
                .options(selectinload(Household.members), selectinload(Household.assignments))
            )
            assert household is not None
            card = card_of(household, meal.served_on)
            chosen = [m.id for m in card.members if m.id in set(member_ids)]
            if not chosen:
                raise EvacError("meal.nobody")
            whole = len(chosen) == len(card.members)
            meal.member_ids = [] if whole else [str(i) for i in chosen]
            meal.adults, meal.children = card.counts(None if whole else chosen)
            return LoggedMeal(
                meal.id,
                card,
                meal.served_on,
                meal.served_at,
                meal.meal_type,
                meal.adults,
                meal.children,
                meal.override_note,
                meal.venue_id,
            )

    @gate(Permission.COUNTER)
    def undo(self, meal_id: uuid.UUID) -> Changes:
        """Take back an entry made by mistake; it stays stored, marked deleted."""
        with self.db.session() as session:
            meal = session.get(MealLog, meal_id)
            if meal is None or meal.deleted_at is not None:
                raise NotFound("meal.not_found")
            require_venue(self.db, meal.venue_id)
            meal.deleted_at = utcnow()
            return Changes.of(Kind.ACTIVITY, households=[meal.household_id], venues=[meal.venue_id])

    # --- the session's view ------------------------------------------------------------------
    @gate(Permission.COUNTER)
    def session_log(self, venue_id: uuid.UUID, served_on: date) -> list[LoggedMeal]:
        """Everything logged at this venue on this day, newest first."""
        require_venue(self.db, venue_id)
        with self.db.read() as session:
            meals = session.scalars(
                select(MealLog)
                .where(
                    MealLog.venue_id == venue_id,
                    MealLog.served_on == served_on,
                    MealLog.deleted_at.is_(None),
                )
                .order_by(MealLog.created_at.desc())
            ).all()
            ids = {m.household_id for m in meals if m.household_id}
            households = (
                {
                    h.id: card_of(h, served_on)
                    for h in session.scalars(
                        select(Household)
                        .where(Household.id.in_(ids))
                        .options(
                            selectinload(Household.members), selectinload(Household.assignments)
                        )
                    )
                }
                if ids
                else {}
            )
            return [
                LoggedMeal(
                    m.id,
                    households.get(m.household_id) if m.household_id else None,
                    m.served_on,
                    m.served_at,
                    m.meal_type,
                    m.adults,
                    m.children,
                    m.override_note,
                    m.venue_id,
                )
                for m in meals
            ]

    @gate(Permission.ROSTER)
    def roster(self, venue_id: uuid.UUID, served_on: date) -> list[tuple[HouseholdCard, bool]]:
        """Households assigned to the venue on that day, and whether each has been served."""
        require_venue(self.db, venue_id)
        with self.db.read() as session:
            households = (
                session.scalars(
                    select(Household)
                    .join(Assignment, Assignment.household_id == Household.id)
                    .where(
                        Assignment.venue_id == venue_id,
                        Assignment.deleted_at.is_(None),
                        Assignment.start_on <= served_on,
                        (Assignment.end_on.is_(None)) | (Assignment.end_on > served_on),
                        Household.deleted_at.is_(None),
                    )
                    .options(selectinload(Household.members), selectinload(Household.assignments))
                    .order_by(Household.case_number)
                )
                .unique()
                .all()
            )
            served = set(
                session.scalars(
                    select(MealLog.household_id).where(
                        MealLog.venue_id == venue_id,
                        MealLog.served_on == served_on,
                        MealLog.deleted_at.is_(None),
                    )
                )
            )
            return [(card_of(h, served_on), h.id in served) for h in households]

    # --- helpers -----------------------------------------------------------------------------
    @staticmethod
    def _venue(session: Session, venue_id: uuid.UUID) -> Venue:
        venue = session.get(Venue, venue_id)
        if venue is None or venue.deleted_at is not None:
            raise NotFound("venue.not_found", value=str(venue_id))
        return venue

    def _card(self, session: Session, code: str, today: date) -> HouseholdCard:
        """The card of a case number; venue staff get only households assigned to their venue.

        For anyone else's household they learn that it is not theirs, never its names or
        allergens: case numbers are sequential, so a curious person could try them all."""
        key = case_key(code)
        household = session.scalar(
            select(Household)
            .where(Household.case_number == key, Household.deleted_at.is_(None))
            .options(selectinload(Household.members), selectinload(Household.assignments))
        )
        if household is None:
            household = self._by_number(session, key)
        if household is None:
            raise NotFound("meal.unknown_case", value=key or code)
        if not self._in_scope(household):
            raise NotFound("meal.not_at_this_venue", value=key)
        return card_of(household, today)

    def _in_scope(self, household: Household) -> bool:
        """Venue staff see only the households assigned to their venue."""
        if self.db.venue_scope is None:
            return True
        active = household.active_assignment
        return active is not None and active.venue_id == self.db.venue_scope

    def _by_number(self, session: Session, key: str) -> Household | None:
        """The household a case number's number names (``150`` → ``N24-000150``), if only one
        does among those this user may see; raises AmbiguousCase when several do, listing
        only those. None when the key is no such number or nothing matches at all."""
        match = CASE_TAIL.match(key)
        if match is None:
            return None
        prefix, digits = match.groups()
        number = f"{int(digits):06d}"
        wanted = (
            Household.case_number == f"{prefix}-{number}"
            if prefix
            else Household.case_number.like(f"%-{number}")
        )
        found = session.scalars(
            select(Household)
            .where(wanted, Household.deleted_at.is_(None))
            .options(selectinload(Household.members), selectinload(Household.assignments))
            .order_by(Household.case_number)
        ).all()
        if not found:
            return None
        mine = [h for h in found if self._in_scope(h)]
        if not mine:
            raise NotFound("meal.not_at_this_venue", value=key)
        if len(mine) > 1:
            raise AmbiguousCase(
                key,
                [
                    CaseCandidate(
                        h.case_number,
                        h.head.full_name if h.head else "",
                        h.head.full_kana if h.head else "",
                    )
                    for h in mine
                ],
            )
        return mine[0]
