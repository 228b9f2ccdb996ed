"""Append throughput of the event store at stream lengths 10 and 10,000, and ``fire`` through
the services against a bare SQLAlchemy insert + commit of the same row.

Appending must cost the same whatever a stream's length (DESIGN §10): the head row gives the
expected version and previous hash, so no append re-reads history. Run with `make bench`.

    python benchmarks/run.py [--backend-url URL] [--appends N] [--fires N] [--rounds R]
                             [--fire-length L] [--json]

Prints events/second for single-event transactions appended to a stream that already holds
10 and 10,000 events, and the ratio between them (1.0 = no slowdown with length).

Then ``fire``: a competitive negotiation opened through the services (the example's project,
suppliers, ``approve_method`` and ``form_group``), then ``Services.fire`` of a real trigger
that leaves the state where it is — ``check_eligibility`` of the three candidates (load the
state, decide with the guards and the eligibility ruleset, pin the definitions, append,
fold, save the snapshot and read model; one commit each) — against the reference: a bare
SQLAlchemy Core insert + commit of the same event row (a check's, recorded once before the
rounds) into a table of the same shape. Rounds interleave both; the figure is fires/s ÷
reference inserts/s (median per round, median of rounds), so a busy machine slows both alike.
In the same rounds the row is also inserted through the standard library's sqlite3 alone
(``raw_inserts_per_second``): the least its commit costs, which ``make bench`` adds to the
eligibility evaluation's cost to bound what any fire of this check could reach.

With ``--fire-length L``: the same fire on a negotiation whose stream already holds L events
(L real ``check_eligibility`` fires, untimed) against a freshly opened one, rounds alternating
between the two; the ratio long ÷ short is 1.0 when fire's cost is flat in the stream's length.

What the profiler showed (issue 17): ``_pin`` re-serialised and re-hashed the workflow, the
parameters, the 22-year calendar and the ruleset on every command (42% of fire), and
``merged_calendar`` hashed the 22-year calendar again for its cache key. Now each content hash
and canonical body is computed once per loaded definition object (tenderflow.app.pinning,
``WorkingDayCalendar.content_hash`` cached), and a definition body is written only when its
hash is not yet in the definitions table (one keyed read per command). Measured on the 2-core
development container (a CI run beside it), the code before and after run alternately twice,
5 rounds × 40 fires each (``--appends 50 --lengths 10 --fires 40 --rounds 5``):

    before: fire/reference 0.143, 0.149 (≈ 116 fires/s against ≈ 820 bare inserts/s)
    after:  fire/reference 0.217, 0.239 (≈ 188 fires/s against ≈ 826 bare inserts/s)

What remains of fire (profile after): the fold's deep copy of the state per event, the
eligibility evaluation of the guard, SQLAlchemy statement execution, and the commit itself.

Third pass (issue 17, cProfile of 200 fires on the peer's workload, 20 negotiations × 20
``check_eligibility``): 17 statements a fire, each built as a SQLAlchemy ``select``/``update``
and compiled from its cache key — 115–180 µs a keyed read against 3–5 µs for the same SQL on
the driver's cursor (measured in one transaction, 3,000 reads each) — about half of a fire.
They now run on the driver's cursor (tenderflow.store.driver); the last event's business time
is kept per store at the head it left instead of read back and parsed (a check's event is
~25 kB); stream prefixes are a key range (SQLite's LIKE folded case and scanned every stream).
The same workload, interleaved A/B against the code before (3 rounds, a busy machine): 59–91
fires/s before, 155–344 after. What is left, in order: the commit (an fsync of the WAL), the
canonical JSON and DEFLATE of the ~25 kB event body and the snapshot, the copy of the payload
into the state, the eligibility evaluation (24 rules × 3 candidates), two JSON-schema checks.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.synthetic import BENCH_EVENTS, fill_stream  # noqa: E402
from tenderflow.store.eventstore import EventStore, NewEvent  # noqa: E402

T = "2023-03-01T09:00:00+08:00"


def measure_appends(store: EventStore, stream: str, appends: int) -> float:
    with store.reading() as tx:
        version = tx.head(stream)[0]
    timings = []
    for _ in range(appends):
        t0 = time.perf_counter()
        with store.transaction() as tx:
            tx.append(stream, version, [NewEvent("BenchmarkEvent", {"n": version}, T,
                                                 "staff:bench", {})], T)
        timings.append(time.perf_counter() - t0)
        version += 1
    return 1.0 / statistics.median(timings)


FIRE_SCENARIO = """
title: benchmark
entry: {reason: benchmark}
projects: [{file: DATA/projects.yaml}]
suppliers: [{file: DATA/suppliers.yaml}]
procurements:
  - {id: CN-BENCH-001, project: CD-HH-2023, mode: competitive_negotiation,
     at: "2023-03-01T09:00+08:00", as: "staff:wang"}
