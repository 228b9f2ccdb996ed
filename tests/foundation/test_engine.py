"""The workflow engine and services: guards with reasons, roles, data, terminal states."""

from __future__ import annotations

from typing import Any

import pytest

from tenderflow.errors import (
    InputError,
    InvalidTrigger,
    NotFound,
    RoleNotAllowed,
    TriggerRefused,
)
from tenderflow.workflow.definitions import load_workflow
from tenderflow.workflow.engine import machine_for
from tests.conftest import at
from tests.credit_lists import import_current

GROUP = {"members": [{"name": "A", "role": "expert"}, {"name": "B", "role": "expert"},
                     {"name": "C", "role": "purchaser_representative"}]}
INVITE = {"suppliers": [{"id": s, "recommended_by": "public_notice"}
                        for s in ("S-CDJG", "S-HXJS", "S-SLGC")]}


def opened(services: Any, pid: str = "CN-1") -> Any:
    services.open_procurement(pid, "CD-HH-2023", "competitive_negotiation", "staff:wang",
                              at("2023-03-01T09:00+08:00"))
    services.fire(pid, "approve_method", {"ground": "urgent", "justification": "汛期"},
                  "staff:wang", at("2023-03-01T10:00+08:00"))
    # Candidates are checked for eligibility before they are invited (candidates_eligible),
    # with the credit lists imported as of the day (a list never imported is not checked).
    import_current(services, at("2023-03-01T11:00+08:00"))
    services.fire(pid, "check_eligibility", {"candidates": ["S-CDJG", "S-HXJS", "S-SLGC"]},
                  "staff:wang", at("2023-03-01T11:00+08:00"))
    return services


def count(services: Any) -> int:
    with services.store.reading() as tx:
        return int(tx.count_events())


def test_refusal_names_rule_numbers_and_source_and_writes_nothing(registered: Any) -> None:
    s = opened(registered)
    s.fire("CN-1", "form_group", GROUP, "staff:wang", at("2023-03-02T10:00+08:00"))
    before = count(s)
    bad = {"suppliers": INVITE["suppliers"][:2]}
    with pytest.raises(TriggerRefused) as err:
        s.fire("CN-1", "invite", bad, "staff:wang", at("2023-03-03T10:00+08:00"))
    [r] = err.value.refusals
    assert r.rule == "negotiation.invited_min" and r.guard == "invited_min_suppliers"
    assert r.numbers == {"invited": 2, "minimum": 3}
    assert r.source == "政府采购法 第38条第(三)项"
    assert err.value.exit_code == 1
    assert count(s) == before
    assert s.state("CN-1")["state"] == "group_formed"


def test_working_day_period_across_qingming(registered: Any) -> None:
    """2023-04-05 清明节: three working days after Tuesday 4-04 end on Monday 4-10."""
    s = opened(registered)
    s.fire("CN-1", "form_group", GROUP, "staff:wang", at("2023-04-03T10:00+08:00"))
    s.fire("CN-1", "invite", INVITE, "staff:wang", at("2023-04-04T09:00+08:00"))
    with pytest.raises(TriggerRefused) as err:
        s.fire("CN-1", "issue_documents", {"response_deadline": "2023-04-07T17:00+08:00"},
               "staff:wang", at("2023-04-04T10:00+08:00"))
    assert err.value.refusals[0].numbers["earliest"] == "2023-04-10"
    s.fire("CN-1", "issue_documents", {"response_deadline": "2023-04-10T09:00+08:00"},
           "staff:wang", at("2023-04-04T10:00+08:00"))


def test_invalid_trigger_role_data_and_terminal(registered: Any) -> None:
    s = opened(registered)
    with pytest.raises(InvalidTrigger, match="no trigger 'launch'"):
        s.fire("CN-1", "launch", None, "staff:wang", at("2023-03-02T10:00+08:00"))
    with pytest.raises(InvalidTrigger, match="not possible in state 'method_approved'"):
        s.fire("CN-1", "award", {"supplier": "S-CDJG"}, "staff:wang",
               at("2023-03-02T10:00+08:00"))
    with pytest.raises(RoleNotAllowed, match="role 'supplier' may not fire 'form_group'"):
        s.fire("CN-1", "form_group", GROUP, "supplier:S-CDJG", at("2023-03-02T10:00+08:00"))
    with pytest.raises(InputError) as err:
        s.fire("CN-1", "form_group", {"members": [{"name": "A", "role": "boss"}]},
               "staff:wang", at("2023-03-02T10:00+08:00"))
    assert "with.members.0.role" in err.value.message
    s.fire("CN-1", "form_group", GROUP, "staff:wang", at("2023-03-02T10:00+08:00"))
    with pytest.raises(NotFound, match="S-NONE"):
        s.fire("CN-1", "invite", {"suppliers": [{"id": "S-NONE", "recommended_by": "experts"}]},
               "staff:wang", at("2023-03-02T10:00+08:00"))
    s.fire("CN-1", "cancel", {"reason": "项目调整"}, "staff:wang", at("2023-03-02T10:00+08:00"))
    with pytest.raises(InvalidTrigger, match="final state"):
        s.fire("CN-1", "fail", {"reason": "x"}, "staff:wang", at("2023-03-03T10:00+08:00"))


def test_one_shared_machine_and_models_detached(registered: Any) -> None:
    s = opened(registered)
    s.fire("CN-1", "form_group", GROUP, "staff:wang", at("2023-03-02T10:00+08:00"))
    wf = load_workflow("competitive_negotiation")
    machine = machine_for(wf)
    assert machine is machine_for(load_workflow("competitive_negotiation"))
    assert machine.models == []


def test_events_pin_their_definitions(registered: Any) -> None:
    s = opened(registered)
    with s.store.reading() as tx:
        events = list(tx.read_stream("procurement:CN-1"))
        for e in events:
            assert set(e.pins) == {"workflow", "parameters", "calendar", "ruleset"}
            for digest in e.pins.values():
                assert tx.definition(digest) is not None


def test_tick_is_idempotent_and_status_shows_next_due(registered: Any) -> None:
    s = opened(registered)
    s.fire("CN-1", "form_group", GROUP, "staff:wang", at("2023-03-02T10:00+08:00"))
    s.fire("CN-1", "invite", INVITE, "staff:wang", at("2023-03-03T09:00+08:00"))
    s.fire("CN-1", "issue_documents", {"response_deadline": "2023-03-08T09:30+08:00"},
           "staff:wang", at("2023-03-03T10:00+08:00"))
    assert s.status("CN-1")["pending"]["timers"] == [
        {"trigger": "close_responses", "due": "2023-03-08T09:30:00+08:00"}]
    assert s.tick(at("2023-03-08T09:00+08:00")) == []
    first = s.tick(at("2023-03-08T10:00+08:00"))
    assert [f["to"] for f in first] == ["failed"]
    assert s.tick(at("2023-03-09T10:00+08:00")) == []
    assert "negotiation.responses_min" in s.status("CN-1")["ended"]["reason"]
