"""The demo: every bundled example scenario on a fresh SQLite file, with its outputs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tenderflow.paths import examples_dir


def run_demo(out: Path, sealed_at: datetime,
             progress: Callable[[str, dict[str, Any] | None], None] | None = None
             ) -> dict[str, Any]:
    """Run the examples into ``out``; ``sealed_at`` is when the audit checkpoint is sealed
    (the CLI's clock: a seal records when it was made, it decides nothing). ``progress`` is
    told each stage as it starts (a scenario's file name, "agreement", "audit") and each
    scenario's result when it ends."""
    def tell(stage: str, result: dict[str, Any] | None = None) -> None:
        if progress is not None:
            progress(stage, result)

    from tenderflow.app.admin import open_store
    from tenderflow.app.audit import audit_bundle, count_events
    from tenderflow.app.common import iso
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario

    out.mkdir(parents=True, exist_ok=True)
    db = out / "tenderflow.db"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = open_store(f"sqlite:///{db}", create=True)
    services = Services(store)
    scenarios = []
    for path in sorted(examples_dir().glob("*.yaml")):
        tell(path.name)
        report = run_scenario(services, path)
        scenarios.append({"file": path.name, "title": report.title, "ok": report.ok,
                          "states": report.states, "stopped_at": report.stopped_at})
        tell(path.name, scenarios[-1])
    from tenderflow.app.demo_agreement import demo_signed_package

    tell("agreement")
    agreement = demo_signed_package(services, out / "agreement")
    tell("audit")
    audit = audit_bundle(store, out / "audit", sealed_at=iso(sealed_at))
    events = count_events(store)
    store.dispose()
    return {"db": str(db), "scenarios": scenarios, "events": events,
            "summary": str(out / "summary.json"), "agreement": agreement, "audit": audit,
            "artifacts": [*agreement["files"], *audit["files"]]}
