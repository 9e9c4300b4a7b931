"""Length limits checked before saving, so a too-long value is a message, not a database error."""

from __future__ import annotations

from evacsupport.errors import InvalidValue


def limit_length(value: str, maximum: int) -> str:
    if len(value) > maximum:
        raise InvalidValue("value.too_long", max=maximum)
    return value
