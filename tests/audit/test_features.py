"""Runs the auditor's zh-CN features (features/audit/): tampering found, replay refusals found.

Steps act as an attacker on the SQLite file (tests/audit/attacker.py) and as the auditor
through the audit functions the CLI calls."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from pytest_bdd import given, parsers, scenarios, then, when

from tenderflow.audit.replay import replay
from tenderflow.audit.seal import load_private_key, seal, verify_with_checkpoint
from tenderflow.audit.verify import verify_store
from tenderflow.domain.timeutil import parse_time
from tenderflow.paths import examples_dir, project_root
from tenderflow.store.eventstore import NewEvent
from tests.audit.attacker import Attacker
from tests.conftest import HISTORIC

scenarios("audit")

EXAMPLES = examples_dir()
WORKFLOWS = project_root() / "workflows"


class Audit:
    """What the scenario's auditor and attacker have done."""

    def __init__(self, services: Any, attacker: Attacker, tmp_path: Path) -> None:
        self.services = services
        self.attacker = attacker
        self.tmp = tmp_path
        self.seq: int | None = None
        self.checkpoint: Path | None = None
        self.public_key: Path | None = None
        self.report: Any = None


@pytest.fixture
def audit(recorded: Any, attacker: Attacker, tmp_path: Path) -> Audit:
    return Audit(recorded, attacker, tmp_path)


def stored(attacker: Attacker, stream: str, seq: int) -> NewEvent:
    row = attacker.event(stream, seq)
    return NewEvent(row["type"], json.loads(row["payload"]), row["occurred_at"], row["actor"],
                    json.loads(row["pins"]), row["schema_version"])


def forge(audit: Audit, stream: str, seq: int, replacement: NewEvent) -> None:
    """Replace event ``seq`` and append the events after it again, all with valid hashes."""
    later = [stored(audit.attacker, stream, s)
             for s in range(seq + 1, audit.attacker.version(stream) + 1)]
    audit.attacker.forge(audit.services.store, stream, seq - 1, [replacement, *later])


# --- given ------------------------------------------------------------------------------------

@given(parsers.parse('已按示例场景记录竞争性谈判 "{award}" 和 "{failed}"'))
def _recorded(audit: Audit, award: str, failed: str) -> None:
    with audit.services.store.reading() as tx:
        assert {f"procurement:{award}", f"procurement:{failed}"} <= set(tx.stream_ids())


@given(parsers.parse('审计人员 "{actor}" 用自己的密钥封存检查点'))
def _sealed(audit: Audit, actor: str) -> None:
    from tenderflow.audit.seal import generate_key

    private, public, _ = generate_key(audit.tmp / "auditor.pem")
    audit.public_key = public
    audit.checkpoint = audit.tmp / "checkpoint.json"
    seal(audit.services.store, load_private_key(private), audit.checkpoint, actor,
         "2023-12-31T18:00:00+08:00")


# --- when: the attacker -------------------------------------------------------------------------

CHANGES = {
    "改动事件内容的一个字节": lambda a, s, n, row: a.set_column(
        s, n, "payload", row["payload"].replace('"S-SLGC"', '"S-SLGX"', 1)),
    "改动业务时间": lambda a, s, n, row: a.set_column(s, n, "occurred_at",
                                               "2023-01-02T09:00:00+08:00"),
    "改动记录时间": lambda a, s, n, row: a.set_column(s, n, "recorded_at",
                                               "2023-01-02T09:00:00+08:00"),
    "把业务时间写回原值": lambda a, s, n, row: a.set_column(s, n, "occurred_at",
                                                  row["occurred_at"]),
    "改动记录人列": lambda a, s, n, row: a.set_column(s, n, "actor", "staff:mallory"),
    "删除该事件": lambda a, s, n, row: a.sql(
        "DELETE FROM events WHERE stream_id = ? AND stream_seq = ?", (s, n)),
    "改动存储正文并保留原哈希": lambda a, s, n, row: a.set_column(
        s, n, "body", row["body"].replace('"S-SLGC"', '"S-SLGX"', 1)),
}


@when(parsers.parse('攻击者删除只读触发器后在 "{stream}" 的 "{etype}" 事件上{change}'))
def _tamper_event(audit: Audit, stream: str, etype: str, change: str) -> None:
    a = audit.attacker
    audit.seq = seq = a.seq_of(stream, etype)
    row = a.event(stream, seq)
    if change == "与上一个事件调换顺序":
        before = a.event(stream, seq - 1)
        a.sql("UPDATE events SET global_seq = -1 WHERE global_seq = ?", (row["global_seq"],))
        a.sql("UPDATE events SET global_seq = ? WHERE global_seq = ?",
              (row["global_seq"], before["global_seq"]))
        a.sql("UPDATE events SET global_seq = ? WHERE global_seq = -1", (before["global_seq"],))
        return
    CHANGES[change](a, stream, seq, row)


