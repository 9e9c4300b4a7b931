"""Import a municipal or partner household list: one row per person, rows grouped by 世帯番号.

Choice columns (避難形態, 性別, 続柄, 要介護度, 車椅子, アレルギー) take the vocabulary's
everyday words and the user's mapping (:mod:`evacsupport.importers.choices`). The 配慮事項 cell
is read word by word (:mod:`evacsupport.domain.needs`): care level, wheelchair and allergens go
to the person's fields, food words to 食事の配慮, and the rest to the household's 備考 under the
person's name. A dedicated column (要介護度, 車椅子, 食事の配慮) is read as it is and wins
over words in 配慮事項 for its field.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import false, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from evacsupport.db.engine import Database
from evacsupport.db.failures import unique_violation
from evacsupport.db.models import Consent, Household, Member, Residence
from evacsupport.domain.allergens import normalize_allergens
from evacsupport.domain.codes import (
    CareLevel,
    ConsentMethod,
    ConsentPurpose,
    ConsentRecipient,
    EvacuationStatus,
    Relation,
    Sex,
    YesNo,
    label,
    parse_choice,
)
from evacsupport.domain.needs import NeedsReading, read_needs
from evacsupport.domain.normalize import clean_text
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, FieldError, InvalidValue, ValidationError
from evacsupport.i18n import message
from evacsupport.importers import choices
from evacsupport.importers._common import (
    Cancelled,
    ImportResult,
    Progress,
    Rollback,
    Row,
    RowError,
    Table,
    Ticker,
    location_notices,
    read_table,
    split_list,
    split_name,
    write_rejected,
)
from evacsupport.services import audit, events
from evacsupport.services.authz import gate
from evacsupport.services.consents import ConsentInput, add_consent, validate_consent
from evacsupport.services.households import (
    CASE_NUMBER,
    HouseholdInput,
    MemberInput,
    _Valid,
    build_search_text,
    case_numbers,
    validate_household,
)
from evacsupport.services.places import MANUAL, Location
from evacsupport.sync import capture
from evacsupport.sync.codec import ENTITY_OF

ALIASES: dict[str, Sequence[str]] = {
    "case_number": ("世帯番号", "case_number"),
    "name": ("氏名", "name"),
    "family_name": ("姓", "family_name"),
    "given_name": ("名", "given_name"),
    "furigana": ("フリガナ", "ふりがな", "furigana"),
    "family_kana": ("セイ", "family_kana"),
    "given_kana": ("メイ", "given_kana"),
    "birth_date": ("生年月日", "birth_date"),
    "sex": ("性別", "sex"),
    "relation": ("続柄", "relation"),
    "phone": ("電話番号", "phone"),
    "origin_address": ("避難元住所", "origin_address"),
    "current_address": ("現住所", "current_address"),
    "postal_code": ("郵便番号", "postal_code"),
    "evacuation_status": ("避難形態", "evacuation_status"),
    "allergens": ("アレルギー", "allergens"),
    # Free text read word by word (domain/needs.py).
    "needs": ("配慮事項", "needs"),
    # The member export's headings, so an exported list reads back in as it was.
    "dietary_needs": ("食事の配慮", "dietary_needs"),
    "care_level": ("要介護度", "介護度", "care_level"),
    "wheelchair": ("車椅子", "車いす", "needs_wheelchair", "wheelchair"),
    "consent_date": ("同意日", "consent_date"),
}
# The width of Household.source and .source_ref, which keep the file's name and 世帯番号.
SOURCE_MAX = 100
REQUIRED = (("case_number",), ("name", "family_name"), ("furigana", "family_kana"))
TEMPLATE = [
    "世帯番号",
    "氏名",
    "フリガナ",
    "生年月日",
    "性別",
    "続柄",
    "電話番号",
    "避難元住所",
    "現住所",
    "郵便番号",
    "避難形態",
    "アレルギー",
    "配慮事項",
    "同意日",
]
# Columns whose values are choices (everyday words in resources/data/vocabulary.json).
CHOICES = [
    choices.ChoiceColumn.of("evacuation_status", EvacuationStatus),
    choices.ChoiceColumn.of("sex", Sex),
    choices.ChoiceColumn.of("relation", Relation),
    choices.ChoiceColumn.of("care_level", CareLevel),
    choices.ChoiceColumn.of("wheelchair", YesNo),
    choices.ChoiceColumn.allergen_list("allergens"),
]
# What the 配慮事項 column may fill, in the order the import's notices name them.
_NEEDS_FIELDS = ("care_level", "needs_wheelchair", "allergens", "dietary_needs", "notes")
# Household fields and the file column they come from (compared only when that column exists).
_HOUSEHOLD_FIELDS = {
    "evacuation_status": "evacuation_status",
    "origin_municipality_code": "origin_address",
    "origin_address": "origin_address",
    "current_municipality_code": "current_address",
    "current_address": "current_address",
    "postal_code": "postal_code",
    "phone": "phone",
    "case_number": "case_number",
    "members": "relation",
}
_MEMBER_FIELDS = {
    "family_name": ("name", "family_name"),
    "given_name": ("name", "given_name"),
    "family_kana": ("furigana", "family_kana"),
    "given_kana": ("furigana", "given_kana"),
    "birth_date": ("birth_date",),
    "sex": ("sex",),
    "relation": ("relation",),
    "allergens": ("allergens",),
    "dietary_needs": ("needs", "dietary_needs"),
    "care_level": ("care_level",),
    "needs_wheelchair": ("wheelchair",),
}


@dataclass
class _Group:
    ref: str
    rows: list[Row]
    valid: _Valid | None = None
    consent: dict[str, Any] | None = None
    source_rows: dict[str, Row] | None = None  # household field → row that gave it
    consent_row: Row | None = None
    readings: list[NeedsReading] | None = None  # each row's 配慮事項, read


def _first(rows: list[Row], key: str) -> tuple[str, Row]:
    for row in rows:
        if row.values.get(key):
            return row.values[key], row
    return "", rows[0]


def _member(row: Row, relation: str, needs: NeedsReading) -> MemberInput:
    """A person from a row; the 配慮事項 fills a field only where no column of its own did."""
    v = row.values
    family, given = (
        split_name(v["name"])
        if v.get("name")
        else (v.get("family_name", ""), v.get("given_name", ""))
    )
    fkana, gkana = (
        split_name(v["furigana"])
        if v.get("furigana")
        else (v.get("family_kana", ""), v.get("given_kana", ""))
    )
    wheelchair = v.get("wheelchair", "")
    return MemberInput(
        family_name=family,
        given_name=given,
        family_kana=fkana,
        given_kana=gkana,
        birth_date=v.get("birth_date") or None,
        sex=v.get("sex", ""),
        relation=relation,
        allergens=[*split_list(v.get("allergens", "")), *needs.allergens],
        dietary_needs="、".join(t for t in (v.get("dietary_needs", ""), needs.dietary_text) if t),
        care_level=v.get("care_level") or (needs.care_level or CareLevel.NONE),
        needs_wheelchair=_yes(wheelchair) if clean_text(wheelchair) else needs.wheelchair,
    )


def _yes(text: str) -> bool:
    """A 車椅子 cell; one that is neither yes nor no is refused by :func:`_wheelchair_errors`."""
    try:
        return parse_choice(YesNo, text) is YesNo.YES
    except InvalidValue:
        return False


def _wheelchair_errors(table: Table, rows: list[Row]) -> list[RowError]:
    """MemberInput.needs_wheelchair is a bool, so the household rules cannot refuse a cell
    that is neither yes nor no: it is refused here, naming the row and the column."""
    errors = []
    for row in rows:
        text = row.values.get("wheelchair", "")
        if not clean_text(text):
            continue
        try:
            parse_choice(YesNo, text)
        except InvalidValue as exc:
            errors.append(RowError(row.number, table.columns["wheelchair"], exc.message()))
    return errors


def _notes(members: list[MemberInput], readings: list[NeedsReading]) -> str:
    """The 配慮事項 words that are no field's, one line per person: 「能登 太郎：独居・高齢」.

    The household's 備考 rather than a member field: 独居 and 高齢 describe the household's
    situation, which is what a coordinator reads first on opening it; the member's medical
    notes are for 要配慮個人情報 recorded with consent, and 食事の配慮 goes to venue laptops.
    """
    lines = []
    for member, reading in zip(members, readings, strict=True):
        if reading.notes:
            name = f"{member.family_name} {member.given_name}".strip()
            lines.append(f"{name}：{reading.notes_text}" if name else reading.notes_text)
    return "\n".join(lines)


def _relations(rows: list[Row]) -> list[str]:
    """The file's 続柄; the first person heads the household unless another row says 世帯主."""
    given = [r.values.get("relation", "") for r in rows]
    heads = []
    for i, text in enumerate(given):
        try:
            if text and parse_choice(Relation, text) == Relation.HEAD:
                heads.append(i)
        except InvalidValue:
            pass
    out = [t or Relation.OTHER for t in given]
    if not heads:
        out[0] = Relation.HEAD
    return out


