"""Every visible string is in the catalogues, translated, and compiled."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def load_i18n():
    spec = importlib.util.spec_from_file_location("i18n_script", ROOT / "scripts" / "i18n.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_catalogues_are_complete_and_compiled() -> None:
    assert load_i18n().problems() == []


def test_catalogue_covers_the_phone_flow() -> None:
    ids = {m.id for m in load_i18n().load("en") if m.id}
    for text in ("Ik doe mee", "Versturen", "verbonden", "opnieuw verbinden…", ("%(num)s in wachtrij", "%(num)s in wachtrij")):
        assert text in ids
