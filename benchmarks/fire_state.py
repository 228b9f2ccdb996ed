"""``fire`` when the procurement's state is large and when its stream is long, each against the
same fire on a small, short procurement in the same run (issue 17: "10k entries and 10k events
within 1.2× of small").

    python benchmarks/fire_state.py [--entries N] [--fires F] [--rounds R] [--json]

Three competitive negotiations are opened alike through the services (the example's project and
suppliers, ``approve_method``, ``form_group``) and each gets one real ``check_eligibility``:

- ``small``: nothing more (a few events, a state of a few kB);
- ``long``: its check's event appended again N times, recorded in time, so the stream holds
  N + 4 events while the state stays small (each check replaces the latest one);
- ``large``: its check recorded late (a day after its business time, with a reason), and the
  event appended again N times, so the state carries N + 1 ``late_entries``: N entries.

The copies are appended through the store (``Tx.append``: schema-checked, hash-chained, in
batches of 500) with the original's business time, pins, payload and recording time — the
events the services record for the same command at the same times, written without deciding
each again (N real fires would take minutes); the snapshot is then rebuilt from the events.
Each round times F fires of ``check_eligibility`` (one commit each, recorded in time) on each
procurement, the three taking turns fire by fire; the figure is fires/s (fires ÷ their total
time, per round: a snapshot saved only every so many events counts), and the ratios long ÷ small and
large ÷ small (median of rounds): 1.0 means fire's cost is flat in the stream's length and in
the state's size.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.run import FIRE_SCENARIO

PIDS = {"small": "CN-BENCH-001", "long": "CN-BENCH-002", "large": "CN-BENCH-003"}
CANDIDATES = {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC"]}


class Clock:
    """The recording clock the services read (``recorded_at``): set by the benchmark."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def scenario() -> str:
    """FIRE_SCENARIO with the three negotiations opened and formed alike."""
    procurements = "".join(
        f"  - {{id: {pid}, project: CD-HH-2023, mode: competitive_negotiation,\n"
        f"     at: \"2023-03-01T09:00+08:00\", as: \"staff:wang\"}}\n"
        for pid in PIDS.values())
    head, steps = FIRE_SCENARIO.split("procurements:\n", 1)[0], FIRE_SCENARIO.split("steps:", 1)[1]
    return (head + "procurements:\n" + procurements + "steps:"
            + "".join(steps.replace("CN-BENCH-001", pid) for pid in PIDS.values()))


def setup(tmp: Path, entries: int) -> tuple[Any, Clock]:
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.app.snapshots import rebuild_state
    from tenderflow.domain.entry import Entry
    from tenderflow.domain.timeutil import parse_time
    from tenderflow.paths import examples_dir
    from tenderflow.store.eventstore import EventStore

    path = tmp / "state.yaml"
    path.write_text(scenario().replace("DATA", str(examples_dir() / "data")), "utf-8")
    store = EventStore(f"sqlite:///{tmp}/state.db")
    store.migrate()
    clock = Clock(parse_time("2023-03-02T12:00+08:00"))
    services = Services(store, entry=Entry(reason="benchmark"), recording_clock=clock)
    report = run_scenario(services, path)
    assert report.ok, report.stopped_at
    first = parse_time("2023-03-03T09:00+08:00")
    clock.at = first + timedelta(hours=1)
    for pid in (PIDS["small"], PIDS["long"]):
        services.fire(pid, "check_eligibility", CANDIDATES, "staff:wang", first)
    clock.at = first + timedelta(days=5)  # recorded late: the event carries a late_entry
    services.fire(PIDS["large"], "check_eligibility", CANDIDATES, "staff:wang", first)
    for name in ("long", "large"):
        _copies(store, f"procurement:{PIDS[name]}", entries)
        with store.transaction() as tx:
            rebuild_state(tx, PIDS[name])
    clock.at = first + timedelta(days=1)  # the timed fires are recorded in time
    return services, clock


