"""The window and the command line reach the database only through the gated entry points.

Above the services nothing opens a session, touches the engine or builds SQL: a session-taking
helper could otherwise be called without passing a gate. Checked on the source, so a new view
that opens its own session fails here.
"""

from __future__ import annotations

import ast
from pathlib import Path

import evacsupport

ROOT = Path(evacsupport.__file__).parent
FRONT_ENDS = [*ROOT.glob("cli*.py"), ROOT / "app.py", *(ROOT / "ui").rglob("*.py")]
SESSION_CALLS = {"session", "read", "connect", "begin"}
ALLOWED_SQLALCHEMY = {"sqlalchemy.exc", "sqlalchemy"}  # errors to report, URL to open


def _problems(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        where = f"{path.relative_to(ROOT.parent)}:{getattr(node, 'lineno', 0)}"
        if isinstance(node, ast.Attribute) and node.attr == "engine":
            found.append(f"{where} uses the engine")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SESSION_CALLS
            and isinstance(node.func.value, ast.Attribute | ast.Name)
            and (getattr(node.func.value, "attr", None) or getattr(node.func.value, "id", ""))
            == "db"
        ):
            found.append(f"{where} opens a session (db.{node.func.attr}())")
        if (
            isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("sqlalchemy")
        ):
            names = {a.name for a in node.names}
            if node.module not in ALLOWED_SQLALCHEMY or (
                node.module == "sqlalchemy" and names - {"URL"}
            ):
                found.append(f"{where} imports {node.module}: {sorted(names)}")
    return found


def test_front_ends_open_no_sessions_and_write_no_sql() -> None:
    problems = [p for path in FRONT_ENDS for p in _problems(path)]
    assert not problems, "\n".join(problems)
