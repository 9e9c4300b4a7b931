"""What PySide6's import hook leaves behind: the source of every module imported after it,
kept by :mod:`linecache` (some 20 MB at start-up). The window drops it once it is open."""

from __future__ import annotations

import linecache
import sys
import traceback
from pathlib import Path

import PySide6  # noqa: F401  (its import hook is what reads the sources)
import pytest

from evacsupport.app import release_import_sources


def test_a_module_imported_after_pyside6_has_its_source_kept_until_released(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "freshly_imported.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    module = __import__("freshly_imported")  # the import statement: what the hook sees
    monkeypatch.delitem(sys.modules, "freshly_imported")
    assert module.__file__ in linecache.cache  # read by the hook, not by anything of ours
    release_import_sources()
    assert module.__file__ not in linecache.cache


def test_a_traceback_still_shows_its_lines_after_the_release() -> None:
    release_import_sources()
    try:
        raise ValueError("shown with its line")
    except ValueError as exc:
        text = "".join(traceback.format_exception(exc))
    assert 'raise ValueError("shown with its line")' in text
