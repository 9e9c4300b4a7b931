"""The data model: households and their people, venues, and everything logged about them.

Choice columns store the stable codes from :mod:`evacsupport.domain.codes`; lists (allergens,
consent purposes, a venue's weekly schedule) are JSON so the same code runs on SQLite and
PostgreSQL. Validation lives in the services: these classes only describe storage.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from evacsupport.db.base import Base, RecordMixin


class DisasterEvent(RecordMixin, Base):
    """A disaster; its code prefixes the case numbers of the households it displaced."""

    __tablename__ = "disaster_event"

    code: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    occurred_on: Mapped[date] = mapped_column(Date)
    description: Mapped[str] = mapped_column(Text, default="")


class Household(RecordMixin, Base):
    __tablename__ = "household"

    event_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("disaster_event.id"), index=True)
    case_number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[str] = mapped_column(String(16), default="active", index=True)
    closed_on: Mapped[date | None] = mapped_column(Date, default=None)
    origin_municipality_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    origin_address: Mapped[str] = mapped_column(String(300), default="")
    evacuation_status: Mapped[str] = mapped_column(String(32), index=True)
    current_municipality_code: Mapped[str] = mapped_column(String(6), default="", index=True)
    current_address: Mapped[str] = mapped_column(String(300), default="")
    postal_code: Mapped[str] = mapped_column(String(7), default="")
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    location_precision: Mapped[str] = mapped_column(String(16), default="", server_default="")
    """Where the point came from: "manual" (typed, imported, clicked) or the geocoder's
    precision ("koaza", "town", "postal", "city"); "" when there is no point."""
    phone: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    # Derived from members, case number and phone by the service on every save, so that search
    # is one indexed-column scan instead of a join per keystroke.
    search_text: Mapped[str] = mapped_column(Text, default="")
    # The source list and its own household number, so a re-imported list updates, not duplicates.
    source: Mapped[str] = mapped_column(String(100), default="")
    source_ref: Mapped[str] = mapped_column(String(100), default="")

    event: Mapped[DisasterEvent] = relationship()
    members: Mapped[list[Member]] = relationship(
        back_populates="household", order_by="Member.position", cascade="all, delete-orphan"
    )
    consents: Mapped[list[Consent]] = relationship(
        back_populates="household", order_by="Consent.created_at", cascade="all, delete-orphan"
    )
    residences: Mapped[list[Residence]] = relationship(
        back_populates="household", order_by="Residence.moved_on", cascade="all, delete-orphan"
    )
    assignments: Mapped[list[Assignment]] = relationship(
        back_populates="household", order_by="Assignment.start_on", cascade="all, delete-orphan"
    )

    @property
    def current_members(self) -> list[Member]:
        return [m for m in self.members if m.deleted_at is None]

    @property
    def head(self) -> Member | None:
        return next((m for m in self.current_members if m.is_head), None)

    @property
    def current_consent(self) -> Consent | None:
        """The newest consent record; older ones are kept as history."""
        live = [c for c in self.consents if c.deleted_at is None]
        return max(live, key=lambda c: (c.consented_on, c.created_at)) if live else None

    @property
    def active_assignment(self) -> Assignment | None:
        return next(
            (a for a in self.assignments if a.status == "active" and a.deleted_at is None), None
        )


class Member(RecordMixin, Base):
    __tablename__ = "member"
    __table_args__ = (
        Index("ix_member_kana_birth", "family_kana", "given_kana", "birth_date"),
        # covering: members counted per household with the youngest's birth date (household
        # list, older people living alone in the monthly report) without reading the table
        Index("ix_member_household_live_birth", "household_id", "deleted_at", "birth_date"),
    )

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    family_name: Mapped[str] = mapped_column(String(100))
    given_name: Mapped[str] = mapped_column(String(100), default="")
    family_kana: Mapped[str] = mapped_column(String(100))
    given_kana: Mapped[str] = mapped_column(String(100), default="")
    birth_date: Mapped[date | None] = mapped_column(Date, default=None)
    sex: Mapped[str] = mapped_column(String(16), default="unknown")
    relation: Mapped[str] = mapped_column(String(16), default="other")
    allergens: Mapped[list[str]] = mapped_column(JSON, default=list)
    dietary_needs: Mapped[str] = mapped_column(Text, default="")
    care_level: Mapped[str] = mapped_column(String(16), default="none")
    needs_wheelchair: Mapped[bool] = mapped_column(Boolean, default=False)
    # 要配慮個人情報: only with consent covering sensitive data (enforced by the services).
    medical_notes: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(16), default="ja")
    phone: Mapped[str] = mapped_column(String(20), default="")

    household: Mapped[Household] = relationship(back_populates="members")

    @property
    def is_head(self) -> bool:
        return self.relation == "head"

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()

    @property
    def full_kana(self) -> str:
        return f"{self.family_kana} {self.given_kana}".strip()


class Consent(RecordMixin, Base):
    """One consent as given; a change is a new record, so history is never overwritten."""

    __tablename__ = "consent"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    subject: Mapped[str] = mapped_column(String(16))
    proxy_name: Mapped[str] = mapped_column(String(200), default="")
    proxy_relation: Mapped[str] = mapped_column(String(100), default="")
    consented_on: Mapped[date] = mapped_column(Date)
    method: Mapped[str] = mapped_column(String(16))
    staff: Mapped[str] = mapped_column(String(100), default="")
    purposes: Mapped[list[str]] = mapped_column(JSON, default=list)
    data_categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    recipients: Mapped[list[str]] = mapped_column(JSON, default=list)
    expires_on: Mapped[date | None] = mapped_column(Date, default=None)
    withdrawn_on: Mapped[date | None] = mapped_column(Date, default=None)
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("consent.id"), default=None)
    notes: Mapped[str] = mapped_column(Text, default="")

    household: Mapped[Household] = relationship(back_populates="consents")


class Residence(RecordMixin, Base):
    """Where the household stayed from ``moved_on``: the trail hotel → みなし仮設 → home."""

    __tablename__ = "residence"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    evacuation_status: Mapped[str] = mapped_column(String(32))
    moved_on: Mapped[date] = mapped_column(Date)
    place: Mapped[str] = mapped_column(String(300), default="")
    municipality_code: Mapped[str] = mapped_column(String(6), default="")
    notes: Mapped[str] = mapped_column(Text, default="")

    household: Mapped[Household] = relationship(back_populates="residences")


class Venue(RecordMixin, Base):
    __tablename__ = "venue"

    name: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(32))
    operator: Mapped[str] = mapped_column(String(200), default="")
    postal_code: Mapped[str] = mapped_column(String(7), default="")
    municipality_code: Mapped[str] = mapped_column(String(6), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    latitude: Mapped[float | None] = mapped_column(Float, default=None)
    longitude: Mapped[float | None] = mapped_column(Float, default=None)
    location_precision: Mapped[str] = mapped_column(String(16), default="", server_default="")
    """Where the point came from: "manual" (typed, imported, clicked) or the geocoder's
    precision ("koaza", "town", "postal", "city"); "" when there is no point."""
    capacity: Mapped[int] = mapped_column(Integer)
    # [{"weekday": 0-6 (Monday 0), "start": "17:00", "end": "19:00"}, ...]
    schedule: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    allergens_handled: Mapped[list[str]] = mapped_column(JSON, default=list)
    wheelchair_access: Mapped[bool] = mapped_column(Boolean, default=False)
    contact_name: Mapped[str] = mapped_column(String(100), default="")
    phone: Mapped[str] = mapped_column(String(20), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True, index=True)
    notes: Mapped[str] = mapped_column(Text, default="")
    # The counter's rules for this venue (see services.meals.MealRules); empty means defaults.
    meal_rules: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)


class Assignment(RecordMixin, Base):
    __tablename__ = "assignment"

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venue.id"), index=True)
    start_on: Mapped[date] = mapped_column(Date)
    end_on: Mapped[date | None] = mapped_column(Date, default=None)
    status: Mapped[str] = mapped_column(String(16), default="active")
    reason: Mapped[str] = mapped_column(Text, default="")
    end_reason: Mapped[str] = mapped_column(Text, default="")

    household: Mapped[Household] = relationship(back_populates="assignments")
    venue: Mapped[Venue] = relationship()

    __table_args__ = (
        # a venue's load (people and households assigned) without reading assignment rows
        Index("ix_assignment_venue_live", "venue_id", "status", "deleted_at", "household_id"),
    )


class MealLog(RecordMixin, Base):
    """One serving event: a household (with counts) or anonymous guests; its UUID is the event id.

    ``dedup_key`` is set when the same event can arrive twice from outside (a re-imported file),
    so the unique index refuses the second copy.
    """

    __tablename__ = "meal_log"
    __table_args__ = (
        Index("ix_meal_log_venue_date_type", "venue_id", "served_on", "meal_type"),
        # covering: a household's meal history and last meal without reading the table
        Index("ix_meal_log_household_date_live", "household_id", "served_on", "deleted_at"),
        # covering: the monthly figures (one month's meals by venue and type, people summed)
        Index(
            "ix_meal_log_month_cover",
            "served_on",
            "venue_id",
            "meal_type",
            "household_id",
            "adults",
            "children",
            "deleted_at",
        ),
    )

    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venue.id"))
    household_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("household.id"), default=None)
    served_on: Mapped[date] = mapped_column(Date)
    served_at: Mapped[datetime | None] = mapped_column(default=None)
    meal_type: Mapped[str] = mapped_column(String(16))
    adults: Mapped[int] = mapped_column(Integer, default=0)
    children: Mapped[int] = mapped_column(Integer, default=0)
    # ids of the members served, when staff unticked some; empty means the whole household
    member_ids: Mapped[list[str]] = mapped_column(JSON, default=list)
    staff: Mapped[str] = mapped_column(String(100), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    # Why staff served despite a counter rule (empty when no rule was overridden).
    override_note: Mapped[str] = mapped_column(Text, default="")
    dedup_key: Mapped[str | None] = mapped_column(String(64), unique=True, default=None)


class Visit(RecordMixin, Base):
    __tablename__ = "visit"
    __table_args__ = (Index("ix_visit_household_date", "household_id", "visited_on"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    member_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("member.id"), default=None)
    visited_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(16))
    staff: Mapped[str] = mapped_column(String(100), default="")
    duration_minutes: Mapped[int | None] = mapped_column(Integer, default=None)
    summary: Mapped[str] = mapped_column(Text, default="")
    concerns: Mapped[str] = mapped_column(Text, default="")
    referral: Mapped[str | None] = mapped_column(String(32), default=None)
    follow_up_due: Mapped[date | None] = mapped_column(Date, default=None)


class CheckIn(RecordMixin, Base):
    """A wellbeing check-in for one member; scores are computed from ``answers`` by the service."""

    __tablename__ = "checkin"
    __table_args__ = (Index("ix_checkin_household_date", "household_id", "checked_on"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"))
    member_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("member.id"), index=True)
    checked_on: Mapped[date] = mapped_column(Date)
    staff: Mapped[str] = mapped_column(String(100), default="")
    # {"loneliness": [3], "ucla3": [2, 2, 3], "k6": [1, 0, 2, 1, 1, 0]}
    answers: Mapped[dict[str, list[int]]] = mapped_column(JSON, default=dict)
    loneliness: Mapped[int | None] = mapped_column(Integer, default=None)
    ucla3_score: Mapped[int | None] = mapped_column(Integer, default=None)
    k6_score: Mapped[int | None] = mapped_column(Integer, default=None)
    sleep: Mapped[str] = mapped_column(String(16), default="")
    appetite: Mapped[str] = mapped_column(String(16), default="")
    health_worries: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")


class FollowUp(RecordMixin, Base):
    __tablename__ = "followup"
    __table_args__ = (Index("ix_followup_status_due", "status", "due_on"),)

    household_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("household.id"), index=True)
    due_on: Mapped[date] = mapped_column(Date)
    owner: Mapped[str] = mapped_column(String(100), default="")
    reason: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(16), default="manual")
    source_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(16), default="open")
    done_on: Mapped[date | None] = mapped_column(Date, default=None)
    outcome: Mapped[str] = mapped_column(Text, default="")


class HouseholdFacts(Base):
    """What the risk rules and the household list need from a household's activity, kept current
    by :mod:`evacsupport.db.facts` in the transaction of every write that changes it, so the list,
    the dashboard and the risk counts read one row a household instead of the whole history.

    Derived data: never synced, never audited (rebuilt by ``evacsupport check --repair``). Only
    dates and scores are stored, nothing that depends on "today" or on the risk settings: days
    since a contact, the regular-attendance window and overdue follow-ups are worked out when
    read. ``horizon`` is the latest date any of it depends on; a view for an earlier day than
    the caseload's horizon recomputes from the history instead.
    """

    __tablename__ = "household_facts"

    household_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("household.id", ondelete="CASCADE"), primary_key=True
    )
    last_meal: Mapped[date | None] = mapped_column(Date, default=None)
    # ISO dates of the last meals (at most facts.RECENT_MEALS, newest first): with the last
    # meal, whether a regular stopped coming, for any window the settings choose
    recent_meals: Mapped[list[str]] = mapped_column(JSON, default=list)
    last_contact: Mapped[date | None] = mapped_column(Date, default=None)  # meal, visit, check-in
    # the worst of the members' latest scores
    latest_k6: Mapped[int | None] = mapped_column(Integer, default=None)
    latest_loneliness: Mapped[int | None] = mapped_column(Integer, default=None)
    latest_ucla3: Mapped[int | None] = mapped_column(Integer, default=None)
    # [member id hex, [k6, loneliness, ucla3] latest, [...] the one before or null], by member id
    member_scores: Mapped[list[Any]] = mapped_column(JSON, default=list)
    open_followups: Mapped[int] = mapped_column(Integer, default=0)
    open_due: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO due dates, ascending
    horizon: Mapped[date | None] = mapped_column(Date, default=None, index=True)


class User(RecordMixin, Base):
    __tablename__ = "app_user"

    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venue.id"), default=None)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(default=None)


class AuditEntry(Base):
    """Append-only: who did what to which record, with old and new values of changed fields.

    Each entry is a link of its origin's hash chain (:mod:`evacsupport.db.audit_chain`):
    ``seq`` numbers the entries of one ``origin`` (the sync site id of the database that wrote
    it), ``digest`` is the hash of ``changes`` as first written and ``hash`` covers the fields,
    the digest and ``prev_hash``. The chain columns are empty only in a row written by hand.
    """

    __tablename__ = "audit_entry"
    __table_args__ = (
        Index("ix_audit_entry_entity", "entity", "entity_id"),
        Index("ix_audit_entry_chain", "origin", "seq", unique=True),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(index=True)
    username: Mapped[str] = mapped_column(String(64), default="")
    action: Mapped[str] = mapped_column(String(16))
    entity: Mapped[str] = mapped_column(String(32), default="")
    entity_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    changes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    origin: Mapped[uuid.UUID | None] = mapped_column(default=None)
    seq: Mapped[int | None] = mapped_column(Integer, default=None)
    digest: Mapped[str | None] = mapped_column(String(64), default=None)
    prev_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    hash: Mapped[str | None] = mapped_column(String(64), default=None)


class AuditHead(Base):
    """The last link of each origin's audit chain: what the next entry follows, and the row a
    writer locks (``SELECT … FOR UPDATE`` on PostgreSQL) so two transactions never both append
    after the same entry. ``check`` also compares the chain's end with it, so entries cut off
    the end, or a chain rebuilt after a deletion that left this row alone, are seen."""

    __tablename__ = "audit_head"

    origin: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64), default="")


# --- Offline sync between laptops (see evacsupport/sync) -------------------------------------


class SyncState(Base):
    """This database's identity for sync, made on first use (so a copied template is not shared).

    ``lamport`` is a logical clock: every local change gets the next value, and importing raises
    it past everything seen, so a later edit always carries a larger stamp than what it edited.
    ``scope_venue_id`` is set on a venue laptop that was started from a venue-scoped package.
    """

    __tablename__ = "sync_state"

    key: Mapped[int] = mapped_column(Integer, primary_key=True, default=1)
    site_id: Mapped[uuid.UUID] = mapped_column(default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), default="")
    lamport: Mapped[int] = mapped_column(Integer, default=0)
    scope_venue_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    # Identities this database had before a restore from backup: peers still know it by them.
    former_site_ids: Mapped[list[str]] = mapped_column(JSON, default=list)


class SyncChange(Base):
    """One saved change to one record, in the order this database learned of it (``seq``).

    Local saves are captured from the ORM flush; imported changes keep their origin and stamp and
    get a local ``seq`` so they can be passed on. ``data`` holds the new values of the changed
    fields, ``bases`` the stamps of the values they replaced (how concurrent edits are told from
    later ones), ``stamps`` per-field stamps for a venue snapshot (``op == "state"``).
    """

    __tablename__ = "sync_change"
    __table_args__ = (
        Index("ix_sync_change_row", "entity", "row_id"),
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    id: Mapped[uuid.UUID] = mapped_column(unique=True)
    origin: Mapped[uuid.UUID] = mapped_column(index=True)
    lamport: Mapped[int] = mapped_column(Integer)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[uuid.UUID] = mapped_column()
    op: Mapped[str] = mapped_column(String(8))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    bases: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    stamps: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    resolves: Mapped[list[str]] = mapped_column(JSON, default=list)
    at: Mapped[datetime] = mapped_column()


class SyncPeer(Base):
    """Another laptop this one exchanges packages with, and how far each side has got."""

    __tablename__ = "sync_peer"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    site_id: Mapped[uuid.UUID | None] = mapped_column(unique=True, default=None)
    scope_venue_id: Mapped[uuid.UUID | None] = mapped_column(default=None)
    acked_seq: Mapped[int] = mapped_column(Integer, default=0)
    received_seq: Mapped[int] = mapped_column(Integer, default=0)
    last_export_at: Mapped[datetime | None] = mapped_column(default=None)
    last_import_at: Mapped[datetime | None] = mapped_column(default=None)


class SyncConflict(Base):
    """The same field edited on two laptops before either saw the other's edit.

    The merge keeps the later edit on every laptop (so all agree) and records both values here;
    nothing is lost until a coordinator decides (keep mine, take theirs, or edit).
    """

    __tablename__ = "sync_conflict"
    __table_args__ = (Index("ix_sync_conflict_row", "entity", "row_id", "field"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    entity: Mapped[str] = mapped_column(String(32))
    row_id: Mapped[uuid.UUID] = mapped_column()
    field: Mapped[str] = mapped_column(String(64))
    mine: Mapped[Any] = mapped_column(JSON, nullable=True)
    theirs: Mapped[Any] = mapped_column(JSON, nullable=True)
    kept: Mapped[str] = mapped_column(String(8))
    peer_name: Mapped[str] = mapped_column(String(100), default="")
    detected_at: Mapped[datetime] = mapped_column()
    status: Mapped[str] = mapped_column(String(16), default="open", index=True)
    resolution: Mapped[str] = mapped_column(String(16), default="")
    resolved_by: Mapped[str] = mapped_column(String(100), default="")
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
