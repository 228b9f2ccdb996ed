"""``audit seal`` / ``audit verify --checkpoint``: signed checkpoints find what the chain alone
cannot (a deleted stream, a cut tail with the head moved back, a stream rewritten with
recomputed hashes), and a checkpoint file that was altered or signed by another key."""

from __future__ import annotations

import base64
import hashlib
import json
import os
from pathlib import Path
from typing import Any

import pytest

from tenderflow.audit.seal import (
    check_checkpoint,
    leaf_hash,
    load_private_key,
    merkle_root,
    read_checkpoint,
    seal,
    verify_with_checkpoint,
)
from tenderflow.audit.verify import verify_store
from tenderflow.errors import CheckFailed, InputError
from tests.audit.conftest import AWARD, FAILED
from tests.conftest import HISTORIC

SEALED_AT = "2023-06-01T09:00:00+08:00"


def sealed(services: Any, keys: tuple[Path, Path], tmp_path: Path, name: str = "seal.json"
           ) -> Path:
    out = tmp_path / name
    seal(services.store, load_private_key(keys[0]), out, "auditor:zhao", SEALED_AT)
    return out


def checked(services: Any, checkpoint: Path, keys: tuple[Path, Path]) -> Any:
    return verify_with_checkpoint(services.store, checkpoint, keys[1])


# --- the Merkle tree ------------------------------------------------------------------------

