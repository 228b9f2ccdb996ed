"""The record digest a document prints binds it to what its event records, not to the time the
event was recorded; verification still accepts documents from before it, which printed the
event's chain hash. The demo signs with the fixed keys shipped in examples/keys/."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime
from types import SimpleNamespace

from tenderflow.app.demo_agreement import DEMO_AWARDS, shipped_demo_keys
from tenderflow.documents.record import RECORD_FIELDS, record_digest
from tenderflow.documents.verification import digest_check
from tenderflow.store.canonical import canonical_json, event_body, sha256_hex
from tenderflow.store.eventstore import StoredEvent

FIELDS = {"global_seq": 7, "stream_id": "procurement:P-1", "stream_seq": 3,
          "type": "AgreementTermsRecorded", "schema_version": 1,
          "occurred_at": "2023-11-10T10:30:00+08:00", "actor": "staff:demo",
          "pins": {"template": "ab" * 32}, "payload": {"terms": {"金额": "1.00"}},
          "prev_hash": "0" * 64}


def stored(recorded_at: str, **changes: object) -> StoredEvent:
    fields = {**FIELDS, **changes, "recorded_at": recorded_at}
    body = event_body(fields)
    return StoredEvent(body=body, hash=sha256_hex(body), **fields)  # type: ignore[arg-type]


def test_the_digest_covers_the_record_but_not_when_it_was_recorded():
    early, late = stored("2026-12-02T10:00:00+08:00"), stored("2031-01-01T10:00:00+08:00")
    assert early.hash != late.hash
    assert record_digest(early) == record_digest(late)
    assert record_digest(early) == sha256_hex(canonical_json(
        {f: FIELDS[f] for f in RECORD_FIELDS}))
    assert record_digest(stored("2026-12-02T10:00:00+08:00", payload={"terms": {}})) \
        != record_digest(early)
    assert record_digest(stored("2026-12-02T10:00:00+08:00", global_seq=99)) \
        == record_digest(early)
    # from the stored bytes, not from a payload upcast on reading
    upcast = dataclasses.replace(early, payload={"terms": {"金额": "1.00"}, "new": 1})
    assert record_digest(upcast) == record_digest(early)


def _rendering(payload: dict) -> SimpleNamespace:
    return SimpleNamespace(type="AgreementRendered", stream_seq=4, payload=payload)


def test_verify_recomputes_the_digest_from_the_stored_event():
    terms = stored("2026-12-02T10:00:00+08:00")
    digest = record_digest(terms)
    rendering = _rendering({"terms_digest": digest, "terms_seq": 3})
    row, problems = digest_check("P-1", rendering, SimpleNamespace(record_digest=digest),
                                  [terms])
    assert problems == [] and row["matches"] and row["kind"] == "terms_digest"
    _row, printed = digest_check("P-1", rendering, SimpleNamespace(record_digest="1" * 64),
                                  [terms])
    assert "printed in the file" in printed[0]
    # a stored event that says something else than the rendering recorded
    other = stored("2026-12-02T10:00:00+08:00", actor="staff:other")
    _row, changed = digest_check("P-1", rendering, SimpleNamespace(record_digest=digest),
                                  [other])
    assert "is not that of event #3" in changed[0]


def test_verify_still_accepts_a_rendering_that_printed_the_log_hash():
    """Renderings from before the record digest recorded and printed the event's chain hash."""
    terms = stored("2023-11-10T10:30:00+08:00")
    rendering = _rendering({"log_hash": terms.hash, "log_seq": 3, "terms_seq": 3})
    report = SimpleNamespace(record_digest=None, log_hash=terms.hash)
    row, problems = digest_check("P-1", rendering, report, [terms])
    assert problems == [] and row["kind"] == "log_hash"
    moved = stored("2023-11-10T10:31:00+08:00")
    _row, problems = digest_check("P-1", rendering, report, [moved])
    assert problems and "log hash" in problems[0]


def test_the_demo_keys_are_shipped_labelled_and_valid_2023_to_2033(tmp_path):
    from cryptography import x509

    from tenderflow.documents.keys import DEMO_LABEL, key_info

    roles = ["implementing_agency", "social_capital", "residents_committee",
             "subdistrict_office"]
    for pid, _terms, _financing in DEMO_AWARDS:
        keys = shipped_demo_keys(pid, roles, tmp_path / pid)
        ca = x509.load_pem_x509_certificate(keys.ca_cert.read_bytes())
        assert DEMO_LABEL in ca.subject.rfc4514_string()
        assert "NOT FOR REAL USE" in keys.readme.read_text(encoding="utf-8")
        for role in roles:
            info = key_info(keys.party_keys[role], keys.passphrase)
            assert info.valid_at(datetime(2023, 1, 1, tzinfo=UTC))
            assert info.valid_at(datetime(2033, 12, 31, tzinfo=UTC))
        assert json.dumps(keys.to_dict())