def _column(table: Table, keys: Sequence[str]) -> str:
    for key in keys:
        if key in table.columns:
            return table.columns[key]
    return message("field." + keys[-1]) if keys else ""


def _validate_group(table: Table, group: _Group, source: str) -> list[RowError]:
    rows = group.rows
    sources: dict[str, Row] = {}

    def take(key: str) -> str:
        value, row = _first(rows, key)
        sources[key] = row
        return value

    status = take("evacuation_status")
    group.readings = [read_needs(r.values.get("needs", "")) for r in rows]
    members = [
        _member(r, rel, needs)
        for r, rel, needs in zip(rows, _relations(rows), group.readings, strict=True)
    ]
    data = HouseholdInput(
        evacuation_status=status or EvacuationStatus.HOTEL,
        members=members,
        notes=_notes(members, group.readings),
        origin_address=take("origin_address"),
        current_address=take("current_address"),
        postal_code=take("postal_code"),
        phone=take("phone"),
        source=source,
        source_ref=group.ref,
    )
    errors: list[RowError] = _wheelchair_errors(table, rows)
    try:
        group.valid = validate_household(data)
    except ValidationError as exc:
        errors += [_row_error(table, group, e, sources) for e in exc.errors]
    consent_date, consent_row = _first(rows, "consent_date")
    if consent_date:
        try:
            group.consent = validate_consent(
                ConsentInput(
                    consented_on=consent_date,
                    method=ConsentMethod.WRITTEN,
                    purposes=[ConsentPurpose.SUPPORT, ConsentPurpose.VENUE_CONNECTION],
                    recipients=[ConsentRecipient.ASSIGNED_VENUE],
                )
            )
        except ValidationError as exc:
            column = table.columns["consent_date"]
            errors += [RowError(consent_row.number, column, e.message()) for e in exc.errors]
    return errors


