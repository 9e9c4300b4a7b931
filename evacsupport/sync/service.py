"""Sync for the UI and the CLI: export a package for a peer, import one, list peers and conflicts.

Each call is one transaction. An import is all or nothing: a wrong passphrase, a damaged file,
a package for another laptop or a cancel leaves the database exactly as it was.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import Connection, Table, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from evacsupport import __version__
from evacsupport.db import audit_chain
from evacsupport.db.base import utcnow
from evacsupport.db.engine import Database
from evacsupport.db.models import (
    Household,
    Member,
    SyncChange,
    SyncConflict,
    SyncPeer,
    Venue,
)
from evacsupport.domain.codes import Role
from evacsupport.domain.normalize import clean_text
from evacsupport.domain.roles import Permission
from evacsupport.errors import EvacError, NotFound
from evacsupport.importers._common import Ticker
from evacsupport.services import audit
from evacsupport.services.authz import gate, ungated
from evacsupport.sync import accounts as incoming_accounts
from evacsupport.sync import capture, crypto, schema, scope, site
from evacsupport.sync.codec import SYNCED, decode, encode, table
from evacsupport.sync.merge import Merger, MergeResult, unique_name

FORMAT = schema.FORMAT
MAX_PACKAGE = 1 << 30  # 1 GiB: far above any caseload's first package, below a laptop's memory
CHANGES = cast(Table, SyncChange.__table__)
Progress = Callable[[int, int], None]
Cancelled = Callable[[], bool]


@dataclass(frozen=True)
class ExportResult:
    path: Path
    peer: str
    changes: int
    scope_venue: str


@dataclass(frozen=True)
class ImportResult:
    peer: str
    received: int
    applied: int
    already_had: int
    conflicts: int
    duplicates: int
    renumbered: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class PeerInfo:
    id: uuid.UUID
    name: str
    scope_venue: str
    last_export_at: datetime | None
    last_import_at: datetime | None
    waiting: int


@dataclass(frozen=True)
class ConflictInfo:
    id: uuid.UUID
    entity: str
    row_id: uuid.UUID
    field: str
    record: str
    mine: Any
    theirs: Any
    kept: str
    peer: str
    detected_at: datetime
    status: str
    resolution: str


def _peer_name(name: str) -> str:
    name = clean_text(name)
    if not name:
        raise EvacError("sync.peer_required")
    return name[:100]


def _write_atomically(path: Path, blob: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".evsync-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(blob)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise EvacError("sync.cannot_write", path=str(path), detail=exc.strerror or "") from exc


class UnknownRecipient(EvacError):
    """The package names this laptop only by a name: its sender has never had a package from
    here (the first package to a new laptop, or a file meant for someone else). Merged only
    when the person confirms (``accept_unknown``)."""

    def __init__(self, *, sender: str, to_name: str, here: str) -> None:
        super().__init__("sync.unknown_recipient", sender=sender, to_name=to_name, here=here)


class SyncService:
    def __init__(self, db: Database) -> None:
        self.db = db

    # --- identity and peers ---------------------------------------------------------------

    @ungated("this laptop's own name and sync identity, no personal data; shown before sign-in")
    def this_site(self) -> site.Site:
        with self.db.session() as session:
            return site.current(session.connection())

    @gate(Permission.SYNC)
    def rename_site(self, name: str) -> None:
        """What this laptop is called in packages it sends (the name peers see)."""
        name = _peer_name(name)
        with self.db.session() as session:
            site.set_name(session.connection(), name)

    @gate(Permission.RESTORE)
    def after_restore(self) -> None:
        """Call once on a database just restored from a backup (see site.start_new_identity).

        ``backup.restore`` calls ``site.start_new_identity`` itself, on the file it has just put
        in place: nobody is signed in to that file yet, and the restore was the administrator's
        act."""
        with self.db.session() as session:
            site.start_new_identity(session.connection())

    @gate(Permission.SYNC)
    def peers(self) -> list[PeerInfo]:
        with self.db.read() as session:
            conn = session.connection()
            venues = {vid: name for vid, name in session.execute(select(Venue.id, Venue.name))}
            found = []
            for peer in session.scalars(select(SyncPeer).order_by(SyncPeer.name)):
                waiting = (
                    conn.scalar(
                        select(func.count())
                        .select_from(CHANGES)
                        .where(
                            CHANGES.c.seq > peer.acked_seq,
                            CHANGES.c.op != "state",
                            *([CHANGES.c.origin != peer.site_id] if peer.site_id else []),
                        )
                    )
                    or 0
                )
                found.append(
                    PeerInfo(
                        peer.id,
                        peer.name,
                        venues.get(peer.scope_venue_id, "") if peer.scope_venue_id else "",
                        peer.last_export_at,
                        peer.last_import_at,
                        int(waiting),
                    )
                )
            return found

    # --- export ---------------------------------------------------------------------------

    @gate(Permission.SYNC)
    def export(
        self,
        to: str,
        out: Path,
        passphrase: str,
        *,
        scope_venue: str = "",
        today: date | None = None,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ExportResult:
        """Write a sealed package of everything ``to`` has not acknowledged."""
        name = _peer_name(to)
        passphrase = crypto.check_passphrase(passphrase)
        with self.db.session() as session:
            conn = session.connection()
            me = site.current(conn)
            self._require_own_venue_laptop(me)
            peer = session.scalar(select(SyncPeer).where(SyncPeer.name == name))
            if peer is None:
                peer = SyncPeer(name=name, acked_seq=0, received_seq=0)
                session.add(peer)
                session.flush()
            venue = self._scope_venue(session, peer, scope_venue)
            if venue is not None and me.scope_venue_id is not None:
                raise EvacError("sync.venue_cannot_scope")
            upto = site.max_seq(conn)
            payload: dict[str, Any] = {
                "format": FORMAT,
                "app_version": __version__,
                "package_id": str(uuid.uuid4()),
                "created_at": utcnow().isoformat(),
                "from_site": str(me.site_id),
                "from_name": me.name,
                "former_sites": site.former_ids(conn),
                "to_name": peer.name,
                "to_site": str(peer.site_id) if peer.site_id else None,
                # Who made it: accounts it carries are judged by it (sync/accounts.py).
                "sender_role": self.db.role,
                "ack": peer.received_seq,
                "upto": upto,
                "scope": None,
                "changes": [],
            }
            if venue is not None:
                entries, in_scope = scope.snapshot(conn, venue.id, today or date.today())
                payload["scope"] = {
                    "venue_id": str(venue.id),
                    "venue_name": venue.name,
                    "rows": in_scope,
                }
                payload["changes"] = entries
            else:
                payload["changes"] = self._log_for(conn, me, peer, upto, progress, cancelled)
            peer.last_export_at = utcnow()
            count = len(payload["changes"])
            audit.record(
                session,
                "sync_export",
                changes={"peer": name, "changes": count, "scope": venue.name if venue else ""},
            )
        _write_atomically(Path(out), crypto.seal(payload, passphrase))
        return ExportResult(Path(out), name, count, venue.name if venue else "")

    def _require_own_venue_laptop(self, me: site.Site) -> None:
        """Venue staff sync only on the laptop of their own venue. Their account travels to the
        office laptops too; signed in there it must neither carry the whole caseload away in a
        package nor pour one into the office's data."""
        venue_staff = self.db.role == Role.VENUE_STAFF or self.db.venue_scope is not None
        if venue_staff and (me.scope_venue_id is None or me.scope_venue_id != self.db.venue_scope):
            raise EvacError("sync.venue_staff_elsewhere")

    def _scope_venue(self, session: Session, peer: SyncPeer, wanted: str) -> Venue | None:
        wanted = clean_text(wanted)
        if wanted.lower().startswith("venue:"):
            wanted = wanted[len("venue:") :].strip()
        if not wanted:
            return session.get(Venue, peer.scope_venue_id) if peer.scope_venue_id else None
        venue = session.scalar(
            select(Venue).where(Venue.name == wanted, Venue.deleted_at.is_(None))
        )
        if venue is None:
            raise NotFound("venue.not_found", value=wanted)
        if peer.scope_venue_id not in (None, venue.id):
            raise EvacError("sync.peer_other_venue", peer=peer.name)
        if peer.scope_venue_id is None and peer.last_import_at is not None:
            raise EvacError("sync.peer_not_venue", peer=peer.name)
        peer.scope_venue_id = venue.id
        return venue

    def _log_for(
        self,
        conn: Connection,
        me: site.Site,
        peer: SyncPeer,
        upto: int,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> list[dict[str, Any]]:
        query = select(CHANGES).where(
            CHANGES.c.seq > peer.acked_seq, CHANGES.c.seq <= upto, CHANGES.c.op != "state"
        )
        if me.scope_venue_id is not None:  # a venue laptop passes on only its own entries
            query = query.where(CHANGES.c.origin == me.site_id)
        elif peer.site_id is not None:
            query = query.where(CHANGES.c.origin != peer.site_id)
        total = conn.scalar(select(func.count()).select_from(query.subquery())) or 0
        ticker = Ticker(total, progress, cancelled)
        entries = []
        for row in conn.execute(query.order_by(CHANGES.c.seq)).yield_per(2000):
            entry = {
                "id": str(row.id),
                "origin": str(row.origin),
                "lamport": row.lamport,
                "entity": row.entity,
                "row": str(row.row_id),
                "op": row.op,
                "data": row.data,
            }
            if row.bases:
                entry["bases"] = row.bases
            if row.resolves:
                entry["resolves"] = row.resolves
            entries.append(entry)
            ticker.step()
        return entries

    # --- import ---------------------------------------------------------------------------

    @gate(Permission.SYNC)
    def import_(
        self,
        path: Path,
        passphrase: str,
        *,
        accept_unknown: bool = False,
        progress: Progress | None = None,
        cancelled: Cancelled | None = None,
    ) -> ImportResult:
        """Merge a package: all of it or, when anything is refused, nothing.

        A package from a laptop that has never had one from this laptop (so it could not
        address this one by its identity) raises :class:`UnknownRecipient` unless
        ``accept_unknown``: the window asks, the command line wants ``--accept-unknown``.

        The whole package is checked (``schema.parse``) before the merge touches anything;
        what only the database can tell (a record pointing at one that is not here, a name
        taken twice) is refused by the database and rolled back with the rest.
        """
        with self.db.read() as session:
            self._require_own_venue_laptop(site.current(session.connection()))
        try:
            size = Path(path).stat().st_size
            if size > MAX_PACKAGE:
                raise EvacError("sync.damaged")
            blob = Path(path).read_bytes()
        except OSError as exc:
            raise EvacError("sync.cannot_read", path=str(path), detail=exc.strerror or "") from exc
        package = schema.parse(crypto.open_sealed(blob, passphrase))
        del blob
        ticker = Ticker(len(package.changes), progress, cancelled)
        try:
            with self.db.session() as session:
                session.info[capture.APPLYING] = True
                conn = session.connection()
                me = site.current(conn)
                self._check_recipient(session, me, package)
                incoming_accounts.check(conn, me, self.db.role, package)
                self._ask_if_unknown(me, package, accept_unknown)
                self._take_identity(session, me, package)
                peer = self._sender(session, package)
                merger = Merger(conn, peer.name, ticker.step)
                result = merger.run(package.changes)
                if package.scope is not None:
                    self._forget_out_of_scope(conn, package.scope)
                self._rebuild_search(session, result)
                peer.received_seq = max(peer.received_seq, package.upto)
                # An acknowledgement past what this laptop ever numbered is not one: taking it
                # would skip changes the peer never had.
                peer.acked_seq = max(peer.acked_seq, min(package.ack, site.max_seq(conn)))
                peer.last_import_at = utcnow()
                # one entry per record created or changed, then the summary (same transaction)
                actor = str(session.info.get("actor") or "")
                audit_chain.append(conn, merger.audit_rows(actor))
                audit.record(
                    session,
                    "sync_import",
                    changes={
                        "peer": peer.name,
                        "received": result.received,
                        "applied": result.applied,
                        "conflicts": result.conflicts,
                    },
                )
        except IntegrityError as exc:
            raise EvacError("sync.inconsistent") from exc
        return ImportResult(
            peer.name,
            result.received,
            result.applied,
            result.already_had,
            result.conflicts,
            result.duplicates,
            tuple(result.renumbered),
        )

    def _check_recipient(self, session: Session, me: site.Site, package: schema.Package) -> None:
        """Refuse a package this laptop must not merge (checks only: nothing is written)."""
        if package.from_site == me.site_id:
            raise EvacError("sync.own_package")
        if package.to_site is not None and package.to_site != me.site_id:
            raise EvacError("sync.wrong_recipient", name=package.to_name)
        if package.scope is not None:
            if me.scope_venue_id is None:
                if session.scalar(select(func.count()).select_from(Household)):
                    raise EvacError("sync.venue_needs_empty")
            elif me.scope_venue_id != package.scope.venue_id:
                raise EvacError("sync.wrong_recipient", name=package.to_name)
        elif me.scope_venue_id is not None:
            raise EvacError("sync.venue_full_package")

    @staticmethod
    def _ask_if_unknown(me: site.Site, package: schema.Package, accept_unknown: bool) -> None:
        """Asked last, so nobody confirms a package that would be refused anyway.

        A package addressed only by a name (its sender has never had a package from here, so
        it does not know this laptop's identity) could be meant for any laptop, or made by
        anyone holding the passphrase. Once the sender has read a package from this laptop, it
        addresses this one by identity and the question does not come back."""
        if package.to_site is None and not accept_unknown:
            raise UnknownRecipient(
                sender=clean_text(package.from_name) or str(package.from_site)[:8],
                to_name=package.to_name,
                here=me.name,
            )

    def _take_identity(self, session: Session, me: site.Site, package: schema.Package) -> None:
        """A new venue laptop takes the package's venue; a new laptop the name it was sent to."""
        conn = session.connection()
        if package.scope is not None and me.scope_venue_id is None:
            site.set_scope(conn, package.scope.venue_id)
        first_contact = not session.scalar(select(func.count()).select_from(SyncPeer))
        name = clean_text(package.to_name)
        if first_contact and name:
            # A new laptop takes the name the sender gave it, so replies are recognised.
            site.set_name(conn, name)

    def _sender(self, session: Session, package: schema.Package) -> SyncPeer:
        from_site = package.from_site
        from_name = clean_text(package.from_name) or str(from_site)[:8]
        peer = session.scalar(select(SyncPeer).where(SyncPeer.site_id == from_site))
        former = list(package.former_sites)
        if peer is None and former:
            # The sender was restored from a backup: same laptop, new identity. Start over
            # with it, so it gets back everything it lost and we hear its new numbering.
            peer = session.scalar(select(SyncPeer).where(SyncPeer.site_id.in_(former)))
            if peer is not None:
                peer.site_id = from_site
                peer.acked_seq = peer.received_seq = 0
                session.flush()
        if peer is None:
            peer = session.scalar(
                select(SyncPeer).where(SyncPeer.name == from_name, SyncPeer.site_id.is_(None))
            )
            if peer is None:
                name = unique_name(
                    from_name,
                    f" ({str(from_site)[:4]})",
                    100,
                    lambda n: (
                        session.scalar(select(SyncPeer.id).where(SyncPeer.name == n)) is not None
                    ),
                )
                peer = SyncPeer(name=name, acked_seq=0, received_seq=0)
                session.add(peer)
            peer.site_id = from_site
            session.flush()
        return peer

    def _forget_out_of_scope(self, conn: Connection, scoped: schema.Scope) -> None:
        """A venue laptop drops what left its scope: ended assignments, people moved away."""
        rows = scoped.rows
        now = utcnow()
        venue_id = scoped.venue_id
        assignments = table("assignment")
        keep = [uuid.UUID(i) for i in rows.get("assignment", [])]
        conn.execute(
            update(assignments)
            .where(
                assignments.c.venue_id == venue_id,
                assignments.c.id.not_in(keep),
                assignments.c.status == "active",
            )
            .values(status="ended", end_on=now.date())
        )
        households = [uuid.UUID(i) for i in rows.get("household", [])]
        gone = list(conn.scalars(select(Household.id).where(Household.id.not_in(households))))
        if not gone:
            return
        members = table("member")
        conn.execute(
            update(members)
            .where(members.c.household_id.in_(gone))
            .values(
                family_name="",
                given_name="",
                family_kana="",
                given_kana="",
                allergens=[],
                dietary_needs="",
                birth_date=None,
                deleted_at=now,
            )
        )
        member_ids = list(
            conn.scalars(select(members.c.id).where(members.c.household_id.in_(gone)))
        )
        # Forget their snapshot stamps too, so they come back whole if they return.
        for entity, ids in (("household", gone), ("member", member_ids)):
            for start in range(0, len(ids), 500):
                conn.execute(
                    CHANGES.delete().where(
                        CHANGES.c.op == "state",
                        CHANGES.c.entity == entity,
                        CHANGES.c.row_id.in_(ids[start : start + 500]),
                    )
                )

    def _rebuild_search(self, session: Session, result: MergeResult) -> None:
        """Search text is derived, not synced: rebuild it for households the package touched.

        Read and written with Core (a first package touches every household): the rows
        ``build_search_text`` reads, members in the relationship's order, and one executemany
        for the texts that changed."""
        from evacsupport.services.households import build_search_text

        conn = session.connection()
        ids = list(result.touched_households)
        changed: list[dict[str, Any]] = []
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            members: dict[uuid.UUID, list[SimpleNamespace]] = {}
            for row in conn.execute(
                select(
                    Member.household_id,
                    Member.family_name,
                    Member.given_name,
                    Member.family_kana,
                    Member.given_kana,
                    Member.phone,
                )
                .where(Member.household_id.in_(chunk), Member.deleted_at.is_(None))
                .order_by(Member.household_id, Member.position)
            ):
                members.setdefault(row.household_id, []).append(SimpleNamespace(**row._mapping))
            for hid, case_number, phone, stored in conn.execute(
                select(
                    Household.id, Household.case_number, Household.phone, Household.search_text
                ).where(Household.id.in_(chunk))
            ):
                draft = SimpleNamespace(
                    case_number=case_number, phone=phone, current_members=members.get(hid, [])
                )
                text = build_search_text(cast(Household, draft))
                if stored != text:
                    changed.append({"hid": hid, "text": text})
        if changed:
            households = cast(Table, Household.__table__)
            conn.execute(
                update(households)
                .where(households.c.id == bindparam("hid"))
                .values(search_text=bindparam("text")),
                changed,
            )

    # --- conflicts ------------------------------------------------------------------------

    @gate(Permission.CASEWORK)
    def conflicts(self, *, include_resolved: bool = False) -> list[ConflictInfo]:
        """Fields edited on two laptops, with both values: personal data, so casework."""
        with self.db.read() as session:
            query = select(SyncConflict).order_by(SyncConflict.detected_at.desc())
            if not include_resolved:
                query = query.where(SyncConflict.status == "open")
            rows = list(session.scalars(query))
            return [
                ConflictInfo(
                    c.id,
                    c.entity,
                    c.row_id,
                    c.field,
                    self._record_label(session, c),
                    c.mine,
                    c.theirs,
                    c.kept,
                    c.peer_name,
                    c.detected_at,
                    c.status,
                    c.resolution,
                )
                for c in rows
            ]

    @staticmethod
    def _record_label(session: Session, c: SyncConflict) -> str:
        if c.entity == "household":
            return (
                session.scalar(select(Household.case_number).where(Household.id == c.row_id)) or ""
            )
        if c.entity == "member":
            row = session.execute(
                select(Household.case_number, Member.family_name, Member.given_name)
                .join(Member, Member.household_id == Household.id)
                .where(Member.id == c.row_id)
            ).first()
            return f"{row[0]} {row[1]} {row[2]}".strip() if row else ""
        if c.entity == "venue":
            return session.scalar(select(Venue.name).where(Venue.id == c.row_id)) or ""
        return c.entity

    @gate(Permission.CASEWORK)
    def resolve(self, conflict_id: uuid.UUID, choice: str, value: str | None = None) -> None:
        """Settle a conflict on every laptop: the chosen value is saved as a new edit here."""
        with self.db.session() as session:
            conflict = session.get(SyncConflict, conflict_id)
            if conflict is None or conflict.status != "open":
                raise NotFound("sync.conflict_not_found")
            column = table(conflict.entity).c[conflict.field]
            if choice == "mine":
                chosen = conflict.mine
            elif choice == "theirs":
                chosen = conflict.theirs
            elif choice == "edit":
                if column.type.python_type is not str:
                    raise EvacError("sync.edit_text_only")
                chosen = clean_text(value)
                if column.type.length and len(chosen) > column.type.length:  # type: ignore[attr-defined]
                    raise EvacError("value.too_long", max=column.type.length)  # type: ignore[attr-defined]
            else:
                raise ValueError(choice)
            record = session.get(SYNCED[conflict.entity], conflict.row_id)
            if record is None:
                raise NotFound("sync.conflict_not_found")
            session.info[capture.APPLYING] = True  # logged below, with what it settles
            setattr(record, conflict.field, decode(column, chosen))
            session.flush()
            conn = session.connection()
            capture.write(
                conn,
                site.tick(conn),
                [
                    (
                        "update",
                        conflict.entity,
                        conflict.row_id,
                        {conflict.field: encode(decode(column, chosen))},
                    )
                ],
                [f"{conflict.entity}:{conflict.row_id}:{conflict.field}"],
            )
            # The save itself is logged for sync by hand (above), not by the flush hooks, so the
            # audit entry is written here: which field, and the choice (values stay in the record).
            audit.record(
                session, "sync_resolve", entity=conflict.entity, entity_id=conflict.row_id,
                changes={"field": conflict.field, "choice": choice, "peer": conflict.peer_name},
            )  # fmt: skip
            conflict.status = "resolved"
            conflict.resolution = choice
            conflict.resolved_by = self.db.actor
            conflict.resolved_at = utcnow()
            household_id = getattr(record, "household_id", None) or (
                conflict.row_id if conflict.entity == "household" else None
            )
            if household_id is not None:
                from evacsupport.services.households import build_search_text, load_household

                household = load_household(session, household_id)
                household.search_text = build_search_text(household)
