"""Households and their members: validation, saving, search and duplicate-person warnings.

Every write goes through :func:`validate_household`, the one place the rules live, so the GUI,
the importers and the CLI refuse the same bad input with the same messages. Nothing is written
unless the whole form is valid, and each public call is one transaction.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import ColumnElement, Subquery, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, joinedload, selectinload
from sqlalchemy.orm.exc import StaleDataError

from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.failures import unique_violation
from evacsupport.db.models import Assignment, Household, Member, Residence
from evacsupport.domain import allergens, municipalities
from evacsupport.domain.codes import (
    CareLevel,
    EvacuationStatus,
    HouseholdStatus,
    Relation,
    Sex,
    parse_choice,
)
from evacsupport.domain.geo import parse_coordinates
from evacsupport.domain.limits import limit_length
from evacsupport.domain.normalize import (
    clean_multiline,
    clean_name,
    clean_text,
    normalize_phone,
    normalize_postal,
    search_key,
    to_katakana,
)
from evacsupport.domain.roles import Permission
from evacsupport.domain.wareki import check_birth_date, parse_date
from evacsupport.errors import (
    EvacError,
    FieldError,
    FieldErrors,
    InvalidValue,
    NotFound,
    ValidationError,
)
from evacsupport.i18n import current_language
from evacsupport.services import events
from evacsupport.services.authz import gate
from evacsupport.services.places import Location, locate

CASE_NUMBER = re.compile(r"^[A-Z][A-Z0-9]{0,6}-\d{6}$")
NAME_MAX = 100
ADDRESS_MAX = 300


@dataclass
class MemberInput:
    """A member as typed in a form or read from a file; ``id`` is set when editing one."""

    family_name: str = ""
    given_name: str = ""
    family_kana: str = ""
    given_kana: str = ""
    birth_date: str | date | None = None
    sex: str = Sex.UNKNOWN
    relation: str = Relation.OTHER
    allergens: Sequence[str] | str = ()
    dietary_needs: str = ""
    care_level: str = CareLevel.NONE
    needs_wheelchair: bool = False
    medical_notes: str = ""
    language: str = "ja"
    phone: str = ""
    id: uuid.UUID | None = None


@dataclass
class HouseholdInput:
    evacuation_status: str = EvacuationStatus.HOTEL
    members: list[MemberInput] = field(default_factory=list)
    case_number: str = ""
    event_code: str = ""
    origin_municipality_code: str = ""
    origin_address: str = ""
    current_municipality_code: str = ""
    current_address: str = ""
    postal_code: str = ""
    coordinates: str = ""
    latitude: float | str | None = None
    longitude: float | str | None = None
    phone: str = ""
    notes: str = ""
    source: str = ""
    source_ref: str = ""


@dataclass
class _Valid:
    """A household input after normalisation: only these values ever reach the database.
    ``location`` says where the point came from (typed, or found from the address)."""

    household: dict[str, object]
    members: list[dict[str, object]]
    member_ids: list[uuid.UUID | None]
    location: Location


@dataclass(frozen=True)
class DuplicateMatch:
    """An existing person with the same furigana and birth date as one being saved."""

    member_index: int
    household_id: uuid.UUID
    case_number: str
    name: str
    kana: str
    birth_date: date


@dataclass(frozen=True)
class HouseholdRow:
    """One line of the household list: everything the table shows, loaded in one query."""

    id: uuid.UUID
    case_number: str
    head_name: str
    head_kana: str
    member_count: int
    origin_municipality_code: str
    evacuation_status: str
    status: str
    phone: str

    @property
    def origin_municipality_name(self) -> str:
        found = municipalities.get(self.origin_municipality_code)
        return found.name if found else ""


def _coordinates(errors: FieldErrors, data: HouseholdInput) -> tuple[float | None, float | None]:
    if clean_text(data.coordinates):
        parsed = errors.check("coordinates", parse_coordinates, data.coordinates)
        return parsed if parsed else (None, None)
    lat, lon = data.latitude, data.longitude
    if lat in (None, "") and lon in (None, ""):
        return None, None
    if lat in (None, "") or lon in (None, ""):
        errors.add("coordinates", "coordinates.pair")
        return None, None
    parsed = errors.check("coordinates", parse_coordinates, f"{lat},{lon}")
    return parsed if parsed else (None, None)


def _validate_member(errors: FieldErrors, index: int, m: MemberInput) -> dict[str, object]:
    def path(name: str) -> str:
        return f"members.{index}.{name}"

    family = errors.check(path("family_name"), clean_name, m.family_name)
    if family == "":
        errors.add(path("family_name"), "value.required")
    given = errors.check(path("given_name"), clean_name, m.given_name)
    family_kana = errors.check(path("family_kana"), to_katakana, m.family_kana)
    if family_kana == "":
        errors.add(path("family_kana"), "value.required")
    given_kana = errors.check(path("given_kana"), to_katakana, m.given_kana)
    birth = errors.check(path("birth_date"), parse_date, m.birth_date, allow_empty=True)
    if birth is not None:
        errors.check(path("birth_date"), check_birth_date, birth)
    for name, value in (
        ("family_name", family),
        ("given_name", given),
        ("family_kana", family_kana),
        ("given_kana", given_kana),
    ):
        if value:
            errors.check(path(name), limit_length, value, NAME_MAX)
    return {
        "family_name": family or "",
        "given_name": given or "",
        "family_kana": family_kana or "",
        "given_kana": given_kana or "",
        "birth_date": birth,
        "sex": errors.check(path("sex"), parse_choice, Sex, m.sex or Sex.UNKNOWN),
        "relation": errors.check(
            path("relation"), parse_choice, Relation, m.relation or Relation.OTHER
        ),
        "allergens": errors.check(path("allergens"), allergens.normalize_allergens, m.allergens)
        or [],
        "dietary_needs": clean_text(m.dietary_needs),
        "care_level": errors.check(
            path("care_level"), parse_choice, CareLevel, m.care_level or CareLevel.NONE
        ),
        "needs_wheelchair": bool(m.needs_wheelchair),
        "medical_notes": clean_multiline(m.medical_notes),
        "language": clean_text(m.language) or "ja",
        "phone": errors.check(path("phone"), normalize_phone, m.phone) or "",
    }


def validate_household(data: HouseholdInput) -> _Valid:
    """Normalise every field and collect every problem; raises ValidationError listing them all."""
    errors = FieldErrors()
    case_number = clean_text(data.case_number).upper().replace(" ", "")
    if case_number and not CASE_NUMBER.match(case_number):
        errors.add("case_number", "household.case_number_format")
    status = errors.check(
        "evacuation_status", parse_choice, EvacuationStatus, data.evacuation_status
    )
    origin_code = errors.check(
        "origin_municipality_code", municipalities.validate_code, data.origin_municipality_code
    )
    origin_address = clean_text(data.origin_address)
    if not origin_code and origin_address and origin_code is not None:
        found = municipalities.from_address(origin_address)
        origin_code = found.code if found else ""
    current_code = errors.check(
        "current_municipality_code", municipalities.validate_code, data.current_municipality_code
    )
    current_address = clean_text(data.current_address)
    if not current_code and current_address and current_code is not None:
        found = municipalities.from_address(current_address)
        current_code = found.code if found else ""
    for name, value in (("origin_address", origin_address), ("current_address", current_address)):
        errors.check(name, limit_length, value, ADDRESS_MAX)
    lat, lon = _coordinates(errors, data)
    postal_code = errors.check("postal_code", normalize_postal, data.postal_code) or ""
    typed = (lat, lon) if lat is not None and lon is not None else None
    if typed is None and any(e.field == "coordinates" for e in errors.errors):
        location = Location(None, None, "")  # a mistyped point is an error, not a lookup
    else:
        location = locate(typed, current_address, postal_code)
    members = [_validate_member(errors, i, m) for i, m in enumerate(data.members)]
    if not members:
        errors.add("members", "household.no_members")
    elif sum(1 for m in members if m["relation"] == Relation.HEAD) != 1:
        errors.add("members", "household.head_count")
    household = {
        "case_number": case_number,
        "evacuation_status": status,
        "origin_municipality_code": origin_code or "",
        "origin_address": origin_address,
        "current_municipality_code": current_code or "",
        "current_address": current_address,
        "postal_code": postal_code,
        "latitude": location.latitude,
        "longitude": location.longitude,
        "location_precision": location.precision,
        "phone": errors.check("phone", normalize_phone, data.phone) or "",
        "notes": clean_multiline(data.notes),
        "source": clean_text(data.source),
        "source_ref": clean_text(data.source_ref),
    }
    errors.raise_if_any()
    return _Valid(household, members, [m.id for m in data.members], location)


def build_search_text(household: Household) -> str:
    """The normalised text search matches against: names, furigana, case number and phones."""
    parts = [search_key(household.case_number), household.phone]
    for m in household.current_members:
        parts += [
            search_key(m.family_name + m.given_name),
            search_key(m.family_kana + m.given_kana),
            m.phone,
        ]
    return "|".join(p for p in parts if p)


def case_numbers(session: Session, event_code: str) -> Iterator[str]:
    """The next free case numbers of a disaster event, in order: the one place numbers are
    given out (the editor, the importer, a merge's renumbering).

    Call it inside a write session: on SQLite that holds the write lock from its first
    statement (``BEGIN IMMEDIATE``), so no other save can take a number between this read and
    the insert. On PostgreSQL two servers' sessions can still race; the unique index stops the
    second and :func:`_case_number_taken` words it.
    """
    prefix = f"{event_code}-"
    last = session.scalar(
        select(func.max(Household.case_number)).where(Household.case_number.like(prefix + "%"))
    )
    seq = int(last.rsplit("-", 1)[1]) if last else 0
    while True:
        seq += 1
        yield f"{prefix}{seq:06d}"


def next_case_number(session: Session, event_code: str) -> str:
    return next(case_numbers(session, event_code))


def _apply_members(session: Session, household: Household, valid: _Valid) -> None:
    existing = {m.id: m for m in household.current_members}
    kept: set[uuid.UUID] = set()
    for position, (values, member_id) in enumerate(
        zip(valid.members, valid.member_ids, strict=True)
    ):
        member = existing.get(member_id) if member_id else None
        if member is None:
            member = Member(household=household)
            session.add(member)
        else:
            kept.add(member.id)
        member.position = position
        for key, value in values.items():
            if getattr(member, key, None) != value:
                setattr(member, key, value)
    for member_id, member in existing.items():
        if member_id not in kept:
            member.deleted_at = utcnow()


def start_residence(session: Session, household: Household, moved_on: date) -> Residence:
    """The first residence of a new household: where it is when registered."""
    residence = Residence(
        household=household,
        evacuation_status=household.evacuation_status,
        moved_on=moved_on,
        place=household.current_address,
        municipality_code=household.current_municipality_code,
    )
    session.add(residence)
    return residence


def load_household(session: Session, household_id: uuid.UUID) -> Household:
    household = session.scalar(
        select(Household)
        .where(Household.id == household_id, Household.deleted_at.is_(None))
        .options(
            joinedload(Household.event),
            selectinload(Household.members),
            selectinload(Household.consents),
            selectinload(Household.residences),
            selectinload(Household.assignments),
        )
    )
    if household is None:
        raise NotFound("household.not_found", value=str(household_id))
    return household


def create_in(session: Session, data: HouseholdInput, *, moved_on: date | None = None) -> Household:
    """Create within an open unit of work (the importers and demo data batch many of these)."""
    valid = validate_household(data)
    event = events.get_or_default(session, data.event_code)
    values = dict(valid.household)
    given = str(values.pop("case_number"))
    case_number = given or next_case_number(session, event.code)
    if session.scalar(select(Household.id).where(Household.case_number == case_number)):
        raise _case_number_taken(case_number, given=bool(given))
    with _taken_meanwhile(case_number, given=bool(given)):
        household = Household(event=event, case_number=case_number, **values)
        session.add(household)
        _apply_members(session, household, valid)
        start_residence(session, household, moved_on or event.occurred_on)
        household.search_text = build_search_text(household)
        session.flush()
    return household


def _case_number_taken(case_number: str, *, given: bool) -> EvacError:
    """A number the user typed is a field message; one we gave out was taken by another
    save between our reading the last number and writing ours (two laptops on one server,
    or two windows): saving again gives the next one."""
    if given:
        return ValidationError(
            [FieldError("case_number", "household.case_number_taken", {"value": case_number})]
        )
    return EvacError("household.case_number_race")


@contextmanager
def _taken_meanwhile(case_number: str, *, given: bool) -> Iterator[None]:
    """Around the writes (and flushes) of a household: a case number another save wrote
    meanwhile becomes our own message. The database's unique index is what settles the race;
    its error text holds the row's values (names, phones) and must not reach the screen."""
    try:
        yield
    except IntegrityError as exc:
        if unique_violation(exc) != "household.case_number":
            raise
        raise _case_number_taken(case_number, given=given) from exc


def update_in(
    session: Session,
    household_id: uuid.UUID,
    data: HouseholdInput,
    *,
    expected_version: int | None = None,
) -> Household:
    """Update within an open unit of work (the editor saves consent and moves in the same one)."""
    valid = validate_household(data)
    household = load_household(session, household_id)
    if expected_version is not None and household.version != expected_version:
        raise EvacError(
            "household.changed_by" if household.updated_by else "household.changed_elsewhere",
            at=household.updated_at.astimezone().strftime("%Y-%m-%d %H:%M"),
            who=household.updated_by,
        )
    values = dict(valid.household)
    case_number = values.pop("case_number") or household.case_number
    if case_number != household.case_number and session.scalar(
        select(Household.id).where(Household.case_number == case_number)
    ):
        raise _case_number_taken(str(case_number), given=True)
    with _taken_meanwhile(str(case_number), given=True):
        household.case_number = str(case_number)
        for key, value in values.items():
            if getattr(household, key) != value:
                setattr(household, key, value)
        _apply_members(session, household, valid)
        household.search_text = build_search_text(household)
        session.flush()
    return household


def head_subquery(members: ColumnElement[bool] | None = None) -> Subquery:
    """Each household's head (name and furigana), for list queries that join it; ``members``
    narrows the members read (by default, every live one)."""
    return (
        select(
            Member.household_id,
            Member.family_name,
            Member.given_name,
            Member.family_kana,
            Member.given_kana,
        )
        .where(
            Member.relation == Relation.HEAD,
            Member.deleted_at.is_(None) if members is None else members,
        )
        .subquery()
    )


class HouseholdService:
    """Household operations for the UI and the CLI; each call is its own transaction."""

    def __init__(self, db: Database) -> None:
        self.db = db

    @gate(Permission.CASEWORK)
    def create(self, data: HouseholdInput) -> Household:
        with self.db.session() as session:
            household = create_in(session, data)
        return self.get(household.id)

    @gate(Permission.CASEWORK)
    def update(
        self, household_id: uuid.UUID, data: HouseholdInput, *, expected_version: int | None = None
    ) -> Household:
        """Save an edited household; refused if someone saved it since ``expected_version``."""
        validate_household(data)
        try:
            with self.db.session() as session:
                update_in(session, household_id, data, expected_version=expected_version)
        except StaleDataError as exc:
            raise EvacError("household.changed_meanwhile") from exc
        return self.get(household_id)

    @gate(Permission.CASEWORK)
    def get(self, household_id: uuid.UUID) -> Household:
        with self.db.read() as session:
            return load_household(session, household_id)

    @gate(Permission.CASEWORK)
    def get_by_case_number(self, case_number: str) -> Household:
        key = clean_text(case_number).upper().replace(" ", "")
        with self.db.read() as session:
            household_id = session.scalar(
                select(Household.id).where(
                    Household.case_number == key, Household.deleted_at.is_(None)
                )
            )
            if household_id is None:
                raise NotFound("household.not_found", value=key)
            return load_household(session, household_id)

    @gate(Permission.CASEWORK)
    def soft_delete(self, household_id: uuid.UUID) -> None:
        with self.db.session() as session:
            household = load_household(session, household_id)
            household.deleted_at = utcnow()

    @gate(Permission.CASEWORK)
    def close(self, household_id: uuid.UUID, on: date | str) -> None:
        closed_on = parse_date(on)
        with self.db.session() as session:
            household = load_household(session, household_id)
            household.status = HouseholdStatus.CLOSED
            household.closed_on = closed_on
            # a closed case gives its venue place back
            active = household.active_assignment
            if active is not None and closed_on is not None:
                active.status = "ended"
                active.end_on = max(closed_on, active.start_on)
                active.end_reason = "支援終了" if current_language() == "ja" else "Case closed"

    @gate(Permission.CASEWORK)
    def count(self) -> int:
        with self.db.read() as session:
            return (
                session.scalar(
                    select(func.count())
                    .select_from(Household)
                    .where(Household.deleted_at.is_(None))
                )
                or 0
            )

    @gate(Permission.CASEWORK)
    def find_duplicates(
        self, data: HouseholdInput, *, exclude_household: uuid.UUID | None = None
    ) -> list[DuplicateMatch]:
        """People already registered with the same furigana and birth date (a warning, not an
        error: twins of the same name are rare, but two records of one person are common)."""
        wanted: list[tuple[int, str, str, date]] = []
        for i, m in enumerate(data.members):
            try:
                family, given = to_katakana(m.family_kana), to_katakana(m.given_kana)
                birth = parse_date(m.birth_date, allow_empty=True)
            except InvalidValue:
                continue
            if family and birth:
                wanted.append((i, family, given, birth))
        return find_duplicates_in(self.db, wanted, exclude_household)

    @gate(Permission.CASEWORK)
    def search(
        self,
        text: str = "",
        *,
        statuses: Iterable[str] = (),
        origin_codes: Iterable[str] = (),
        include_closed: bool = True,
        limit: int | None = None,
    ) -> list[HouseholdRow]:
        """Households whose names, furigana, case number or phone contain ``text``, with filters.

        Matching is insensitive to width, hiragana/katakana, spaces and hyphens because both
        sides go through :func:`search_key`.
        """
        return _household_rows(
            self.db,
            text,
            statuses=statuses,
            origin_codes=origin_codes,
            include_closed=include_closed,
            limit=limit,
        )


@gate(Permission.ROSTER, venue_scoped=True)
def card_rows(db: Database, household_ids: Sequence[uuid.UUID] | None) -> list[HouseholdRow]:
    """The households to print ID cards for, in the order given, each once (None: every active
    one). Venue staff print cards only for households assigned to their own venue: naming any
    other is refused, as at the counter."""
    rows = _household_rows(db, include_closed=household_ids is not None, venue_id=db.venue_scope)
    if household_ids is None:
        return rows
    by_id = {row.id: row for row in rows}
    chosen: list[HouseholdRow] = []
    for household_id in dict.fromkeys(household_ids):
        row = by_id.get(household_id)
        if row is None:
            if db.venue_scope is not None:
                raise EvacError("auth.other_venue")
            raise NotFound("household.not_found", value=str(household_id))
        chosen.append(row)
    return chosen


@gate(Permission.ROSTER, venue_scoped=True)
def card_ids(db: Database, case_numbers: Sequence[str]) -> list[uuid.UUID]:
    """The households of typed case numbers, for their ID cards (venue staff: only those
    assigned to their own venue; another venue's number is refused as at the counter)."""
    rows = _household_rows(db, venue_id=db.venue_scope)
    by_number = {row.case_number: row.id for row in rows}
    found = []
    for typed in case_numbers:
        key = clean_text(typed).upper().replace(" ", "")
        if key not in by_number:
            if db.venue_scope is not None:
                raise NotFound("meal.not_at_this_venue", value=key)
            raise NotFound("household.not_found", value=key)
        found.append(by_number[key])
    return found


def _household_rows(
    db: Database,
    text: str = "",
    *,
    statuses: Iterable[str] = (),
    origin_codes: Iterable[str] = (),
    include_closed: bool = True,
    limit: int | None = None,
    venue_id: uuid.UUID | None = None,
) -> list[HouseholdRow]:
    key = search_key(text)
    head = head_subquery()
    count = (
        select(Member.household_id, func.count().label("n"))
        .where(Member.deleted_at.is_(None))
        .group_by(Member.household_id)
        .subquery()
    )
    query = (
        select(
            Household.id,
            Household.case_number,
            head.c.family_name,
            head.c.given_name,
            head.c.family_kana,
            head.c.given_kana,
            count.c.n,
            Household.origin_municipality_code,
            Household.evacuation_status,
            Household.status,
            Household.phone,
        )
        .outerjoin(head, head.c.household_id == Household.id)
        .outerjoin(count, count.c.household_id == Household.id)
        .where(Household.deleted_at.is_(None))
        .order_by(Household.case_number)
    )
    if key:
        escaped = key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Household.search_text.like(f"%{escaped}%", escape="\\"))
    if statuses := list(statuses):
        query = query.where(Household.evacuation_status.in_(statuses))
    if origin_codes := list(origin_codes):
        query = query.where(Household.origin_municipality_code.in_(origin_codes))
    if not include_closed:
        query = query.where(Household.status == HouseholdStatus.ACTIVE)
    if venue_id is not None:
        at_venue = select(Assignment.household_id).where(
            Assignment.venue_id == venue_id,
            Assignment.status == "active",
            Assignment.deleted_at.is_(None),
        )
        query = query.where(Household.id.in_(at_venue))
    if limit:
        query = query.limit(limit)
    with db.read() as session:
        rows = session.execute(query).all()
    return [
        HouseholdRow(
            id=r[0],
            case_number=r[1],
            head_name=f"{r[2] or ''} {r[3] or ''}".strip(),
            head_kana=f"{r[4] or ''} {r[5] or ''}".strip(),
            member_count=r[6] or 0,
            origin_municipality_code=r[7],
            evacuation_status=r[8],
            status=r[9],
            phone=r[10],
        )
        for r in rows
    ]


@gate(Permission.CASEWORK)
def find_duplicates_in(
    db: Database,
    wanted: Sequence[tuple[int, str, str, date]],
    exclude_household: uuid.UUID | None = None,
) -> list[DuplicateMatch]:
    if not wanted:
        return []
    matches: list[DuplicateMatch] = []
    with db.read() as session:
        for index, family, given, birth in wanted:
            query = (
                select(Member, Household.case_number)
                .join(Household, Household.id == Member.household_id)
                .where(
                    Member.family_kana == family,
                    Member.given_kana == given,
                    Member.birth_date == birth,
                    Member.deleted_at.is_(None),
                    Household.deleted_at.is_(None),
                )
            )
            if exclude_household is not None:
                query = query.where(Member.household_id != exclude_household)
            for member, case_number in session.execute(query):
                matches.append(
                    DuplicateMatch(
                        index,
                        member.household_id,
                        case_number,
                        member.full_name,
                        member.full_kana,
                        birth,
                    )
                )
    return matches