def _h(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def test_merkle_root_follows_rfc6962() -> None:
    leaves = [leaf_hash(f"s{i}", i + 1, "ab" * 32) for i in range(5)]
    assert merkle_root([]) == hashlib.sha256(b"").hexdigest()
    assert merkle_root(leaves[:1]) == leaves[0].hex()
    # n = 5 splits 4 | 1; 4 splits 2 | 2
    left = _h(b"\x01" + _h(b"\x01" + leaves[0] + leaves[1]) + _h(b"\x01" + leaves[2] + leaves[3]))
    assert merkle_root(leaves) == _h(b"\x01" + left + leaves[4]).hex()
    # n = 3 splits 2 | 1
    assert merkle_root(leaves[:3]) == _h(b"\x01" + _h(b"\x01" + leaves[0] + leaves[1])
                                         + leaves[2]).hex()
    assert leaves[0] == _h(b"\x00" + b'["s0",1,"' + b"ab" * 32 + b'"]')


# --- sealing --------------------------------------------------------------------------------

def test_seal_writes_a_signed_checkpoint_and_records_it(recorded: Any, keys: Any,
                                                        tmp_path: Path) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

    from tenderflow.store.canonical import canonical_json

    out = sealed(recorded, keys, tmp_path)
    doc = json.loads(out.read_text(encoding="utf-8"))
    body = doc["checkpoint"]
    with recorded.store.reading() as tx:
        heads = tx.heads()
        events = tx.count_events()
        [row] = tx.checkpoints()
    assert body["streams"] == [[s, v, h] for s, (v, h) in sorted(heads.items())]
    assert body["events"] == events == body["last_global_seq"]
    assert body["sealed_by"] == "auditor:zhao" and body["previous"] is None
    message = canonical_json(body).encode()
    assert doc["digest"] == hashlib.sha256(message).hexdigest() == row.digest
    public = Ed25519PublicKey.from_public_bytes(base64.b64decode(doc["signature"]["public_key"]))
    public.verify(base64.b64decode(doc["signature"]["value"]), message)  # raises if invalid
    assert row.document == out.read_text(encoding="utf-8")
    assert (row.streams, row.events, row.merkle_root) == (len(heads), events,
                                                          body["merkle"]["root"])
    report = checked(recorded, out, keys)
    assert report.ok, [p.text for p in report.problems]
    assert report.checkpoint["signature_valid"] and report.checkpoint["key_pinned"]


def test_checkpoints_chain_to_the_previous_one(recorded: Any, keys: Any, tmp_path: Path) -> None:
    first = json.loads(sealed(recorded, keys, tmp_path, "one.json").read_text())
    second = json.loads(sealed(recorded, keys, tmp_path, "two.json").read_text())
    assert second["checkpoint"]["previous"] == first["digest"]
    with recorded.store.reading() as tx:
        assert [r.number for r in tx.checkpoints()] == [1, 2]


def test_checkpoints_table_is_append_only(recorded: Any, keys: Any, tmp_path: Path) -> None:
    from sqlalchemy import text

    sealed(recorded, keys, tmp_path)
    for statement in ("UPDATE checkpoints SET sealed_by = 'x'", "DELETE FROM checkpoints"):
        with pytest.raises(Exception, match="append-only"), recorded.store.engine.begin() as c:
            c.execute(text(statement))


def test_a_log_that_does_not_verify_is_not_sealed(attacker: Any, recorded: Any, keys: Any,
                                                  tmp_path: Path) -> None:
    attacker.set_column(AWARD, 5, "occurred_at", "2023-03-02T11:00:00+08:00")
    out = tmp_path / "seal.json"
    with pytest.raises(CheckFailed, match=rf"not sealed: {AWARD} #5"):
        seal(recorded.store, load_private_key(keys[0]), out, "auditor:zhao", SEALED_AT)
    assert not out.exists()
    with recorded.store.reading() as tx:
        assert tx.checkpoints() == []


def test_no_file_is_left_when_the_database_does_not_commit(recorded: Any, keys: Any,
                                                           tmp_path: Path,
                                                           monkeypatch: Any) -> None:
    from tenderflow.store.eventstore import Tx

    def fail(self: Any, **values: Any) -> int:
        raise RuntimeError("disk full")

    monkeypatch.setattr(Tx, "add_checkpoint", fail)
    out = tmp_path / "seal.json"
    with pytest.raises(RuntimeError):
        seal(recorded.store, load_private_key(keys[0]), out, "auditor:zhao", SEALED_AT)
    assert not out.exists()


# --- what only a checkpoint finds ----------------------------------------------------------

def test_deleted_stream_is_found_with_a_checkpoint(attacker: Any, recorded: Any, keys: Any,
                                                   tmp_path: Path) -> None:
    out = sealed(recorded, keys, tmp_path)
    attacker.delete_stream(FAILED)
    assert verify_store(recorded.store)[0].ok  # the chain alone cannot tell
    report = checked(recorded, out, keys)
    [p] = report.problems
    assert (p.stream, p.kind) == (FAILED, "checkpoint")
    assert "the stream is gone: sealed with" in p.text


def test_truncated_tail_with_head_moved_back_is_found_with_a_checkpoint(
        attacker: Any, recorded: Any, keys: Any, tmp_path: Path) -> None:
    out = sealed(recorded, keys, tmp_path)
    n = attacker.version(AWARD)
    attacker.truncate(AWARD, n - 2, move_head=True)
    assert verify_store(recorded.store)[0].ok
    [p] = checked(recorded, out, keys).problems
    assert (p.stream, p.stream_seq) == (AWARD, n)
    assert (f"the stream ends at event {n - 2}, sealed at {n}: events {n - 1}–{n} were removed"
            in p.text)


def test_stream_rewritten_with_recomputed_hashes_is_found_with_a_checkpoint(
        attacker: Any, recorded: Any, keys: Any, tmp_path: Path) -> None:
    out = sealed(recorded, keys, tmp_path)
    n = attacker.version(AWARD)

    def backdate(fields: dict[str, Any]) -> None:
        fields["occurred_at"] = "2023-03-02T11:00:00+08:00"

    attacker.rewrite(AWARD, attacker.seq_of(AWARD, "NegotiationDocumentsIssued"), backdate)
    assert verify_store(recorded.store)[0].ok
    [p] = checked(recorded, out, keys).problems
    assert (p.stream, p.stream_seq) == (AWARD, n)
    assert f"the stream was rewritten at or before event {n}" in p.text


def test_events_appended_after_sealing_are_fine(recorded: Any, keys: Any,
                                                tmp_path: Path) -> None:
    from tenderflow.domain.timeutil import parse_time

    out = sealed(recorded, keys, tmp_path)
    recorded.open_procurement("CN-2023-009", "CD-HH-2023", "competitive_negotiation",
                              "staff:wang", parse_time("2023-07-01T09:00+08:00"))
    report = checked(recorded, out, keys)
    assert report.ok, [p.text for p in report.problems]


def test_event_slipped_under_a_sealed_global_seq_is_found(
        services: Any, keys: Any, tmp_path: Path, monkeypatch: Any, db_path: Path) -> None:
    """PostgreSQL sequences leave gaps (a rolled-back append); an attacker may fill one with a
    new, self-consistent stream. The checkpoint's event count below its last number finds it."""
    from tenderflow.app.scenario import run_scenario
    from tenderflow.paths import examples_dir
    from tenderflow.store.canonical import (
        GENESIS,
        event_body,
        sha256_hex,
    )
    from tenderflow.store.eventstore import Tx
    from tests.audit.attacker import INSERT_EVENT, Attacker, insert_values

    original = Tx._next_global_seq
    calls = {"n": 0}

    def with_a_gap(self: Any) -> int:
        calls["n"] += 1
        return int(original(self)) + (1 if calls["n"] == 3 else 0)

    monkeypatch.setattr(Tx, "_next_global_seq", with_a_gap)
    assert run_scenario(services, examples_dir() / "negotiation_award.yaml").ok
    monkeypatch.undo()
    report, _ = verify_store(services.store)
    assert report.ok and "1 gap(s)" in report.notes[0]
    out = sealed(services, keys, tmp_path)
    gap = next(g for g in range(1, 100) if _free(db_path, g))
    fields = {"global_seq": gap, "stream_id": "project:FAKE", "stream_seq": 1,
              "type": "ProjectRegistered", "schema_version": 1,
              "occurred_at": "2023-01-01T09:00:00+08:00",
              "recorded_at": "2023-01-01T09:00:00+08:00", "actor": "staff:wang", "pins": {},
              "payload": {"profile": {"id": "FAKE"}}, "prev_hash": GENESIS}
    body = event_body(fields)
    attacker = Attacker(db_path)
    attacker.sql(INSERT_EVENT, insert_values(fields))
    attacker.sql("INSERT INTO streams VALUES ('project:FAKE', 1, ?)", (sha256_hex(body),))
    assert verify_store(services.store)[0].ok
    [p] = checked(services, out, keys).problems
    assert p.stream == "events"
    assert "1 event(s) with global_seq ≤" in p.text and "inserted afterwards" in p.text


def _free(db_path: Path, global_seq: int) -> bool:
    import sqlite3

    conn = sqlite3.connect(db_path)
    try:
        return conn.execute("SELECT count(*) FROM events WHERE global_seq = ?",
                            (global_seq,)).fetchone()[0] == 0
    finally:
        conn.close()


# --- the checkpoint file itself -------------------------------------------------------------

def _edit(path: Path, change: Any) -> None:
    doc = json.loads(path.read_text(encoding="utf-8"))
    change(doc)
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def test_altered_checkpoint_file_is_found(recorded: Any, keys: Any, tmp_path: Path) -> None:
    out = sealed(recorded, keys, tmp_path)

    def forget_failed(doc: dict[str, Any]) -> None:  # hide the stream that was later deleted
        body = doc["checkpoint"]
        body["streams"] = [s for s in body["streams"] if s[0] != FAILED]

    _edit(out, forget_failed)
    texts = [p.text for p in checked(recorded, out, keys).problems]
    assert any("the file was altered" in t for t in texts)
    assert any("the signature does not verify" in t for t in texts)
    assert any("Merkle root" in t for t in texts)


def test_checkpoint_signed_by_another_key_is_refused(recorded: Any, keys: Any,
                                                     tmp_path: Path) -> None:
    from tenderflow.audit.seal import generate_key

    other, _, _ = generate_key(tmp_path / "mallory.pem")
    out = tmp_path / "forged.json"
    seal(recorded.store, load_private_key(other), out, "auditor:zhao", SEALED_AT)
    [p] = checked(recorded, out, keys).problems
    assert "not by the given auditor key" in p.text
    unpinned = verify_with_checkpoint(recorded.store, out)
    assert unpinned.ok and "pass --pubkey" in unpinned.notes[-1]


def test_checkpoint_missing_from_the_database_is_found(attacker: Any, recorded: Any,
                                                       keys: Any, tmp_path: Path) -> None:
    out = sealed(recorded, keys, tmp_path)
    attacker.sql("DELETE FROM checkpoints")
    [p] = checked(recorded, out, keys).problems
    assert "is not recorded in this database" in p.text


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe", "not UTF-8"),
    (b"{", "not valid JSON"),
    (b"[]", "field 'top'"),
    (b'{"checkpoint": {"format": "x"}, "digest": "", "signature": {}}',
     "field 'checkpoint.format'"),
])
def test_malformed_checkpoint_file_is_bad_input(tmp_path: Path, content: bytes,
                                                message: str) -> None:
    path = tmp_path / "cp.json"
    path.write_bytes(content)
    with pytest.raises(InputError, match=message) as err:
        read_checkpoint(path)
    assert str(path) in err.value.message


