"""Bad input: every file the command line reads, mutated at random.

Each target takes a valid file (the examples' data, the examples' trigger data, the example
scenarios, the mode definitions, the parameters, a calendar override), mutates it — wrong
types, missing and unknown fields, huge and negative numbers, invalid dates, duplicated
items, deep nesting, broken UTF-8, truncation — and runs the command that reads it. Whatever
the mutation: no traceback and no internal error; the exit code is 0, 1 or 2; an exit 2
names the file; and a refused command (exit 1 or 2) wrote nothing.
"""

from __future__ import annotations

import copy
import csv
import io
import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from tenderflow import yamlio
from tenderflow.app.procurement import Services
from tenderflow.cli import cli
from tenderflow.domain.timeutil import parse_time
from tenderflow.paths import examples_dir, workflows_dir
from tenderflow.store.eventstore import EventStore
from tests.conftest import HISTORIC
from tests.credit_lists import import_current
from tests.reliability import integrity
from tests.reliability.reference import reference, register

EXAMPLES = {"register": 40, "fire": 50, "run": 15, "workflow": 25, "parameters": 25,
            "calendar": 20}
# No shrinking: a run is slow, and the failing file is reported as it was.
SETTINGS = dict(deadline=None, suppress_health_check=list(HealthCheck),
                phases=[Phase.explicit, Phase.reuse, Phase.generate])
RUN_COUNTS: dict[str, dict[int, int]] = {}

MUTANTS: list[Any] = [
    None, True, False, -1, 0, 10**30, -(10**30), 1.5, 1e308, float("inf"), "", " ",
    "x" * 5000, "-100.00", "-0.01", "1e5", "NaN", "99999999999999999999.999", "2023-02-30",
    "2023-13-01T25:61+08:00", "0000-00-00", "９９", "\u0000", "𠀀😀", "../../etc/passwd",
    [], {}, [[[]]], {"a": {"b": {"c": None}}}, ["S-CDJG", "S-CDJG"],
]


def mutated_tree(data: Any, tree: Any) -> Any:
    """``tree`` with one to three structural mutations (only the choices are drawn, so that
    a failing example prints small)."""
    draw = data.draw
    tree = copy.deepcopy(tree)
    for _ in range(draw(st.integers(1, 3))):
        tree = _mutate_once(draw, tree, 0)
    return tree


def _mutate_once(draw: Any, node: Any, depth: int) -> Any:
    children: list[Any] = []
    if isinstance(node, dict):
        children = list(node)
    elif isinstance(node, list):
        children = list(range(len(node)))
    if children and draw(st.integers(0, 3)) > 0 and depth < 12:
        key = draw(st.sampled_from(children))
        node[key] = _mutate_once(draw, node[key], depth + 1)
        return node
    op = draw(st.sampled_from(["replace", "delete", "unknown", "duplicate", "nest"]))
    if op == "replace" or not children:
        if op == "nest":
            return _nest(node, draw(st.sampled_from([30, 200])))
        return copy.deepcopy(draw(st.sampled_from(MUTANTS)))
    key = draw(st.sampled_from(children))
    if op == "delete":
        del node[key]
    elif op == "unknown" and isinstance(node, dict):
        node["unknown_field"] = draw(st.sampled_from(MUTANTS))
    elif op == "duplicate" and isinstance(node, list):
        node.insert(key, copy.deepcopy(node[key]))
    else:
        node[key] = _nest(node[key], draw(st.sampled_from([30, 200])))
    return node


def _nest(value: Any, depth: int) -> Any:
    for _ in range(depth):
        value = [value]
    return value


