"""Crashes: ``tenderflow run`` of a long scenario is killed (SIGKILL) at random moments.

The long scenario is every bundled example, plus copies of each under new procurement ids,
in one file. It is run once uninterrupted for the reference log. Then, again and again on a
fresh database, the same run is killed at a random moment. Afterwards the database opens, the
chains and projections are sound, every step re-decides, and the events present are exactly
the first events of the reference log: no half-applied step, nothing out of order.
"""

from __future__ import annotations

import copy
import os
import random
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import pytest
import yaml

from tenderflow import yamlio
from tenderflow.paths import examples_dir
from tests.conftest import HISTORIC
from tests.reliability import integrity
from tests.reliability.reference import tenderflow_cmd

COPIES = 2  # copies of every example besides the original (the examples grow)
KILLS = {"sqlite": 12, "postgresql": 6}


def _rename(value: Any, ids: dict[str, str]) -> Any:
    if isinstance(value, str):
        return ids.get(value, value)
    if isinstance(value, list):
        return [_rename(v, ids) for v in value]
    if isinstance(value, dict):
        return {k: _rename(v, ids) for k, v in value.items()}
    return value


def long_scenario(cut: dict[str, int]) -> dict[str, Any]:
    """Every example and ``COPIES`` renamed copies of it in one scenario. ``cut`` limits the
    copies of an example to their first steps (a copy cannot reuse data bound to the
    original id, such as a sealed offer's commitment)."""
    from tenderflow.app.scenario import load_scenario

    projects: dict[str, Any] = {}
    suppliers: dict[str, Any] = {}
    procurements: list[dict[str, Any]] = []
    steps: list[dict[str, Any]] = []
    for path in sorted(examples_dir().glob("*.yaml")):
        sc = load_scenario(path)  # validated records, file references resolved
        for rec in sc.projects:
            projects[rec["id"]] = rec
        for rec in sc.suppliers:
            suppliers[rec["id"]] = rec
        raw = yamlio.safe_load(path.read_text(encoding="utf-8"))
        own = [p["id"] for p in raw["procurements"]]
        # a project has one intake, named by the project's id: an example with one is not
        # copied (its copies would need projects of their own, ready to procure)
        intake = any(p.get("mode") == "project" for p in raw["procurements"])
        for k in range(1 if intake else COPIES + 1):
            ids = {pid: pid if k == 0 else f"{pid}-K{k}" for pid in own}
            procurements += [_rename(copy.deepcopy(p), ids) for p in raw["procurements"]]
            mine = [s for s in raw["steps"] if "expect" not in s]
            if k:
                mine = mine[:cut.get(path.name, len(mine))]
            for step in mine:
                step = {**_rename(copy.deepcopy(step), ids), "note": f"{path.name}#{k}"}
                for kind in ("credit_import", "fiscal_import"):  # files named relative
                    if kind in step:                             # to the example
                        given = step[kind]["file"]
                        step[kind]["file"] = str((path.parent / given).resolve())
                given = (step.get("with") or {}).get("file")  # a vote file (record_vote)
                if isinstance(given, str):
                    step["with"]["file"] = str((path.parent / given).resolve())
                steps.append(step)
    return {"title": "long crash scenario",
            "entry": {"reason": HISTORIC.reason, "receipt": HISTORIC.receipt},
            "projects": list(projects.values()),
            "suppliers": list(suppliers.values()), "procurements": procurements,
            "steps": steps}


def write_scenario(folder: Path, url: str) -> tuple[Path, list[dict[str, Any]], int]:
    """Write the long scenario and run it uninterrupted into ``url``; the copies of an
    example are cut where a copy's step is refused, until the whole run goes through."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.store.eventstore import EventStore

    cut: dict[str, int] = {}
    for attempt in range(20):
        data = long_scenario(cut)
        path = folder / f"long-{attempt}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False),
                        encoding="utf-8")
        db = folder / f"reference-{attempt}.db"
        store = EventStore(f"sqlite:///{db}")
        store.migrate()
        report = run_scenario(Services(store, entry=HISTORIC), path)
        store.dispose()
        if report.ok:
            return path, integrity.events(f"sqlite:///{db}"), len(data["steps"])
        stopped = data["steps"][report.stopped_at]
        name, k = stopped["note"].rsplit("#", 1)
        assert k != "0", f"example {name} itself fails in the long scenario: " \
            f"{report.results[-1].text}"
        position = [s for s in data["steps"] if s["note"] == stopped["note"]].index(stopped)
        cut[name] = position
    raise AssertionError("the long scenario never ran through")


def fresh(backend: str, request: Any, tmp_path: Path, n: int) -> str:
    if backend == "sqlite":
        return f"sqlite:///{tmp_path / f'crash-{n}.db'}"  # `run` creates it
    from tests.pg import fresh_database

    server = request.getfixturevalue("pg_server")
    return str(server.url(fresh_database(server)))


@pytest.mark.slow
def test_killed_runs_leave_a_prefix_of_the_log(backend: str, request: Any,
                                               tmp_path: Path) -> None:
    scenario, reference, n_steps = write_scenario(tmp_path, "")
    start = time.monotonic()
    url = fresh(backend, request, tmp_path, 0)
    full = subprocess.run([*tenderflow_cmd(), "--db", url, "--as", "staff:scenario", "run", str(scenario)],
                          capture_output=True, text=True, timeout=600)
    duration = time.monotonic() - start
    assert full.returncode == 0, full.stderr
    assert integrity.events(url) == reference  # same log on this backend
    started = time.monotonic()  # how long a command takes to start and open the database
    subprocess.run([*tenderflow_cmd(), "--db", url, "list"], capture_output=True, timeout=120)
    startup = time.monotonic() - started
    rnd = random.Random(f"{backend}-crash")
    kills = KILLS[backend]
    lengths = []
    for n in range(1, kills + 1):
        url = fresh(backend, request, tmp_path, n)
        proc = subprocess.Popen([*tenderflow_cmd(), "--db", url, "--as", "staff:scenario", "run", str(scenario)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(rnd.uniform(startup, duration))
        os.kill(proc.pid, signal.SIGKILL)
        _, err = proc.communicate(timeout=60)
        assert proc.returncode in (-signal.SIGKILL, 0), err
        listed = subprocess.run([*tenderflow_cmd(), "--db", url, "list"], capture_output=True,
                                text=True, timeout=120)
        got = integrity.events(url) if listed.returncode == 0 else []
        if listed.returncode != 0:  # killed before the schema was created
            assert "init" in listed.stderr and "Traceback" not in listed.stderr, listed.stderr
        lengths.append(len(got))
        assert got == reference[:len(got)], f"kill {n}: not a prefix of the reference log"
        if listed.returncode == 0:
            assert integrity.problems(url) == [], f"kill {n}"
            assert integrity.redecide(url) == [], f"kill {n}"
    print(f"\n[{backend}] long scenario: {n_steps} steps, {len(reference)} events, "
          f"{duration:.1f}s uninterrupted; {kills} kills left "
          f"{sorted(lengths)} events")
    assert len(set(lengths)) > 1  # the kills landed at different points
