"""Accounts arriving in a package: who may let them in, and what they may become here.

An account decides who may read and change everything on a laptop, and a package is only as
trustworthy as the team passphrase, which every member holds. So before a merge:

* **Who imports.** A package that would add or change an account is imported by an
  administrator. The exceptions are a laptop with no accounts at all (nobody to sign in yet:
  a new laptop starting from its first package) and a venue laptop reading its own venue's
  package, which carries that venue's staff accounts; a venue laptop has no administrator,
  and staff leaving or joining at the office must reach it.
* **What the sender could give.** The exporting account's role travels in the package
  (``sender_role``). A package not exported by an administrator may carry only venue staff
  accounts (what a coordinator's venue package carries) and may not raise one: no other
  role, no move to another venue, no disabled or deleted account made usable again.
* **What a venue package may carry.** Only venue staff accounts of that venue.

The changes are walked in the order the merge applies them, over the accounts as they would
stand after each one, so an account added and then promoted in the same package is seen as
promoted. ``sender_role`` is what the sending laptop says about who exported the package;
like the rest of the package it is authenticated only by the team passphrase (anyone holding
it can write one), which is why the first rule, decided on this laptop, comes first.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, select

from evacsupport.domain.codes import Role
from evacsupport.errors import EvacError
from evacsupport.sync import schema, site
from evacsupport.sync.codec import encode, synced_columns, table

ACCOUNT = "app_user"
VENUE_STAFF = str(Role.VENUE_STAFF)


def _changes_something(change: dict[str, Any], account: dict[str, Any] | None) -> bool:
    """Whether ``change`` would add the account or alter any of its values."""
    op = change["op"]
    if account is None:
        return op in ("insert", "state")  # an update or delete of nothing changes nothing
    if op == "delete":
        return account.get("deleted_at") is None
    return any(account.get(k) != v for k, v in change["data"].items())


def _raises(before: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether the new values give the account more than it had (for a non-administrator's
    package, where the role is venue staff on both sides already)."""
    if before.get("active") is False and data.get("active") is True:
        return True
    if before.get("deleted_at") is not None and "deleted_at" in data and data["deleted_at"] is None:
        return True
    return "venue_id" in data and data["venue_id"] != before.get("venue_id")


def _unseen(conn: Connection, me: site.Site, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The account changes the merge will apply: not from here, not already in the log."""
    from evacsupport.sync.merge import CHANGES

    mine = str(me.site_id)
    candidates = [c for c in changes if c["entity"] == ACCOUNT and c.get("origin") != mine]
    known: set[str] = set()
    for start in range(0, len(candidates), 500):
        ids = [uuid.UUID(c["id"]) for c in candidates[start : start + 500]]
        known.update(
            str(i) for i in conn.scalars(select(CHANGES.c.id).where(CHANGES.c.id.in_(ids)))
        )
    return [c for c in candidates if c["id"] not in known]


def _accounts_here(conn: Connection, rows: set[str]) -> dict[str, dict[str, Any]]:
    users = table(ACCOUNT)
    names = [c.name for c in synced_columns(ACCOUNT)]
    found: dict[str, dict[str, Any]] = {}
    ids = [uuid.UUID(r) for r in rows]
    for start in range(0, len(ids), 500):
        query = select(users.c.id, *(users.c[n] for n in names)).where(
            users.c.id.in_(ids[start : start + 500])
        )
        for row in conn.execute(query):
            found[str(row[0])] = {n: encode(v) for n, v in zip(names, row[1:], strict=True)}
    return found


def check(conn: Connection, me: site.Site, role: str | None, package: schema.Package) -> None:
    """Refuse the whole package (``EvacError``) if its accounts break a rule above.

    ``role`` is the importing account's (``None``: this laptop has no accounts yet, since the
    gate lets nobody else through)."""
    changes = _unseen(conn, me, package.changes)
    if not changes:
        return
    accounts = _accounts_here(conn, {c["row"] for c in changes})
    by_admin = package.sender_role == Role.ADMIN
    venue_id = package.scope.venue_id if package.scope is not None else None
    scope_venue = str(venue_id) if venue_id is not None else None
    own_venue_laptop = venue_id is not None and me.scope_venue_id == venue_id
    importer_may = role is None or role == Role.ADMIN or own_venue_laptop
    for change in changes:
        before = accounts.get(change["row"])
        if not _changes_something(change, before):
            continue
        if not importer_may:
            raise EvacError("sync.accounts_need_admin")
        data = change["data"]
        after = {**(before or {}), **data}
        if change["op"] == "delete":
            after["deleted_at"] = "deleted"  # the merge stamps the time; any value means deleted
        if scope_venue is not None:
            for account in (before, after):
                if account is not None and (
                    account.get("role") != VENUE_STAFF or account.get("venue_id") != scope_venue
                ):
                    raise EvacError("sync.accounts_outside_venue")
        if not by_admin:
            for account in (before, after):
                if account is not None and account.get("role") != VENUE_STAFF:
                    raise EvacError("sync.accounts_above_sender")
            if before is not None and _raises(before, data):
                raise EvacError("sync.accounts_above_sender")
        accounts[change["row"]] = after
