"""``audit replay`` of a project's intake (stream ``intake:<id>``) and of the link between a
procurement's opening and its project (rule project.ready_to_procure): every intake step is
re-decided with the pinned rules, a filing forged past a missing sign-off is found with its rule,
and a procurement whose recorded readiness the log does not show is reported."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest

from tenderflow.audit.replay import replay
from tenderflow.audit.verify import verify_store
from tenderflow.paths import examples_dir
from tenderflow.store.eventstore import NewEvent
from tests.audit.attacker import Attacker, unchecked

INTAKE = "intake:BJ-JS-PJ"
TENDER = "procurement:PPP-JS-001"


@pytest.fixture
def jinsong(services: Any) -> Any:
    from tenderflow.app.scenario import run_scenario

    report = run_scenario(services, examples_dir() / "project_jinsong.yaml")
    assert report.ok, report.to_dict()
    return services


def one(report: Any, stream: str) -> Any:
    [found] = [s for s in report.streams if s.stream == stream]
    return found


def forge(store: Any, db_path: Path, stream: str, keep: int, events: list[NewEvent]) -> None:
    """Cut ``stream`` after ``keep`` events and append ``events`` with valid hashes (the
    attacker's code checks no payload against the catalogue)."""
    Attacker(db_path).truncate(stream, keep, move_head=True)
    append(store, stream, keep, events)


def append(store: Any, stream: str, keep: int, events: list[NewEvent]) -> None:
    own, store.events = store.events, unchecked(store.events)
    try:
        with store.transaction() as tx:
            tx.append(stream, keep, events, "2023-12-01T09:00:00+08:00")
    finally:
        store.events = own


def stored(store: Any, stream: str, seq: int) -> NewEvent:
    with store.reading() as tx:
        ev = next(e for e in tx.read_stream(stream) if e.stream_seq == seq)
    return NewEvent(ev.type, copy.deepcopy(ev.payload), ev.occurred_at, ev.actor,
                    dict(ev.pins or {}))


def test_every_intake_step_is_re_decided(jinsong: Any) -> None:
    report = replay(jinsong.store)
    assert report.ok, report.to_dict()
    intake = one(report, INTAKE)
    with jinsong.store.reading() as tx:
        version = tx.head(INTAKE)[0]
    assert intake.state == "ready" and intake.events == version
    assert intake.decided == version - 1  # every step after ProjectIntakeStarted
    assert one(replay(jinsong.store, "BJ-JS-PJ"), INTAKE).ok
    assert one(replay(jinsong.store, "project:BJ-JS-PJ"), INTAKE).ok


def test_a_filing_forged_before_every_party_signed_is_refused(jinsong: Any,
                                                             db_path: Path) -> None:
    """Drop the telecom operators' sign-off and the later steps, and append the filing: the
    hashes are valid, the pinned rules refuse it naming the missing party."""
    store = jinsong.store
    with store.reading() as tx:
        events = list(tx.read_stream(INTAKE))
    telecom = next(e.stream_seq for e in events if e.type == "CoordinationSignedOff"
                   and e.payload["data"]["party"] == "utility.telecom")
    later = [stored(store, INTAKE, e.stream_seq) for e in events
             if e.stream_seq > telecom and e.type in ("CoordinationSignedOff", "ProjectFiled")]
    forge(store, db_path, INTAKE, telecom - 1, later)
    assert verify_store(store)[0].ok
    result = one(replay(store, "BJ-JS-PJ"), INTAKE)
    v = result.violation
    assert v is not None and v.type == "ProjectFiled" and v.kind == "refused", result.to_dict()
    [refusal] = [r for r in v.refusals if r["rule"] == "project.coordination_complete"]
    assert "utility.telecom" in refusal["reason"]


def test_an_opening_whose_project_was_not_ready_is_reported(jinsong: Any) -> None:
    """A second procurement appended with the tender's opening, but claiming the intake
    version it had when filed: replay says the log does not show that readiness."""
    store = jinsong.store
    opening = stored(store, TENDER, 1)
    assert opening.payload["readiness"]["via"] == "intake"
    with store.reading() as tx:
        filed = next(e for e in tx.read_stream(INTAKE) if e.type == "ProjectFiled")
    opening.payload["readiness"]["version"] = filed.stream_seq
    append(store, "procurement:PPP-JS-FORGED", 0, [opening])
    result = one(replay(store, "PPP-JS-FORGED"), "procurement:PPP-JS-FORGED")
    assert result.violation is not None and result.violation.kind == "facts"
    assert "intake version" in result.violation.message


def test_an_opening_on_a_filing_not_registered_is_reported(registered: Any) -> None:
    from tenderflow.app.common import parse_time

    services = registered
    services.open_procurement("CN-F", "CD-HH-2023", "competitive_negotiation", "staff:wang",
                              parse_time("2023-03-01T09:00+08:00"))
    assert replay(services.store, "CN-F").ok
    forged = stored(services.store, "procurement:CN-F", 1)
    forged.payload["readiness"]["filing"]["number"] = "川投资备〔2022〕伪造号"
    append(services.store, "procurement:CN-G", 0, [forged])
    result = one(replay(services.store, "CN-G"), "procurement:CN-G")
    assert result.violation is not None and result.violation.kind == "facts"
    assert "伪造号" in result.violation.message


def test_a_stale_intake_snapshot_is_rebuilt_by_init(jinsong: Any, db_path: Path) -> None:
    """An intake snapshot folded by other code (no stamp) is rebuilt from its events, as a
    procurement's is, and equals the fold."""
    before = jinsong.status("BJ-JS-PJ")
    Attacker(db_path).sql("UPDATE snapshots SET fold_version = NULL, state = '{}' "
                          "WHERE stream_id = ?", (INTAKE,))
    assert "BJ-JS-PJ" in jinsong.rebuild_snapshots()["rebuilt"]
    assert jinsong.status("BJ-JS-PJ") == before
    assert replay(jinsong.store).ok
