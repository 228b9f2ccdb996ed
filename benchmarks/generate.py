"""A deterministic, seeded generator of realistic logs through the real services (issue 17).

    python benchmarks/generate.py --procurements N [--seed S] [--db URL] [--json]

Every event is legal because every event is recorded by ``tenderflow.app.scenario`` running the
bundled example scenarios (examples/*.yaml: negotiations with rounds, complaints, contracts and
lapses, open tenders with questions, scoring, failures and re-tenders, delegations, a PPP award)
through ``Services`` — the same guards, eligibility checks, credit imports, sealed offers and
pins as the CLI. Copy k of a template runs with its procurement ids renamed ``<id>-G<k>``
(sealed-offer commitments are then computed by the services under the new id). Each copy is
a community of its own: the projects its procurements are on are registered with it, their ids
renamed ``<id>-G<k>`` too (a national year is 51,189 communities, not 51,189 procurements on
the templates' few projects, which would make every project's list of procurements — read by a
re-opening's check — grow with the log). The suppliers are registered once per database and
referenced afterwards. Business times are
kept as the template has them: the templates' deadlines are counted in working days of the
pinned calendar, and a shifted date could land a deadline on a holiday, which would make the
copy a different (and possibly refused) procedure rather than the same one.

The seed picks the template of each copy (``random.Random(seed)``), so the same N and seed give
the same log: the same streams, event types, payloads, actors, business times (occurred_at)
and pins, in the same order (checked: two runs of 25 procurements, seed 5, equal row for row).
Only ``recorded_at`` — when the store recorded the event, the wall clock of the run — differs,
and with it the hashes, which cover it.

Prints procurements, events, seconds, events/s, database bytes per event and peak memory
(``resource.getrusage``, max RSS of this process). From 100 procurements it also measures
events/s over each tenth of them (a line on stderr as each tenth ends, and in the JSON with
the last tenth's rate over the first's): flat when nothing a step does grows with the log (the
first tenth also pays the start: imports, the first pins).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import yaml

from tenderflow.app.procurement import Services
from tenderflow.app.scenario import run_scenario
from tenderflow.paths import examples_dir
from tenderflow.store.eventstore import EventStore
from tenderflow.yamlio import safe_load

# The examples whose procurements are the generated mix: every procurement example (the two
# project-mode examples record a project's intake, not a procurement, and are left out; tour/
# is the README's walkthrough).
TEMPLATES = (
    "negotiation_award.yaml", "negotiation_rounds.yaml", "negotiation_complaint.yaml",
    "negotiation_contract.yaml", "negotiation_contract_lapsed.yaml", "negotiation_failed.yaml",
    "tender_award.yaml", "tender_scoring.yaml", "tender_question.yaml", "tender_failed.yaml",
    "tender_contract_lapsed.yaml", "delegation_award.yaml", "delegation_refused.yaml",
    "ppp_award.yaml",
)


# libyaml's emitter when PyYAML has it (the pure-Python one was 15% of a run)
DUMPER = getattr(yaml, "CSafeDumper", yaml.SafeDumper)


def _absolute_files(node: Any, base: Path) -> Any:
    """The template with every relative ``file:`` made absolute (the copy lives elsewhere)."""
    if isinstance(node, dict):
        return {k: (str(base / v) if k == "file" and isinstance(v, str)
                    and not Path(v).is_absolute() else _absolute_files(v, base))
                for k, v in node.items()}
    if isinstance(node, list):
        return [_absolute_files(x, base) for x in node]
    return node


def _renamed(node: Any, pattern: re.Pattern[str], names: dict[str, str]) -> Any:
    if isinstance(node, dict):
        return {_renamed(k, pattern, names): _renamed(v, pattern, names)
                for k, v in node.items()}
    if isinstance(node, list):
        return [_renamed(x, pattern, names) for x in node]
    if isinstance(node, str):
        return pattern.sub(lambda m: names[m.group(0)], node)
    return node


def resealed(template: dict[str, Any], names: dict[str, str]) -> dict[str, str]:
    """Old commitment → new, for every offer revealed in the template's steps."""
    from tenderflow.domain.components.sealing import KINDS, commitment

    out = {}
    for step in template.get("steps") or ():
        pid = step.get("on")
        for r in (step.get("with") or {}).get("reveals") or () if pid in names else ():
            for kind in KINDS:
                old = commitment(pid, r["supplier"], kind, r["content"], r["nonce"])
                out[old] = commitment(names[pid], r["supplier"], kind, r["content"],
                                      r["nonce"])
    return out


def project_records(template: dict[str, Any]) -> list[dict[str, Any]]:
    """The project records a template registers (its ``projects`` files and inline records),
    only those its procurements are on."""
    from tenderflow.app.registration import read_records

    key = id(template)
    if key in _PROJECTS:
        return _PROJECTS[key]
    used = {p["project"] for p in template["procurements"]}
    records: list[dict[str, Any]] = []
    for item in template.get("projects") or ():
        if set(item) == {"file"}:
            records += [rec for _, rec in read_records(Path(item["file"]), "projects")]
        else:
            records.append(item)
    found = _PROJECTS[key] = [r for r in records if r["id"] in used]
    return found


_PROJECTS: dict[int, list[dict[str, Any]]] = {}  # template (its id()) → its project records


