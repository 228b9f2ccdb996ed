"""The audit facade: the one way in for the CLI, the demo and the features to the auditor's
tools over :mod:`tenderflow.audit` — verify the hash chains (and a sealed checkpoint), seal a
checkpoint with an auditor's key, make such keys, replay every decision with the pinned rules,
export JSONL and OCDS, write the timeline report, and assemble the demo's audit bundle.

Importing it is light: the audit modules import their heavy libraries (reportlab,
cryptography) inside the functions that need them.
"""

from __future__ import annotations

from typing import Any

from tenderflow.audit.bundle import audit_bundle
from tenderflow.audit.export import export_jsonl, export_ocds
from tenderflow.audit.replay import count_streams, replay
from tenderflow.audit.report import write_report
from tenderflow.audit.seal import (
    check_new_file,
    generate_key,
    load_private_key,
    load_public_key,
    read_checkpoint,
    seal,
    verify_with_checkpoint,
)
from tenderflow.audit.verify import count_events
from tenderflow.audit.verify_jobs import verify_store

__all__ = [
    "audit_bundle", "check_new_file", "count_events", "count_streams", "export_jsonl",
    "export_ocds", "generate_key", "load_private_key", "load_public_key", "read_checkpoint",
    "recorded_events", "replay", "seal", "stream_ids", "verify_store",
    "verify_with_checkpoint", "write_report",
]


def recorded_events(store: Any, stream: str | None = None) -> list[Any]:
    """The events as stored (StoredEvent: type, payload, times, actor, hashes): one
    ``stream`` in order, or the whole log in global order."""
    with store.reading() as tx:
        return list(tx.read_stream(stream) if stream is not None else tx.read_all())


def stream_ids(store: Any, prefix: str = "") -> list[str]:
    """The ids of the streams recorded, those starting with ``prefix``."""
    with store.reading() as tx:
        return list(tx.stream_ids(prefix))
