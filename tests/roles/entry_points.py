"""Every public entry point of the layers under the window and the command line, found by
looking, not by a list someone has to remember to extend.

An entry point is a public function whose first parameter is ``db`` (the open ``Database``) or
``db_path`` (a database file, as restore takes), or a public method of a public class built
with a ``db``. Session-taking helpers are not entry
points: only code under ``services`` (and the importers, exporters, reports and sync beside
it) can open a session to call them; ``test_layers.py`` holds the window and the CLI to that.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

PACKAGES = ("services", "importers", "exporters", "reports", "sync")
DATABASE_PARAMETERS = ("db", "db_path")


@dataclass(frozen=True)
class EntryPoint:
    name: str  # "services.meals.MealService.log" or "exporters.tables.export_members"
    function: Callable[..., Any]
    owner: type | None  # the service class, for methods

    def __str__(self) -> str:
        return self.name


def _modules() -> Iterator[Any]:
    for package in PACKAGES:
        root = importlib.import_module(f"evacsupport.{package}")
        yield root
        for info in pkgutil.iter_modules(root.__path__):
            if not info.name.startswith("_"):
                yield importlib.import_module(f"evacsupport.{package}.{info.name}")


def _first_parameter(function: Callable[..., Any]) -> str | None:
    try:
        parameters = list(inspect.signature(inspect.unwrap(function)).parameters)
    except (TypeError, ValueError):
        return None
    return parameters[0] if parameters else None


def _takes_db(cls: type) -> bool:
    init = cls.__dict__.get("__init__")
    if init is None:
        return False
    return "db" in inspect.signature(init).parameters


def entry_points() -> list[EntryPoint]:
    found: dict[str, EntryPoint] = {}
    for module in _modules():
        short = module.__name__.removeprefix("evacsupport.")
        for name, value in vars(module).items():
            if name.startswith("_") or getattr(value, "__module__", None) != module.__name__:
                continue
            if inspect.isfunction(value) and _first_parameter(value) in DATABASE_PARAMETERS:
                found[f"{short}.{name}"] = EntryPoint(f"{short}.{name}", value, None)
            elif inspect.isclass(value) and _takes_db(value):
                for method_name, method in vars(value).items():
                    if method_name.startswith("_") or not inspect.isfunction(method):
                        continue
                    key = f"{short}.{name}.{method_name}"
                    found[key] = EntryPoint(key, method, value)
    return sorted(found.values(), key=lambda e: e.name)