def copy_of(template: dict[str, Any], k: int, registered: bool) -> tuple[dict[str, Any], int]:
    """Copy ``k`` of a loaded template: procurement and project ids renamed (each copy is a
    community of its own, registered with it, as each of a national year's 51,189 is), the
    suppliers dropped once registered."""
    projects = project_records(template)
    ids = [p["id"] for p in template["procurements"]] + [r["id"] for r in projects]
    names = {pid: f"{pid}-G{k:05d}" for pid in ids}
    pattern = re.compile(r"(?<![\w-])(" + "|".join(map(re.escape, sorted(ids, key=len,
                                                                            reverse=True)))
                         + r")(?![\w])")
    copy = _renamed(template, pattern, names)
    # A sealed offer commits to its procurement's id: the commitment the template submits is
    # replaced by the same offer's commitment under the new id (the services check it at
    # unsealing like any other).
    sealed = resealed(template, names)
    if sealed:
        copy = _renamed(copy, re.compile("|".join(sealed)), sealed)
        # The sealed commitments are kept in the order of their values, which the new ids
        # change: an expectation on the commitment at a position is dropped from the copy (an
        # expectation checks the state; it records nothing).
        for st in copy.get("steps") or ():
            if isinstance(st.get("expect"), dict):
                st["expect"] = {key: v for key, v in st["expect"].items()
                                if ".commitments." not in key}
    copy["projects"] = _renamed(projects, pattern, names)
    if registered:
        copy.pop("suppliers", None)
    return copy, len(template["procurements"])


def load_templates() -> dict[str, dict[str, Any]]:
    base = examples_dir()
    return {name: _absolute_files(safe_load((base / name).read_text("utf-8")), base)
            for name in TEMPLATES}


def generate(url: str, procurements: int, seed: int, work: Path) -> dict[str, Any]:
    """Record at least ``procurements`` opened procurements into the (empty) database at
    ``url`` (the last copy may pass the number by the rest of its template)."""
    templates = load_templates()
    rng = random.Random(seed)
    store = EventStore(url)
    store.migrate()
    services = Services(store)
    count, k, copies = 0, 0, {name: 0 for name in TEMPLATES}
    registered: set[str] = set()
    # events/s over each tenth of the procurements (flat when nothing grows with the log)
    marks = [procurements * n // 10 for n in range(1, 11)] if procurements >= 100 else []
    tenths: list[float] = []
    t0 = time.perf_counter()
    last = (t0, 0)
    while count < procurements:
        name = rng.choice(TEMPLATES)
        k += 1
        copy, _ = copy_of(templates[name], k, name in registered)
        path = work / f"g{k:05d}-{name}"
        path.write_text(yaml.dump(copy, Dumper=DUMPER, allow_unicode=True, sort_keys=False),
                        "utf-8")
        report = run_scenario(services, path)
        path.unlink()
        if not report.ok:
            sys.exit(f"generate: copy {k} of {name} stopped at step {report.stopped_at}: "
                     f"{report.results[-1].to_dict() if report.results else ''}")
        registered.add(name)
        copies[name] += 1
        # A template may list a procurement its steps never open (a re-tender not needed):
        # only the opened ones count.
        count += sum(1 for state in report.states.values() if state != "not opened")
        if marks and count >= marks[0]:
            while marks and count >= marks[0]:
                marks.pop(0)
            with store.reading() as tx:
                now, recorded = time.perf_counter(), tx.count_events()
            tenths.append(round((recorded - last[1]) / (now - last[0]), 1))
            print(f"generate: {count} procurements, {recorded} events, {tenths[-1]} events/s "
                  f"since the last line", file=sys.stderr, flush=True)
            last = (now, recorded)
    took = time.perf_counter() - t0
    with store.reading() as tx:
        events = sum(1 for _ in tx.raw_events())
        streams = len(tx.stream_ids(""))
    store.dispose()
    size = None
    if url.startswith("sqlite:///"):
        size = Path(url.removeprefix("sqlite:///")).stat().st_size
    return {"procurements": count, "copies": copies, "seed": seed, "events": events,
            "streams": streams, "seconds": round(took, 2),
            "events_per_second": round(events / took, 1),
            "events_per_second_by_tenth": tenths,
            "last_tenth_to_first": round(tenths[-1] / tenths[0], 3) if len(tenths) > 1 else None,
            "database_bytes": size,
            "bytes_per_event": round(size / events) if size else None,
            "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--procurements", type=int, default=200)
    ap.add_argument("--seed", type=int, default=17)
    ap.add_argument("--db", help="an empty database URL (default: a fresh SQLite file)")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="tf-generate-") as tmp:
        url = args.db or f"sqlite:///{tmp}/generated.db"
        result = generate(url, args.procurements, args.seed, Path(tmp))
    if args.json:
        print(json.dumps(result, indent=2))
        return
    r = result
    print(f"generated {r['procurements']} procurements (seed {r['seed']}): {r['events']} events "
          f"in {r['streams']} streams, {r['seconds']} s, {r['events_per_second']} events/s, "
          f"{r['bytes_per_event']} bytes/event, peak RSS {r['peak_rss_mb']} MB")


if __name__ == "__main__":
    main()
