"""``audit verify``: every way of tampering with the SQLite file directly is found and located.

The attacker drops the append-only triggers first (tests/audit/attacker.py). Tampering that
keeps every chain consistent — deleting a whole stream, cutting a tail and moving the head
back, rewriting a stream with recomputed hashes — is invisible to the chain alone and found
with a checkpoint (test_seal.py).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tenderflow.audit.verify import ChainVerifier, Problem, VerifyReport, verify_store
from tenderflow.domain.timeutil import parse_time
from tenderflow.store.canonical import GENESIS, canonical_json, event_body, sha256_hex
from tests.audit.attacker import INSERT_EVENT, insert_values, stored
from tests.audit.conftest import AWARD, FAILED


def verify(services: Any) -> VerifyReport:
    report, _ = verify_store(services.store)
    return report


def only(report: VerifyReport) -> Problem:
    assert len(report.problems) == 1, [p.text for p in report.problems]
    return report.problems[0]


def test_untouched_database_verifies_clean(recorded: Any, invoke: Any) -> None:
    report = verify(recorded)
    assert report.ok and report.problems == [] and report.notes == []
    with recorded.store.reading() as tx:
        events, streams = tx.count_events(), len(tx.heads())
    assert report.events == events and report.streams == streams
    assert events > 17 + 6 and streams > 2
    with recorded.store.reading() as tx:  # workflow, parameters, calendar (+ ruleset) pinned
        assert report.definitions == len(list(tx.definitions())) >= 3
    result = invoke("--json", "audit", "verify")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] is True and data["problems"] == [] and data["events"] == events
    text = invoke("audit", "verify")
    assert text.exit_code == 0
    assert f"✓ {events} events in {streams} streams verified" in text.stdout


def test_changed_payload_byte_is_found_and_located(attacker: Any, recorded: Any) -> None:
    """The payload is kept once, in the body the hash covers (migration 0006): a changed
    byte of it breaks the hash, located."""
    seq = attacker.seq_of(AWARD, "SuppliersInvited")
    row = attacker.event(AWARD, seq)
    assert '"S-SLGC"' in row["payload"]
    attacker.set_column(AWARD, seq, "payload", row["payload"].replace('"S-SLGC"', '"S-SLGX"', 1))
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.global_seq, p.kind) == (AWARD, seq, row["global_seq"],
                                                             "hash")
    assert "the stored body hashes to" in p.text


def test_changed_byte_in_the_stored_body_breaks_its_hash(attacker: Any, recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "SuppliersInvited")
    row = attacker.event(AWARD, seq)
    attacker.set_column(AWARD, seq, "body", row["body"].replace('"S-SLGC"', '"S-SLGX"', 1))
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.kind) == (AWARD, seq, "hash")
    assert f"stored hash {row['hash'][:16]}… but the stored body hashes to" in p.text


def test_changed_business_time_is_found(attacker: Any, recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "NegotiationDocumentsIssued")
    attacker.set_column(AWARD, seq, "occurred_at", "2023-03-02T11:00:00+08:00")
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.kind) == (AWARD, seq, "hash")


def test_changed_recorded_time_is_found(attacker: Any, recorded: Any) -> None:
    attacker.set_column(FAILED, 3, "recorded_at", "2020-01-01T00:00:00+08:00")
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.kind) == (FAILED, 3, "hash")


def test_time_changed_with_its_own_hash_recomputed_breaks_the_next_link(
        attacker: Any, recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "NegotiationDocumentsIssued")
    row = attacker.event(AWARD, seq)
    fields = json.loads(row["body"])
    fields["occurred_at"] = "2023-03-01T11:00:00+08:00"
    body = event_body(fields)
    attacker.sql("UPDATE events SET codec = 0, deflated = ?, hash = ? WHERE global_seq = ?",
                 (stored(body), sha256_hex(body), row["global_seq"]))
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.kind) == (AWARD, seq + 1, "link")
    assert f"does not link to event {seq}'s hash" in p.text


def test_deleted_event_is_found(attacker: Any, recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "ResponsesClosed")
    attacker.sql("DELETE FROM events WHERE stream_id = ? AND stream_seq = ?", (AWARD, seq))
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.kind) == (AWARD, seq, "sequence")
    assert f"stream_seq jumps from {seq - 1} to {seq + 1}: event {seq} is missing" in p.text
    assert f"does not link to event {seq - 1}'s hash" in p.text


@pytest.mark.parametrize("column", ["global_seq", "stream_seq"])
def test_reordered_events_are_found(attacker: Any, recorded: Any, column: str) -> None:
    n = attacker.version(AWARD)
    a, b = attacker.event(AWARD, n - 2), attacker.event(AWARD, n - 1)
    attacker.sql(f"UPDATE events SET {column} = -1 WHERE global_seq = ?", (a["global_seq"],))
    attacker.sql(f"UPDATE events SET {column} = ? WHERE global_seq = ?", (a[column],
                                                                         b["global_seq"]))
    where = "global_seq = -1" if column == "global_seq" else f"global_seq = {a['global_seq']}"
    attacker.sql(f"UPDATE events SET {column} = ? WHERE {where}", (b[column],))
    p = only(verify(recorded))
    assert p.stream == AWARD and p.stream_seq in (n - 2, n - 1)
    assert f"column {column}: body" in p.text
    assert p.global_seq == a["global_seq"]


def test_naively_truncated_tail_is_found_by_the_head(attacker: Any, recorded: Any) -> None:
    n = attacker.version(AWARD)
    attacker.truncate(AWARD, n - 2, move_head=False)
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.kind) == (AWARD, n - 1, "head")
    assert (f"the head says version {n} but the last event is {n - 2}: events {n - 1}–{n} are "
            f"missing") in p.text


def test_consistent_tampering_passes_the_chain_alone(attacker: Any, recorded: Any) -> None:
    """What a checkpoint is for: each of these leaves every chain consistent."""
    attacker.truncate(AWARD, attacker.version(AWARD) - 2, move_head=True)
    attacker.rewrite("supplier:S-HXJS", 1,
                     lambda f: f["payload"]["profile"].update(net_assets="99000000.00"))
    attacker.delete_stream(FAILED)
    report = verify(recorded)
    assert report.ok, [p.text for p in report.problems]


def test_deleted_stream_in_the_middle_leaves_a_gap_note(attacker: Any, recorded: Any) -> None:
    attacker.delete_stream(AWARD)
    report = verify(recorded)
    assert report.ok
    # One gap per run of the stream's events (the credit-list import interleaves with them).
    assert len(report.notes) == 1 and "global_seq has 2 gap(s)" in report.notes[0]


def test_event_hidden_below_the_first_global_seq_is_found(attacker: Any,
                                                          recorded: Any) -> None:
    fields = {"global_seq": 0, "stream_id": "procurement:FAKE", "stream_seq": 1,
              "type": "ProcurementCreated", "schema_version": 1,
              "occurred_at": "2023-01-01T09:00:00+08:00",
              "recorded_at": "2023-01-01T09:00:00+08:00", "actor": "staff:wang", "pins": {},
              "payload": {"mode": "competitive_negotiation"}, "prev_hash": GENESIS}
    body = event_body(fields)
    attacker.sql(INSERT_EVENT, insert_values(fields))
    attacker.sql("INSERT INTO streams VALUES (?, 1, ?)", ("procurement:FAKE", sha256_hex(body)))
    p = only(verify(recorded))
    assert (p.stream, p.stream_seq, p.global_seq) == ("procurement:FAKE", 1, 0)
    assert "global_seq 0 is below 1" in p.text


def test_sequence_number_that_is_not_an_integer_is_found(attacker: Any,
                                                        recorded: Any) -> None:
    attacker.set_column(AWARD, 4, "stream_seq", "four")
    p = only(verify(recorded))
    assert p.stream == AWARD and "is not an integer" in p.text


def test_altered_pinned_definition_is_found(attacker: Any, recorded: Any) -> None:
    changed = attacker.sql("UPDATE definitions SET body = replace(body, "
                           "'\"value\":3', '\"value\":2') WHERE kind = 'parameters'")
    assert changed == 1
    p = only(verify(recorded))
    assert p.stream == "definitions:parameters:parameters" and p.kind == "definition"
    assert "the pinned definition was altered" in p.text


def test_missing_pinned_definition_is_found(attacker: Any, recorded: Any) -> None:
    attacker.sql("DELETE FROM definitions WHERE kind = 'calendar'")
    p = only(verify(recorded))
    assert p.stream == "definitions:calendar" and "is not in the definitions table" in p.text


def test_head_without_events_and_events_without_head(attacker: Any, recorded: Any) -> None:
    attacker.sql("INSERT INTO streams VALUES ('procurement:GHOST', 3, ?)", ("a" * 64,))
    attacker.sql("DELETE FROM streams WHERE stream_id = ?", (FAILED,))
    problems = {p.stream: p for p in verify(recorded).problems}
    assert set(problems) == {"procurement:GHOST", FAILED}
    assert "version 3 but the stream has no events" in problems["procurement:GHOST"].text
    assert "events but no head in the streams table" in problems[FAILED].text


def test_only_the_first_broken_event_of_each_stream_is_reported(attacker: Any,
                                                                recorded: Any) -> None:
    for seq in (3, 5, 7):
        attacker.set_column(AWARD, seq, "actor", "staff:mallory")
    attacker.set_column(FAILED, 2, "type", "ProcurementAwarded")
    report = verify(recorded)
    assert [(p.stream, p.stream_seq) for p in report.problems] == [(AWARD, 3), (FAILED, 2)]


def test_broken_body_shapes_are_reported(attacker: Any, recorded: Any) -> None:
    attacker.set_column(AWARD, 3, "body", "not json")
    row = attacker.event(AWARD, 4)
    fields = json.loads(row["body"])
    fields["extra"] = 1
    attacker.set_column(AWARD, 4, "body", canonical_json(fields))
    attacker.set_column(FAILED, 2, "body", "[1, 2]")
    problems = {p.stream: p for p in verify(recorded).problems}
    assert problems[AWARD].stream_seq == 3 and "not valid JSON" in problems[AWARD].text
    assert "not a JSON object" in problems[FAILED].text
    assert "has unknown extra" in _verify_one_body(fields)


def _verify_one_body(fields: dict[str, Any]) -> str:
    from tenderflow.audit.verify import _parse_body

    result = _parse_body(canonical_json(fields))
    assert isinstance(result, str)
    return result


def test_cli_reports_problems_and_exits_1(attacker: Any, invoke: Any) -> None:
    attacker.set_column(AWARD, 5, "occurred_at", "2023-03-02T11:00:00+08:00")
    attacker.sql("DELETE FROM events WHERE stream_id = ? AND stream_seq = 2", (FAILED,))
    result = invoke("audit", "verify")
    assert result.exit_code == 1
    assert "✗ 2 problem(s)" in result.stdout
    assert f"{AWARD} #5" in result.stdout and f"{FAILED} #2" in result.stdout
    data = json.loads(invoke("--json", "audit", "verify").stdout)
    assert data["ok"] is False
    assert [(p["stream"], p["stream_seq"], p["kind"]) for p in data["problems"]] == [
        (AWARD, 5, "hash"), (FAILED, 2, "sequence")]


def test_verify_streams_the_rows(recorded: Any) -> None:
    """Bounded memory: the walk steps through one statement (SQLite's cursor reads as it
    goes) or LIMITed batches (elsewhere), never holding the whole table."""
    from tenderflow.store import verifying

    with recorded.store.reading() as tx:
        events = tx.count_events()
        batches = tx.stored_rows(batch=5).batches()
        first = next(batches)
        assert len(first) == 5 and first[0][0] == 1 and isinstance(first[0][7], bytes)
        assert sum(len(b) for b in batches) == events - 5
    seen: list[int] = []
    real = verifying._batches

    def counting(conn: Any, base: Any, batch: int) -> Any:
        for rows in real(conn, base, batch):
            assert len(rows) <= batch
            seen.extend(row[0] for row in rows)
            yield rows

    verifying._batches = counting  # type: ignore[assignment]
    try:
        report, _ = verify_store(recorded.store, batch=5)
    finally:
        verifying._batches = real  # type: ignore[assignment]
    assert report.ok and report.events == events == len(seen)


def test_events_appended_while_verifying_are_caught_up(recorded: Any) -> None:
    """Heads read after the walk may be ahead of it: the verifier reads those events too."""
    verifier = ChainVerifier()
    with recorded.store.reading() as tx:
        verifier.feed_all(tx.raw_events())
    recorded.register("projects", [{**_project(recorded), "households": 1300}], "staff:wang",
                        parse_time("2025-01-02T09:00+08:00"))
    with recorded.store.reading() as tx:
        heads = tx.heads()
        verifier.catch_up(tx, heads)
        report = verifier.finish(heads, tx.definitions())
    with recorded.store.reading() as tx:
        assert report.ok and report.events == tx.count_events()


def _project(services: Any) -> dict[str, Any]:
    with services.store.reading() as tx:
        snap = tx.snapshot("project:CD-HH-2023")
    assert snap is not None
    return dict(snap[1])


def test_the_fast_path_agrees_with_the_full_checks(recorded: Any) -> None:
    """A sound row is taken by the fast path (hash, the columns against the body's first and
    last bytes, the link); the full checks (parse, every field) find the same log sound, and
    a row whose column was changed leaves the fast path and is named by the full checks."""
    with recorded.store.reading() as tx:
        raw = list(tx.raw_events())
        stored = tx.stored_rows(batch=7)
        rows = [row for batch in stored.batches() for row in batch]
        assert [r[0] for r in rows] == [r.global_seq for r in raw]
        assert [stored.inflate(r[6], r[7]) for r in rows] == [
            (r.body.encode("utf-8"), None) for r in raw]
        quick, full = ChainVerifier(), ChainVerifier()
        quick.feed_stored(tx.stored_rows(batch=7))
    assert quick.full_checks == 0  # every row sound on the fast path
    for r in raw:
        full.feed(r)  # the full checks, row by row
    assert not full.broken and full.events == quick.events == len(raw)
    assert {s: (t.seq, t.hash, t.last_global) for s, t in quick.tails.items()} == {
        s: (t.seq, t.hash, t.last_global) for s, t in full.tails.items()}
    assert quick.pinned == full.pinned and quick.last_global == full.last_global
    with recorded.store.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS events_no_update")
        conn.exec_driver_sql("UPDATE events SET actor = 'staff:someone' WHERE global_seq = 3")
    report, verifier = verify_store(recorded.store)
    assert [p.kind for p in report.problems] == ["column"]
    assert "column actor: body" in report.problems[0].text
    assert verifier.full_checks >= 1


def test_a_payload_that_looks_like_the_fields_after_it_is_read_right(store: Any) -> None:
    """The fast path finds ``prev_hash`` and ``pins`` from the end of the body: a payload
    with keys of the same names (``pins``, ``prev_hash``) cannot be taken for them, since in
    canonical JSON no key can follow the top-level ``prev_hash`` but the scalar fields."""
    from tenderflow.store.eventstore import NewEvent
    from tests.conftest import with_generic_events

    store = with_generic_events(store)
    at = "2023-03-01T09:00:00+08:00"
    decoy = {"a": 1, "pins": {"b": "2"}, "prev_hash": "0" * 64,
             "z": ',"prev_hash":"' + "1" * 64 + '","recorded_at":"'}
    with store.transaction() as tx:
        tx.append("thing:1", 0, [NewEvent("Thing", decoy, at, "staff:wang", {})], at)
        tx.append("thing:1", 1, [NewEvent("Thing", decoy, at, "staff:wang", {})], at)
    report, verifier = verify_store(store)
    assert report.ok, report.problems
    assert verifier.pinned == set()  # the payload's "pins" is not taken for the event's
