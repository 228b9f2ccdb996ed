"""The fold and the guards come from one explicit list of modules
(``tenderflow.domain.state.MODULES``): the fold applies what those modules mark and every marked
applier is in it (a module left out would be silently ignored); the guard table holds every
guard the modules mark, each name once, and every guard a workflow names; importing a guard
module registers nothing."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

import tenderflow
from tenderflow.domain import state
from tenderflow.domain.fold import applied_by, appliers_of, applies
from tenderflow.domain.rules import GuardContext, GuardSpec, guard, guards_of, spec_of

PACKAGE = Path(tenderflow.__file__).parent
WORKFLOWS = PACKAGE.parent / "workflows"


def _decorated_in_source(name: str) -> set[str]:
    """``module.function`` of every function decorated ``@name(...)`` under tenderflow/."""
    found = set()
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef) and any(
                    isinstance(d, ast.Call) and isinstance(d.func, ast.Name) and d.func.id == name
                    for d in node.decorator_list):
                found.add(f"{module.removesuffix('.__init__')}.{node.name}")
    return found


def test_every_applier_is_folded() -> None:
    folded = {f"{fn.__module__}.{fn.__name__}" for fns in state.APPLIERS.values() for fn in fns}
    assert _decorated_in_source("applies") == folded


def test_the_table_follows_the_modules_and_the_definitions() -> None:
    fold = importlib.import_module("tenderflow.domain.fold")
    assert state.MODULES[0] is fold
    table = appliers_of(state.MODULES)
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


def test_the_guard_table_is_built_from_the_explicit_list() -> None:
    assert guards_of(state.MODULES) == state.GUARDS
    defined = {f"{spec.fn.__module__}.{spec.fn.__name__}" for spec in state.GUARDS.values()}
    assert defined == _decorated_in_source("guard")
    listed = {m.__name__ for m in state.MODULES}
    assert {spec.fn.__module__ for spec in state.GUARDS.values()} <= listed
    assert all(name == spec.name for name, spec in state.GUARDS.items())


def test_every_guard_a_workflow_names_is_in_the_table() -> None:
    named = set()
    for path in sorted(WORKFLOWS.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for t in (data or {}).get("transitions", []) if isinstance(data, dict) else []:
            named.update(t.get("guards", []))
    assert len(named) > 50
    assert sorted(named - set(state.GUARDS)) == []


def test_guard_only_marks_and_a_name_twice_is_an_error() -> None:
    @guard("twice", rule="x.y")
    def one(ctx: GuardContext, spec: GuardSpec) -> None:
        return None

    @guard("twice")
    def two(ctx: GuardContext, spec: GuardSpec) -> None:
        return None

    spec = spec_of(one)
    assert spec is not None and spec.name == "twice" and spec.rule == "x.y"
    assert spec_of(print) is None
    assert "twice" not in state.GUARDS
    module = type(sys)("fake_guards")
    one.__module__ = two.__module__ = "fake_guards"
    module.one, module.two = one, two
    with pytest.raises(ValueError, match="guard twice defined twice"):
        guards_of([module])


def test_importing_a_guard_module_alone_registers_nothing() -> None:
    """In a fresh interpreter: a mode's decisions imported on their own fill no table, and the
    composition does not import itself on the way."""
    code = ("import sys\n"
            "import tenderflow.domain.modes.negotiation.decisions as d\n"
            "import tenderflow.domain.rules as r\n"
            "assert 'tenderflow.domain.state' not in sys.modules\n"
            "assert not [n for n in vars(r) if n.isupper() and isinstance(getattr(r, n), dict)]\n"
            "assert r.spec_of(d.negotiation_ground).name == 'negotiation_ground'\n")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=PACKAGE.parent)
