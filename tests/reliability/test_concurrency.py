"""Many officers at once, as separate OS processes, on SQLite and on PostgreSQL.

Every attempt is either applied on top of the latest state (exit 0), or refused: exit 1 by a
guard (or a trigger impossible in the state reached meanwhile), exit 3 by a conflict. After
the race: no sequence number twice, no event lost (every success is in the log and nothing
else is), every chain and projection sound, and every recorded step is one the rules allow
on the state it follows (decided again on the replayed state: a fork would fail there).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from tenderflow.app.procurement import Services
from tenderflow.domain.timeutil import parse_time
from tenderflow.store.eventstore import EventStore
from tests.conftest import HISTORIC
from tests.reliability import integrity
from tests.reliability.reference import Reference, prepare, reference, tenderflow_cmd

WORKER = Path(__file__).with_name("race_worker.py")
WORKERS = 6
ATTEMPTS = 40  # per worker


def one_shot(ref: Reference) -> tuple[str, int]:
    """A step that moves its procurement to a state where the same trigger cannot fire
    again, so that of several processes firing it at once exactly one can win."""
    from tenderflow.workflow.definitions import load_workflow

    for pid in sorted(ref.steps):
        wf = load_workflow(ref.opened[pid]["mode"])
        for i, step in enumerate(ref.steps[pid]):
            if step["from"] != step["to"] and step["trigger"] not in {
                    t.trigger for t in wf.from_state(step["to"])}:
                return pid, i
    raise AssertionError("no example has a one-shot step")


def step_args(pid: str, step: dict[str, Any], folder: Path, name: str) -> list[str]:
    args = ["--as", step["as"], "fire", pid, step["trigger"], "--at", step["at"]]
    if step["data"]:
        path = folder / f"{name}.json"
        path.write_text(json.dumps(step["data"], ensure_ascii=False), encoding="utf-8")
        args += ["--data", str(path)]
    return args


def data_files(folder: Path, ref: Reference, upto: int) -> dict[str, dict[str, Any]]:
    """The race plan: per procurement, its version after preparation and the steps left, with
    their data written to files as an officer passes them to ``fire --data``."""
    plan: dict[str, dict[str, Any]] = {}
    for pid, steps in ref.steps.items():
        done = min(upto, len(steps))
        left = []
        for i, step in enumerate(steps[done:], start=done):
            item = {"trigger": step["trigger"], "as": step["as"], "at": step["at"]}
            if step["data"]:
                path = folder / f"{pid}-{i}.json"
                path.write_text(json.dumps(step["data"], ensure_ascii=False), encoding="utf-8")
                item["data"] = str(path)
            left.append(item)
        if left:
            plan[pid] = {"base": 1 + done, "steps": left}
    return plan


@pytest.mark.slow
def test_officers_racing_on_the_same_and_on_different_procurements(
        backend: str, backend_url: str, tmp_path: Path) -> None:
    services, ref = prepare(backend_url, upto=1)
    services.store.dispose()
    before = integrity.count(backend_url)
    procurements = data_files(tmp_path, ref, upto=1)
    hot = sorted(procurements)[0]
    for pid, proc in procurements.items():
        proc["weight"] = 4 if pid == hot else 1
    plan = {"db": backend_url, "attempts": ATTEMPTS, "start_at": time.time() + 3,
            "procurements": procurements}
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan, ensure_ascii=False), encoding="utf-8")
    env = {**os.environ, "TENDERFLOW_DEBUG": ""}
    procs = [subprocess.Popen([sys.executable, str(WORKER), str(plan_file), str(seed),
                               str(tmp_path / f"w{seed}.jsonl")], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for seed in range(WORKERS)]
    for p in procs:
        _, err = p.communicate(timeout=600)
        assert p.returncode == 0, err
    records = [json.loads(line) for seed in range(WORKERS)
               for line in (tmp_path / f"w{seed}.jsonl").read_text(encoding="utf-8").splitlines()]
    attempts = [r for r in records if r["kind"] != "status"]
    outcomes = Counter(r["code"] for r in attempts)
    per_procurement = Counter((r["procurement"], r["code"]) for r in attempts)
    print(f"\n[{backend}] {len(attempts)} attempts by {WORKERS} processes on "
          f"{len(procurements)} procurements ({', '.join(sorted(procurements))}; {hot} hot): "
          f"applied {outcomes[0]}, refused by a guard {outcomes[1]}, conflict {outcomes[3]}; "
          f"per procurement {dict(sorted(per_procurement.items()))}")
    assert not [r for r in records if r["kind"] == "status" and r["code"] != 0]
    # A step out of order dated before what another officer recorded since is refused as
    # backdated (exit 2, nothing written): business time never goes back (DESIGN §4).
    assert set(outcomes) <= {0, 1, 2, 3}, [r for r in attempts if r["code"] not in (0, 1, 2, 3)]
    assert all("business time never goes back" in r["stderr"]
               for r in attempts if r["code"] == 2), [r for r in attempts if r["code"] == 2]
    assert not [r for r in attempts if "Traceback" in r["stderr"]]
    assert len(attempts) == WORKERS * ATTEMPTS
    assert outcomes[0] >= len(procurements) and outcomes[1] + outcomes[2] + outcomes[3] > 0
    # Refusals name why: a conflict says to retry, a guard names its rule.
    for r in attempts:
        if r["code"] == 3:
            assert "retry" in r["stderr"] or "acted first" in r["stderr"], r
    # Applied on top of what the officer saw, when the officer pinned the version.
    assert all(r["version"] == r["seen"] + 1 for r in attempts if r["code"] == 0 and r["pinned"])
    # No lost event, none twice: the successes are exactly the events added.
    won = [(r["procurement"], r["version"], r["global_seq"], r["kind"])
           for r in attempts if r["code"] == 0]
    assert len({(p, v) for p, v, _, _ in won}) == len(won)
    assert len({g for _, _, g, _ in won}) == len(won)
    assert integrity.count(backend_url) == before + len(won)
    stored = {(e["stream_id"], e["stream_seq"]): e for e in integrity.events(backend_url)}
    for pid, version, _, kind in won:
        assert stored[(f"procurement:{pid}", version)]["payload"]["trigger"] == kind
    assert integrity.problems(backend_url) == []
    assert integrity.redecide(backend_url) == []


@pytest.mark.slow
def test_a_burst_of_tenderflow_processes_on_one_step(backend: str, backend_url: str,
                                                     tmp_path: Path) -> None:
    """Ten real ``tenderflow`` processes fire the same step at once: one wins; the others
    are refused (the step is no longer possible) or lose the race (exit 3). Meanwhile a step
    on another procurement goes through."""
    ref = reference()
    pid, i = one_shot(ref)
    other = next(p for p in sorted(ref.steps) if p != pid and ref.steps[p])
    services, _ = prepare(backend_url, {pid: i, other: 0})
    services.store.dispose()
    before = integrity.count(backend_url)
    env = {**os.environ, "TENDERFLOW_DB": backend_url}
    same = step_args(pid, ref.steps[pid][i], tmp_path, "same")
    cmds = [[*tenderflow_cmd(), *same] + (["--if-version", str(i + 1)] if n % 2 else [])
            for n in range(10)]
    cmds.append([*tenderflow_cmd(), *step_args(other, ref.steps[other][0], tmp_path, "other")])
    procs = [subprocess.Popen(c, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True) for c in cmds]
    results = []
    for p in procs:
        _, err = p.communicate(timeout=300)
        results.append((p.returncode, err))
    codes = Counter(code for code, _ in results[:10])
    print(f"\n[{backend}] burst of 10 processes on {pid} {ref.steps[pid][i]['trigger']}: "
          f"{dict(codes)}")
    assert codes[0] == 1 and codes[1] + codes[3] == 9, results
    assert results[10][0] == 0, results[10][1]
    assert not [err for _, err in results if "Traceback" in err]
    for code, err in results[:10]:
        if code == 1:  # decided on the new state: the trigger is no longer possible
            assert f"'{ref.steps[pid][i]['trigger']}' is not possible" in err, err
    assert integrity.count(backend_url) == before + 2
    assert integrity.problems(backend_url) == []
    assert integrity.redecide(backend_url) == []


class HeldStore(EventStore):
    """An event store whose units of work wait at the gate before committing: an officer's
    append caught in the middle, its rows written and locked but not committed."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.inside = threading.Event()
        self.gate = threading.Event()

    @contextmanager
    def transaction(self) -> Iterator[Any]:
        with super().transaction() as tx:
            yield tx
            self.inside.set()
            assert self.gate.wait(300), "the test never opened the gate"


