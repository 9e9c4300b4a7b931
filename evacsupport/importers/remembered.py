"""The value mappings a user chose, remembered per kind of list and file name.

A municipality sends the same list every week or two (輪島市_避難者名簿.xlsx), with the same
spellings the app does not know. Having mapped 避難形態「ホテル避難」 to 2次避難 once, the user
should not have to again: the next import of a file of that name starts with the mapping
chosen, shown as preselected in the window and applied by the CLI (which lists it).

The mappings live in ``import_mappings.json`` in the user's config folder, not in the database:
they are this user's working preferences on this laptop, like ``settings.json``, and a sync
package or a backup should not carry them. The file holds file names and the values written in
lists, so it is created 0600 and replaced atomically (written beside, then renamed), so a crash
never leaves half a file; a missing or damaged one is an empty memory, never an error.

A file is known by its name without the extension (as the household importer names its
source), so the CSV and the XLSX of one list share their mapping.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from evacsupport.config import config_dir
from evacsupport.db.private import make_folder, open_for_writing
from evacsupport.domain.vocabulary import fold
from evacsupport.importers.choices import Unmatched

log = logging.getLogger(__name__)
FILE_NAME = "import_mappings.json"
VERSION = 1
Mapping = dict[str, dict[str, str]]  # {column: {value: code}}


def path() -> Path:
    return config_dir() / FILE_NAME


def _source(file: Path | str) -> str:
    return Path(file).stem.strip()


def _read() -> dict[str, Any]:
    try:
        raw = json.loads(path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(raw, dict) or raw.get("version") != VERSION:
        return {}
    kinds = raw.get("kinds")
    return kinds if isinstance(kinds, dict) else {}


def _clean(entry: object) -> Mapping:
    """Only ``{str: {str: str}}`` survives: the file may have been edited by hand."""
    if not isinstance(entry, dict):
        return {}
    out: Mapping = {}
    for column, values in entry.items():
        if isinstance(column, str) and isinstance(values, dict):
            kept = {v: t for v, t in values.items() if isinstance(v, str) and isinstance(t, str)}
            if kept:
                out[column] = kept
    return out


def load(kind: str, file: Path | str) -> Mapping:
    """The mapping remembered for ``file`` (any folder, any extension) as a ``kind`` list."""
    files = _read().get(kind)
    return _clean(files.get(_source(file))) if isinstance(files, dict) else {}


def remember(kind: str, file: Path | str, unmatched: Iterable[Unmatched]) -> bool:
    """Keep what this run decided for ``file``: a mapped value is remembered (replacing an
    older choice), a value left refused is forgotten; values the file no longer has stay, in
    case the next list has them again. Writes nothing when nothing changes.

    False when the file could not be written (a read-only or full config folder): the import
    itself is done by then, so the front end says so in a line rather than failing it.
    """
    kinds = _read()
    files = kinds.get(kind)
    if not isinstance(files, dict):
        files = {}
    source = _source(file)
    before = _clean(files.get(source))
    after = {column: dict(values) for column, values in before.items()}
    for entry in unmatched:
        values = after.setdefault(entry.column, {})
        for value in [v for v in values if fold(v) == fold(entry.value)]:
            del values[value]
        if entry.target:
            values[entry.value] = entry.target
    after = {column: values for column, values in after.items() if values}
    if after == before:
        return True
    if after:
        files[source] = after
    else:
        files.pop(source, None)
    kinds[kind] = files
    try:
        _write({"version": VERSION, "kinds": {k: v for k, v in kinds.items() if v}})
    except OSError as exc:  # the error's text names only our own file
        log.warning("import mappings not saved: %s", type(exc).__name__)
        return False
    return True


def _write(data: dict[str, Any]) -> None:
    target = path()
    make_folder(target.parent)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with os.fdopen(open_for_writing(tmp), "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2, sort_keys=True)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
