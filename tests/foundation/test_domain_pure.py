"""The domain is pure (issue 13, DESIGN §2): no module under ``tenderflow/domain/`` reads a
file. Files are read at the edges - policy data (workflows, parameters, eligibility rulesets,
calendar override files) by ``tenderflow.workflow``, user files (credit-list CSV exports,
calendar notices, data files) by the application services - and the domain receives the
parsed data.

The check reads the AST of every domain module and refuses: ``open()`` / ``io.open`` /
``os.open``; ``read_text``, ``read_bytes``, ``open``, ``iterdir``, ``glob`` and ``rglob``
called on anything (a ``Path`` or the like); importing ``yaml``, ``csv``, ``pathlib``,
``importlib.resources``, ``tenderflow.paths`` or ``tenderflow.yamlio``, at module
level or inside a function.
"""

from __future__ import annotations

import ast
from pathlib import Path

import tenderflow

DOMAIN = Path(tenderflow.__file__).parent / "domain"

FORBIDDEN_MODULES = ("yaml", "csv", "pathlib", "importlib.resources",
                     "tenderflow.paths", "tenderflow.yamlio")
FILE_METHODS = frozenset({"read_text", "read_bytes", "open", "iterdir", "glob", "rglob"})
OPEN_CALLS = frozenset({"open", "io.open", "os.open", "codecs.open"})


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = _dotted(node.value)
        return f"{base}.{node.attr}" if base else None
    return None


def _forbidden_module(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES)


def file_reads(source: str) -> list[tuple[int, str]]:
    """(line, what) for every way of reading a file that ``source`` has."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, f"import {a.name}") for a in node.names
                      if _forbidden_module(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module, *(f"{node.module}.{a.name}" for a in node.names)]
            if any(_forbidden_module(n) for n in names):
                found.append((node.lineno, f"from {node.module} import "
                              + ", ".join(a.name for a in node.names)))
        elif isinstance(node, ast.Call):
            name = _dotted(node.func)
            if name in OPEN_CALLS:
                found.append((node.lineno, f"{name}()"))
            elif isinstance(node.func, ast.Attribute) and node.func.attr in FILE_METHODS:
                found.append((node.lineno, f".{node.func.attr}()"))
    return sorted(found)


def test_the_check_catches_every_way_of_reading_a_file() -> None:
    source = ("import yaml\n"
              "import csv, json\n"
              "from pathlib import Path\n"
              "from importlib import resources\n"
              "import importlib.resources as res\n"
              "from tenderflow import paths\n"
              "def f(p):\n"
              "    from tenderflow.paths import workflows_dir\n"
              "    open('x')\n"
              "    p.read_text(encoding='utf-8')\n"
              "    p.read_bytes()\n"
              "    with p.open() as fh: pass\n"
              "    list(p.glob('*.yaml'))\n"
              "    io.open('y')\n"
              "    return json.loads('{}')\n")
    assert file_reads(source) == [
        (1, "import yaml"), (2, "import csv"), (3, "from pathlib import Path"),
        (4, "from importlib import resources"), (5, "import importlib.resources"),
        (6, "from tenderflow import paths"),
        (8, "from tenderflow.paths import workflows_dir"), (9, "open()"), (10, ".read_text()"),
        (11, ".read_bytes()"), (12, ".open()"), (13, ".glob()"), (14, "io.open()")]
    # parsing text and pure data are not reading a file
    assert file_reads("import json, re\nfrom tenderflow.domain.money import Money\n"
                      "def g(t):\n    return json.loads(t), re.match('x', t)\n") == []


def test_no_domain_module_reads_a_file() -> None:
    modules = sorted(DOMAIN.rglob("*.py"))
    assert len(modules) > 20  # the whole domain was read
    found = [f"{path.relative_to(DOMAIN.parent.parent)}:{line}: {what}"
             for path in modules
             for line, what in file_reads(path.read_text(encoding="utf-8"))]
    assert not found, ("the domain receives parsed data; read files in tenderflow/workflow "
                       "(policy data) or beside the application service (user files):\n"
                       + "\n".join(found))
