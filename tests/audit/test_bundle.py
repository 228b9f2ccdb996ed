"""The demo's audit bundle: every file written, a checkpoint that verifies with the demo key,
and the exports and reports of the examples, all clean."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

from tenderflow.audit.bundle import audit_bundle
from tenderflow.audit.seal import verify_with_checkpoint


def test_audit_bundle_of_the_examples(all_examples: Path, tmp_path: Path) -> None:
    from tenderflow.store.eventstore import EventStore

    db = tmp_path / "copy.db"
    source, copy = sqlite3.connect(all_examples), sqlite3.connect(db)
    source.backup(copy)
    source.close()
    copy.close()
    store = EventStore(f"sqlite:///{db}")
    folder = tmp_path / "audit"
    try:
        summary: dict[str, Any] = audit_bundle(store, folder,
                                               sealed_at="2024-05-01T09:00:00+08:00")
        assert summary["ok"], json.dumps(summary, ensure_ascii=False, indent=1)
        for name in summary["files"]:
            assert Path(name).is_file() and Path(name).stat().st_size > 0, name
        names = {Path(f).name for f in summary["files"]}
        assert {"events.jsonl", "ocds-release-package.json", "checkpoint.json",
                "auditor-demo.pem", "auditor-demo.pub.pem", "audit-summary.json"} <= names
        assert "report-CN-2023-001.pdf" in names
        with store.reading() as tx:
            assert summary["exports"]["jsonl_events"] == tx.count_events()
            assert len(tx.checkpoints()) == 1
        again = verify_with_checkpoint(store, folder / "checkpoint.json",
                                       folder / "auditor-demo.pub.pem")
        assert again.ok
        # the bundle is written again into the same folder (the demo runs twice)
        assert audit_bundle(store, folder, sealed_at="2024-05-02T09:00:00+08:00")["ok"]
    finally:
        store.dispose()
