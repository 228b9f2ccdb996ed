"""The fold applies what its modules mark, and every marked applier is in the fold: an applier
module left out of ``tenderflow.domain.state.APPLIER_MODULES`` would be silently ignored."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import tenderflow
from tenderflow.domain import state
from tenderflow.domain.fold import applied_by, applies, appliers_of

PACKAGE = Path(tenderflow.__file__).parent


def _marked_in_source() -> set[str]:
    """``module.function`` of every function decorated ``@applies(...)`` under tenderflow/."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef):
                for dec in node.decorator_list:
                    if (isinstance(dec, ast.Call) and isinstance(dec.func, ast.Name)
                            and dec.func.id == "applies"):
                        found.add(f"{module.removesuffix('.__init__')}.{node.name}")
    return found


def test_every_applier_is_folded() -> None:
    folded = {f"{fn.__module__}.{fn.__name__}" for fns in state.APPLIERS.values() for fn in fns}
    assert _marked_in_source() == folded


def test_the_table_follows_the_modules_and_the_definitions() -> None:
    fold = importlib.import_module("tenderflow.domain.fold")
    assert state.APPLIER_MODULES[0] is fold
    table = appliers_of(state.APPLIER_MODULES)
    assert table == state.APPLIERS
    created = [f"{fn.__module__}.{fn.__name__}" for fn in table["ProcurementCreated"]]
    assert created[0] == "tenderflow.domain.fold._created"


def test_applies_only_marks() -> None:
    @applies("A", "B")
    def fn(st: dict, payload: dict, at: str) -> None:
        st["seen"] = at

    assert applied_by(fn) == ("A", "B")
    assert applied_by(print) == ()
    assert "A" not in state.APPLIERS
