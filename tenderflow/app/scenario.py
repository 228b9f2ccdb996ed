"""Scenario files (DESIGN §7): a whole procurement's record that staff prepare and auditors
re-run. The file is validated completely before anything is written; steps then run in order
and the run stops at the first refused step that was not expected to be refused.

A scenario has its own clock: it starts at the first dated step (or procurement) and moves
to each step's ``at``; a step without ``at`` (``expect``) happens at the latest time the
scenario has reached, never at the wall clock, so a run gives the same result on any day.

A scenario is usually a record entered after the fact: its steps are late entries
(tenderflow.domain.entry). The reason recorded with them is ``entry.reason`` of the file, by
default "recorded from scenario FILE"; a submission recorded after its deadline names its
receipt (``receipt:`` on the step, or ``entry.receipt`` for the whole file).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from tenderflow.app.common import CONTRACT_MODE, CONTRACT_PREFIX
from tenderflow.app.procurement import Services, check_actor
from tenderflow.app.registration import (
    ID_RE,
    read_records,
    validate_projects,
    validate_suppliers,
)
from tenderflow.app.scenario_continues import check_recordable, continued
from tenderflow.app.scenario_credit import check_credit_step, run_credit_step
from tenderflow.app.scenario_fiscal import check_fiscal_step, run_fiscal_step
from tenderflow.domain.entry import Entry
from tenderflow.domain.timeutil import parse_time
from tenderflow.errors import CheckFailed, InputError, NotFound, TenderflowError
from tenderflow.workflow.definitions import load_workflow, load_yaml
from tenderflow.workflow.engine import validate_data

TOP_KEYS = {"title", "description", "projects", "suppliers", "procurements", "steps", "entry",
            "continues"}
STEP_KEYS = {"at", "as", "fire", "on", "with", "tick", "expect", "expect_refused", "note", "open",
             "receipt", "credit_import", "fiscal_import"}
ENTRY_KEYS = {"reason", "receipt"}
PROCUREMENT_KEYS = {"id", "project", "mode", "at", "as", "options", "reopens", "ground",
                    "justification", "approval"}


@dataclass
class StepResult:
    index: int
    kind: str
    ok: bool
    text: str
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"step": self.index, "kind": self.kind, "ok": self.ok, "text": self.text,
                **self.detail}


@dataclass
class Scenario:
    file: str
    title: str
    projects: list[dict[str, Any]]
    suppliers: list[dict[str, Any]]
    procurements: list[dict[str, Any]]
    steps: list[dict[str, Any]]
    entry: Entry = field(default_factory=Entry)
    start: datetime | None = None  # the scenario clock's first reading


@dataclass
class RunReport:
    scenario: str
    title: str
    results: list[StepResult]
    states: dict[str, str]
    ok: bool
    stopped_at: int | None = None

    @property
    def applied(self) -> int:
        """How many steps changed the record (fire and open steps that were accepted)."""
        return sum(1 for r in self.results
                   if r.ok and "refused" not in r.detail and (
                       r.kind in ("fire", "open", "credit_import", "fiscal_import") or (r.kind == "tick" and r.detail.get("fired"))))

    def to_dict(self) -> dict[str, Any]:
        return {"scenario": self.scenario, "title": self.title, "ok": self.ok,
                "stopped_at": self.stopped_at, "applied": self.applied, "states": self.states,
                "steps": [r.to_dict() for r in self.results]}


def _err(file: str, where: str, message: str, fld: str | None = None,
         expected: str | None = None) -> InputError:
    return InputError(message, file=file, location=where, field=fld, expected=expected)


def _records(section: Any, kind: str, file: Path) -> list[dict[str, Any]]:
    """Inline records and ``{file: …}`` references (YAML, CSV or JSON, relative to the
    scenario), validated as ``tenderflow register`` does."""
    if section is None:
        return []
    if not isinstance(section, list):
        raise _err(str(file), kind, f"{kind} must be a list", kind)
    out: list[dict[str, Any]] = []
    inline: list[tuple[str, dict[str, Any]]] = []
    validate = validate_projects if kind == "projects" else validate_suppliers
    for i, item in enumerate(section):
        if isinstance(item, dict) and set(item) == {"file"}:
            if not isinstance(item["file"], str) or not item["file"].strip():
                raise _err(str(file), f"{kind}[{i}]", f"file {item['file']!r} is not a path",
                           "file", "a YAML, JSON or CSV file relative to the scenario")
            ref = file.parent / item["file"]
            if not ref.is_file():
                raise _err(str(file), f"{kind}[{i}]", f"no file {ref}", "file",
                           "a YAML, JSON or CSV file relative to the scenario")
            recs = read_records(ref, kind)
            out += validate(recs, str(ref), ref.suffix.lower() == ".csv")
        elif isinstance(item, dict):
            inline.append((f"{kind}[{i}]", item))
        else:
            raise _err(str(file), f"{kind}[{i}]", "must be a mapping or {file: PATH}", kind)
    if inline:
        out += validate(inline, str(file))
    ids = [r["id"] for r in out]
    dup = next((i for i in ids if ids.count(i) > 1), None)
    if dup:
        raise _err(str(file), kind, f"id {dup!r} is given twice", "id")
    return out


def load_scenario(path: Path) -> Scenario:
    file = str(path)
    data = continued(load_yaml(path), path)
    if not isinstance(data, dict):
        raise _err(file, "top", "a scenario is a mapping", expected="projects, suppliers, "
                   "procurements, steps")
    unknown = sorted(set(data) - TOP_KEYS)
    if unknown:
        raise _err(file, "top", f"unknown key {unknown[0]!r}", unknown[0],
                   ", ".join(sorted(TOP_KEYS)))
    projects = _records(data.get("projects"), "projects", path)
    suppliers = _records(data.get("suppliers"), "suppliers", path)
    procurements = data.get("procurements") or []
    if not isinstance(procurements, list):
        raise _err(file, "procurements", "must be a list", "procurements")
    modes: dict[str, str] = {}
    for i, p in enumerate(procurements):
        where = f"procurements[{i}]"
        if not isinstance(p, dict):
            raise _err(file, where, "must be a mapping", expected="id, project, mode")
        unknown = sorted(set(p) - PROCUREMENT_KEYS)
        if unknown:
            raise _err(file, where, f"unknown key {unknown[0]!r}", unknown[0],
                       ", ".join(sorted(PROCUREMENT_KEYS)))
        if p.get("mode") == "project":  # a project's intake: its id is the project's
            p.setdefault("project", p.get("id"))
        for k in ("id", "project", "mode"):
            if not isinstance(p.get(k), str):
                raise _err(file, where, "missing or not text", k)
        if not ID_RE.match(p["id"]):
            raise _err(file, where, f"id {p['id']!r}", "id", "letters, digits, '.', '_', '-'")
        if name_of(p) in modes:
            raise _err(file, where, f"procurement {p['id']} is listed twice", "id")
        load_workflow(p["mode"])
        modes[name_of(p)] = p["mode"]
        if "at" in p:
            parse_time(p["at"], field="at", file=file, location=where)
        if "as" in p:
            _actor(p["as"], file, where)
        if "options" in p and not isinstance(p["options"], dict):
            raise _err(file, where, "options must be a mapping", "options")
        from tenderflow.app.eligibility import check_opening

        check_opening(p.get("options"), file=file, location=where,  # ruleset and its options
                      mode=p["mode"])
        for k in ("reopens", "ground", "justification", "approval"):
            if k in p and not isinstance(p[k], str):
                raise _err(file, where, "must be text", k)
    steps = data.get("steps") or []
    if not isinstance(steps, list):
        raise _err(file, "steps", "must be a list", "steps")
    # A procurement named by an ``open`` step is opened there (e.g. one that re-opens a
    # procurement failed earlier in the scenario); the others are opened before the steps.
    deferred = {step["open"]: i for i, step in enumerate(steps)
                if isinstance(step, dict) and isinstance(step.get("open"), str)}
    opened = set(modes) - set(deferred)
    for i, p in enumerate(procurements):
        if "reopens" in p and name_of(p) not in deferred:
            raise _err(file, f"procurements[{i}]", "a procurement that re-opens another is "
                       "opened by a step {at, as, open: ID} after the other failed", "reopens")
    for i, step in enumerate(steps):
        _check_step(step, i, file, modes, opened)
    entry = _entry(data.get("entry"), file, path)
    dated = [s["at"] for s in steps if isinstance(s, dict) and "at" in s]
    dated += [p["at"] for p in procurements if "at" in p]
    start = min((parse_time(a) for a in dated), default=None)
    if start is None and (procurements or projects or suppliers):
        raise _err(file, "steps", "no step or procurement gives a time: the scenario's clock "
                   "starts at the first 'at'", "at", "at least one step with at: TIME")
    return Scenario(file, str(data.get("title", path.stem)), projects, suppliers,
                    procurements, steps, entry, start)


def _entry(value: Any, file: str, path: Path) -> Entry:
    """``entry: {reason, receipt}``: what the steps recorded late say (default reason: the
    scenario file they come from)."""
    default = f"recorded from scenario {path.name}"
    if value is None:
        return Entry(reason=default)
    if not isinstance(value, dict):
        raise _err(file, "entry", "must be a mapping", "entry", "reason, receipt")
    unknown = sorted(set(value) - ENTRY_KEYS)
    if unknown:
        raise _err(file, "entry", f"unknown key {unknown[0]!r}", unknown[0],
                   ", ".join(sorted(ENTRY_KEYS)))
    for k in ENTRY_KEYS:
        if k in value and (not isinstance(value[k], str) or not value[k].strip()):
            raise _err(file, "entry", "must be non-empty text", f"entry.{k}")
    return Entry(reason=value.get("reason", default), receipt=value.get("receipt"))


def _actor(value: Any, file: str, where: str) -> None:
    """A step's or procurement's ``as``, refused naming the scenario file and place."""
    try:
        check_actor(value, field=f"{where}.as")
    except InputError as exc:
        raise _err(file, where, exc.message) from None


def name_of(p: dict[str, Any]) -> str:
    """How a scenario's steps name a procurement entry: its id, or ``contract:ID`` for the
    contract of procurement ID (mode ppp_contract), whose id is the procurement's."""
    if p.get("mode") == CONTRACT_MODE:
        return f"{CONTRACT_PREFIX}{p['id']}"
    return str(p["id"])


