"""Canonical JSON and the per-stream SHA-256 chain (DESIGN §4). Pure: no database here."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS = "0" * 64

# The fields of an event, in the contract's order; ``hash`` covers all the others.
EVENT_FIELDS = (
    "global_seq", "stream_id", "stream_seq", "type", "schema_version", "occurred_at",
    "recorded_at", "actor", "pins", "payload", "prev_hash",
)


def canonical_json(value: Any) -> str:
    """UTF-8 JSON with sorted keys, no insignificant white space, non-ASCII kept."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False,
                      allow_nan=False)


def sha256_hex(text: str | bytes) -> str:
    data = text.encode("utf-8") if isinstance(text, str) else text
    return hashlib.sha256(data).hexdigest()


def content_hash(value: Any) -> str:
    """The hash that pins a definition: SHA-256 of its canonical JSON."""
    return sha256_hex(canonical_json(value))


def event_body(fields: dict[str, Any]) -> str:
    """The canonical bytes that an event's hash covers (every field but ``hash``)."""
    missing = [f for f in EVENT_FIELDS if f not in fields]
    if missing:
        raise ValueError(f"event lacks {missing}")
    return canonical_json({f: fields[f] for f in EVENT_FIELDS})