@when(parsers.parse('攻击者删除只读触发器后截断 "{stream}" 的最后 {n:d} 个事件但不回退流头'))
def _truncate_only(audit: Audit, stream: str, n: int) -> None:
    audit.attacker.truncate(stream, audit.attacker.version(stream) - n, move_head=False)


@when(parsers.parse('攻击者删除只读触发器后截断 "{stream}" 的最后 {n:d} 个事件并回退流头'))
def _truncate(audit: Audit, stream: str, n: int) -> None:
    audit.attacker.truncate(stream, audit.attacker.version(stream) - n, move_head=True)


@when(parsers.parse('攻击者删除只读触发器后删除整个流 "{stream}"'))
def _delete_stream(audit: Audit, stream: str) -> None:
    audit.attacker.delete_stream(stream)


@when(parsers.parse('攻击者删除只读触发器后改写 "{stream}" 的业务时间并重算其后所有哈希'))
def _rewrite(audit: Audit, stream: str) -> None:
    def backdate(fields: dict[str, Any]) -> None:
        fields["occurred_at"] = "2023-03-02T11:00:00+08:00"

    audit.attacker.rewrite(stream, audit.attacker.seq_of(stream, "NegotiationDocumentsIssued"),
                           backdate)


@when(parsers.parse('攻击者以有效哈希把 "{pid}" 的成交供应商改为 "{supplier}"'))
def _forge_award(audit: Audit, pid: str, supplier: str) -> None:
    stream = f"procurement:{pid}"
    seq = audit.attacker.seq_of(stream, "ProcurementAwarded")
    event = stored(audit.attacker, stream, seq)
    event.payload["data"]["supplier"] = supplier
    forge(audit, stream, seq, event)


@when(parsers.parse('攻击者以有效哈希把 "{pid}" 结束响应的时间改为 "{at}"'))
def _forge_close(audit: Audit, pid: str, at: str) -> None:
    stream = f"procurement:{pid}"
    seq = audit.attacker.seq_of(stream, "ResponsesClosed")
    event = stored(audit.attacker, stream, seq)
    forge(audit, stream, seq, NewEvent(event.type, event.payload, at, event.actor, event.pins))


@when(parsers.parse('有人从检查点文件中删去 "{stream}"'))
def _edit_checkpoint(audit: Audit, stream: str) -> None:
    assert audit.checkpoint is not None
    doc = json.loads(audit.checkpoint.read_text(encoding="utf-8"))
    body = doc["checkpoint"]
    body["streams"] = [s for s in body["streams"] if s[0] != stream]
    audit.checkpoint.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


@when(parsers.parse('采购人员在封存之后正常开启采购 "{pid}"'))
def _open_after_seal(audit: Audit, pid: str) -> None:
    audit.services.open_procurement(pid, "CD-HH-2023", "competitive_negotiation", "staff:wang",
                                    parse_time("2024-01-02T09:00+08:00"))


# --- when / then: the auditor -------------------------------------------------------------------

@when("审计人员核验日志")
def _verify(audit: Audit) -> None:
    audit.report = verify_store(audit.services.store)[0]


@when("审计人员重放全部采购")
def _replay_all(audit: Audit) -> None:
    audit.report = replay(audit.services.store)


@then("核验通过")
def _verified(audit: Audit) -> None:
    report = verify_store(audit.services.store)[0]
    assert report.ok, [p.text for p in report.problems]


@then(parsers.parse('核验发现 "{stream}" 的 "{etype}" 事件有误，说明含 "{text}"'))
def _found(audit: Audit, stream: str, etype: str, text: str) -> None:
    report = verify_store(audit.services.store)[0]
    [problem] = report.problems
    assert (problem.stream, problem.stream_seq) == (stream, audit.seq), problem.text
    assert text in problem.text, problem.text


@then(parsers.parse('核验发现 "{stream}" 的末尾缺少 {n:d} 个事件'))
def _found_tail(audit: Audit, stream: str, n: int) -> None:
    [problem] = verify_store(audit.services.store)[0].problems
    assert problem.stream == stream and problem.kind == "head"
    assert f"–{problem.stream_seq + n - 1} are missing" in problem.text, problem.text