def _row_error(table: Table, group: _Group, e: FieldError, sources: dict[str, Row]) -> RowError:
    parts = e.field.split(".")
    if parts[0] == "members" and len(parts) == 3:
        row = group.rows[int(parts[1])]
        return RowError(row.number, _column(table, _MEMBER_FIELDS.get(parts[2], ())), e.message())
    key = _HOUSEHOLD_FIELDS.get(parts[0], parts[0])
    row = sources.get(key, group.rows[0])
    column = table.columns.get(key) or message("field." + parts[0])
    return RowError(row.number, column, e.message())


def _fmt(value: object) -> str:
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if value is None:
        return ""
    return str(value)


def _member_key(values: dict[str, object]) -> tuple[object, object, object]:
    return (values["family_kana"], values["given_kana"], values["birth_date"])


@gate(Permission.IMPORT)
def import_households(
    db: Database,
    path: str | Path,
    *,
    source: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    event_code: str = "",
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    mapping: choices.ValueMap | None = None,
    remembered: choices.ValueMap | None = None,
) -> ImportResult:
    """Import a household list; see the package docstring for matching and transactions.

    ``mapping`` and ``remembered`` map values of choice columns that are no choice
    (:func:`evacsupport.importers.choices.apply`); ``result.unmatched`` lists them.
    """
    path = Path(path)
    table = read_table(path, ALIASES, REQUIRED)
    # A long file name is cut to the column's width, the same way on every re-import.
    source = (source or path.stem).strip()[:SOURCE_MAX]
    result = ImportResult(notices=list(table.notices), dry_run=dry_run)
    result.unmatched = choices.apply(table, CHOICES, mapping, remembered)
    ticker = Ticker(len(table.rows) * 2, progress, cancelled)

    groups: dict[str, _Group] = {}
    missing_ref: list[Row] = []
    for row in table.rows:
        ref = clean_text(row.values.get("case_number", ""))
        if not ref or len(ref) > SOURCE_MAX:
            missing_ref.append(row)
            continue
        groups.setdefault(ref, _Group(ref, [])).rows.append(row)
    errors_by_row: dict[int, list[str]] = {}
    bad_groups: list[_Group] = []
    for row in missing_ref:
        ref = clean_text(row.values.get("case_number", ""))
        problem = message("value.too_long", max=SOURCE_MAX) if ref else message("value.required")
        result.rejected.append(RowError(row.number, table.columns["case_number"], problem))
    for group in groups.values():
        errs = _validate_group(table, group, source)
        if errs:
            bad_groups.append(group)
            result.rejected += errs
        ticker.step(len(group.rows))
    result.notices += _needs_notices(table, list(groups.values()))
    result.rejected.sort(key=lambda e: e.row)
    for e in result.rejected:
        errors_by_row.setdefault(e.row, []).append(f"{e.column}: {e.message}")
    result.notices += location_notices(
        [
            (g.rows[0].number, g.valid.location.precision, g.valid.location.text())
            for g in groups.values()
            if g.valid is not None and g not in bad_groups
        ]
    )
    if result.rejected and not skip_invalid:
        return result
    good = [g for g in groups.values() if g.valid is not None and g not in bad_groups]
    try:
        with db.session() as session:
            _write(session, table, good, source, event_code, result, ticker)
            if dry_run:
                raise Rollback
            audit.record(
                session,
                "import",
                entity="household",
                changes={"file": path.name, "created": result.created, "updated": result.updated},
            )
    except Rollback:
        pass
    except IntegrityError as exc:
        # new households are numbered from the last number read; a save elsewhere took one
        if unique_violation(exc) != "household.case_number":
            raise
        raise EvacError("household.case_number_race") from exc
    if result.rejected and not dry_run:
        bad_rows = sorted(
            [r for g in bad_groups for r in g.rows] + missing_ref, key=lambda r: r.number
        )
        result.rejected_file = write_rejected(table, bad_rows, errors_by_row)
    return result


