"""Errors that carry a message key instead of text, so every layer can speak the user's language.

Domain functions raise :class:`InvalidValue` (one value is wrong); services collect those into a
:class:`ValidationError` that names every offending field at once, so a form can show all of its
messages inline instead of making the user fix them one by one.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import Any

from evacsupport.i18n import message


class EvacError(Exception):
    """Base for errors a user can act on; ``str()`` gives the message in the current language."""

    def __init__(self, code: str, /, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params

    def message(self, lang: str | None = None) -> str:
        return message(self.code, lang, **self.params)

    def __str__(self) -> str:
        return self.message()


class InvalidValue(EvacError):
    """One value failed a rule; the caller knows which field it came from."""


class NotFound(EvacError):
    """A record the user named does not exist (or was deleted)."""


class StorageError(EvacError):
    """The environment's fault (disk, lock, damaged or too-new database), not a bug."""


class FileProblem(EvacError):
    """A file could not be read or written (permission, disk full, missing folder)."""


class UnexpectedError(EvacError):
    """A bug: the user is told only that the details are in the log file.

    Never built from the failure's text (a driver's exception holds the SQL parameters);
    :func:`evacsupport.failures.explain` writes that to the log and makes one of these.
    """


@dataclass(frozen=True)
class FieldError:
    """A message for one field; ``field`` is a dotted path such as ``members.2.birth_date``."""

    field: str
    code: str
    params: dict[str, Any] = dataclass_field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        return message(self.code, lang, **self.params)


class ValidationError(EvacError):
    """Input refused before it reached the database; holds every field's problem."""

    def __init__(self, errors: Iterable[FieldError]) -> None:
        self.errors = list(errors)
        super().__init__("validation.failed", count=len(self.errors))

    def message(self, lang: str | None = None) -> str:
        lines = [
            f"{message('field.' + e.field.split('.')[-1], lang)}: {e.message(lang)}"
            for e in self.errors
        ]
        return "\n".join(lines)

    def for_field(self, name: str) -> list[FieldError]:
        return [e for e in self.errors if e.field == name]


class FieldErrors:
    """Collects field errors while a service validates a whole form."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def add(self, field_name: str, code: str, /, **params: Any) -> None:
        self.errors.append(FieldError(field_name, code, params))

    def check(self, field_name: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Run a normaliser; record its :class:`InvalidValue` against ``field_name``."""
        try:
            return func(*args, **kwargs)
        except InvalidValue as exc:
            self.errors.append(FieldError(field_name, exc.code, exc.params))
            return None

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)
