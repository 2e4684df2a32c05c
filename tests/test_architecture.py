"""The package's shape (docs/architecture.md): data flows one way, so no module imports
one that imports it back, and every module stays small enough to read in one sitting."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import networkx as nx

from opr_planner.errors import OprPlannerError

PACKAGE = Path(__file__).resolve().parents[1] / "opr_planner"
MAX_LINES = 450  # STYLE.md: modules of 100-400 lines, split before 500

# Known exceptions, each with its owner: the tests fail when one grows or a new one
# appears, and when one is fixed (then delete its entry here).
KNOWN_LONG: dict[str, int] = {}
KNOWN_BACK_EDGES: dict[tuple[str, str], str] = {}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    """Whether `node` sits under `if TYPE_CHECKING:` (not imported when the program runs)."""
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str) -> set[str]:
    """The package's modules that `name` imports when it runs, at the top or inside a function."""
    path = MODULES[name]
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from pkg import mod` imports the module pkg.mod; `from mod import name`, mod itself.
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in MODULES else base for a in node.names]
        else:
            continue
        found.update(t for t in targets if t in MODULES and t != name)
    return found


def import_graph() -> nx.DiGraph:
    graph = nx.DiGraph()
    for name in MODULES:
        graph.add_node(name)
        graph.add_edges_from((name, target) for target in imports_of(name))
    return graph


def test_the_graph_sees_relative_and_function_level_imports() -> None:
    edges = import_graph().edges
    assert ("opr_planner.solver.solve", "opr_planner.solver.compile") in edges  # from .compile import ...
    assert ("opr_planner.cli.solve", "opr_planner.solver.solve") in edges  # from ..solver.solve import ...
    assert ("opr_planner.sweep.run", "opr_planner.solver.solve") in edges  # inside a function


def test_no_import_cycles() -> None:
    graph = import_graph()
    fixed = [(a, b) for a, b in KNOWN_BACK_EDGES if (a, b) not in graph.edges or not nx.has_path(graph, b, a)]
    assert fixed == [], f"no longer on a cycle, delete from KNOWN_BACK_EDGES: {fixed}"
    graph.remove_edges_from(KNOWN_BACK_EDGES)
    cycles = sorted(nx.simple_cycles(graph))
    assert cycles == [], "import cycles (a module that imports one that imports it back):\n" + "\n".join(
        " -> ".join([*c, c[0]]) for c in cycles
    )


def test_no_module_is_too_long_to_read() -> None:
    lines = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    limit = {name: KNOWN_LONG.get(name, MAX_LINES) for name in MODULES}
    long = {name: n for name, n in sorted(lines.items()) if n > limit[name]}
    assert long == {}, "split these modules (STYLE.md: 100-400 lines, split before 500):\n" + "\n".join(
        f"{MODULES[name].relative_to(PACKAGE.parent)}: {n} lines, {n - limit[name]} over {limit[name]}"
        for name, n in long.items()
    )
    fixed = [name for name in KNOWN_LONG if lines.get(name, 0) <= MAX_LINES]
    assert fixed == [], f"now short enough, delete from KNOWN_LONG: {fixed}"


def test_every_error_of_the_hierarchy_is_defined_in_errors_py() -> None:
    """One exception hierarchy (STYLE.md 11): whatever a command maps to an exit code is an
    OprPlannerError defined in errors.py. (Modules may keep private exceptions of their own
    for control flow that never leaves them.)"""
    for name in MODULES:
        importlib.import_module(name)
    found: list[type] = []
    todo: list[type] = [OprPlannerError]
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo.extend(cls.__subclasses__())
    elsewhere = sorted(
        f"{c.__module__}.{c.__qualname__}" for c in found if c.__module__ != "opr_planner.errors"
    )
    assert elsewhere == [], f"define these in opr_planner/errors.py: {elsewhere}"
    assert len(found) >= 10
