"""No import cycles (DESIGN §2, issue 13): the import graph of ``tenderflow/`` — every import
statement, at module level or inside a function, restricted to ``tenderflow.*`` — has no
cycle, and every module imports on its own in a fresh interpreter.

An import inside a function hides a cycle from Python (it runs after both modules are loaded)
but not from this check: it counts as an edge like any other.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import tenderflow

PACKAGE = Path(tenderflow.__file__).parent
ROOT_NAME = "tenderflow"
# Modules that are not imported but run by a tool: alembic executes the environment script
# with its migration context set up (it refuses to run otherwise).
NOT_IMPORTABLE_ALONE = {"tenderflow.store.migrations.env"}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _resolve(base: str, level: int, current: str, is_package: bool) -> str:
    """The absolute module named by ``from <level dots><base> import ...`` in ``current``."""
    if level == 0:
        return base
    parts = current.split(".")
    if not is_package:
        parts.pop()  # a module's relative imports start from its package
    if level > 1:
        parts = parts[: len(parts) - (level - 1)]
    return ".".join(parts + ([base] if base else []))


def imports_of(name: str, source: str, modules: Iterable[str], *, is_package: bool = False
               ) -> list[tuple[str, int]]:
    """The ``tenderflow`` modules that ``name``'s source imports, with line numbers: every
    ``import`` and ``from ... import`` anywhere in the file (module level, functions, classes,
    ``if TYPE_CHECKING``). ``from pkg import sub`` names the submodule when ``sub`` is one,
    the package otherwise; importing ``a.b.c`` is an edge to ``a.b.c`` (the parents a
    module's import runs are not counted)."""
    known = set(modules)
    found: list[tuple[str, int]] = []

    def add(target: str, line: int) -> None:
        while target and target not in known:  # `import tenderflow.x.Name` is not legal,
            target = target.rpartition(".")[0]  # but keep the nearest module if it were
        if target and (target == ROOT_NAME or target.startswith(ROOT_NAME + ".")):
            found.append((target, line))

    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node.lineno)
        elif isinstance(node, ast.ImportFrom):
            base = _resolve(node.module or "", node.level, name, is_package)
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                add(sub if sub in known else base, node.lineno)
    return found


def import_graph() -> dict[str, dict[str, list[int]]]:
    """module -> {imported module -> line numbers}."""
    modules = package_modules()
    graph: dict[str, dict[str, list[int]]] = {}
    for name, path in modules.items():
        edges: dict[str, list[int]] = {}
        for target, line in imports_of(name, path.read_text(encoding="utf-8"), modules,
                                       is_package=path.name == "__init__.py"):
            edges.setdefault(target, []).append(line)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, dict[str, list[int]]]) -> list[list[str]]:
    """Strongly connected components with more than one module, and modules that import
    themselves (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph.get(v, {}):
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def describe(component: list[str], graph: dict[str, dict[str, list[int]]]) -> str:
    inside = set(component)
    edges = [f"    {a} -> {b} (line {', '.join(map(str, sorted(set(lines))))})"
             for a in component for b, lines in sorted(graph[a].items()) if b in inside]
    return " <-> ".join(component) + "\n" + "\n".join(edges)


def test_the_graph_sees_every_kind_of_import() -> None:
    modules = ["tenderflow", "tenderflow.a", "tenderflow.a.b", "tenderflow.a.c", "tenderflow.d"]
    source = ("import tenderflow.d\n"
              "from tenderflow.a import c, Thing\n"
              "from . import c as again\n"
              "from .. import d\n"
              "import json\n"
              "def f():\n"
              "    from tenderflow.a.c import x\n")
    assert imports_of("tenderflow.a.b", source, modules) == [
        ("tenderflow.d", 1), ("tenderflow.a.c", 2), ("tenderflow.a", 2),
        ("tenderflow.a.c", 3), ("tenderflow.d", 4), ("tenderflow.a.c", 7)]
    assert imports_of("tenderflow.a", "from . import b\nfrom .c import y\n", modules,
                      is_package=True) == [("tenderflow.a.b", 1), ("tenderflow.a.c", 2)]


def test_cycles_are_found() -> None:
    graph: dict[str, dict[str, list[int]]] = {
        "a": {"b": [1]}, "b": {"c": [1]}, "c": {"a": [3]}, "d": {"d": [1]}, "e": {"a": [1]}}
    assert cycles(graph) == [["a", "b", "c"], ["d"]]


def test_no_import_cycles() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the whole package was read
    found = cycles(graph)
    assert not found, (f"{len(found)} import cycle(s):\n"
                       + "\n".join(describe(c, graph) for c in found))


# Each import runs with no other tenderflow module loaded: earlier ones are dropped from
# sys.modules first (third-party modules stay loaded, which only saves time).
_IMPORT_EACH = """
import importlib, json, sys, traceback
failed = {}
for name in sys.argv[1:]:
    for loaded in [m for m in sys.modules if m == "tenderflow" or m.startswith("tenderflow.")]:
        del sys.modules[loaded]
    try:
        importlib.import_module(name)
    except BaseException:
        failed[name] = traceback.format_exc(limit=-6)
print(json.dumps(failed))
"""


def _import_alone(names: list[str]) -> dict[str, str]:
    done = subprocess.run([sys.executable, "-W", "error", "-c", _IMPORT_EACH, *names],
                          capture_output=True, text=True, timeout=300, cwd=PACKAGE.parent)
    if done.returncode != 0:
        return {", ".join(names): done.stderr}
    failed: dict[str, str] = json.loads(done.stdout.strip().splitlines()[-1])
    return failed


def test_every_module_imports_alone() -> None:
    names = sorted(set(package_modules()) - NOT_IMPORTABLE_ALONE)
    batches = [names[i::4] for i in range(4)]
    with ThreadPoolExecutor(max_workers=2) as pool:
        failed = {k: v for part in pool.map(_import_alone, batches) for k, v in part.items()}
    assert not failed, "\n\n".join(f"{name}:\n{tb}" for name, tb in sorted(failed.items()))