def _needs_used(row: Row, reading: NeedsReading) -> set[str]:
    """The fields a row's 配慮事項 filled (a column of the field's own, when filled, wins)."""
    used = set()
    if reading.care_level is not None and not clean_text(row.values.get("care_level")):
        used.add("care_level")
    if reading.wheelchair and not clean_text(row.values.get("wheelchair")):
        used.add("needs_wheelchair")
    for key, value in (
        ("allergens", reading.allergens),
        ("dietary_needs", reading.dietary),
        ("notes", reading.notes),
    ):
        if value:
            used.add(key)
    return used


def _needs_notices(table: Table, groups: list[_Group]) -> list[str]:
    """One line per field the 配慮事項 column filled, with how many people: what the user
    should know went where, without a line per row."""
    if "needs" not in table.columns:
        return []
    counts = dict.fromkeys(_NEEDS_FIELDS, 0)
    for group in groups:
        for row, reading in zip(group.rows, group.readings or (), strict=False):
            for key in _needs_used(row, reading):
                counts[key] += 1
    column = table.columns["needs"]
    lines = []
    for key, count in counts.items():
        if not count:
            continue
        if key == "notes":
            lines.append(message("import.needs_notes", column=column, count=count))
        else:
            field = message("field." + key)
            lines.append(message("import.needs_read", column=column, field=field, count=count))
    return lines


