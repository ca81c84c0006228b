"""The package's import graph, read from the source with ast: no circles between modules or
between rooms, rooms import only the rooms before them in the flow, and imports sit at the
top of files (only the CLI may defer heavy ones)."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "kg"
# The rooms in the order of the flow of data; a room may import only rooms listed before it
# and the ground floor (modules directly under kg/).
ROOMS = ["ingest", "extract", "store", "graph", "query", "validate", "export", "serve", "cli"]
GROUND = {"errors", "model", "namespaces", "files"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def imports_of(path: Path, *, top_level_only: bool) -> set[str]:
    """The kg modules ``path`` imports (at module level only, or anywhere)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    known = modules()
    found: set[str] = set()
    for node in _statements(tree.body, deep=not top_level_only):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("kg"))
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("kg"):
            for alias in node.names:
                child = f"{node.module}.{alias.name}"
                found.add(child if child in known else node.module)
    return {name for name in found if name in known}


def _statements(body: list[ast.stmt], *, deep: bool) -> list[ast.AST]:
    """The statements of ``body`` (and, if ``deep``, of every nested block), leaving out
    ``if TYPE_CHECKING:`` blocks, which never run."""
    found: list[ast.AST] = []
    for node in body:
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            continue
        found.append(node)
        if deep:
            for field in ("body", "orelse", "finalbody"):
                inner = getattr(node, field, None)
                if isinstance(inner, list):
                    found += _statements([n for n in inner if isinstance(n, ast.stmt)], deep=True)
            for handler in getattr(node, "handlers", None) or []:
                found += _statements(handler.body, deep=True)
    return found


def graph(*, top_level_only: bool = False) -> dict[str, set[str]]:
    return {name: imports_of(path, top_level_only=top_level_only) - {name} for name, path in modules().items()}


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(edges.get(node, ())):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        stack.pop()
        state[node] = 2
        return None

    for node in sorted(edges):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def room_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in ROOMS) else None


def test_no_module_imports_itself_round_a_circle() -> None:
    assert find_cycle(graph()) is None


def test_no_circle_between_rooms() -> None:
    rooms: dict[str, set[str]] = {}
    for module, targets in graph().items():
        source = room_of(module)
        if source:
            rooms.setdefault(source, set()).update(t for t in map(room_of, targets) if t and t != source)
    assert find_cycle(rooms) is None


def test_rooms_import_only_rooms_before_them() -> None:
    wrong = []
    for module, targets in graph().items():
        source = room_of(module)
        for target in targets:
            room = room_of(target)
            if source is None and target != "kg" and room is not None and module != "kg":
                wrong.append(f"ground floor {module} imports {target}")
            elif source and room and ROOMS.index(room) > ROOMS.index(source):
                wrong.append(f"{module} ({source}) imports {target} ({room})")
    assert wrong == []


def test_top_level_holds_rooms_and_a_few_ground_modules() -> None:
    flat = {p.stem for p in PACKAGE.glob("*.py")} - {"__init__"}
    assert flat <= GROUND
    assert {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()} <= set(ROOMS)


def test_imports_sit_at_the_top_of_files_outside_the_cli() -> None:
    deferred = []
    for name, path in modules().items():
        if name.startswith("kg.cli"):
            continue
        anywhere = imports_of(path, top_level_only=False)
        top = imports_of(path, top_level_only=True)
        deferred += [f"{name} -> {t}" for t in sorted(anywhere - top)]
    assert deferred == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None


@pytest.mark.parametrize("module", ["kg.model"])
def test_importing_the_model_loads_no_query_layer_or_store(module: str) -> None:
    code = f"import sys, {module}; print('\\n'.join(sorted(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    heavy = [m for m in loaded if m.startswith(("kg.query", "kg.store", "kg.validate", "pyoxigraph", "rdflib", "pyshacl"))]
    assert heavy == []
