"""Replay redraws the experts (committee.random_draw): a draw recorded with valid hashes but
members the pool and seed do not give, or a group whose experts are not the ones drawn, is
found by ``audit replay`` (tenderflow.domain.components.expert_draw)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tenderflow.audit.replay import replay
from tenderflow.domain.components.expert_draw import draw, pool_hash
from tenderflow.domain.timeutil import parse_time
from tenderflow.store.eventstore import NewEvent
from tests.audit.attacker import Attacker

PID = "CN-DRAW"
STREAM = f"procurement:{PID}"
POOL = ["刘专家", "周专家", "吴专家", "陈专家", "赵专家", "钱专家", "孙专家"]
SEED = "2023-00000"


def stored(attacker: Attacker, seq: int) -> NewEvent:
    row = attacker.event(STREAM, seq)
    return NewEvent(row["type"], json.loads(row["payload"]), row["occurred_at"], row["actor"],
                    json.loads(row["pins"]), row["schema_version"])


def forge(services: Any, attacker: Attacker, seq: int, replacement: NewEvent) -> None:
    later = [stored(attacker, s) for s in range(seq + 1, attacker.version(STREAM) + 1)]
    attacker.forge(services.store, STREAM, seq - 1, [replacement, *later])


@pytest.fixture
def drawn(recorded: Any) -> Any:
    """A negotiation whose group was formed from a recorded draw."""
    s = recorded
    s.open_procurement(PID, "CD-HH-2023", "competitive_negotiation", "staff:wang",
                       parse_time("2023-03-01T09:00+08:00"))
    s.fire(PID, "approve_method", {"ground": "complex_or_special", "justification": "技术复杂"},
           "staff:wang", parse_time("2023-03-01T10:00+08:00"))
    s.fire(PID, "draw_experts", {"pool": POOL, "seed": SEED, "count": 2, "witness": "区财政局监督员",
                                 "drawn": draw(POOL, SEED, 2)},
           "staff:wang", parse_time("2023-03-02T09:00+08:00"))
    s.fire(PID, "form_group", {"members": [{"name": n, "role": "expert"}
                                           for n in draw(POOL, SEED, 2)]
                               + [{"name": "采购人代表张", "role": "purchaser_representative"}]},
           "staff:wang", parse_time("2023-03-02T10:00+08:00"))
    return s


def test_the_draw_is_recorded_with_the_pool_hash_and_replays(drawn: Any) -> None:
    state = drawn.state(PID)
    assert state["experts_draw"]["pool_sha256"] == pool_hash(POOL)
    assert state["experts_draw"]["drawn"] == ["刘专家", "周专家"]
    [result] = replay(drawn.store, PID).streams
    assert result.ok, result.to_dict()


def _refused_by_draw(drawn: Any, etype: str) -> None:
    [result] = replay(drawn.store, PID).streams
    v = result.violation
    assert v is not None and v.kind == "refused" and v.type == etype, result.to_dict()
    assert any(r["rule"] == "committee.random_draw" for r in v.refusals), v.refusals


def test_a_forged_member_of_the_draw_is_found(drawn: Any, attacker: Attacker) -> None:
    seq = attacker.seq_of(STREAM, "ExpertsDrawn")
    event = stored(attacker, seq)
    event.payload["data"]["drawn"] = ["刘专家", "吴专家"]
    forge(drawn, attacker, seq, event)
    _refused_by_draw(drawn, "ExpertsDrawn")


def test_a_forged_expert_of_the_group_is_found(drawn: Any, attacker: Attacker) -> None:
    seq = attacker.seq_of(STREAM, "NegotiatingGroupFormed")
    event = stored(attacker, seq)
    event.payload["data"]["members"][1]["name"] = "吴专家"
    forge(drawn, attacker, seq, event)
    _refused_by_draw(drawn, "NegotiatingGroupFormed")


def test_the_draw_is_sha256_of_seed_and_expert() -> None:
    """The documented method, computed independently."""
    import hashlib

    tickets = sorted((hashlib.sha256(f"{SEED}\n{e}".encode()).hexdigest(), e) for e in POOL)
    assert draw(POOL, SEED, 3) == [e for _, e in tickets[:3]]
    assert draw(POOL + POOL[:2], SEED, 3) == draw(POOL, SEED, 3)  # duplicates count once
    assert pool_hash(list(reversed(POOL))) == hashlib.sha256(
        "\n".join(sorted(POOL)).encode()).hexdigest()
