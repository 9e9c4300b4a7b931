"""The audit trail's hash chain: what plain SQL can do to the entries, and what ``check`` says.

Each tamper below is what someone with the database file and an SQLite shell could do; the
chain must name the first entry it broke. The last tests state the limit: who rewrites the whole
chain and its head row gets a chain ``check`` accepts (the docs say so).
"""

from __future__ import annotations

import itertools
import threading
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from sqlalchemy import create_engine, delete, insert, select, text, update
from sqlalchemy.dialects import postgresql

from evacsupport.config import sqlite_url
from evacsupport.db import Database, audit_chain, migrate
from evacsupport.db.audit_chain import AUDIT, HEAD
from evacsupport.services import audit
from evacsupport.services.erasure import erase_household
from evacsupport.services.households import HouseholdService
from evacsupport.services.integrity import run_checks
from tests.factories import household


def write(db: Database, count: int) -> None:
    """``count`` entries, each in its own transaction, as the app writes them."""
    for n in range(count):
        with db.session() as session:
            audit.record(session, "export", entity="household", changes={"file": f"f{n}.csv"})


def rows(db: Database) -> list[Any]:
    with db.engine.connect() as conn:
        return list(conn.execute(select(AUDIT).order_by(AUDIT.c.seq)))


def verify(db: Database) -> audit_chain.Verification:
    with db.read() as session:
        return audit_chain.verify(session.connection())


def broken(db: Database) -> tuple[str, int] | None:
    found = verify(db)
    first = found.first_break
    if first is None or first.broken is None:
        return None
    return first.broken.kind, first.broken.seq


def sql(db: Database, *statements: Any) -> None:
    with db.engine.begin() as conn:
        for statement in statements:
            conn.execute(statement)


def entry_at(db: Database, seq: int) -> Any:
    return next(r for r in rows(db) if r.seq == seq)


def audit_problems(db: Database) -> list[str]:
    return [p.detail for p in run_checks(db).problems if p.check == "audit"]


def test_entries_of_every_writer_form_one_chain_that_check_accepts(db: Database) -> None:
    HouseholdService(db).create(household())  # the flush hook: several entries in one flush
    write(db, 3)  # audit.record
    found = rows(db)
    assert [r.seq for r in found] == list(range(1, len(found) + 1))
    assert len({r.origin for r in found}) == 1
    assert found[0].prev_hash == audit_chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in itertools.pairwise(found))
    result = verify(db)
    assert result.ok and result.verified == len(found)
    report = run_checks(db)
    assert report.ok
    assert report.audit_heads == ((str(found[0].origin)[:8], len(found), found[-1].hash),)
    with db.engine.connect() as conn:
        assert conn.execute(select(HEAD.c.seq, HEAD.c.hash)).one() == (len(found), found[-1].hash)


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("username", "someone else"),
        ("action", "login"),
        ("entity", "venue"),
        ("entity_id", uuid.uuid4()),
        ("id", uuid.uuid4()),
        ("digest", "0" * 64),
        ("prev_hash", "1" * 64),
        ("hash", "2" * 64),
    ],
)
def test_an_edited_field_is_named_at_its_entry(db: Database, column: str, value: Any) -> None:
    write(db, 5)
    sql(db, update(AUDIT).where(AUDIT.c.seq == 3).values({column: value}))
    assert broken(db) == (audit_chain.EDITED, 3)
    (line,) = audit_problems(db)
    assert "3件目が書き換えられています" in line


def test_an_edited_time_is_named_at_its_entry(db: Database) -> None:
    write(db, 5)
    backdated = entry_at(db, 2).at - timedelta(days=30)
    sql(db, update(AUDIT).where(AUDIT.c.seq == 2).values(at=backdated))
    assert broken(db) == (audit_chain.EDITED, 2)


def test_edited_changes_are_named_as_such(db: Database) -> None:
    write(db, 4)
    sql(db, update(AUDIT).where(AUDIT.c.seq == 2).values(changes={"file": "other.csv"}))
    assert broken(db) == (audit_chain.CHANGES_EDITED, 2)
    assert "2件目の変更内容が書き換えられています" in audit_problems(db)[0]