def dump(tree: Any, fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(tree, ensure_ascii=False, default=str).encode("utf-8")
    if fmt == "csv":
        rows = tree if isinstance(tree, list) else [tree]
        rows = [r if isinstance(r, dict) else {"value": r} for r in rows]
        fields = sorted({str(k) for r in rows for k in r})
        out = io.StringIO()
        writer = csv.DictWriter(out, fieldnames=fields or ["id"])
        writer.writeheader()
        for r in rows:
            writer.writerow({str(k): v if isinstance(v, str) else json.dumps(v, default=str)
                             for k, v in r.items()})
        return out.getvalue().encode("utf-8")
    try:
        return yaml.safe_dump(tree, allow_unicode=True, sort_keys=False).encode("utf-8")
    except RecursionError:
        return json.dumps(tree, default=str).encode("utf-8")  # JSON is YAML too


def mutated_bytes(source: Any, data: bytes) -> bytes:
    """Byte-level damage, sometimes: broken UTF-8, truncation, NUL, deep brackets, a BOM."""
    draw = source.draw
    op = draw(st.sampled_from(["none", "none", "utf8", "truncate", "nul", "brackets", "bom",
                               "dupkey"]))
    at = draw(st.integers(0, len(data)))
    if op == "utf8":
        return data[:at] + b"\xff\xfe\xc3(" + data[at:]
    if op == "truncate":
        return data[:at]
    if op == "nul":
        return data[:at] + b"\x00" + data[at:]
    if op == "brackets":
        return b"[" * 20000 + b"]" * 20000
    if op == "bom":
        return b"\xef\xbb\xbf" + data
    if op == "dupkey":
        first = data.split(b"\n", 1)[0]
        return first + b"\n" + data if b":" in first else data
    return data


def check(result: Any, target: str, file: Path, before: int, after: int,
          writes_nothing: tuple[int, ...] = (1, 2)) -> None:
    out = result.output + (result.stderr or "")
    assert "Traceback" not in out and "internal error" not in out, out[-3000:]
    assert result.exception is None or isinstance(result.exception, SystemExit), \
        repr(result.exception)
    assert result.exit_code in (0, 1, 2), (result.exit_code, out[-3000:])
    if result.exit_code == 2:
        assert file.name in result.stderr, result.stderr[-2000:]
    if result.exit_code in writes_nothing:
        assert after == before, f"refused (exit {result.exit_code}) but wrote " \
            f"{after - before} events: {result.stderr[-1000:]}"
    RUN_COUNTS.setdefault(target, {}).setdefault(result.exit_code, 0)
    RUN_COUNTS[target][result.exit_code] += 1


def invoke(*args: str, home: Path | None = None) -> Any:
    env = {"TENDERFLOW_HOME": str(home)} if home else {}
    return CliRunner().invoke(cli, list(args), env=env)


# --- databases ------------------------------------------------------------------------------

_CACHE: dict[Any, Path] = {}
_FOLDER = Path(tempfile.mkdtemp(prefix="tf-fuzz-"))


def _db_at(key: Any, build: Any) -> str:
    """A fresh copy of a prepared SQLite file."""
    if key not in _CACHE:
        path = _FOLDER / f"template-{len(_CACHE)}.db"
        store = EventStore(f"sqlite:///{path}")
        store.migrate()
        build(Services(store, entry=HISTORIC))
        store.dispose()
        _CACHE[key] = path
    copy_ = Path(tempfile.mkdtemp(dir=_FOLDER)) / "db.sqlite"
    shutil.copyfile(_CACHE[key], copy_)
    return f"sqlite:///{copy_}"


def empty_db() -> str:
    return _db_at("empty", lambda s: None)


def db_before_step(pid: str, index: int) -> str:
    ref = reference()

    def build(services: Services) -> None:
        register(services, ref)
        o = ref.opened[pid]
        services.open_procurement(pid, o["project"], o["mode"], o["actor"],
                                  parse_time(o["at"]), o["options"])
        for step in ref.steps[pid][:index]:
            if step["trigger"] in ("check_eligibility", "decide_entrustment"):  # lists imported then
                import_current(services, parse_time(step["at"]))
            services.fire(pid, step["trigger"], step["data"], step["as"],
                          parse_time(step["at"]))

    return _db_at((pid, index), build)


def steps() -> list[tuple[str, int]]:
    ref = reference()
    return [(pid, i) for pid in sorted(ref.steps) for i, s in enumerate(ref.steps[pid])
            if s["data"]]


def new_file(name: str, data: bytes) -> Path:
    path = Path(tempfile.mkdtemp(dir=_FOLDER)) / name
    path.write_bytes(data)
    return path


# --- targets --------------------------------------------------------------------------------

@pytest.mark.slow
@settings(max_examples=EXAMPLES["register"], **SETTINGS)
@given(st.data())
def test_fuzz_register(data: Any) -> None:
    kind = data.draw(st.sampled_from(["projects", "suppliers"]))
    base = yamlio.safe_load((examples_dir() / "data" / f"{kind}.yaml").read_text("utf-8"))
    fmt = data.draw(st.sampled_from(["yaml", "json", "csv"]))
    tree = base[kind] if fmt == "csv" else base
    raw = mutated_bytes(data, dump(mutated_tree(data, tree), fmt))
    file = new_file(f"{kind}.{fmt}", raw)
    url = empty_db()
    result = invoke("--db", url, "--as", "staff:wang", "register", kind, str(file))
    check(result, "register", file, 0, integrity.count(url))


@pytest.mark.slow
@settings(max_examples=EXAMPLES["fire"], **SETTINGS)
@given(st.data())
def test_fuzz_trigger_data(data: Any) -> None:
    pid, index = data.draw(st.sampled_from(steps()))
    step = reference().steps[pid][index]
    fmt = data.draw(st.sampled_from(["yaml", "json"]))
    raw = mutated_bytes(data, dump(mutated_tree(data, step["data"]), fmt))
    file = new_file(f"data.{fmt}", raw)
    url = db_before_step(pid, index)
    before = integrity.count(url)
    result = invoke("--db", url, "--as", step["as"], "fire", pid, step["trigger"], "--data",
                    str(file), "--at", step["at"])
    check(result, "fire --data", file, before, integrity.count(url))
    assert integrity.problems(url) == []


def _scenarios() -> list[Path]:
    return sorted(examples_dir().glob("*.yaml"))


def _absolute_files(tree: Any, folder: Path) -> Any:
    if isinstance(tree, dict):
        return {k: (str(folder / v) if k == "file" and isinstance(v, str) else
                    _absolute_files(v, folder)) for k, v in tree.items()}
    if isinstance(tree, list):
        return [_absolute_files(v, folder) for v in tree]
    return tree


@pytest.mark.slow
@settings(max_examples=EXAMPLES["run"], **SETTINGS)
@given(st.data())
def test_fuzz_scenario(data: Any) -> None:
    path = data.draw(st.sampled_from(_scenarios()))
    tree = _absolute_files(yamlio.safe_load(path.read_text("utf-8")), path.parent)
    raw = mutated_bytes(data, dump(mutated_tree(data, tree), "yaml"))
    file = new_file("scenario.yaml", raw)
    db = file.parent / "run.db"
    result = invoke("--db", f"sqlite:///{db}", "run", str(file))
    # exit 1 stops at a refused step after the steps before it: only exit 2 writes nothing
    check(result, "run", file, 0, _count_if_any(db), writes_nothing=(2,))


def _count_if_any(db: Path) -> int:
    if not db.exists():
        return 0
    store = EventStore(f"sqlite:///{db}")
    try:
        if store.revision() is None:
            return 0
        with store.reading() as tx:
            return int(tx.count_events())
    finally:
        store.dispose()


def _home_with(name: str, raw: bytes) -> Path:
    """A copy of the definitions (TENDERFLOW_HOME) with one file replaced."""
    home = Path(tempfile.mkdtemp(dir=_FOLDER))
    shutil.copytree(workflows_dir(), home / "workflows")
    (home / "workflows" / name).parent.mkdir(parents=True, exist_ok=True)
    (home / "workflows" / name).write_bytes(raw)
    return home


def _first_step_with_home(home: Path, file: Path, target: str) -> None:
    ref = reference()
    pid = sorted(ref.steps)[0]
    o = ref.opened[pid]
    url = db_before_step(pid, 0)
    before = integrity.count(url)
    result = invoke("--db", url, "--as", "staff:wang", "open", "FUZZ-1", "--project",
                    o["project"], "--mode", o["mode"], "--at", o["at"], home=home)
    check(result, target, file, before, integrity.count(url))
    for i, step in enumerate(ref.steps[pid][:4]):
        args = ["--db", url, "--as", step["as"], "fire", pid, step["trigger"], "--at",
                step["at"]]
        if step["data"]:
            data_file = new_file(f"{i}.json", json.dumps(step["data"]).encode())
            args += ["--data", str(data_file)]
        before = integrity.count(url)
        result = invoke(*args, home=home)
        check(result, target, file, before, integrity.count(url))
        result = invoke("--db", url, "next", pid, "--at", step["at"], home=home)
        check(result, target, file, 0, 0)


@pytest.mark.slow
@settings(max_examples=EXAMPLES["workflow"], **SETTINGS)
@given(st.data())
def test_fuzz_workflow_definition(data: Any) -> None:
    mode = data.draw(st.sampled_from(sorted({o["mode"] for o in reference().opened.values()})))
    tree = yamlio.safe_load((workflows_dir() / f"{mode}.yaml").read_text("utf-8"))
    raw = mutated_bytes(data, dump(mutated_tree(data, tree), "yaml"))
    home = _home_with(f"{mode}.yaml", raw)
    file = home / "workflows" / f"{mode}.yaml"
    result = invoke("workflow", "show", mode, home=home)
    check(result, "workflow", file, 0, 0)
    _first_step_with_home(home, file, "workflow")


@pytest.mark.slow
@settings(max_examples=EXAMPLES["parameters"], **SETTINGS)
@given(st.data())
def test_fuzz_parameters(data: Any) -> None:
    tree = yamlio.safe_load((workflows_dir() / "parameters.yaml").read_text("utf-8"))
    raw = mutated_bytes(data, dump(mutated_tree(data, tree), "yaml"))
    home = _home_with("parameters.yaml", raw)
    _first_step_with_home(home, home / "workflows" / "parameters.yaml", "parameters")


CALENDAR_2023 = {
    "year": 2023, "source": "国办发明电〔2022〕16号",
    "holidays": ["2023-01-02", "2023-01-23", "2023-01-24", "2023-01-25", "2023-01-26",
                 "2023-01-27", "2023-04-05", "2023-05-01", "2023-05-02", "2023-05-03",
                 "2023-06-22", "2023-06-23", "2023-09-29", "2023-10-02", "2023-10-03",
                 "2023-10-04", "2023-10-05", "2023-10-06"],
    "workdays": ["2023-01-28", "2023-01-29", "2023-04-23", "2023-05-06", "2023-06-25",
                 "2023-10-07", "2023-10-08"],
}


@pytest.mark.slow
@settings(max_examples=EXAMPLES["calendar"], **SETTINGS)
@given(st.data())
def test_fuzz_calendar_override(data: Any) -> None:
    from tenderflow.workflow.calendars import default_calendar

    raw = mutated_bytes(data, dump(mutated_tree(data, CALENDAR_2023), "yaml"))
    home = _home_with("calendars/2023.yaml", raw)
    default_calendar.cache_clear()
    try:
        _first_step_with_home(home, home / "workflows" / "calendars" / "2023.yaml",
                              "calendar")
    finally:
        default_calendar.cache_clear()


@pytest.fixture(autouse=True, scope="module")
def _report_counts() -> Any:
    yield
    print(f"\n[fuzz] runs by exit code: {RUN_COUNTS}")
