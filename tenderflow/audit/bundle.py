"""The auditor's bundle the demo writes: verification, a signed checkpoint, replay, the JSONL
and OCDS exports and a timeline report per procurement — what ``tenderflow audit …`` gives,
in one folder."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any


def audit_bundle(store: Any, folder: Path, *, sealed_at: str,
                 auditor: str = "auditor:demo") -> dict[str, Any]:
    """Write the bundle into ``folder`` (replaced); returns its summary. The checkpoint is
    signed with a key made for the demo (``auditor-demo.pem``), not for real use."""
    from tenderflow.audit.export import export_jsonl, export_ocds
    from tenderflow.audit.ocds import DEFAULT_PREFIX
    from tenderflow.audit.replay import replay
    from tenderflow.audit.report import write_report
    from tenderflow.audit.seal import (
        generate_key,
        load_private_key,
        seal,
        verify_with_checkpoint,
    )
    from tenderflow.audit.verify import verify_store

    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    files: list[str] = []

    def written(path: Path) -> Path:
        files.append(str(path))
        return path

    verified, _ = verify_store(store)
    key, public, _ = generate_key(written(folder / "auditor-demo.pem"),
                                  written(folder / "auditor-demo.pub.pem"))
    checkpoint = written(folder / "checkpoint.json")
    sealed = seal(store, load_private_key(key), checkpoint, auditor, sealed_at)
    checked = verify_with_checkpoint(store, checkpoint, public)
    replayed = replay(store)
    events = export_jsonl(store, written(folder / "events.jsonl"))
    package = export_ocds(store, written(folder / "ocds-release-package.json"),
                          prefix=DEFAULT_PREFIX, publisher="tenderflow demo")
    reports = {}
    with store.reading() as tx:
        procurements = [s.split(":", 1)[1] for s in tx.stream_ids("procurement:")
                        if tx.head(s)[0] > 1]
    for pid in procurements:
        result = write_report(store, pid, written(folder / f"report-{pid}.pdf"))
        reports[pid] = {"ok": result.ok, "sha256": result.sha256}
    summary = {
        "ok": verified.ok and checked.ok and replayed.ok and all(r["ok"] for r in
                                                                 reports.values()),
        "verify": {"ok": verified.ok, "events": verified.events, "streams": verified.streams},
        "checkpoint": {"ok": checked.ok, **sealed.to_dict()},
        "replay": {"ok": replayed.ok,
                   "procurements": sum(1 for s in replayed.streams
                                       if s.stream.startswith("procurement:"))},
        "exports": {"jsonl_events": events, "ocds_releases": len(package["releases"])},
        "reports": reports,
        "files": files,
    }
    (folder / "audit-summary.json").write_text(
        json.dumps(summary, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    files.append(str(folder / "audit-summary.json"))
    return summary