def test_malformed_fields_of_a_checkpoint_are_named(recorded: Any, keys: Any,
                                                    tmp_path: Path) -> None:
    out = sealed(recorded, keys, tmp_path)
    cases = [
        (lambda d: d["checkpoint"]["streams"].append(["x", 0, "zz"]), "checkpoint.streams["),
        (lambda d: d["checkpoint"].update(events=-1), "checkpoint.events"),
        (lambda d: d["checkpoint"].pop("previous"), "missing ['previous']"),
        (lambda d: d["signature"].update(value="!!"), "signature.public_key/value"),
        (lambda d: d["signature"].update(algorithm="RSA"), "signature.algorithm"),
        (lambda d: d["checkpoint"]["merkle"].update(root="x"), "checkpoint.merkle"),
    ]
    original = out.read_text(encoding="utf-8")
    for change, message in cases:
        out.write_text(original, encoding="utf-8")
        _edit(out, change)
        with pytest.raises(InputError, match=message.replace("[", r"\[")):
            read_checkpoint(out)


def test_check_checkpoint_on_an_untrusted_file_does_not_read_the_database(
        recorded: Any, keys: Any, tmp_path: Path) -> None:
    out = sealed(recorded, keys, tmp_path)
    _edit(out, lambda d: d["checkpoint"].update(events=1))
    cp = read_checkpoint(out)

    class NoStore:
        def reading(self) -> Any:
            raise AssertionError("an altered checkpoint proves nothing: do not read the database")

    problems, summary = check_checkpoint(NoStore(), cp)
    assert problems and not summary["signature_valid"]


