"""The role table through the command line: every command the parser knows, as every role.

Commands come from ``build_parser()`` itself, so a new command without a row in ``COMMANDS``
fails ``test_every_command_has_a_row``. A refused command prints one line naming the role,
exits 1 and leaves every row of every table as it was; an allowed one gets past the gate.
"""

from __future__ import annotations

import argparse
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import text

from evacsupport.cli import build_parser, main
from evacsupport.config import sqlite_url
from evacsupport.db import Database
from evacsupport.domain.codes import Role, label
from evacsupport.domain.roles import GRANTS, Permission
from tests.roles import world
from tests.roles.test_service_matrix import MONTH, _fingerprint
from tests.roles.world import PASSWORD, TODAY, USERS, World

Args = Callable[[World], list[str]]
P = Permission


@dataclass(frozen=True)
class Command:
    """A command line (after ``--db PATH``) and what it needs. ``needs=None``: open to anyone
    (it reads no personal data); ``past_gate`` lists the messages an allowed run may still end
    with (the demo refuses a database that has data, say), which prove it got past the gate."""

    path: tuple[str, ...]
    needs: Permission | None
    args: Args
    past_gate: tuple[str, ...] = ()
    refused_also: frozenset[Role] = field(default_factory=frozenset)
    variant: str = ""

    @property
    def id(self) -> str:
        return " ".join(self.path) + (f"[{self.variant}]" if self.variant else "")


def _venue(w: World) -> str:
    return "こども食堂わじま"


COMMANDS: list[Command] = [
    Command(("demo",), None, lambda w: ["demo", "--if-empty"], variant="if-empty"),
    Command(("demo",), P.ACCOUNTS, lambda w: ["demo", "--households", "2"],
            past_gate=("すでに世帯が",)),
    Command(("check",), P.BACKUP, lambda w: ["check"]),
    Command(("assign", "suggest"), P.ASSIGN, lambda w: ["assign", "suggest", w.case_number]),
    Command(("assign", "auto"), P.ASSIGN, lambda w: ["assign", "auto", "--dry-run"]),
    Command(("places", "fill"), P.CASEWORK, lambda w: ["places", "fill"]),
    Command(("report", "monthly"), P.AGGREGATE_REPORTS,
            lambda w: ["report", "monthly", "--month", f"{MONTH:%Y-%m}",
                       "--out", str(w.folder / "m.pdf")]),
    Command(("report", "monthly"), P.PERSONAL_REPORTS,
            lambda w: ["report", "monthly", "--month", f"{MONTH:%Y-%m}", "--no-suppress",
                       "--out", str(w.folder / "m.pdf")], variant="no-suppress"),
    Command(("report", "venue"), P.AGGREGATE_REPORTS,
            lambda w: ["report", "venue", "--venue", _venue(w), "--from", MONTH.isoformat(),
                       "--to", TODAY.isoformat(), "--out", str(w.folder / "v.pdf")]),
    Command(("report", "case"), P.PERSONAL_REPORTS,
            lambda w: ["report", "case", w.case_number, "--out", str(w.folder / "c.pdf")]),
    Command(("report", "cards"), P.ROSTER,
            lambda w: ["report", "cards", "--case", w.case_number,
                       "--out", str(w.folder / "cards.pdf")]),
    Command(("report", "roster"), P.ROSTER,
            lambda w: ["report", "roster", "--venue", _venue(w),
                       "--out", str(w.folder / "r.pdf")]),
    *(
        Command(("export",), P.PERSONAL_REPORTS,
                lambda w, t=table: ["export", t, "--out", str(w.folder / f"{t}.csv")],
                variant=table)
        for table in ("households", "members", "meals")
    ),
    Command(("import", "households"), P.IMPORT,
            lambda w: ["import", "households", str(_file(w, "households")), "--dry-run"]),
    Command(("import", "venues"), P.IMPORT,
            lambda w: ["import", "venues", str(_file(w, "venues")), "--dry-run"]),
    Command(("import", "meals"), P.IMPORT,
            lambda w: ["import", "meals", str(_file(w, "meals")), "--dry-run"]),
    Command(("import", "template"), None, lambda w: ["import", "template", "households"]),
    Command(("sync", "export"), P.SYNC,
            lambda w: ["sync", "export", "--to", "会場PC", "--out", str(w.folder / "p.evsync")],
            refused_also=frozenset({Role.VENUE_STAFF})),  # an office laptop's whole caseload
    Command(("sync", "import"), P.SYNC,
            lambda w: ["sync", "import", str(w.folder / "missing.evsync")],
            past_gate=("missing.evsync",), refused_also=frozenset({Role.VENUE_STAFF})),
    Command(("sync", "peers"), P.SYNC, lambda w: ["sync", "peers"]),
    Command(("sync", "conflicts"), P.CASEWORK, lambda w: ["sync", "conflicts"]),
    Command(("sync", "resolve"), P.CASEWORK, lambda w: ["sync", "resolve", "0000", "mine"],
            past_gate=("食い違い",)),
    Command(("sync", "name"), P.SYNC, lambda w: ["sync", "name", "事務所"]),
    Command(("erase",), P.ERASE,
            lambda w: ["erase", w.other_case_number, "--reason", "request", "--yes"]),
    Command(("purge",), P.ERASE, lambda w: ["purge", "--months", "12", "--dry-run"]),
    Command(("init",), None, lambda w: ["init"], past_gate=("すでに",)),
    Command(("users", "list"), P.ACCOUNTS, lambda w: ["users", "list"]),
    Command(("users", "add"), P.ACCOUNTS,
            lambda w: ["users", "add", "newcomer", "--role", "viewer"]),
    Command(("users", "passwd"), P.ACCOUNTS, lambda w: ["users", "passwd", USERS[Role.VIEWER]]),
    Command(("users", "disable"), P.ACCOUNTS, lambda w: ["users", "disable", USERS[Role.VIEWER]]),
    Command(("users", "enable"), P.ACCOUNTS, lambda w: ["users", "enable", USERS[Role.VIEWER]]),
    Command(("backup",), P.BACKUP, lambda w: ["backup", "--to", str(w.folder / "backups")]),
    Command(("backups",), None, lambda w: ["backups"]),  # file names and sizes, no records
    Command(("restore",), P.RESTORE,
            lambda w: ["restore", str(w.folder / "missing.sqlite3"), "--yes"],
            past_gate=("missing.sqlite3",)),
    Command(("encrypt",), P.RESTORE, lambda w: ["encrypt"]),
    Command(("rekey",), P.RESTORE, lambda w: ["rekey"], past_gate=("暗号化されていません",)),
]  # fmt: skip
WINDOW_ONLY = {("gui",)}  # opens the window: tests/roles/test_window_matrix.py


