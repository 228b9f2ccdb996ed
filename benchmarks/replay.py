"""``audit replay --all``: milliseconds per procurement at N=50 and N=400 (flat = linear).

    python benchmarks/replay.py [--sizes 50,400] [--rounds 3] [--json]

Builds a source log through the real services (examples/negotiation_award.yaml and
examples/tender_award.yaml: one negotiation and one open tender with suppliers, bids, award
and agreement), then, for each N, a database holding N procurements: the source streams
copied under new ids (``<id>-C0001`` …; every event appended again through the store, so the
chains, pins and business times are real, the id rewritten in the payloads, snapshots and
read model rows). Each round replays every size once (sizes interleaved, so a busy machine
slows all alike) and the figure is the median over rounds of the replay's time divided by the
number of procurement streams; the ratio N=400 / N=50 is 1.0 when the cost per procurement is
flat.

What the profiler showed (issue 17): ``procurement_rows()``, the whole ``procurements`` read
model, was read and indexed once per procurement in ``_projection_differences`` — quadratic.
Now ``replay`` reads it once per run and passes the rows down (a single ``replay_stream`` reads
its own row by key). Measured on the 2-core development container (a CI run beside it), the
code before and after run one after the other, medians of 3 interleaved rounds
(``--sizes 50,400,2000``):

    before: 50 → 15.60, 400 → 16.38, 2000 → 23.09 ms/procurement (2000/50: 1.48)
    after:  50 → 15.21, 400 → 14.82, 2000 → 15.05 ms/procurement (2000/50: 0.99)

At 400 the quadratic term is within the noise of this machine (earlier pairs of runs gave
400/50 ratios of 1.02–1.15 before and 0.89–1.15 after); at 2000 it is a third of the time,
and at a national year's 51,189 procurements it was most of it. What remains per event
(profile at N=400): comparing the replayed payloads and state (audit.diff.first_difference),
the fold's copies, and the ``transitions`` machine adding the model at every decision (20%).
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

from tenderflow.app.procurement import Services  # noqa: E402
from tenderflow.app.scenario import run_scenario  # noqa: E402
from tenderflow.audit.replay import replay  # noqa: E402
from tenderflow.paths import examples_dir  # noqa: E402
from tenderflow.store.eventstore import EventStore, NewEvent  # noqa: E402

EXAMPLES = ("negotiation_award.yaml", "tender_award.yaml")


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


def resealed(rows: list[Any], pid: str, new: str) -> list[tuple[str, str]]:
    """Sealed offers commit to their procurement's id: each commitment revealed in the stream,
    old → the same offer's commitment under the new id."""
    from tenderflow.domain.components.sealing import KINDS, commitment

    out = []
    for row in rows:
        data = json.loads(row.payload).get("data") or {}
        for r in data.get("reveals") or () if isinstance(data, dict) else ():
            for kind in KINDS:
                old = commitment(pid, r["supplier"], kind, r["content"], r["nonce"])
                if old in row.payload or any(old in x.payload for x in rows):
                    out.append((old, commitment(new, r["supplier"], kind, r["content"],
                                                r["nonce"])))
    return out


def copy_procurements(store: EventStore, target: int) -> int:
    """Copy the source procurements under new ids until there are ``target`` of them."""
    with store.reading() as tx:
        sources = _procurements(tx)
        streams = {pid: list(tx.raw_events(stream_id=f"procurement:{pid}")) for pid in sources}
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
                        row.type, moved(row.payload), row.occurred_at, row.actor,
                        json.loads(row.pins), row.schema_version)], row.recorded_at)
                snap = snaps[pid]
                assert snap is not None
                tx.save_snapshot(f"procurement:{new}", snap.version,
                                 moved(json.dumps(snap.state, ensure_ascii=False)),
                                 snap.fold_version)
                r = rows[pid]
                tx.save_procurement_row(new, r.project, r.mode, r.state, r.version, r.next_due)
            count += 1
    return count


def timed_replay(url: str) -> tuple[float, int]:
    store = EventStore(url)
    try:
        t0 = time.perf_counter()
        report = replay(store)
        took = time.perf_counter() - t0
    finally:
        store.dispose()
    bad = [s for s in report.streams if not s.ok]
    assert report.ok, [(s.stream, s.violation and s.violation.text, s.projection)
                       for s in bad[:3]] or report.problems[:3]
    return took, sum(1 for s in report.streams if s.stream.startswith("procurement:"))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="50,400")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tf-bench-replay-"))
    source = tmp / "source.db"
    source_log(source)
    urls = {}
    for n in [int(x) for x in args.sizes.split(",")]:
        db = tmp / f"replay-{n}.db"
        shutil.copy(source, db)
        store = EventStore(f"sqlite:///{db}")
        copy_procurements(store, n)
        store.dispose()
        urls[n] = f"sqlite:///{db}"
    per: dict[int, list[float]] = {n: [] for n in urls}
    for _ in range(args.rounds):
        for n, url in urls.items():
            took, procurements = timed_replay(url)
            per[n].append(took / procurements)
    ms = {n: statistics.median(v) * 1000 for n, v in per.items()}
    sizes = sorted(ms)
    result = {"ms_per_procurement": {str(n): round(v, 2) for n, v in ms.items()},
              "ratio_largest_to_smallest": round(ms[sizes[-1]] / ms[sizes[0]], 3),
              "rounds": args.rounds}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"audit replay --all (median of {args.rounds} interleaved rounds)")
    for n in sizes:
        print(f"  {n:>6} procurements: {ms[n]:8.2f} ms/procurement")
    print(f"  ratio ({sizes[-1]} / {sizes[0]}): {result['ratio_largest_to_smallest']}")


if __name__ == "__main__":
    main()
