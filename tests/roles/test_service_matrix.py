"""The role table, enforced at every entry point: generated from ``GRANTS``, not written twice.

``entry_points()`` finds every public function and service method that takes the database.
Each must carry a gate (or say why it is open), and each gated one has a real call below. Every
call is tried as every role, as "no accounts yet" and as "signed out" (accounts exist, nobody
signed in): what ``GRANTS`` allows must pass the gate, what it does not must be refused with
the role's name, before anything is read or written.

A new entry point without a gate fails ``test_every_entry_point_has_a_gate``; a gated one
without a call here fails ``test_every_gated_entry_point_is_tried``.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.domain.codes import Role, label
from evacsupport.domain.roles import GRANTS, Permission
from evacsupport.errors import EvacError
from evacsupport.services.accounts import AccountService, sign_in
from evacsupport.services.authz import gate_of
from tests.factories import consent, household
from tests.roles import world
from tests.roles.entry_points import EntryPoint, entry_points
from tests.roles.world import PASSPHRASE, PASSWORD, TODAY, USERS, World

AUTH_CODES = {"auth.forbidden", "auth.sign_in_needed", "auth.other_venue"}
NOT_ENTRY_POINTS = {"services.authz"}  # the gate itself
MONTH = date(TODAY.year, TODAY.month, 1)
Call = Callable[[Database, World], object]


@dataclass(frozen=True)
class Case:
    """One real call of an entry point and the permission it needs (``None``: any signed-in
    role, as for the venue list)."""

    entry: str
    needs: Permission | None
    call: Call
    variant: str = ""
    refused_also: tuple[tuple[Role, str], ...] = ()  # roles refused beyond GRANTS, and why

    @property
    def id(self) -> str:
        return f"{self.entry}[{self.variant}]" if self.variant else self.entry


def _refused_past_the_gate(call: Callable[[], object]) -> object:
    """For calls that make sense only in some worlds (the demo on an empty database, accounts
    where there are any): past the gate they may refuse with their own message, which shows
    that the gate let them through."""
    try:
        return call()
    except EvacError as exc:
        if exc.code in AUTH_CODES:
            raise
        return exc.code


def _given(path: Path | None) -> Path:
    assert path is not None
    return path


def _households_csv(w: World) -> Path:
    path = w.folder / "in-households.csv"
    rows = [
        ["世帯番号", "氏名", "フリガナ", "生年月日", "避難元住所"],
        ["A-1", "能登 花子", "ノト ハナコ", "昭和20年5月3日", "石川県珠洲市飯田町1-1"],
    ]
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")
    return path


def _venues_csv(w: World) -> Path:
    path = w.folder / "in-venues.csv"
    path.write_text("会場名,定員\n新しい食堂,20\n", encoding="utf-8-sig")
    return path


def _meals_csv(w: World) -> Path:
    path = w.folder / "in-meals.csv"
    path.write_text(
        "日付,会場,世帯番号,種別,大人,子ども\n"
        f"{TODAY.isoformat()},こども食堂わじま,{w.case_number},会食,1,0\n",
        encoding="utf-8-sig",
    )
    return path


def _cases() -> list[Case]:
    from evacsupport.exporters.tables import export_households, export_meals, export_members
    from evacsupport.importers import import_households, import_meals, import_venues
    from evacsupport.reports.cards import make_id_cards
    from evacsupport.reports.case_summary import make_case_summary
    from evacsupport.reports.jobs import ReportRequest, run_report
    from evacsupport.reports.monthly import make_monthly_report
    from evacsupport.reports.roster import make_roster
    from evacsupport.reports.venue_activity import make_venue_activity_report
    from evacsupport.services import audit, backup, demo, encryption, erasure, places, summary
    from evacsupport.services.activity import ActivityService
    from evacsupport.services.assignment import AssignmentService
    from evacsupport.services.case_report import load_case_report
    from evacsupport.services.casefile import CaseChanges, save_case
    from evacsupport.services.caseload import household_count, load_caseload, risk_level_counts
    from evacsupport.services.consents import record_consent, withdraw_consent
    from evacsupport.services.contacts import CheckInInput, ContactService, VisitInput
    from evacsupport.services.followups import FollowUpService
    from evacsupport.services.households import (
        HouseholdService,
        card_ids,
        card_rows,
        find_duplicates_in,
    )
    from evacsupport.services.integrity import run_checks
    from evacsupport.services.meals import MealEntry, MealRules, MealService
    from evacsupport.services.reporting import monthly_figures
    from evacsupport.services.residences import MoveInput, record_move
    from evacsupport.services.venue_report import venue_activity
    from evacsupport.services.venues import VenueInput, VenueService
    from evacsupport.sync.service import SyncService

    P = Permission
    out = io.BytesIO
    elsewhere = ((Role.VENUE_STAFF, "sync.venue_staff_elsewhere"),)  # an office laptop

    def policy(w: World) -> backup.BackupPolicy:
        return backup.BackupPolicy(folder=w.folder / "backups", name="db")

    def report(kind: str, **fields: Any) -> Call:
        def call(db: Database, w: World) -> object:
            values = {k: (v(w) if callable(v) else v) for k, v in fields.items()}
            return run_report(db, ReportRequest(kind=kind, **values), w.folder / f"{kind}.pdf")

        return call

    cases = [
        Case("exporters.tables.export_households", P.PERSONAL_REPORTS,
             lambda db, w: export_households(db, "csv", w.folder / "h.csv")),
        Case("exporters.tables.export_members", P.PERSONAL_REPORTS,
             lambda db, w: export_members(db, "xlsx", w.folder / "m.xlsx")),
        Case("exporters.tables.export_meals", P.PERSONAL_REPORTS,
             lambda db, w: export_meals(db, "csv", w.folder / "meals.csv")),
        Case("importers.households.import_households", P.IMPORT,
             lambda db, w: import_households(db, _households_csv(w))),
        Case("importers.venues.import_venues", P.IMPORT,
             lambda db, w: import_venues(db, _venues_csv(w))),
        Case("importers.meals.import_meals", P.IMPORT,
             lambda db, w: import_meals(db, _meals_csv(w))),
        Case("reports.cards.make_id_cards", P.ROSTER,
             lambda db, w: make_id_cards(db, [w.household], target=out())),
        Case("reports.case_summary.make_case_summary", P.PERSONAL_REPORTS,
             lambda db, w: make_case_summary(db, w.household, target=out())),
        Case("reports.monthly.make_monthly_report", P.AGGREGATE_REPORTS,
             lambda db, w: make_monthly_report(db, MONTH, target=out())),
        Case("reports.monthly.make_monthly_report", P.PERSONAL_REPORTS,
             lambda db, w: make_monthly_report(db, MONTH, suppress_small=False, target=out()),
             "unsuppressed"),
        Case("reports.venue_activity.make_venue_activity_report", P.AGGREGATE_REPORTS,
             lambda db, w: make_venue_activity_report(db, w.venue, MONTH, TODAY, target=out())),
        Case("reports.venue_activity.make_venue_activity_report", P.PERSONAL_REPORTS,
             lambda db, w: make_venue_activity_report(
                 db, w.venue, MONTH, TODAY, suppress_small=False, target=out()),
             "unsuppressed"),
        Case("reports.roster.make_roster", P.ROSTER,
             lambda db, w: make_roster(db, w.venue, TODAY, target=out())),
        Case("reports.jobs.run_report", P.AGGREGATE_REPORTS, report("monthly", month=MONTH),
             "monthly"),
        Case("reports.jobs.run_report", P.PERSONAL_REPORTS,
             report("monthly", month=MONTH, suppress_small=False), "monthly unsuppressed"),
        Case("reports.jobs.run_report", P.AGGREGATE_REPORTS,
             report("venue", venue_id=lambda w: w.venue, start=MONTH, end=TODAY), "venue"),
        Case("reports.jobs.run_report", P.PERSONAL_REPORTS,
             report("case", household_id=lambda w: w.household), "case"),
        Case("reports.jobs.run_report", P.ROSTER,
             report("cards", household_ids=lambda w: [w.household]), "cards"),
        Case("reports.jobs.run_report", P.ROSTER,
             report("roster", venue_id=lambda w: w.venue, served_on=TODAY), "roster"),
        Case("services.accounts.AccountService.accounts", P.ACCOUNTS,
             lambda db, w: AccountService(db).accounts()),
        Case("services.accounts.AccountService.create", P.ACCOUNTS,
             lambda db, w: _refused_past_the_gate(
                 lambda: AccountService(db).create("newcomer", "long enough", "viewer"))),
        Case("services.accounts.AccountService.set_active", P.ACCOUNTS,
             lambda db, w: _refused_past_the_gate(
                 lambda: AccountService(db).set_active(USERS[Role.VIEWER], False))),
        Case("services.accounts.AccountService.set_password", P.ACCOUNTS,
             lambda db, w: _refused_past_the_gate(
                 lambda: AccountService(db).set_password(USERS[Role.VIEWER], "another one"))),
        *(
            Case(f"services.activity.ActivityService.{name}", P.CASEWORK,
                 lambda db, w, name=name: getattr(ActivityService(db), name)(w.household))
            for name in ("assignments", "checkins", "followups", "meals", "visits")
        ),
        Case("services.activity.ActivityService.overview", P.CASEWORK,
             lambda db, w: ActivityService(db).overview()),
        Case("services.assignment.AssignmentService.suggest", P.ASSIGN,
             lambda db, w: AssignmentService(db).suggest(w.household)),
        Case("services.assignment.AssignmentService.suggest_unsaved", P.ASSIGN,
             lambda db, w: AssignmentService(db).suggest_unsaved(
                 CaseChanges(household(coordinates="", postal_code="920-0961")), w.household)),
        Case("services.assignment.AssignmentService.plan", P.ASSIGN,
             lambda db, w: AssignmentService(db).plan(time_limit=2)),
        Case("services.assignment.AssignmentService.apply", P.ASSIGN,
             lambda db, w: AssignmentService(db).apply(AssignmentService(db).plan(time_limit=2))),
        Case("services.assignment.AssignmentService.assign", P.ASSIGN,
             lambda db, w: AssignmentService(db).assign(w.household, w.other_venue)),
        Case("services.assignment.AssignmentService.end", P.ASSIGN,
             lambda db, w: AssignmentService(db).end(w.household, reason="転居")),
        Case("services.assignment.AssignmentService.venues", P.VENUES,
             lambda db, w: AssignmentService(db).venues()),
        Case("services.audit.search", P.AUDIT, lambda db, w: audit.search(db)),
        Case("services.audit.verify_chain", P.AUDIT, lambda db, w: audit.verify_chain(db)),
        Case("services.audit.users", P.AUDIT, lambda db, w: audit.users(db)),
        Case("services.audit.export_csv", P.AUDIT,
             lambda db, w: audit.export_csv(db, None, w.folder / "audit.csv")),
        Case("services.case_report.load_case_report", P.PERSONAL_REPORTS,
             lambda db, w: load_case_report(db, w.household)),
        Case("services.casefile.save_case", P.CASEWORK,
             lambda db, w: save_case(db, None, CaseChanges(household(), consent=consent()))),
        Case("services.caseload.household_count", P.CASEWORK,
             lambda db, w: household_count(db)),
        Case("services.caseload.load_caseload", P.CASEWORK, lambda db, w: load_caseload(db)),
        Case("services.caseload.risk_level_counts", P.AGGREGATE_REPORTS,
             lambda db, w: risk_level_counts(db)),
        Case("services.consents.record_consent", P.CASEWORK,
             lambda db, w: record_consent(db, w.household, consent())),
        Case("services.consents.withdraw_consent", P.CASEWORK,
             lambda db, w: withdraw_consent(db, w.consent, TODAY)),
        Case("services.contacts.ContactService.member_checkins", P.CASEWORK,
             lambda db, w: ContactService(db).member_checkins(w.member)),
        Case("services.contacts.ContactService.record_checkin", P.CASEWORK,
             lambda db, w: ContactService(db).record_checkin(
                 w.household, CheckInInput(member_id=w.member, checked_on=TODAY, k6=[1] * 6))),
        Case("services.contacts.ContactService.record_visit", P.CASEWORK,
             lambda db, w: ContactService(db).record_visit(
                 w.household, VisitInput(visited_on=TODAY, kind="phone"))),
        Case("services.demo.generate", P.ACCOUNTS,
             lambda db, w: _refused_past_the_gate(lambda: demo.generate(db, households=2))),
        Case("services.erasure.erase_household", P.ERASE,
             lambda db, w: erasure.erase_household(db, w.other_household, "request")),
        Case("services.erasure.purge_candidates", P.ERASE,
             lambda db, w: erasure.purge_candidates(db, 12)),
        Case("services.erasure.purge_closed", P.ERASE, lambda db, w: erasure.purge_closed(db, 12)),
        Case("services.followups.FollowUpService.add", P.CASEWORK,
             lambda db, w: FollowUpService(db).add(w.household, due_on=TODAY, reason="訪問")),
        Case("services.followups.FollowUpService.complete", P.CASEWORK,
             lambda db, w: FollowUpService(db).complete(w.followup, "話せた")),
        Case("services.followups.FollowUpService.queue", P.CASEWORK,
             lambda db, w: FollowUpService(db).queue()),
        Case("services.followups.FollowUpService.queue_from_risk", P.CASEWORK,
             lambda db, w: FollowUpService(db).queue_from_risk()),
        Case("services.households.HouseholdService.close", P.CASEWORK,
             lambda db, w: HouseholdService(db).close(w.other_household, TODAY)),
        Case("services.households.HouseholdService.count", P.CASEWORK,
             lambda db, w: HouseholdService(db).count()),
        Case("services.households.HouseholdService.create", P.CASEWORK,
             lambda db, w: HouseholdService(db).create(household())),
        Case("services.households.HouseholdService.find_duplicates", P.CASEWORK,
             lambda db, w: HouseholdService(db).find_duplicates(household())),
        Case("services.households.HouseholdService.get", P.CASEWORK,
             lambda db, w: HouseholdService(db).get(w.household)),
        Case("services.households.HouseholdService.get_by_case_number", P.CASEWORK,
             lambda db, w: HouseholdService(db).get_by_case_number(w.case_number)),
        Case("services.households.HouseholdService.search", P.CASEWORK,
             lambda db, w: HouseholdService(db).search("山田")),
        Case("services.households.HouseholdService.soft_delete", P.CASEWORK,
             lambda db, w: HouseholdService(db).soft_delete(w.other_household)),
        Case("services.households.HouseholdService.update", P.CASEWORK,
             lambda db, w: HouseholdService(db).update(w.household, household(phone=""))),
        Case("services.households.card_rows", P.ROSTER,
             lambda db, w: card_rows(db, [w.household])),
        Case("services.households.card_ids", P.ROSTER,
             lambda db, w: card_ids(db, [w.case_number])),
        Case("services.households.find_duplicates_in", P.CASEWORK,
             lambda db, w: find_duplicates_in(db, [(0, "ヤマダ", "ハナコ", date(1945, 5, 3))])),
        Case("services.integrity.run_checks", P.BACKUP, lambda db, w: run_checks(db)),
        Case("services.meals.MealService.log", P.COUNTER,
             lambda db, w: MealService(db).log(
                 MealEntry(venue_id=w.venue, code=w.case_number), confirm_duplicate=True)),
        Case("services.meals.MealService.log_guests", P.COUNTER,
             lambda db, w: MealService(db).log_guests(w.venue, adults=1)),
        Case("services.meals.MealService.lookup", P.COUNTER,
             lambda db, w: MealService(db).lookup(w.case_number)),
        Case("services.meals.MealService.roster", P.ROSTER,
             lambda db, w: MealService(db).roster(w.venue, TODAY)),
        Case("services.meals.MealService.rules", P.COUNTER,
             lambda db, w: MealService(db).rules(w.venue)),
        Case("services.meals.MealService.session_log", P.COUNTER,
             lambda db, w: MealService(db).session_log(w.venue, TODAY)),
        Case("services.meals.MealService.set_members", P.COUNTER,
             lambda db, w: MealService(db).set_members(w.meal, [w.member])),
        Case("services.meals.MealService.set_rules", P.COUNTER,
             lambda db, w: MealService(db).set_rules(w.venue, MealRules({"eat_in": 1}))),
        Case("services.meals.MealService.undo", P.COUNTER,
             lambda db, w: MealService(db).undo(w.meal)),
        Case("services.reporting.monthly_figures", P.AGGREGATE_REPORTS,
             lambda db, w: monthly_figures(db, MONTH)),
        Case("services.residences.record_move", P.CASEWORK,
             lambda db, w: record_move(db, w.household, MoveInput("みなし仮設", TODAY))),
        Case("services.summary.by_origin", P.AGGREGATE_REPORTS,
             lambda db, w: summary.by_origin(db)),
        Case("services.summary.meals_per_week", P.AGGREGATE_REPORTS,
             lambda db, w: summary.meals_per_week(db)),
        Case("services.summary.risk_history", P.AGGREGATE_REPORTS,
             lambda db, w: summary.risk_history(db)),
        Case("services.venue_report.venue_activity", P.AGGREGATE_REPORTS,
             lambda db, w: venue_activity(db, w.venue, MONTH, TODAY)),
        Case("services.venues.VenueService.create", P.VENUES,
             lambda db, w: VenueService(db).create(VenueInput(name="新しい食堂", capacity=10))),
        Case("services.venues.VenueService.update", P.VENUES,
             lambda db, w: VenueService(db).update(
                 w.other_venue, VenueInput(name="みんなの食堂すず", capacity=40))),
        Case("services.venues.VenueService.soft_delete", P.VENUES,
             lambda db, w: VenueService(db).soft_delete(w.other_venue)),
        Case("services.venues.VenueService.get", None,
             lambda db, w: VenueService(db).get(w.venue)),
        Case("services.venues.VenueService.list", None, lambda db, w: VenueService(db).list()),
        Case("services.backup.backup_to", P.BACKUP,
             lambda db, w: backup.backup_to(db, w.folder / "copy.sqlite3")),
        Case("services.backup.make_backup", P.BACKUP,
             lambda db, w: backup.make_backup(db, policy(w))),
        Case("services.backup.backup_and_rotate", P.BACKUP,
             lambda db, w: backup.backup_and_rotate(db, policy(w))),
        Case("services.backup.restore", P.RESTORE,
             lambda db, w: backup.restore(db, _given(w.backup))),
        Case("sync.service.SyncService.export", P.SYNC,
             lambda db, w: SyncService(db).export("会場PC", w.folder / "p.evsync", PASSPHRASE),
             refused_also=elsewhere),
        Case("sync.service.SyncService.import_", P.SYNC,
             lambda db, w: SyncService(db).import_(
                 _given(w.package), PASSPHRASE, accept_unknown=True),
             refused_also=elsewhere),
        Case("sync.service.SyncService.peers", P.SYNC, lambda db, w: SyncService(db).peers()),
        Case("sync.service.SyncService.rename_site", P.SYNC,
             lambda db, w: SyncService(db).rename_site("事務所")),
        Case("sync.service.SyncService.conflicts", P.CASEWORK,
             lambda db, w: SyncService(db).conflicts()),
        Case("sync.service.SyncService.resolve", P.CASEWORK,
             lambda db, w: _refused_past_the_gate(
                 lambda: SyncService(db).resolve(w.household, "mine"))),
        Case("services.encryption.encrypt", P.RESTORE,
             lambda db, w: encryption.encrypt(db, "new db key 2024", "new db key 2024")),
        Case("services.encryption.rekey", P.RESTORE,  # a plain world: refused past the gate
             lambda db, w: _refused_past_the_gate(
                 lambda: encryption.rekey(db, "", "new db key 2024", "new db key 2024"))),
        Case("sync.service.SyncService.after_restore", P.RESTORE,
             lambda db, w: SyncService(db).after_restore()),
        Case("services.places.fill_missing", P.CASEWORK,
             lambda db, w: places.fill_missing(db, dry_run=True)),
        Case("services.venues.VenueService.find", None,
             lambda db, w: VenueService(db).find("こども食堂わじま")),
    ]  # fmt: skip
    return cases


CASES = _cases()
PRINCIPALS: tuple[Role | str, ...] = (*USERS, "no accounts", "signed out")


# --- the world, once per run ----------------------------------------------------------------


@pytest.fixture(scope="session")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[bool, tuple[Path, World]]:
    """The world with accounts (True) and without any (False), as closed template files."""
    made = {}
    for accounts in (True, False):
        path = tmp_path_factory.mktemp("role-world") / "world.sqlite3"
        built = world.build(path, accounts=accounts)
        made[accounts] = (path, world.with_files(built, path, path.parent / "files"))
    return made


def _open(
    templates: dict[bool, tuple[Path, World]], principal: Role | str, folder: Path
) -> tuple[Database, World]:
    accounts = principal != "no accounts"
    template, w = templates[accounts]
    db = Database(sqlite_url(world.copy(template, folder / "db.sqlite3")))
    if isinstance(principal, Role):
        sign_in(db, AccountService(db).authenticate(USERS[principal], PASSWORD))
    return db, World(**{**vars(w), "folder": folder})


def _fingerprint(db: Database, *, skip: tuple[str, ...] = ()) -> str:
    """Every row of every table (but ``skip``), hashed: a refused call leaves it as it was."""
    digest = hashlib.sha256()
    with db.engine.connect() as conn:
        names = conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'table'")).all()
        for name in sorted(set(names) - set(skip)):
            for row in conn.execute(text(f'SELECT * FROM "{name}"')):
                digest.update(repr(tuple(row)).encode())
    return digest.hexdigest()


def _allowed(principal: Role | str, case: Case) -> bool:
    if principal == "no accounts":
        return True  # an empty database before its first administrator
    if principal == "signed out":
        return False
    assert isinstance(principal, Role)
    if principal in dict(case.refused_also):
        return False
    return case.needs is None or case.needs in GRANTS[principal]


def _gated() -> Iterator[EntryPoint]:
    for entry in entry_points():
        if entry.name.rsplit(".", 2)[0] in NOT_ENTRY_POINTS or any(
            entry.name.startswith(m + ".") for m in NOT_ENTRY_POINTS
        ):
            continue
        yield entry


# --- the tests ------------------------------------------------------------------------------


def test_every_entry_point_has_a_gate() -> None:
    missing = [str(e) for e in _gated() if gate_of(e.function) is None]
    assert not missing, "entry points without authz.gate or authz.ungated: " + ", ".join(missing)


def test_open_entry_points_say_why() -> None:
    for entry in _gated():
        found = gate_of(entry.function)
        if found is not None and found.permission is None:
            assert len(found.reason) > 20, f"{entry} is open without a reason"


def test_every_gated_entry_point_is_tried() -> None:
    """Each entry point that needs a sign-in has a real call in ``CASES`` (static permissions
    must agree with the decorator's)."""
    by_name: dict[str, list[Case]] = {}
    for case in CASES:
        by_name.setdefault(case.entry, []).append(case)
    untried = []
    for entry in _gated():
        found = gate_of(entry.function)
        if found is None or not found.signed_in:
            continue
        if entry.name not in by_name:
            untried.append(entry.name)
        elif isinstance(found.permission, Permission):
            assert {c.needs for c in by_name[entry.name]} == {found.permission}, entry.name
        elif found.permission is None:
            assert {c.needs for c in by_name[entry.name]} == {None}, entry.name
    assert not untried, "no case in CASES for: " + ", ".join(untried)
    known = {e.name for e in _gated()}
    assert not {c.entry for c in CASES} - known, "cases for entry points that do not exist"


@pytest.fixture(scope="module")
def unchanged() -> Iterator[dict[Role | str, tuple[Database, World, str]]]:
    """One database per principal for the refused calls, which must leave it as it was: each
    is opened once and its fingerprint checked after every refusal."""
    opened: dict[Role | str, tuple[Database, World, str]] = {}
    yield opened
    for db, _w, _print in opened.values():
        db.close()


@pytest.mark.parametrize(
    ("case", "principal"),
    list(itertools.product(CASES, PRINCIPALS)),
    ids=[f"{c.id}-{p}" for c, p in itertools.product(CASES, PRINCIPALS)],
)
def test_role_matrix(
    case: Case,
    principal: Role | str,
    templates: dict[bool, tuple[Path, World]],
    unchanged: dict[Role | str, tuple[Database, World, str]],
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    if _allowed(principal, case):
        db, w = _open(templates, principal, tmp_path_factory.mktemp("allowed"))
        try:
            case.call(db, w)
        except EvacError as exc:  # pragma: no cover - the failure message says it all
            pytest.fail(f"{case.id} as {principal}: {exc.code} {exc.message()}")
        finally:
            db.close()
        return
    if principal not in unchanged:
        db, w = _open(templates, principal, tmp_path_factory.mktemp("refused"))
        unchanged[principal] = (db, w, _fingerprint(db))
    db, w, before = unchanged[principal]
    with pytest.raises(EvacError) as refused:
        case.call(db, w)
    if principal == "signed out":
        assert refused.value.code == "auth.sign_in_needed"
    elif principal in dict(case.refused_also):
        assert refused.value.code == dict(case.refused_also)[principal]
    else:
        assert isinstance(principal, Role)
        assert refused.value.code == "auth.forbidden"
        assert label(principal) in refused.value.message()
    assert _fingerprint(db) == before, f"{case.id} as {principal} changed the database"
    written = [p.name for p in w.folder.iterdir() if not p.name.startswith(("db.", "in-"))]
    assert not written, f"{case.id} as {principal} wrote {written}"


def test_the_matrix_covers_every_role_and_permission() -> None:
    """The table itself: every permission is granted to someone and refused to someone, so each
    row of the matrix tries both sides."""
    for permission in Permission:
        holders = {role for role, grants in GRANTS.items() if permission in grants}
        assert Role.ADMIN in holders
        assert holders != set(Role), f"{permission} is granted to every role"
    assert set(USERS) == set(Role)


def test_venue_staff_only_at_their_own_venue(
    templates: dict[bool, tuple[Path, World]], tmp_path: Path
) -> None:
    """The counter, the roster and the cards of another venue are refused without a name."""
    from evacsupport.reports.cards import make_id_cards
    from evacsupport.reports.roster import make_roster
    from evacsupport.services.households import card_ids, card_rows
    from evacsupport.services.meals import MealEntry, MealRules, MealService
    from evacsupport.services.venues import VenueService

    db, w = _open(templates, Role.VENUE_STAFF, tmp_path)
    try:
        meals = MealService(db)
        before = _fingerprint(db)
        for call in (
            lambda: meals.lookup(w.other_case_number),
            lambda: meals.log(MealEntry(venue_id=w.venue, code=w.other_case_number)),
            lambda: meals.log(MealEntry(venue_id=w.other_venue, code=w.other_case_number)),
            lambda: meals.log_guests(w.other_venue, adults=1),
            lambda: meals.roster(w.other_venue, TODAY),
            lambda: meals.session_log(w.other_venue, TODAY),
            lambda: meals.rules(w.other_venue),
            lambda: meals.set_rules(w.other_venue, MealRules({"eat_in": 1})),
            lambda: meals.undo(w.other_meal),
            lambda: meals.set_members(w.other_meal, []),
            lambda: make_roster(db, w.other_venue, TODAY, target=io.BytesIO()),
            lambda: make_id_cards(db, [w.other_household], target=io.BytesIO()),
            lambda: card_rows(db, [w.other_household]),
            lambda: card_ids(db, [w.other_case_number]),
        ):
            with pytest.raises(EvacError) as refused:
                call()
            assert refused.value.code in {"auth.other_venue", "meal.not_at_this_venue"}
            assert "能登" not in refused.value.message()  # the other household's name
        assert _fingerprint(db) == before
        assert [v.id for v in VenueService(db).list()] == [w.venue]
        assert [r.id for r in card_rows(db, None)] == [w.household]
    finally:
        db.close()


def test_no_accounts_means_an_open_door_only_until_the_first_account(tmp_path: Path) -> None:
    """The first administrator is made without a sign-in; from then on nothing is open."""
    from evacsupport.services.households import HouseholdService

    db = Database(sqlite_url(tmp_path / "new.sqlite3"))
    try:
        HouseholdService(db).create(household())
        AccountService(db).create("admin", "long enough", "admin")
        with pytest.raises(EvacError) as refused:
            HouseholdService(db).search()
        assert refused.value.code == "auth.sign_in_needed"
        with db.read() as session:
            assert session.scalar(select(text("count(*)")).select_from(text("app_user"))) == 1
    finally:
        db.close()