def test_a_moved_origin_or_number_is_seen(db: Database) -> None:
    write(db, 4)
    sql(db, update(AUDIT).where(AUDIT.c.seq == 2).values(origin=uuid.uuid4()))
    result = verify(db)
    assert not result.ok
    own = next(c for c in result.chains if c.origin == entry_at(db, 1).origin)
    assert own.broken == audit_chain.Break(audit_chain.MISSING, 2)


def test_a_deleted_entry_is_named(db: Database) -> None:
    write(db, 5)
    sql(db, delete(AUDIT).where(AUDIT.c.seq == 3))
    assert broken(db) == (audit_chain.MISSING, 3)
    assert "3件目が削除されたか" in audit_problems(db)[0]


def test_the_last_entry_deleted_is_seen_against_the_head(db: Database) -> None:
    write(db, 5)
    sql(db, delete(AUDIT).where(AUDIT.c.seq == 5))
    assert broken(db) == (audit_chain.MISSING, 5)


def test_two_swapped_entries_are_named(db: Database) -> None:
    write(db, 5)
    sql(
        db,
        update(AUDIT).where(AUDIT.c.seq == 2).values(seq=-2),
        update(AUDIT).where(AUDIT.c.seq == 3).values(seq=2),
        update(AUDIT).where(AUDIT.c.seq == -2).values(seq=3),
    )
    assert broken(db) == (audit_chain.REORDERED, 2)
    assert "2件目の順序が入れ替えられています" in audit_problems(db)[0]


def _forged(db: Database, seq: int, prev_hash: str) -> dict[str, Any]:
    """An entry made by someone who knows the hashing (it is no secret)."""
    origin = entry_at(db, 1).origin
    row: dict[str, Any] = {
        "id": uuid.uuid4(),
        "at": entry_at(db, 1).at,
        "username": "admin",
        "action": "erase",
        "entity": "household",
        "entity_id": uuid.uuid4(),
        "changes": {"reason_code": "request"},
        "origin": origin,
        "seq": seq,
        "digest": audit_chain.digest_of({"reason_code": "request"}),
        "prev_hash": prev_hash,
    }
    row["hash"] = audit_chain.link_hash(prev_hash, row)
    return row


def test_an_entry_inserted_by_hand_is_seen(db: Database) -> None:
    write(db, 3)
    sql(db, insert(AUDIT).values(_forged(db, 0, "") | {"origin": None, "seq": None, "hash": None}))
    assert verify(db).loose == 1
    assert audit_problems(db) == ["連鎖に含まれない監査ログが1件あります（後から差し込まれたもの）"]


def test_a_forged_entry_appended_with_a_valid_hash_is_seen_past_the_head(db: Database) -> None:
    write(db, 3)
    sql(db, insert(AUDIT).values(_forged(db, 4, entry_at(db, 3).hash)))
    assert broken(db) == (audit_chain.INSERTED, 4)


def test_a_forged_entry_inserted_between_two_is_named(db: Database) -> None:
    write(db, 5)
    # make room after entry 2 (numbers moved up from the end), then put the forgery there
    for seq in (5, 4, 3):
        sql(db, update(AUDIT).where(AUDIT.c.seq == seq).values(seq=seq + 1))
    sql(db, insert(AUDIT).values(_forged(db, 3, entry_at(db, 2).hash)))
    assert broken(db) == (audit_chain.INSERTED, 3)
    assert "3件目は後から差し込まれたものです" in audit_problems(db)[0]


def _rehash_after(db: Database, kept: int) -> str:
    """Renumber and recompute the links after entry ``kept``, as an attacker who knows the
    hashing would; the new last hash."""
    found = [r for r in rows(db) if r.seq > kept]
    prev = entry_at(db, kept).hash
    for new_seq, row in enumerate(found, start=kept + 1):
        values = dict(row._mapping) | {"seq": new_seq, "prev_hash": prev}
        values["hash"] = prev = audit_chain.link_hash(prev, values)
        sql(
            db,
            update(AUDIT)
            .where(AUDIT.c.id == row.id)
            .values(seq=new_seq, prev_hash=values["prev_hash"], hash=values["hash"]),
        )
    return prev


def test_a_tail_rehashed_after_a_deletion_is_seen_while_the_head_is_kept(db: Database) -> None:
    write(db, 6)
    sql(db, delete(AUDIT).where(AUDIT.c.seq == 3))
    _rehash_after(db, 2)
    assert broken(db) == (audit_chain.MISSING, 6)  # the chain now ends before its head


