"""Every field a service names in a validation message has a label in both languages, so a
form or an import never shows a raw key such as ``field.username``."""

from __future__ import annotations

import ast
from pathlib import Path

import evacsupport
from evacsupport.i18n import CATALOG

SERVICES = Path(evacsupport.__file__).parent / "services"


def _named_fields() -> set[str]:
    found = set()
    for path in SERVICES.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in {"add", "check"}
                and isinstance(getattr(node.func.value, "id", None), str)
                and node.func.value.id == "errors"  # type: ignore[attr-defined]
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found.add(node.args[0].value.split(".")[-1])
    return found


def test_every_validated_field_has_a_label() -> None:
    fields = _named_fields()
    assert len(fields) > 20  # the scan found the services' forms
    missing = sorted(f for f in fields if f"field.{f}" not in CATALOG)
    assert not missing, f"no field.* label for: {missing}"
