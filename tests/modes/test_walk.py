"""Every mode file, walked: every transition is taken at least once through the application
services (the example scenarios and the walks in tests/modes/walks/), every state is reached,
every guard named in YAML exists, and every parameter a guard reads exists in
workflows/parameters.yaml — checked both while walking (every read is recorded) and statically
(every rule-id literal in the guard modules is a parameter or a rule some guard names).
"""

from __future__ import annotations

import ast
import re
from collections import deque
from pathlib import Path
from typing import Any

import pytest

from tenderflow.app.procurement import load_parameters
from tenderflow.domain.parameters import Parameters
from tenderflow.domain.state import GUARDS
from tenderflow.paths import examples_dir
from tenderflow.workflow.definitions import available_modes, load_workflow, load_yaml
from tests.conftest import HISTORIC

ROOT = Path(__file__).resolve().parents[2]
WALKS = Path(__file__).resolve().parent / "walks"
# The modules that hold guards: every mode, and the components with guards or rule ids.
GUARD_MODULES = sorted([*(ROOT / "tenderflow" / "domain" / "modes").rglob("*.py"),
                        *(ROOT / "tenderflow" / "domain" / "components" / f"{name}.py"
                          for name in ("bonds", "challenges", "common", "eligibility",
                                       "publicity", "reopening"))])
#: The namespaces of the parameters the modes of this package own (negotiation.* belongs to
#: the competitive-negotiation work and is checked there).
OWN_NAMESPACES = ("tender.", "ppp.", "regime.")
RULE_LITERAL = re.compile(r"^(tender|ppp|regime|negotiation|delegation|procedure|award)\.[a-z_]+$")


def scenario_files() -> list[Path]:
    return sorted(examples_dir().glob("*.yaml")) + sorted(WALKS.glob("*.yaml"))


