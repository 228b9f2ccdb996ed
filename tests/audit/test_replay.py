"""``audit replay``: every recorded step re-decided with the pinned rules; a forged step with
valid hashes but an illegal transition is reported with its guard, rule and legal source;
projections that differ from the replayed state are reported; today's workflows/ files do not
matter."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tenderflow.audit.replay import replay
from tenderflow.audit.verify import verify_store
from tenderflow.paths import examples_dir, project_root
from tenderflow.store.eventstore import NewEvent
from tests.audit.conftest import AWARD, FAILED

EXAMPLES = examples_dir()  # the project's, whatever TENDERFLOW_HOME a test sets later


def event(attacker: Any, stream: str, seq: int) -> NewEvent:
    """The stored event ``seq`` as a NewEvent (to forge a variant of it)."""
    row = attacker.event(stream, seq)
    return NewEvent(row["type"], json.loads(row["payload"]), row["occurred_at"], row["actor"],
                    json.loads(row["pins"]), row["schema_version"])


def one(report: Any, stream: str) -> Any:
    [found] = [s for s in report.streams if s.stream == stream]
    return found


def test_recorded_examples_replay_clean(recorded: Any) -> None:
    report = replay(recorded.store)
    assert report.ok, json.dumps(report.to_dict(), ensure_ascii=False, indent=1)
    award = one(report, AWARD)
    with recorded.store.reading() as tx:
        version = tx.head(AWARD)[0]
        registries = [s for s in tx.stream_ids() if not s.startswith("procurement:")]
    assert award.events == version and award.decided == version - 1
    assert award.state == "awarded" and one(report, FAILED).state == "failed"
    assert {s.stream for s in report.streams} >= set(registries)


def test_forged_award_to_a_bidder_the_rules_refuse_is_found(attacker: Any,
                                                            recorded: Any) -> None:
    """The example's cheapest bidder S-SLGC does not meet the substantive requirements: an
    award to it, appended with valid hashes in place of the real award, is refused."""
    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    forged = event(attacker, AWARD, seq)
    assert forged.payload["data"]["supplier"] == "S-HXJS"
    forged.payload["data"]["supplier"] = "S-SLGC"
    attacker.forge(recorded.store, AWARD, seq - 1, [forged])
    assert verify_store(recorded.store)[0].ok  # every hash is valid
    result = one(replay(recorded.store, "CN-2023-001"), AWARD)
    v = result.violation
    assert v is not None and (v.stream_seq, v.type, v.kind) == (seq, "ProcurementAwarded",
                                                                "refused")
    assert v.trigger == "award" and v.actor == forged.actor
    hits = [r for r in v.refusals if r["guard"] == "lowest_compliant_price"]
    assert hits, v.refusals
    assert hits[0]["rule"] == "negotiation.lowest_price"
    assert "政府采购法 第38条" in hits[0]["source"] and "S-SLGC" in hits[0]["reason"]


def test_forged_early_close_before_the_response_deadline_is_found(attacker: Any,
                                                                  recorded: Any) -> None:
    """Closing the responses (and starting negotiation) before the deadline has passed."""
    seq = attacker.seq_of(AWARD, "ResponsesClosed")
    forged = event(attacker, AWARD, seq)
    issued = event(attacker, AWARD, attacker.seq_of(AWARD, "NegotiationDocumentsIssued"))
    deadline = issued.payload["data"]["response_deadline"]
    first_response = attacker.seq_of(AWARD, "ResponseSubmitted")
    early = event(attacker, AWARD, first_response).occurred_at
    forged = NewEvent(forged.type, forged.payload, early, "staff:wang", forged.pins)
    attacker.forge(recorded.store, AWARD, first_response, [forged])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (first_response + 1, "refused")
    guards = {r["guard"]: r for r in v.refusals}
    assert "responses_min" in guards, v.refusals
    refusal = guards["responses_min"]
    assert refusal["rule"] == "negotiation.responses_min"
    assert "has not passed" in refusal["reason"] and refusal["source"]
    assert refusal.get("opens_at", "").startswith(deadline[:10])


def test_forged_step_skipping_the_required_state_is_found(attacker: Any,
                                                          recorded: Any) -> None:
    """An award recorded right after the documents were issued: not possible in that state."""
    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    forged = event(attacker, AWARD, seq)
    issued = attacker.seq_of(AWARD, "NegotiationDocumentsIssued")
    forged.payload["from"] = "documents_issued"
    attacker.forge(recorded.store, AWARD, issued, [forged])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (issued + 1, "not_possible")
    assert "'award' is not possible in state 'documents_issued'" in v.message


def test_forged_actor_without_the_role_is_found(attacker: Any, recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    forged = event(attacker, AWARD, seq)
    forged = NewEvent(forged.type, forged.payload, forged.occurred_at, "supplier:S-HXJS",
                      forged.pins)
    attacker.forge(recorded.store, AWARD, seq - 1, [forged])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and v.kind == "role" and "role 'supplier' may not fire 'award'" in \
        v.message


def test_recorded_outcome_other_than_the_rules_decide_is_found(attacker: Any,
                                                               recorded: Any) -> None:
    """The guards pass, but the log claims the procurement failed instead of going on."""
    seq = attacker.seq_of(AWARD, "ResponsesClosed")
    forged = event(attacker, AWARD, seq)
    forged = NewEvent("ProcurementFailed", {**forged.payload, "to": "failed"},
                      forged.occurred_at, forged.actor, forged.pins)
    attacker.forge(recorded.store, AWARD, seq - 1, [forged])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (seq, "differs")
    assert "the pinned rules record ResponsesClosed → negotiating" in v.message
    assert "the log has ProcurementFailed → failed" in v.message


def test_altered_checks_in_a_payload_are_found(attacker: Any, recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "SuppliersInvited")
    forged = event(attacker, AWARD, seq)
    later = [event(attacker, AWARD, s) for s in range(seq + 1, attacker.version(AWARD) + 1)]
    forged.payload["checks"] = forged.payload["checks"][:1]
    attacker.forge(recorded.store, AWARD, seq - 1, [forged, *later])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (seq, "differs")
    assert "payload.checks[1]: replayed {" in v.message and "recorded (absent)" in v.message


def test_supplier_facts_that_were_not_registered_are_found(attacker: Any,
                                                           recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "SuppliersInvited")
    forged = event(attacker, AWARD, seq)
    later = [event(attacker, AWARD, s) for s in range(seq + 1, attacker.version(AWARD) + 1)]
    facts = forged.payload["facts"]["suppliers"]
    facts["S-SLGC"] = {**facts["S-SLGC"], "net_assets": "99000000.00"}
    attacker.forge(recorded.store, AWARD, seq - 1, [forged, *later])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (seq, "facts")
    assert "facts.suppliers.S-SLGC.net_assets: registered" in v.message
    assert "recorded '99000000.00'" in v.message


def test_altered_pinned_definition_is_found_by_replay(attacker: Any, recorded: Any) -> None:
    attacker.sql("UPDATE definitions SET body = replace(body, '\"value\":3', '\"value\":2') "
                 "WHERE kind = 'parameters'")
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (1, "definitions")
    assert "was altered: its body hashes to" in v.message


def test_projections_that_differ_from_the_replay_are_found(attacker: Any,
                                                           recorded: Any) -> None:
    attacker.edit_snapshot(AWARD, '"awarded"', '"cancelled"')
    attacker.sql("UPDATE procurements SET state = 'negotiating' WHERE id = 'CN-2023-002'")
    attacker.edit_snapshot("supplier:S-CDJG", "成都建工", "成都假工")
    attacker.sql("INSERT INTO procurements VALUES ('CN-GHOST', 'CD-HH-2023', "
                 "'competitive_negotiation', 'awarded', 3, NULL)")
    report = replay(recorded.store)
    assert not report.ok
    award = one(report, AWARD)
    assert award.violation is None
    assert any("snapshot.state: replayed 'awarded', stored 'cancelled'" in p
               for p in award.projection), award.projection
    failed = one(report, FAILED)
    assert failed.projection == ["procurements.state: replayed 'failed', stored 'negotiating'"]
    supplier = one(report, "supplier:S-CDJG")
    assert any("snapshot." in p and "stored '成都假工" in p for p in supplier.projection), \
        supplier.projection
    assert report.problems == [
        "the procurements read model lists CN-GHOST but there is no stream procurement:CN-GHOST"]


def test_old_event_this_code_cannot_fold_is_reported_not_a_crash(attacker: Any,
                                                                 recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    forged = event(attacker, AWARD, seq)
    del forged.payload["data"]
    attacker.forge(recorded.store, AWARD, seq - 1, [forged])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and v.stream_seq == seq and v.kind in ("data", "fold")


# --- today's workflows/ files do not matter ---------------------------------------------------

@pytest.fixture
def home(tmp_path: Path, monkeypatch: Any) -> Path:
    """A copy of the project's definitions, used through TENDERFLOW_HOME."""
    copy = tmp_path / "home"
    shutil.copytree(project_root() / "workflows", copy / "workflows")
    monkeypatch.setenv("TENDERFLOW_HOME", str(copy))
    return copy


