"""The demo: every bundled example scenario on a fresh SQLite file, with its outputs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tenderflow.paths import examples_dir


def run_demo(out: Path, sealed_at: datetime,
             progress: Callable[[str, dict[str, Any] | None], None] | None = None, *,
             handbook: bool = True, features: bool = False) -> dict[str, Any]:
    """Run the examples into ``out``; ``sealed_at`` is when the audit checkpoint is sealed
    (the CLI's clock: a seal records when it was made, it decides nothing). ``progress`` is
    told each stage as it starts (a scenario's file name, "agreement", "notices", "audit",
    "handbook") and each scenario's result when it ends. With ``handbook`` the policy
    handbook is written into ``out/handbook``; with ``features`` the features are run for it,
    beside the examples (``make demo``: about two minutes more on two cores); without, its
    scenarios are marked as not run and it says so."""
    def tell(stage: str, result: dict[str, Any] | None = None) -> None:
        if progress is not None:
            progress(stage, result)

    from tenderflow.app.admin import open_store
    from tenderflow.app.audit import audit_bundle, count_events
    from tenderflow.app.common import iso
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario

    out.mkdir(parents=True, exist_ok=True)
    run = _start_features(out / "handbook") if handbook and features else None
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
    tell("notices")
    from tenderflow.app.notices import demo_notices

    notices = demo_notices(services, out / "notices")
    tell("audit")
    audit = audit_bundle(store, out / "audit", sealed_at=iso(sealed_at))
    events = count_events(store)
    store.dispose()
    if handbook:
        tell("handbook")
    book = _handbook(out / "handbook", run) if handbook else {"files": []}
    return {"db": str(db), "scenarios": scenarios, "events": events,
            "summary": str(out / "summary.json"), "agreement": agreement,
            "notices": notices["procurements"], "audit": audit, "handbook": book,
            "artifacts": [*agreement["files"], *notices["files"], *audit["files"],
                          *book["files"]]}


def _start_features(out: Path) -> Any:
    """The features' run, started before the examples so that the two run side by side (the
    run takes longer than the examples); None where the features cannot be run (an installed
    tenderflow without tests/, or without pytest-bdd): the handbook then marks every scenario
    as not run and says why."""
    from tenderflow.app.features import start_features
    from tenderflow.errors import TenderflowError
    from tenderflow.paths import project_root

    out.mkdir(parents=True, exist_ok=True)
    try:
        return start_features(project_root(), out / "features-results.json")
    except TenderflowError as exc:
        return exc


def _handbook(out: Path, features: Any) -> dict[str, Any]:
    """The policy handbook from the features' run (tenderflow policy docs)."""
    from tenderflow.app.handbook import make_handbook
    from tenderflow.errors import TenderflowError
    from tenderflow.i18n import _

    note = "" if features is not None else _("features not run: tenderflow demo --features")
    if isinstance(features, TenderflowError):
        note, features = features.message, None
    try:
        book, files = make_handbook(out, run=False, started=features)
    except TenderflowError as exc:  # the run failed to report: render without results
        note = exc.message
        book, files = make_handbook(out, run=False)
    return {"files": files, "counts": book.counts(), "note": note}
