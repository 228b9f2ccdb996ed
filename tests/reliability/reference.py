"""The bundled examples, run once, as a reference for the reliability suites.

Every ``examples/*.yaml`` runs on a scratch SQLite file; what was recorded — the registered
records and, per procurement, how it was opened and each step (trigger, actor, time, data,
from, to) — lets the races, crash runs and state machines replay real steps, following the
examples as their owners keep them, in every mode they cover.
"""

from __future__ import annotations

import dataclasses
import functools
import shutil
import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tenderflow.app.fiscal import record_fiscal
from tenderflow.app.procurement import Services
from tenderflow.domain.components.fiscal import parse_region
from tenderflow.domain.timeutil import parse_time
from tenderflow.store.eventstore import EventStore
from tests.conftest import HISTORIC, REGISTERED_AT
from tests.credit_lists import import_current


def tenderflow_cmd() -> list[str]:
    """The installed command, run as a user runs it."""
    exe = Path(sys.executable).with_name("tenderflow")
    return [str(exe)] if exe.exists() else [sys.executable, "-c",
                                             "from tenderflow.cli import main; main()"]


@dataclass
class Reference:
    """Every bundled example run once on a scratch SQLite file: the registered records and,
    per procurement, how it was opened and each step recorded (trigger, actor, time, data).
    The races replay these steps, so they follow the examples as their owners keep them."""

    projects: list[dict[str, Any]]
    suppliers: list[dict[str, Any]]
    opened: dict[str, dict[str, Any]]
    steps: dict[str, list[dict[str, Any]]]
    # the projects' intakes (workflows/project.yaml), opened and stepped the same way: a
    # procurement opens only on a project ready to procure, so they are replayed in full
    # before any procurement opens
    intakes: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    intake_steps: dict[str, list[dict[str, Any]]] = dataclasses.field(default_factory=dict)
    # the regions' fiscal data the examples registered (a project's fund step reads it)
    fiscal: list[dict[str, Any]] = dataclasses.field(default_factory=list)


@functools.lru_cache(maxsize=1)
def reference() -> Reference:
    from tenderflow.app.scenario import run_scenario
    from tenderflow.paths import examples_dir

    folder = tempfile.mkdtemp(prefix="tf-reference-")
    store = EventStore(f"sqlite:///{folder}/reference.db")
    store.migrate()
    services = Services(store, entry=HISTORIC)
    for path in sorted(examples_dir().glob("*.yaml")):
        report = run_scenario(services, path)
        assert report.ok, (path, [r.text for r in report.results if not r.ok])
    ref = Reference([], [], {}, {})
    with store.reading() as tx:
        ref.fiscal = [{"data": e.payload["data"], "file": e.payload["file"],
                       "as_of": e.payload["as_of"], "actor": e.actor, "at": e.occurred_at}
                      for sid in tx.stream_ids("fiscal:") for e in tx.read_stream(sid)]
        for kind, into in (("project", ref.projects), ("supplier", ref.suppliers)):
            for sid in tx.stream_ids(f"{kind}:"):
                snap = tx.snapshot(sid)
                assert snap is not None
                into.append(snap[1])
        for prefix, opened, steps in (("procurement:", ref.opened, ref.steps),
                                      ("intake:", ref.intakes, ref.intake_steps)):
            for sid in tx.stream_ids(prefix):
                pid = sid.split(":", 1)[1]
                events = list(tx.read_stream(sid))
                first = events[0]
                opened[pid] = {"project": first.payload["project"]["id"],
                               "mode": first.payload["mode"], "actor": first.actor,
                               "at": first.occurred_at,
                               "options": first.payload.get("options") or None}
                steps[pid] = [{"trigger": e.payload["trigger"], "as": e.actor,
                               "at": e.occurred_at, "data": e.payload.get("data"),
                               "from": e.payload["from"], "to": e.payload["to"]}
                              for e in events[1:] if "trigger" in e.payload]
    store.dispose()
    shutil.rmtree(folder, ignore_errors=True)
    return ref


def prepare(url: str, upto: int | dict[str, int]) -> tuple[Services, Reference]:
    """Register the examples' records, open their procurements and replay ``upto`` steps of
    each (fewer where a procurement has fewer; per procurement when a mapping)."""
    ref = reference()
    services = Services(EventStore(url), entry=HISTORIC)
    register(services, ref)
    for pid, o in ref.opened.items():
        services.open_procurement(pid, o["project"], o["mode"], o["actor"],
                                  parse_time(o["at"]), o["options"])
        for step in ref.steps[pid][:upto if isinstance(upto, int) else upto.get(pid, 0)]:
            if step["trigger"] in ("check_eligibility", "decide_entrustment"):  # lists imported then
                import_current(services, parse_time(step["at"]))
            services.fire(pid, step["trigger"], step["data"], step["as"],
                          parse_time(step["at"]))
    return services, ref




def register(services: Services, ref: Reference) -> None:
    """Register the examples' records and take the projects' intakes to where the examples
    left them (a procurement opens only on a project ready to procure)."""
    services.register("projects", ref.projects, "staff:wang", parse_time(REGISTERED_AT))
    services.register("suppliers", ref.suppliers, "staff:wang", parse_time(REGISTERED_AT))
    for f in ref.fiscal:
        record_fiscal(services, parse_region(f["data"]), f["file"], f["actor"],
                      parse_time(f["at"]), date.fromisoformat(f["as_of"]))
    for pid, o in ref.intakes.items():
        services.open_procurement(pid, o["project"], o["mode"], o["actor"], parse_time(o["at"]))
        for step in ref.intake_steps[pid]:
            services.fire(pid, step["trigger"], step["data"], step["as"], parse_time(step["at"]))