@then("仅凭哈希链核验通过")
def _chain_only(audit: Audit) -> None:
    report = verify_store(audit.services.store)[0]
    assert report.ok, [p.text for p in report.problems]


def _with_checkpoint(audit: Audit) -> Any:
    assert audit.checkpoint is not None
    return verify_with_checkpoint(audit.services.store, audit.checkpoint, audit.public_key)


@then(parsers.parse('依据检查点核验发现 "{stream}" 有误，说明含 "{text}"'))
def _found_with_checkpoint(audit: Audit, stream: str, text: str) -> None:
    [problem] = _with_checkpoint(audit).problems
    assert problem.stream == stream and text in problem.text, problem.text


@then("依据检查点核验通过")
def _checkpoint_ok(audit: Audit) -> None:
    report = _with_checkpoint(audit)
    assert report.ok, [p.text for p in report.problems]


@then(parsers.parse('依据检查点核验发现检查点文件有误，说明含 "{text}"'))
def _checkpoint_file_bad(audit: Audit, text: str) -> None:
    problems = _with_checkpoint(audit).problems
    assert problems and all(p.stream.startswith("checkpoint ") for p in problems)
    assert any(text in p.text for p in problems), [p.text for p in problems]


@then("重放通过")
def _replayed(audit: Audit) -> None:
    assert audit.report.ok, json.dumps(audit.report.to_dict(), ensure_ascii=False)


@then(parsers.parse('重放 "{pid}" 的结果为 "{outcome}"'))
def _replay_outcome(audit: Audit, pid: str, outcome: str) -> None:
    """"通过", or "拒绝:<event type>:<rule>:<part of the legal source>"."""
    [result] = replay(audit.services.store, pid).streams
    if outcome == "通过":
        assert result.ok, json.dumps(result.to_dict(), ensure_ascii=False)
        return
    _, etype, rule, source = outcome.split(":", 3)
    v = result.violation
    assert v is not None and v.kind == "refused" and v.type == etype, result.to_dict()
    hits = [r for r in v.refusals if r["rule"] == rule]
    assert hits, v.refusals
    assert source in hits[0]["source"] and hits[0]["guard"], hits[0]


# --- today's rule files do not change history -------------------------------------------------

@given(parsers.parse('在规则文件副本上重新记录示例采购 "{pid}"'))
def _record_on_a_copy(audit: Audit, pid: str, monkeypatch: Any) -> None:
    from tenderflow.app.procurement import Services
    from tenderflow.app.scenario import run_scenario
    from tenderflow.store.eventstore import EventStore

    home = audit.tmp / "home"
    shutil.copytree(WORKFLOWS, home / "workflows")
    monkeypatch.setenv("TENDERFLOW_HOME", str(home))
    store = EventStore(f"sqlite:///{audit.tmp / 'copy.db'}")
    store.migrate()
    audit.services = Services(store, entry=HISTORIC)
    assert run_scenario(audit.services, EXAMPLES / "negotiation_award.yaml").ok
    assert audit.services.state(pid)["state"] == "awarded"


@when(parsers.parse('之后把副本中竞争性谈判的响应期限改为 {n:d} 个工作日'))
def _edit_copy(audit: Audit, n: int) -> None:
    path = audit.tmp / "home" / "workflows" / "parameters.yaml"
    params = yaml.safe_load(path.read_text(encoding="utf-8"))
    params["negotiation.response_min_working_days"]["values"].append(
        {"from": "2023-01-01", "value": n})
    path.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")


@then(parsers.parse('按今天的规则文件，"{pid}" 当初发出谈判文件的一步会被拒绝'))
def _today_refuses(audit: Audit, pid: str) -> None:
    from tenderflow.domain.state import empty_state, fold
    from tenderflow.errors import TriggerRefused
    from tenderflow.workflow import engine

    today = audit.services.definitions("competitive_negotiation")
    state = empty_state(pid)
    with audit.services.store.reading() as tx:
        for ev in tx.read_stream(f"procurement:{pid}"):
            if ev.type == "NegotiationDocumentsIssued":
                with pytest.raises(TriggerRefused, match="negotiation.response_min_working_days"):
                    engine.decide(today, pid, state, "issue_documents", ev.payload["data"],
                                  ev.payload.get("facts") or {}, parse_time(ev.occurred_at),
                                  ev.actor)
                return
            state = fold(state, ev.type, ev.payload, ev.occurred_at, ev.stream_seq)
    raise AssertionError("no NegotiationDocumentsIssued event")
