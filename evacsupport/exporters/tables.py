"""Households, members and meals as spreadsheets (CSV or XLSX) with Japanese headers.

Codes are written as their Japanese labels, phone numbers and postal codes with hyphens, so the
file is readable as it opens in Excel.

Privacy: the household and member exports hold personal data for the organisation's own
support work, so they include only households whose current consent, on the day of the export, is
valid and covers the purpose 生活支援・見守り (``ConsentPurpose.SUPPORT``) and the data category
基本情報 (``DataCategory.BASIC``); no recipient is needed, since the file stays within the
organisation (:func:`export_consent_covers`). Households left out (consent missing, expired,
withdrawn or not covering that) are counted in :attr:`ExportResult.skipped_no_consent`. The
exports never include medical notes (要配慮個人情報) or free-text case notes. The meal export is
activity and includes every meal, guests' too, with no names; a household whose consent does not
cover the same use is not identified either: its meals are written with an empty case number (the
counts stay) and counted in :attr:`ExportResult.blanked_no_consent`.

Rows are streamed from the database (``yield_per``) into the file, so a caseload of tens of
thousands never sits in memory at once; the file appears under its name only when complete.
"""

from __future__ import annotations

import contextlib
import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from evacsupport.db.engine import Database
from evacsupport.db.models import Assignment, Consent, Household, MealLog, Member, Venue
from evacsupport.domain import municipalities
from evacsupport.domain.codes import (
    AssignmentStatus,
    CareLevel,
    ConsentPurpose,
    DataCategory,
    EvacuationStatus,
    HouseholdStatus,
    MealType,
    Relation,
    Sex,
    label,
)
from evacsupport.domain.normalize import format_phone, format_postal
from evacsupport.domain.roles import Permission
from evacsupport.errors import InvalidValue
from evacsupport.exporters.writers import Column, Sheet, Value, check_format, open_sheet
from evacsupport.services import audit
from evacsupport.services.authz import gate
from evacsupport.services.consents import ConsentTerms, allows

BATCH = 500  # rows fetched per round trip while streaming
ALLERGEN_SEPARATOR = "、"

HOUSEHOLD_COLUMNS = (
    Column("世帯番号", 13),
    Column("世帯主", 16),
    Column("フリガナ", 20),
    Column("人数", 6),
    Column("避難元市町", 11),
    Column("避難元住所", 34),
    Column("避難形態", 24),
    Column("現住所", 34),
    Column("郵便番号", 10),
    Column("電話番号", 15),
    Column("利用会場", 26),
    Column("状態", 10),
    Column("登録日", 12),
)
MEMBER_COLUMNS = (
    Column("世帯番号", 13),
    Column("姓", 10),
    Column("名", 10),
    Column("セイ", 12),
    Column("メイ", 12),
    Column("生年月日", 12),
    Column("性別", 7),
    Column("続柄", 10),
    Column("アレルギー", 24),
    Column("食事の配慮", 30),
    Column("要介護度", 10),
    Column("車椅子", 7),
)
MEAL_COLUMNS = (
    Column("日付", 12),
    Column("会場", 26),
    Column("世帯番号", 13),
    Column("種別", 11),
    Column("大人", 6),
    Column("子ども", 7),
)


@dataclass(frozen=True)
class ExportResult:
    rows: int  # data rows written (the header not counted)
    skipped_no_consent: int = 0  # households left out: no consent covering the export on the day
    blanked_no_consent: int = 0  # meals written without their household's case number (no consent)


def export_consent_covers(consent: ConsentTerms | None, day: date) -> bool:
    """Whether a personal-data export may include the household on ``day`` (see the module)."""
    return allows(consent, day, purpose=ConsentPurpose.SUPPORT, category=DataCategory.BASIC)


class _Counted:
    def __init__(self, sheet: Sheet) -> None:
        self.sheet = sheet
        self.rows = 0

    def write(self, row: Sequence[Value]) -> None:
        self.sheet.write(row)
        self.rows += 1


@contextlib.contextmanager
def _audited_sheet(
    db: Database,
    kind: str,
    target: Path,
    fmt: str,
    columns: Sequence[Column],
    title: str,
    **params: date | None,
) -> Iterator[Sheet]:
    """:func:`open_sheet`, and once the file is in place an ``export`` audit entry (kind, file,
    format, rows and the parameters)."""
    with open_sheet(target, fmt, columns, title) as sheet:
        counted = _Counted(sheet)
        yield counted
    given = {k: v.isoformat() for k, v in params.items() if v is not None}
    with db.session() as session:
        audit.record(
            session,
            "export",
            changes={
                "kind": kind,
                "file": target.name,
                "format": fmt,
                "rows": counted.rows,
                **given,
            },
        )


