"""Start-up cost of the read-only commands, as a ratio to ``python -c pass`` (issue 17).

    python benchmarks/startup.py [--rounds 7] [--json]

Builds the demo database once (``tenderflow demo`` into a temporary folder), then runs
``--help``, ``list``, ``status`` and ``next`` as real subprocesses, interleaved with
``python -c pass`` in every round, and prints the median wall time of each and its ratio to
the bare interpreter's median in the same run. Absolute times swing 2–3× on a shared machine;
the ratios are the figures to compare. Targets (issue 17): ``status``, ``next``, ``list`` under
300 ms and within 5× ``python -c pass``; ``--help`` within 2×.

Byte-code caching is left on (``PYTHONDONTWRITEBYTECODE`` is removed from the environment), as
on an installed system: without .pyc files every command recompiles the package.

What the profiler showed (cProfile of ``status`` on the demo database, before → after):
the event catalogue checked its 68 JSON Schemas against the 2020-12 meta-schema on every start
(~0.4 s; now once per schema text, :mod:`tenderflow.schemacheck`); importing rule-engine built
its PLY parser (~0.28 s; now imported only where an eligibility expression is compiled or
evaluated, which ``status`` never does); the workflow and parameter YAML went through
PyYAML's pure-Python parser (~0.25 s; now libyaml's ``CSafeLoader`` with the same safe
constructors); ``head_revision`` imported Alembic (~0.23 s; now read from the migration files'
``revision`` lines, checked against Alembic in tests). What remains is mostly importing
SQLAlchemy (~0.15 s) and building the 22-year calendar from ``holidays`` (~0.1 s).

Second pass (issue 17, branch i17-startup; ``python -X importtime`` and cProfile of ``--help``
and ``status`` on the demo database): ``--help`` imported click (~20 ms) and, to list the
commands, every command module and Babel; it is now answered by :mod:`tenderflow.cli.fasthelp`
from the text click rendered, kept per language and width with the SHA-256 of every file it
came from (rendered again when one changes). ``status``/``next``/``list`` lost: Babel (~20 ms;
the .po is read by :func:`tenderflow.i18n.read_catalogue`), jsonschema and importlib.metadata
(~35 ms; imported only where a payload or an unremembered schema is checked), ``holidays``
(~90 ms: import and the CN cross-check; its data remembered per installed ``holidays``,
:func:`tenderflow.workflow.calendars.holidays_cn_remembered`), building the Python objects of
the workflow, parameter and rule YAML (~15 ms a file; parsed data remembered per file content,
:func:`tenderflow.workflow.definitions.load_yaml`), and transitions, difflib and the notice
parser (imported where used). What remains (CPU time, × ``python -c pass``, same run):
importing SQLAlchemy with its SQLite dialect ≈ 12×, the domain modules
(``tenderflow.domain.state``: every mode's guards and appliers, ~60 dataclasses) ≈ 3.4×, click
≈ 1.1×, PyYAML ≈ 0.7×. SQLAlchemy alone is over the 5× budget: meeting it needs a read path
for ``status``/``next``/``list`` that does not import SQLAlchemy (sqlite3 directly, inside
:mod:`tenderflow.store`).

Third pass (branch i17-readpath): ``status``, ``next`` and ``list`` on a SQLite file read
through :mod:`tenderflow.store.lite` (the standard library's sqlite3, the same schema check
and rows parsed by the same :func:`tenderflow.store.records.to_event`; PostgreSQL keeps
SQLAlchemy), and the app modules on their path import the SQLAlchemy store for type checking
only: SQLAlchemy is no longer imported (≈ 18× → ≈ 6.6× ``python -c pass`` in CPU time).
What remains is the domain (``tenderflow.domain.state``: building ~50 dataclasses is most of
it; ``status`` and ``next`` evaluate guards, and ``list`` reaches it through the workflow's
check that every guard it names exists), click (with uuid and platform), PyYAML and the
interpreter's own start.

Fourth pass (branch i17-startup; ``python -X importtime``, the least self time of 7 runs per
module, and cProfile of ``status``, ``next`` and ``list`` on the demo database): the domain
was the largest part (~40% of ``list``): :mod:`tenderflow.domain.state` imports every mode's
guards and appliers (~60 dataclasses), reached through the workflow's check that every guard
it names exists and the engine's guard table. PyYAML (~12 ms) was imported although the parsed
policy files came from the cache (its key read PyYAML's version and loader); ``status``
imported the eligibility machinery (rulesets, checks, lint) for its view of the last check and
the committee module for one helper; ``status``/``next`` built the working-day calendar
(import and build ~12 ms) for a procurement in a final state, which has no step to judge;
``list`` imported the services, the parameters and the guards' mechanics to name the projects;
every Chinese command parsed the 600 messages of the .po catalogue (~3 ms).
Now the guard names come from an index (name → module) kept in the per-user cache under the
SHA-256 of every domain source, and the engine imports only the modules of the guards it
judges (:mod:`tenderflow.workflow.guards`; the whole domain only where a command folds or
writes); the parsed-YAML key names PyYAML by its RECORD, read without importing it; the
eligibility view has a module of its own; a final state loads no calendar; ``list`` reads the
project names from the snapshots; the parsed catalogue is kept per content
(:func:`tenderflow.i18n.remembered_catalogue`). Same machine, the branch's base (5c3dfbc) and this
pass each run with ``--rounds 15`` one after the other, × ``python -c pass`` (ms): ``list`` 6.9
(159) → 4.0–4.1 (96–103), ``status`` 6.8 (158) → 3.9–4.1 (95–103), ``next`` 6.7 (156) →
3.8–4.0 (92–99), ``--help`` 1.3 → 1.2–1.4; on an open procurement (CN-2023-010, 7 rounds)
``status`` 5.2 → 4.1, ``next`` 4.6 → 4.5. What remains (import time): the interpreter's
``site`` with the editable install's finder and pathlib ≈ 14 ms (in ``python -c pass`` too),
click ≈ 10 ms (with uuid and platform), dataclasses with inspect ≈ 7.5 ms (inspect is click's
too), tenderflow's own dataclasses (store.records, workflow.definitions) ≈ 6 ms, the
parameters (decimal) ≈ 4 ms for ``status``/``next``, the digest of the domain's sources for
the guard index ≈ 1.6 ms; on an open procurement, the working-day calendar (~12 ms: import,
chinesecalendar, the remembered ``holidays`` data) and the modules of the guards judged.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(argv: list[str], env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(argv, env=env, cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=7)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    tenderflow = str(BIN / "tenderflow")
    with tempfile.TemporaryDirectory(prefix="tf-startup-") as tmp:
        subprocess.run([tenderflow, "demo", "--out", tmp], env=env, cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        env["TENDERFLOW_DB"] = f"sqlite:///{tmp}/tenderflow.db"
        commands = {
            "python -c pass": [sys.executable, "-c", "pass"],
            "tenderflow --help": [tenderflow, "--help"],
            "tenderflow list": [tenderflow, "list"],
            "tenderflow status OT-2023-001": [tenderflow, "status", "OT-2023-001"],
            "tenderflow next OT-2023-001": [tenderflow, "next", "OT-2023-001"],
        }
        for argv in commands.values():  # warm the byte-code and schema caches
            _run(argv, env)
        times: dict[str, list[float]] = {name: [] for name in commands}
        for _ in range(args.rounds):
            for name, argv in commands.items():
                times[name].append(_run(argv, env))
    base = statistics.median(times["python -c pass"])
    if args.json:
        print(json.dumps({"rounds": args.rounds, "commands": {
            name: {"ms": round(statistics.median(v) * 1000, 1),
                   "ratio_to_python": round(statistics.median(v) / base, 2)}
            for name, v in times.items()}}, indent=2))
        return
    print(f"start-up, median of {args.rounds} interleaved rounds")
    print(f"{'command':34} {'ms':>8} {'× python -c pass':>18}")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:34} {median * 1000:8.0f} {median / base:18.1f}")


if __name__ == "__main__":
    main()
