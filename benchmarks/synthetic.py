"""Generator of synthetic logs for benchmarks: long streams appended in bulk batches."""

from __future__ import annotations

from tenderflow.events.catalogue import EventType, catalogue
from tenderflow.store.eventstore import EventStore, NewEvent

T = "2023-03-01T09:00:00+08:00"

# The store of a benchmark accepts its synthetic events besides tenderflow's (each checked
# against its schema on append, like any event).
BENCH_EVENTS = catalogue().extended(
    EventType("SyntheticEvent", 1, {"type": "object", "additionalProperties": False,
                                    "required": ["i", "note"],
                                    "properties": {"i": {"type": "integer"},
                                                   "note": {"type": "string"}}}),
    EventType("BenchmarkEvent", 1, {"type": "object", "additionalProperties": False,
                                    "required": ["n"],
                                    "properties": {"n": {"type": "integer"}}}))


def fill_stream(store: EventStore, stream: str, length: int, batch: int = 500) -> None:
    """Append ``length`` events to ``stream`` (hash-chained like any other)."""
    with store.reading() as tx:
        version = tx.head(stream)[0]
    while version < length:
        n = min(batch, length - version)
        events = [NewEvent("SyntheticEvent", {"i": version + i, "note": "合成事件"}, T,
                           "staff:bench", {}) for i in range(n)]
        with store.transaction() as tx:
            tx.append(stream, version, events, T)
        version += n
