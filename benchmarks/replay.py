"""``audit replay --all``: milliseconds per procurement at two sizes (flat = linear), and
``--jobs N`` against one process.

    python benchmarks/replay.py [--sizes 200,1000] [--rounds 3] [--jobs 2] [--json]

Builds a source log through the real services (examples/negotiation_award.yaml and
examples/tender_award.yaml: one negotiation and one open tender with suppliers, bids, award
and agreement), then, for each N, a database holding N procurements: the source streams
copied under new ids (``<id>-C0001`` …; every event appended again through the store, so the
chains, pins and business times are real, the id rewritten in the payloads, snapshots and
read model rows). Each round replays every size once in one process and then the largest
with ``jobs`` worker processes (interleaved, so a busy machine slows all alike); the figures
are medians over rounds of the replay's time divided by the number of procurement streams.
The ratio largest / smallest is 1.0 when the cost per procurement is flat; the ``--jobs``
speedup is one process's time over N's, and the two reports must be equal (same streams,
order, findings). This mix has ~19.5 events per procurement, generate.py's ~15.3: the national
year extrapolated from it (× 51,189 procurements) errs on the long side.

What the profiler showed (issue 17). First: ``procurement_rows()``, the whole
``procurements`` read model, was read once per procurement — quadratic; now once per run.
Then (cProfile, 400 procurements, 12.6 s under the profiler): comparing each re-decided payload
and the final state with the stored ones walked every value in Python
(``audit.diff.first_difference``, 1.37 s, plus a canonical-JSON round trip of each decided
payload, 0.56 s) — equal values are now told apart in C first (``==`` and sorted JSON text)
and only a difference is walked; every step with supplier facts read the supplier's whole
stream again (``_profile_before``, 0.63 s) — each supplier's profile history is now read once
per run. 12.6 → 9.6 s under the profiler. What remains is outside the audit package: the
engine's decision (``workflow.engine.decide``, half the time: the ``transitions`` machine
attaching the model at each step, 25%, and a jsonschema validator built per step, 12%) and
the fold's deep copy of each payload (16%). ``--jobs N`` splits the streams between N forked
workers (each with its own read-only, deferred SQLite transaction: the store's transactions
are ``BEGIN IMMEDIATE``, which would have run the workers one at a time).
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tenderflow.app.procurement import Services
from tenderflow.app.scenario import run_scenario
from tenderflow.audit.replay import replay
from tenderflow.paths import examples_dir
from tenderflow.store.eventstore import EventStore, NewEvent

EXAMPLES = ("negotiation_award.yaml", "tender_award.yaml")
NATIONAL_YEAR = 51_189  # procurements (communities) in the 2022 national plan


def source_log(path: Path) -> None:
    """The examples run through the services into a fresh SQLite file."""
    store = EventStore(f"sqlite:///{path}")
    store.migrate()
    services = Services(store)
    for name in EXAMPLES:
        report = run_scenario(services, examples_dir() / name)
        if not report.ok:
            sys.exit(f"{name} did not run: stopped at step {report.stopped_at}")
    store.dispose()


def _procurements(tx: Any) -> list[str]:
    return [s.partition(":")[2] for s in tx.stream_ids("procurement:")]


def _text(payload: Any) -> str:
    return json.dumps(payload, ensure_ascii=False)


def resealed(rows: list[Any], pid: str, new: str) -> list[tuple[str, str]]:
    """Sealed offers commit to their procurement's id: each commitment revealed in the stream,
    old → the same offer's commitment under the new id."""
    from tenderflow.domain.components.sealing import KINDS, commitment

    out = []
    texts = [_text(x.payload) for x in rows]
    for row in rows:
        data = row.payload.get("data") or {}
        for r in data.get("reveals") or () if isinstance(data, dict) else ():
            for kind in KINDS:
                old = commitment(pid, r["supplier"], kind, r["content"], r["nonce"])
                if any(old in text for text in texts):
                    out.append((old, commitment(new, r["supplier"], kind, r["content"],
                                                r["nonce"])))
    return out


