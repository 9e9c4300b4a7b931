"""Find bundled data files the same way from a source checkout, an installed wheel or a frozen app.

Lists that may change (municipalities, allergens) live as JSON under ``resources/data`` so they can
be edited without touching code; this module is the single place that knows where that folder is.
"""

from __future__ import annotations

import functools
import json
import sys
from pathlib import Path
from typing import Any


def _resources_dir() -> Path:
    """The ``resources`` folder for the way the app is running right now."""
    meipass = getattr(sys, "_MEIPASS", None)
    if meipass:  # PyInstaller unpacks data next to the frozen executable
        return Path(meipass) / "resources"
    packaged = Path(__file__).parent / "resources"
    if packaged.is_dir():  # installed wheel: data shipped inside the package
        return packaged
    return Path(__file__).parent.parent / "resources"  # source checkout


def resource_path(*parts: str) -> Path:
    """Path of a file under ``resources/``, e.g. ``resource_path("data", "allergens.json")``."""
    return _resources_dir().joinpath(*parts)


@functools.cache
def load_json(name: str) -> Any:
    """Parsed ``resources/data/<name>``; cached, so callers must copy before changing it."""
    with resource_path("data", name).open(encoding="utf-8") as fh:
        return json.load(fh)