def test_replay_uses_the_pinned_definitions_not_todays_files(home: Path, services: Any) -> None:
    import yaml

    from tenderflow.app.scenario import run_scenario
    from tenderflow.domain.timeutil import parse_time
    from tenderflow.errors import TriggerRefused
    from tenderflow.workflow import engine

    assert run_scenario(services, EXAMPLES / "negotiation_award.yaml").ok
    with services.store.reading() as tx:
        pins = [e.pins for e in tx.read_stream(AWARD)]
    # After recording, the definitions are edited: a longer response period, another mode
    # title, and the award transition loses a guard.
    params_file = home / "workflows" / "parameters.yaml"
    params = yaml.safe_load(params_file.read_text(encoding="utf-8"))
    params["negotiation.response_min_working_days"]["values"].append(
        {"from": "2023-01-01", "value": 10})
    params_file.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    wf_file = home / "workflows" / "competitive_negotiation.yaml"
    wf = yaml.safe_load(wf_file.read_text(encoding="utf-8"))
    wf["title"]["zh"] = "竞争性谈判（修订）"
    wf_file.write_text(yaml.safe_dump(wf, allow_unicode=True), encoding="utf-8")
    # Today's definitions now decide differently: the recorded deadline is too early.
    today = services.definitions("competitive_negotiation")
    assert today.pins()["workflow"] != pins[-1]["workflow"]
    assert today.pins()["parameters"] != pins[-1]["parameters"]
    state = services.state("CN-2023-001")
    with services.store.reading() as tx:
        issued = next(e for e in tx.read_stream(AWARD)
                      if e.type == "NegotiationDocumentsIssued")
    before = {**state, "state": "invited"}
    with pytest.raises(TriggerRefused, match="response_period|negotiation.response_min"):
        engine.decide(today, "CN-2023-001", before, "issue_documents", issued.payload["data"],
                      {}, parse_time(issued.occurred_at), issued.actor)
    # ... but replay re-decides with what was pinned, and reaches the recorded decisions.
    report = replay(services.store, "CN-2023-001")
    assert report.ok, json.dumps(report.to_dict(), ensure_ascii=False, indent=1)
    # Even with the mode file gone altogether.
    wf_file.unlink()
    params_file.unlink()
    assert replay(services.store, "CN-2023-001").ok


