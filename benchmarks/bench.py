"""`make bench`: every benchmark at a size that finishes in a few minutes, one table of issue 17's
targets with their ratios against references measured in the same run.

    python benchmarks/bench.py [--out results.json] [--quick]

Each benchmark runs as its own process with ``--json`` (each interleaves its rounds with its
own reference, so a busy machine slows both alike); this collects the JSON, writes it all to
``--out`` when given, and prints the machine (nproc, CPU model, Python, load average before
and after) and the table. "met" compares the ratio with the issue's target; a target no
benchmark measures is listed as "not measured", never as met.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
HERE = ROOT / "benchmarks"

# name → argv after the script (sizes for `make bench`; --quick: smaller, for a smoke run)
RUNS: dict[str, tuple[str, list[str], list[str]]] = {
    "startup": ("startup.py", ["--rounds", "7"], ["--rounds", "2"]),
    "run": ("run.py", ["--appends", "200", "--fires", "40", "--rounds", "5",
                       "--fire-length", "2000"],
            ["--appends", "30", "--lengths", "10,1000", "--fires", "10", "--rounds", "2",
             "--fire-length", "100"]),
    "peer": ("peer_eventsourcing.py", ["--aggregates", "20", "--events", "20", "--rounds", "3"],
             ["--aggregates", "5", "--events", "5", "--rounds", "1"]),
    "verify": ("audit_verify.py", ["--events", "20000,100000", "--bare-only", "--rounds", "5"],
               ["--events", "2000,5000", "--bare-only", "--rounds", "2"]),
    "replay": ("replay.py", ["--sizes", "200,1000", "--rounds", "3", "--jobs", "2"],
               ["--sizes", "10,40", "--rounds", "1", "--jobs", "2"]),
    "generate": ("generate.py", ["--procurements", "200"], ["--procurements", "20"]),
    "agreement": ("agreement.py", ["--repeats", "5"], ["--repeats", "1"]),
    "fold": ("fold.py", ["--rounds", "20"], ["--rounds", "2"]),
    "eligibility": ("eligibility.py", ["--sizes", "1000", "--service", "200"],
                    ["--sizes", "200", "--service", "50"]),
    "fire_state": ("fire_state.py", ["--entries", "10000", "--fires", "20", "--rounds", "5"],
                   ["--entries", "200", "--fires", "5", "--rounds", "1"]),
}
NATIONAL_YEAR = 51_189


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version(),
            "platform": platform.platform(), "load_before": os.getloadavg(),
            "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")}


def run(name: str, quick: bool) -> dict[str, Any]:
    script, full, small = RUNS[name]
    argv = [sys.executable, str(HERE / script), *(small if quick else full), "--json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t0 = time.perf_counter()
    out = subprocess.run(argv, cwd=ROOT, env=env, capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    if out.returncode != 0:
        sys.exit(f"bench: {script} failed (exit {out.returncode}):\n{out.stderr[-3000:]}")
    print(f"  {script} {' '.join(small if quick else full)}: {took:.0f} s", file=sys.stderr)
    return {"argv": argv[1:], "seconds": round(took, 1), "result": json.loads(out.stdout)}


def rows(r: dict[str, Any]) -> list[tuple[str, str, str, str, str]]:
    """(target, measured, reference, ratio, met) for every target of issue 17."""
    out: list[tuple[str, str, str, str, str]] = []

    def met(ok: bool) -> str:
        return "yes" if ok else "NO"

    cmds = r["startup"]["result"]["commands"]
    py = cmds["python -c pass"]["ms"]
    for name in ("tenderflow status OT-2023-001", "tenderflow next OT-2023-001",
                 "tenderflow list"):
        c = cmds[name]
        out.append((f"`{name.split()[1]}` < 300 ms and ≤ 5× python -c pass", f"{c['ms']:.0f} ms",
                    f"python -c pass {py:.0f} ms", f"{c['ratio_to_python']}×",
                    met(c["ms"] < 300 and c["ratio_to_python"] <= 5)))
    c = cmds["tenderflow --help"]
    out.append(("`--help` ≤ 2× python -c pass", f"{c['ms']:.0f} ms", f"python -c pass {py:.0f} ms",
                f"{c['ratio_to_python']}×", met(c["ratio_to_python"] <= 2)))

    p = r["peer"]["result"]
    out.append(((f"`fire` ≥ eventsourcing, {p['aggregates']}×{p['events_per_aggregate']} commit "
                "each (append)"), f"{p['fire']['append_events_per_s']} ev/s",
                f"eventsourcing {p['eventsourcing']['append_events_per_s']} ev/s",
                f"{p['fire_to_eventsourcing_append']}×",
                met(p["fire_to_eventsourcing_append"] >= 1.0)))
    out.append(("(info) `fire` vs eventsourcing recording the same ~25 kB evaluation per event",
                f"{p['fire']['append_events_per_s']} ev/s",
                f"eventsourcing {p['eventsourcing_same_payload']['append_events_per_s']} ev/s",
                f"{p['fire_to_eventsourcing_same_payload_append']}×", "—"))
    out.append(("(info) store append vs eventsourcing, same workload",
                f"{p['store']['append_events_per_s']} ev/s",
                f"eventsourcing {p['eventsourcing']['append_events_per_s']} ev/s",
                f"{p['store_to_eventsourcing_append']}×", "—"))
    out.append(("(info) read back: fire side / store vs eventsourcing",
                f"{p['fire']['read_events_per_s']} / {p['store']['read_events_per_s']} ev/s",
                f"eventsourcing {p['eventsourcing']['read_events_per_s']} ev/s",
                f"{p['fire_to_eventsourcing_read']}× / {p['store_to_eventsourcing_read']}×", "—"))
    f = r["run"]["result"]["fire"]
    out.append(("(info) `fire` vs bare SQLAlchemy insert+commit", f"{f['fires_per_second']}/s",
                f"bare {f['bare_inserts_per_second']}/s", f"{f['fire_to_bare_ratio']}×", "—"))
    # What fire's own work costs at the least: the eligibility evaluation of the three
    # candidates (eligibility.py, per candidate) and the commit of a check's event row (~25 kB
    # of JSON, ~4.5 kB deflated) through bare sqlite3 (run.py) — nothing else a fire does —
    # against eventsourcing's whole event in the peer's run.
    el = r["eligibility"]["result"]
    per_candidate = min(e["seconds_per_thousand"] for e in el["evaluate"].values()) / 1000
    bound = 1 / (3 * per_candidate + 1 / f["raw_inserts_per_second"])
    es = p["eventsourcing"]["append_events_per_s"]
    out.append(((f"(info) the most `fire` could do: 3 candidates evaluated "
                 f"({1000 * per_candidate:.2f} ms each) + its {f['row_bytes']:,}-byte row "
                 f"committed through bare sqlite3 ({f['raw_inserts_per_second']}/s), nothing "
                 "else"), f"{bound:.1f} ev/s", f"eventsourcing {es} ev/s",
                f"{bound / es:.3f}×", "—"))
    a = r["run"]["result"]
    lengths = sorted(a["events_per_second"], key=int)
    out.append(((f"append flat in stream length ({lengths[-1]} vs {lengths[0]} events; store "
                "append, within 1.2×)"), f"{a['events_per_second'][lengths[-1]]} ev/s",
                f"{a['events_per_second'][lengths[0]]} ev/s",
                f"{a['ratio_longest_to_shortest']}×",
                met(a["ratio_longest_to_shortest"] >= 1 / 1.2)))
    fl = a["fire_length"]
    out.append(((f"`fire` flat in stream length ({fl['long_stream_events']:,} events vs a short "
                "stream, within 1.2×; target 10k)"), f"{fl['long_fires_per_second']} fires/s",
                f"{fl['short_fires_per_second']} fires/s", f"{fl['long_to_short_ratio']}×",
                met(fl["long_to_short_ratio"] >= 1 / 1.2)))
    fs = r["fire_state"]["result"]
    for name, what in (("long", "stream length"), ("large", "state size")):
        sized = fs["procurements"][name]
        out.append(((f"`fire` flat in {what} ({sized['events']:,} events, "
                    f"{sized['late_entries']:,} late entries, snapshot "
                    f"{sized['snapshot_bytes'] // 1024:,} kB; vs small; within 1.2×)"),
                    f"{fs[name + '_fires_per_second']} fires/s",
                    f"{fs['small_fires_per_second']} fires/s",
                    f"{fs[name + '_to_small_ratio']}×",
                    met(fs[name + "_to_small_ratio"] >= 1 / 1.2)))

    v = r["verify"]["result"][-1]
    b = v["against_bare"]
    out.append(((f"`audit verify` ≤ 1.5× bare sqlite3 read + inflate + sha256 "
                 f"({v['events']:,} events)"), f"{b['verify_events_per_s']:,} ev/s",
                f"bare {b['bare_events_per_s']:,} ev/s", f"{b['bare_to_verify_ratio']}× slower",
                met(b["bare_to_verify_ratio"] <= 1.5)))
    out.append(("(info) the same against a bare loop over the bodies as plain text (no inflate)",
                f"{b['verify_events_per_s']:,} ev/s", f"bare {b['bare_text_events_per_s']:,} ev/s",
                f"{b['bare_text_to_verify_ratio']}× slower", "—"))
    secs = 1_000_000 / b["verify_events_per_s"]
    out.append(("`audit verify` 1M events < 20 s (EXTRAPOLATED from the rate above)",
                f"{secs:.1f} s", "20 s", f"{secs / 20:.2f}×", met(secs < 20)))
    sizes = r["verify"]["result"]
    small, large = sizes[0]["process"], sizes[-1]["process"]
    growth = large["peak_rss_mb"] / small["peak_rss_mb"]
    out.append(((f"`audit verify` memory bounded by streams: peak RSS at {large['events']:,} vs "
                 f"{small['events']:,} events, {sizes[-1]['streams']} streams (within 1.2×)"),
                f"{large['peak_rss_mb']} MB", f"{small['peak_rss_mb']} MB", f"{growth:.2f}×",
                met(growth <= 1.2)))
    out.append(((f"`audit verify --jobs {b['jobs']}` uses {b['jobs']} cores (speed-up over one "
                 f"process ≥ {0.75 * b['jobs']:.1f}×)"), f"{b['jobs_events_per_s']:,} ev/s",
                f"{b['verify_events_per_s']:,} ev/s", f"{b['jobs_speedup']}×",
                met(b["jobs_speedup"] >= 0.75 * b["jobs"])))

    rp = r["replay"]["result"]
    ms = rp["ms_per_procurement"]
    sizes = sorted(ms, key=int)
    out.append((f"`audit replay --all` flat per procurement ({sizes[-1]} vs {sizes[0]})",
                f"{ms[sizes[-1]]} ms/proc.", f"{ms[sizes[0]]} ms/proc.",
                f"{rp['ratio_largest_to_smallest']}×",
                met(rp["ratio_largest_to_smallest"] <= 1.2)))
    minutes = rp["national_year_minutes"]
    out.append((("national year replay < 15 min, one process (EXTRAPOLATED: replay.py's "
                 f"2-example mix, {rp['events_per_procurement']} events/proc., × 51,189)"),
                f"{minutes:.1f} min", "15 min", f"{minutes / 15:.2f}×", met(minutes < 15)))
    if "jobs" in rp:
        j = rp["jobs"]
        what = (f"`audit replay --all --jobs {j['n']}` ({j['size']} procurements): the same "
                f"report, ≥ {0.75 * j['n']:g}× one process")
        single = ms[str(j["size"])]
        out.append((what, f"{j['ms_per_procurement']} ms/proc.", f"one process {single} ms/proc.",
                    f"{j['speedup']}× faster",
                    met(j["same_report"] and j["speedup"] >= 0.75 * j["n"])))
        out.append((f"(info) national year replay with --jobs {j['n']} (EXTRAPOLATED)",
                    f"{j['national_year_minutes']} min", "15 min",
                    f"{j['national_year_minutes'] / 15:.2f}×", "—"))

    g = r["generate"]["result"]
    out.append(((f"storage < 1.5 kB/event, generated mix ({g['procurements']} procurements, "
                f"{g['events']} events)"), f"{g['bytes_per_event']} B/event", "1,500 B",
                f"{g['bytes_per_event'] / 1500:.2f}×", met(g["bytes_per_event"] < 1500)))
    out.append(("(info) generate through the services", f"{g['events_per_second']} ev/s",
                "—", "—", "—"))

    ag = r["agreement"]["result"]
    out.append(("four signatures ≤ 1.2× bare pyHanko", f"{ag['sign_total_s']} s",
                f"bare {ag['bare_pyhanko_four_s']} s", f"{ag['sign_to_bare_ratio']}×",
                met(ag["sign_to_bare_ratio"] <= 1.2)))
    fo = r["fold"]["result"]
    out.append(("(info) fold", f"{fo['us_per_event']} µs/event", "—", "—", "—"))
    for n, e in el["evaluate"].items():
        out.append((f"(info) eligibility: evaluate {int(n):,} candidates",
                     f"{e['seconds_per_thousand']} s per 1,000", "—", "—", "—"))
    if "service" in el:
        out.append(((f"(info) eligibility: recorded check of {el['service']['candidates']:,} "
                    "candidates through the services"), f"{el['service']['seconds']} s", "—",
                    "—", "—"))
    return out


def table(r: dict[str, Any]) -> str:
    lines = ["| target (issue 17) | measured | reference (same run) | ratio | met |",
             "|---|---|---|---|---|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows(r)]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="write every benchmark's JSON here")
    ap.add_argument("--quick", action="store_true", help="tiny sizes (a smoke run, no figures)")
    ap.add_argument("--only", help="comma-separated benchmark names (default: all)")
    args = ap.parse_args()
    info = machine()
    names = args.only.split(",") if args.only else list(RUNS)
    print(f"running {len(names)} benchmarks…", file=sys.stderr)
    results = {name: run(name, args.quick) for name in names}
    info["load_after"] = os.getloadavg()
    if args.out:
        args.out.write_text(json.dumps({"machine": info, "results": results}, indent=2,
                                       ensure_ascii=False), "utf-8")
    print(f"{info['date']}: {info['nproc']} × {info['cpu']}, Python {info['python']}, load "
          f"average {info['load_before'][0]:.2f} before, {info['load_after'][0]:.2f} after")
    if set(names) == set(RUNS):
        print(table(results))
    else:
        print(json.dumps({n: v["result"] for n, v in results.items()}, indent=2))


if __name__ == "__main__":
    main()
