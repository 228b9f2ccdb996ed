"""Every event the example scenarios write (recorded into one SQLite store, the demo's way)
matches its type's payload schema and version in the event catalogue (tenderflow/events)."""

from __future__ import annotations

import json
from pathlib import Path

from tenderflow.events.catalogue import catalogue
from tenderflow.store.eventstore import EventStore


def test_every_event_the_examples_write_matches_the_catalogue(all_examples: Path) -> None:
    store = EventStore(f"sqlite:///{all_examples}")
    try:
        with store.reading() as tx:
            rows = list(tx.raw_events())
    finally:
        store.dispose()
    assert len(rows) > 100
    for row in rows:
        body = json.loads(row.body)
        assert catalogue().check(row.type, body["payload"], body["schema_version"]) == 1
    # the transition events and the services' own (the agreement's documents, which the demo
    # records after the scenarios, are checked in tests/foundation/test_event_catalogue.py
    # on the demo's database of the old main, and on every write by the agreements suite)
    written = {row.type for row in rows}
    assert {"ProcurementCreated", "ProjectRegistered", "SupplierRegistered",
            "ProcurementAwarded", "ProcurementFailed", "ContractSigned"} <= written
