"""Valid inputs to start from; each test overrides only what it is about."""

from __future__ import annotations

from evacsupport.db import Database
from evacsupport.services.consents import ConsentInput
from evacsupport.services.households import HouseholdInput, MemberInput


def member(**overrides: object) -> MemberInput:
    values: dict[str, object] = {
        "family_name": "山田",
        "given_name": "花子",
        "family_kana": "やまだ",
        "given_kana": "はなこ",
        "birth_date": "昭和20年5月3日",
        "sex": "female",
        "relation": "head",
    }
    values.update(overrides)
    return MemberInput(**values)  # type: ignore[arg-type]


def household(**overrides: object) -> HouseholdInput:
    values: dict[str, object] = {
        "evacuation_status": "hotel",
        "origin_municipality_code": "172049",
        "origin_address": "石川県輪島市河井町1-1",
        "current_address": "石川県金沢市香林坊1-1",
        "postal_code": "920-0961",
        "phone": "090-1234-5678",
        "members": [member()],
    }
    values.update(overrides)
    return HouseholdInput(**values)  # type: ignore[arg-type]


def consent(**overrides: object) -> ConsentInput:
    """Consent to support and to being connected to a venue (what assignment needs)."""
    values: dict[str, object] = {
        "consented_on": "2024-03-01",
        "purposes": ["support", "venue_connection"],
        "recipients": ["assigned_venue"],
        "staff": "佐藤",
    }
    values.update(overrides)
    return ConsentInput(**values)  # type: ignore[arg-type]


def signed_in(db: Database, username: str, password: str) -> Database:
    """Sign ``db`` in as this account (as the window and the CLI do after the password)."""
    from evacsupport.services.accounts import AccountService, sign_in

    sign_in(db, AccountService(db).authenticate(username, password))
    return db


def admin_account(db: Database) -> Database:
    """Give a new database the administrator the test environment signs in as (``admin`` /
    ``demo``, the EVACSUPPORT_USER and EVACSUPPORT_PASSWORD of tests/conftest.py), signed in:
    a command refuses a database that holds households but no account (only ``init`` opens
    it)."""
    from evacsupport.services.accounts import AccountService

    AccountService(db).create("admin", "demo", "admin", enforce_policy=False)
    return signed_in(db, "admin", "demo")
