"""The README's role table says what GRANTS enforces, row for row."""

from __future__ import annotations

from pathlib import Path

from evacsupport.domain.codes import Role
from evacsupport.domain.roles import GRANTS, Permission

README = Path(__file__).resolve().parents[2] / "README.md"
COLUMNS = (Role.ADMIN, Role.COORDINATOR, Role.VENUE_STAFF, Role.VIEWER)


def _table() -> dict[str, list[bool]]:
    text = README.read_text(encoding="utf-8")
    body = text.split("<!-- role-table:", 1)[1].split("<!-- /role-table -->", 1)[0]
    rows = {}
    for line in body.splitlines()[3:]:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 1 + len(COLUMNS):
            rows[cells[0].split(":", 1)[0]] = [c == "✓" for c in cells[1:]]
    return rows


def test_the_readme_role_table_is_grants() -> None:
    table = _table()
    assert set(table) == {str(p) for p in Permission}
    for permission in Permission:
        expected = [permission in GRANTS[role] for role in COLUMNS]
        assert table[str(permission)] == expected, permission