def _check_step(step: Any, i: int, file: str, modes: dict[str, str], opened: set[str]) -> None:
    where = f"steps[{i}]"
    if not isinstance(step, dict):
        raise _err(file, where, "a step is a mapping", expected="fire, tick, expect or open")
    unknown = sorted(set(step) - STEP_KEYS)
    if unknown:
        raise _err(file, where, f"unknown key {unknown[0]!r}", unknown[0],
                   ", ".join(sorted(STEP_KEYS)))
    kinds = [k for k in ("fire", "tick", "expect", "open", "credit_import", "fiscal_import")
             if k in step]
    if len(kinds) != 1:
        raise _err(file, where, "a step is exactly one of fire, tick, expect, open, "
                   "credit_import, fiscal_import",
                   "fire/tick/expect/open/credit_import/fiscal_import")
    if "at" in step:
        parse_time(step["at"], field="at", file=file, location=where)
    if "receipt" in step and (kinds[0] != "fire" or not isinstance(step["receipt"], str)
                              or not step["receipt"].strip()):
        raise _err(file, where, "receipt is the text reference of a fire step's submission",
                   "receipt", "non-empty text on a fire step")
    named = step.get("on") if kinds[0] == "fire" else (
        step["expect"].get("on") if kinds[0] == "expect" and isinstance(step["expect"], dict)
        else None)
    if isinstance(named, str) and named in modes and named not in opened:
        raise _err(file, where, f"{named} is not open yet: its open step comes later", "on")
    if kinds[0] == "credit_import":
        check_credit_step(step, where, file)
        return
    if kinds[0] == "fiscal_import":
        check_fiscal_step(step, where, file)
        return
    if kinds[0] == "open":
        for k in ("at", "as"):
            if k not in step:
                raise _err(file, where, "missing", k)
        _actor(step["as"], file, where)
        if not isinstance(step["open"], str) or step["open"] not in modes \
                or step["open"] in opened:
            raise _err(file, where, f"{step['open']!r} is not a procurement of this scenario "
                       "waiting to be opened", "open", ", ".join(sorted(set(modes) - opened)))
        if "expect_refused" in step and not isinstance(step["expect_refused"], str):
            raise _err(file, where, "expect_refused names a rule", "expect_refused")
        if "expect_refused" not in step:
            opened.add(step["open"])
        return
    if kinds[0] == "fire":
        for k in ("at", "as", "on"):
            if k not in step:
                raise _err(file, where, "missing", k)
        _actor(step["as"], file, where)
        if not isinstance(step["on"], str) or step["on"] not in modes:
            raise _err(file, where, f"no procurement {step['on']!r} in this scenario", "on",
                       ", ".join(modes))
        wf = load_workflow(modes[step["on"]])
        ts = wf.by_trigger(str(step["fire"]))
        if not ts:
            raise _err(file, where, f"mode {wf.mode} has no trigger {step['fire']!r}", "fire",
                       ", ".join(wf.triggers()))
        if step["fire"] == "record_vote":  # with: {file: vote.yaml} (tenderflow.app.owners_vote)
            from tenderflow.app.owners_vote import resolve_vote_step

            step["with"] = resolve_vote_step(step.get("with"), Path(file), where)
        validate_data(ts[0], step.get("with"), where=f"{file}:{where}")
        if "expect_refused" in step and not isinstance(step["expect_refused"], str):
            raise _err(file, where, "expect_refused names a guard or rule", "expect_refused")
    elif kinds[0] == "tick":
        if step["tick"] is not True or "at" not in step:
            raise _err(file, where, "a tick step is {at: TIME, tick: true}", "tick")
    else:
        exp = step["expect"]
        if not isinstance(exp, dict) or not isinstance(exp.get("on"), str):
            raise _err(file, where, "expect needs on: PROCUREMENT", "expect.on")
        if exp["on"] not in modes:
            raise _err(file, where, f"no procurement {exp['on']!r} in this scenario",
                       "expect.on")