def _ja(enum: type[StrEnum], code: str) -> str:
    """The Japanese label of a stored code; an unknown code (old data) is written as it is."""
    try:
        return label(enum(code), "ja")
    except (ValueError, KeyError):
        return code


@dataclass(frozen=True)
class _Person:
    """A member as the exports need it: the columns they write, never the medical notes."""

    household_id: uuid.UUID
    family_name: str
    given_name: str
    family_kana: str
    given_kana: str
    birth_date: date | None
    sex: str
    relation: str
    allergens: list[str] | None
    dietary_needs: str
    care_level: str
    needs_wheelchair: bool


# Selected column by column so that medical notes are never even read for an export.
_PERSON_COLUMNS = (
    Member.household_id,
    Member.family_name,
    Member.given_name,
    Member.family_kana,
    Member.given_kana,
    Member.birth_date,
    Member.sex,
    Member.relation,
    Member.allergens,
    Member.dietary_needs,
    Member.care_level,
    Member.needs_wheelchair,
)


@dataclass
class _Batch:
    """Up to BATCH households with their members, current consents and venues."""

    households: Sequence[Any]  # rows of Household columns
    members: dict[uuid.UUID, list[_Person]]
    consents: dict[uuid.UUID, Consent]
    venues: dict[uuid.UUID, uuid.UUID]  # household → venue of its active assignment


def _batches(session: Session) -> Iterator[_Batch]:
    """Every household not deleted, by case number, streamed BATCH at a time; each batch's
    members, consents and assignments come in one query apiece (no query per household)."""
    query = (
        select(
            Household.id,
            Household.case_number,
            Household.origin_municipality_code,
            Household.origin_address,
            Household.evacuation_status,
            Household.current_address,
            Household.postal_code,
            Household.phone,
            Household.status,
            Household.created_at,
        )
        .where(Household.deleted_at.is_(None))
        .order_by(Household.case_number)
        .execution_options(yield_per=BATCH)
    )
    for households in session.execute(query).partitions():
        ids = [h.id for h in households]
        members: dict[uuid.UUID, list[_Person]] = defaultdict(list)
        for row in session.execute(
            select(*_PERSON_COLUMNS)
            .where(Member.household_id.in_(ids), Member.deleted_at.is_(None))
            .order_by(Member.household_id, Member.position)
        ):
            members[row.household_id].append(_Person(**row._asdict()))
        # The current consent is the newest record, as Household.current_consent has it.
        consents: dict[uuid.UUID, Consent] = {}
        for consent in session.scalars(
            select(Consent)
            .where(Consent.household_id.in_(ids), Consent.deleted_at.is_(None))
            .order_by(Consent.household_id, Consent.consented_on, Consent.created_at)
        ):
            consents[consent.household_id] = consent
        venues: dict[uuid.UUID, uuid.UUID] = {}
        for household_id, venue_id in session.execute(
            select(Assignment.household_id, Assignment.venue_id)
            .where(
                Assignment.household_id.in_(ids),
                Assignment.status == AssignmentStatus.ACTIVE,
                Assignment.deleted_at.is_(None),
            )
            .order_by(Assignment.start_on.desc())
        ):
            venues[household_id] = venue_id  # the earliest active one wins, as in the model
        yield _Batch(households, members, consents, venues)
        session.expunge_all()  # the consents are no longer needed


def _household_row(household: Any, people: list[_Person], venue: str) -> list[Value]:
    head = next((p for p in people if p.relation == Relation.HEAD), None)
    origin = municipalities.get(household.origin_municipality_code)
    return [
        household.case_number,
        f"{head.family_name} {head.given_name}".strip() if head else "",
        f"{head.family_kana} {head.given_kana}".strip() if head else "",
        len(people),
        origin.name if origin else household.origin_municipality_code,
        household.origin_address,
        _ja(EvacuationStatus, household.evacuation_status),
        household.current_address,
        format_postal(household.postal_code),
        format_phone(household.phone),
        venue,
        _ja(HouseholdStatus, household.status),
        household.created_at.astimezone().date(),
    ]


def _person_row(case_number: str, p: _Person) -> list[Value]:
    return [
        case_number,
        p.family_name,
        p.given_name,
        p.family_kana,
        p.given_kana,
        p.birth_date,
        _ja(Sex, p.sex),
        _ja(Relation, p.relation),
        ALLERGEN_SEPARATOR.join(p.allergens or []),
        p.dietary_needs,
        _ja(CareLevel, p.care_level),
        "あり" if p.needs_wheelchair else "なし",
    ]