# --- the command line ---------------------------------------------------------------------------

def test_cli_replay(recorded: Any, invoke: Any, attacker: Any) -> None:
    ok = invoke("audit", "replay", "CN-2023-001")
    assert ok.exit_code == 0, ok.output
    assert f"✓ {AWARD}:" in ok.stdout and "steps re-decided with the pinned rules" in ok.stdout
    everything = invoke("--json", "audit", "replay", "--all")
    assert everything.exit_code == 0 and json.loads(everything.stdout)["ok"] is True
    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    forged = event(attacker, AWARD, seq)
    forged.payload["data"]["supplier"] = "S-SLGC"
    attacker.forge(recorded.store, AWARD, seq - 1, [forged])
    bad = invoke("audit", "replay", "--all")
    assert bad.exit_code == 1
    assert f"✗ {AWARD}" in bad.stdout and f"#{seq} ProcurementAwarded (award)" in bad.stdout
    assert "✗ lowest_compliant_price [negotiation.lowest_price]" in bad.stdout
    assert "政府采购法 第38条" in bad.stdout
    data = json.loads(invoke("--json", "audit", "replay", "CN-2023-001").stdout)
    assert data["ok"] is False
    assert data["streams"][0]["violation"]["refusals"][0]["guard"]


@pytest.mark.parametrize(("args", "message"), [
    ((), "give a procurement id or --all"),
    (("CN-2023-001", "--all"), "give a procurement id or --all"),
    (("NOPE",), "no procurement 'NOPE'"),
])
def test_cli_replay_bad_usage_exits_2(recorded: Any, invoke: Any, args: tuple[str, ...],
                                      message: str) -> None:
    result = invoke("audit", "replay", *args)
    assert result.exit_code == 2 and message in result.stderr