def _matches(expected: Any, actual: Any) -> bool:
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(
            k in actual and _matches(v, actual[k]) for k, v in expected.items())
    if isinstance(expected, (int, float)) and not isinstance(expected, bool) and \
            isinstance(actual, str):
        return str(expected) == actual
    return bool(expected == actual)


def _dotted(data: dict[str, Any], key: str) -> Any:
    value: Any = data
    for part in key.split("."):
        if isinstance(value, dict) and part in value:
            value = value[part]
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return _MISSING
    return value


_MISSING = object()


def run_scenario(services: Services, path: Path, *, default_actor: str = "staff:scenario"
                 ) -> RunReport:
    """Apply a scenario; returns the report (``ok`` false when a step failed)."""
    sc = load_scenario(path)
    check_recordable(path, services.recording_clock())
    # Refuse before writing anything if a procurement id is already taken.
    for p in sc.procurements:
        if services.exists(name_of(p)):
            raise InputError(f"procurement {p['id']} already exists in this database",
                             file=sc.file, field="procurements.id",
                             expected="a fresh database or new ids")
    # ... or if a procurement's project is neither in the file nor registered already.
    given = {rec["id"] for rec in sc.projects}
    for i, p in enumerate(sc.procurements):
        if p["project"] not in given and services.registered("project", p["project"]) is None:
            raise InputError(f"project {p['project']!r} is not in this scenario's "
                             f"projects nor registered in the database", file=sc.file,
                             location=f"procurements[{i}]", field="project",
                             expected="the id of a project listed under projects")
    results: list[StepResult] = []
    if sc.start is None:  # nothing to record
        return RunReport(sc.file, sc.title, results, {}, True, None)
    services = services.with_entry(sc.entry)
    clock = _Clock(sc.start)
    if sc.projects:
        services.register("projects", sc.projects, default_actor, clock.now)
    if sc.suppliers:
        services.register("suppliers", sc.suppliers, default_actor, clock.now)
    deferred = {s["open"] for s in sc.steps if "open" in s}
    for p in sc.procurements:
        if name_of(p) in deferred:
            continue
        services.open_procurement(p["id"], p["project"], p["mode"], p.get("as", default_actor),
                                  parse_time(p["at"]) if "at" in p else clock.now,
                                  p.get("options"))
    last_refused: dict[str, bool] = {}
    stopped = None
    for i, step in enumerate(sc.steps):
        if "at" in step:
            clock.advance(parse_time(step["at"]))
        res = _run_step(services, sc, i, step, last_refused, clock.now)
        results.append(res)
        if not res.ok:
            stopped = i
            break
    states = {}
    for p in sc.procurements:
        try:
            states[name_of(p)] = services.state(name_of(p))["state"]
        except NotFound:  # an open step that was not reached
            states[name_of(p)] = "not opened"
    return RunReport(sc.file, sc.title, results, states, stopped is None, stopped)


