"""Choice columns of an import file: unknown values found, and the user's mapping applied.

Every choice column already accepts codes, labels and the vocabulary's everyday words
(:func:`evacsupport.domain.codes.parse_choice`). A value none of those cover (種別「地域の拠点」,
性別「1」) used to refuse every row that had it, with nothing the user could do but edit the
file. Now the check lists each such value once, with how many rows have it, and the user may map
it to a choice; the mapping applies to every row of the file before the rows are validated, so
a mapped value is accepted as if the file had said the choice. A value left unmapped is refused
row by row as before, so "skip invalid" still imports the rest.

A mapping is ``{column: {value: target}}``: the column as the file heads it (or any heading the
importer knows for it), the value as written (compared by :func:`vocabulary.fold`, so width
and kana do not matter), the target a code or label. Two mappings may be given: ``mapping``,
which the user typed (the CLI's ``--map``), is checked strictly, and an unknown column or
target is an error before anything is read; ``remembered`` (what the user chose last time for
a file of that name, see :mod:`evacsupport.importers.remembered`) is applied where it still
fits and ignored where it does not (the file lost the column, a code was renamed).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from evacsupport.domain import allergens, vocabulary
from evacsupport.domain.codes import choices, parse_choice
from evacsupport.errors import EvacError, InvalidValue
from evacsupport.importers._common import Table, norm_header

ValueMap = Mapping[str, Mapping[str, str]]
"""{column as headed: {value as written: target code or label}}"""
LIST_JOIN = "、"


@dataclass(frozen=True)
class ChoiceColumn:
    """A column whose values must be one of a list's choices.

    ``parse`` turns one value into its code or raises :class:`InvalidValue`; ``offered`` gives
    the (code, label) pairs a value may be mapped to, in the current language; ``split`` is set
    for a column holding several values in one cell (allergens), each looked up by itself.
    """

    key: str
    parse: Callable[[str], str]
    offered: Callable[[], list[tuple[str, str]]]
    split: Callable[[str], list[str]] | None = None

    @classmethod
    def of(cls, key: str, enum: type[StrEnum]) -> ChoiceColumn:
        return cls(
            key,
            lambda text: parse_choice(enum, text).value,
            lambda: [(member.value, text) for member, text in choices(enum)],
        )

    @classmethod
    def allergen_list(cls, key: str) -> ChoiceColumn:
        return cls(key, _allergen, _allergen_choices, allergens.tokens)


def _allergen(text: str) -> str:
    found = allergens.lookup(text)
    if found is None:
        raise InvalidValue("allergen.unknown", value=text)
    return found


def _allergen_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in allergens.all_allergens()]


@dataclass(frozen=True)
class Unmatched:
    """A value of a choice column that is not one of its choices, or was mapped to one.

    ``target`` is the code it was mapped to ("" while it is refused); ``remembered`` says the
    mapping came from the last import of a file of this name rather than from this run.
    """

    column: str  # as the file heads it
    key: str  # the importer's name for the column
    value: str  # as the file writes it (the first spelling met)
    rows: int
    choices: tuple[tuple[str, str], ...]  # (code, label) it may be mapped to
    target: str = ""
    remembered: bool = False

    @property
    def target_label(self) -> str:
        return dict(self.choices).get(self.target, self.target)


def describe_choices(offered: list[tuple[str, str]] | tuple[tuple[str, str], ...]) -> str:
    """「kodomo_shokudo（こども食堂）、…」: what a --map target may be, codes first."""
    return LIST_JOIN.join(code if code == text else f"{code}（{text}）" for code, text in offered)


@dataclass
class _Seen:
    value: str
    rows: int = 0
    last_row: int = 0
    target: str = ""
    remembered: bool = False


def _resolve(
    table: Table, present: list[ChoiceColumn], mapping: ValueMap | None, strict: bool
) -> dict[str, dict[str, str]]:
    """{column key: {folded value: code}} for the columns of this file."""
    by_name: dict[str, ChoiceColumn] = {}
    for choice in present:
        by_name[norm_header(table.columns[choice.key])] = choice
        by_name.setdefault(norm_header(choice.key), choice)
    resolved: dict[str, dict[str, str]] = {}
    for name, values in (mapping or {}).items():
        column = by_name.get(norm_header(name))
        if column is None:
            if strict:
                headed = LIST_JOIN.join(table.columns[c.key] for c in present) or "-"
                raise EvacError("import.map_column", column=name, columns=headed)
            continue
        for value, target in values.items():
            key = vocabulary.fold(value)
            try:
                if not key:
                    raise InvalidValue("value.required")
                code = column.parse(target)
            except InvalidValue as exc:
                if strict:
                    raise EvacError(
                        "import.map_target",
                        column=table.columns[column.key],
                        value=value,
                        target=target,
                        choices=describe_choices(column.offered()),
                    ) from exc
                continue
            resolved.setdefault(column.key, {})[key] = code
    return resolved


def apply(
    table: Table,
    columns: list[ChoiceColumn],
    mapping: ValueMap | None = None,
    remembered: ValueMap | None = None,
) -> list[Unmatched]:
    """Map the file's values in place (``row.values`` get the codes) and list every value that
    is not a choice or was mapped; ``mapping`` wins over ``remembered`` for the same value."""
    present = [c for c in columns if c.key in table.columns]
    old = _resolve(table, present, remembered, strict=False)
    new = _resolve(table, present, mapping, strict=True)
    seen: dict[tuple[str, str], _Seen] = {}
    for row in table.rows:
        for column in present:
            cell = row.values.get(column.key, "")
            if not cell.strip():
                continue
            words = [cell] if column.split is None else column.split(cell)
            out: list[str] = []
            changed = False
            for word in words:
                key = vocabulary.fold(word)
                target = new.get(column.key, {}).get(key)
                from_old = target is None and key in old.get(column.key, {})
                if from_old:
                    target = old[column.key][key]
                if target is None:
                    try:
                        column.parse(word)
                    except InvalidValue:
                        pass
                    else:
                        out.append(word)
                        continue
                entry = seen.setdefault((column.key, key), _Seen(word.strip()))
                if entry.last_row != row.number:
                    entry.rows += 1
                    entry.last_row = row.number
                if target is None:
                    out.append(word)
                    continue
                entry.target, entry.remembered = target, from_old
                out.append(target)
                changed = True
            if changed:
                row.values[column.key] = out[0] if column.split is None else LIST_JOIN.join(out)
    order = {c.key: list(table.columns).index(c.key) for c in present}
    offered = {c.key: tuple(c.offered()) for c in present}
    found = [
        Unmatched(
            column=table.columns[key],
            key=key,
            value=entry.value,
            rows=entry.rows,
            choices=offered[key],
            target=entry.target,
            remembered=entry.remembered,
        )
        for (key, _folded), entry in seen.items()
    ]
    # the file's column order, then the values most rows have first
    found.sort(key=lambda u: (order[u.key], -u.rows))
    return found