@pytest.fixture(scope="module")
def walked(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Run every scenario file on its own fresh database, recording each transition taken
    and each parameter read."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.store.eventstore import EventStore

    reads: set[str] = set()
    original = Parameters.get

    def recording_get(self: Parameters, key: str) -> Any:
        reads.add(key)
        return original(self, key)

    taken: set[tuple[str, str, str, str]] = set()
    reached: dict[str, set[str]] = {}
    reports = {}
    Parameters.get = recording_get  # type: ignore[method-assign]
    try:
        for path in scenario_files():
            db = tmp_path_factory.mktemp("walk") / "walk.db"
            store = EventStore(f"sqlite:///{db}")
            store.migrate()
            try:
                reports[path.name] = run_scenario(Services(store, entry=HISTORIC), path)
                with store.reading() as tx:
                    for sid in [*tx.stream_ids("procurement:"), *tx.stream_ids("intake:"),
                                *tx.stream_ids("contract:")]:
                        mode = ""
                        for ev in tx.read_stream(sid):
                            if ev.type in ("ProcurementCreated", "ProjectIntakeStarted",
                                           "ContractStarted"):
                                mode = ev.payload["mode"]
                                reached.setdefault(mode, set()).add(ev.payload["to"])
                            elif "trigger" in ev.payload:
                                p = ev.payload
                                taken.add((mode, p["trigger"], p["from"], p["to"]))
                                reached.setdefault(mode, set()).add(p["to"])
            finally:
                store.dispose()
    finally:
        Parameters.get = original  # type: ignore[method-assign]
    return {"taken": taken, "reached": reached, "reads": reads, "reports": reports}


def dest_of(t: Any, source: str) -> str:
    """Where a transition leads from ``source`` ("=" stays in the source state)."""
    return source if t.dest == "=" else str(t.dest)


def test_the_walks_and_examples_run_to_their_expectations(walked: dict[str, Any]) -> None:
    for name, report in walked["reports"].items():
        failed = [r.text for r in report.results if not r.ok]
        assert report.ok, f"{name}: {failed}"
        assert report.results and report.results[-1].kind == "expect", \
            f"{name} must end with an expect step"


@pytest.mark.parametrize("mode", available_modes())
def test_every_transition_is_walked(walked: dict[str, Any], mode: str) -> None:
    wf = load_workflow(mode)
    missing = []
    for t in wf.transitions:
        hit = any(m == mode and trig == t.trigger and src in t.sources
                  and dest == dest_of(t, src) for m, trig, src, dest in walked["taken"])
        if not hit:
            missing.append(f"{t.trigger}: {'|'.join(t.sources) if len(t.sources) < 4 else '*'}"
                           f" → {t.dest}")
    assert not missing, f"{mode}: transitions never taken by the examples and walks: {missing}"


@pytest.mark.parametrize("mode", available_modes())
def test_every_state_is_reached_when_walking(walked: dict[str, Any], mode: str) -> None:
    wf = load_workflow(mode)
    assert set(wf.states) - walked["reached"].get(mode, set()) == set()


@pytest.mark.parametrize("mode", available_modes())
def test_no_state_is_unreachable_or_a_dead_end(mode: str) -> None:
    wf = load_workflow(mode)
    edges: dict[str, set[str]] = {s: set() for s in wf.states}
    for t in wf.transitions:
        for s in t.sources:
            edges[s].add(dest_of(t, s))
    seen, queue = {wf.initial}, deque([wf.initial])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in seen:
                seen.add(nxt)
                queue.append(nxt)
    assert set(wf.states) - seen == set(), f"{mode}: unreachable states"
    for state in wf.states:
        if state in wf.terminal:
            assert not edges[state], f"{mode}: final state {state} has transitions"
        else:
            assert edges[state] - {state}, f"{mode}: {state} is a dead end"


@pytest.mark.parametrize("mode", ["open_tender", "delegation"])
def test_every_label_and_title_has_exactly_zh_and_en(mode: str) -> None:
    """A flow mapping splits at an ASCII comma: {zh: …, en: Closed, re-tender} would lose
    half of the English title without this check."""
    wf = load_workflow(mode)
    for name, label in wf.states.items():
        assert set(label) == {"zh", "en"}, (name, label)
    for t in wf.data["transitions"]:
        assert set(t["title"]) == {"zh", "en"}, (t["trigger"], t["title"])
        assert all(isinstance(v, str) and v.strip() for v in t["title"].values())


@pytest.mark.parametrize("mode", available_modes())
def test_every_guard_named_in_yaml_exists_and_timers_name_transitions(mode: str) -> None:
    from tenderflow.workflow.definitions import workflow_path

    raw = load_yaml(workflow_path(mode))
    for t in raw["transitions"]:
        for name in t.get("guards", []):
            assert name in GUARDS, f"{mode}: {t['trigger']} names unknown guard {name}"
    wf = load_workflow(mode)
    for tm in wf.timers:
        assert tm.due.startswith("deadlines."), f"{mode}: timer {tm.trigger} due {tm.due}"
        assert any(t.trigger == tm.trigger and tm.source in t.sources for t in wf.transitions)


def test_every_parameter_read_while_walking_exists(walked: dict[str, Any]) -> None:
    params = load_parameters()
    assert walked["reads"], "no parameter was read: the recording did not work"
    unknown = sorted(k for k in walked["reads"] if k not in params)
    assert not unknown, unknown
    own = sorted(p.key for p in params if p.key.startswith(OWN_NAMESPACES))
    unread = [k for k in own if k not in walked["reads"]]
    assert not unread, f"parameters no guard read while walking every mode: {unread}"


def _literals() -> dict[str, list[str]]:
    """Rule-id-like string literals in the guard modules, and those a Refusal names."""
    found: dict[str, list[str]] = {"all": [], "refusal": []}
    for path in GUARD_MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and RULE_LITERAL.match(node.value):
                found["all"].append(node.value)
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Refusal" \
                    and node.args and isinstance(node.args[0], ast.Constant):
                found["refusal"].append(str(node.args[0].value))
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) \
                    and isinstance(node.value.value, str) \
                    and any(getattr(t, "id", "").endswith("RULE") for t in node.targets):
                found["refusal"].append(node.value.value)
    return found


def rule_ids_of_guards() -> set[str]:
    """Every rule id a guard or a refusal of the guard modules names."""
    return {spec.rule for spec in GUARDS.values()} | set(_literals()["refusal"])


def test_every_rule_id_literal_in_the_guards_is_a_parameter_or_a_named_rule() -> None:
    params = load_parameters()
    known = {p.key for p in params} | rule_ids_of_guards()
    stray = sorted({lit for lit in _literals()["all"] if lit not in known})
    assert not stray, f"rule ids in guard code that are neither parameters nor rules: {stray}"


def test_the_static_check_catches_a_misspelt_parameter(tmp_path: Path) -> None:
    """The literal check is not vacuous: a guard module reading a key that is not a parameter
    is caught."""
    params = load_parameters()
    known = {p.key for p in params} | rule_ids_of_guards()
    sample = 'ctx.p("tender.bid_period_min_dayz")'
    literals = [n.value for n in ast.walk(ast.parse(sample))
                if isinstance(n, ast.Constant) and RULE_LITERAL.match(str(n.value))]
    assert literals == ["tender.bid_period_min_dayz"]
    assert literals[0] not in known