@gate(Permission.PERSONAL_REPORTS)
def export_households(
    db: Database, fmt: str, target: Path, *, today: date | None = None
) -> ExportResult:
    """One row per household whose consent covers the export on ``today`` (default: the real
    today)."""
    check_format(fmt)
    day = today or date.today()
    rows = skipped = 0
    with (
        db.read() as session,
        _audited_sheet(
            db, "households", Path(target), fmt, HOUSEHOLD_COLUMNS, "世帯", today=today
        ) as sheet,
    ):
        names = {venue_id: name for venue_id, name in session.execute(select(Venue.id, Venue.name))}
        for batch in _batches(session):
            for household in batch.households:
                if not export_consent_covers(batch.consents.get(household.id), day):
                    skipped += 1
                    continue
                venue = batch.venues.get(household.id)
                sheet.write(
                    _household_row(
                        household,
                        batch.members[household.id],
                        names.get(venue, "") if venue else "",
                    )
                )
                rows += 1
    return ExportResult(rows, skipped)


@gate(Permission.PERSONAL_REPORTS)
def export_members(
    db: Database, fmt: str, target: Path, *, today: date | None = None
) -> ExportResult:
    """One row per current member of each household whose consent covers the export on ``today``.

    Never the medical notes: those are 要配慮個人情報 and are not even read here.
    """
    check_format(fmt)
    day = today or date.today()
    rows = skipped = 0
    with (
        db.read() as session,
        _audited_sheet(
            db, "members", Path(target), fmt, MEMBER_COLUMNS, "世帯員", today=today
        ) as sheet,
    ):
        for batch in _batches(session):
            for household in batch.households:
                if not export_consent_covers(batch.consents.get(household.id), day):
                    skipped += 1
                    continue
                for person in batch.members[household.id]:
                    sheet.write(_person_row(household.case_number, person))
                    rows += 1
    return ExportResult(rows, skipped)


@gate(Permission.PERSONAL_REPORTS)
def export_meals(
    db: Database,
    fmt: str,
    target: Path,
    *,
    start: date | None = None,
    end: date | None = None,
    today: date | None = None,
) -> ExportResult:
    """Every meal logged (undone entries excepted) from ``start`` to ``end`` inclusive (either
    may be open), by date; guests, and households whose consent does not cover the export on
    ``today``, have an empty case number."""
    check_format(fmt)
    day = today or date.today()
    if start is not None and end is not None and end < start:
        raise InvalidValue("date.order")
    query = (
        select(
            MealLog.served_on,
            Venue.name,
            Household.case_number,
            MealLog.household_id,
            MealLog.meal_type,
            MealLog.adults,
            MealLog.children,
        )
        .join(Venue, Venue.id == MealLog.venue_id)
        .outerjoin(Household, Household.id == MealLog.household_id)
        .where(MealLog.deleted_at.is_(None))
        .order_by(MealLog.served_on, Venue.name, MealLog.served_at, MealLog.created_at)
        .execution_options(yield_per=BATCH * 4)
    )
    if start is not None:
        query = query.where(MealLog.served_on >= start)
    if end is not None:
        query = query.where(MealLog.served_on <= end)
    rows = blanked = 0
    with (
        db.read() as session,
        _audited_sheet(
            db, "meals", Path(target), fmt, MEAL_COLUMNS, "食事記録", start=start, end=end
        ) as sheet,
    ):
        covered = _covered_households(session, day)
        for (
            served_on,
            venue,
            case_number,
            household_id,
            meal_type,
            adults,
            children,
        ) in session.execute(query):
            if household_id is not None and household_id not in covered:
                case_number = ""
                blanked += 1
            sheet.write(
                [served_on, venue, case_number or "", _ja(MealType, meal_type), adults, children]
            )
            rows += 1
    return ExportResult(rows, blanked_no_consent=blanked)


def _covered_households(session: Session, day: date) -> set[uuid.UUID]:
    """Households whose current consent covers a personal-data export on ``day``.

    Consent rows are few next to meals, so they are read once (columns only) and judged here.
    """
    current: dict[uuid.UUID, Any] = {}
    for row in session.execute(
        select(
            Consent.household_id,
            Consent.consented_on,
            Consent.expires_on,
            Consent.withdrawn_on,
            Consent.purposes,
            Consent.recipients,
            Consent.data_categories,
        )
        .where(Consent.deleted_at.is_(None))
        .order_by(Consent.household_id, Consent.consented_on, Consent.created_at)
        .execution_options(yield_per=BATCH * 4)
    ):
        current[row.household_id] = row  # the newest wins, as Household.current_consent has it
    return {hid for hid, row in current.items() if export_consent_covers(row, day)}
