"""The peer: N aggregates × M events, commit each, then read every aggregate back — in the
``eventsourcing`` library on SQLite and in tenderflow (issue 17).

    python benchmarks/peer_eventsourcing.py [--aggregates N] [--events M] [--rounds R] [--json]

Four sides, each a fresh SQLite file in WAL mode (both libraries switch a file database to
WAL; neither changes ``synchronous``), each run in its own subprocess:

- ``eventsourcing``: an ``Application`` with ``PERSISTENCE_MODULE=eventsourcing.sqlite``; N
  aggregates created, then M events triggered on each (round-robin over the aggregates), one
  ``app.save`` (one transaction) per event; read back: ``app.repository.get`` of every
  aggregate (all its events selected, decoded and applied; no snapshots configured). It runs in
  the benchmark's own environment, ``benchmarks/.venv-peer`` (made here with ``python3 -m
  venv`` and ``pip install -r benchmarks/requirements-peer.txt`` when missing), never in the
  project's.
- ``store``: tenderflow's ``EventStore``: the same N × M single-event transactions
  (``BenchmarkEvent``, schema-checked, hash-chained, optimistic version); read back:
  ``read_stream`` of every stream (parsed and upcast).
- ``fire``: tenderflow's ``Services.fire`` — N competitive negotiations opened through a
  scenario (not timed), then M ``check_eligibility`` fires on each, round-robin (load the
  state, decide with the guards and the eligibility ruleset, pin the definitions, append,
  fold, save the snapshot and read model; one commit each); read back: ``read_stream`` and
  ``Services.state`` of every procurement.

- ``eventsourcing_same_payload`` (information): the ``eventsourcing`` side again, each event
  carrying the payload one ``check_eligibility`` of the fire side records — the three
  candidates' evaluation, every rule with its finding and legal source, ~25 kB of JSON, taken
  from a real fire before the rounds — where the plain side records the three ids. It shows
  how much of the gap is what the event holds rather than how it is stored.

Rounds interleave the sides (a busy machine slows all alike); figures are medians over
rounds of events/s for the appends and for the reads, and the ratios tenderflow ÷
eventsourcing (> 1: tenderflow faster). Issue 17's target: ``fire`` ≥ 1.0× eventsourcing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
PEER_VENV = ROOT / "benchmarks" / ".venv-peer"
REQUIREMENTS = ROOT / "benchmarks" / "requirements-peer.txt"


def peer_python() -> Path:
    """The peer environment's interpreter, made on first use."""
    python = PEER_VENV / "bin" / "python"
    stamp = PEER_VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != REQUIREMENTS.read_text():
        if not python.exists():
            subprocess.run(["python3", "-m", "venv", str(PEER_VENV)], check=True)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r",
                        str(REQUIREMENTS)], check=True)
        stamp.write_text(REQUIREMENTS.read_text())
    return python


def side_eventsourcing(db: Path, n: int, m: int, payload: Path | None = None
                       ) -> dict[str, float]:
    from uuid import UUID

    from eventsourcing.application import Application
    from eventsourcing.domain import Aggregate, event

    class Procurement(Aggregate):
        @event("Opened")
        def __init__(self, pid: str) -> None:
            self.pid = pid
            self.checks: list[list[str]] = []

        @event("EligibilityChecked")
        def check(self, candidates: list[str], evaluation: dict[str, Any] | None) -> None:
            self.checks.append(candidates)
            self.evaluation = evaluation

    os.environ.update(PERSISTENCE_MODULE="eventsourcing.sqlite", SQLITE_DBNAME=str(db))
    app = Application()
    ids: list[UUID] = []
    for i in range(n):
        agg = Procurement(f"CN-BENCH-{i:04d}")
        app.save(agg)
        ids.append(agg.id)
    aggs = [app.repository.get(i) for i in ids]
    evaluation = json.loads(payload.read_text("utf-8")) if payload else None
    t0 = time.perf_counter()
    for _ in range(m):
        for agg in aggs:
            agg.check(["S-CDJG", "S-HXJS", "S-SLGC"], evaluation)
            app.save(agg)
    appended = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in ids:
        assert len(app.repository.get(i).checks) == m
    read = time.perf_counter() - t0
    app.close()
    return {"append_s": appended, "read_s": read}