def test_a_whole_rewrite_with_its_head_passes_check_the_stated_limit(db: Database) -> None:
    """Who rewrites entries and the head row alike gets a consistent chain: no unkeyed chain
    can tell. Only a head kept elsewhere (check prints it) shows the rewrite."""
    write(db, 6)
    kept = run_checks(db).audit_heads
    sql(db, delete(AUDIT).where(AUDIT.c.seq == 3))
    last = _rehash_after(db, 2)
    sql(db, update(HEAD).values(seq=5, hash=last))
    report = run_checks(db)
    assert report.ok
    assert report.audit_heads != kept  # the end noted down before no longer matches


def test_erasure_then_check_passes_and_a_later_edit_of_a_scrubbed_entry_is_seen(
    db: Database,
) -> None:
    service = HouseholdService(db)
    created = service.create(household())
    erase_household(db, created.id, "request")
    scrubs = [r for r in rows(db) if r.action == audit_chain.SCRUB]
    assert len(scrubs) == 1 and scrubs[0].entity_id == created.id
    vouched = scrubs[0].changes["digests"]
    assert vouched and scrubs[0].changes["entries"] == len(vouched)
    assert audit_problems(db) == [] and verify(db).ok

    scrubbed = next(r for r in rows(db) if str(r.id) in vouched)
    sql(db, update(AUDIT).where(AUDIT.c.id == scrubbed.id).values(changes={"phone": "x"}))
    assert broken(db) == (audit_chain.CHANGES_EDITED, scrubbed.seq)


def test_a_forged_scrub_entry_is_reported_where_it_stands(db: Database) -> None:
    write(db, 3)
    target = entry_at(db, 2)
    sql(db, update(AUDIT).where(AUDIT.c.id == target.id).values(changes={"file": "other"}))
    forged = _forged(db, 4, entry_at(db, 3).hash)
    forged["action"] = audit_chain.SCRUB
    forged["changes"] = audit_chain.scrub_changes(
        {target.id: audit_chain.digest_of({"file": "other"})}
    )
    forged["digest"] = audit_chain.digest_of(forged["changes"])
    forged["hash"] = audit_chain.link_hash(forged["prev_hash"], forged)
    sql(db, insert(AUDIT).values(forged))
    assert broken(db) == (audit_chain.INSERTED, 4)  # past the head: not a vouch to trust


def test_writers_in_parallel_never_fork_the_chain(db: Database) -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            write(db, 5)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    found = rows(db)
    assert [r.seq for r in found] == list(range(1, 21))
    assert verify(db).ok


def test_the_head_is_locked_for_update_on_postgresql() -> None:
    statement = audit_chain.head_query(uuid.uuid4())
    assert "FOR UPDATE" in str(statement.compile(dialect=postgresql.dialect()))


def test_the_head_lock_is_taken_before_each_append(db: Database, monkeypatch: Any) -> None:
    taken: list[uuid.UUID] = []
    real = audit_chain.lock_head

    def spy(conn: Any, origin: uuid.UUID) -> tuple[int, str]:
        taken.append(origin)
        return real(conn, origin)

    monkeypatch.setattr(audit_chain, "lock_head", spy)
    write(db, 2)
    assert len(taken) == 2


def test_entries_from_before_the_chain_are_chained_on_upgrade_in_time_order(
    tmp_path: Path,
) -> None:
    url = sqlite_url(tmp_path / "old.sqlite3")
    engine = create_engine(url)
    ids = [uuid.uuid4() for _ in range(3)]
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0009")
        for n, (entry_id, day) in enumerate(zip(ids, ("03", "01", "02"), strict=True)):
            conn.execute(
                text(
                    "INSERT INTO audit_entry (id, at, username, action, entity, changes)"
                    " VALUES (:id, :at, 'staff', 'export', '', :changes)"
                ),
                {
                    "id": entry_id.hex,
                    "at": f"2024-01-{day} 10:00:00.000000",
                    "changes": f'{{"n": {n}}}',
                },
            )
    engine.dispose()
    db = Database(url)
    try:
        found = rows(db)
        assert [r.id for r in found] == [ids[1], ids[2], ids[0]]
        assert [r.seq for r in found] == [1, 2, 3]
        assert verify(db).ok and run_checks(db).ok
        write(db, 1)  # new entries go on from there
        assert verify(db).verified == 4
    finally:
        db.close()
