"""A national year through generate → verify → replay: time, size and peak memory (issue 17).

    python benchmarks/full.py [--procurements 51189] [--seed 17] [--workdir DIR] [--json]

The 2022 national plan counted 51,189 communities. Three steps, each its own process, on one
SQLite file:

1. ``benchmarks/generate.py --procurements N`` — the log recorded through the real services
   (see generate.py);
2. ``tenderflow audit verify`` — the hash chains, bodies, links, heads and pinned definitions;
3. ``tenderflow audit replay --all`` — every procurement and registry re-decided and compared
   with its snapshots and read model.

For each step: wall time, peak memory (``ru_maxrss`` of that child process, from
``os.wait4``), and the exit status (verify and replay must find the log sound: a non-zero exit
stops the run); verify and replay are also run on an empty database, their fixed cost
(start-up). Then the database size and bytes per event. With N below 51,189 it also prints
a linear extrapolation to a national year, labelled as such (generate and replay are measured
per procurement, verify per event, less the fixed cost measured on the empty database;
replay.py checks that the cost per procurement is flat).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
NATIONAL_YEAR = 51_189


def step(argv: list[str], env: dict[str, str], out: Path, err: Path | None = None
         ) -> dict[str, Any]:
    """Run one step (its output to ``out``, its errors there too or to ``err``); its wall
    time, peak RSS and exit status."""
    t0 = time.perf_counter()
    with out.open("w") as stdout, (err or out).open("a") as stderr:
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=stdout,
                                stderr=subprocess.STDOUT if err is None else stderr)
        _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - t0
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    return {"seconds": round(took, 1), "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
            "exit": code}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--procurements", type=int, default=NATIONAL_YEAR)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--workdir", type=Path, help="where the database goes (default: a temp dir)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    work = args.workdir or Path(tempfile.mkdtemp(prefix="tf-bench-full-"))
    work.mkdir(parents=True, exist_ok=True)
    db = work / "national.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    url = f"sqlite:///{db}"
    env = dict(os.environ, PYTHONPATH=str(ROOT), TENDERFLOW_DB=url)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    tenderflow = str(BIN / "tenderflow")
    result: dict[str, Any] = {"procurements_asked": args.procurements, "seed": args.seed,
                              "database": str(db)}
    steps = {
        "generate": [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "--procurements",
                     str(args.procurements), "--seed", str(args.seed), "--db", url, "--json"],
        "verify": [tenderflow, "--db", url, "audit", "verify"],
        "replay": [tenderflow, "--db", url, "audit", "replay", "--all"],
    }
    for name, argv in steps.items():
        log = work / f"{name}.out"
        # generate's progress (events/s by tenth) goes to generate.progress as it runs
        err = work / "generate.progress" if name == "generate" else None
        if err is not None:
            err.unlink(missing_ok=True)
        result[name] = step(argv, env, log, err)
        if result[name]["exit"] != 0:
            sys.exit(f"full: {name} exited {result[name]['exit']}; see {log}:\n"
                     + log.read_text()[-2000:] + (err.read_text()[-2000:] if err else ""))
        if name == "generate":
            generated = json.loads(log.read_text())
            result["procurements"] = generated["procurements"]
            result["events"] = generated["events"]
            result["generate"]["events_per_second"] = generated["events_per_second"]
            result["generate"]["events_per_second_by_tenth"] = generated[
                "events_per_second_by_tenth"]
            result["generate"]["last_tenth_to_first"] = generated["last_tenth_to_first"]
    # The fixed cost of the two commands (start-up, imports, definitions): the same commands on
    # an empty database, so the extrapolation scales only what grows with the log.
    empty = work / "empty.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{empty}{suffix}").unlink(missing_ok=True)
    subprocess.run([sys.executable, "-c", ("import sys; from tenderflow.store.eventstore import "
                    "EventStore; EventStore(sys.argv[1]).migrate()"), f"sqlite:///{empty}"],
                   env=env, cwd=ROOT, check=True)
    for name in ("verify", "replay"):
        argv = [a if a != url else f"sqlite:///{empty}" for a in steps[name]]
        result[name]["empty_database_seconds"] = step(argv, env, work / "empty.out")["seconds"]
    size = db.stat().st_size
    n, events = result["procurements"], result["events"]
    result["database_mb"] = round(size / 2**20, 1)
    result["bytes_per_event"] = round(size / events)
    def grown(name: str, scale: float) -> float:
        fixed = min(result[name]["empty_database_seconds"], result[name]["seconds"])
        return fixed + (result[name]["seconds"] - fixed) * scale

    if n < NATIONAL_YEAR:
        scale = NATIONAL_YEAR / n
        result["extrapolated_to_national_year"] = {
            "note": f"linear extrapolation ×{scale:.2f} from {n} procurements, NOT measured",
            "events": round(events * scale),
            "generate_hours": round(result["generate"]["seconds"] * scale / 3600, 2),
            "verify_minutes": round(grown("verify", scale) / 60, 1),
            "replay_minutes": round(grown("replay", scale) / 60, 1),
            "database_gb": round(size * scale / 2**30, 2)}
    if args.json:
        print(json.dumps(result, indent=2))
        return
    print(f"national-year run: {n} procurements (seed {args.seed}), {events} events, "
          f"{result['database_mb']} MB ({result['bytes_per_event']} bytes/event)")
    for name in steps:
        r = result[name]
        fixed = (f"   (empty database: {r['empty_database_seconds']} s)"
                 if "empty_database_seconds" in r else "")
        print(f"  {name:9} {r['seconds']:>9} s   peak RSS {r['peak_rss_mb']:>8} MB{fixed}")
    g = result["generate"]
    if g.get("events_per_second_by_tenth"):
        print(f"  generate events/s by tenth of the procurements: "
              f"{', '.join(map(str, g['events_per_second_by_tenth']))} (last/first "
              f"{g['last_tenth_to_first']})")
    if "extrapolated_to_national_year" in result:
        x = result["extrapolated_to_national_year"]
        print(f"  EXTRAPOLATED to {NATIONAL_YEAR} procurements ({x['note']}): "
              f"{x['events']} events, generate {x['generate_hours']} h, verify "
              f"{x['verify_minutes']} min, replay {x['replay_minutes']} min, "
              f"{x['database_gb']} GB")


if __name__ == "__main__":
    main()