def side_store(db: Path, n: int, m: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from benchmarks.synthetic import BENCH_EVENTS, T
    from tenderflow.store.eventstore import EventStore, NewEvent

    store = EventStore(f"sqlite:///{db}", events=BENCH_EVENTS)
    store.migrate()
    streams = [f"procurement:CN-BENCH-{i:04d}" for i in range(n)]
    t0 = time.perf_counter()
    for version in range(m):
        for s in streams:
            with store.transaction() as tx:
                tx.append(s, version, [NewEvent("BenchmarkEvent", {"n": version}, T,
                                                "staff:bench", {})], T)
    appended = time.perf_counter() - t0
    t0 = time.perf_counter()
    with store.reading() as tx:
        for s in streams:
            assert len(list(tx.read_stream(s))) == m
    read = time.perf_counter() - t0
    store.dispose()
    return {"append_s": appended, "read_s": read}


def _fire_scenario(n: int) -> str:
    data = ROOT / "examples" / "data"
    lines = ["title: benchmark", "entry: {reason: benchmark}",
             f"projects: [{{file: {data}/projects.yaml}}]",
             f"suppliers: [{{file: {data}/suppliers.yaml}}]", "procurements:"]
    for i in range(n):
        lines.append(f"  - {{id: CN-BENCH-{i:04d}, project: CD-HH-2023, "
                     f"mode: competitive_negotiation, at: \"2023-03-01T09:00+08:00\", "
                     f"as: \"staff:wang\"}}")
    lines.append("steps:")
    for i in range(n):
        lines += [(f"  - {{at: \"2023-03-01T10:00+08:00\", as: staff:wang, fire: approve_method, "
                  f"on: CN-BENCH-{i:04d}, with: {{ground: complex_or_special, "
                  f"justification: 基准测试, approved_by: 青羊区财政局}}}}"),
                  (f"  - {{at: \"2023-03-02T10:00+08:00\", as: staff:wang, fire: form_group, "
                  f"on: CN-BENCH-{i:04d}, with: {{members: [{{name: 刘专家, role: expert}}, "
                  f"{{name: 周专家, role: expert}}, "
                  f"{{name: 采购人代表张, role: purchaser_representative}}]}}}}")]
    return "\n".join(lines) + "\n"


def side_fire(db: Path, n: int, m: int) -> dict[str, float]:
    sys.path.insert(0, str(ROOT))
    from datetime import timedelta

    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.domain.entry import Entry
    from tenderflow.domain.timeutil import parse_time
    from tenderflow.store.eventstore import EventStore

    scenario = db.with_suffix(".yaml")
    scenario.write_text(_fire_scenario(n), "utf-8")
    store = EventStore(f"sqlite:///{db}")
    store.migrate()
    services = Services(store, entry=Entry(reason="benchmark"))
    report = run_scenario(services, scenario)
    assert report.ok, report.stopped_at
    pids = [f"CN-BENCH-{i:04d}" for i in range(n)]
    with store.reading() as tx:
        before = {p: tx.stream_length(f"procurement:{p}") for p in pids}
    base = parse_time("2023-03-03T09:00+08:00")
    t0 = time.perf_counter()
    for j in range(m):
        for p in pids:
            services.fire(p, "check_eligibility", {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC"]},
                          "staff:wang", base + timedelta(seconds=j))
    appended = time.perf_counter() - t0
    t0 = time.perf_counter()
    with store.reading() as tx:
        for p in pids:
            assert len(list(tx.read_stream(f"procurement:{p}"))) == before[p] + m
    for p in pids:
        services.state(p)
    read = time.perf_counter() - t0
    store.dispose()
    return {"append_s": appended, "read_s": read}


def evaluation_payload(tmp: Path) -> Path:
    """The payload of the ``EligibilityChecked`` event that one ``check_eligibility`` of the
    fire side records (the three candidates' evaluation with every rule's finding and legal
    source, ~25 kB of JSON), written to a file for the ``eventsourcing_same_payload`` side."""
    from datetime import timedelta

    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.domain.entry import Entry
    from tenderflow.domain.timeutil import parse_time
    from tenderflow.store.eventstore import EventStore

    db = tmp / "payload.db"
    db.with_suffix(".yaml").write_text(_fire_scenario(1), "utf-8")
    store = EventStore(f"sqlite:///{db}")
    store.migrate()
    services = Services(store, entry=Entry(reason="benchmark"))
    assert run_scenario(services, db.with_suffix(".yaml")).ok
    services.fire("CN-BENCH-0000", "check_eligibility",
                  {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC"]}, "staff:wang",
                  parse_time("2023-03-03T09:00+08:00") + timedelta(seconds=1))
    with store.reading() as tx:
        [last] = list(tx.read_stream("procurement:CN-BENCH-0000"))[-1:]
    store.dispose()
    out = tmp / "payload.json"
    out.write_text(json.dumps(last.payload, ensure_ascii=False), "utf-8")
    return out


SIDES = {"eventsourcing": side_eventsourcing, "store": side_store, "fire": side_fire,
         "eventsourcing_same_payload": side_eventsourcing}


def run_side(side: str, n: int, m: int, tmp: Path, r: int) -> dict[str, float]:
    peer = side.startswith("eventsourcing")
    python = str(peer_python()) if peer else sys.executable
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    extra = ["--payload", str(tmp / "payload.json")] if side == "eventsourcing_same_payload" else []
    out = subprocess.run([python, __file__, "--side", side, "--aggregates", str(n),
                          "--events", str(m), "--db", str(tmp / f"{side}-{r}.db"), *extra],
                         check=True, capture_output=True, text=True, env=env, cwd=ROOT)
    return json.loads(out.stdout)


def compare(n: int, m: int, rounds: int) -> dict[str, Any]:
    times: dict[str, list[dict[str, float]]] = {s: [] for s in SIDES}
    with tempfile.TemporaryDirectory(prefix="tf-peer-") as tmp:
        evaluation_payload(Path(tmp))
        for r in range(rounds):
            for side in SIDES:
                times[side].append(run_side(side, n, m, Path(tmp), r))
    total = n * m
    out: dict[str, Any] = {"aggregates": n, "events_per_aggregate": m, "rounds": rounds}
    for side, rs in times.items():
        out[side] = {"append_events_per_s": round(statistics.median(total / x["append_s"]
                                                                    for x in rs), 1),
                     "read_events_per_s": round(statistics.median(total / x["read_s"]
                                                                  for x in rs), 1)}
    out["fire_to_eventsourcing_same_payload_append"] = round(statistics.median(
        e["append_s"] / t["append_s"] for t, e in zip(
            times["fire"], times["eventsourcing_same_payload"], strict=True)), 3)
    for side in ("store", "fire"):
        out[f"{side}_to_eventsourcing_append"] = round(statistics.median(
            e["append_s"] / t["append_s"] for t, e in zip(times[side], times["eventsourcing"],
                                                          strict=True)), 3)
        out[f"{side}_to_eventsourcing_read"] = round(statistics.median(
            e["read_s"] / t["read_s"] for t, e in zip(times[side], times["eventsourcing"],
                                                      strict=True)), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--aggregates", type=int, default=20)
    ap.add_argument("--events", type=int, default=20, help="events per aggregate")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--side", choices=sorted(SIDES), help=argparse.SUPPRESS)
    ap.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--payload", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.side:  # one side, in its own process and environment
        sides: dict[str, Any] = SIDES
        more = (args.payload,) if args.side == "eventsourcing_same_payload" else ()
        print(json.dumps(sides[args.side](args.db, args.aggregates, args.events, *more)))
        return
    result = compare(args.aggregates, args.events, args.rounds)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"{args.aggregates} aggregates × {args.events} events, commit each "
          f"(median of {args.rounds} interleaved rounds)")
    print(f"{'side':27} {'append ev/s':>12} {'read ev/s':>12}")
    for side in SIDES:
        print(f"{side:27} {result[side]['append_events_per_s']:>12} "
              f"{result[side]['read_events_per_s']:>12}")
    for side in ("store", "fire"):
        print(f"{side} ÷ eventsourcing: append {result[f'{side}_to_eventsourcing_append']}×, "
              f"read {result[f'{side}_to_eventsourcing_read']}×")
    print(f"fire ÷ eventsourcing with the same payload: append "
          f"{result['fire_to_eventsourcing_same_payload_append']}×")


if __name__ == "__main__":
    main()
