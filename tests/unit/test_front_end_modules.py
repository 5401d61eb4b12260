"""The front end's ES modules: one DOM helper module for every page, and every import resolves (issue 17, point 3).

The browser loads static/js/*.js as ES modules straight from disk (no bundler), so a wrong path or a missing export
shows only as a blank page; this reads the import statements instead of opening every page in a browser.
"""

from __future__ import annotations

import re
from pathlib import Path

JS = Path(__file__).resolve().parents[2] / "static" / "js"
IMPORT = re.compile(r"""import\s*\{([^}]*)\}\s*from\s*["']([^"']+)["']""")
SCRIPT_PATH = re.compile(r"static/js/([\w/.-]+\.js)\b")
#: A module's own helper for what dom.js gives every page: an element factory or a getElementById shorthand.
OWN_HELPER = re.compile(r"function\s+el\s*\(|\bconst\s+el\s*=|=\s*\(id\)\s*=>\s*document\.getElementById\(id\)")


def modules() -> list[Path]:
    return sorted(JS.rglob("*.js"))


def exports(path: Path) -> set[str]:
    text = path.read_text(encoding="utf-8")
    names = set(re.findall(r"export\s+(?:async\s+)?(?:function\*?|const|let|class)\s+([\w$]+)", text))
    for group in re.findall(r"export\s*\{([^}]*)\}", text):
        names.update(part.split(" as ")[-1].strip() for part in group.split(",") if part.strip())
    return names


def test_the_front_end_has_modules() -> None:
    assert len(modules()) > 20  # the rglob looks where the scripts are


def test_every_import_names_a_module_and_its_export() -> None:
    broken = []
    for path in modules():
        text = path.read_text(encoding="utf-8")
        for names, target in IMPORT.findall(text):
            module = (path.parent / target).resolve()
            if not module.is_file():
                broken.append(f"{path.relative_to(JS)}: {target} does not exist")
                continue
            missing = {n.split(" as ")[0].strip() for n in names.split(",") if n.strip()} - exports(module)
            if missing:
                broken.append(f"{path.relative_to(JS)}: {target} exports no {sorted(missing)}")
    assert not broken, "\n".join(broken)


def test_one_dom_helper_module_for_every_page() -> None:
    own = [f"{path.relative_to(JS)}: {match.group(0)}" for path in modules() if path.name != "dom.js"
           for match in OWN_HELPER.finditer(path.read_text(encoding="utf-8"))]
    assert not own, "\n".join(own)
    assert [path.relative_to(JS).as_posix() for path in modules() if path.name == "dom.js"] == ["dom.js"]
    assert {"$", "el", "button"} <= exports(JS / "dom.js")



def test_the_participant_screen_is_called_participant_in_javascript_too() -> None:
    # Python says "participant" (facilitator/participant/, templates/participant/); the scripts follow it.
    assert not (JS / "phone").exists()
    assert (JS / "participant" / "answer.js").is_file()


def test_every_script_path_named_in_the_repository_exists() -> None:
    # Tests import modules by URL (/static/js/...) and comments point readers at them; a rename must follow through.
    root = JS.parents[1]
    texts = [root / "README.md", *(path for folder in ("docs", "bench", "facilitator", "templates", "tests")
                                    for path in (root / folder).rglob("*") if path.suffix in {".py", ".md", ".html"})]
    stale = sorted({f"{path.relative_to(root)}: {name}" for path in texts
                    for name in SCRIPT_PATH.findall(path.read_text(encoding="utf-8"))
                    if not (root / "static" / "js" / name).is_file()})
    assert not stale, "\n".join(stale)
