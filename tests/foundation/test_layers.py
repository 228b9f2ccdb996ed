"""The CLI is a thin shell over the application layer (DESIGN §2, issue 13): every module of
``tenderflow/cli`` imports, at module level or inside a command, nothing of tenderflow but
``tenderflow.app.*`` (the facades), ``tenderflow.cli.*`` and ``tenderflow.errors``."""

from __future__ import annotations

import ast
from pathlib import Path

import tenderflow

CLI = Path(tenderflow.__file__).parent / "cli"
ALLOWED = ("tenderflow.app", "tenderflow.cli", "tenderflow.errors", "tenderflow.i18n")


def tenderflow_imports(source: str) -> list[tuple[str, int]]:
    """Every ``tenderflow`` module an import statement anywhere in ``source`` names (module
    level, inside functions and classes), with its line; ``from tenderflow import x`` names
    ``tenderflow.x``."""
    found: list[tuple[str, int]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(a.name, node.lineno) for a in node.names
                      if a.name.split(".")[0] == "tenderflow"]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            if node.module == "tenderflow":
                found += [(f"tenderflow.{a.name}", node.lineno) for a in node.names]
            elif node.module.startswith("tenderflow."):
                found.append((node.module, node.lineno))
    return found


def allowed(module: str) -> bool:
    return any(module == a or module.startswith(a + ".") for a in ALLOWED)


def test_the_cli_imports_only_the_application_layer() -> None:
    wrong = []
    for path in sorted(CLI.glob("*.py")):
        for module, line in tenderflow_imports(path.read_text(encoding="utf-8")):
            if not allowed(module):
                wrong.append(f"tenderflow/cli/{path.name}:{line}: imports {module}")
    assert not wrong, "the CLI reaches past the application layer:\n" + "\n".join(wrong)


def test_the_check_sees_imports_inside_functions() -> None:
    source = ("from tenderflow.cli import Ctx\n"
              "def cmd():\n"
              "    from tenderflow.store.eventstore import EventStore\n"
              "    import tenderflow.domain.sealing\n"
              "    from tenderflow import clock\n")
    bad = [m for m, _ in tenderflow_imports(source) if not allowed(m)]
    assert bad == ["tenderflow.store.eventstore", "tenderflow.domain.sealing",
                   "tenderflow.clock"]