def copy_procurements(store: EventStore, target: int) -> int:
    """Copy the source procurements under new ids until there are ``target`` of them."""
    with store.reading() as tx:
        sources = _procurements(tx)
        streams = {pid: list(tx.read_stream(f"procurement:{pid}")) for pid in sources}
        snaps = {pid: tx.stamped_snapshot(f"procurement:{pid}") for pid in sources}
        rows = {r.id: r for r in tx.procurement_rows()}
    count, k = len(sources), 0
    while count < target:
        k += 1
        for pid in sources:
            if count >= target:
                break
            new = f"{pid}-C{k:04d}"
            renames = [(f'"{pid}"', f'"{new}"')] + resealed(streams[pid], pid, new)

            def moved(text: str, renames: list[tuple[str, str]] = renames) -> Any:
                for old, repl in renames:
                    text = text.replace(old, repl)
                return json.loads(text)

            with store.transaction() as tx:
                for version, row in enumerate(streams[pid]):
                    tx.append(f"procurement:{new}", version, [NewEvent(
                        row.type, moved(_text(row.payload)), row.occurred_at, row.actor,
                        row.pins, row.schema_version)], row.recorded_at)
                snap = snaps[pid]
                assert snap is not None
                tx.save_snapshot(f"procurement:{new}", snap.version,
                                 moved(json.dumps(snap.state, ensure_ascii=False)),
                                 snap.fold_version)
                r = rows[pid]
                tx.save_procurement_row(new, r.project, r.mode, r.state, r.version, r.next_due)
            count += 1
    return count


def timed_replay(url: str, jobs: int = 1) -> tuple[float, int, dict[str, Any]]:
    store = EventStore(url)
    try:
        t0 = time.perf_counter()
        report = replay(store, jobs=jobs)
        took = time.perf_counter() - t0
    finally:
        store.dispose()
    bad = [s for s in report.streams if not s.ok]
    assert report.ok, [(s.stream, s.violation and s.violation.text, s.projection)
                       for s in bad[:3]] or report.problems[:3]
    procurements = sum(1 for s in report.streams if s.stream.startswith("procurement:"))
    return took, procurements, report.to_dict()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="200,1000")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--jobs", type=int, default=2, help="worker processes (0: not measured)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tf-bench-replay-"))
    source = tmp / "source.db"
    source_log(source)
    urls = {}
    events = {}
    for n in sorted(int(x) for x in args.sizes.split(",")):
        db = tmp / f"replay-{n}.db"
        shutil.copy(source, db)
        store = EventStore(f"sqlite:///{db}")
        copy_procurements(store, n)
        with store.reading() as tx:
            events[n] = sum(tx.head(s)[0] for s in tx.stream_ids("procurement:"))
        store.dispose()
        urls[n] = f"sqlite:///{db}"
    largest = max(urls)
    per: dict[int, list[float]] = {n: [] for n in urls}
    parallel: list[float] = []
    same = True
    for _ in range(args.rounds):
        for n, url in urls.items():
            took, procurements, single = timed_replay(url)
            per[n].append(took / procurements)
        if args.jobs > 1:
            took, procurements, multi = timed_replay(urls[largest], args.jobs)
            parallel.append(took / procurements)
            same = same and multi == single  # single: the largest size, this round
    ms = {n: statistics.median(v) * 1000 for n, v in per.items()}
    sizes = sorted(ms)
    result: dict[str, Any] = {
        "ms_per_procurement": {str(n): round(v, 2) for n, v in ms.items()},
        "ratio_largest_to_smallest": round(ms[sizes[-1]] / ms[sizes[0]], 3),
        "events_per_procurement": round(events[largest] / largest, 2),
        "national_year_minutes": round(ms[largest] * NATIONAL_YEAR / 60000, 1),
        "rounds": args.rounds}
    if parallel:
        pms = statistics.median(parallel) * 1000
        result["jobs"] = {"n": args.jobs, "size": largest, "ms_per_procurement": round(pms, 2),
                          "speedup": round(ms[largest] / pms, 3), "same_report": same,
                          "national_year_minutes": round(pms * NATIONAL_YEAR / 60000, 1)}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"audit replay --all (median of {args.rounds} interleaved rounds; "
          f"{result['events_per_procurement']} events per procurement)")
    for n in sizes:
        print(f"  {n:>6} procurements: {ms[n]:8.2f} ms/procurement")
    print(f"  ratio ({sizes[-1]} / {sizes[0]}): {result['ratio_largest_to_smallest']}")
    print(f"  national year ({NATIONAL_YEAR:,} procurements, extrapolated): "
          f"{result['national_year_minutes']} min")
    if parallel:
        j = result["jobs"]
        print(f"  --jobs {j['n']} at {largest}: {j['ms_per_procurement']} ms/procurement, "
              f"{j['speedup']}× one process, same report: {j['same_report']}; national year "
              f"{j['national_year_minutes']} min")


if __name__ == "__main__":
    main()
