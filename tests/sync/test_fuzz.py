"""Fuzzing the import: whatever the file holds, one clear line or a merge, never a traceback.

Random bytes, real packages cut short or with bits flipped, and real packages opened, changed
in their structure and sealed again with the right passphrase (what anyone holding the team
passphrase could make). Each attempt must end in an :class:`EvacError` with a one-line message
and the database exactly as before (row counts and a hash of every table), or in a merge; none
may take 10 s. The scrypt cost is lowered for these tests only (``cheap_kdf``).
"""

from __future__ import annotations

import copy
import json
import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from hypothesis.control import currently_in_test_context

from evacsupport.db.facts import stale_households
from evacsupport.errors import EvacError
from evacsupport.services.accounts import AccountService
from evacsupport.services.assignment import AssignmentService
from evacsupport.services.consents import record_consent
from evacsupport.services.households import HouseholdService
from evacsupport.services.meals import MealEntry, MealService
from evacsupport.services.venues import VenueInput, VenueService
from evacsupport.sync import crypto
from tests.factories import consent, household, member, signed_in
from tests.sync.conftest import PASSPHRASE, Laptop
from tests.sync.helpers import fingerprint

LIMIT_S = 10.0
SOME_ID = "7f1de5a2-3c4b-4e8f-9a01-b2c3d4e5f607"
FUZZ = settings(
    max_examples=100,
    deadline=None,  # timed inside each attempt, against LIMIT_S
    derandomize=True,  # the same attempts on every run: a failure is reproducible
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    database=None,
)


class Office:
    """A laptop with something of everything a package carries, a peer, and a venue laptop."""

    def __init__(self, laptop: Callable[[str], Laptop]) -> None:
        self.office, self.peer, self.venue = laptop("office"), laptop("peer"), laptop("venue")
        accounts = AccountService(self.office.db)
        accounts.create("admin", "office-pass-1", "admin")
        signed_in(self.office.db, "admin", "office-pass-1")
        place = VenueService(self.office.db).create(
            VenueInput(
                name="こども食堂わじま",
                capacity=30,
                coordinates="36.5613, 136.6562",
                allergens_handled=["卵"],
            )
        )
        accounts.create("kato", "kato-pass-1", "venue_staff", venue=place.name)
        accounts.create("sato", "sato-pass-1", "coordinator")
        home = HouseholdService(self.office.db).create(
            household(
                members=[member(), member(given_name="太郎", relation="child", allergens=["卵"])]
            )
        )
        record_consent(self.office.db, home.id, consent())
        AssignmentService(self.office.db).assign(home.id, place.id, start_on=date.today())
        MealService(self.office.db).log(MealEntry(venue_id=place.id, code=home.case_number))
        HouseholdService(self.peer.db).create(household(members=[member(given_name="次郎")]))
        self.full = self.office.send(self.peer).read_bytes()
        self.scoped = self.office.send(self.venue, scope=f"venue:{place.name}").read_bytes()
        self.attempts = 0

    def attempt(self, target: Laptop, blob: bytes) -> str:
        """Import ``blob`` on ``target``; the outcome's name. Fails on a traceback, on a refusal
        that changed anything, on a message that is not one line, and on 10 s."""
        self.attempts += 1
        path = target.folder / f"fuzz-{self.attempts}.evsync"
        path.write_bytes(blob)
        before = fingerprint(target.db)
        start = time.perf_counter()
        try:
            target.sync.import_(path, PASSPHRASE, accept_unknown=True)
        except EvacError as exc:
            text = str(exc)
            assert text and text != exc.code and "\n" not in text, text
            assert fingerprint(target.db) == before, exc.code
            outcome = exc.code
        else:
            outcome = "merged"
            with target.db.read() as session:  # whatever merged, the household facts follow
                assert stale_households(session.connection()) == []
        finally:
            path.unlink()
        assert time.perf_counter() - start < LIMIT_S
        if currently_in_test_context():
            event(outcome)  # shown with --hypothesis-show-statistics
        return outcome


@pytest.fixture
def office(laptop: Callable[[str], Laptop], cheap_kdf: None) -> Office:
    return Office(laptop)


