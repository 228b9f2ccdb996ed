"""The record digest a document carries on every page: what binds a PDF to the event its data
comes from, without binding it to the time that event was recorded.

An event's chain ``hash`` covers its ``recorded_at`` (the wall clock of the recording,
DESIGN §4), so a document that printed it would change with the day the record was entered,
and so would its SHA-256 and every signature on it. The record digest covers what the event
says instead: the SHA-256 of the canonical JSON (``tenderflow.store.canonical``) of its
``stream_id``, ``stream_seq``, ``type``, ``schema_version``, ``occurred_at``, ``actor``,
``pins`` and ``payload`` — everything but ``global_seq``, ``recorded_at`` and the chain
hashes. The chain still protects the event: ``audit verify`` proves the stored event
unchanged, and ``contract verify`` recomputes the digest from it.

This module is the one place the digest is computed.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from tenderflow.store.canonical import canonical_json, sha256_hex

# The fields of an event the digest covers, in the contract's order (DESIGN §4).
RECORD_FIELDS = ("stream_id", "stream_seq", "type", "schema_version", "occurred_at", "actor",
                 "pins", "payload")

# What each document's footer calls its record digest: the agreement that of its
# AgreementTermsRecorded event, the financing package's documents that of the last
# AgreementSigned event.
TERMS_DIGEST_LABEL = "条款记录摘要"
SIGNED_DIGEST_LABEL = "签署记录摘要"


def record_digest(event: Any) -> str:
    """The record digest of a stored event (a ``StoredEvent`` or a mapping of its fields).

    Taken from the event's stored canonical bytes (``body``) when it has them, so that an
    upcast of an old payload never changes the digest of what was recorded."""
    fields: Mapping[str, Any]
    body = event.get("body") if isinstance(event, Mapping) else getattr(event, "body", None)
    if body:
        fields = json.loads(body)
    elif isinstance(event, Mapping):
        fields = event
    else:
        fields = {f: getattr(event, f) for f in RECORD_FIELDS}
    missing = [f for f in RECORD_FIELDS if f not in fields]
    if missing:
        raise ValueError(f"an event lacks {', '.join(missing)}: no record digest")
    return sha256_hex(canonical_json({f: fields[f] for f in RECORD_FIELDS}))