@pytest.mark.postgres
@pytest.mark.slow
def test_postgres_procurements_do_not_block_each_other(pg_server: Any, pg_url: str,
                                                       tmp_path: Path) -> None:
    """While one officer's append on one procurement is uncommitted, a process firing on the
    same procurement waits and then loses (exit 3, nothing forked), and a process firing on
    another procurement goes through meanwhile."""
    ref = reference()
    held_pid, free_pid = sorted(p for p in ref.steps if ref.steps[p])[:2]
    prepare(pg_url, 0)[0].store.dispose()
    held = HeldStore(pg_url)
    outcome: dict[str, Any] = {}
    step = ref.steps[held_pid][0]

    def officer() -> None:
        try:
            outcome["result"] = Services(held, entry=HISTORIC).fire(held_pid, step["trigger"], step["data"],
                                                    step["as"], parse_time(step["at"]))
        except Exception as exc:  # reported by the assertion below
            outcome["error"] = exc

    thread = threading.Thread(target=officer)
    thread.start()
    try:
        assert held.inside.wait(60)
        env = {**os.environ, "TENDERFLOW_DB": pg_url, "PGOPTIONS": "-c lock_timeout=60000"}
        same = subprocess.Popen([*tenderflow_cmd(), *step_args(held_pid, step, tmp_path, "h")],
                                env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                text=True)
        db = make_url(pg_url).database
        deadline = time.monotonic() + 120
        while not pg_server.execute(
                "SELECT 1 FROM pg_stat_activity WHERE datname = %s AND wait_event_type = "
                "'Lock'", params=(db,)):
            assert same.poll() is None, same.communicate()
            assert time.monotonic() < deadline, "the process on HELD never waited"
            time.sleep(0.05)
        other = subprocess.run(
            [*tenderflow_cmd(), *step_args(free_pid, ref.steps[free_pid][0], tmp_path, "f")],
            env=env, capture_output=True, text=True, timeout=300)
        assert other.returncode == 0, other.stderr
        assert same.poll() is None  # still waiting for HELD's officer
    finally:
        held.gate.set()
        thread.join(120)
        held.dispose()
    assert "error" not in outcome, outcome
    out, err = same.communicate(timeout=300)
    assert same.returncode == 3, err
    assert "retry" in err and "Traceback" not in err
    versions = {e["stream_id"]: e["stream_seq"] for e in integrity.events(pg_url)}
    assert versions[f"procurement:{held_pid}"] == 2 and versions[f"procurement:{free_pid}"] == 2
    assert integrity.problems(pg_url) == [] and integrity.redecide(pg_url) == []