def json_values() -> st.SearchStrategy[Any]:
    scalars = (
        st.none()
        | st.booleans()
        | st.integers(min_value=-(2**70), max_value=2**70)
        | st.floats()  # NaN and infinity too: json.dumps writes them, the reader must refuse
        | st.text(max_size=20)
        | st.sampled_from(["", "\x00", "insert", "state", "app_user", "admin", "2024-01-01",
                           "2024-01-01T00:00:00", SOME_ID, SOME_ID.upper()])
    )  # fmt: skip
    return st.recursive(
        scalars,
        lambda inner: (
            st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
        ),
        max_leaves=6,
    )


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from paths(inner, (*prefix, index))


def mutate(payload: Any, data: st.DataObject) -> Any:
    """One structural change somewhere in the payload: replace, delete, add or duplicate."""
    payload = copy.deepcopy(payload)
    path = data.draw(st.sampled_from(list(paths(payload))))
    kind = data.draw(st.sampled_from(["replace", "delete", "add", "duplicate", "retype"]))
    if not path:
        return data.draw(json_values()) if kind == "replace" else payload
    parent = payload
    for step in path[:-1]:
        parent = parent[step]
    key = path[-1]
    node = parent[key]
    if kind == "replace":
        parent[key] = data.draw(json_values())
    elif kind == "delete":
        del parent[key]
    elif kind == "add" and isinstance(node, dict):
        node[data.draw(st.text(max_size=12))] = data.draw(json_values())
    elif kind == "duplicate" and isinstance(node, list) and node:
        node.append(copy.deepcopy(node[data.draw(st.integers(0, len(node) - 1))]))
    elif kind == "retype":
        parent[key] = {"str": lambda v: [v], "int": str, "bool": int, "list": tuple,
                       "dict": list}.get(type(node).__name__, lambda v: None)(node)  # fmt: skip
    else:
        parent[key] = data.draw(json_values())
    return payload


@FUZZ
@given(junk=st.binary(max_size=4096) | st.binary(max_size=512).map(lambda b: crypto.MAGIC + b))
def test_random_bytes(office: Office, junk: bytes) -> None:
    assert office.attempt(office.peer, junk) in ("sync.not_a_package", "sync.damaged")


@FUZZ
@given(header=json_values(), body=st.binary(max_size=256))
def test_random_headers(office: Office, header: Any, body: bytes) -> None:
    line = json.dumps(header).encode()
    outcome = office.attempt(office.peer, crypto.MAGIC + line + b"\n" + body)
    assert outcome in ("sync.not_a_package", "sync.damaged")


@FUZZ
@given(data=st.data())
def test_truncated_real_packages(office: Office, data: st.DataObject) -> None:
    blob = data.draw(st.sampled_from([office.full, office.scoped]))
    cut = data.draw(st.integers(0, len(blob) - 1))
    assert office.attempt(office.peer, blob[:cut]) in ("sync.not_a_package", "sync.damaged")


@FUZZ
@given(data=st.data())
def test_bit_flipped_real_packages(office: Office, data: st.DataObject) -> None:
    blob = bytearray(data.draw(st.sampled_from([office.full, office.scoped])))
    for bit in data.draw(
        st.lists(st.integers(0, len(blob) * 8 - 1), min_size=1, max_size=6, unique=True)
    ):
        blob[bit // 8] ^= 1 << (bit % 8)
    outcome = office.attempt(office.peer, bytes(blob))
    # A flip in the passphrase check reads as a wrong passphrase; anything else as damage.
    assert outcome in ("sync.not_a_package", "sync.damaged", "sync.wrong_passphrase")


@FUZZ
@given(data=st.data())
def test_sealed_packages_with_a_changed_structure(office: Office, data: st.DataObject) -> None:
    scoped = data.draw(st.booleans())
    blob, target = (office.scoped, office.venue) if scoped else (office.full, office.peer)
    payload = mutate(crypto.open_sealed(blob, PASSPHRASE), data)
    office.attempt(target, crypto.seal(payload, PASSPHRASE))


def test_the_fuzzed_packages_are_real_ones_that_merge(office: Office) -> None:
    """The unchanged packages merge, so the fuzzing starts from packages that work."""
    assert office.attempt(office.peer, office.full) == "merged"
    assert office.attempt(office.venue, office.scoped) == "merged"
