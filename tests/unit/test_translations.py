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


def copied_translations(i18n, tmp_path: Path) -> Path:
    """Point the script at a copy of translations/ under tmp_path; return the copy."""
    import shutil

    copy = tmp_path / "translations"
    shutil.copytree(ROOT / "translations", copy)
    i18n.TRANSLATIONS = copy
    return copy


def test_a_mo_file_from_another_babel_version_is_not_out_of_date(tmp_path: Path) -> None:
    # Each Babel version writes its own name into the header ("Generated-By: Babel 2.18.0"): the bytes differ, what
    # the file says does not. A byte comparison failed on a machine with Babel 2.19.0 for files compiled by 2.18.0.
    i18n = load_i18n()
    mo = copied_translations(i18n, tmp_path) / "en" / "LC_MESSAGES" / "messages.mo"
    compiled = i18n.mo_bytes(i18n.load("en"))
    version = compiled[compiled.index(b"Generated-By: Babel ") + 20:].split(b"\n")[0]
    other = compiled.replace(b"Generated-By: Babel " + version, b"Generated-By: Babel " + b"0" * len(version))
    assert other != compiled
    mo.write_bytes(other)
    assert i18n.problems() == []


def test_a_mo_file_that_says_something_else_is_out_of_date(tmp_path: Path) -> None:
    i18n = load_i18n()
    mo = copied_translations(i18n, tmp_path) / "en" / "LC_MESSAGES" / "messages.mo"
    catalog = i18n.load("en")
    catalog["Versturen"].string = "Verzenden"  # a translation the .po file does not have
    mo.write_bytes(i18n.mo_bytes(catalog))
    [problem] = i18n.problems()
    assert problem.startswith("en: ") and problem.endswith("messages.mo is out of date; run: python scripts/i18n.py compile")
