"""Reading a 配慮事項 (needs) cell into the fields its words belong to.

Municipal and shelter lists keep everything about a person's needs in one free-text column:
「要介護2、車椅子使用」, 「卵アレルギー・刻み食」, 「独居・高齢」. Stored whole as 食事の配慮
(dietary needs), the care level and the wheelchair stay unrecorded (so venue matching ignores
them), an allergen is invisible at the counter, and words that have nothing to do with food
travel to every venue laptop with the dietary needs. So the cell is read piece by piece:

- 要介護1–5 / 要支援1–2 (any spelling the vocabulary knows: 介護2, 要介護２) → the care level;
- 車椅子 / 車いす → needs a wheelchair (not when negated: 車椅子不要);
- an allergen with an allergy word (卵アレルギー, 卵・乳アレルギー, 乳除去), or an allergen
  written alone (えび) → the allergens (and what else the part says, 重度, to the dietary
  needs, where the venue sees it);
- food words (刻み食, 減塩, ハラール, 食べ物 ...) → the dietary needs, as written;
- anything else (独居, 高齢, 認知症の疑い) → notes, as written, so nothing the list says is lost.

A piece is split at 、 , ; / and line breaks, then at ・. A part that says more than the field
it was read into (要介護2（申請中）) is kept in the notes as well. Two different care levels in
one cell set none and keep both in the notes: the coordinator decides, the importer does not
guess. The words are data (``needs`` in ``resources/data/vocabulary.json``).
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from evacsupport.domain import allergens, vocabulary
from evacsupport.domain.codes import LABELS, CareLevel, list_name
from evacsupport.domain.normalize import clean_text

_PIECES_RE = re.compile(r"[、,;/\n\r\t。]+")
_PART_SEPARATOR = "・"
_PUNCTUATION_RE = re.compile(r"[\W_]+")
JOIN = "、"


@dataclass(frozen=True)
class NeedsReading:
    """What one 配慮事項 cell says, field by field; ``None``/empty where it says nothing."""

    care_level: CareLevel | None = None
    wheelchair: bool = False
    allergens: tuple[str, ...] = ()
    dietary: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def dietary_text(self) -> str:
        return JOIN.join(self.dietary)

    @property
    def notes_text(self) -> str:
        return JOIN.join(self.notes)


@dataclass
class _Parts:
    """Collects the parts of one piece by where they go, so a piece's parts are joined again
    with ・ as they were written (「刻み食・減塩」 stays one dietary entry)."""

    dietary: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _longest_first(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted({(k, v) for k, v in words if k}, key=lambda kv: (-len(kv[0]), kv[0]))


@functools.cache
def _care_phrases() -> list[tuple[str, str]]:
    """Folded phrase → care level code, for every level but なし: its labels and the
    vocabulary's words (なし, 自立 would match inside unrelated words)."""
    found: list[tuple[str, str]] = []
    synonyms = vocabulary.synonyms(list_name(CareLevel))
    for level in CareLevel:
        if level is CareLevel.NONE:
            continue
        for word in (*LABELS[CareLevel][level.value], *synonyms.get(level.value, ())):
            found.append((vocabulary.fold(word), level.value))
    return _longest_first(found)


@functools.cache
def _allergen_phrases() -> list[tuple[str, str]]:
    names = allergens.all_allergens()
    found = [(vocabulary.fold(name), name) for name in names]
    for name, aliases in vocabulary.allergen_aliases().items():
        found += [(vocabulary.fold(alias), name) for alias in aliases]
    return _longest_first(found)


@functools.cache
def _folded(name: str) -> tuple[str, ...]:
    words = getattr(vocabulary.needs_words(), name)
    return tuple(sorted({vocabulary.fold(w) for w in words if vocabulary.fold(w)}, key=len)[::-1])


def _without(text: str, words: tuple[str, ...]) -> str:
    for word in words:
        text = text.replace(word, "")
    return text


def _empty(residue: str) -> bool:
    return not _PUNCTUATION_RE.sub("", residue)


def _allergens_in(part: str) -> tuple[list[str], str]:
    """Allergens named in a part of an allergy piece, and what is left of it."""
    residue = _without(vocabulary.fold(part), _folded("allergy_markers"))
    found: list[str] = []
    for phrase, name in _allergen_phrases():
        if phrase in residue:
            found.append(name)
            residue = residue.replace(phrase, "")
    return found, _without(residue, _folded("allergy_fillers"))


@functools.lru_cache(maxsize=4096)
def read_needs(text: str | None) -> NeedsReading:
    """Read a 配慮事項 cell; see the module docstring for where each word goes.

    Cached: a list repeats a few cells (なし, 独居, 要介護1) over thousands of rows, and a
    reading is immutable, so one may serve them all.
    """
    care: dict[str, list[str]] = {}  # code → the parts that named it
    wheelchair = False
    found_allergens: set[str] = set()
    dietary: list[str] = []
    notes: list[str] = []
    ignore = set(_folded("ignore"))
    for piece in _PIECES_RE.split(clean_text(text)):
        piece = piece.strip()
        if not piece or vocabulary.fold(piece) in ignore:
            continue
        allergy_piece = any(m in vocabulary.fold(piece) for m in _folded("allergy_markers"))
        parts = _Parts()
        for part in (p.strip() for p in piece.split(_PART_SEPARATOR)):
            if not part or vocabulary.fold(part) in ignore:
                continue
            residue = vocabulary.fold(part)
            named: list[str] = []
            if allergy_piece:
                named, rest = _allergens_in(part)
                if named:
                    found_allergens.update(named)
                    residue = rest
            elif (name := allergens.lookup(part)) is not None:
                found_allergens.add(name)
                continue
            for phrase, code in _care_phrases():
                if phrase in residue:
                    care.setdefault(code, []).append(part)
                    residue = residue.replace(phrase, "")
            said_wheelchair = any(w in residue for w in _folded("wheelchair"))
            if said_wheelchair and not any(n in residue for n in _folded("negations")):
                wheelchair = True
                residue = _without(residue, _folded("wheelchair"))
            if _empty(_without(residue, _folded("fillers"))):
                continue
            folded = vocabulary.fold(part)
            # what else an allergy says (重度, 加熱すれば可) is for whoever serves the food
            if named or any(w in folded for w in _folded("dietary")):
                parts.dietary.append(part)
            else:
                parts.notes.append(part)
        if parts.dietary:
            dietary.append(_PART_SEPARATOR.join(parts.dietary))
        if parts.notes:
            notes.append(_PART_SEPARATOR.join(parts.notes))
    level: CareLevel | None = None
    if len(care) == 1:
        level = CareLevel(next(iter(care)))
    else:  # two different levels: keep what was written, set neither
        for named in care.values():
            notes += [part for part in named if part not in notes]
    ordered = tuple(a for a in allergens.all_allergens() if a in found_allergens)
    return NeedsReading(level, wheelchair, ordered, tuple(dietary), tuple(notes))