def _write(
    session: Session,
    table: Table,
    groups: list[_Group],
    source: str,
    event_code: str,
    result: ImportResult,
    ticker: Ticker,
) -> None:
    event = events.get_or_default(session, event_code)
    refs = [g.ref for g in groups]
    case_like = [r.upper() for r in refs if CASE_NUMBER.match(r.upper())]
    query = (
        select(Household)
        .where(
            Household.deleted_at.is_(None),
            or_(
                Household.source == source,
                Household.case_number.in_(case_like) if case_like else false(),
            ),
        )
        .options(selectinload(Household.members), selectinload(Household.consents))
    )
    by_ref: dict[str, Household] = {}
    by_case: dict[str, Household] = {}
    for h in session.scalars(query):
        by_case[h.case_number] = h
        if h.source == source and h.source_ref:
            by_ref[h.source_ref] = h
    numbers = case_numbers(session, event.code)
    batch = _Batch()
    for group in groups:
        assert group.valid is not None
        existing = by_case.get(group.ref.upper()) or by_ref.get(group.ref)
        if existing is None:
            batch.add(event, next(numbers), group)
            result.created += 1
        elif _update(session, table, existing, group, result):
            result.updated += 1
        else:
            result.unchanged += 1
        ticker.step(len(group.rows))
    session.flush()
    batch.insert(session)


class _Draft:
    """Just enough of a household for :func:`build_search_text`, without ORM overhead."""

    def __init__(self, case_number: str, phone: str, members: list[SimpleNamespace]) -> None:
        self.case_number, self.phone, self.current_members = case_number, phone, members


class _Batch:
    """New households as plain rows, inserted in a few statements at the end."""

    def __init__(self) -> None:
        self.households: list[dict[str, Any]] = []
        self.members: list[dict[str, Any]] = []
        self.residences: list[dict[str, Any]] = []
        self.consents: list[dict[str, Any]] = []

    def add(self, event: Any, case_number: str, group: _Group) -> None:
        assert group.valid is not None
        values = dict(group.valid.household)
        values.pop("case_number")
        hid = uuid.uuid4()
        draft = _Draft(
            case_number, str(values["phone"]), [SimpleNamespace(**m) for m in group.valid.members]
        )
        self.households.append(
            {
                "id": hid,
                "event_id": event.id,
                "case_number": case_number,
                **values,
                "search_text": build_search_text(cast(Household, draft)),
            }
        )
        for position, member_values in enumerate(group.valid.members):
            self.members.append(
                {"id": uuid.uuid4(), "household_id": hid, "position": position, **member_values}
            )
        self.residences.append(
            {
                "id": uuid.uuid4(),
                "household_id": hid,
                "evacuation_status": values["evacuation_status"],
                "moved_on": event.occurred_on,
                "place": values["current_address"],
                "municipality_code": values["current_municipality_code"],
            }
        )
        if group.consent:
            self.consents.append({"id": uuid.uuid4(), "household_id": hid, **group.consent})

    def insert(self, session: Session) -> None:
        for model, rows in (
            (Household, self.households),
            (Member, self.members),
            (Residence, self.residences),
            (Consent, self.consents),
        ):
            capture.insert_logged(session, ENTITY_OF[model], rows)


