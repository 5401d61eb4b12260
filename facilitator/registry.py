"""Find the werkvormen in workformats/ at start-up, validate them, refuse duplicates."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType

from .domain import InvalidWorkFormat, WorkFormat, validate_workformat


class WorkFormatRegistry:
    """The werkvormen known to this server, by id."""

    def __init__(self, formats: dict[str, WorkFormat]) -> None:
        self._formats = dict(formats)

    def get(self, workformat_id: str) -> WorkFormat:
        """Return a werkvorm by id; raise InvalidWorkFormat when unknown."""
        try:
            return self._formats[workformat_id]
        except KeyError:
            raise InvalidWorkFormat(f"id: unknown werkvorm {workformat_id!r}") from None

    def __contains__(self, workformat_id: object) -> bool:
        return workformat_id in self._formats

    def __iter__(self) -> Iterator[WorkFormat]:
        return iter(self._formats.values())

    def ids(self) -> list[str]:
        """Return the known ids in a stable order."""
        return sorted(self._formats)


def load_module(module: ModuleType, expected_id: str) -> WorkFormat:
    """Return the validated WORKFORMAT of a module; errors name the module and the field."""
    wf = getattr(module, "WORKFORMAT", None)
    if wf is None:
        raise InvalidWorkFormat(f"{module.__name__}: has no WORKFORMAT")
    try:
        return validate_workformat(wf, expected_id=expected_id)
    except InvalidWorkFormat as exc:
        raise InvalidWorkFormat(f"{module.__name__}: {exc.detail}") from None


def discover(package: str = "workformats") -> WorkFormatRegistry:
    """Import every module of a package and register its WORKFORMAT."""
    pkg = importlib.import_module(package)
    formats: dict[str, WorkFormat] = {}
    for info in sorted(pkgutil.iter_modules(pkg.__path__), key=lambda m: m.name):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package}.{info.name}")
        wf = load_module(module, expected_id=info.name)
        if wf.id in formats:
            raise InvalidWorkFormat(f"{module.__name__}: duplicate werkvorm id {wf.id!r}")
        formats[wf.id] = wf
    return WorkFormatRegistry(formats)