class _Clock:
    """The scenario's clock: the latest business time the scenario has reached."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def advance(self, at: datetime) -> None:
        self.now = max(self.now, at)


def _run_step(services: Services, sc: Scenario, i: int, step: dict[str, Any],
              last_refused: dict[str, bool], now: datetime) -> StepResult:
    where = f"{sc.file}:steps[{i}]"
    if "tick" in step:
        fired = services.tick(parse_time(step["at"]))
        text = f"tick {step['at']}: " + (", ".join(
            f"{f['procurement']} {f['trigger']} → {f.get('to', 'refused')}" for f in fired)
            or "nothing due")
        return StepResult(i, "tick", True, text, {"fired": fired})
    if "open" in step:
        return _open_step(services, sc, i, step, last_refused)
    if "credit_import" in step:
        text, detail = run_credit_step(services, step, where, sc.file, parse_time(step["at"]))
        return StepResult(i, "credit_import", True, text, detail)
    if "fiscal_import" in step:
        text, detail = run_fiscal_step(services, step, where, sc.file, parse_time(step["at"]))
        return StepResult(i, "fiscal_import", True, text, detail)
    if "fire" in step:
        pid, trigger = step["on"], str(step["fire"])
        expected = step.get("expect_refused")
        try:
            entry = Entry(sc.entry.reason, step.get("receipt", sc.entry.receipt))
            r = services.fire(pid, trigger, step.get("with"), step["as"],
                              parse_time(step["at"]), where=where, entry=entry)
        except CheckFailed as exc:
            refusals = getattr(exc, "refusals", [])
            last_refused[pid] = True
            names = {x.guard for x in refusals} | {x.rule for x in refusals}
            detail = {"refused": exc.to_dict()}
            if expected and expected in names:
                return StepResult(i, "fire", True, f"{pid} {trigger}: refused by {expected} "
                                  f"as expected", detail)
            return StepResult(i, "fire", False, f"{pid} {trigger}: {exc.message}", detail)
        except TenderflowError as exc:
            # Bad data found only when deciding (e.g. a supplier that is not registered):
            # the steps before were applied, so the run stops here (exit 1), naming the step.
            last_refused[pid] = True
            text = f"{pid} {trigger}: {exc.message}"
            if exc.exit_code == 2:
                text = f"{where}: {text}"
            return StepResult(i, "fire", False, text, {"refused": exc.to_dict()})
        last_refused[pid] = False
        if expected:
            return StepResult(i, "fire", False, f"{pid} {trigger}: expected refusal by "
                              f"{expected}, but it was accepted ({r.from_state} → {r.to_state})",
                              r.to_dict())
        return StepResult(i, "fire", True, f"{step['at']} {step['as']} {pid} {trigger}: "
                          f"{r.from_state} → {r.to_state}", r.to_dict())
    exp = dict(step["expect"])
    pid = exp.pop("on")
    status = services.status(pid, parse_time(step["at"]) if "at" in step else now)
    failures = []
    if "refused" in exp:
        want = exp.pop("refused")
        if bool(last_refused.get(pid, False)) != bool(want):
            failures.append(f"refused: expected {want}, got {last_refused.get(pid, False)}")
    for key, want in exp.items():
        got = _dotted(status, key)
        if got is _MISSING:
            failures.append(f"{key}: not in status")
        elif not _matches(want, got):
            failures.append(f"{key}: expected {want!r}, got {got!r}")
    if failures:
        return StepResult(i, "expect", False, f"expect {pid}: " + "; ".join(failures))
    return StepResult(i, "expect", True, f"expect {pid}: " + ", ".join(
        f"{k}={v}" for k, v in step["expect"].items() if k != "on"))


def _open_step(services: Services, sc: Scenario, i: int, step: dict[str, Any],
               last_refused: dict[str, bool]) -> StepResult:
    """``{at, as, open: ID}``: open a procurement declared in ``procurements`` now, e.g. one
    that re-opens a procurement failed earlier (its ``reopens``, ``ground``, ``approval``)."""
    p = next(x for x in sc.procurements if name_of(x) == step["open"])
    expected = step.get("expect_refused")
    try:
        r = services.open_procurement(
            p["id"], p["project"], p["mode"], step["as"], parse_time(step["at"]),
            p.get("options"), reopens=p.get("reopens"), ground=p.get("ground"),
            justification=p.get("justification"), approval=p.get("approval"))
    except CheckFailed as exc:
        names = {x.rule for x in getattr(exc, "refusals", [])}
        ok = bool(expected) and expected in names
        text = (f"open {p['id']}: refused by {expected} as expected" if ok
                else f"open {p['id']}: {exc.message}")
        return StepResult(i, "open", ok, text, {"refused": exc.to_dict()})
    last_refused[name_of(p)] = False
    if expected:
        return StepResult(i, "open", False, f"open {p['id']}: expected refusal by {expected}, "
                          "but it was opened", r.to_dict())
    link = f", re-opens {p['reopens']} ({p.get('ground')})" if p.get("reopens") else ""
    return StepResult(i, "open", True, f"{step['at']} {step['as']} open {p['id']} in mode "
                      f"{p['mode']}{link}", r.to_dict())