steps:
  - at: "2023-03-01T10:00+08:00"
    as: staff:wang
    fire: approve_method
    on: CN-BENCH-001
    with: {ground: complex_or_special, justification: 基准测试, approved_by: 青羊区财政局}
  - at: "2023-03-02T10:00+08:00"
    as: staff:wang
    fire: form_group
    on: CN-BENCH-001
    with:
      members:
        - {name: 刘专家, role: expert}
        - {name: 周专家, role: expert}
        - {name: 采购人代表张, role: purchaser_representative}
"""


def fire_setup(tmp: Path, text: str = FIRE_SCENARIO) -> Any:
    """Services over a fresh SQLite file with the scenario's negotiations at ``form_group``."""
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.domain.entry import Entry
    from tenderflow.paths import examples_dir

    tmp.mkdir(parents=True, exist_ok=True)
    scenario = tmp / "fire.yaml"
    scenario.write_text(text.replace("DATA", str(examples_dir() / "data")), "utf-8")
    store = EventStore(f"sqlite:///{tmp}/fire.db")
    store.migrate()
    services = Services(store, entry=Entry(reason="benchmark"))
    report = run_scenario(services, scenario)
    assert report.ok, report.stopped_at
    return services


def measure_fires(services: Any, fires: int, start: int, pid: str = "CN-BENCH-001") -> float:
    """Fires per second (median) of ``check_eligibility``, one commit each."""
    from datetime import timedelta

    from tenderflow.domain.timeutil import parse_time

    base = parse_time("2023-03-03T09:00+08:00")
    timings = []
    for i in range(start, start + fires):
        at = base + timedelta(seconds=i)
        t0 = time.perf_counter()
        services.fire(pid, "check_eligibility",
                      {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC"]}, "staff:wang", at)
        timings.append(time.perf_counter() - t0)
    return 1.0 / statistics.median(timings)


def measure_bare_inserts(engine: Any, table: Any, row: dict[str, Any], inserts: int,
                         start: int) -> float:
    """Inserts per second (median) of one event row with SQLAlchemy Core, commit each."""
    from sqlalchemy import insert

    timings = []
    for i in range(start, start + inserts):
        t0 = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(table).values(**row, global_seq=i, stream_seq=i))
        timings.append(time.perf_counter() - t0)
    return 1.0 / statistics.median(timings)


def measure_raw_inserts(path: Path, row: dict[str, Any], inserts: int, start: int) -> float:
    """Inserts per second (median) of the same event row through the standard library's
    sqlite3 alone (no SQLAlchemy), into a table of the same shape and indexes in WAL mode as
    the store, commit each: what the commit of a fire's row costs at the least."""
    import sqlite3

    con = sqlite3.connect(path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    names = [*row, "global_seq", "stream_seq"]
    sql = f"INSERT INTO events ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
    values = list(row.values())
    timings = []
    try:
        for i in range(start, start + inserts):
            t0 = time.perf_counter()
            con.execute("BEGIN")
            con.execute(sql, [*values, i, i])
            con.execute("COMMIT")
            timings.append(time.perf_counter() - t0)
    finally:
        con.close()
    return 1.0 / statistics.median(timings)


LONG_SCENARIO_EXTRA = """
  - {id: CN-BENCH-002, project: CD-HH-2023, mode: competitive_negotiation,
     at: "2023-03-01T09:00+08:00", as: "staff:wang"}
"""


def fire_length(tmp: Path, length: int, fires: int, rounds: int) -> dict[str, Any]:
    """``fire`` on a stream of ``length`` events against the same fire on a short stream:
    two negotiations opened alike; the long one gets ``length`` ``check_eligibility`` fires
    first (untimed, every one a real fire); then rounds alternate ``fires`` timed fires on
    each. Ratio = long's fires/s ÷ short's (1.0 = flat in the stream's length)."""
    from datetime import timedelta

    from tenderflow.domain.timeutil import parse_time

    scenario = FIRE_SCENARIO.replace("steps:", LONG_SCENARIO_EXTRA.strip("\n") + "\nsteps:", 1)
    extra = FIRE_SCENARIO.split("steps:", 1)[1].replace("CN-BENCH-001", "CN-BENCH-002")
    services = fire_setup(tmp / "long", scenario + extra)
    base = parse_time("2023-03-03T09:00+08:00")
    data = {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC"]}
    for i in range(length):
        services.fire("CN-BENCH-002", "check_eligibility", data, "staff:wang",
                      base + timedelta(seconds=i))
    with services.store.reading() as tx:
        stream_length = tx.stream_length("procurement:CN-BENCH-002")
    short_rates, long_rates = [], []
    for r in range(rounds):
        start = length + r * fires
        short_rates.append(measure_fires(services, fires, start, "CN-BENCH-001"))
        long_rates.append(measure_fires(services, fires, start, "CN-BENCH-002"))
    services.store.dispose()
    ratios = [lg / sh for lg, sh in zip(long_rates, short_rates, strict=True)]
    return {"long_stream_events": stream_length,
            "short_fires_per_second": round(statistics.median(short_rates), 1),
            "long_fires_per_second": round(statistics.median(long_rates), 1),
            "long_to_short_ratio": round(statistics.median(ratios), 3),
            "fires_per_round": fires, "rounds": rounds}


def fire_ratio(tmp: Path, fires: int, rounds: int) -> dict[str, Any]:
    from sqlalchemy import create_engine

    from tenderflow.store import models as m

    services = fire_setup(tmp)
    from sqlalchemy import select

    from tenderflow.domain.timeutil import parse_time

    # one check first (a minute before the timed ones), so that the references insert the
    # row of a check (~4.5 kB deflated), not of the scenario's last step
    services.fire("CN-BENCH-001", "check_eligibility",
                  {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC"]}, "staff:wang",
                  parse_time("2023-03-03T08:59+08:00"))
    with services.store.engine.connect() as conn:  # the stored row as it is (deflated body)
        last = conn.execute(select(m.events).where(
            m.events.c.stream_id == "procurement:CN-BENCH-001").order_by(
            m.events.c.global_seq.desc()).limit(1)).one()
    row = {c.name: getattr(last, c.name) for c in m.events.c
           if c.name not in ("global_seq", "stream_seq")}
    engine = create_engine(f"sqlite:///{tmp}/bare.db")
    m.events.metadata.create_all(engine, tables=[m.events])
    with engine.connect() as conn:  # WAL like the store (it stays set in the file)
        conn.exec_driver_sql("PRAGMA journal_mode=WAL")
    raw = create_engine(f"sqlite:///{tmp}/raw.db")
    m.events.metadata.create_all(raw, tables=[m.events])
    raw.dispose()
    fire_rates, bare_rates, raw_rates = [], [], []
    for r in range(rounds):
        fire_rates.append(measure_fires(services, fires, r * fires))
        bare_rates.append(measure_bare_inserts(engine, m.events, row, fires, 1 + r * fires))
        raw_rates.append(measure_raw_inserts(tmp / "raw.db", row, fires, 1 + r * fires))
    engine.dispose()
    services.store.dispose()
    ratios = [f / b for f, b in zip(fire_rates, bare_rates, strict=True)]
    return {"fires_per_second": round(statistics.median(fire_rates), 1),
            "bare_inserts_per_second": round(statistics.median(bare_rates), 1),
            "raw_inserts_per_second": round(statistics.median(raw_rates), 1),
            "row_bytes": len(row["deflated"]),
            "fire_to_bare_ratio": round(statistics.median(ratios), 3),
            "fires_per_round": fires, "rounds": rounds}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend-url", help="database URL (default: a fresh SQLite file)")
    ap.add_argument("--appends", type=int, default=300)
    ap.add_argument("--lengths", default="10,10000")
    ap.add_argument("--fires", type=int, default=40, help="fires per round (0: none)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--fire-length", type=int, default=0,
                    help="also fire on a stream this long against a short one (0: no)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="tf-bench-")
    url = args.backend_url or f"sqlite:///{tmp}/bench.db"
    store = EventStore(url, events=BENCH_EVENTS)
    store.migrate()
    results: dict[str, Any] = {"backend": store.dialect, "appends_per_length": args.appends}
    rates = {}
    for length in [int(x) for x in args.lengths.split(",")]:
        stream = f"procurement:BENCH-{length}"
        fill_stream(store, stream, length)
        rates[length] = measure_appends(store, stream, args.appends)
    results["events_per_second"] = {str(k): round(v, 1) for k, v in rates.items()}
    lengths = sorted(rates)
    results["ratio_longest_to_shortest"] = round(rates[lengths[-1]] / rates[lengths[0]], 3)
    store.dispose()
    if args.fires:
        results["fire"] = fire_ratio(Path(tmp), args.fires, args.rounds)
    if args.fire_length:
        results["fire_length"] = fire_length(Path(tmp), args.fire_length, args.fires or 20,
                                             args.rounds)
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"backend: {results['backend']}, {args.appends} single-event appends per length")
        for k, v in results["events_per_second"].items():
            print(f"  stream length {int(k):>6}: {v:>8} events/s (median)")
        print(f"  ratio (length {lengths[-1]} / length {lengths[0]}): "
              f"{results['ratio_longest_to_shortest']}")
        if "fire" in results:
            f = results["fire"]
            print(f"fire (check_eligibility through the services, commit each; {f['rounds']} "
                  f"rounds × {f['fires_per_round']}): {f['fires_per_second']} fires/s, bare "
                  f"SQLAlchemy insert+commit {f['bare_inserts_per_second']}/s, ratio "
                  f"{f['fire_to_bare_ratio']}; the row alone through sqlite3 "
                  f"{f['raw_inserts_per_second']}/s")
        if "fire_length" in results:
            f = results["fire_length"]
            print(f"fire on a stream of {f['long_stream_events']} events: "
                  f"{f['long_fires_per_second']} fires/s against {f['short_fires_per_second']} "
                  f"on a short one: ratio {f['long_to_short_ratio']}")


if __name__ == "__main__":
    main()
