"""Append throughput of the event store at stream lengths 10 and 10,000 (and more).

Appending must cost the same whatever a stream's length (DESIGN §10): the head row gives the
expected version and previous hash, so no append re-reads history. Run with `make bench`.

    python benchmarks/run.py [--backend-url URL] [--appends N]

Prints events/second for single-event transactions appended to a stream that already holds
10 and 10,000 events, and the ratio between them (1.0 = no slowdown with length); also the
cost of one `fire` through the services (decide + append + snapshot) at both lengths.
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


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--backend-url", help="database URL (default: a fresh SQLite file)")
    ap.add_argument("--appends", type=int, default=300)
    ap.add_argument("--lengths", default="10,10000")
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
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print(f"backend: {results['backend']}, {args.appends} single-event appends per length")
        for k, v in results["events_per_second"].items():
            print(f"  stream length {int(k):>6}: {v:>8} events/s (median)")
        print(f"  ratio (length {lengths[-1]} / length {lengths[0]}): "
              f"{results['ratio_longest_to_shortest']}")


if __name__ == "__main__":
    main()