def test_unreadable_rows_are_reported_not_a_crash(attacker: Any, recorded: Any,
                                                  invoke: Any, tmp_path: Path) -> None:
    """A JSON column broken by hand: replay reports it, export and report refuse (exit 1)
    and name the stream, none crashes."""
    attacker.set_column(AWARD, 3, "payload", "{not json")
    result = one(replay(recorded.store), AWARD)
    assert result.violation is not None and result.violation.kind == "unreadable"
    assert "cannot be read" in result.violation.message
    assert "audit verify" in result.violation.message
    for args in (("export", "--format", "ocds", "--out", str(tmp_path / "o.json")),
                 ("report", "CN-2023-001", "--out", str(tmp_path / "r.pdf")),
                 ("replay", "CN-2023-001")):
        out = invoke("audit", *args)
        assert out.exit_code == 1, (args, out.output)
        assert "Traceback" not in out.output and "internal error" not in out.output


def test_forged_definition_that_is_not_json_is_reported(attacker: Any, recorded: Any) -> None:
    """A definition row whose body hashes to its key but is not JSON, pinned by a forged
    event: replay reports it instead of crashing."""
    from tenderflow.store.canonical import sha256_hex

    body = "not json at all"
    digest = sha256_hex(body)
    attacker.sql("INSERT INTO definitions VALUES (?, 'parameters', 'forged', ?)",
                 (digest, body))
    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    forged = event(attacker, AWARD, seq)
    forged = NewEvent(forged.type, forged.payload, forged.occurred_at, forged.actor,
                      {**forged.pins, "parameters": digest})
    attacker.forge(recorded.store, AWARD, seq - 1, [forged])
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and v.kind == "definitions" and "is not JSON" in v.message


def test_backdated_event_is_found_by_replay(attacker: Any, recorded: Any) -> None:
    """An event whose business time is moved before the one before it (a late bid made to look
    on time), with the chain rehashed so that verify passes: replay reports it."""
    seq = attacker.seq_of(AWARD, "ResponseSubmitted") + 1
    before = event(attacker, AWARD, seq - 1).occurred_at

    def backdate(fields: dict[str, Any]) -> None:
        fields["occurred_at"] = "2023-01-01T09:00:00+08:00"

    attacker.rewrite(AWARD, seq, backdate)
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (seq, "time")
    assert "2023-01-01T09:00:00+08:00" in v.message and before in v.message


def test_late_entry_without_its_reason_is_found_by_replay(attacker: Any, recorded: Any) -> None:
    """The examples are recorded years after they happened: every event carries its reason;
    one with the reason removed is reported, and so is a bid's receipt removed."""
    seq = attacker.seq_of(AWARD, "NegotiationDocumentsIssued")
    assert event(attacker, AWARD, seq).payload["late_entry"]["reason"]

    def drop(fields: dict[str, Any]) -> None:
        del fields["payload"]["late_entry"]

    attacker.rewrite(AWARD, seq, drop)
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (seq, "time")
    assert "a late entry states its reason" in v.message


def test_submission_recorded_after_its_deadline_without_receipt_is_found(
        attacker: Any, recorded: Any) -> None:
    seq = attacker.seq_of(AWARD, "ResponseSubmitted")
    assert event(attacker, AWARD, seq).payload["late_entry"]["receipt"]

    def drop(fields: dict[str, Any]) -> None:
        del fields["payload"]["late_entry"]["receipt"]

    attacker.rewrite(AWARD, seq, drop)
    v = one(replay(recorded.store, "CN-2023-001"), AWARD).violation
    assert v is not None and (v.stream_seq, v.kind) == (seq, "time")
    assert "name the receipt" in v.message