AUDIT = ("audit_entry", "audit_head")  # the entries and their chains' ends


def _audit_actions(db: Database) -> list[str]:
    with db.engine.connect() as conn:
        return list(conn.scalars(text("SELECT action FROM audit_entry ORDER BY at, rowid")))


def _file(w: World, kind: str) -> Path:
    path = w.folder / f"in-{kind}.csv"
    text = {
        "households": "世帯番号,氏名,フリガナ,生年月日\nA-1,能登 花子,ノト ハナコ,昭和20年5月3日\n",
        "venues": "会場名,定員\n新しい食堂,20\n",
        "meals": "日付,会場,世帯番号,種別,大人,子ども\n"
        f"{TODAY},こども食堂わじま,{w.case_number},会食,1,0\n",
    }[kind]
    path.write_text(text, encoding="utf-8-sig")
    return path


def _leaves(
    parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    if not actions:
        yield prefix
        return
    for name, sub in actions[0].choices.items():
        yield from _leaves(sub, (*prefix, name))


def test_every_command_has_a_row() -> None:
    known = set(_leaves(build_parser()))
    rows = {c.path for c in COMMANDS} | WINDOW_ONLY
    assert not known - rows, f"commands without a row in COMMANDS: {sorted(known - rows)}"
    assert not rows - known, f"rows for commands that do not exist: {sorted(rows - known)}"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, World]:
    path = tmp_path_factory.mktemp("cli-world") / "world.sqlite3"
    return path, world.build(path)


def _allowed(command: Command, role: Role) -> bool:
    if role in command.refused_also:
        return False
    return command.needs is None or command.needs in GRANTS[role]


@pytest.mark.parametrize(
    ("command", "role"),
    list(itertools.product(COMMANDS, Role)),
    ids=[f"{c.id}-{r}" for c, r in itertools.product(COMMANDS, Role)],
)
def test_cli_role_matrix(
    command: Command,
    role: Role,
    template: tuple[Path, World],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = world.copy(template[0], tmp_path / "db.sqlite3")
    w = World(**{**vars(template[1]), "folder": tmp_path})
    monkeypatch.setenv("EVACSUPPORT_USER", USERS[role])
    monkeypatch.setenv("EVACSUPPORT_PASSWORD", PASSWORD)
    monkeypatch.setenv("EVACSUPPORT_NEW_PASSWORD", "another password")
    monkeypatch.setenv("EVACSUPPORT_PASSPHRASE", "noto-team-2024")
    monkeypatch.setenv("EVACSUPPORT_NEW_DB_KEY", "noto-key-2024")
    args = command.args(w)
    db = Database(sqlite_url(path))
    before, audited = _fingerprint(db, skip=AUDIT), _audit_actions(db)
    db.close()
    code = main(["--db", str(path), *args])
    out, err = capsys.readouterr()
    if _allowed(command, role):
        if code != 0:
            assert any(m in err for m in command.past_gate), f"{command.id} as {role}: {err}"
        assert "権限ではこの操作はできません" not in err
        return
    lines = err.strip().splitlines()
    assert code == 1, f"{command.id} as {role} was not refused: {out}"
    assert len(lines) == 1 and lines[0].startswith("エラー："), err
    if role not in command.refused_also:
        assert f"{label(role)}の権限ではこの操作はできません" in lines[0]
    db = Database(sqlite_url(path))
    try:
        assert _fingerprint(db, skip=AUDIT) == before, f"{command.id} as {role} changed the db"
        assert _audit_actions(db) == [*audited, "login"]  # the sign-in, and nothing after it
    finally:
        db.close()
    written = [p.name for p in tmp_path.iterdir() if not p.name.startswith(("db.", "in-"))]
    assert not written, f"{command.id} as {role} wrote {written}"