# --- keys -------------------------------------------------------------------------------------

def test_keygen_writes_a_private_key_only_its_owner_reads(tmp_path: Path) -> None:
    from tenderflow.audit.seal import generate_key

    private, public, kid = generate_key(tmp_path / "k.pem")
    assert public == tmp_path / "k.pub.pem"
    assert oct(os.stat(private).st_mode & 0o777) == "0o600"
    assert b"BEGIN PRIVATE KEY" in private.read_bytes()
    assert b"BEGIN PUBLIC KEY" in public.read_bytes()
    assert len(kid) == 64
    with pytest.raises(InputError, match="already exists"):
        generate_key(private)


def test_encrypted_key_needs_its_password(tmp_path: Path, monkeypatch: Any) -> None:
    from tenderflow.audit.seal import generate_key

    monkeypatch.setenv("TENDERFLOW_KEY_PASSWORD", "s3cret")
    private, _, _ = generate_key(tmp_path / "k.pem")
    assert b"ENCRYPTED PRIVATE KEY" in private.read_bytes()
    assert load_private_key(private) is not None
    monkeypatch.setenv("TENDERFLOW_KEY_PASSWORD", "wrong")
    with pytest.raises(InputError, match="password in TENDERFLOW_KEY_PASSWORD is wrong"):
        load_private_key(private)
    monkeypatch.delenv("TENDERFLOW_KEY_PASSWORD")
    with pytest.raises(InputError, match="the key is encrypted: set TENDERFLOW_KEY_PASSWORD"):
        load_private_key(private)


