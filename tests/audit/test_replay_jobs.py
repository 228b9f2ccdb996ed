"""``audit replay --all --jobs N``: the streams split between N worker processes give the
report of one process — the same streams in the same order, the same findings, the same
printed output — on a clean log and on one with a forged step, an altered projection and an
unreadable row."""

from __future__ import annotations

import json
import os
import time
from typing import Any

from tenderflow.audit import replay as replay_module
from tenderflow.audit.replay import replay
from tests.audit.conftest import AWARD, FAILED
from tests.audit.test_replay import event


def tamper(attacker: Any, recorded: Any) -> int:
    """A forged award the rules refuse, a snapshot altered, an unreadable supplier row."""
    seq = attacker.seq_of(AWARD, "ProcurementAwarded")
    forged = event(attacker, AWARD, seq)
    forged.payload["data"]["supplier"] = "S-SLGC"
    attacker.forge(recorded.store, AWARD, seq - 1, [forged])
    attacker.sql("UPDATE procurements SET state = 'negotiating' WHERE id = 'CN-2023-002'")
    with recorded.store.reading() as tx:
        supplier = tx.stream_ids("supplier:")[-1]
    attacker.set_column(supplier, 1, "payload", "{not json")
    return seq


def test_jobs_give_the_report_of_one_process(recorded: Any) -> None:
    one = replay(recorded.store).to_dict()
    assert one["ok"] and len(one["streams"]) > 4
    assert replay(recorded.store, jobs=2).to_dict() == one
    assert replay(recorded.store, jobs=3).to_dict() == one


def test_jobs_report_the_same_failures_in_the_same_order(recorded: Any, attacker: Any) -> None:
    seq = tamper(attacker, recorded)
    one = replay(recorded.store)
    assert not one.ok
    bad = [s.stream for s in one.streams if not s.ok]
    assert AWARD in bad and FAILED in bad and any(s.startswith("supplier:") for s in bad)
    [award] = [s for s in one.streams if s.stream == AWARD]
    assert award.violation is not None and award.violation.stream_seq == seq
    assert replay(recorded.store, jobs=2).to_dict() == one.to_dict()


def test_cli_output_with_jobs_is_the_same(recorded: Any, attacker: Any, invoke: Any) -> None:
    for args in ((), ("--json",)):
        single = invoke(*args, "audit", "replay", "--all")
        double = invoke(*args, "audit", "replay", "--all", "--jobs", "2")
        assert single.exit_code == double.exit_code == 0
        assert double.stdout == single.stdout
    seq = tamper(attacker, recorded)
    outputs = {}
    for args in ((), ("--json",)):
        single = invoke(*args, "audit", "replay", "--all")
        double = invoke(*args, "audit", "replay", "--all", "--jobs", "2")
        assert single.exit_code == double.exit_code == 1
        assert double.stdout == single.stdout
        outputs[args] = double.stdout
    assert f"✗ {AWARD}" in outputs[()] and f"#{seq} ProcurementAwarded (award)" in outputs[()]
    assert json.loads(outputs[("--json",)])["ok"] is False


def test_jobs_are_worker_processes(recorded: Any, monkeypatch: Any) -> None:
    """Each stream is replayed in one of N processes other than this one (each replay slowed
    a little, so that neither worker can take every stream before the other starts)."""
    real = replay_module.replay_any

    def marked(*args: Any) -> Any:
        time.sleep(0.05)
        result = real(*args)
        if result is not None:
            result.pid = os.getpid()
        return result

    monkeypatch.setattr(replay_module, "replay_any", marked)
    report = replay(recorded.store, jobs=2)
    pids = {s.pid for s in report.streams}
    assert len(pids) == 2 and os.getpid() not in pids


def test_bad_jobs_exits_2(recorded: Any, invoke: Any) -> None:
    result = invoke("audit", "replay", "--all", "--jobs", "0")
    assert result.exit_code == 2 and "--jobs" in result.stderr
