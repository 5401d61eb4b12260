"""The framework-free core never imports Flask, Socket.IO, eventlet or TinyDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = {"flask", "flask_socketio", "flask_babel", "socketio", "engineio", "eventlet", "tinydb"}
CORE = [
    *sorted((ROOT / "facilitator" / "domain").glob("*.py")),
    *sorted((ROOT / "facilitator" / "services").glob("*.py")),
    ROOT / "facilitator" / "registry.py",
    ROOT / "facilitator" / "validation.py",
    ROOT / "facilitator" / "clustering.py",
    ROOT / "facilitator" / "theme_names.py",
    ROOT / "facilitator" / "condense.py",
    ROOT / "facilitator" / "text_nl.py",
    ROOT / "facilitator" / "privacy.py",
    ROOT / "facilitator" / "mail.py",
    ROOT / "facilitator" / "mail_config.py",
    ROOT / "facilitator" / "pdf.py",
    ROOT / "facilitator" / "exports.py",
    ROOT / "facilitator" / "throttle.py",
    ROOT / "facilitator" / "wsgi_guard.py",
    ROOT / "facilitator" / "storage" / "__init__.py",
    ROOT / "facilitator" / "storage" / "memory.py",
    ROOT / "facilitator" / "storage" / "journal.py",
    ROOT / "facilitator" / "storage" / "codec.py",
    ROOT / "facilitator" / "reporting" / "model.py",
    ROOT / "facilitator" / "reporting" / "build.py",
    ROOT / "facilitator" / "reporting" / "text.py",
    ROOT / "facilitator" / "reporting" / "markdown.py",
    ROOT / "facilitator" / "reporting" / "html.py",
    ROOT / "facilitator" / "reporting" / "docx.py",
    ROOT / "facilitator" / "reporting" / "csv.py",
    *sorted((ROOT / "workformats").glob("*.py")),
]


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("path", CORE, ids=lambda p: str(p.relative_to(ROOT)))
def test_core_module_imports_no_framework(path: Path) -> None:
    assert imported_roots(path) & FRAMEWORKS == set()


def test_only_the_tinydb_store_imports_tinydb() -> None:
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "facilitator").rglob("*.py")
        if "tinydb" in imported_roots(path)
    }
    assert users == {"facilitator/storage/tinydb_store.py"}


def _private_tinydb_overrides(path: Path) -> list[str]:
    """Return the private methods that a module's classes built on a TinyDB class define."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    tinydb_names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "tinydb"
        for alias in node.names
    }
    return [
        f"{node.name}.{item.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef) and any(isinstance(b, ast.Name) and b.id in tinydb_names for b in node.bases)
        for item in node.body
        if isinstance(item, ast.FunctionDef) and item.name.startswith("_") and not item.name.startswith("__")
    ]


def test_tinydb_is_extended_only_through_its_public_members() -> None:
    """A TinyDB release may change its private methods at will (Table._update_table was once overridden here)."""
    assert _private_tinydb_overrides(ROOT / "facilitator" / "storage" / "tinydb_store.py") == []


def test_the_override_finder_finds_a_private_override(tmp_path: Path) -> None:
    """The test above can fail: a Table subclass that overrides a private method is found, a public Storage is not."""
    module = tmp_path / "store.py"
    module.write_text(
        "from tinydb.storages import Storage\n"
        "from tinydb.table import Table as TinyTable\n"
        "class Memory(Storage):\n"
        "    def __init__(self): self.data = {}\n"
        "    def read(self): return self.data\n"
        "class InPlace(TinyTable):\n"
        "    def _update_table(self, updater): pass\n",
        encoding="utf-8",
    )
    assert _private_tinydb_overrides(module) == ["InPlace._update_table"]


def test_only_the_serve_command_imports_eventlet() -> None:
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "facilitator").rglob("*.py")
        if "eventlet" in imported_roots(path)
    }
    # web.py reaches eventlet.tpool only when the serve command chose eventlet mode.
    assert users == {"facilitator/cli.py", "facilitator/web.py"}


