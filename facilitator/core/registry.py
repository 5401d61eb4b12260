"""Find the werkvormen in workformats/ at start-up, validate them, refuse duplicates."""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Iterator
from types import ModuleType

from facilitator.core.domain import InvalidWorkFormat, WorkFormat, validate_workformat


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

    def can(self, workformat_id: str, capability: str) -> bool:
        """Return whether a known werkvorm declares a capability; an unknown one can nothing."""
        wf = self._formats.get(workformat_id)
        return wf is not None and wf.can(capability)

    def starter(self) -> WorkFormat:
        """Return the werkvorm a new bijeenkomst starts with (the "starter" capability), else the first by id."""
        return next((wf for wf in self if wf.can("starter")), self._formats[self.ids()[0]])

    def item_settings(self) -> tuple[str, ...]:
        """Return the names of settings that point at another agenda item (kind "item"), in any werkvorm."""
        return tuple(sorted({s.name for wf in self for s in wf.setting_specs if s.kind == "item"}))


@functools.cache
def default_registry() -> WorkFormatRegistry:
    """Return the werkvormen of workformats/, for core functions called without a registry."""
    return discover()


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
