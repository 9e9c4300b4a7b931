"""`evacsupport check`: is the database sound, and do the stored records obey the app's rules?

The storage checks catch a damaged file; the rule checks catch records that bypassed the
services (a hand edit, a bug, a bad merge), which would otherwise surface as wrong reports.
Records erased on request or by the retention purge (:mod:`evacsupport.services.erasure`) are
held to what erasure leaves, not to the rules of a live record: an administrator who honours an
erasure request must not see a "problem" from then on.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session, selectinload

from evacsupport.db import audit_chain, cipher, migrate
from evacsupport.db.engine import Database
from evacsupport.db.facts import rebuild_facts, stale_households
from evacsupport.db.models import Assignment, Consent, Household, MealLog, Member, Venue
from evacsupport.domain import municipalities
from evacsupport.domain.codes import EvacuationStatus, Relation
from evacsupport.domain.normalize import find_control, to_katakana
from evacsupport.domain.roles import Permission
from evacsupport.errors import InvalidValue, StorageError
from evacsupport.i18n import current_language, message
from evacsupport.services import audit
from evacsupport.services.authz import gate
from evacsupport.services.erasure import ERASED, leftovers
from evacsupport.services.households import CASE_NUMBER, build_search_text


@dataclass(frozen=True)
class Problem:
    check: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.check}] {self.detail}"


@dataclass(frozen=True)
class CheckReport:
    checks: int
    problems: list[Problem]
    repaired: int = 0  # activity-facts rows rebuilt (``repair``)
    audit_heads: tuple[tuple[str, int, str], ...] = ()  # each chain's (origin, last entry, hash)

    @property
    def ok(self) -> bool:
        return not self.problems


def _ja(ja: str, en: str) -> str:
    return ja if current_language() == "ja" else en


def _storage(session: Session, db: Database) -> Iterator[Problem]:
    if db.is_sqlite:
        result = [r[0] for r in session.execute(text("PRAGMA integrity_check"))]
        if result != ["ok"]:
            yield Problem("storage", "; ".join(result[:5]))
        for row in session.execute(text("PRAGMA foreign_key_check")):
            yield Problem(
                "foreign_keys", _ja(f"参照先のない行：{row[0]}", f"orphan row in {row[0]}")
            )
    current = migrate.current_revision(session.connection())
    if current != migrate.head_revision():
        yield Problem("schema", _ja(f"スキーマの版が古い：{current}", f"schema at {current}"))


def _households(session: Session, db: Database) -> Iterator[Problem]:
    statuses = {s.value for s in EvacuationStatus}
    query = (
        select(Household)
        .where(Household.deleted_at.is_(None))
        .options(selectinload(Household.members))
    )
    for h in session.scalars(query.execution_options(yield_per=500)):
        members = h.current_members
        heads = sum(1 for m in members if m.relation == Relation.HEAD)
        if not members:
            yield Problem(
                "household",
                _ja(f"{h.case_number}：世帯員がいません", f"{h.case_number}: no members"),
            )
        elif heads != 1:
            yield Problem(
                "household",
                _ja(f"{h.case_number}：世帯主が{heads}人", f"{h.case_number}: {heads} heads"),
            )
        if not CASE_NUMBER.match(h.case_number):
            yield Problem(
                "household",
                _ja(f"世帯番号の形式：{h.case_number}", f"bad case number {h.case_number}"),
            )
        if h.evacuation_status not in statuses:
            yield Problem("household", f"{h.case_number}: {h.evacuation_status}")
        for code in (h.origin_municipality_code, h.current_municipality_code):
            if code and municipalities.get(code) is None:
                yield Problem("household", f"{h.case_number}: municipality {code}")
        if h.search_text != build_search_text(h):
            yield Problem(
                "search",
                _ja(
                    f"{h.case_number}：検索用の文字列が古い", f"{h.case_number}: stale search text"
                ),
            )
        for m in members:
            yield from _member(h.case_number, m)


def _is_stored_kana(value: str, *, required: bool) -> bool:
    """Furigana as the services store it: full-width katakana (the given name's may be empty)."""
    if not value:
        return not required
    try:
        return to_katakana(value) == value
    except InvalidValue:
        return False


def _member(case_number: str, m: Member) -> Iterator[Problem]:
    if m.family_name == ERASED:
        # Erased on request or by the retention purge: no furigana or birth date is the point,
        # so only what erasure should have removed is a problem (named by field, never value).
        left = leftovers(m, "member")
        if left:
            yield Problem(
                "member",
                message("check.erased_leftover", case_number=case_number, fields=", ".join(left)),
            )
        return
    # Names saved before the services refused control characters; the name itself is left out
    # of the line, since an escape sequence in it would act on the terminal that prints it.
    control = find_control(m.family_name + m.given_name)
    if control is not None:
        code = f"U+{ord(control):04X}"
        yield Problem(
            "member",
            _ja(f"{case_number}：氏名に制御文字（{code}）", f"{case_number}: {code} in a name"),
        )
    if not (
        _is_stored_kana(m.family_kana, required=True)
        and _is_stored_kana(m.given_kana, required=False)
    ):
        yield Problem("member", f"{case_number}: {m.full_name} furigana {m.full_kana!r}")
    if m.birth_date is not None and m.birth_date > date.today():
        yield Problem("member", f"{case_number}: {m.full_name} birth date {m.birth_date}")


def _assignments(session: Session, db: Database) -> Iterator[Problem]:
    bad_dates = session.scalar(
        select(func.count())
        .select_from(Assignment)
        .where(Assignment.end_on.is_not(None), Assignment.end_on < Assignment.start_on)
    )
    if bad_dates:
        yield Problem(
            "assignment",
            _ja(f"終了日が開始日より前：{bad_dates}件", f"{bad_dates} end before start"),
        )
    doubles = session.execute(
        select(Assignment.household_id)
        .where(Assignment.status == "active", Assignment.deleted_at.is_(None))
        .group_by(Assignment.household_id)
        .having(func.count() > 1)
    ).all()
    if doubles:
        yield Problem(
            "assignment",
            _ja(
                f"利用中の会場が複数ある世帯：{len(doubles)}",
                f"{len(doubles)} households with several active venues",
            ),
        )


def _meals(session: Session, db: Database) -> Iterator[Problem]:
    negative = session.scalar(
        select(func.count())
        .select_from(MealLog)
        .where((MealLog.adults < 0) | (MealLog.children < 0))
    )
    if negative:
        yield Problem(
            "meal",
            _ja(f"人数が負の食事記録：{negative}件", f"{negative} meal logs with negative counts"),
        )
    empty = session.scalar(
        select(func.count()).select_from(MealLog).where(MealLog.adults + MealLog.children == 0)
    )
    if empty:
        yield Problem("meal", _ja(f"人数0の食事記録：{empty}件", f"{empty} meal logs for nobody"))
    if session.scalar(select(func.count()).select_from(Venue).where(Venue.capacity < 1)):
        yield Problem("venue", _ja("定員が1未満の会場があります", "a venue has capacity below 1"))


def _consents(session: Session, db: Database) -> Iterator[Problem]:
    bad = session.scalar(
        select(func.count())
        .select_from(Consent)
        .where(Consent.withdrawn_on.is_not(None), Consent.withdrawn_on < Consent.consented_on)
    )
    if bad:
        yield Problem(
            "consent", _ja(f"撤回日が同意日より前：{bad}件", f"{bad} withdrawn before given")
        )


def _facts(session: Session, db: Database) -> Iterator[Problem]:
    """The stored activity facts (the household list's risk and last-contact columns) against
    a recomputation from the history: a write that bypassed the services leaves them behind."""
    stale = stale_households(session.connection())
    if stale:
        yield Problem(
            "facts",
            _ja(
                f"活動の集計（要注意・最終接触）が記録と合わない世帯：{len(stale)}件"
                "（evacsupport check --repair で作り直せます）",
                f"{len(stale)} households' activity facts (risk, last contact) differ from their"
                " records (evacsupport check --repair rebuilds them)",
            ),
        )


CHECKS: list[Callable[[Session, Database], Iterator[Problem]]] = [
    _storage,
    _households,
    _assignments,
    _meals,
    _consents,
    _facts,
]


@gate(Permission.BACKUP)
def run_checks(db: Database, *, repair: bool = False) -> CheckReport:
    """Every check; ``repair`` first rebuilds what is derived from the records (the activity
    facts), in one transaction, so the checks then see it rebuilt."""
    repaired = 0
    if repair:
        with db.session() as session:
            repaired = rebuild_facts(session.connection())
    problems: list[Problem] = []
    with db.read() as session:
        for check in CHECKS:
            problems.extend(check(session, db))
        # the audit trail's hash chains (db.audit_chain): each one's first broken link, and
        # entries outside any chain; the ends are printed, to be kept apart from the file
        chains = audit_chain.verify(session.connection())
    problems.extend(Problem("audit", line) for line in audit.problems(chains))
    heads = tuple(
        (audit.origin_label(c.origin), c.verified, c.head_hash)
        for c in chains.chains
        if c.broken is None
    )
    return CheckReport(len(CHECKS) + 1, problems, repaired, heads)


def quick_check(path: Path | str) -> bool:
    """Is this SQLite file sound enough to open? (PRAGMA quick_check, without migrations.)

    A missing file is fine (it will be created); a file that is not a database, or whose pages
    fail the check, is not. A lock or a permission problem says nothing about damage.
    """
    path = Path(path)
    if not path.exists():
        return True
    try:
        conn = cipher.connect(path, timeout=5)
        try:
            result = [r[0] for r in conn.execute("PRAGMA quick_check")]
        finally:
            conn.close()
    except StorageError:  # encrypted, its key not given yet: opening asks for it
        return True
    except cipher.driver_errors() as exc:
        # locked, unreadable folder: opening says what is wrong; not a database, malformed: no
        return cipher.is_operational(exc)
    return result == ["ok"]


# --- start-up: the full check only after an unclean exit --------------------------------------
# PRAGMA quick_check reads every page: about 0.3 s per 100 MB here, so a second on a year of one
# town's data and ten on a prefecture's. Files up to FULL_CHECK_BYTES are always checked whole.
# Larger ones are checked whole when the last session did not end cleanly (the app leaves a marker
# beside the file while it has it open), since damage comes almost always from a crash, a power
# cut or a pulled USB disk in the middle of a write; otherwise a look at the header and the schema
# suffices at start, and the daily backup checks every page of its copy in the background.

FULL_CHECK_BYTES = 128 * 1024 * 1024

SQLITE_HEADER = b"SQLite format 3\x00"


def in_use_marker(path: Path | str) -> Path:
    path = Path(path)
    return path.with_name(path.name + ".in-use")


def mark_open(path: Path | str) -> None:
    with contextlib.suppress(OSError):  # a read-only folder: the next start checks fully
        in_use_marker(path).write_text(str(os.getpid()), encoding="utf-8")


def mark_closed(path: Path | str) -> None:
    with contextlib.suppress(OSError):
        in_use_marker(path).unlink(missing_ok=True)


def start_check(path: Path | str) -> bool:
    """Sound enough to open at start: the full check after an unclean exit, else the header."""
    path = Path(path)
    if not path.exists():
        return True
    if in_use_marker(path).exists() or path.stat().st_size <= FULL_CHECK_BYTES:
        return quick_check(path)
    try:
        with path.open("rb") as handle:
            header = handle.read(len(SQLITE_HEADER))
    except OSError:
        return True  # unreadable: opening says what is wrong
    if path.stat().st_size and header != SQLITE_HEADER and not cipher.is_encrypted(path):
        return False
    try:
        conn = cipher.connect(path, timeout=5)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
    except StorageError:
        return True
    except cipher.driver_errors() as exc:
        return cipher.is_operational(exc)
    return True