def test_the_domain_imports_only_the_standard_library() -> None:
    # json: a composition is plain data, and its canonical text is its identity (domain/composition.py).
    allowed = {"__future__", "collections", "dataclasses", "enum", "json", "re", "typing", "unicodedata"}
    for path in (ROOT / "facilitator" / "domain").glob("*.py"):
        assert imported_roots(path) <= allowed, path.name


def _package_imports(path: Path, root: Path = ROOT) -> set[str]:
    """Return the facilitator modules a module imports at any level (relative imports resolved)."""
    package = ".".join(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            if node.level:
                base = base[: len(base) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            names = [f"{module}.{alias.name}" for alias in node.names]
            found.update(n for n in [module, *names] if n.startswith("facilitator"))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("facilitator"))
    return found


def _modules_of(package: Path, root: Path) -> dict[str, Path]:
    """Return every module of a package, its subpackages' too, by dotted name (a package by its own name)."""
    modules = {}
    for path in package.rglob("*.py"):
        parts = path.relative_to(root).with_suffix("").parts
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _import_circles(package: Path, root: Path = ROOT) -> list[str]:
    """Return the modules of a package that reach themselves again through the package's own imports."""
    modules = _modules_of(package, root)
    graph = {
        name: {m for m in _package_imports(path, root) if m in modules and m != name} for name, path in modules.items()
    }

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(nxt == goal or (nxt not in seen and reaches(nxt, goal, seen | {nxt})) for nxt in graph[start])

    return sorted(name for name in graph if reaches(name, name, {name}))


def test_the_host_pages_import_each_other_in_one_direction_only() -> None:
    """No import circle among the host's modules (prepare.py once imported routes.py, which imported it back)."""
    circles = _import_circles(ROOT / "facilitator" / "host")
    assert circles == [], f"import circles through {circles}"


def test_the_realtime_modules_import_each_other_in_one_direction_only() -> None:
    """No import circle among the realtime package's modules (the catalogue, rooms, screens, publishing, hub)."""
    circles = _import_circles(ROOT / "facilitator" / "realtime")
    assert circles == [], f"import circles through {circles}"


def test_the_circle_finder_finds_a_circle(tmp_path: Path) -> None:
    """The two tests above can fail: modules that import each other in a ring, through a subpackage, are found."""
    package = tmp_path / "facilitator" / "realtime"
    (package / "screens").mkdir(parents=True)
    for path, text in {
        "__init__.py": "from .hub import Realtime\n",
        "hub.py": "from .publish import Publisher\n",
        "publish.py": "from .screens.host import host_state\n",
        "screens/__init__.py": "",
        "screens/host.py": "from .. import publish\n",
        "events.py": "from . import rooms\n",
        "rooms.py": "",
    }.items():
        (package / path).write_text(text, encoding="utf-8")
    # `from .. import publish` runs the package's __init__ too, which imports the hub: all four are in the ring.
    assert _import_circles(package, tmp_path) == [
        "facilitator.realtime", "facilitator.realtime.hub", "facilitator.realtime.publish",
        "facilitator.realtime.screens.host",
    ]


#: The Socket.IO edge: the framework-free core never imports it (services return domain events; publish.py emits).
EDGE = ("facilitator.realtime", "facilitator.web", "facilitator.sockets", "facilitator.host", "facilitator.participant")


@pytest.mark.parametrize("path", [p for p in CORE if p.is_relative_to(ROOT / "facilitator")],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_nothing_of_the_socket_edge(path: Path) -> None:
    assert {m for m in _package_imports(path) if m.startswith(EDGE)} == set()


#: What each screen is sent and the event catalogue are plain data: only the modules that emit hold the server.
PAYLOADS = [
    ROOT / "facilitator" / "realtime" / "events.py",
    ROOT / "facilitator" / "realtime" / "rooms.py",
    *sorted((ROOT / "facilitator" / "realtime" / "screens").glob("*.py")),
]


@pytest.mark.parametrize("path", PAYLOADS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_catalogue_and_the_screens_payloads_hold_no_socket_server(path: Path) -> None:
    assert imported_roots(path) & {"flask_socketio", "socketio", "engineio", "eventlet", "tinydb"} == set()
