"""Code outside workformats/ asks a werkvorm what it can do, never which one it is (issue 16, point 1).

Like the import rule: no werkvorm id and no werkvorm-specific setting name appears as a string literal in
facilitator/ (string constants only, not comments or docstrings), static/js or templates. The ids and names come
from the werkvormen the registry discovers, so a new werkvorm is covered without touching this test.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from facilitator.core.domain.workformat import COMMON_SETTINGS
from facilitator.core.registry import discover

ROOT = Path(__file__).resolve().parents[2]

#: Literals that spell a werkvorm id or setting name but mean something else, with why. Keep this list short.
NOT_THE_CONTRACT = {
    # A tag group's choices on the wire ("als organisatie" / "als mens"), not the vote's options setting.
    ("facilitator/web/realtime/screens/beamer.py", "options"),
    ("facilitator/web/realtime/screens/shared.py", "options"),
    # Where a verslag recipient came from (organiser or participant), not a vote's source item.
    ("facilitator/web/host/verslag.py", "source"),
    ("static/js/host/verslag.js", "source"),
    # The phones' wire key (tests/integration/wire_contract.json); its value comes from the werkvorm's spec.
    ("facilitator/web/realtime/screens/shared.py", "inbrenger_mode"),
    # The vote payload's allowance on the wire; its value comes from the werkvorm's vote spec.
    ("facilitator/web/realtime/screens/shared.py", "dots"),
    # A series recap's rode draden (the sentences of earlier bijeenkomsten), a field of the recap.
    ("facilitator/core/services/series.py", "rode_draden"),
    ("facilitator/storage/codec.py", "rode_draden"),
    # Which limit a LimitReached names (see what="dots" below), turned into a Dutch sentence.
    ("facilitator/web/messages.py", "dots"),
}
#: Keyword arguments whose value is another vocabulary (LimitReached(what=...)), not the werkvorm contract.
OTHER_VOCABULARY = {"what"}


def _contract_words() -> set[str]:
    registry = discover()
    ids = set(registry.ids())
    names = {name for wf in registry for name in wf.settings} - set(COMMON_SETTINGS)
    assert {"open_vraag", "stemmen", "rode_draden"} <= ids and "dots" in names  # the scan looks for something
    return ids | names


def _docstrings(tree: ast.AST) -> set[int]:
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                found.add(id(first.value))
    return found


def leaks() -> dict[str, list[tuple[int, str]]]:
    """Return, per file, the lines and literals that name a werkvorm or one of its own settings."""
    words = _contract_words()
    found: dict[str, list[tuple[int, str]]] = {}
    for path in sorted((ROOT / "facilitator").rglob("*.py")):
        rel = str(path.relative_to(ROOT))
        if path.is_relative_to(ROOT / "facilitator" / "testing"):
            continue  # what the tests and benchmarks share plays given werkvormen, as the tests do; the product never imports it
        tree = ast.parse(path.read_text(encoding="utf-8"))
        docs = _docstrings(tree)
        docs |= {id(k.value) for k in ast.walk(tree) if isinstance(k, ast.keyword) and k.arg in OTHER_VOCABULARY}
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and id(node) not in docs
                and node.value in words
                and (rel, node.value) not in NOT_THE_CONTRACT
            ):
                found.setdefault(rel, []).append((node.lineno, node.value))
    alternatives = "|".join(sorted(words))
    quoted = re.compile(r"""(["'`])(""" + alternatives + r""")\1""")
    for path in sorted([*(ROOT / "static" / "js").rglob("*.js"), *(ROOT / "templates").rglob("*.html")]):
        rel = str(path.relative_to(ROOT))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in quoted.finditer(line):
                if (rel, match.group(2)) not in NOT_THE_CONTRACT:
                    found.setdefault(rel, []).append((number, match.group(2)))
    return found


def test_no_werkvorm_id_or_own_setting_name_outside_workformats() -> None:
    found = leaks()
    report = "\n".join(f"{path}: {sorted(hits)}" for path, hits in sorted(found.items()))
    assert not found, f"werkvorm ids or setting names outside workformats/:\n{report}"


def test_the_scan_sees_a_literal_but_not_a_comment(tmp_path: Path) -> None:
    source = '"""stemmen"""\n# stemmen\nx = "stemmen"\n'
    tree = ast.parse(source)
    docs = _docstrings(tree)
    literals = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and id(n) not in docs]
    assert literals == ["stemmen"]
