"""The framework-free core never imports Flask, Socket.IO, eventlet or TinyDB."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FRAMEWORKS = {"flask", "flask_socketio", "flask_babel", "socketio", "engineio", "eventlet", "tinydb"}
#: The framework-free parts, by folder: the core, the verslag, the storage's own modules (only the TinyDB adapter,
#: tinydb_store.py, imports TinyDB), two request guards written without Flask, and the werkvormen.
CORE = [
    *sorted((ROOT / "facilitator" / "core").rglob("*.py")),
    *sorted((ROOT / "facilitator" / "verslag").rglob("*.py")),
    ROOT / "facilitator" / "platforms.py",
    ROOT / "facilitator" / "storage" / "__init__.py",
    ROOT / "facilitator" / "storage" / "memory.py",
    ROOT / "facilitator" / "storage" / "journal.py",
    ROOT / "facilitator" / "storage" / "codec.py",
    ROOT / "facilitator" / "web" / "guards" / "throttle.py",
    ROOT / "facilitator" / "web" / "guards" / "wsgi.py",
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


def test_only_the_server_runtime_imports_eventlet() -> None:
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "facilitator").rglob("*.py")
        if imported_roots(path) & {"eventlet", "greenlet"}
    }
    # Every eventlet call is behind server_runtime's Runtime, so another Flask-SocketIO async mode is one change.
    assert users == {"facilitator/web/server_runtime.py"}


def test_the_domain_imports_only_the_standard_library() -> None:
    # json: a composition is plain data, and its canonical text is its identity (domain/composition.py).
    allowed = {"__future__", "collections", "dataclasses", "enum", "json", "re", "typing", "unicodedata"}
    for path in (ROOT / "facilitator" / "core" / "domain").glob("*.py"):
        assert imported_roots(path) - {"facilitator"} <= allowed, path.name
        # Of its own package, only the domain itself.
        assert {m for m in _package_imports(path) if not m.startswith("facilitator.core.domain")} == set(), path.name


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
    circles = _import_circles(ROOT / "facilitator" / "web" / "host")
    assert circles == [], f"import circles through {circles}"


def test_the_realtime_modules_import_each_other_in_one_direction_only() -> None:
    """No import circle among the realtime package's modules (the catalogue, rooms, screens, publishing, hub)."""
    circles = _import_circles(ROOT / "facilitator" / "web" / "realtime")
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
EDGE = ("facilitator.web",)


@pytest.mark.parametrize("path", [p for p in CORE if p.is_relative_to(ROOT / "facilitator")],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_the_core_imports_nothing_of_the_socket_edge(path: Path) -> None:
    assert {m for m in _package_imports(path) if m.startswith(EDGE)} == set()


#: What each screen is sent and the event catalogue are plain data: only the modules that emit hold the server.
PAYLOADS = [
    ROOT / "facilitator" / "web" / "realtime" / "events.py",
    ROOT / "facilitator" / "web" / "realtime" / "rooms.py",
    *sorted((ROOT / "facilitator" / "web" / "realtime" / "screens").glob("*.py")),
]


@pytest.mark.parametrize("path", PAYLOADS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_catalogue_and_the_screens_payloads_hold_no_socket_server(path: Path) -> None:
    assert imported_roots(path) & {"flask_socketio", "socketio", "engineio", "eventlet", "tinydb"} == set()


def test_the_product_never_imports_its_testing_helpers() -> None:
    """facilitator/testing serves the tests and the benchmarks; the product's own code imports none of it."""
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "facilitator").rglob("*.py")
        if not path.is_relative_to(ROOT / "facilitator" / "testing")
        and any(m == "facilitator.testing" or m.startswith("facilitator.testing.") for m in _package_imports(path))
    }
    assert users == set()


def test_the_testing_helpers_are_framework_light() -> None:
    """The shared helpers run without pytest (the benchmarks are plain scripts); fixtures wrap them in tests/."""
    users = {
        str(path.relative_to(ROOT))
        for path in (ROOT / "facilitator" / "testing").rglob("*.py")
        if imported_roots(path) & {"pytest", "tests"}
    }
    assert users == set()


def _test_imports(path: Path) -> set[str]:
    """Return what a module imports of the tests package, at any depth of the file (also inside functions)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module] if node.module != "tests" else [f"tests.{a.name}" for a in node.names]
            found.update(n for n in names if n == "tests" or n.startswith("tests."))
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name == "tests" or a.name.startswith("tests."))
    return found


def test_the_benchmarks_import_nothing_of_the_tests() -> None:
    """What bench/ and tests/ both need lives in facilitator/testing: bench/ runs without the tests folder."""
    users = {str(path.relative_to(ROOT)): sorted(_test_imports(path)) for path in sorted((ROOT / "bench").rglob("*.py"))}
    assert {name: found for name, found in users.items() if found} == {}


def test_the_bench_rule_finds_an_import_of_the_tests(tmp_path: Path) -> None:
    """The rule above can fail: a top-level, a late and a package-level import of the tests are each found."""
    script = tmp_path / "bench.py"
    script.write_text(
        "import json\nfrom tests.support.rooms import open_room\n"
        "def main():\n    from tests import conftest\n    import tests.e2e.helpers\n",
        encoding="utf-8",
    )
    assert _test_imports(script) == {"tests.support.rooms", "tests.conftest", "tests.e2e.helpers"}