def _copies(store: Any, stream: str, n: int, batch: int = 500) -> None:
    """Append the stream's last event again ``n`` times (see the module's docstring)."""
    from tenderflow.store.eventstore import NewEvent

    with store.reading() as tx:
        version = tx.head(stream)[0]
        last = next(iter(tx.read_stream(stream, after=version - 1)))
    done = 0
    while done < n:
        k = min(batch, n - done)
        with store.transaction() as tx:
            tx.append(stream, version, [NewEvent(last.type, last.payload, last.occurred_at,
                                                 last.actor, last.pins) for _ in range(k)],
                      last.recorded_at)
        version += k
        done += k


def measure(services: Any, fires: int, start: int) -> dict[str, float]:
    """Fires per second of ``check_eligibility`` on each procurement, one commit each: the
    three take turns fire by fire (a busy machine slows all alike), and each one's figure is
    ``fires`` ÷ the total of its fires' times (not the median fire: a snapshot saved only
    every so many events must count)."""
    from tenderflow.domain.timeutil import parse_time

    base = parse_time("2023-03-03T09:00+08:00")
    spent = dict.fromkeys(PIDS, 0.0)
    for i in range(start, start + fires):
        for name, pid in PIDS.items():
            t0 = time.perf_counter()
            services.fire(pid, "check_eligibility", CANDIDATES, "staff:wang",
                          base + timedelta(seconds=1 + i))
            spent[name] += time.perf_counter() - t0
    return {name: fires / t for name, t in spent.items()}


def compare(entries: int, fires: int, rounds: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="tf-fire-state-") as tmp:
        t0 = time.perf_counter()
        services, _ = setup(Path(tmp), entries)
        setup_s = time.perf_counter() - t0
        with services.store.reading() as tx:
            sizes = {}
            for name, pid in PIDS.items():
                snap = tx.snapshot(f"procurement:{pid}")
                sizes[name] = {"events": tx.head(f"procurement:{pid}")[0],
                               "late_entries": len(snap[1].get("late_entries", ())),
                               "snapshot_bytes": len(json.dumps(snap[1], ensure_ascii=False,
                                                                separators=(",", ":")))}
        rates: dict[str, list[float]] = {name: [] for name in PIDS}
        for r in range(rounds):
            for name, rate in measure(services, fires, r * fires).items():
                rates[name].append(rate)
        services.store.dispose()
    out: dict[str, Any] = {"entries": entries, "fires_per_round": fires, "rounds": rounds,
                           "setup_s": round(setup_s, 1), "procurements": sizes}
    for name in PIDS:
        out[f"{name}_fires_per_second"] = round(statistics.median(rates[name]), 1)
    for name in ("long", "large"):
        out[f"{name}_to_small_ratio"] = round(statistics.median(
            x / s for x, s in zip(rates[name], rates["small"], strict=True)), 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=10_000,
                    help="events appended to the long stream, entries added to the large state")
    ap.add_argument("--fires", type=int, default=20, help="timed fires per round and procurement")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    result = compare(args.entries, args.fires, args.rounds)
    if args.json:
        print(json.dumps(result, indent=2))
        return
    p = result["procurements"]
    print(f"setup {result['setup_s']} s; {args.rounds} rounds × {args.fires} fires each "
          "(check_eligibility through the services, commit each; median of rounds)")
    for name in PIDS:
        print(f"  {name:6} {p[name]['events']:>6} events, {p[name]['late_entries']:>6} late "
              f"entries, snapshot {p[name]['snapshot_bytes']:>9,} B: "
              f"{result[f'{name}_fires_per_second']:>7} fires/s")
    print(f"long ÷ small {result['long_to_small_ratio']}×, large ÷ small "
          f"{result['large_to_small_ratio']}× (1.0 = flat; target ≥ 1/1.2)")


if __name__ == "__main__":
    main()