def _follow_address(household: Household, location: Location) -> None:
    """A point found from the address follows the file's address; one a person typed, picked
    or imported as coordinates is theirs and stays."""
    if household.location_precision == MANUAL or not location.placed:
        return
    point = (location.latitude, location.longitude, location.precision)
    if (household.latitude, household.longitude, household.location_precision) != point:
        household.latitude, household.longitude, household.location_precision = point


def _update(
    session: Session, table: Table, household: Household, group: _Group, result: ImportResult
) -> bool:
    """Bring a matched household up to the file; True when anything changed."""
    assert group.valid is not None
    changes: list[str] = []
    for key, column in _HOUSEHOLD_FIELDS.items():
        if key in ("case_number", "members") or column not in table.columns:
            continue
        new = group.valid.household[key]
        old = getattr(household, key)
        if old != new:
            changes.append(f"{group.ref} {message('field.' + key)}: {_fmt(old)} → {_fmt(new)}")
            setattr(household, key, new)
    _follow_address(household, group.valid.location)
    current: dict[tuple[object, object, object], Member] = {
        (m.family_kana, m.given_kana, m.birth_date): m for m in household.current_members
    }
    changes += _add_notes(household, group)
    position = len(household.members)
    for index, values in enumerate(group.valid.members):
        member = current.get(_member_key(values))
        if member is None:
            session.add(Member(household=household, position=position, **values))
            position += 1
            changes.append(
                f"{group.ref} {message('field.members')}: → "
                f"{values['family_name']} {values['given_name']}".rstrip()
            )
            continue
        used = _needs_used(group.rows[index], group.readings[index]) if group.readings else set()
        for key, columns in _MEMBER_FIELDS.items():
            new, old = values[key], getattr(member, key)
            if not any(c in table.columns for c in columns):
                # No column of its own: only what 配慮事項 said changes it, and an allergen
                # read there is added to the person's, never taking one away.
                if key not in used:
                    continue
                if key == "allergens":
                    new = normalize_allergens([*member.allergens, *cast(list[str], new)])
            if old != new:
                changes.append(
                    f"{group.ref} {member.family_kana} {member.given_kana} "
                    f"{message('field.' + key)}: {_shown(key, old)} → {_shown(key, new)}"
                )
                setattr(member, key, new)
    if group.consent:
        have = {c.consented_on for c in household.consents if c.deleted_at is None}
        consented_on = group.consent["consented_on"]
        if consented_on not in have:
            add_consent(session, household, ConsentInput(**_consent_input(group.consent)))
            changes.append(f"{group.ref} {message('field.consented_on')}: → {consented_on}")
    if changes:
        household.search_text = build_search_text(household)
        result.updated_fields += changes
    return bool(changes)


def _add_notes(household: Household, group: _Group) -> list[str]:
    """The file's 配慮事項 lines not yet in the household's 備考, added after what is there:
    the coordinator's own notes are never replaced by a re-import."""
    assert group.valid is not None
    lines = str(group.valid.household["notes"]).splitlines()
    have = set(household.notes.splitlines())
    missing = [line for line in lines if line and line not in have]
    if not missing:
        return []
    household.notes = "\n".join([household.notes, *missing] if household.notes else missing)
    return [f"{group.ref} {message('field.notes')}: + {line}" for line in missing]


def _shown(key: str, value: object) -> str:
    """A value in the list of changes as the user reads it (要介護2, not care_2)."""
    if key == "care_level" and value in set(CareLevel):
        return label(CareLevel(str(value)))
    if key == "needs_wheelchair" and isinstance(value, bool):
        return label(YesNo.YES if value else YesNo.NO)
    return _fmt(value)


def _consent_input(values: dict[str, Any]) -> dict[str, Any]:
    keys = ("subject", "method", "purposes", "recipients", "data_categories", "staff", "notes")
    out = {k: values[k] for k in keys}
    out["consented_on"] = values["consented_on"]
    out["expires_on"] = values["expires_on"]
    return out
