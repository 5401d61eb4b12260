"""Keep the translation catalogues in step with the code: extract, update, compile, check.

Usage: python scripts/i18n.py [update|compile|check]
  update   extract every marked string into translations/messages.pot and merge it into nl and en
  compile  write the .mo files the app reads
  check    exit 1 if a string lacks an English translation or a .mo file is out of date
Dutch is the source language, so nl.po holds each string as its own translation.

"Out of date" means: the .mo file says something else than the .po file (another translation, a missing one,
another plural rule). Its bytes may differ: each Babel version writes its own name into the header, so comparing
bytes failed on any machine with another allowed version of Babel than the one that compiled the committed files.
"""

from __future__ import annotations

import copy
import io
import os
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "translations"
LOCALES = ("nl", "en")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "_plural": (1, 2), "N_": None}


def extract() -> Catalog:
    """Return a catalogue of every marked string in the code and templates."""
    with open(ROOT / "babel.cfg", encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalog = Catalog(project="rode-draad", fuzzy=False)
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, keywords=KEYWORDS
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(locale: str) -> Path:
    return TRANSLATIONS / locale / "LC_MESSAGES" / "messages.po"


def load(locale: str) -> Catalog:
    path = po_path(locale)
    if not path.exists():
        return Catalog(locale=locale, project="rode-draad")
    with open(path, "rb") as handle:
        return read_po(handle, locale=locale)


def save(catalog: Catalog, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(buffer, catalog, omit_header=False, sort_output=True, no_location=True, width=100)
    path.write_bytes(buffer.getvalue())


def mo_bytes(catalog: Catalog) -> bytes:
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def mo_contents(data: bytes) -> tuple[str, dict[tuple[str | None, object], object]]:
    """Return what a .mo file says: its plural rule and each translation by (context, id)."""

    def frozen(value: object) -> object:
        return tuple(value) if isinstance(value, list) else value  # plural forms come back as lists

    catalog = read_mo(io.BytesIO(data))
    return catalog.plural_forms, {
        (message.context, frozen(message.id)): frozen(message.string) for message in catalog if message.id
    }


def update() -> None:
    template = extract()
    save(template, TRANSLATIONS / "messages.pot")
    for locale in LOCALES:
        catalog = load(locale)
        # A fresh copy each time: update() may share message objects with the template, and the
        # Dutch pass below writes into them; English must not inherit the Dutch text as "translated".
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=True)
        if locale == "nl":  # the source language: every string is its own translation
            for message in catalog:
                if message.id:
                    message.string = message.id
        catalog.obsolete.clear()
        save(catalog, po_path(locale))


def compile_all() -> None:
    for locale in LOCALES:
        po_path(locale).with_suffix(".mo").write_bytes(mo_bytes(load(locale)))


def problems() -> list[str]:
    """Return what is missing or stale; an empty list means the catalogues are complete."""
    found: list[str] = []
    wanted = {m.id for m in extract() if m.id}
    for locale in LOCALES:
        catalog = load(locale)
        have = {m.id for m in catalog if m.id}
        for missing in sorted(wanted - have, key=str):
            found.append(f"{locale}: not in catalogue: {missing!r}")
        for message in catalog:
            if not message.id:
                continue
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            if message.fuzzy or not all(strings):
                found.append(f"{locale}: no translation for {message.id!r}")
        mo = po_path(locale).with_suffix(".mo")
        if not mo.exists() or mo_contents(mo.read_bytes()) != mo_contents(mo_bytes(catalog)):
            found.append(f"{locale}: {os.path.relpath(mo, ROOT)} is out of date; run: python scripts/i18n.py compile")
    return found


def main(argv: list[str]) -> int:
    command = argv[1] if len(argv) > 1 else "check"
    if command == "update":
        update()
    elif command == "compile":
        compile_all()
    elif command == "check":
        for problem in problems():
            print(problem)
        return 1 if problems() else 0
    else:
        print(__doc__)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
