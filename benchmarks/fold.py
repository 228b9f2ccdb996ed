"""Fold speed: every procurement stream of a recorded database folded from its events.

    python benchmarks/fold.py [DB] [--rounds 20] [--json]

Reads the procurement events of ``DB`` (default: tests/fixtures/store-main-dcece75.sqlite, the
demo's 13 procurements, 189 events) once, then folds every stream ``--rounds`` times with
:func:`tenderflow.domain.state.fold_all` and reports microseconds per event (median of three
runs). The events are parsed once; each round gets fresh copies, whose cost is measured apart
and subtracted, so the figure is the fold's own.

The fold applies each event to the state in place (issue 13, item 7); before, it deep-copied
the whole state per event. Measured on the development container (2 shared cores, a full test
run beside it), same database and rounds: in place 72–135 µs/event, copying 242–328 µs/event
(about 2–3× faster; the copy grew with the state, so long streams gained most).
"""

from __future__ import annotations

import argparse
import copy
import json
import sqlite3
import statistics
import time
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from tenderflow.domain.state import fold_all

FIXTURE = Path(__file__).resolve().parents[1] / "tests" / "fixtures" / "store-main-dcece75.sqlite"


def streams_of(db: Path) -> dict[str, list[Any]]:
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:
        rows = con.execute("SELECT stream_id, type, payload, occurred_at, stream_seq FROM events "
                           "WHERE stream_id LIKE 'procurement:%' ORDER BY global_seq").fetchall()
    out: dict[str, list[Any]] = {}
    for sid, kind, payload, at, seq in rows:
        out.setdefault(sid, []).append(SimpleNamespace(
            type=kind, payload=json.loads(payload), occurred_at=at, stream_seq=seq))
    return out


def one_run(streams: dict[str, list[Any]], rounds: int) -> float:
    """Seconds per event of folding, the copying of the input subtracted."""
    events = 0
    started = time.perf_counter()
    for _ in range(rounds):
        for sid, evs in streams.items():
            fold_all(sid.split(":", 1)[1], copy.deepcopy(evs))
            events += len(evs)
    folding = time.perf_counter() - started
    started = time.perf_counter()
    for _ in range(rounds):
        for evs in streams.values():
            copy.deepcopy(evs)
    return (folding - (time.perf_counter() - started)) / events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("db", nargs="?", type=Path, default=FIXTURE)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    streams = streams_of(args.db)
    per_event = statistics.median(one_run(streams, args.rounds) for _ in range(3))
    count = sum(len(v) for v in streams.values())
    if args.json:
        print(json.dumps({"procurements": len(streams), "events": count, "rounds": args.rounds,
                          "us_per_event": round(per_event * 1e6, 1)}))
        return
    print(f"fold: {len(streams)} procurements, {count} events, {args.rounds} rounds: "
          f"{per_event * 1e6:.1f} µs per event")


if __name__ == "__main__":
    main()
