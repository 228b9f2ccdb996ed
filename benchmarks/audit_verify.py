"""How long the auditor's checks take over N events, and how much memory the walk needs.

    python benchmarks/audit_verify.py [--events 10000,100000] [--streams 200]
                                      [--backend-url URL] [--json]

For each N a fresh database gets N synthetic events spread over S procurement streams (each a
hash chain like any other; payloads shaped like transition events: trigger, data, checks with
legal sources, ~0.6 kB of canonical JSON). Then it times:

* ``audit verify`` — the full walk from the stored rows (hash, body vs columns, links, order,
  heads, pinned definitions);
* ``audit seal`` — verify again, then sign a checkpoint of every head;
* ``audit verify --checkpoint`` — the walk plus the checkpoint's checks;
* ``audit export --format jsonl``.

and the peak Python memory of the verify walk (tracemalloc, in a separate pass because tracing
slows it down). Bounded memory shows as a peak that does not grow with N for a fixed number
of streams (the walk keeps one small record per stream and one batch of rows).

On SQLite it then compares ``audit verify`` with the reference, a bare ``sqlite3`` read of the
stored bodies and hashes in global order, each body inflated (migration 0006 keeps it once,
deflated) and SHA-256 of it (``bare_walk``), over the same file, ``--rounds`` interleaved
rounds; it prints events/s of both (medians) and the median of the per-round ratios
bare/verify (1.0 = as fast as the bare loop), in wall seconds and in CPU seconds. In the same
rounds: ``audit verify --jobs 2`` (its speed-up over one process, and the CPU it got as a
share of one core) and, for information, the bare loop over the same bodies as plain text in
a table of their own (the layout before 0006). Then, for each size, ``audit verify`` as a
process of its own with its wall time and peak RSS (bounded memory: the peak does not grow
with N for a fixed number of streams). ``--bare-only`` skips the seal, export and
tracemalloc measurements (what ``make bench`` runs).

What the profiler showed (issue 17): before, rebuilding each body from the columns to compare
it with the stored body (32%) and fetching payload and body both (23%); then the database's
comparison (json_quote) took 2 us a row. Since 0006 the columns that repeat a field of the
body are only the lookup ones (global_seq, stream_id, stream_seq, type, actor): the fast path
hashes the inflated bytes and compares those columns with the body's first and last bytes
(canonical JSON sorts the keys: actor and global_seq open it, stream_id, stream_seq and type
close it), finds prev_hash and pins from the end, and reads the rows through the driver's own
cursor in one statement (SQLAlchemy's Row objects were 20% of the walk).

Third pass (cProfile over 100k events, 1.18 s under the profiler): the fast-path method 30%
of the time in its own lines, the generator that inflated each row and built an 8-tuple 9%,
the loop calling one into the other 5%; the rest is what the bare loop does too — inflating
19%, fetchmany 11%, SHA-256 + hexdigest 9%. Now one loop (ChainVerifier.feed_stored) fetches,
inflates and checks each sound row with every name bound locally, and counts the rows
instead of adding per row: 6% less CPU than before, in-process A/B over 15 interleaved rounds
(CPU seconds: bare 0.44, before 0.68, after 0.64; ratio to bare 1.54 → 1.48). This script
with ``--bare-only --rounds 5`` at 100k events, after and before back to back at 18:05 UTC
(load 2.2): 1.48 (CPU 1.48) against 1.70 (CPU 1.71); in two earlier pairs at load 2.8–3.9 the
two were within noise of each other (1.62–1.63 against 1.55–1.57). What is left is
spread thinly, measured by adding the checks one at a time to a bare loop (CPU seconds over
100k events, bare 0.43): the five lookup columns fetched beside codec, deflated and hash
+0.05 (sqlite3 makes a Python object per value: ~150 ns the two integers, ~130 ns each id
and type, ~240 ns the actor with Chinese in it), the sequence and tail bookkeeping +0.06, the
columns against the body's first and last bytes +0.065, the link and the pins +0.04 — about
twenty 40–80 ns operations a row, none worth more than a few per cent. Tried and dropped: a
prepared Decompress.copy() per row (0.88 us against 0.15 us for a new decompressobj: it copies
the 32 KB window); per-actor format templates (no difference); SQLite building the expected
first and last bytes (printf or ||: +0.06 s in the database, what it saves in Python);
text_factory=bytes (0.17 us a row less, but it cannot tell a TEXT column from a BLOB one: a
weaker check); batches of 100–1000 rows are alike, 5000 is 7% slower (cache).

``--jobs 2`` was no faster because of a serial query after the processes: the gaps in
global_seq by a window function over every row, 0.10–0.18 s of 100k events (a quarter of the
single walk), with the parent idle meanwhile. Now the processes count the numbers they
walked, and the parent looks for gaps only when these are not every number from the lowest
to the highest (two index lookups, 2 ms). The split is even (50,000/50,000 events over 200
streams), the processes are forked 15–30 ms after the start (the parent's pooled connection
is open then but never used by them: each opens its own engine), and each scans the other's
rows in the index only to skip them (0.015 s). The parent now spends 0.02 s CPU against 0.2 s
before; each process 0.35–0.39 s against 0.64–0.68 s for the single walk, so with two free
cores the walk takes about 0.4 s against 0.65 s (1.6×). In this session a national-year
benchmark and other helpers kept the machine's 2 cores busy (load 2.5–4): one `audit
verify --jobs 2` process pair got 106–114% CPU (of one core) — about one core between them —
and ran 1.03× the single walk (median of 5 interleaved rounds), against 0.90–0.93× before.
In the same conditions the wall ratios above swing by ±0.15 from run to run, which is why the
CPU-second ratio is printed beside them.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tenderflow.store.eventstore import EventStore, NewEvent

T = "2023-03-01T09:00:00+08:00"
KINDS = ("workflow", "parameters", "calendar")


def payload(i: int) -> dict[str, Any]:
    return {
        "trigger": "record_round", "from": "negotiating", "to": "negotiating",
        "data": {"round": i + 1, "met": [f"S-{i % 7:04d}"], "group_present": ["刘专家", "周专家",
                                                                         "采购人代表张"],
                 "changes": ["电梯井道施工工期由120日调整为100日"], "notified": ["S-0001"]},
        "checks": [{"guard": "round_whole_group", "rule": "negotiation.round_whole_group",
                    "source": "政府采购法 第38条第(三)项"},
                   {"guard": "changes_notified", "rule": "negotiation.changes_notified",
                    "source": "政府采购法 第38条第(三)项"}],
    }


def generate(store: EventStore, events: int, streams: int, batch: int = 10000) -> None:
    """``events`` events over ``streams`` streams, appended in batches, streams interleaved
    (as a busy centre's log is), with the pinned definitions stored."""
    from tenderflow.store.canonical import canonical_json, sha256_hex

    with store.transaction() as tx:
        for kind in KINDS:
            body = canonical_json({"synthetic": kind})
            tx.pin_definition(sha256_hex(body), kind, f"synthetic {kind}", body)
    pins = {}
    with store.reading() as tx:
        for row in tx.definitions():
            pins[row.kind] = row.hash
    per_stream = [events // streams + (1 if s < events % streams else 0) for s in range(streams)]
    versions = [0] * streams
    done = 0
    while done < events:
        with store.transaction() as tx:
            for s in range(streams):
                n = min(batch // streams or 1, per_stream[s] - versions[s])
                if n <= 0:
                    continue
                tx.append(f"procurement:BENCH-{s:05d}", versions[s],
                          [NewEvent("NegotiationRoundRecorded", payload(versions[s] + i), T,
                                    "evaluator:刘专家", pins) for i in range(n)], T)
                versions[s] += n
                done += n


def bare_walk(path: str) -> int:
    """The reference: a bare ``sqlite3`` read of the stored bodies and hashes in global order,
    each body inflated with its dictionary (the store keeps it deflated, migration 0006: the
    bytes the hash covers are only there once) and SHA-256 of it compared with its hash (no
    framework, no other check)."""
    import hashlib
    import sqlite3
    import zlib

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    n = 0
    try:
        dictionaries = dict(con.execute("SELECT id, dictionary FROM body_codecs"))
        for codec, stored, digest in con.execute(
                "SELECT codec, deflated, hash FROM events ORDER BY global_seq"):
            d = dictionaries[codec]
            z = zlib.decompressobj(-15, d) if d else zlib.decompressobj(-15)
            if hashlib.sha256(z.decompress(stored)).hexdigest() != digest:
                raise AssertionError("a stored body does not hash to its hash")
            n += 1
    finally:
        con.close()
    return n


def text_copy(path: str) -> str:
    """The same bodies as plain text in a table of their own (the layout before 0006, body
    and hash only), beside the database: for the reference that needs no inflating."""
    import sqlite3

    from tenderflow.store.eventstore import EventStore

    out = path + ".text.db"
    Path(out).unlink(missing_ok=True)
    con = sqlite3.connect(out)
    con.execute("CREATE TABLE events (global_seq INTEGER PRIMARY KEY, body TEXT, hash TEXT)")
    store = EventStore(f"sqlite:///{path}")
    with store.reading() as tx:
        con.executemany("INSERT INTO events VALUES (?,?,?)",
                        ((r.global_seq, r.body, r.hash) for r in tx.raw_events()))
    store.dispose()
    con.commit()
    con.close()
    return out


def bare_text_walk(path: str) -> int:
    """The reference of before 0006: bodies stored as text, read and hashed."""
    import hashlib
    import sqlite3

    con = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    n = 0
    try:
        for body, digest in con.execute("SELECT body, hash FROM events ORDER BY global_seq"):
            if hashlib.sha256(body.encode("utf-8")).hexdigest() != digest:
                raise AssertionError("a stored body does not hash to its hash")
            n += 1
    finally:
        con.close()
    return n


def verify_against_bare(url: str, rounds: int, jobs: int = 2) -> dict[str, Any]:
    """``audit verify`` (verify_store, and with ``jobs`` processes) and the bare loops over the
    same SQLite file, rounds interleaved; events/s of each as the median over rounds, and the
    ratios."""
    from tenderflow.audit.verify_jobs import verify_store

    path = url.removeprefix("sqlite:///")
    text = text_copy(path)
    store = EventStore(url)
    ours, many, bare, bare_text = [], [], [], []
    cpu_ratios, jobs_cpu = [], []
    for _ in range(rounds):
        took, cpu, (report, _) = timed_cpu(lambda: verify_store(store))
        assert report.ok, [p.text for p in report.problems[:3]]
        ours.append(report.events / took)
        took, bare_cpu, n = timed_cpu(lambda: bare_walk(path))
        bare.append(n / took)
        cpu_ratios.append(cpu / bare_cpu)
        took, cpu, (report, _) = timed_cpu(lambda: verify_store(store, jobs=jobs))
        assert report.ok, [p.text for p in report.problems[:3]]
        many.append(report.events / took)
        jobs_cpu.append(cpu / took)
        took, n = timed(lambda: bare_text_walk(text))
        bare_text.append(n / took)
    store.dispose()
    Path(text).unlink()
    ratios = [b / o for o, b in zip(ours, bare, strict=True)]
    text_ratios = [b / o for o, b in zip(ours, bare_text, strict=True)]
    speedups = [j / o for o, j in zip(ours, many, strict=True)]
    return {"verify_events_per_s": round(statistics.median(ours)),
            "bare_events_per_s": round(statistics.median(bare)),
            "bare_to_verify_ratio": round(statistics.median(ratios), 2),
            "bare_to_verify_cpu_ratio": round(statistics.median(cpu_ratios), 2),
            "bare_text_events_per_s": round(statistics.median(bare_text)),
            "bare_text_to_verify_ratio": round(statistics.median(text_ratios), 2),
            "jobs": jobs, "jobs_events_per_s": round(statistics.median(many)),
            "jobs_speedup": round(statistics.median(speedups), 2),
            "jobs_cpu_percent": round(100 * statistics.median(jobs_cpu)), "rounds": rounds}


def peak_rss(url: str, jobs: int = 1) -> dict[str, Any]:
    """``audit verify`` in a process of its own: its wall time and peak RSS (ru_maxrss; with
    ``jobs`` > 1 the largest of the parent and its processes)."""
    import subprocess

    code = ("import json, resource, sys, time\n"
            "from tenderflow.audit.verify_jobs import verify_store\n"
            "from tenderflow.store.eventstore import EventStore\n"
            "t = time.perf_counter()\n"
            f"report, _ = verify_store(EventStore({url!r}), jobs={jobs})\n"
            "took = time.perf_counter() - t\n"
            "rss = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,\n"
            "          resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)\n"
            "print(json.dumps({'ok': report.ok, 'events': report.events, 's': took,\n"
            "                  'peak_rss_mb': rss / 1024}))\n")
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                         text=True, cwd=Path(__file__).resolve().parent.parent).stdout
    got = json.loads(out)
    assert got["ok"], got
    return {"events": got["events"], "verify_s": round(got["s"], 2), "jobs": jobs,
            "peak_rss_mb": round(got["peak_rss_mb"], 1)}


def timed(fn: Any) -> tuple[float, Any]:
    t0 = time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, result


def timed_cpu(fn: Any) -> tuple[float, float, Any]:
    """Wall seconds, CPU seconds (this process and the processes it waited for: --jobs) and
    the result. On a shared machine the CPU seconds say how much work was done, the wall
    seconds how much of a core it got."""
    import resource

    def cpu() -> float:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        return time.process_time() + children.ru_utime + children.ru_stime

    c0, t0 = cpu(), time.perf_counter()
    result = fn()
    return time.perf_counter() - t0, cpu() - c0, result


def run(url: str, events: int, streams: int, tmp: Path) -> dict[str, Any]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tenderflow.audit.export import export_jsonl
    from tenderflow.audit.seal import seal, verify_with_checkpoint
    from tenderflow.audit.verify import verify_store

    store = EventStore(url)
    store.migrate()
    gen_s, _ = timed(lambda: generate(store, events, streams))
    verify_s, (report, _) = timed(lambda: verify_store(store))
    assert report.ok and report.events == events, [p.text for p in report.problems[:3]]
    tracemalloc.start()
    verify_store(store)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    key = Ed25519PrivateKey.generate()
    checkpoint = tmp / f"seal-{events}.json"
    seal_s, _ = timed(lambda: seal(store, key, checkpoint, "auditor:bench", T))
    check_s, checked = timed(lambda: verify_with_checkpoint(store, checkpoint))
    assert checked.ok
    export_s, count = timed(lambda: export_jsonl(store, tmp / f"events-{events}.jsonl"))
    assert count == events
    size = (tmp / f"events-{events}.jsonl").stat().st_size
    store.dispose()
    return {
        "events": events, "streams": streams, "generate_s": round(gen_s, 2),
        "verify_s": round(verify_s, 3), "verify_events_per_s": round(events / verify_s),
        "verify_peak_python_mb": round(peak / 2**20, 2),
        "seal_s": round(seal_s, 3), "verify_with_checkpoint_s": round(check_s, 3),
        "export_jsonl_s": round(export_s, 3), "jsonl_mb": round(size / 2**20, 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", default="10000,100000", help="comma-separated sizes")
    ap.add_argument("--streams", type=int, default=200)
    ap.add_argument("--backend-url", help="an empty database URL (default: fresh SQLite files)")
    ap.add_argument("--rounds", type=int, default=5,
                    help="interleaved rounds of verify against the bare loop (SQLite only)")
    ap.add_argument("--bare-only", action="store_true",
                    help="only the comparison with the bare loop, at each size")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    sizes = [int(x) for x in args.events.split(",")]
    if args.backend_url and len(sizes) > 1:
        ap.error("with --backend-url give one size (the database must start empty)")
    tmp = Path(tempfile.mkdtemp(prefix="tf-audit-bench-"))
    results = []
    for n in sizes:
        url = args.backend_url or f"sqlite:///{tmp}/audit-{n}.db"
        if args.bare_only:
            store = EventStore(url)
            store.migrate()
            t0 = time.perf_counter()
            generate(store, n, args.streams)
            gen_s = time.perf_counter() - t0
            store.dispose()
            results.append({"events": n, "streams": args.streams, "generate_s": round(gen_s, 1)})
            if url.startswith("sqlite:///"):
                results[-1]["bytes_per_event"] = round(
                    Path(url.removeprefix("sqlite:///")).stat().st_size / n)
        else:
            results.append(run(url, n, args.streams, tmp))
        results[-1]["process"] = peak_rss(url)
        if url.startswith("sqlite:///"):
            results[-1]["against_bare"] = verify_against_bare(url, args.rounds)
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        if "against_bare" in r:
            b = r["against_bare"]
            print(f"{r['events']:>9} events: verify {b['verify_events_per_s']} events/s, bare "
                  f"sqlite3 read + sha256 {b['bare_events_per_s']} events/s: bare/verify "
                  f"{b['bare_to_verify_ratio']} (median of {b['rounds']} interleaved rounds; "
                  f"in CPU seconds {b['bare_to_verify_cpu_ratio']}); "
                  f"bare over text bodies {b['bare_text_events_per_s']} events/s: "
                  f"{b['bare_text_to_verify_ratio']}; --jobs {b['jobs']} "
                  f"{b['jobs_events_per_s']} events/s ({b['jobs_speedup']}× one process, "
                  f"CPU {b['jobs_cpu_percent']}% of one core)")
        pr = r["process"]
        print(f"{r['events']:>9} events: `audit verify` as a process {pr['verify_s']} s, peak RSS "
              f"{pr['peak_rss_mb']} MB")
    if args.bare_only:
        return
    print(f"audit over synthetic logs ({args.streams} streams; "
          f"{args.backend_url or 'SQLite files in ' + str(tmp)})")
    print(f"{'events':>9} {'verify s':>9} {'events/s':>9} {'peak MB':>8} {'seal s':>8} "
          f"{'+ckpt s':>8} {'jsonl s':>8} {'jsonl MB':>9}")
    for r in results:
        print(f"{r['events']:>9} {r['verify_s']:>9} {r['verify_events_per_s']:>9} "
              f"{r['verify_peak_python_mb']:>8} {r['seal_s']:>8} "
              f"{r['verify_with_checkpoint_s']:>8} {r['export_jsonl_s']:>8} {r['jsonl_mb']:>9}")


if __name__ == "__main__":
    main()