def test_keys_that_are_not_ed25519_are_refused(tmp_path: Path, keys: Any) -> None:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    from tenderflow.audit.seal import load_public_key

    ec_key = ec.generate_private_key(ec.SECP256R1())
    path = tmp_path / "ec.pem"
    path.write_bytes(ec_key.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    with pytest.raises(InputError, match="not Ed25519"):
        load_private_key(path)
    with pytest.raises(InputError, match="not a PEM public key"):
        load_public_key(keys[0])  # the private key is not what --pubkey takes
    with pytest.raises(InputError, match="file not found"):
        load_private_key(tmp_path / "nothing.pem")
    junk = tmp_path / "junk.pem"
    junk.write_text("hello")
    with pytest.raises(InputError, match="not a PEM private key"):
        load_private_key(junk)


# --- the command line -------------------------------------------------------------------------

def test_cli_seal_and_verify_with_checkpoint(recorded: Any, invoke: Any, tmp_path: Path,
                                             attacker: Any) -> None:
    key, pub = tmp_path / "auditor.pem", tmp_path / "auditor.pub.pem"
    made = invoke("audit", "keygen", "--out", str(key))
    assert made.exit_code == 0 and pub.exists(), made.output
    out = tmp_path / "seal.json"
    result = invoke("audit", "seal", "--key", str(key), "--out", str(out), actor="auditor:zhao")
    assert result.exit_code == 0, result.output
    assert "sealed checkpoint #1" in result.stdout and out.exists()
    ok = invoke("audit", "verify", "--checkpoint", str(out), "--pubkey", str(pub))
    assert ok.exit_code == 0, ok.output
    assert "signature valid with the given auditor key" in ok.stdout
    attacker.delete_stream(FAILED)
    bad = invoke("--json", "audit", "verify", "--checkpoint", str(out), "--pubkey", str(pub))
    assert bad.exit_code == 1
    data = json.loads(bad.stdout)
    assert data["ok"] is False and data["problems"][0]["stream"] == FAILED
    assert data["checkpoint"]["signature_valid"] is True


def test_cli_refuses_bad_input_and_writes_nothing(recorded: Any, invoke: Any, keys: Any,
                                                  tmp_path: Path) -> None:
    key, pub = keys
    out = tmp_path / "seal.json"
    cases = [
        (("audit", "verify", "--pubkey", str(pub)), "give --checkpoint too"),
        (("audit", "verify", "--checkpoint", str(tmp_path / "none.json")), "file not found"),
        (("audit", "seal", "--key", str(tmp_path / "none.pem"), "--out", str(out)),
         "file not found"),
        (("audit", "seal", "--key", str(pub), "--out", str(out)), "not a PEM private key"),
        (("audit", "seal", "--key", str(key), "--out", str(tmp_path / "no" / "s.json")),
         "the folder does not exist"),
        (("audit", "keygen", "--out", str(key)), "already exists"),
    ]
    for args, message in cases:
        result = invoke(*args, actor="auditor:zhao")
        assert result.exit_code == 2, (args, result.output)
        assert message in result.stderr, (args, result.stderr)
        assert "Traceback" not in result.output
    no_actor = invoke("audit", "seal", "--key", str(key), "--out", str(out), actor=None)
    assert no_actor.exit_code == 2 and "who is acting" in no_actor.stderr
    assert not out.exists()
    out.write_text("keep me")
    exists = invoke("audit", "seal", "--key", str(key), "--out", str(out), actor="auditor:zhao")
    assert exists.exit_code == 2 and "already exists" in exists.stderr
    assert out.read_text() == "keep me"
    with recorded.store.reading() as tx:
        assert tx.checkpoints() == []


def test_cli_seal_of_a_broken_log_exits_1(attacker: Any, invoke: Any, keys: Any,
                                          tmp_path: Path) -> None:
    attacker.sql("DELETE FROM events WHERE stream_id = ? AND stream_seq = 3", (AWARD,))
    out = tmp_path / "seal.json"
    result = invoke("audit", "seal", "--key", str(keys[0]), "--out", str(out),
                    actor="auditor:zhao")
    assert result.exit_code == 1
    assert "the log does not verify, so it is not sealed" in result.stderr
    assert f"{AWARD} #3" in result.stderr and not out.exists()


def test_progress_bar_only_on_a_terminal(monkeypatch: Any) -> None:
    import io
    import sys

    from tenderflow.cli.audit import progress_bar

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    with progress_bar(10, "verifying") as update:
        assert update is None  # pytest's stderr is not a terminal
    term = Terminal()
    monkeypatch.setattr(sys, "stderr", term)
    with progress_bar(10, "verifying") as update:
        assert update is not None
        update(10)
    assert "verifying" in term.getvalue() and "100%" in term.getvalue()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_seal_and_checkpoint_on_each_backend(backend_url: str, keys: Any,
                                             tmp_path: Path) -> None:
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.paths import examples_dir
    from tenderflow.store.eventstore import EventStore

    store = EventStore(backend_url)
    try:
        store.migrate()
        services = Services(store, entry=HISTORIC)
        assert run_scenario(services, examples_dir() / "negotiation_award.yaml").ok
        out = sealed(services, keys, tmp_path)
        report = checked(services, out, keys)
        assert report.ok, [p.text for p in report.problems]
        second = sealed(services, keys, tmp_path, "again.json")
        assert json.loads(second.read_text())["checkpoint"]["previous"] == \
            json.loads(out.read_text())["digest"]
    finally:
        store.dispose()
